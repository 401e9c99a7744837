package io.meridian.node.uid;

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

/** Every message, event and state of the UID registry round-trips through jackson-cbor. */
class UidSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void commandsRepliesEventsAndStateRoundTrip() {
    TestProbe<UidRegistry.Uids> uids = testKit.createTestProbe();
    TestProbe<UidRegistry.MetaReply> meta = testKit.createTestProbe();
    var name = new UidRegistry.Name(UidKind.TAGV, "web01");
    var id = new UidRegistry.Id(UidKind.METRIC, 1);
    var uid = new UidRegistry.Uid(UidKind.METRIC, "sys.cpu", 1, true);
    var change = new UidMetaChange("CPU", null, "n", Map.of("owner", "ops"));
    var full =
        new UidMeta(
            UidKind.METRIC, 1, "sys.cpu", 1_700_000_000L, "CPU", "d", "n", Map.of("a", "b"));
    var state =
        UidRegistry.State.empty()
            .withAssigned(
                new UidRegistry.UidsAssigned(
                    List.of(uid, new UidRegistry.Uid(UidKind.TAGV, "web01", 1, true)), 5))
            .withMeta(full);

    for (Object message :
        List.of(
            new UidRegistry.Assign(List.of(name), uids.getRef()),
            new UidRegistry.Find(List.of(name), uids.getRef()),
            new UidRegistry.Uids(
                List.of(uid), List.of(new UidRegistry.Rejected(name, "no UIDs left"))),
            new UidRegistry.Resolve(List.of(id), uids.getRef()),
            new UidRegistry.GetMeta(id, meta.getRef()),
            new UidRegistry.UpdateMeta(id, change, true, meta.getRef()),
            new UidRegistry.UpdateMeta(
                id, new UidMetaChange(null, null, null, null), false, meta.getRef()),
            new UidRegistry.DeleteMeta(id, meta.getRef()),
            new UidRegistry.MetaReply(full),
            new UidRegistry.MetaReply(null),
            new UidRegistry.UidsAssigned(List.of(uid), 1_700_000_000L),
            new UidRegistry.MetaUpdated(full),
            new UidRegistry.MetaCleared(id),
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
