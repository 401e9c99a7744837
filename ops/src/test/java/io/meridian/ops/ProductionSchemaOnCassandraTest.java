package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.meridian.node.series.CassandraChunkStore;
import io.meridian.node.series.StoredChunk;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.storage.ChunkStoreSystem;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Cql;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code docs/cassandra-schema.cql} is what pekko-persistence-cassandra and the chunk store need: a
 * node without auto-create works on keyspaces made from it, and they equal the ones the plugin and
 * the chunk store create themselves.
 */
@ExtendWith(CassandraExtension.class)
class ProductionSchemaOnCassandraTest {

  /** The schema file; surefire runs in the ops module directory. */
  private static final Path SCHEMA = Path.of("..", "docs", "cassandra-schema.cql");

  private static final String PUT =
      "[{\"metric\":\"schema.cpu\",\"timestamp\":1700000000,\"value\":3.25,"
          + "\"tags\":{\"host\":\"web01\"}}]";
  private static final String QUERY = "/api/query?start=1699999000&end=1700001000&m=sum:schema.cpu";

  private final CassandraServer cassandra = CassandraExtension.server();
  private final String fromFile = "sf_" + UUID.randomUUID().toString().replace("-", "");
  private final String autoCreated = "ac_" + UUID.randomUUID().toString().replace("-", "");
  private CqlSession session;
  private TestNode node;

  @BeforeEach
  void applySchemaFile() throws IOException {
    session = Cql.connect(cassandra);
    for (String statement : schemaStatements(fromFile)) {
      session.execute(statement);
    }
  }

  @AfterEach
  void cleanUp() {
    if (node != null) {
      node.close();
    }
    Cql.dropKeyspaces(session, fromFile);
    Cql.dropKeyspaces(session, autoCreated);
    session.close();
  }

  @Test
  void aNodeWithoutAutoCreatePutsAndQueriesOnTheSchemaFile() {
    node =
        TestNode.start(
            cassandra,
            fromFile,
            """
            meridian.cassandra {
              auto-create = false
              write-consistency = LOCAL_QUORUM
              read-consistency = LOCAL_QUORUM
            }
            """);
    Http http = new Http(node.url());

    var put = http.post("/api/put", PUT);
    assertThat(put.status()).as(put.body()).isEqualTo(204);
    var query = http.get(QUERY);
    assertThat(query.status()).as(query.body()).isEqualTo(200);
    assertThat(query.json().get(0).get("dps").get("1700000000").asDouble()).isEqualTo(3.25);

    // The events really are in the keyspaces from the file, which the node did not replace.
    assertThat(session.execute("SELECT persistence_id FROM " + fromFile + ".messages").all())
        .isNotEmpty();
    assertThat(replication(fromFile))
        .containsEntry("class", "org.apache.cassandra.locator.NetworkTopologyStrategy")
        .containsEntry("datacenter1", "1");

    // The chunk store's statements work on the file's chunk table.
    long start = 1_699_920_000_000L;
    StoredChunk chunk =
        new StoredChunk(
            "t", 1, StoredChunk.dayOf(start), 7, start, start + 60_000, 1, 4, new byte[3]);
    try (ChunkStoreSystem chunks =
        ChunkStoreSystem.start(cassandra, fromFile, "meridian.cassandra.auto-create = false")) {
      CassandraChunkStore store = chunks.store();
      store.write(List.of(chunk), 3600).toCompletableFuture().join();
      assertThat(
              store
                  .read("t", 1, List.of(7L), chunk.startMs(), chunk.endMs())
                  .toCompletableFuture()
                  .join())
          .containsExactly(chunk);
    }
  }

  @Test
  void theSchemaFileEqualsWhatThePluginAutoCreates() {
    // With events-by-tag on, the plugin also creates the tag tables that the file carries.
    node =
        TestNode.start(
            cassandra, autoCreated, "pekko.persistence.cassandra.events-by-tag.enabled = true");
    var put = new Http(node.url()).post("/api/put", PUT);
    assertThat(put.status()).as(put.body()).isEqualTo(204);
    // The chunk store creates its table at first use.
    try (ChunkStoreSystem chunks = ChunkStoreSystem.start(cassandra, autoCreated)) {
      chunks.store().read("t", 1, List.of(1L), 0, 1).toCompletableFuture().join();
    }

    for (String suffix : List.of("", "_snapshot")) {
      assertThat(tables(fromFile + suffix))
          .as("tables of %s", fromFile + suffix)
          .isEqualTo(tables(autoCreated + suffix))
          .isNotEmpty();
      assertThat(columns(fromFile + suffix))
          .as("columns of %s", fromFile + suffix)
          .isEqualTo(columns(autoCreated + suffix));
    }
    assertThat(tables(fromFile).keySet())
        .containsExactlyInAnyOrder(
            "messages",
            "tag_views",
            "tag_write_progress",
            "tag_scanning",
            "metadata",
            "all_persistence_ids",
            "series_chunks");
    assertThat(tables(fromFile + "_snapshot").keySet())
        .containsExactlyInAnyOrder("snapshots", "snapshot_parts");
  }

  /**
   * The statements of the schema file for keyspace {@code keyspace} (and {@code
   * <keyspace>_snapshot}), with a replication factor of 1 for the single test node, as an operator
   * would edit it.
   */
  private static List<String> schemaStatements(String keyspace) throws IOException {
    String withoutComments =
        Files.readAllLines(SCHEMA).stream()
            .filter(line -> !line.strip().startsWith("--"))
            .collect(Collectors.joining("\n"));
    String edited =
        withoutComments
            .replaceAll("\\bmeridian_snapshot\\b", keyspace + "_snapshot")
            .replaceAll("\\bmeridian\\b", keyspace)
            .replace("'datacenter1' : 3", "'datacenter1' : 1");
    List<String> statements =
        Arrays.stream(edited.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    assertThat(statements).hasSize(11);
    return statements;
  }

  private Map<String, String> replication(String keyspace) {
    Row row =
        session
            .execute(
                "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", keyspace)
            .one();
    assertThat(row).as(keyspace).isNotNull();
    return row.getMap("replication", String.class, String.class);
  }

  /** Each table's options that the plugin sets, by table name. */
  private Map<String, String> tables(String keyspace) {
    Map<String, String> tables = new TreeMap<>();
    for (Row row :
        session.execute(
            "SELECT table_name, gc_grace_seconds, compaction, compression, default_time_to_live"
                + " FROM system_schema.tables WHERE keyspace_name = ?",
            keyspace)) {
      tables.put(
          row.getString("table_name"),
          "gc_grace_seconds="
              + row.getInt("gc_grace_seconds")
              + " default_time_to_live="
              + row.getInt("default_time_to_live")
              + " compaction="
              + new TreeMap<>(row.getMap("compaction", String.class, String.class))
              + " compression="
              + new TreeMap<>(row.getMap("compression", String.class, String.class)));
    }
    return tables;
  }

  /** Every column as table.name type kind position clustering-order. */
  private Set<String> columns(String keyspace) {
    Set<String> columns = new TreeSet<>();
    for (Row row :
        session.execute(
            "SELECT table_name, column_name, type, kind, position, clustering_order"
                + " FROM system_schema.columns WHERE keyspace_name = ?",
            keyspace)) {
      columns.add(
          String.join(
              " ",
              row.getString("table_name") + "." + row.getString("column_name"),
              row.getString("type"),
              row.getString("kind"),
              Integer.toString(row.getInt("position")),
              row.getString("clustering_order")));
    }
    return columns;
  }
}
