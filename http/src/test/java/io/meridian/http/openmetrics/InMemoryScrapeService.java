package io.meridian.http.openmetrics;

import io.meridian.node.scrape.JobChange;
import io.meridian.node.scrape.JobSpec;
import io.meridian.node.scrape.ScrapeCatalogException;
import io.meridian.node.scrape.ScrapeService;
import io.meridian.node.scrape.ScrapeSpec;
import io.meridian.node.scrape.ServerSpec;
import io.meridian.node.scrape.TargetSpec;
import io.meridian.node.series.StoreUnavailableException;
import io.meridian.protocol.scrape.Job;
import io.meridian.protocol.scrape.ResultCode;
import io.meridian.protocol.scrape.Server;
import io.meridian.protocol.scrape.Target;
import io.meridian.protocol.scrape.TargetHealth;
import io.meridian.protocol.scrape.TargetView;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A {@link ScrapeService} test double for the HTTP routes: each project's jobs, targets and servers
 * in maps (in creation order, as the catalog keeps them), refusing requests with the result codes
 * the catalog uses (but checking no value ranges), a fixed clock, predictable ids ({@code job-1},
 * {@code target-1}, {@code host-1}) and switches that make every call fail as an unavailable
 * catalog or a bug does.
 */
final class InMemoryScrapeService implements ScrapeService {

  /** The time every change happens at: 2021-08-17T01:32:09.500Z. */
  static final long NOW_MS = 1_629_163_929_500L;

