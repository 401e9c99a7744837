package io.meridian.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ReadBack} against a fake query API answering from the samples a fake server stored: the
 * replayed values match what the run's generator sent (across a backfill phase and the run), and
 * missing, wrong, unacknowledged and unexpected samples are each told apart.
 */
class ReadBackTest {

  private static final long ORIGIN_MS = 1_700_000_000_000L;
  private static final long INTERVAL_MS = 15_000;
  private static final long SEED = 7;

  /** 25 series, 10 per host: hosts 0 and 1 full, host 2 with 5. */
  private static final int SERIES = 25;

  private static final int PER_HOST = 10;

  private static final Pattern QUERY = Pattern.compile("\\{instance=\"([^\"]+)\"}\\[(\\d+)ms]");

  /** The backfill: series 0–2 and 10–11 in two chunks, rounds 0–3 two at a time. */
  private static final List<int[]> BACKFILL = List.of(new int[] {0, 1, 2}, new int[] {10, 11});

  /** The run: every series in three chunks, rounds 4–9 one at a time. */
  private static final List<int[]> RUN =
      List.of(
          IntStream.range(0, 10).toArray(),
          IntStream.range(10, 20).toArray(),
          IntStream.range(20, 25).toArray());

  /**
   * What the run acknowledged: all but round 7 of the second chunk; round 9 of the third unsent.
   */
  private static SentScrapes sent() {
    SentScrapes sent = new SentScrapes(SERIES);
    WritePhase.Acknowledgements backfill = sent.phase(BACKFILL, 0);
    for (int[] chunk : BACKFILL) {
      backfill.acknowledged(chunk, 0, 2);
      backfill.acknowledged(chunk, 2, 2);
    }
    WritePhase.Acknowledgements run = sent.phase(RUN, 4);
    for (long round = 4; round < 10; round++) {
      for (int c = 0; c < RUN.size(); c++) {
        if (c == 1 && round == 7) {
          run.failed(RUN.get(c), round, 1);
        } else if (c != 2 || round != 9) {
          run.acknowledged(RUN.get(c), round, 1);
        }
      }
    }
    return sent;
  }

  /** 5 × 4 backfilled, 25 × 6 in the run, less the failed round (10) and the unsent one (5). */
  private static final long ACKNOWLEDGED = 5 * 4 + 25 * 6 - 10 - 5;

  @Test
  void everyAcknowledgedSampleReadBackPasses() throws InterruptedException {
    Server server = Server.storing(false);
    ReadBack.Outcome outcome = readBack(server, 1_000_000);
    assertThat(outcome.passed(false)).as(outcome.toString()).isTrue();
    assertThat(outcome.acknowledged()).isEqualTo(ACKNOWLEDGED);
    assertThat(outcome.read()).isEqualTo(ACKNOWLEDGED);
    assertThat(outcome.missing()).isZero();
    assertThat(outcome.wrong()).isZero();
    assertThat(outcome.unacknowledgedFound()).isZero();
    assertThat(outcome.unexpected()).isZero();
    assertThat(outcome.examples()).isEmpty();
    // One query per host, each over its host's span.
    assertThat(server.queries)
        .hasSize(3)
        .anySatisfy(q -> assertThat(q).startsWith("{instance=\"host-000:9100\"}["))
        .anySatisfy(q -> assertThat(q).startsWith("{instance=\"host-002:9100\"}["));
  }

  @Test
  void samplesOfAFailedRequestAreCountedButNoError() throws InterruptedException {
    ReadBack.Outcome outcome = readBack(Server.storing(true), 1_000_000);
    assertThat(outcome.passed(false)).as(outcome.toString()).isTrue();
    assertThat(outcome.unacknowledgedFound()).isEqualTo(10);
    assertThat(outcome.read()).isEqualTo(ACKNOWLEDGED + 10);
  }

  @Test
  void aMissingSampleIsReported() throws InterruptedException {
    Server server = Server.storing(false);
    long removed = server.timeOf(12, 5);
    server.samples.get(12).remove(removed);
    ReadBack.Outcome outcome = readBack(server, 1_000_000);
    assertThat(outcome.passed(false)).isFalse();
    assertThat(outcome.missing()).isEqualTo(1);
    assertThat(outcome.wrong()).isZero();
    assertThat(outcome.examples())
        .singleElement()
        .asString()
        .startsWith("missing: ")
        .contains("instance=\"host-001:9100\"")
        .contains("(" + removed + ")");
  }

