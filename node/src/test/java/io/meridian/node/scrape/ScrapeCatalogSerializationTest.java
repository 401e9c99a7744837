package io.meridian.node.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.meridian.protocol.scrape.Job;
import io.meridian.protocol.scrape.ResultCode;
import io.meridian.protocol.scrape.Server;
import io.meridian.protocol.scrape.Target;
import io.meridian.protocol.scrape.TargetHealth;
import io.meridian.protocol.scrape.TargetView;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every message, event and state of the scrape catalog round-trips through jackson-cbor. */
class ScrapeCatalogSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static final Job JOB =
      new Job("j1", "p", "node", "/metrics", "", 15, 10, null, 1_700_000_000_000L);
  private static final Target TARGET = new Target("t1", "j1", "h1", 9100, "d", "m", 1L);
  private static final Server SERVER = new Server("h1", "web-1", "10.0.0.5", "p", null);
  private static final TargetHealth DOWN =
      TargetHealth.down(TargetHealth.HTTP_STATUS, "server returned HTTP status 500", 5L);
  private static final ScrapeCatalog.Refusal REFUSAL =
      new ScrapeCatalog.Refusal(ResultCode.NOT_FOUND_JOB, "no job");

  @Test
  void commandsRepliesEventsAndStateRoundTrip() {
    TestProbe<Object> probe = testKit.createTestProbe();
    var state =
        ScrapeCatalog.State.empty()
            .withJob(JOB)
            .withServer(SERVER)
            .withTarget(TARGET)
            .withHealth("t1", DOWN);
    for (Object message :
        List.of(
            new ScrapeCatalog.GetJobs(probe.getRef().narrow()),
            new ScrapeCatalog.CreateJob(
                new JobSpec("n", "/m", "", 15, 10), null, probe.getRef().narrow()),
            new ScrapeCatalog.GetJob("j1", probe.getRef().narrow()),
            new ScrapeCatalog.UpdateJob(
                "j1", new JobChange(null, "d", 30, null), "m", probe.getRef().narrow()),
            new ScrapeCatalog.DeleteJob("j1", "m", probe.getRef().narrow()),
            new ScrapeCatalog.GetTargets("j1", probe.getRef().narrow()),
            new ScrapeCatalog.CreateTarget(
                "j1", new TargetSpec("h1", 9100, ""), null, probe.getRef().narrow()),
            new ScrapeCatalog.GetTarget("j1", "t1", probe.getRef().narrow()),
            new ScrapeCatalog.DeleteTarget("j1", "t1", "m", probe.getRef().narrow()),
            new ScrapeCatalog.GetServers(probe.getRef().narrow()),
            new ScrapeCatalog.RegisterServer(
                new ServerSpec("web-2", "::1", "i"), probe.getRef().narrow()),
            new ScrapeCatalog.DeregisterServer("h1", probe.getRef().narrow()),
            new ScrapeCatalog.GetSpec("t1", probe.getRef().narrow()),
            new ScrapeCatalog.Report("t1", DOWN),
            new ScrapeCatalog.EnsureScrapers(),
            new ScrapeCatalog.JobsReply(List.of(JOB)),
            new ScrapeCatalog.JobReply(JOB, null),
            new ScrapeCatalog.JobReply(null, REFUSAL),
            new ScrapeCatalog.TargetsReply(
                List.of(new TargetView(TARGET, "web-1", "10.0.0.5", DOWN)), null),
            new ScrapeCatalog.TargetReply(new TargetView(TARGET, null, null, null), null),
            new ScrapeCatalog.IdReply("t1", null),
            new ScrapeCatalog.ServersReply(List.of(SERVER)),
            new ScrapeCatalog.ServerReply(null, REFUSAL),
            new ScrapeCatalog.SpecReply(
                new ScrapeSpec("p", "t1", "j1", "node", "http://a:1/m", "a:1", 15, 10)),
            new ScrapeCatalog.SpecReply(null),
            new ScrapeCatalog.JobCreated(JOB),
            new ScrapeCatalog.JobUpdated(JOB),
            new ScrapeCatalog.JobDeleted("j1"),
            new ScrapeCatalog.TargetCreated(TARGET),
            new ScrapeCatalog.TargetDeleted("t1"),
            new ScrapeCatalog.ServerRegistered(SERVER),
            new ScrapeCatalog.ServerDeregistered("h1"),
            new ScrapeCatalog.HealthChanged("t1", DOWN),
            state,
            ScrapeCatalog.State.empty())) {
      assertThat(roundTrip(message)).as(message.getClass().getSimpleName()).isEqualTo(message);
    }
  }

  private static Object roundTrip(Object message) {
    Serialization serialization = SerializationExtension.get(testKit.system());
    var serializer = serialization.findSerializerFor(message);
    assertThat(serializer.getClass().getSimpleName()).contains("Jackson");
    byte[] bytes = serialization.serialize(message).get();
    String manifest = Serializers.manifestFor(serializer, message);
    return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
  }
}
