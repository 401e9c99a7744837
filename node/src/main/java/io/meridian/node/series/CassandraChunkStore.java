package io.meridian.node.series;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.typesafe.config.Config;
import io.meridian.node.AsyncLimiter;
import io.meridian.node.Prepared;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The chunk table {@value ChunkTableSchema#TABLE} in Cassandra, in the journal's keyspace and on
 * the journal's session: sealed chunks of all series groups, one partition per tenant, group and
 * UTC day. Each chunk is written with the TTL the caller gives, so that compaction drops whole
 * expired days (see {@code docs/cassandra-schema.cql}).
 *
 * <p>Writes go through the journal's write profile ({@value #WRITE_PROFILE}) and reads through its
 * read profile ({@value #READ_PROFILE}), so {@code meridian.cassandra.write-consistency} and {@code
 * read-consistency} set the chunks' consistency too. At most {@value #MAX_IN_FLIGHT} requests of
 * one {@link #write} or {@link #read} are in flight at a time, however many chunks or days it
 * covers, so one long-range query cannot flood the session's connections.
 *
 * <p>The statements are prepared at first use (after creating the table if auto-create is on), and
 * again at the next use if that failed, e.g. because a schema change timed out. A read's range
 * costs one query per day and {@value #IDS_PER_QUERY} series, so callers clip it to the retention
 * period rather than asking from the epoch.
 */
public final class CassandraChunkStore implements ChunkStore {

  /** Driver profile of the journal's writes, whose consistency chunk writes share. */
  public static final String WRITE_PROFILE = "pekko-persistence-cassandra-profile";

  /** Driver profile of the journal's reads, whose consistency chunk reads share. */
  public static final String READ_PROFILE = "meridian-read-profile";

  /** Requests of one write or read in flight at a time. */
  public static final int MAX_IN_FLIGHT = 32;

  /** Most requests of all reads and writes of this store at once (see {@link AsyncLimiter}). */
  public static final int MAX_IN_FLIGHT_IN_ALL = 128;

  private final AsyncLimiter limiter = new AsyncLimiter(MAX_IN_FLIGHT_IN_ALL);

  /**
   * Most chunks in one write request: the chunks of a partition (tenant, group, day) go to
   * Cassandra as unlogged batches, each one mutation of one partition, because Cassandra's cost is
   * mostly per request (parsing, dispatch, the native protocol) and a group seals its series'
   * windows at the same moment, thousands of chunks at once, into the same partition.
   */
  public static final int CHUNKS_PER_BATCH = 100;

  /**
   * Most chunk bytes in one batch (a larger chunk goes alone): far below the mutation limit (half
   * of {@code commitlog_segment_size}, 16 MiB by default). Single-partition batches are not subject
   * to {@code batch_size_warn_threshold}, which counts multi-partition batches only.
   */
  public static final int BATCH_BYTES = 512 * 1024;

  /** Series ids per query: a longer IN list would make one coordinator fetch too much at once. */
  public static final int IDS_PER_QUERY = 100;

  /** Rows per page of a read: some hundred kilobytes of chunks, not a whole day's partition. */
  public static final int DEFAULT_PAGE_SIZE = 1000;

  /** Creating a table on a loaded cluster can take longer than a request's usual timeout. */
  private static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(60);

  private final ActorSystem<?> system;
  private final String keyspace;
  private final boolean autoCreate;
  private final int pageSize;
  private final CassandraSession session;
  private final Prepared<Statements> statements;

  /**
   * A store on the session of the journal of {@code system}, with reads of {@value
   * #DEFAULT_PAGE_SIZE} rows a page.
   *
   * @param keyspace the journal keyspace ({@code meridian.cassandra.keyspace})
   * @param autoCreate whether to create the table if it does not exist ({@code
   *     meridian.cassandra.auto-create}); the keyspace must exist, which the journal plugin sees to
   *     when its own auto-create is on
   */
  public CassandraChunkStore(ActorSystem<?> system, String keyspace, boolean autoCreate) {
    this(system, keyspace, autoCreate, DEFAULT_PAGE_SIZE);
  }

  /** As {@link #CassandraChunkStore(ActorSystem, String, boolean)}, with reads of pageSize rows. */
  public CassandraChunkStore(
      ActorSystem<?> system, String keyspace, boolean autoCreate, int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size must be positive, not " + pageSize);
    }
    this.system = system;
    this.keyspace = keyspace;
    this.autoCreate = autoCreate;
    this.pageSize = pageSize;
    // The read journal's session is the journal's and snapshot store's (one per config path), and
    // the read journal registers it with the plugin's keyspace and table creation. Asking the
    // session registry for that path directly would register it without, if this store came
    // first, and the journal's keyspace would then never be created.
    this.session =
        PersistenceQuery.get(system)
            .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier())
            .session();
    // A failed connection stays failed, for the journal as well (advanced.reconnect-on-init makes
    // the driver keep trying instead); a failed table creation or preparation is tried again.
    this.statements = new Prepared<>(() -> session.underlying().thenCompose(this::prepare));
  }

  /**
   * A store configured by {@code meridian.cassandra.keyspace} and {@code
   * meridian.cassandra.auto-create} of {@code system}'s configuration.
   */
  public static CassandraChunkStore fromConfig(ActorSystem<?> system) {
    Config cassandra = system.settings().config().getConfig("meridian.cassandra");
    return new CassandraChunkStore(
        system, cassandra.getString("keyspace"), cassandra.getBoolean("auto-create"));
  }

  @Override
  public CompletionStage<Done> write(List<StoredChunk> chunks, int ttlSeconds) {
    try {
      ChunkTableSchema.check(chunks, ttlSeconds);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (chunks.isEmpty()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    List<List<StoredChunk>> batches = batches(chunks, CHUNKS_PER_BATCH, BATCH_BYTES);
    return statements
        .get()
        .thenCompose(
            prepared ->
                Source.from(batches)
                    .mapAsyncUnordered(
                        MAX_IN_FLIGHT,
                        batch ->
                            limiter.submit(
                                () ->
                                    prepared
                                        .session()
                                        .executeAsync(prepared.bind(batch, ttlSeconds))))
                    .runWith(Sink.ignore(), system));
  }

  /**
   * The chunks grouped by partition (tenant, group, day), in order of each partition's first chunk
   * and within it in the given order, cut into lists of at most {@code maxChunks} chunks and {@code
   * maxBytes} bytes of data (a chunk larger than that alone).
   */
  static List<List<StoredChunk>> batches(List<StoredChunk> chunks, int maxChunks, int maxBytes) {
    Map<List<Object>, List<StoredChunk>> byPartition = new LinkedHashMap<>();
    for (StoredChunk chunk : chunks) {
      byPartition
          .computeIfAbsent(
              List.of(chunk.tenant(), chunk.group(), chunk.day()), key -> new ArrayList<>())
          .add(chunk);
    }
    List<List<StoredChunk>> batches = new ArrayList<>();
    for (List<StoredChunk> partition : byPartition.values()) {
      List<StoredChunk> batch = new ArrayList<>();
      long bytes = 0;
      for (StoredChunk chunk : partition) {
        if (!batch.isEmpty()
            && (batch.size() >= maxChunks || bytes + chunk.data().length > maxBytes)) {
          batches.add(batch);
          batch = new ArrayList<>();
          bytes = 0;
        }
        batch.add(chunk);
        bytes += chunk.data().length;
      }
      batches.add(batch);
    }
    return batches;
  }

  @Override
  public CompletionStage<List<StoredChunk>> read(
      String tenant, int group, Collection<Long> seriesIds, long fromMs, long toMs) {
    if (seriesIds.isEmpty() || toMs < fromMs) {
      return CompletableFuture.completedFuture(List.of());
    }
    // Distinct and sorted, so each slice is one stretch of the partitions' clustering order.
    List<Long> ids = new ArrayList<>(new TreeSet<>(seriesIds));
    List<Query> queries = new ArrayList<>();
    // A chunk holds samples of one day only, so days before fromMs's hold none in range; a chunk of
    // fromMs's day that starts before fromMs may still end after it, hence the whole day and the
    // end filter in Query.
    for (long day = StoredChunk.dayOf(fromMs); day <= StoredChunk.dayOf(toMs); day++) {
      for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
        queries.add(
            new Query(
                tenant,
                group,
                day,
                ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY)),
                fromMs,
                toMs));
      }
    }
    return statements
        .get()
        .thenCompose(
            prepared ->
                Source.from(queries)
                    .mapAsyncUnordered(
                        MAX_IN_FLIGHT, query -> limiter.submit(() -> prepared.fetch(query)))
                    .runWith(
                        Sink.<List<StoredChunk>, List<StoredChunk>>fold(
                            new ArrayList<>(),
                            (all, found) -> {
                              all.addAll(found);
                              return all;
                            }),
                        system));
  }

  private CompletionStage<Statements> prepare(CqlSession cql) {
    CompletionStage<?> table =
        autoCreate
            ? cql.executeAsync(
                SimpleStatement.newInstance(ChunkTableSchema.createTable(keyspace))
                    .setTimeout(SCHEMA_TIMEOUT))
            : CompletableFuture.completedFuture(null);
    String qualified = keyspace + "." + ChunkTableSchema.TABLE;
    return table
        .thenCompose(
            created ->
                cql.prepareAsync(
                    "INSERT INTO "
                        + qualified
                        + " (tenant, grp, day, series_id, start_ms, seq, end_ms, samples, data)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?"))
        .thenCombine(
            // The start bound is in the key after series_id, so Cassandra applies it while
            // reading; the end bound is a plain column, so fetch() applies it (only chunks of
            // fromMs's day can end before fromMs).
            table.thenCompose(
                created ->
                    cql.prepareAsync(
                        "SELECT series_id, start_ms, seq, end_ms, samples, data FROM "
                            + qualified
                            + " WHERE tenant = ? AND grp = ? AND day = ? AND series_id IN ?"
                            + " AND start_ms <= ?")),
            (insert, select) -> new Statements(cql, insert, select, pageSize));
  }

  /** The query of one day's partition for up to {@value #IDS_PER_QUERY} series. */
  private record Query(
      String tenant, int group, long day, List<Long> seriesIds, long fromMs, long toMs) {}

  /** The session and the statements prepared on it. */
  private record Statements(
      CqlSession session, PreparedStatement insert, PreparedStatement select, int pageSize) {

    /** One chunk's insert, or an unlogged batch of one partition's inserts. */
    Statement<?> bind(List<StoredChunk> batch, int ttlSeconds) {
      if (batch.size() == 1) {
        return bind(batch.get(0), ttlSeconds);
      }
      BatchStatementBuilder builder =
          BatchStatement.builder(DefaultBatchType.UNLOGGED)
              .setExecutionProfileName(WRITE_PROFILE)
              // The same cells again, as for one chunk: safe to retry and to speculate.
              .setIdempotence(true);
      for (StoredChunk chunk : batch) {
        builder.addStatement(bind(chunk, ttlSeconds));
      }
      return builder.build();
    }

    BoundStatement bind(StoredChunk chunk, int ttlSeconds) {
      return insert
          .boundStatementBuilder()
          .setString(0, chunk.tenant())
          .setInt(1, chunk.group())
          .setLong(2, chunk.day())
          .setLong(3, chunk.seriesId())
          .setLong(4, chunk.startMs())
          .setLong(5, chunk.seq())
          .setLong(6, chunk.endMs())
          .setInt(7, chunk.samples())
          .setByteBuffer(8, ByteBuffer.wrap(chunk.data()))
          .setInt(9, ttlSeconds)
          .setExecutionProfileName(WRITE_PROFILE)
          // Writing a chunk again writes the same cells: safe to retry and to speculate.
          .setIdempotence(true)
          .build();
    }

    CompletionStage<List<StoredChunk>> fetch(Query query) {
      BoundStatement statement =
          select
              .boundStatementBuilder()
              .setString(0, query.tenant())
              .setInt(1, query.group())
              .setLong(2, query.day())
              .setList(3, query.seriesIds(), Long.class)
              .setLong(4, query.toMs())
              .setExecutionProfileName(READ_PROFILE)
              .setIdempotence(true)
              .setPageSize(pageSize)
              .build();
      List<StoredChunk> found = new ArrayList<>();
      return session.executeAsync(statement).thenCompose(page -> collect(page, query, found));
    }

    /** Adds the chunks of {@code page} and of the pages after it, one page in memory at a time. */
    private static CompletionStage<List<StoredChunk>> collect(
        AsyncResultSet page, Query query, List<StoredChunk> found) {
      for (Row row : page.currentPage()) {
        long endMs = row.getLong("end_ms");
        if (endMs < query.fromMs()) {
          continue;
        }
        ByteBuffer data = row.getByteBuffer("data");
        byte[] bytes = new byte[data == null ? 0 : data.remaining()];
        if (data != null) {
          data.duplicate().get(bytes);
        }
        found.add(
            new StoredChunk(
                query.tenant(),
                query.group(),
                query.day(),
                row.getLong("series_id"),
                row.getLong("start_ms"),
                endMs,
                row.getLong("seq"),
                row.getInt("samples"),
                bytes));
      }
      if (!page.hasMorePages()) {
        return CompletableFuture.completedFuture(found);
      }
      return page.fetchNextPage().thenCompose(next -> collect(next, query, found));
    }
  }
}
