package io.meridian.node.logs;

import static io.meridian.node.logs.LogStreamTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.meridian.node.MeridianNode;
import io.meridian.protocol.logs.LogEntry;
import io.meridian.protocol.logs.LogFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The log service of a one-node cluster started by {@link MeridianNode#start}, with the in-memory
 * journal: 1-second buckets and 3-entry reads, so excerpts cross buckets and page.
 */
class ClusterLogServiceTest {

  private static final ActorTestKit testKit = ActorTestKit.create("logs", config());

  private static final LogService logs = MeridianNode.start(testKit.system()).logs();

  private static Config config() {
    return ConfigFactory.parseString(
            "pekko.remote.artery.canonical.port = 0\n"
                + "meridian.logs.bucket = 1s\n"
                + "meridian.logs.read-max-entries = 3\n"
                + "meridian.logs.read-parallelism = 2\n")
        .withFallback(PersistenceTestKitPlugin.getInstance().config())
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(ConfigFactory.parseResources("cluster.conf"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  private static List<LogEntry> excerpt(String tenant, long from, long to) throws Exception {
    return get(logs.excerpt(tenant, from, to, LogFilter.none()));
  }

  @Test
  void anExcerptHoldsTheOpenClosedIntervalSortedAcrossBuckets() throws Exception {
    get(
        logs.append(
            "interval",
            List.of(
                entry(5_000, "at from"),
                entry(7_500, "b"),
                entry(5_001, "a"),
                entry(9_000, "at to"),
                entry(9_001, "after to"))));

    assertThat(excerpt("interval", 5_000, 9_000))
        .containsExactly(entry(5_001, "a"), entry(7_500, "b"), entry(9_000, "at to"));
    assertThat(excerpt("interval", 0, 5_000)).containsExactly(entry(5_000, "at from"));
    assertThat(excerpt("interval", 9_000, 9_000)).isEmpty();
    assertThat(excerpt("other tenant", 0, 10_000)).isEmpty();
  }

  @Test
  void entriesOfEqualTimestampKeepTheirArrivalOrderThroughPaging() throws Exception {
    List<LogEntry> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(entry(2_500, "m" + i));
    }
    get(logs.append("paging", batch.subList(0, 5)));
    get(logs.append("paging", batch.subList(5, 10)));

    assertThat(excerpt("paging", 2_000, 3_000)).containsExactlyElementsOf(batch);
  }

  @Test
  void theFilterSelectsServiceLevelAndText() throws Exception {
    get(
        logs.append(
            "filtered",
            List.of(
                entry(1_100, "api", 0, "debug"),
                entry(1_200, "auth", 3, "error in auth"),
                entry(2_300, "api", 4, "error in api"))));

    var found =
        get(
            logs.excerpt(
                "filtered",
                0,
                10_000,
                new LogFilter(Optional.of("api"), Optional.of(3), Optional.of("error"))));

    assertThat(found).containsExactly(entry(2_300, "api", 4, "error in api"));
  }

  @Test
  void deleteRemovesExactlyTheRange() throws Exception {
    get(
        logs.append(
            "deleting",
            List.of(
                entry(1_000, "at from"),
                entry(1_500, "inside"),
                entry(3_500, "inside too"),
                entry(4_000, "at to"),
                entry(4_001, "after"))));

    get(logs.delete("deleting", 1_000, 4_000));

    assertThat(excerpt("deleting", 0, 10_000))
        .containsExactly(entry(1_000, "at from"), entry(4_001, "after"));
  }

  @Test
  void aWaitingExcerptIsAnsweredByALaterAppend() throws Exception {
    var waiting =
        logs.awaitExcerpt("polling", 10_000, 20_000, LogFilter.none(), Duration.ofSeconds(30));
    get(logs.append("polling", List.of(entry(25_000, "outside"))));
    get(logs.append("polling", List.of(entry(15_000, "inside"))));

    assertThat(get(waiting)).containsExactly(entry(15_000, "inside"));
  }

  @Test
  void aWaitingExcerptAnswersExistingEntriesAtOnce() throws Exception {
    get(logs.append("existing", List.of(entry(15_000, "there"))));

    var found =
        get(logs.awaitExcerpt("existing", 10_000, 20_000, LogFilter.none(), Duration.ofMinutes(5)));

    assertThat(found).containsExactly(entry(15_000, "there"));
  }

  @Test
  void aWaitingExcerptWithoutAppendsAnswersEmptyAtItsTimeout() throws Exception {
    var found =
        get(logs.awaitExcerpt("quiet", 10_000, 20_000, LogFilter.none(), Duration.ofMillis(300)));

    assertThat(found).isEmpty();
  }

  @Test
  void aWaitingExcerptOfAnEmptyRangeAnswersAtOnce() throws Exception {
    var found =
        get(logs.awaitExcerpt("quiet", 20_000, 20_000, LogFilter.none(), Duration.ofMinutes(5)));

    assertThat(found).isEmpty();
  }

  @Test
  void anEntryLargerThanACommandIsRefused() {
    var huge = new LogEntry(1, "api", 1, "x".repeat(300 * 1024));

    assertThat(logs.append("huge", List.of(huge)).toCompletableFuture())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void splittingKeepsOrderAndBoundsEachCommand() {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      entries.add(entry(i, "x".repeat(100)));
    }

    var commands = ClusterLogService.commands(entries, 2048);

    assertThat(commands).hasSizeGreaterThan(1);
    assertThat(commands.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(entries);
    for (List<LogEntry> command : commands) {
      assertThat(command.stream().mapToLong(LogStream.State::bytes).sum())
          .isLessThanOrEqualTo(2048);
    }
  }
}