  private record Project(
      Map<String, Job> jobs, Map<String, Target> targets, Map<String, Server> servers) {
    Project() {
      this(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
    }
  }

  private final Map<String, Project> projects = new HashMap<>();
  private final Map<String, TargetHealth> health = new HashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile RuntimeException failure;
  private volatile boolean hanging;

  /** Makes every following call fail with {@link StoreUnavailableException}, or work again. */
  void unavailable(boolean down) {
    failure = down ? new StoreUnavailableException("catalog did not answer", null) : null;
  }

  /** Makes every following call fail with {@code bug} (null: work again). */
  void failWith(RuntimeException bug) {
    failure = bug;
  }

  /** Makes every following call never answer, or answer again. */
  void hang(boolean stuck) {
    hanging = stuck;
  }

  @Override
  public CompletionStage<List<Job>> jobs(String tenant) {
    return answer(() -> List.copyOf(project(tenant).jobs().values()));
  }

  @Override
  public CompletionStage<Job> createJob(String tenant, JobSpec spec, String modifier) {
    return answer(
        () -> {
          Project project = project(tenant);
          if (project.jobs().values().stream().anyMatch(j -> j.jobName().equals(spec.jobName()))) {
            throw new ScrapeCatalogException(
                ResultCode.ALREADY_EXIST, "A job named \"" + spec.jobName() + "\" exists");
          }
          int interval = spec.scrapeIntervalSec() == null ? 15 : spec.scrapeIntervalSec();
          Job job =
              new Job(
                  "job-" + ids.incrementAndGet(),
                  tenant,
                  spec.jobName(),
                  spec.metricsPath() == null ? "/metrics" : spec.metricsPath(),
                  spec.description() == null ? "" : spec.description(),
                  interval,
                  spec.scrapeTimeoutSec() == null
                      ? Math.min(10, interval)
                      : spec.scrapeTimeoutSec(),
                  modifier,
                  NOW_MS);
          project.jobs().put(job.jobId(), job);
          return job;
        });
  }

  @Override
  public CompletionStage<Job> job(String tenant, String jobId) {
    return answer(() -> existingJob(tenant, jobId));
  }

  @Override
  public CompletionStage<Job> updateJob(
      String tenant, String jobId, JobChange change, String modifier) {
    return answer(
        () -> {
          Job job = existingJob(tenant, jobId);
          Job changed =
              new Job(
                  job.jobId(),
                  job.projectId(),
                  job.jobName(),
                  change.metricsPath() == null ? job.metricsPath() : change.metricsPath(),
                  change.description() == null ? job.description() : change.description(),
                  change.scrapeIntervalSec() == null
                      ? job.scrapeIntervalSec()
                      : change.scrapeIntervalSec(),
                  change.scrapeTimeoutSec() == null
                      ? job.scrapeTimeoutSec()
                      : change.scrapeTimeoutSec(),
                  modifier,
                  NOW_MS + 60_000);
          project(tenant).jobs().put(jobId, changed);
          return changed;
        });
  }

  @Override
  public CompletionStage<String> deleteJob(String tenant, String jobId, String memberId) {
    return answer(
        () -> {
          existingJob(tenant, jobId);
          project(tenant).jobs().remove(jobId);
          project(tenant).targets().values().removeIf(t -> t.jobId().equals(jobId));
          return jobId;
        });
  }

  @Override
  public CompletionStage<List<TargetView>> targets(String tenant, String jobId) {
    return answer(
        () -> {
          existingJob(tenant, jobId);
          return project(tenant).targets().values().stream()
              .filter(t -> t.jobId().equals(jobId))
              .map(t -> view(tenant, t))
              .toList();
        });
  }

  @Override
  public CompletionStage<String> createTarget(
      String tenant, String jobId, TargetSpec spec, String modifier) {
    return answer(
        () -> {
          existingJob(tenant, jobId);
          Project project = project(tenant);
          if (!project.servers().containsKey(spec.hostId())) {
            throw new ScrapeCatalogException(
                ResultCode.INVALID_HOST_OR_PROJECT, "No server " + spec.hostId());
          }
          Target target =
              new Target(
                  "target-" + ids.incrementAndGet(),
                  jobId,
                  spec.hostId(),
                  spec.port(),
                  spec.description() == null ? "" : spec.description(),
                  modifier,
                  NOW_MS);
          project.targets().put(target.targetId(), target);
          return target.targetId();
        });
  }

  @Override
  public CompletionStage<TargetView> target(String tenant, String jobId, String targetId) {
    return answer(() -> view(tenant, existingTarget(tenant, jobId, targetId)));
  }

  @Override
  public CompletionStage<String> deleteTarget(
      String tenant, String jobId, String targetId, String memberId) {
    return answer(
        () -> {
          existingTarget(tenant, jobId, targetId);
          project(tenant).targets().remove(targetId);
          return targetId;
        });
  }

  @Override
  public CompletionStage<List<Server>> servers(String tenant) {
    return answer(() -> List.copyOf(project(tenant).servers().values()));
  }

  @Override
  public CompletionStage<Server> registerServer(String tenant, ServerSpec spec) {
    return answer(
        () -> {
          Project project = project(tenant);
          if (project.servers().values().stream().anyMatch(s -> s.hostNm().equals(spec.hostNm()))) {
            throw new ScrapeCatalogException(
                ResultCode.ALREADY_EXIST, "A server named \"" + spec.hostNm() + "\" exists");
          }
          Server server =
              new Server(
                  "host-" + ids.incrementAndGet(),
                  spec.hostNm(),
                  spec.svrIp(),
                  tenant,
                  spec.instanceId());
          project.servers().put(server.hostId(), server);
          return server;
        });
  }

  @Override
  public CompletionStage<String> deregisterServer(String tenant, String hostId) {
    return answer(
        () -> {
          Project project = project(tenant);
          if (!project.servers().containsKey(hostId)) {
            throw new ScrapeCatalogException(
                ResultCode.INVALID_HOST_OR_PROJECT, "No server " + hostId);
          }
          project.servers().remove(hostId);
          return hostId;
        });
  }

  @Override
  public CompletionStage<Optional<ScrapeSpec>> spec(String tenant, String targetId) {
    return answer(() -> Optional.empty());
  }

  @Override
  public synchronized void report(String tenant, String targetId, TargetHealth health) {
    this.health.put(tenant + "|" + targetId, health);
  }

  private synchronized <T> CompletionStage<T> answer(Supplier<T> call) {
    RuntimeException failing = failure;
    if (failing != null) {
      return CompletableFuture.failedFuture(failing);
    }
    if (hanging) {
      return new CompletableFuture<>();
    }
    try {
      return CompletableFuture.completedFuture(call.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Project project(String tenant) {
    return projects.computeIfAbsent(tenant, t -> new Project());
  }

  private Job existingJob(String tenant, String jobId) {
    Job job = project(tenant).jobs().get(jobId);
    if (job == null) {
      throw new ScrapeCatalogException(ResultCode.NOT_FOUND_JOB, "No job " + jobId);
    }
    return job;
  }

  private Target existingTarget(String tenant, String jobId, String targetId) {
    existingJob(tenant, jobId);
    Target target = project(tenant).targets().get(targetId);
    if (target == null || !target.jobId().equals(jobId)) {
      throw new ScrapeCatalogException(ResultCode.NOT_FOUND_TARGET, "No target " + targetId);
    }
    return target;
  }

  private TargetView view(String tenant, Target target) {
    Server server = project(tenant).servers().get(target.hostId());
    return new TargetView(
        target,
        server == null ? null : server.hostNm(),
        server == null ? null : server.svrIp(),
        health.get(tenant + "|" + target.targetId()));
  }
}
