package io.meridian.ops.prometheus;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Evaluates PromQL expressions on a reference server (Prometheus) and a candidate (Meridian)
 * through their HTTP APIs and reports, per expression, where the answers differ (see {@link
 * ResultDifference} for what counts as equal).
 *
 * <pre>{@code
 * ResultComparison comparison =
 *     new ResultComparison(prometheus.url() + "/api/v1", meridian.url() + "/api/v1");
 * List<Outcome> outcomes =
 *     expressions.stream().map(e -> comparison.range(e, start, end, 60)).toList();
 * assertThat(ResultComparison.differences(outcomes)).isEmpty();
 * }</pre>
 */
public final class ResultComparison {

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String referenceApi;
  private final String candidateApi;

  /**
   * @param referenceApi base of the reference API, e.g. {@code http://127.0.0.1:9090/api/v1}
   * @param candidateApi base of the compared API, e.g. {@code http://127.0.0.1:8080/api/v1} or
   *     {@code …/prometheus/api/v1}
   */
  public ResultComparison(String referenceApi, String candidateApi) {
    this.referenceApi = referenceApi;
    this.candidateApi = candidateApi;
  }

  /**
   * The answers of both servers to one query and their first difference, if any.
   *
   * @param query what was asked, e.g. {@code rate(x[5m]) [range 1700000000..1700007200 step 60]}
   */
  public record Outcome(
      String query, QueryResult reference, QueryResult candidate, Optional<String> difference) {

    /** {@code query: difference}, for a failure message. */
    public String describe() {
      return query + "\n    " + difference.orElse("same");
    }
  }

  /** Compares {@code GET /query_range} with the given start, end (seconds) and step (seconds). */
  public Outcome range(String expression, long startSeconds, long endSeconds, long stepSeconds) {
    String parameters =
        "/query_range?query="
            + encode(expression)
            + "&start="
            + startSeconds
            + "&end="
            + endSeconds
            + "&step="
            + stepSeconds;
    return compare(
        expression + "  [range " + startSeconds + ".." + endSeconds + " step " + stepSeconds + "]",
        parameters,
        false);
  }

  /**
   * Compares {@code GET /query} at {@code timeSeconds}. Series are matched by label set, except
   * that for {@code sort} and {@code sort_desc}, whose order is part of the answer, the order must
   * be the same too.
   */
  public Outcome instant(String expression, long timeSeconds) {
    String trimmed = expression.strip();
    boolean ordered = trimmed.startsWith("sort(") || trimmed.startsWith("sort_desc(");
    return compare(
        expression + "  [instant " + timeSeconds + "]",
        "/query?query=" + encode(expression) + "&time=" + timeSeconds,
        ordered);
  }

  /** The outcomes that differ, described one after another; "" when all agree. */
  public static String differences(List<Outcome> outcomes) {
    List<Outcome> differing =
        outcomes.stream().filter(o -> o.difference().isPresent()).collect(Collectors.toList());
    if (differing.isEmpty()) {
      return "";
    }
    return differing.size()
        + " of "
        + outcomes.size()
        + " queries differ (reference vs candidate):\n"
        + differing.stream().map(Outcome::describe).collect(Collectors.joining("\n"));
  }

  private Outcome compare(String query, String parameters, boolean ordered) {
    QueryResult reference = get(referenceApi + parameters);
    QueryResult candidate = get(candidateApi + parameters);
    return new Outcome(
        query, reference, candidate, ResultDifference.between(reference, candidate, ordered));
  }

  private QueryResult get(String url) {
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return QueryResult.parse(response.statusCode(), response.body());
    } catch (IOException e) {
      // A server that cannot answer is a difference of this query, not the end of the run.
      return new QueryResult(0, "unreachable", "", e.toString(), "", List.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String expression) {
    return URLEncoder.encode(expression, StandardCharsets.UTF_8);
  }
}
