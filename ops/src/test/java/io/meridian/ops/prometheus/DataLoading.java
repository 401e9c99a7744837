package io.meridian.ops.prometheus;

import io.meridian.ops.testing.Await;
import io.meridian.ops.testing.Http;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads {@link GeneratedData} into a server by remote write and waits until its query API sees all
 * of it, so a comparison never runs against half-written data.
 */
final class DataLoading {

  private DataLoading() {}

  /**
   * Sends {@link GeneratedData#batches()} in order to {@code baseUrl + path}.
   *
   * @throws AssertionError naming the first request not answered with 2xx
   */
  static void write(GeneratedData data, String baseUrl, String path) {
    RemoteWriteClient client = new RemoteWriteClient(baseUrl);
    List<List<TimeSeries>> batches = data.batches();
    for (int i = 0; i < batches.size(); i++) {
      RemoteWriteClient.Response response = client.write(path, batches.get(i));
      if (response.status() / 100 != 2) {
        throw new AssertionError(
            "Remote write "
                + (i + 1)
                + " of "
                + batches.size()
                + " to "
                + baseUrl
                + path
                + " answered "
                + response.status()
                + ": "
                + response.body());
      }
    }
  }

  /**
   * Waits until instant queries at the data's end, on {@code api} (e.g. {@code
   * http://127.0.0.1:9090/api/v1}), count every series and every sample with a value.
   */
  static void awaitQueryable(GeneratedData data, String api, Duration timeout) {
    String time = Long.toString(data.endMillis() / 1000);
    String expected = "series " + data.series().size() + ", samples " + data.valueSampleCount();
    AtomicReference<String> seen = new AtomicReference<>("nothing yet");
    Await.until(
        "all generated data to be queryable at " + api,
        timeout,
        () -> {
          String answer =
              "series "
                  + scalar(api, data.seriesCountQuery(), time)
                  + ", samples "
                  + scalar(api, data.sampleCountQuery(), time);
          seen.set(answer);
          return answer.equals(expected);
        },
        () -> seen.get() + " (expected " + expected + ")");
  }

  /** The one value of an instant query's answer as text, or a description of the answer. */
  private static String scalar(String api, String expression, String time) {
    QueryResult result =
        query(
            api,
            "/query?query="
                + URLEncoder.encode(expression, StandardCharsets.UTF_8)
                + "&time="
                + time);
    if (!result.succeeded()) {
      return result.status() + " " + result.errorType() + " " + result.error();
    }
    if (result.series().size() != 1) {
      return result.series().size() + " series";
    }
    String value = result.series().get(0).points().get(0).value();
    // Compared as numbers, so a formatting difference shows in the comparison, not here.
    try {
      return Long.toString((long) Double.parseDouble(value));
    } catch (NumberFormatException e) {
      return value;
    }
  }

  private static QueryResult query(String api, String parameters) {
    try {
      Http.Response response = new Http(api).get(parameters);
      return QueryResult.parse(response.status(), response.body());
    } catch (UncheckedIOException e) {
      return new QueryResult(0, "unreachable", "", e.getMessage(), "", List.of());
    }
  }
}
