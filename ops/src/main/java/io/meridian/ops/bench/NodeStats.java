package io.meridian.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * A Meridian node's OpenTSDB {@code /api/stats}, read by the benchmark to know when the node has
 * sealed and stored every chunk it owes: {@code meridian.series.pending_chunks} (chunks sealed but
 * not yet written to the chunk table, of the default tenant) is 0 on two consecutive polls.
 */
final class NodeStats {

  static final String PENDING_CHUNKS = "meridian.series.pending_chunks";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient client;
  private final URI statsUrl;
  private final List<String> headers;

  /**
   * @param headers added to each request, as name, value, name, value…
   */
  NodeStats(HttpClient client, URI statsUrl, List<String> headers) {
    this.client = client;
    this.statsUrl = statsUrl;
    this.headers = List.copyOf(headers);
  }

  /** The stats URL of the node that {@code writeUrl} (its remote write or put URL) belongs to. */
  static URI statsUrlOf(URI writeUrl) {
    return writeUrl.resolve("/api/stats");
  }

  URI url() {
    return statsUrl;
  }

  /**
   * The value of {@code metric} in an {@code /api/stats} answer (a JSON array of {@code {metric,
   * timestamp, value, tags}}, values as strings), summed over its entries; empty when it is not
   * there: the node leaves the storage figures out when its series groups do not answer in time.
   */
  static OptionalLong value(String body, String metric) throws IOException {
    JsonNode stats = MAPPER.readTree(body);
    if (stats == null || !stats.isArray()) {
      throw new IOException("not an /api/stats answer (a JSON array): " + abbreviate(body));
    }
    boolean found = false;
    long sum = 0;
    for (JsonNode stat : stats) {
      if (metric.equals(stat.path("metric").asText())) {
        JsonNode value = stat.path("value");
        try {
          sum += value.isNumber() ? value.asLong() : Long.parseLong(value.asText().trim());
        } catch (NumberFormatException e) {
          throw new IOException(metric + " is not a whole number: " + value, e);
        }
        found = true;
      }
    }
    return found ? OptionalLong.of(sum) : OptionalLong.empty();
  }

  /** The node's pending chunks now; empty when the answer leaves them out. */
  OptionalLong pendingChunks() throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(statsUrl).timeout(Duration.ofSeconds(30)).GET();
    for (int h = 0; h < headers.size(); h += 2) {
      request.header(headers.get(h), headers.get(h + 1));
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET "
              + statsUrl
              + ": HTTP "
              + response.statusCode()
              + " "
              + abbreviate(response.body()));
    }
    return value(response.body(), PENDING_CHUNKS);
  }

  /**
   * Polls every {@code sealInterval} until two consecutive polls find no pending chunks, and
   * returns when the first of them was made (epoch ms): the node's groups look for chunks to seal
   * every {@code sealInterval}, so a window whose seal time was at least one {@code sealInterval}
   * before that poll had been sealed and, with none pending, stored. Empty if that does not happen
   * within {@code timeout}.
   */
  OptionalLong awaitNoPendingChunks(Duration sealInterval, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long firstZero = -1;
    while (true) {
      long polled = System.currentTimeMillis();
      OptionalLong pending = pendingChunks();
      if (pending.isPresent() && pending.getAsLong() == 0) {
        if (firstZero >= 0) {
          return OptionalLong.of(firstZero);
        }
        firstZero = polled;
      } else {
        firstZero = -1;
      }
      long waitMs = polled + sealInterval.toMillis() - System.currentTimeMillis();
      if (System.nanoTime() + waitMs * 1_000_000 > deadline) {
        return OptionalLong.empty();
      }
      if (waitMs > 0) {
        Thread.sleep(waitMs);
      }
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
