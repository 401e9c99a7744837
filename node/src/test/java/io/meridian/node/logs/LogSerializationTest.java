package io.meridian.node.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.meridian.protocol.logs.LogEntry;
import io.meridian.protocol.logs.LogFilter;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every message, event and state of the log stream and log index round-trips through CBOR. */
class LogSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static final LogEntry ENTRY =
      new LogEntry(1000, "auth", 2, "{\"timestamp\":1000,\"msg\":\"a\\nb\",\"extra\":[1]}");

  @Test
  void streamAndIndexMessagesEventsAndStatesRoundTrip() {
    TestProbe<LogStream.Appended> appended = testKit.createTestProbe();
    TestProbe<LogStream.Page> page = testKit.createTestProbe();
    TestProbe<LogStream.Deleted> deleted = testKit.createTestProbe();
    TestProbe<LogIndex.BucketsKnown> known = testKit.createTestProbe();
    TestProbe<LogIndex.Buckets> buckets = testKit.createTestProbe();
    var filter = new LogFilter(Optional.of("auth"), Optional.of(1), Optional.of("a"));

    for (Object message :
        List.of(
            new LogStream.Append(List.of(ENTRY), appended.getRef()),
            new LogStream.Appended(1),
            new LogStream.Read(
                0, 5000, new LogStream.Position(1000, 3), filter, 10, 1024, page.getRef()),
            new LogStream.Read(0, 5000, null, LogFilter.none(), 10, 1024, page.getRef()),
            new LogStream.Page(List.of(ENTRY), true, new LogStream.Position(1000, 0)),
            new LogStream.Page(List.of(), false, null),
            new LogStream.DeleteRange(0, 5000, deleted.getRef()),
            new LogStream.Deleted(1),
            new LogStream.EntriesAppended(List.of(ENTRY)),
            new LogStream.RangeDeleted(0, 5000),
            LogStream.State.empty().withAppended(List.of(ENTRY, ENTRY)),
            new LogIndex.AddBuckets(List.of(1L, 2L), known.getRef()),
            new LogIndex.BucketsKnown(2),
            new LogIndex.ListBuckets(-3, 7, buckets.getRef()),
            new LogIndex.Buckets(List.of(-3L, 1L)),
            new LogIndex.BucketsAdded(List.of(1L)),
            LogIndex.State.empty().withAdded(List.of(5L, -1L)),
            new LogWaiters.LogsAppended("default", 1000, 2000))) {
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
