package io.meridian.node.scrape;

import io.meridian.node.series.StoreUnavailableException;
import io.meridian.protocol.scrape.Job;
import io.meridian.protocol.scrape.Server;
import io.meridian.protocol.scrape.TargetHealth;
import io.meridian.protocol.scrape.TargetView;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * {@link ScrapeService} over the cluster: each project's requests go to its {@link ScrapeCatalog}
 * entity, wherever it lives. Validation happens here, so a bad request never reaches the entity.
 */
public final class ClusterScrapeService implements ScrapeService {

  private final ClusterSharding sharding;
  private final ScrapeSettings settings;

  private ClusterScrapeService(ActorSystem<?> system, ScrapeSettings settings) {
    this.sharding = ClusterSharding.get(system);
    this.settings = settings;
  }

  /**
   * Registers the catalog entity type on this node (the caller registers {@link TargetScraper} with
   * the returned service) and returns the service.
   */
  public static ClusterScrapeService start(
      ActorSystem<?> system, ScrapeSettings settings, ConfiguredServers configured) {
    ScrapeCatalog.init(system, settings, configured);
    return new ClusterScrapeService(system, settings);
  }

  @Override
  public CompletionStage<List<Job>> jobs(String tenant) {
    return this.<ScrapeCatalog.JobsReply>ask(tenant, ScrapeCatalog.GetJobs::new)
        .thenApply(ScrapeCatalog.JobsReply::jobs);
  }

  @Override
  public CompletionStage<Job> createJob(String tenant, JobSpec spec, String modifier) {
    return validated(
        () -> {
          JobSpec valid = CatalogInput.job(spec, settings);
          String member = CatalogInput.memberId("memberId", modifier, false);
          return this.<ScrapeCatalog.JobReply>ask(
                  tenant, replyTo -> new ScrapeCatalog.CreateJob(valid, member, replyTo))
              .thenApply(reply -> answer(reply.job(), reply.refusal()));
        });
  }

  @Override
  public CompletionStage<Job> job(String tenant, String jobId) {
    return validated(
        () -> {
          String id = CatalogInput.id("jobId", jobId);
          return this.<ScrapeCatalog.JobReply>ask(
                  tenant, replyTo -> new ScrapeCatalog.GetJob(id, replyTo))
              .thenApply(reply -> answer(reply.job(), reply.refusal()));
        });
  }

  @Override
  public CompletionStage<Job> updateJob(
      String tenant, String jobId, JobChange change, String modifier) {
    return validated(
        () -> {
          String id = CatalogInput.id("jobId", jobId);
          JobChange valid = CatalogInput.change(change, settings);
          String member = CatalogInput.memberId("memberId", modifier, false);
          return this.<ScrapeCatalog.JobReply>ask(
                  tenant, replyTo -> new ScrapeCatalog.UpdateJob(id, valid, member, replyTo))
              .thenApply(reply -> answer(reply.job(), reply.refusal()));
        });
  }

  @Override
  public CompletionStage<String> deleteJob(String tenant, String jobId, String memberId) {
    return validated(
        () -> {
          String id = CatalogInput.id("jobId", jobId);
          String member = CatalogInput.memberId("memberId", memberId, true);
          return this.<ScrapeCatalog.IdReply>ask(
                  tenant, replyTo -> new ScrapeCatalog.DeleteJob(id, member, replyTo))
              .thenApply(reply -> answer(reply.id(), reply.refusal()));
        });
  }

  @Override
  public CompletionStage<List<TargetView>> targets(String tenant, String jobId) {
    return validated(
        () -> {
          String id = CatalogInput.id("jobId", jobId);
          return this.<ScrapeCatalog.TargetsReply>ask(
                  tenant, replyTo -> new ScrapeCatalog.GetTargets(id, replyTo))
              .thenApply(reply -> answer(reply.targets(), reply.refusal()));
        });
  }