  @Test
  void aValueOneUlpOffIsWrong() throws InterruptedException {
    Server server = Server.storing(false);
    long time = server.timeOf(2, 2);
    server.samples.get(2).compute(time, (t, v) -> Math.nextUp(v));
    ReadBack.Outcome outcome = readBack(server, 1_000_000);
    assertThat(outcome.passed(false)).isFalse();
    assertThat(outcome.wrong()).isEqualTo(1);
    assertThat(outcome.missing()).isZero();
    assertThat(outcome.examples()).singleElement().asString().startsWith("wrong value: ");
  }

  @Test
  void aValueRoundedInItsLastDigitsIsCountedApart() throws InterruptedException {
    Server server = Server.storing(false);
    long time = server.timeOf(10, 1);
    server.samples.get(10).compute(time, (t, v) -> v * (1 + 1e-14));
    long other = server.timeOf(11, 1);
    double sent = server.samples.get(11).get(other);
    server.samples.get(11).put(other, sent * (1 + 1e-9));
    ReadBack.Outcome outcome = readBack(server, 1_000_000);
    assertThat(outcome.rounded()).isEqualTo(1);
    assertThat(outcome.wrong()).isEqualTo(1);
    assertThat(outcome.passed(true)).isFalse();
    server.samples.get(11).put(other, sent);
    outcome = readBack(server, 1_000_000);
    assertThat(outcome.rounded()).isEqualTo(1);
    assertThat(outcome.wrong()).isZero();
    assertThat(outcome.passed(false)).isFalse();
    assertThat(outcome.passed(true)).isTrue();
    assertThat(outcome.examples()).singleElement().asString().startsWith("rounded value: ");
  }

  @Test
  void samplesNeverSentAreUnexpected() throws InterruptedException {
    Server server = Server.storing(false);
    // A sample between two scrapes, and one of a series the generator does not have.
    server.samples.get(4).put(server.timeOf(4, 6) + 1, 1.0);
    server.extra.put(server.timeOf(0, 5), 2.0);
    ReadBack.Outcome outcome = readBack(server, 1_000_000);
    assertThat(outcome.passed(false)).isFalse();
    assertThat(outcome.unexpected()).isEqualTo(2);
    assertThat(outcome.missing()).isZero();
    assertThat(outcome.examples())
        .anySatisfy(e -> assertThat(e).startsWith("unexpected timestamp: "))
        .anySatisfy(e -> assertThat(e).startsWith("unexpected series: "));
  }

  @ParameterizedTest(name = "range start included: {0}")
  @ValueSource(booleans = {true, false})
  void slicedSpansReadEverySampleOnce(boolean closedRange) throws InterruptedException {
    Server server = Server.storing(true);
    server.closedRange = closedRange;
    // 20 samples per query: two rounds of a full host, four of the last one.
    ReadBack.Outcome outcome = readBack(server, 20);
    assertThat(outcome.passed(false)).as(outcome.toString()).isTrue();
    assertThat(outcome.read()).isEqualTo(ACKNOWLEDGED + 10);
    assertThat(outcome.acknowledged()).isEqualTo(ACKNOWLEDGED);
    // Hosts 0 and 1: rounds 0–9 in 5 slices; host 2: rounds 4–8 (9 unsent) in 2.
    assertThat(server.queries).hasSize(5 + 5 + 2);
    assertThat(outcome.queries()).isEqualTo(12);
  }

  @Test
  void aFailedQueryCountsItsSamplesAsMissing() throws InterruptedException {
    Server server = Server.storing(false);
    server.failHost = "host-002:9100";
    ReadBack.Outcome outcome = readBack(server, 1_000_000);
    assertThat(outcome.passed(false)).isFalse();
    assertThat(outcome.failedQueries()).isEqualTo(1);
    // Host 2: 5 series × rounds 4–8 acknowledged.
    assertThat(outcome.missing()).isEqualTo(25);
    assertThat(outcome.examples().get(0)).contains("failed").contains("HTTP 503");
  }

