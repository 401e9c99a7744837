package io.meridian.node.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The messages a catalog sends to a scraper on another node round-trip through jackson-cbor. */
class TargetScraperSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void ensureAndStopRoundTrip() {
    Serialization serialization = SerializationExtension.get(testKit.system());
    for (Object message :
        List.of(
            new TargetScraper.Ensure(),
            new TargetScraper.Ensure(
                new ScrapeSpec("p", "t", "j", "node", "http://h:1/metrics", "h:1", 15, 10)),
            new TargetScraper.Stop())) {
      Serializer serializer = serialization.findSerializerFor(message);
      assertThat(serializer.getClass().getSimpleName()).contains("Jackson");
      byte[] bytes = serialization.serialize(message).get();
      String manifest = Serializers.manifestFor(serializer, message);

      assertThat(serialization.deserialize(bytes, serializer.identifier(), manifest).get())
          .isEqualTo(message);
    }
  }
}
