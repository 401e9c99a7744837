package io.meridian.http.telnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.meridian.http.HttpServer;
import io.meridian.http.HttpSettings;
import io.meridian.http.testing.InMemoryLogService;
import io.meridian.http.testing.LineClient;
import io.meridian.node.MeridianNode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared port's binding terminates like Pekko HTTP's own: it unbinds, lets open connections
 * finish what they were given and closes them, well before the hard deadline.
 */
class SharedPortTerminationTest {

  private ActorTestKit testKit;
  private ServerBinding binding;

  @BeforeEach
  void start() throws Exception {
    Config config =
        ConfigFactory.parseString(
                "pekko.remote.artery.canonical.port = 0\n"
                    + "meridian.http.port = 0\n"
                    + "meridian.series.groups = 4\n")
            .withFallback(PersistenceTestKitPlugin.getInstance().config())
            .withFallback(PersistenceTestKitSnapshotPlugin.config())
            .withFallback(ConfigFactory.parseResources("cluster.conf"))
            .withFallback(ConfigFactory.load());
    testKit = ActorTestKit.create("SharedPortTerminationTest", config.resolve());
    MeridianNode node = MeridianNode.start(testKit.system());
    binding =
        HttpServer.start(
                node,
                new InMemoryLogService(),
                HttpSettings.fromConfig(testKit.system().settings().config()),
                () -> Cluster.get(testKit.system()).selfMember().status())
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void terminateClosesIdleConnectionsOfBothProtocolsAndUnbinds() throws Exception {
    String address = HttpServer.hostAndPort(binding);
    try (LineClient telnet = new LineClient(address);
        LineClient http = new LineClient(address)) {
      telnet.send("put term.a 1700000000 x host=a\n");
      assertThat(telnet.readLine()).startsWith("put: invalid value:");
      http.send("GET /api/nosuchthing HTTP/1.1\r\nHost: test\r\n\r\n");
      assertThat(http.readHttpResponse().status()).isEqualTo(404);

      long started = System.nanoTime();
      binding.terminate(Duration.ofSeconds(20)).toCompletableFuture().get(30, TimeUnit.SECONDS);

      // Both were idle, so they are closed at once rather than aborted at the deadline.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      assertThat(telnet.readUntilClosed()).isEmpty();
      assertThat(http.readUntilClosed()).isEmpty();
    }
    assertThatThrownBy(() -> new LineClient(HttpServer.hostAndPort(binding)))
        .isInstanceOf(UncheckedIOException.class);
  }
}
