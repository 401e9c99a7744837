package io.meridian.node.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every message, event and state of the annotation store round-trips through jackson-cbor. */
class AnnotationSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static final Annotation LOCAL =
      new Annotation("000001000001000001", 100, 200, "deploy", "v1", Map.of("owner", "ops"));
  private static final Annotation GLOBAL = new Annotation("", 150, 0, "outage", "", null);

  @Test
  void commandsRepliesEventsAndStateRoundTrip() {
    TestProbe<AnnotationStore.Found> found = testKit.createTestProbe();
    TestProbe<AnnotationStore.Upserted> upserted = testKit.createTestProbe();
    TestProbe<AnnotationStore.Removed> removed = testKit.createTestProbe();
    TestProbe<AnnotationStore.InRange> inRange = testKit.createTestProbe();
    var state =
        AnnotationStore.State.empty()
            .withStored(List.of(LOCAL, GLOBAL))
            .withRemoved(List.of(GLOBAL.key()))
            .withStored(List.of(GLOBAL));

    for (Object message :
        List.of(
            new AnnotationStore.Get(LOCAL.key(), found.getRef()),
            new AnnotationStore.Found(LOCAL),
            new AnnotationStore.Found(null),
            new AnnotationStore.Upsert(
                List.of(
                    new AnnotationChange("", 1, 0, null, "n", null),
                    new AnnotationChange("000001000001000001", 2, 3, "d", null, Map.of("k", "v"))),
                true,
                upserted.getRef()),
            new AnnotationStore.Upserted(List.of(LOCAL, GLOBAL), null),
            new AnnotationStore.Upserted(List.of(), "limit"),
            new AnnotationStore.Delete(GLOBAL.key(), removed.getRef()),
            new AnnotationStore.DeleteRange(
                List.of("000001000001000001"), true, 0, 5000, removed.getRef()),
            new AnnotationStore.Removed(3),
            new AnnotationStore.Query(0, 5000, List.of("000001"), true, inRange.getRef()),
            new AnnotationStore.InRange(List.of(LOCAL), List.of(GLOBAL), 4),
            new AnnotationStore.AnnotationsStored(List.of(LOCAL, GLOBAL)),
            new AnnotationStore.AnnotationsRemoved(List.of(LOCAL.key(), GLOBAL.key())),
            state)) {
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
