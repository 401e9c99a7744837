package io.meridian.ops.bench;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A Prometheus query API's {@code /query} endpoint (instant queries), answering with the JSON body
 * unread: {@link ReadBack} streams through answers of millions of samples.
 */
interface InstantQueries {

  /**
   * The JSON answer of {@code promql} evaluated at {@code timeMs}; the caller closes it.
   *
   * @throws IOException when the server cannot be reached or answers with an error status
   */
  InputStream query(String promql, long timeMs) throws IOException, InterruptedException;

  /**
   * Sends form-encoded POSTs to {@code base + "/query"} (a selector of a few hundred series is
   * long; forms have no URL length limit), with {@code extraHeaders} as name, value, name, value…
   */
  static InstantQueries http(HttpClient client, String base, List<String> extraHeaders) {
    URI uri = URI.create(base + "/query");
    return (promql, timeMs) -> {
      // nocache: VictoriaMetrics otherwise moves a time within its latency offset (30 s) of now
      // back to now − 30 s, and the newest samples would be missed. Others ignore it.
      String form =
          "query="
              + URLEncoder.encode(promql, StandardCharsets.UTF_8)
              + "&time="
              + BigDecimal.valueOf(timeMs, 3).toPlainString()
              + "&nocache=1";
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofMinutes(5))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form));
      for (int h = 0; h < extraHeaders.size(); h += 2) {
        request.header(extraHeaders.get(h), extraHeaders.get(h + 1));
      }
      HttpResponse<InputStream> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        String body;
        try (InputStream in = response.body()) {
          body = new String(in.readNBytes(500), StandardCharsets.UTF_8);
        }
        throw new IOException("HTTP " + response.statusCode() + " from " + uri + ": " + body);
      }
      return response.body();
    };
  }
}
