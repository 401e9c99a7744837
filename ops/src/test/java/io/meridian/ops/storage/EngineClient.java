package io.meridian.ops.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.ops.prometheus.RemoteWriteClient;
import io.meridian.ops.prometheus.TimeSeries;
import io.meridian.ops.testing.Http;
import io.meridian.protocol.SeriesKey;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Drives one node's write and read APIs for the storage-engine tests: OpenTSDB put and query,
 * Prometheus remote write and queries, and what a node left in Cassandra (chunk table, journal).
 * Samples are compared as exact {@code timestamp -> value} maps, so that a lost, duplicated,
 * shifted or rounded sample fails a test.
 */
final class EngineClient {

  /** The tenant of OpenTSDB writes and of Prometheus requests without a project. */
  static final String TENANT = "default";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Http http;
  private final RemoteWriteClient remoteWrite;

  EngineClient(String baseUrl) {
    this.http = new Http(baseUrl);
    this.remoteWrite = new RemoteWriteClient(baseUrl);
  }

  /** A series as the tests know it: metric, tags and the samples it must hold. */
  record Series(String metric, SortedMap<String, String> tags, TreeMap<Long, Double> samples) {

    static Series of(String metric, Map<String, String> tags) {
      return new Series(metric, new TreeMap<>(tags), new TreeMap<>());
    }

    SeriesKey key() {
      return SeriesKey.of(TENANT, metric, tags);
    }

    /** The PromQL selector of the series, by {@code __name__} so that dotted metrics work. */
    String selector() {
      return tags.entrySet().stream()
          .map(e -> "," + e.getKey() + "=\"" + e.getValue() + "\"")
          .collect(Collectors.joining("", "{__name__=\"" + metric + "\"", "}"));
    }

    /** OpenTSDB's {@code metric{tagk=tagv,...}} form, URL-encoded. */
    String tsdbSelector() {
      return encode(
          tags.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(",", metric + "{", "}")));
    }

    /** Samples in {@code [fromMs, toMs]}. */
    SortedMap<Long, Double> between(long fromMs, long toMs) {
      return samples.subMap(fromMs, true, toMs, true);
    }