  @Test
  void anotherSeedsValuesAreWrong() throws InterruptedException {
    ReadBack.Outcome outcome =
        new ReadBack(
                new NodeExporterSeries(SERIES, PER_HOST, ORIGIN_MS, INTERVAL_MS, SEED + 1),
                sent(),
                Server.storing(false),
                1_000_000,
                2)
            .run();
    assertThat(outcome.passed(false)).isFalse();
    assertThat(outcome.wrong()).isPositive();
    assertThat(outcome.missing()).isZero();
  }

  @Test
  void valuesParseAsPrometheusFormatsThem() {
    assertThat(ReadBack.parse("NaN")).isNaN();
    assertThat(ReadBack.parse("+Inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(ReadBack.parse("-Inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(ReadBack.parse("9200000000000000000")).isEqualTo(9.2e18);
    assertThat(ReadBack.parse("0.000050001")).isEqualTo(5.0001e-5);
  }

  private static ReadBack.Outcome readBack(Server server, long samplesPerQuery)
      throws InterruptedException {
    return new ReadBack(generator(), sent(), server, samplesPerQuery, 2).run();
  }

  private static NodeExporterSeries generator() {
    return new NodeExporterSeries(SERIES, PER_HOST, ORIGIN_MS, INTERVAL_MS, SEED);
  }

  /**
   * A server that stored what {@link #sent()} sent, as the run's encoders generated it, and answers
   * range selectors on {@code instance} the way Prometheus formats them.
   */
  private static final class Server implements InstantQueries {
    final NodeExporterSeries generated = generator();
    final Map<Integer, NavigableMap<Long, Double>> samples = new TreeMap<>();

    /** Samples of a series of host 0 that the generator does not have. */
    final NavigableMap<Long, Double> extra = new TreeMap<>();

    final List<String> queries = new CopyOnWriteArrayList<>();
    boolean closedRange = true;
    String failHost;

    /** Stores what was acknowledged, and the failed request's samples if {@code failedToo}. */
    static Server storing(boolean failedToo) {
      Server server = new Server();
      SentScrapes sent = sent();
      for (int index = 0; index < SERIES; index++) {
        server.samples.put(index, new TreeMap<>());
        long first = sent.firstRound(index);
        for (long round = first; round < 10; round++) {
          long time = server.generated.timestamp(index, round);
          double value = server.generated.next(index, time);
          SentScrapes.Status status = sent.status(index, round);
          if (status == SentScrapes.Status.ACKNOWLEDGED
              || failedToo && status == SentScrapes.Status.FAILED) {
            server.samples.get(index).put(time, value);
          }
        }
      }
      return server;
    }

    long timeOf(int index, long round) {
      return generated.timestamp(index, round);
    }

    @Override
    public InputStream query(String promql, long timeMs) throws IOException {
      queries.add(promql);
      Matcher m = QUERY.matcher(promql);
      assertThat(m.matches()).as(promql).isTrue();
      if (m.group(1).equals(failHost)) {
        throw new IOException("HTTP 503 from the fake: " + promql);
      }
      long from = timeMs - Long.parseLong(m.group(2));
      List<String> result = new ArrayList<>();
      for (Map.Entry<Integer, NavigableMap<Long, Double>> one : samples.entrySet()) {
        Map<String, String> labels = generated.labels(one.getKey());
        if (labels.get("instance").equals(m.group(1))) {
          result.add(series(labels, one.getValue().subMap(from, closedRange, timeMs, true)));
        }
      }
      if (m.group(1).equals("host-000:9100")) {
        result.add(
            series(
                Map.of("__name__", "not_generated", "instance", "host-000:9100"),
                extra.subMap(from, closedRange, timeMs, true)));
      }
      String json =
          "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
              + String.join(",", result)
              + "]}}";
      return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String series(Map<String, String> labels, Map<Long, Double> samples) {
      return "{\"metric\":{"
          + labels.entrySet().stream()
              .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
              .collect(Collectors.joining(","))
          + "},\"values\":["
          + samples.entrySet().stream()
              .map(
                  s ->
                      "["
                          + BigDecimal.valueOf(s.getKey(), 3).toPlainString()
                          + ",\""
                          + new BigDecimal(Double.toString(s.getValue())).toPlainString()
                          + "\"]")
              .collect(Collectors.joining(","))
          + "]}";
    }
  }
}
