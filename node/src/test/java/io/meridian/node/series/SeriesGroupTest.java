package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.TagFilter;
import io.meridian.protocol.promql.LabelMatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SeriesGroupTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  private static final SeriesSettings SETTINGS = new SeriesSettings(4, Duration.ofSeconds(3), 2);

  private static final long HOUR = 3_600_000L;

  /**
   * 2 h windows sealed 10 min after they end; the timer is slow so that only the ticks a test sends
   * seal anything.
   */
  private static final StorageSettings STORAGE =
      new StorageSettings(
          Duration.ofHours(2),
          Duration.ofMinutes(10),
          Duration.ofHours(1),
          4096,
          4096,
          Duration.ZERO,
          Map.of(),
          0,
          Map.of(),
          1_000_000,
          50_000_000,
          "memory");

  /** A clock the tests move; starts at 1970-01-01T00:00Z. */
  private static final class TestClock extends Clock {
    private volatile long millis;

    void set(long ms) {
      millis = ms;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private final TestClock clock = new TestClock();
  private final InMemoryChunkStore chunks = new InMemoryChunkStore();
  private EventSourcedBehaviorTestKit<SeriesGroup.Command, SeriesGroup.Event, GroupState> kit =
      kit(STORAGE);

  private EventSourcedBehaviorTestKit<SeriesGroup.Command, SeriesGroup.Event, GroupState> kit(
      StorageSettings storage) {
    return EventSourcedBehaviorTestKit.create(
        testKit.system(),
        SeriesGroup.create("default-0", SETTINGS, storage, chunks, clock),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    kit.clear();
  }

  private static SeriesKey key(String metric, String host) {
    return SeriesKey.of("default", metric, Map.of("host", host));
  }

  private static SeriesSamples samples(SeriesKey key, long[] ts, double[] values) {
    return new SeriesSamples(key, ts, values);
  }

  private SeriesGroup.Appended append(SeriesSamples... batch) {
    return kit.<SeriesGroup.Appended>runCommand(
            replyTo -> new SeriesGroup.Append(List.of(batch), replyTo))
        .reply();
  }

  @Test
  void appendPersistsOneEventWithNewSeriesDefinedOnceAndAcknowledgesAfterwards() {
    var cpu01 = key("sys.cpu.user", "web01");
    var cpu02 = key("sys.cpu.user", "web02");
    var result =
        kit.<SeriesGroup.Appended>runCommand(
            replyTo ->
                new SeriesGroup.Append(
                    List.of(
                        samples(cpu01, new long[] {2000, 1000}, new double[] {2, 1}),
                        samples(cpu02, new long[] {1000}, new double[] {5})),
                    replyTo));

    assertThat(result.reply()).isEqualTo(new SeriesGroup.Appended(3));
    var event = (SeriesGroup.SamplesWritten) result.event();
    assertThat(event.created())
        .extracting(SeriesGroup.NewSeries::key)
        .containsExactly(cpu01, cpu02);
    assertThat(event.counts()).containsExactly(2, 1);
    assertThat(event.timestamps()).containsExactly(1000, 2000, 1000);
    assertThat(event.values()).containsExactly(1, 2, 5);

    var second =
        kit.<SeriesGroup.Appended>runCommand(
            replyTo ->
                new SeriesGroup.Append(
                    List.of(samples(cpu01, new long[] {3000}, new double[] {3})), replyTo));
    var again = (SeriesGroup.SamplesWritten) second.event();
    assertThat(again.created()).isEmpty();
    assertThat(again.ids()).containsExactly(event.ids()[0]);
  }

  @Test
  void laterWriteOfTheSameTimestampWins() {
    var cpu = key("sys.cpu.user", "web01");
    append(samples(cpu, new long[] {1000, 1000}, new double[] {1, 2}));
    append(samples(cpu, new long[] {1000, 3000}, new double[] {7, 3}));

    var selected = select("sys.cpu.user", List.of(), 0, Long.MAX_VALUE);

    assertThat(selected.series()).hasSize(1);
    assertThat(selected.series().get(0).timestamps()).containsExactly(1000, 3000);
    assertThat(selected.series().get(0).values()).containsExactly(7, 3);
  }

  @Test
  void outOfOrderSamplesAreAcceptedAndIdenticalRepeatsCostNothing() {
    var cpu = key("sys.cpu.user", "web01");
    append(samples(cpu, new long[] {1000, 5000}, new double[] {1, 5}));
    append(samples(cpu, new long[] {3000}, new double[] {3}));
    append(samples(cpu, new long[] {5000}, new double[] {5}));

    var series = kit.getState().get(cpu);
    assertThat(series.late).containsOnlyKeys(3000L);
    assertThat(series.open.count()).isEqualTo(2);
    var selected = select("sys.cpu.user", List.of(), 0, Long.MAX_VALUE).series().get(0);
    assertThat(selected.timestamps()).containsExactly(1000, 3000, 5000);
    assertThat(selected.values()).containsExactly(1, 3, 5);
  }

  @Test
  void selectFiltersByMetricTagsAndTimeRange() {
    append(
        samples(key("a", "web01"), new long[] {1000, 2000, 3000}, new double[] {1, 2, 3}),
        samples(key("a", "web02"), new long[] {1000}, new double[] {9}),
        samples(key("b", "web01"), new long[] {1000}, new double[] {4}));

    var selected =
        select("a", List.of(new TagFilter("host", "literal_or", "web01", true)), 1500, 3000);

    assertThat(selected.metricKnown()).isTrue();
    assertThat(selected.series()).hasSize(1);
    assertThat(selected.series().get(0).key()).isEqualTo(key("a", "web01"));
    assertThat(selected.series().get(0).timestamps()).containsExactly(2000, 3000);
    assertThat(selected.storedIds()).containsExactly(-1);
    assertThat(select("c", List.of(), 0, Long.MAX_VALUE).metricKnown()).isFalse();
  }

  @Test
  void selectMatchingAppliesPromQlMatchersToMetricAndTags() {
    append(
        samples(key("a", "web01"), new long[] {1000, 2000}, new double[] {1, 2}),
        samples(key("a", "db01"), new long[] {1000}, new double[] {9}),
        samples(SeriesKey.of("default", "a", Map.of()), new long[] {1000}, new double[] {7}),
        samples(key("b", "web01"), new long[] {5000}, new double[] {4}));

    var web =
        matching(
            List.of(
                LabelMatcher.equal("__name__", "a"),
                LabelMatcher.of(LabelMatcher.Type.REGEX, "host", "web.*")),
            1500,
            3000,
            false);
    var withoutHost = matching(List.of(LabelMatcher.equal("host", "")), 0, 9000, false);
    var notDb =
        matching(
            List.of(LabelMatcher.of(LabelMatcher.Type.NOT_EQUAL, "host", "db01")), 0, 3000, true);

    assertThat(web.series()).hasSize(1);
    assertThat(web.series().get(0).key()).isEqualTo(key("a", "web01"));
    assertThat(web.series().get(0).timestamps()).containsExactly(2000);
    assertThat(withoutHost.series())
        .extracting(SeriesSamples::key)
        .containsExactly(SeriesKey.of("default", "a", Map.of()));
    // b{host=web01} has no sample before 3000, so it is left out; keys come without samples.
    assertThat(notDb.series())
        .extracting(SeriesSamples::key)
        .containsExactlyInAnyOrder(key("a", "web01"), SeriesKey.of("default", "a", Map.of()));
    assertThat(notDb.series()).allSatisfy(series -> assertThat(series.size()).isZero());
  }

  private SeriesGroup.Matched matching(
      List<LabelMatcher> matchers, long from, long to, boolean keysOnly) {
    return kit.<SeriesGroup.Matched>runCommand(
            replyTo ->
                new SeriesGroup.SelectMatching(
                    SeriesGroup.Matcher.of(matchers), from, to, keysOnly, replyTo))
        .reply();
  }

  @Test
  void stateSurvivesRecoveryFromEventsAndSnapshots() {
    var cpu = key("sys.cpu.user", "web01");
    for (int i = 0; i < 5; i++) {
      append(samples(cpu, new long[] {1000L * (i + 1)}, new double[] {i}));
    }
    append(samples(cpu, new long[] {1500}, new double[] {15}));

    var restarted = kit.restart();

    var series = restarted.state().get(cpu);
    assertThat(GroupState.read(series, 0, Long.MAX_VALUE).timestamps())
        .containsExactly(1000, 1500, 2000, 3000, 4000, 5000);
    assertThat(GroupState.read(series, 0, Long.MAX_VALUE).values())
        .containsExactly(0, 15, 1, 2, 3, 4);
  }

  @Test
  void snapshotsDeleteTheEventsBeforeThem() throws InterruptedException {
    var cpu = key("sys.cpu.user", "web01");
    for (int i = 0; i < 20; i++) {
      append(samples(cpu, new long[] {1000L * (i + 1)}, new double[] {i}));
    }

    // snapshot-every = 2, keeping 2 snapshots: only the last few events remain in the journal,
    // and only the last snapshots in the store.
    awaitJournal("SeriesGroup|default-0", 6);
    var snapshots = kit.snapshotTestKit().orElseThrow();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (snapshots.persistedInStorage("SeriesGroup|default-0").size() > 3
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(snapshots.persistedInStorage("SeriesGroup|default-0").size()).isBetween(1, 3);
    assertThat(GroupState.read(kit.restart().state().get(cpu), 0, Long.MAX_VALUE).size())
        .isEqualTo(20);
  }

  /**
   * Snapshots follow the journal's bytes, not only its event count: many small events go without a
   * snapshot (it would cost more than their replay), large ones bring one each time the tail holds
   * about the snapshot's size times the ratio.
   */
  @Test
  void snapshotsFollowTheJournalsBytes() {
    kit =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            SeriesGroup.create(
                "default-1",
                new SeriesSettings(4, Duration.ofSeconds(3), 1000),
                STORAGE,
                chunks,
                clock),
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
    var cpu = key("sys.cpu.user", "web01");
    for (int i = 0; i < 30; i++) {
      append(samples(cpu, new long[] {1000L * (i + 1)}, new double[] {i}));
    }
    assertThat(kit.persistenceTestKit().persistedInStorage("SeriesGroup|default-1")).hasSize(30);

    // 20,000 samples an event (~160 KB), beyond the state (which grows with them, nothing being
    // sealed): snapshots every event or two, each deleting the events before the previous one.
    for (int e = 0; e < 6; e++) {
      int n = 20_000;
      long[] ts = new long[n];
      double[] vs = new double[n];
      for (int i = 0; i < n; i++) {
        ts[i] = 100_000L + (e * n + i) * 10L;
        vs[i] = i;
      }
      append(samples(key("sys.cpu.user", "web" + (e % 2)), ts, vs));
    }
    // Deleting follows the snapshot's completion, after the reply.
    awaitJournal("SeriesGroup|default-1", 6);
    var restarted = kit.restart().state();
    assertThat(GroupState.read(restarted.get(cpu), 0, 99_999).size()).isEqualTo(30);
    assertThat(
            GroupState.read(restarted.get(key("sys.cpu.user", "web1")), 0, Long.MAX_VALUE).size())
        .isEqualTo(60_000);
  }

  @Test
  void windowsAreSealedIntoTheChunkTableAndReadBackMerged() throws Exception {
    var cpu = key("sys.cpu.user", "web01");
    // Window 0 is [0, 2h); window 1 is [2h, 4h).
    append(samples(cpu, new long[] {1000, 2000, 3000}, new double[] {1, 2, 3}));
    append(samples(cpu, new long[] {2 * HOUR + 1000}, new double[] {10}));
    append(samples(cpu, new long[] {2500}, new double[] {25}));

    clock.set(2 * HOUR + 10 * 60_000); // window 0 ended 10 min ago: due
    var sealed = kit.runCommand(SeriesGroup.SealTick.INSTANCE);
    // The in-memory chunk store answers at once, so ChunksStored may follow in the same result.
    assertThat(sealed.events())
        .first()
        .isEqualTo(
            new SeriesGroup.ChunksSealed(
                List.of(new SeriesGroup.SealedWindow(kit.getState().get(cpu).id, 0))));
    awaitNoPending();

    var series = kit.getState().get(cpu);
    assertThat(series.closed).isNull();
    assertThat(series.late).isNull();
    assertThat(series.storedMinTs).isEqualTo(1000);
    assertThat(series.storedMaxTs).isEqualTo(3000);
    var stored = chunks.read("default", 0, List.of(series.id), 0, 10 * HOUR);
    assertThat(stored.toCompletableFuture().get(5, TimeUnit.SECONDS)).hasSize(1);

    // A late write into the sealed window: a new chunk with a greater seq wins over the stored.
    append(samples(cpu, new long[] {2000}, new double[] {20}));
    clock.set(4 * HOUR + 10 * 60_000);
    kit.runCommand(SeriesGroup.SealTick.INSTANCE);
    awaitNoPending();

    var selected = select("sys.cpu.user", List.of(), 0, Long.MAX_VALUE);
    assertThat(selected.series().get(0).size()).isZero();
    assertThat(selected.storedIds()).containsExactly(series.id);
    var all =
        chunks
            .read("default", 0, List.of(series.id), 0, 10 * HOUR)
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    var merged = StoredReads.merge(selected.series().get(0), all, 0, Long.MAX_VALUE);
    assertThat(merged.timestamps()).containsExactly(1000, 2000, 2500, 3000, 2 * HOUR + 1000);
    assertThat(merged.values()).containsExactly(1, 20, 25, 3, 10);
  }

  /**
   * A head keeps the newest {@code head-parts} compacted parts of its windows; the next look writes
   * older ones to the chunk table before their window ends. Reads merge them as before, a late
   * sample still wins over a part sealed before it, and a recovery under another setting replays
   * the same seals.
   */
  @Test
  void partsBeyondHeadPartsGoToTheChunkTableBeforeTheirWindowEnds() throws Exception {
    var cpu = key("sys.cpu.user", "web01");
    int n = 2 * GroupState.OPEN_PART_SAMPLES + 60; // two parts and an open chunk, within window 0
    long[] ts = new long[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = 15_000L * (i + 1);
      values[i] = 1000 + 0.25 * i;
    }
    append(samples(cpu, ts, values));
    long id = kit.getState().get(cpu).id;
    assertThat(kit.getState().get(cpu).closed).hasSize(2);

    clock.set(ts[n - 1] + 1000); // window 0 is far from due
    var sealed = kit.runCommand(SeriesGroup.SealTick.INSTANCE);
    assertThat(sealed.events().get(0)).isInstanceOf(SeriesGroup.PartsSealed.class);
    assertThat(((SeriesGroup.PartsSealed) sealed.events().get(0)).ids()).containsExactly(id);
    assertThat(((SeriesGroup.PartsSealed) sealed.events().get(0)).keep()).isEqualTo(1);
    awaitNoPending();
    var series = kit.getState().get(cpu);
    assertThat(series.closed).hasSize(1);
    assertThat(series.open.count()).isEqualTo(60);
    assertThat(series.storedMinTs).isEqualTo(ts[0]);
    assertThat(series.storedMaxTs).isEqualTo(ts[GroupState.OPEN_PART_SAMPLES - 1]);
    assertThat(storedChunks(id)).hasSize(1);
    // A second look finds nothing more to write.
    assertThat(kit.runCommand(SeriesGroup.SealTick.INSTANCE).events()).isEmpty();

    // A late rewrite of a sample in the written part wins over it, in the head and once sealed.
    append(samples(cpu, new long[] {ts[5]}, new double[] {-1}));
    values[5] = -1;
    assertThat(readMerged("sys.cpu.user").values()).containsExactly(values);
    assertThat(readMerged("sys.cpu.user").timestamps()).containsExactly(ts);

    // Recovery replays the seal.
    var restarted = kit.restart().state().get(cpu);
    assertThat(restarted.closed).hasSize(1);
    assertThat(restarted.pending).isNull();
    assertThat(restarted.late).containsOnlyKeys(ts[5]);
    assertThat(restarted.storedMaxTs).isEqualTo(ts[GroupState.OPEN_PART_SAMPLES - 1]);

    // The window, sealed when due, adds its other part, its open chunk and the late sample in a
    // chunk that wins.
    clock.set(2 * HOUR + 10 * 60_000);
    kit.runCommand(SeriesGroup.SealTick.INSTANCE);
    awaitNoPending();
    assertThat(kit.getState().get(cpu).hasHead()).isFalse();
    assertThat(storedChunks(id)).hasSize(2);
    assertThat(readMerged("sys.cpu.user").values()).containsExactly(values);
    assertThat(readMerged("sys.cpu.user").timestamps()).containsExactly(ts);
  }

  @Test
  void withHeadPartsZeroAHeadKeepsItsOpenChunkAlone() throws Exception {
    kit = kit(STORAGE.withHeadParts(0));
    var cpu = key("sys.cpu.user", "web01");
    int n = GroupState.OPEN_PART_SAMPLES + 10;
    long[] ts = new long[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = 15_000L * (i + 1);
      values[i] = i % 3;
    }
    append(samples(cpu, ts, values));
    clock.set(ts[n - 1] + 1000);
    var sealed = kit.runCommand(SeriesGroup.SealTick.INSTANCE);
    assertThat(((SeriesGroup.PartsSealed) sealed.events().get(0)).keep()).isZero();
    awaitNoPending();
    assertThat(kit.getState().get(cpu).closed).isNull();
    assertThat(kit.getState().get(cpu).open.count()).isEqualTo(10);
    assertThat(storedChunks(kit.getState().get(cpu).id)).hasSize(1);
    assertThat(readMerged("sys.cpu.user").values()).containsExactly(values);
  }

  private List<StoredChunk> storedChunks(long id) throws Exception {
    return chunks
        .read("default", 0, List.of(id), 0, 10 * HOUR)
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  /** The first series of {@code metric}: its head merged over its stored chunks. */
  private SeriesSamples readMerged(String metric) throws Exception {
    var selected = select(metric, List.of(), 0, Long.MAX_VALUE);
    List<StoredChunk> stored =
        selected.storedIds()[0] < 0 ? List.of() : storedChunks(selected.storedIds()[0]);
    return StoredReads.merge(selected.series().get(0), stored, 0, Long.MAX_VALUE);
  }

  /**
   * When more windows are due than one look seals (every series crossing a boundary at once), the
   * first look seals as many as it may and the group seals the rest by itself, look after look.
   */
  @Test
  void manyDueWindowsAreSealedOverSeveralLooks() throws Exception {
    int n = SeriesGroup.MAX_WINDOWS_PER_SEAL * 2 + 500;
    List<SeriesSamples> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(samples(key("sys.cpu.user", "host" + i), new long[] {1000}, new double[] {i}));
    }
    kit.<SeriesGroup.Appended>runCommand(replyTo -> new SeriesGroup.Append(batch, replyTo));

    clock.set(2 * HOUR + 10 * 60_000);
    var first = kit.runCommand(SeriesGroup.SealTick.INSTANCE);

    assertThat(((SeriesGroup.ChunksSealed) first.events().get(0)).windows())
        .hasSize(SeriesGroup.MAX_WINDOWS_PER_SEAL);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (kit.getState().series().stream().anyMatch(s -> s.open != null)
        || !kit.getState().pendingOwners().isEmpty()) {
      assertThat(System.nanoTime()).as("every window sealed and stored").isLessThan(deadline);
      Thread.sleep(10);
    }
    List<Long> ids = kit.getState().series().stream().map(s -> s.id).toList();
    assertThat(
            chunks
                .read("default", 0, ids, 0, 10 * HOUR)
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS))
        .hasSize(n);
  }

  /**
   * A window written after its time (a backfill, a collector catching up) is sealed once, after its
   * writes stop or a later window closes it, not into a small chunk at every look.
   */
  @Test
  void aPastWindowStillBeingWrittenIsSealedOnceWhenItsWritesStop() throws Exception {
    var cpu = key("sys.cpu.user", "web01");
    clock.set(3 * HOUR); // window 0 ended an hour ago
    append(samples(cpu, new long[] {1000, 2000}, new double[] {1, 2}));
    assertThat(kit.runCommand(SeriesGroup.SealTick.INSTANCE).events()).isEmpty();

    clock.set(3 * HOUR + 40_000);
    append(samples(cpu, new long[] {3000}, new double[] {3}));
    clock.set(3 * HOUR + 99_000); // 59 s without a write: still open
    assertThat(kit.runCommand(SeriesGroup.SealTick.INSTANCE).events()).isEmpty();

    clock.set(3 * HOUR + 100_000); // 1 min (seal-idle) without a write
    var sealed = kit.runCommand(SeriesGroup.SealTick.INSTANCE);
    long id = kit.getState().get(cpu).id;
    assertThat(sealed.events())
        .first()
        .isEqualTo(new SeriesGroup.ChunksSealed(List.of(new SeriesGroup.SealedWindow(id, 0))));
    awaitNoPending();
    var stored =
        chunks
            .read("default", 0, List.of(id), 0, 10 * HOUR)
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).samples()).isEqualTo(3);

    // A window closed by a sample of a later one is sealed when due, however recent its writes.
    append(samples(cpu, new long[] {4000}, new double[] {4}));
    append(samples(cpu, new long[] {2 * HOUR + 1000}, new double[] {5}));
    assertThat(kit.runCommand(SeriesGroup.SealTick.INSTANCE).events())
        .first()
        .isEqualTo(new SeriesGroup.ChunksSealed(List.of(new SeriesGroup.SealedWindow(id, 0))));
    awaitNoPending();
    assertThat(kit.getState().get(cpu).openWindow).isEqualTo(1);
    assertThat(kit.restart().state().get(cpu).openWrittenAt).isEqualTo(3 * HOUR + 100_000);
  }

  @Test
  void fullChunksAreSealedWhateverTheirWindow() {
    var small =
        new StorageSettings(
            Duration.ofHours(2),
            Duration.ofMinutes(10),
            Duration.ofHours(1),
            3,
            4096,
            Duration.ZERO,
            Map.of(),
            0,
            Map.of(),
            1_000_000,
            50_000_000,
            "memory");
    kit = kit(small);
    var cpu = key("sys.cpu.user", "web01");
    append(samples(cpu, new long[] {1000, 2000, 3000}, new double[] {1, 2, 3}));

    var sealed = kit.runCommand(SeriesGroup.SealTick.INSTANCE);

    assertThat(sealed.events()).first().isInstanceOf(SeriesGroup.ChunksSealed.class);
    awaitNoPending();
    assertThat(kit.getState().get(cpu).hasHead()).isFalse();
  }

  @Test
  void samplesOlderThanRetentionAreRefusedAndExpiredSeriesForgotten() {
    kit = kit(STORAGE.withRetention(Duration.ofDays(1)));
    clock.set(10 * 24 * HOUR);
    var cpu = key("sys.cpu.user", "web01");
    long old = 8 * 24 * HOUR;
    long recent = 10 * 24 * HOUR - HOUR;

    var appended =
        append(
            samples(cpu, new long[] {old, recent}, new double[] {1, 2}),
            samples(key("sys.cpu.user", "web02"), new long[] {old}, new double[] {3}));

    assertThat(appended.samples()).isEqualTo(1);
    assertThat(appended.rejections()).hasSize(2);
    assertThat(appended.rejections().get(0).index()).isZero();
    assertThat(appended.rejections().get(0).samples()).isEqualTo(1);
    assertThat(appended.rejections().get(0).reason()).contains("retention");
    assertThat(appended.rejections().get(1).index()).isEqualTo(1);
    assertThat(kit.getState().size()).isEqualTo(1);

    // Two days on, the series' last sample is past retention: sealed, stored, then forgotten.
    clock.set(12 * 24 * HOUR);
    kit.runCommand(SeriesGroup.SealTick.INSTANCE);
    awaitNoPending();
    var expired = kit.runCommand(SeriesGroup.SealTick.INSTANCE);
    assertThat(expired.events()).hasSize(1).first().isInstanceOf(SeriesGroup.SeriesExpired.class);
    assertThat(kit.getState().size()).isZero();
  }

  @Test
  void newSeriesBeyondTheProjectsShareOfTheSeriesLimitAreRefused() {
    // A limit of 8 over 4 groups: this group holds at most ceil(8 * 1.1 / 4) = 3 series.
    kit = kit(STORAGE.withSeriesLimit(8));
    append(
        samples(key("m", "a"), new long[] {1}, new double[] {1}),
        samples(key("m", "b"), new long[] {1}, new double[] {1}),
        samples(key("m", "c"), new long[] {1}, new double[] {1}));

    var refused =
        append(
            samples(key("m", "d"), new long[] {2, 3}, new double[] {1, 1}),
            samples(key("m", "a"), new long[] {2}, new double[] {2}));

    assertThat(refused.samples()).isEqualTo(1);
    assertThat(refused.rejections())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.index()).isZero();
              assertThat(r.samples()).isEqualTo(2);
              assertThat(r.reason()).contains("series limit", "'default'", "8");
            });
    assertThat(kit.getState().size()).isEqualTo(3);
  }

  @Test
  void suggestLookupLastAndStatsAnswerFromTheGroup() {
    append(
        samples(key("sys.cpu", "web01"), new long[] {1000, 2000}, new double[] {1, 2}),
        samples(key("sys.mem", "web02"), new long[] {1000}, new double[] {9}),
        samples(key("app.req", "db01"), new long[] {5000}, new double[] {4}));
    append(samples(key("sys.cpu", "web01"), new long[] {1500}, new double[] {7}));

    var metrics =
        kit.<SeriesGroup.Names>runCommand(
                replyTo ->
                    new SeriesGroup.Suggest(SeriesGroup.NameKind.METRICS, "sys", 25, replyTo))
            .reply();
    var tagValues =
        kit.<SeriesGroup.Names>runCommand(
                replyTo -> new SeriesGroup.Suggest(SeriesGroup.NameKind.TAGV, "", 2, replyTo))
            .reply();
    var webSeries =
        kit.<SeriesGroup.Keys>runCommand(
                replyTo ->
                    new SeriesGroup.Lookup(
                        null, List.of(new SeriesGroup.TagPair("host", null)), 10, replyTo))
            .reply();
    var last =
        kit.<SeriesGroup.LastSamples>runCommand(
                replyTo -> new SeriesGroup.Last("sys.cpu", List.of(), 0, replyTo))
            .reply();
    var stats = kit.<SeriesGroup.GroupStats>runCommand(SeriesGroup.Stats::new).reply();

    assertThat(metrics.names()).containsExactly("sys.cpu", "sys.mem");
    assertThat(tagValues.names()).containsExactly("db01", "web01");
    assertThat(webSeries.keys()).hasSize(3);
    assertThat(last.series()).hasSize(1);
    assertThat(last.series().get(0).timestamps()).containsExactly(2000);
    assertThat(last.series().get(0).values()).containsExactly(2);
    assertThat(last.storedIds()).containsExactly(-1);
    assertThat(stats.series()).isEqualTo(3);
    assertThat(stats.activeSeries()).isEqualTo(3);
    assertThat(stats.headBytes()).isPositive();
  }

  private void awaitJournal(String persistenceId, int atMost) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (kit.persistenceTestKit().persistedInStorage(persistenceId).size() > atMost) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the journal kept "
                + kit.persistenceTestKit().persistedInStorage(persistenceId).size()
                + " events, expected at most "
                + atMost);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private void awaitNoPending() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!kit.getState().pendingOwners().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("pending chunks were not stored");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private SeriesGroup.Selected select(String metric, List<TagFilter> filters, long from, long to) {
    return kit.<SeriesGroup.Selected>runCommand(
            replyTo -> new SeriesGroup.Select(metric, filters, false, from, to, replyTo))
        .reply();
  }
}
