package io.meridian.node.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.meridian.protocol.scrape.Job;
import io.meridian.protocol.scrape.ResultCode;
import io.meridian.protocol.scrape.Server;
import io.meridian.protocol.scrape.TargetHealth;
import io.meridian.protocol.scrape.TargetView;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScrapeCatalogTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  private static final ScrapeSettings SETTINGS = ScrapeSettings.fromConfig(ConfigFactory.load());

  private static final Server CONFIGURED =
      new Server(
          ConfiguredServers.hostId("project", "web-1"), "web-1", "10.0.0.5", "project", "i-1");

  private final Queue<ScrapeCatalog.ScraperSignal> signals = new ConcurrentLinkedQueue<>();

  private final EventSourcedBehaviorTestKit<
          ScrapeCatalog.Command, ScrapeCatalog.Event, ScrapeCatalog.State>
      kit =
          EventSourcedBehaviorTestKit.create(
              testKit.system(),
              ScrapeCatalog.create("project", SETTINGS, List.of(CONFIGURED), signals::add));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    kit.clear();
    signals.clear();
  }

  private ScrapeCatalog.JobReply createJob(String name) {
    return kit.<ScrapeCatalog.JobReply>runCommand(
            replyTo ->
                new ScrapeCatalog.CreateJob(
                    CatalogInput.job(new JobSpec(name, null, null, null, null), SETTINGS),
                    null,
                    replyTo))
        .reply();
  }

  private ScrapeCatalog.IdReply createTarget(String jobId, String hostId, int port) {
    return kit.<ScrapeCatalog.IdReply>runCommand(
            replyTo ->
                new ScrapeCatalog.CreateTarget(
                    jobId, new TargetSpec(hostId, port, ""), null, replyTo))
        .reply();
  }

  private ScrapeSpec spec(String targetId) {
    return kit.<ScrapeCatalog.SpecReply>runCommand(
            replyTo -> new ScrapeCatalog.GetSpec(targetId, replyTo))
        .reply()
        .spec();
  }

  @Test
  void aJobGetsDefaultsAndAnIdAndItsNameIsUniqueInTheProject() {
    Job job = createJob("node").job();

    assertThat(job.projectId()).isEqualTo("project");
    assertThat(job.metricsPath()).isEqualTo("/metrics");
    assertThat(job.scrapeIntervalSec()).isEqualTo(15);
    assertThat(job.scrapeTimeoutSec()).isEqualTo(10);
    assertThat(job.lstModMs()).isPositive();
    ScrapeCatalog.JobReply again = createJob("node");
    assertThat(again.job()).isNull();
    assertThat(again.refusal().code()).isEqualTo(ResultCode.ALREADY_EXIST);
    assertThat(kit.<ScrapeCatalog.JobsReply>runCommand(ScrapeCatalog.GetJobs::new).reply().jobs())
        .containsExactly(job);
  }

  @Test
  void aTargetNeedsAJobAndAKnownServerAndIsUniquePerHostAndPort() {
    String jobId = createJob("node").job().jobId();

    assertThat(createTarget("nope", CONFIGURED.hostId(), 9100).refusal().code())
        .isEqualTo(ResultCode.NOT_FOUND_JOB);
    assertThat(createTarget(jobId, "unknown-host", 9100).refusal().code())
        .isEqualTo(ResultCode.INVALID_HOST_OR_PROJECT);
    String targetId = createTarget(jobId, CONFIGURED.hostId(), 9100).id();
    assertThat(createTarget(jobId, CONFIGURED.hostId(), 9100).refusal().code())
        .isEqualTo(ResultCode.ALREADY_EXIST);

    ScrapeSpec spec = spec(targetId);
    assertThat(signals)
        .containsExactly(new ScrapeCatalog.ScraperSignal(targetId, new TargetScraper.Ensure(spec)));
    assertThat(spec)
        .isEqualTo(
            new ScrapeSpec(
                "project",
                targetId,
                jobId,
                "node",
                "http://10.0.0.5:9100/metrics",
                "10.0.0.5:9100",
                15,
                10));
    TargetView view =
        kit.<ScrapeCatalog.TargetReply>runCommand(
                replyTo -> new ScrapeCatalog.GetTarget(jobId, targetId, replyTo))
            .reply()
            .target();
    assertThat(view.hostNm()).isEqualTo("web-1");
    assertThat(view.svrIp()).isEqualTo("10.0.0.5");
    assertThat(view.health()).isNull();
  }

  @Test
  void targetsAreFoundOnlyUnderTheirOwnJob() {
    String node = createJob("node").job().jobId();
    String other = createJob("other").job().jobId();
    String targetId = createTarget(node, CONFIGURED.hostId(), 9100).id();

    assertThat(
            kit.<ScrapeCatalog.TargetReply>runCommand(
                    replyTo -> new ScrapeCatalog.GetTarget(other, targetId, replyTo))
                .reply()
                .refusal()
                .code())
        .isEqualTo(ResultCode.NOT_FOUND_TARGET);
    assertThat(
            kit.<ScrapeCatalog.TargetsReply>runCommand(
                    replyTo -> new ScrapeCatalog.GetTargets(other, replyTo))
                .reply()
                .targets())
        .isEmpty();
  }

  @Test
  void changingAJobTellsItsScrapersAndDeletingItStopsThem() {
    String jobId = createJob("node").job().jobId();
    String targetId = createTarget(jobId, CONFIGURED.hostId(), 9100).id();
    signals.clear();

    Job changed =
        kit.<ScrapeCatalog.JobReply>runCommand(
                replyTo ->
                    new ScrapeCatalog.UpdateJob(
                        jobId, new JobChange("/other", null, 5, null), null, replyTo))
            .reply()
            .job();
    assertThat(changed.metricsPath()).isEqualTo("/other");
    assertThat(changed.scrapeIntervalSec()).isEqualTo(5);
    assertThat(changed.scrapeTimeoutSec()).as("capped at the new interval").isEqualTo(5);
    assertThat(spec(targetId).url()).isEqualTo("http://10.0.0.5:9100/other");
    assertThat(signals.poll())
        .isEqualTo(
            new ScrapeCatalog.ScraperSignal(targetId, new TargetScraper.Ensure(spec(targetId))));

    var deleted =
        kit.<ScrapeCatalog.IdReply>runCommand(
            replyTo -> new ScrapeCatalog.DeleteJob(jobId, null, replyTo));
    assertThat(deleted.reply().id()).isEqualTo(jobId);
    assertThat(signals.poll())
        .isEqualTo(new ScrapeCatalog.ScraperSignal(targetId, new TargetScraper.Stop()));
    assertThat(spec(targetId)).isNull();
    assertThat(deleted.state().targets()).isEmpty();
  }

  @Test
  void aTimeoutLongerThanTheIntervalIsRefused() {
    String jobId = createJob("node").job().jobId();

    var reply =
        kit.<ScrapeCatalog.JobReply>runCommand(
                replyTo ->
                    new ScrapeCatalog.UpdateJob(
                        jobId, new JobChange(null, null, null, 30), null, replyTo))
            .reply();

    assertThat(reply.refusal().code()).isEqualTo(ResultCode.BAD_INPUT_VALUE);
  }

  @Test
  void healthIsPersistedOnlyWhenItChanges() {
    String jobId = createJob("node").job().jobId();
    String targetId = createTarget(jobId, CONFIGURED.hostId(), 9100).id();

    assertThat(kit.runCommand(new ScrapeCatalog.Report(targetId, TargetHealth.up(1000))).events())
        .hasSize(1);
    assertThat(kit.runCommand(new ScrapeCatalog.Report(targetId, TargetHealth.up(2000))).events())
        .isEmpty();
    var down =
        kit.runCommand(
            new ScrapeCatalog.Report(
                targetId,
                TargetHealth.down(TargetHealth.CONNECTION_FAILED, "connection refused", 3000)));
    assertThat(down.events()).hasSize(1);
    assertThat(down.state().health().get(targetId).mntrnStatCd()).isEqualTo(TargetHealth.DOWN);
  }

  @Test
  void aReportOfAnUnknownTargetStopsItsScraper() {
    var result = kit.runCommand(new ScrapeCatalog.Report("gone", TargetHealth.up(1)));

    assertThat(result.events()).isEmpty();
    assertThat(signals)
        .containsExactly(new ScrapeCatalog.ScraperSignal("gone", new TargetScraper.Stop()));
  }

  @Test
  void registeredServersAreListedAfterConfiguredOnesAndCannotBeRemovedWhileUsed() {
    Server registered =
        kit.<ScrapeCatalog.ServerReply>runCommand(
                replyTo ->
                    new ScrapeCatalog.RegisterServer(
                        new ServerSpec("db-1", "10.0.0.9", null), replyTo))
            .reply()
            .server();
    assertThat(
            kit.<ScrapeCatalog.ServerReply>runCommand(
                    replyTo ->
                        new ScrapeCatalog.RegisterServer(
                            new ServerSpec("web-1", "10.0.0.10", null), replyTo))
                .reply()
                .refusal()
                .code())
        .as("the name of a configured server")
        .isEqualTo(ResultCode.ALREADY_EXIST);
    assertThat(
            kit.<ScrapeCatalog.ServersReply>runCommand(ScrapeCatalog.GetServers::new)
                .reply()
                .servers())
        .containsExactly(CONFIGURED, registered);

    String jobId = createJob("node").job().jobId();
    String targetId = createTarget(jobId, registered.hostId(), 9100).id();
    assertThat(deregister(registered.hostId()).refusal().code())
        .isEqualTo(ResultCode.BAD_INPUT_VALUE);
    assertThat(deregister(CONFIGURED.hostId()).refusal().code())
        .isEqualTo(ResultCode.INVALID_HOST_OR_PROJECT);
    kit.runCommand(
        (org.apache.pekko.actor.typed.ActorRef<ScrapeCatalog.IdReply> replyTo) ->
            new ScrapeCatalog.DeleteTarget(jobId, targetId, null, replyTo));
    assertThat(deregister(registered.hostId()).id()).isEqualTo(registered.hostId());
  }

  private ScrapeCatalog.IdReply deregister(String hostId) {
    return kit.<ScrapeCatalog.IdReply>runCommand(
            replyTo -> new ScrapeCatalog.DeregisterServer(hostId, replyTo))
        .reply();
  }

  @Test
  void recoveryEnsuresEveryTargetHasAScraper() {
    String jobId = createJob("node").job().jobId();
    String first = createTarget(jobId, CONFIGURED.hostId(), 9100).id();
    String second = createTarget(jobId, CONFIGURED.hostId(), 9101).id();
    signals.clear();

    kit.restart();

    assertThat(signals)
        .containsExactlyInAnyOrder(
            new ScrapeCatalog.ScraperSignal(first, new TargetScraper.Ensure(spec(first))),
            new ScrapeCatalog.ScraperSignal(second, new TargetScraper.Ensure(spec(second))));
  }
}