    @Override
    public String toString() {
      return key().toString();
    }
  }

  // --- writes ---

  /** One OpenTSDB data point as {@code /api/put} takes it (timestamps in milliseconds). */
  static ObjectNode point(Series series, long timestampMs, double value) {
    ObjectNode point = MAPPER.createObjectNode();
    point.put("metric", series.metric());
    point.put("timestamp", timestampMs);
    point.put("value", value);
    ObjectNode tags = point.putObject("tags");
    series.tags().forEach(tags::put);
    return point;
  }

  /** {@code POST /api/put?details} of the points. */
  Http.Response putDetails(List<ObjectNode> points) {
    ArrayNode body = MAPPER.createArrayNode();
    points.forEach(body::add);
    return http.post("/api/put?details", body.toString());
  }

  /**
   * Puts {@code samples} into {@code series} with one {@code /api/put?details} request, expects
   * every point stored, and records them in {@code series} as what it must hold.
   */
  void putAll(Series series, SortedMap<Long, Double> samples) {
    List<ObjectNode> points = new ArrayList<>();
    samples.forEach((ts, value) -> points.add(point(series, ts, value)));
    Http.Response put = putDetails(points);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.json().get("success").asInt()).as(put.body()).isEqualTo(points.size());
    assertThat(put.json().get("failed").asInt()).as(put.body()).isZero();
    series.samples().putAll(samples);
  }

  /** Remote-writes {@code series} (by {@code __name__} and tags) with the given samples. */
  RemoteWriteClient.Response remoteWrite(Map<Series, SortedMap<Long, Double>> samples) {
    List<TimeSeries> request = new ArrayList<>();
    samples.forEach(
        (series, points) -> {
          SortedMap<String, String> labels = new TreeMap<>(series.tags());
          labels.put("__name__", series.metric());
          List<TimeSeries.Sample> list = new ArrayList<>();
          points.forEach((ts, value) -> list.add(new TimeSeries.Sample(ts, value)));
          request.add(new TimeSeries(labels, list));
        });
    return remoteWrite.write("/prometheus/api/v1/write", request);
  }

  /** Remote-writes the samples, expects 204, and records them as what the series must hold. */
  void remoteWriteAll(Map<Series, SortedMap<Long, Double>> samples) {
    RemoteWriteClient.Response response = remoteWrite(samples);
    assertThat(response.status()).as(response.body()).isEqualTo(204);
    samples.forEach((series, points) -> series.samples().putAll(points));
  }

  // --- reads ---

  /**
   * The samples of exactly {@code series} in {@code [fromMs, toMs]} by OpenTSDB's {@code
   * /api/query} with aggregator {@code none} and millisecond resolution (no other series may
   * match).
   */
  SortedMap<Long, Double> tsdbQuery(Series series, long fromMs, long toMs) {
    Http.Response response =
        http.get(
            "/api/query?ms=true&start="
                + fromMs
                + "&end="
                + toMs
                + "&m=none:"
                + series.tsdbSelector());
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode results = response.json();
    TreeMap<Long, Double> samples = new TreeMap<>();
    if (results.isEmpty()) {
      return samples;
    }
    assertThat(results).as(response.body()).hasSize(1);
    assertThat(results.get(0).get("metric").asText()).isEqualTo(series.metric());
    Iterator<Map.Entry<String, JsonNode>> dps = results.get(0).get("dps").fields();
    while (dps.hasNext()) {
      Map.Entry<String, JsonNode> dp = dps.next();
      samples.put(Long.parseLong(dp.getKey()), dp.getValue().asDouble());
    }
    return samples;
  }

  /**
   * The series' values by Prometheus' {@code query_range} from {@code startMs} to {@code endMs}
   * every {@code stepMs}: with steps on the sample timestamps, exactly the samples.
   */
  SortedMap<Long, Double> queryRange(Series series, long startMs, long endMs, long stepMs) {
    Http.Response response =
        http.get(
            "/prometheus/api/v1/query_range?query="
                + encode(series.selector())
                + "&start="
                + seconds(startMs)
                + "&end="
                + seconds(endMs)
                + "&step="
                + seconds(stepMs));
    return matrix(response);
  }

  /**
   * The series' raw samples by a Prometheus instant query of a range vector: those in {@code (atMs
   * - rangeMs, atMs]}.
   */
  SortedMap<Long, Double> rangeVector(Series series, long atMs, long rangeMs) {
    Http.Response response =
        http.get(
            "/prometheus/api/v1/query?query="
                + encode(series.selector() + "[" + rangeMs + "ms]")
                + "&time="
                + seconds(atMs));
    return matrix(response);
  }

  private static SortedMap<Long, Double> matrix(Http.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode result = response.json().get("data").get("result");
    TreeMap<Long, Double> samples = new TreeMap<>();
    if (result.isEmpty()) {
      return samples;
    }
    assertThat(result).as(response.body()).hasSize(1);
    for (JsonNode value : result.get(0).get("values")) {
      samples.put(
          Math.round(value.get(0).asDouble() * 1000), Double.parseDouble(value.get(1).asText()));
    }
    return samples;
  }

  /** The answer of {@code /api/query/last} for the series: its timestamp and value, or null. */
  Map.Entry<Long, Double> last(Series series) {
    Http.Response response = http.get("/api/query/last?timeseries=" + series.tsdbSelector());
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode points = response.json();
    if (points.isEmpty()) {
      return null;
    }
    assertThat(points).as(response.body()).hasSize(1);
    return Map.entry(
        points.get(0).get("timestamp").asLong(),
        Double.parseDouble(points.get(0).get("value").asText()));
  }

  /**
   * Asserts that OpenTSDB and Prometheus reads of each series in {@code [fromMs, toMs]} return
   * exactly its samples there. The series' samples lie on {@code stepMs} steps from its first one,
   * without gaps, as {@code query_range} must land on each.
   */
  void assertReadsExactly(List<Series> all, long fromMs, long toMs, long stepMs) {
    for (Series series : all) {
      SortedMap<Long, Double> expected = series.between(fromMs, toMs);
      assertThat(tsdbQuery(series, fromMs, toMs)).as("/api/query of " + series).isEqualTo(expected);
      assertThat(rangeVector(series, toMs, toMs - fromMs + 1))
          .as("range vector of " + series)
          .isEqualTo(expected);
      if (!expected.isEmpty()) {
        // Steps past a gap would repeat the sample before it (lookback): only the first run.
        long end = endOfRun(expected, stepMs);
        assertThat(queryRange(series, expected.firstKey(), end, stepMs))
            .as("query_range of " + series)
            .isEqualTo(expected.headMap(end + 1));
      }
    }
  }

  /** The last timestamp of the samples' first run spaced {@code stepMs} apart. */
  private static long endOfRun(SortedMap<Long, Double> samples, long stepMs) {
    long previous = samples.firstKey();
    for (long ts : samples.keySet()) {
      if (ts != previous && ts - previous != stepMs) {
        return previous;
      }
      previous = ts;
    }
    return previous;
  }

  // --- what is in Cassandra ---

  /** A row of the chunk table, without its data. */
  record ChunkRow(int group, long seriesId, long startMs, long endMs, long seq, int samples) {}

  /** The chunk table's rows of the tenant whose chunks start in {@code [fromMs, toMs)}. */
  static List<ChunkRow> chunkRows(CqlSession cql, String keyspace, long fromMs, long toMs) {
    List<ChunkRow> rows = new ArrayList<>();
    if (!chunkTableExists(cql, keyspace)) {
      return rows;
    }
    ResultSet result;
    try {
      // A test's table is small: a full scan is simpler than naming every group's partitions.
      result =
          cql.execute(
              "SELECT tenant, grp, series_id, start_ms, end_ms, seq, samples FROM "
                  + keyspace
                  + ".series_chunks");
    } catch (InvalidQueryException e) {
      // Listed in the schema tables but not usable yet: the node is creating it right now.
      return rows;
    } catch (ServerError e) {
      // The same moment seen from the server's side: its schema has the table, its storage not yet.
      if (String.valueOf(e.getMessage()).contains("Unknown CF")) {
        return rows;
      }
      throw e;
    }
    for (Row row : result) {
      long start = row.getLong("start_ms");
      if (row.getString("tenant").equals(TENANT) && start >= fromMs && start < toMs) {
        rows.add(
            new ChunkRow(
                row.getInt("grp"),
                row.getLong("series_id"),
                start,
                row.getLong("end_ms"),
                row.getLong("seq"),
                row.getInt("samples")));
      }
    }
    return rows;
  }

  /** The samples in the chunk table's chunks starting in {@code [fromMs, toMs)}. */
  static long chunkSamples(CqlSession cql, String keyspace, long fromMs, long toMs) {
    return chunkRows(cql, keyspace, fromMs, toMs).stream().mapToLong(ChunkRow::samples).sum();
  }

  /** Whether the chunk table exists yet (the node creates it at the first sealed chunk). */
  static boolean chunkTableExists(CqlSession cql, String keyspace) {
    // Asked of Cassandra rather than of the driver's metadata, which learns of another session's
    // schema changes only after a debounce.
    return cql.execute(
                "SELECT table_name FROM system_schema.tables"
                    + " WHERE keyspace_name = ? AND table_name = 'series_chunks'",
                keyspace)
            .one()
        != null;
  }

  private static String seconds(long ms) {
    return ms % 1000 == 0
        ? Long.toString(ms / 1000)
        : String.format("%d.%03d", ms / 1000, ms % 1000);
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
