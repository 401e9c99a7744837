package io.meridian.ops.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import io.meridian.node.series.CassandraChunkStore;
import io.meridian.node.series.StoredChunk;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Cql;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link CassandraChunkStore} on a real Cassandra: the table it creates holds what it writes, and
 * reads find exactly the chunks overlapping a range, over days, id slices and pages.
 */
@ExtendWith(CassandraExtension.class)
class ChunkStoreOnCassandraTest {

  private static final long DAY = StoredChunk.DAY_MS;
  private static final long HOUR = 3_600_000L;
  private static final long DAY0 = StoredChunk.dayOf(1_700_000_000_000L) * DAY;

  /** So small that every read below needs several pages. */
  private static final int PAGE_SIZE = 7;

  private static final String KEYSPACE = "cs_" + UUID.randomUUID().toString().replace("-", "");

  private static ChunkStoreSystem system;
  private static CassandraChunkStore store;
  private static CqlSession cql;

  @BeforeAll
  static void start() {
    system = ChunkStoreSystem.start(CassandraExtension.server(), KEYSPACE);
    store = new CassandraChunkStore(system.system(), KEYSPACE, true, PAGE_SIZE);
    cql = Cql.connect(CassandraExtension.server());
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
    if (cql != null) {
      Cql.dropKeyspaces(cql, KEYSPACE);
      cql.close();
    }
  }

  private static StoredChunk chunk(
      String tenant, int group, long seriesId, long startMs, long endMs, long seq) {
    byte[] data = ByteBuffer.allocate(24).putLong(seriesId).putLong(startMs).putLong(seq).array();
    return new StoredChunk(
        tenant,
        group,
        StoredChunk.dayOf(startMs),
        seriesId,
        startMs,
        endMs,
        seq,
        (int) (endMs - startMs) / 1000,
        data);
  }

  private static void write(List<StoredChunk> chunks, int ttlSeconds) {
    store.write(chunks, ttlSeconds).toCompletableFuture().join();
  }

  private static List<StoredChunk> read(
      String tenant, int group, Collection<Long> ids, long fromMs, long toMs) {
    return store.read(tenant, group, ids, fromMs, toMs).toCompletableFuture().join();
  }

  /** What a read must return: the chunks of the ids overlapping [fromMs, toMs]. */
  private static List<StoredChunk> overlapping(
      List<StoredChunk> chunks, Collection<Long> ids, long fromMs, long toMs) {
    return chunks.stream()
        .filter(c -> ids.contains(c.seriesId()) && c.endMs() >= fromMs && c.startMs() <= toMs)
        .toList();
  }

  @Test
  void readsTheChunksOverlappingTheRangeOfSeveralSeriesOverThreeDays() {
    // Five series, each with four six-hour chunks a day on three days, in group 3.
    List<StoredChunk> chunks = new ArrayList<>();
    long seq = 0;
    for (long day = DAY0; day < DAY0 + 3 * DAY; day += DAY) {
      for (long start = day; start < day + DAY; start += 6 * HOUR) {
        for (long series = 1; series <= 5; series++) {
          chunks.add(chunk("days", 3, series, start, start + 6 * HOUR - 1, seq++));
        }
      }
    }
    write(chunks, 0);
    // The same series in another group and another tenant, which reads of group 3 must not see.
    write(List.of(chunk("days", 4, 2, DAY0 + HOUR, DAY0 + 2 * HOUR, 1)), 0);
    write(List.of(chunk("other", 3, 2, DAY0 + HOUR, DAY0 + 2 * HOUR, 1)), 0);

    List<Long> ids = List.of(2L, 4L, 99L);
    long fromMs = DAY0 + 8 * HOUR;
    long toMs = DAY0 + 2 * DAY + 6 * HOUR;
    List<StoredChunk> found = read("days", 3, ids, fromMs, toMs);

    assertThat(found)
        .containsExactlyInAnyOrderElementsOf(overlapping(chunks, ids, fromMs, toMs))
        .hasSize(2 * (3 + 4 + 2));
    // Starts before fromMs but ends after it.
    assertThat(found)
        .anyMatch(c -> c.seriesId() == 2 && c.startMs() == DAY0 + 6 * HOUR)
        // Ends before fromMs, on the same day.
        .noneMatch(c -> c.startMs() == DAY0)
        // Starts at toMs exactly, and after it.
        .anyMatch(c -> c.startMs() == toMs)
        .noneMatch(c -> c.startMs() > toMs);

    // One instant inside a chunk finds that chunk only: series 5's second chunk of the second day.
    assertThat(read("days", 3, List.of(5L), DAY0 + DAY + 7 * HOUR, DAY0 + DAY + 7 * HOUR))
        .containsExactly(chunks.get(20 + 5 + 4));
    assertThat(read("days", 3, List.of(), DAY0, DAY0 + 3 * DAY)).isEmpty();
    assertThat(read("days", 3, ids, toMs, fromMs)).isEmpty();
    assertThat(read("days", 3, ids, DAY0 + 5 * DAY, DAY0 + 6 * DAY)).isEmpty();
  }