  @Override
  public CompletionStage<String> createTarget(
      String tenant, String jobId, TargetSpec spec, String modifier) {
    return validated(
        () -> {
          String id = CatalogInput.id("jobId", jobId);
          TargetSpec valid = CatalogInput.target(spec);
          String member = CatalogInput.memberId("memberId", modifier, false);
          return this.<ScrapeCatalog.IdReply>ask(
                  tenant, replyTo -> new ScrapeCatalog.CreateTarget(id, valid, member, replyTo))
              .thenApply(reply -> answer(reply.id(), reply.refusal()));
        });
  }

  @Override
  public CompletionStage<TargetView> target(String tenant, String jobId, String targetId) {
    return validated(
        () -> {
          String job = CatalogInput.id("jobId", jobId);
          String target = CatalogInput.id("targetId", targetId);
          return this.<ScrapeCatalog.TargetReply>ask(
                  tenant, replyTo -> new ScrapeCatalog.GetTarget(job, target, replyTo))
              .thenApply(reply -> answer(reply.target(), reply.refusal()));
        });
  }

  @Override
  public CompletionStage<String> deleteTarget(
      String tenant, String jobId, String targetId, String memberId) {
    return validated(
        () -> {
          String job = CatalogInput.id("jobId", jobId);
          String target = CatalogInput.id("targetId", targetId);
          String member = CatalogInput.memberId("memberId", memberId, true);
          return this.<ScrapeCatalog.IdReply>ask(
                  tenant, replyTo -> new ScrapeCatalog.DeleteTarget(job, target, member, replyTo))
              .thenApply(reply -> answer(reply.id(), reply.refusal()));
        });
  }

  @Override
  public CompletionStage<List<Server>> servers(String tenant) {
    return this.<ScrapeCatalog.ServersReply>ask(tenant, ScrapeCatalog.GetServers::new)
        .thenApply(ScrapeCatalog.ServersReply::servers);
  }

  @Override
  public CompletionStage<Server> registerServer(String tenant, ServerSpec spec) {
    return validated(
        () -> {
          ServerSpec valid = CatalogInput.server(spec);
          return this.<ScrapeCatalog.ServerReply>ask(
                  tenant, replyTo -> new ScrapeCatalog.RegisterServer(valid, replyTo))
              .thenApply(reply -> answer(reply.server(), reply.refusal()));
        });
  }

  @Override
  public CompletionStage<String> deregisterServer(String tenant, String hostId) {
    return validated(
        () -> {
          String id = CatalogInput.id("hostId", hostId);
          return this.<ScrapeCatalog.IdReply>ask(
                  tenant, replyTo -> new ScrapeCatalog.DeregisterServer(id, replyTo))
              .thenApply(reply -> answer(reply.id(), reply.refusal()));
        });
  }

  @Override
  public CompletionStage<Optional<ScrapeSpec>> spec(String tenant, String targetId) {
    return this.<ScrapeCatalog.SpecReply>ask(
            tenant, replyTo -> new ScrapeCatalog.GetSpec(targetId, replyTo))
        .thenApply(reply -> Optional.ofNullable(reply.spec()));
  }

  @Override
  public void report(String tenant, String targetId, TargetHealth health) {
    sharding
        .entityRefFor(ScrapeCatalog.ENTITY_KEY, tenant)
        .tell(new ScrapeCatalog.Report(targetId, health));
  }

  private static <T> T answer(T value, ScrapeCatalog.Refusal refusal) {
    if (refusal != null) {
      throw new ScrapeCatalogException(refusal.code(), refusal.detail());
    }
    return value;
  }

  /** Runs {@code call}, turning a validation failure into a failed stage. */
  private static <T> CompletionStage<T> validated(
      java.util.function.Supplier<CompletionStage<T>> call) {
    try {
      return call.get();
    } catch (ScrapeCatalogException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private <R> CompletionStage<R> ask(
      String tenant, Function<ActorRef<R>, ScrapeCatalog.Command> command) {
    return StoreUnavailableException.unlessAnswered(
        sharding
            .entityRefFor(ScrapeCatalog.ENTITY_KEY, tenant)
            .ask(command::apply, settings.askTimeout()),
        "The project's job catalog did not answer");
  }
}
