package io.meridian.node.scrape;

import io.meridian.protocol.scrape.Job;
import io.meridian.protocol.scrape.Server;
import io.meridian.protocol.scrape.TargetHealth;
import io.meridian.protocol.scrape.TargetView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A catalog that only answers what scrapers ask: the specs a test puts in, and the health scrapers
 * report, kept in order per target.
 */
final class ScraperTestCatalog implements ScrapeService {

  private final Map<String, ScrapeSpec> specs = new ConcurrentHashMap<>();
  private final Map<String, List<TargetHealth>> reports = new ConcurrentHashMap<>();

  void put(ScrapeSpec spec) {
    specs.put(ScrapeSpec.entityId(spec.tenant(), spec.targetId()), spec);
  }

  void remove(String tenant, String targetId) {
    specs.remove(ScrapeSpec.entityId(tenant, targetId));
  }

  List<TargetHealth> reports(String tenant, String targetId) {
    return List.copyOf(reports.getOrDefault(ScrapeSpec.entityId(tenant, targetId), List.of()));
  }

  @Override
  public CompletionStage<Optional<ScrapeSpec>> spec(String tenant, String targetId) {
    return CompletableFuture.completedFuture(
        Optional.ofNullable(specs.get(ScrapeSpec.entityId(tenant, targetId))));
  }

  @Override
  public void report(String tenant, String targetId, TargetHealth health) {
    reports
        .computeIfAbsent(ScrapeSpec.entityId(tenant, targetId), id -> new CopyOnWriteArrayList<>())
        .add(health);
  }

  private static <T> CompletionStage<T> unused() {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException("not asked by scrapers"));
  }

  @Override
  public CompletionStage<List<Job>> jobs(String tenant) {
    return unused();
  }

  @Override
  public CompletionStage<Job> createJob(String tenant, JobSpec spec, String modifier) {
    return unused();
  }

  @Override
  public CompletionStage<Job> job(String tenant, String jobId) {
    return unused();
  }

  @Override
  public CompletionStage<Job> updateJob(
      String tenant, String jobId, JobChange change, String modifier) {
    return unused();
  }

  @Override
  public CompletionStage<String> deleteJob(String tenant, String jobId, String memberId) {
    return unused();
  }

  @Override
  public CompletionStage<List<TargetView>> targets(String tenant, String jobId) {
    return unused();
  }

  @Override
  public CompletionStage<String> createTarget(
      String tenant, String jobId, TargetSpec spec, String modifier) {
    return unused();
  }

  @Override
  public CompletionStage<TargetView> target(String tenant, String jobId, String targetId) {
    return unused();
  }

  @Override
  public CompletionStage<String> deleteTarget(
      String tenant, String jobId, String targetId, String memberId) {
    return unused();
  }

  @Override
  public CompletionStage<List<Server>> servers(String tenant) {
    return unused();
  }

  @Override
  public CompletionStage<Server> registerServer(String tenant, ServerSpec spec) {
    return unused();
  }

  @Override
  public CompletionStage<String> deregisterServer(String tenant, String hostId) {
    return unused();
  }
}