  @Test
  void writingTheSameKeyAgainReplacesTheChunk() {
    StoredChunk first = chunk("replace", 1, 7, DAY0 + HOUR, DAY0 + 2 * HOUR, 5);
    StoredChunk again =
        new StoredChunk(
            "replace", 1, first.day(), 7, first.startMs(), DAY0 + 3 * HOUR, 5, 99, new byte[] {1});
    write(List.of(first), 0);
    write(List.of(again), 0);

    assertThat(read("replace", 1, List.of(7L), DAY0, DAY0 + DAY - 1)).containsExactly(again);
  }

  @Test
  void readsMoreSeriesThanOneQueryTakes() {
    // 250 series on two days: three id slices a day.
    List<StoredChunk> chunks = new ArrayList<>();
    for (long series = 0; series < 250; series++) {
      chunks.add(chunk("many", 1, series * 3, DAY0 + HOUR, DAY0 + 2 * HOUR, series));
      chunks.add(chunk("many", 1, series * 3, DAY0 + DAY, DAY0 + DAY + HOUR, 1000 + series));
    }
    write(chunks, 0);

    List<Long> all = LongStream.range(0, 250).map(s -> s * 3).boxed().toList();
    assertThat(read("many", 1, all, DAY0, DAY0 + 2 * DAY - 1))
        .containsExactlyInAnyOrderElementsOf(chunks);
    List<Long> some = LongStream.range(0, 1000).filter(id -> id % 2 == 0).boxed().toList();
    assertThat(read("many", 1, some, DAY0, DAY0 + 2 * DAY - 1))
        .containsExactlyInAnyOrderElementsOf(overlapping(chunks, some, DAY0, DAY0 + 2 * DAY))
        .hasSize(2 * 125);
  }

  @Test
  void pagesThroughAPartitionOfManyChunks() {
    // 3 series with 200 one-minute chunks each: 600 rows of one partition, 86 pages of 7.
    List<StoredChunk> chunks = new ArrayList<>();
    for (long minute = 0; minute < 200; minute++) {
      for (long series = 1; series <= 3; series++) {
        long start = DAY0 + minute * 60_000;
        chunks.add(chunk("pages", 1, series, start, start + 59_999, minute));
      }
    }
    write(chunks, 0);

    assertThat(read("pages", 1, List.of(1L, 2L, 3L), DAY0, DAY0 + DAY - 1))
        .containsExactlyInAnyOrderElementsOf(chunks);
    List<Long> two = List.of(1L, 3L);
    long fromMs = DAY0 + 30 * 60_000 + 1;
    long toMs = DAY0 + 150 * 60_000;
    assertThat(read("pages", 1, two, fromMs, toMs))
        .containsExactlyInAnyOrderElementsOf(overlapping(chunks, two, fromMs, toMs))
        .hasSize(2 * 121);
  }

  @Test
  void writesEachChunkWithTheRequestedTtl() {
    StoredChunk expiring = chunk("ttl", 1, 1, DAY0, DAY0 + HOUR, 1);
    StoredChunk kept = chunk("ttl", 1, 2, DAY0, DAY0 + HOUR, 2);
    write(List.of(expiring), 3 * 86_400);
    write(List.of(kept), 0);

    // Cassandra counts the TTL down from the write; a few minutes leave room for a slow machine.
    assertThat(ttl(expiring)).isNotNull().isBetween(3 * 86_400 - 300, 3 * 86_400);
    assertThat(ttl(kept)).isNull();
  }

  @Test
  void withoutAutoCreateAMissingTableFailsReadsAndWrites() {
    // A keyspace without the table: the store must fail, not create it or hang.
    CassandraChunkStore noTable =
        new CassandraChunkStore(system.system(), "system_traces", false, PAGE_SIZE);
    StoredChunk chunk = chunk("none", 1, 1, DAY0, DAY0 + HOUR, 1);

    assertThatThrownBy(
            () -> noTable.read("none", 1, List.of(1L), DAY0, DAY0).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(InvalidQueryException.class);
    assertThatThrownBy(() -> noTable.write(List.of(chunk), 0).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(InvalidQueryException.class);
  }

  /** The TTL Cassandra reports for the chunk's data, or null if it has none. */
  private static Integer ttl(StoredChunk chunk) {
    Row row =
        cql.execute(
                "SELECT TTL(data) FROM "
                    + KEYSPACE
                    + ".series_chunks WHERE tenant = ? AND grp = ? AND day = ?"
                    + " AND series_id = ? AND start_ms = ? AND seq = ?",
                chunk.tenant(),
                chunk.group(),
                chunk.day(),
                chunk.seriesId(),
                chunk.startMs(),
                chunk.seq())
            .one();
    assertThat(row).as("%s", chunk).isNotNull();
    return row.isNull(0) ? null : row.getInt(0);
  }
}
