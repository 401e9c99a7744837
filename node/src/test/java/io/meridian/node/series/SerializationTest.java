package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.TagFilter;
import io.meridian.protocol.promql.LabelMatcher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every message, event and state of the series group round-trips through jackson-cbor. */
class SerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static final SeriesSamples SAMPLES =
      new SeriesSamples(
          SeriesKey.of("default", "sys.cpu.user", Map.of("host", "web01", "dc", "lga")),
          new long[] {1000, 2000},
          new double[] {1.5, -2});

  @Test
  void commandsRepliesEventsAndStateRoundTrip() {
    TestProbe<SeriesGroup.Appended> appended = testKit.createTestProbe();
    TestProbe<SeriesGroup.Selected> selected = testKit.createTestProbe();
    TestProbe<SeriesGroup.Names> names = testKit.createTestProbe();
    TestProbe<SeriesGroup.Keys> keys = testKit.createTestProbe();
    TestProbe<SeriesGroup.LastSamples> lastSamples = testKit.createTestProbe();
    TestProbe<SeriesGroup.Matched> matched = testKit.createTestProbe();
    var state = new GroupState();
    var series = state.create(0, SAMPLES.key());
    GroupState.append(series, 1000, 1.5, 7_200_000, 0);
    GroupState.append(series, 7_201_000, 2, 7_200_000, 0);
    GroupState.append(series, 500, 3, 7_200_000, 0);
    state.seal(series, 1, 7_200_000);
    var other = state.create(1, SeriesKey.of("default", "up", Map.of()));
    GroupState.append(other, 1000, 1, 7_200_000, 0);

    for (Object message :
        List.of(
            new SeriesGroup.Append(List.of(SAMPLES), appended.getRef()),
            new SeriesGroup.Appended(2),
            new SeriesGroup.Appended(
                1, List.of(new SeriesGroup.Rejection(1, 3, "older than the retention"))),
            new SeriesGroup.Select(
                "sys.cpu.user",
                List.of(new TagFilter("host", "wildcard", "web*", true)),
                true,
                0,
                5000,
                selected.getRef()),
            new SeriesGroup.Selected(true, List.of(SAMPLES), new long[] {7}, 1000, 2000),
            new SeriesGroup.SamplesWritten(
                List.of(new SeriesGroup.NewSeries(3, SAMPLES.key())),
                new long[] {3, 1},
                new int[] {2, 1},
                new long[] {1000, 2000, 1000},
                new double[] {1.5, -2, 0},
                1_764_000_000_123L),
            new SeriesGroup.ChunksSealed(List.of(new SeriesGroup.SealedWindow(3, 236_000))),
            new SeriesGroup.PartsSealed(new long[] {3, 9}, 1),
            new SeriesGroup.ChunksStored(new long[] {1, 2}),
            new SeriesGroup.SeriesExpired(new long[] {3}),
            SeriesGroup.SealTick.INSTANCE,
            new SeriesGroup.ChunksWritten(new long[] {4}, null),
            new SeriesGroup.ChunksWritten(new long[] {4}, "timeout"),
            new SeriesGroup.GroupStats(3, 2, 4096, 1),
            new SeriesGroup.Suggest(SeriesGroup.NameKind.TAGK, "ho", 5, names.getRef()),
            new SeriesGroup.Names(List.of("a", "b")),
            new SeriesGroup.Lookup(
                null,
                List.of(new SeriesGroup.TagPair("host", null), new SeriesGroup.TagPair(null, "x")),
                25,
                keys.getRef()),
            new SeriesGroup.Keys(List.of(SAMPLES.key())),
            new SeriesGroup.Last("sys.cpu.user", List.of(), 0, lastSamples.getRef()),
            new SeriesGroup.LastSamples(List.of(SAMPLES), new long[] {-1}, new long[] {0}),
            new SeriesGroup.SelectMatching(
                SeriesGroup.Matcher.of(
                    List.of(
                        LabelMatcher.equal("__name__", "up"),
                        LabelMatcher.of(LabelMatcher.Type.NOT_REGEX, "job", "a|b"))),
                0,
                5000,
                true,
                matched.getRef()),
            new SeriesGroup.Matched(List.of(SAMPLES), new long[] {-1}, -1, -1),
            state.toSnapshot())) {
      // Records with arrays compare by reference: compare the serialized forms instead.
      assertThat(serialize(roundTrip(message)))
          .as(message.getClass().getSimpleName())
          .isEqualTo(serialize(message));
    }
    var restored = GroupState.fromSnapshot((GroupSnapshot) roundTrip(state.toSnapshot()));
    assertThat(GroupState.read(restored.get(SAMPLES.key()), 0, Long.MAX_VALUE).timestamps())
        .containsExactly(500, 1000, 7_201_000);
    assertThat(restored.pendingOwners()).hasSize(1);
    assertThat(restored.nextChunkSeq()).isEqualTo(1);
    assertThat(restored.nextSeriesId()).isEqualTo(2);
  }

  /**
   * Prometheus marks a series stale with one NaN bit pattern (0x7ff0000000000002) that the PromQL
   * engine must tell apart from an ordinary NaN, so the journal's CBOR must keep NaN payloads.
   */
  @Test
  void nanPayloadsSurviveTheJournalsSerialization() {
    double staleNaN = Double.longBitsToDouble(0x7ff0000000000002L);
    double plainNaN = Double.longBitsToDouble(0x7ff8000000000001L);
    var event =
        new SeriesGroup.SamplesWritten(
            List.of(),
            new long[] {0},
            new int[] {3},
            new long[] {1, 2, 3},
            new double[] {staleNaN, plainNaN, 1},
            0);

    var back = (SeriesGroup.SamplesWritten) roundTrip(event);

    double[] values = back.values();
    assertThat(Double.doubleToRawLongBits(values[0])).isEqualTo(0x7ff0000000000002L);
    assertThat(Double.doubleToRawLongBits(values[1])).isEqualTo(0x7ff8000000000001L);
    assertThat(values[2]).isEqualTo(1);
  }

  private static byte[] serialize(Object message) {
    return SerializationExtension.get(testKit.system()).serialize(message).get();
  }

  private static Object roundTrip(Object message) {
    Serialization serialization = SerializationExtension.get(testKit.system());
    var serializer = serialization.findSerializerFor(message);
    assertThat(serializer.getClass().getSimpleName()).contains("Jackson");
    byte[] bytes = serialization.serialize(message).get();
    String manifest = Serializers.manifestFor(serializer, message);
    return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
  }

  /** A snapshot of the earlier form, a CBOR object per series, still reads. */
  @Test
  void groupSnapshotsOfTheEarlierFormStillRead() throws Exception {
    var state = new GroupState();
    var series = state.create(4, SAMPLES.key());
    GroupState.append(series, 1000, 1.5, 7_200_000, 0);
    GroupState.append(series, 500, 3, 7_200_000, 0);
    GroupSnapshot snapshot = state.toSnapshot();
    Map<String, Object> earlier = new LinkedHashMap<>();
    earlier.put("nextSeriesId", snapshot.nextSeriesId());
    earlier.put("nextChunkSeq", snapshot.nextChunkSeq());
    earlier.put("series", snapshot.series());
    byte[] earlierBytes =
        JacksonObjectMapperProvider.get(testKit.system())
            .getOrCreate("jackson-cbor", Optional.empty())
            .writeValueAsBytes(earlier);
    Serialization serialization = SerializationExtension.get(testKit.system());
    var serializer = serialization.findSerializerFor(snapshot);

    var read =
        (GroupSnapshot)
            serialization
                .deserialize(
                    earlierBytes,
                    serializer.identifier(),
                    Serializers.manifestFor(serializer, snapshot))
                .get();

    assertThat(read.nextSeriesId()).isEqualTo(5);
    var restored = GroupState.fromSnapshot(read);
    assertThat(GroupState.read(restored.get(SAMPLES.key()), 0, Long.MAX_VALUE).timestamps())
        .containsExactly(500, 1000);
    assertThat(serialize(snapshot).length).isLessThan(earlierBytes.length);
  }

  /** The samples travel as one compact byte string, and events of the earlier form still read. */
  @Test
  void samplesWrittenIsCompactAndReadsTheEarlierForm() throws Exception {
    int n = 2000;
    long[] ids = new long[n];
    int[] counts = new int[n];
    long[] timestamps = new long[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 5 * i;
      counts[i] = 1;
      timestamps[i] = 1_764_000_000_000L + (i % 7);
      values[i] = i % 3 == 0 ? 123_456_789 + i : i % 3 == 1 ? 0.25 * i : Math.PI * i;
    }
    var event =
        new SeriesGroup.SamplesWritten(
            List.of(), ids, counts, timestamps, values, 1_764_000_000_123L);
    byte[] bytes = serialize(event);
    // Four CBOR arrays took about 22 bytes a sample; a third of these values are 9 raw bytes.
    assertThat(bytes.length).isLessThan(n * 10);
    var back = (SeriesGroup.SamplesWritten) roundTrip(event);
    assertThat(back.at()).isEqualTo(1_764_000_000_123L);
    assertThat(back.ids()).isEqualTo(ids);
    assertThat(back.counts()).isEqualTo(counts);
    assertThat(back.timestamps()).isEqualTo(timestamps);
    assertThat(back.values()).isEqualTo(values);

    Map<String, Object> earlier = new LinkedHashMap<>();
    earlier.put("created", List.of(Map.of("id", 3, "key", Map.of("tenant", "t", "metric", "m"))));
    earlier.put("ids", new long[] {3});
    earlier.put("counts", new int[] {2});
    earlier.put("timestamps", new long[] {1000, 2000});
    earlier.put("values", new double[] {1.5, -2});
    byte[] earlierBytes =
        JacksonObjectMapperProvider.get(testKit.system())
            .getOrCreate("jackson-cbor", Optional.empty())
            .writeValueAsBytes(earlier);
    Serialization serialization = SerializationExtension.get(testKit.system());
    var serializer = serialization.findSerializerFor(event);
    var read =
        (SeriesGroup.SamplesWritten)
            serialization
                .deserialize(
                    earlierBytes,
                    serializer.identifier(),
                    Serializers.manifestFor(serializer, event))
                .get();
    assertThat(read.created())
        .containsExactly(new SeriesGroup.NewSeries(3, SeriesKey.of("t", "m", Map.of())));
    assertThat(read.ids()).containsExactly(3);
    assertThat(read.counts()).containsExactly(2);
    assertThat(read.timestamps()).containsExactly(1000, 2000);
    assertThat(read.values()).containsExactly(1.5, -2);
    assertThat(read.at()).isZero();
  }
}
