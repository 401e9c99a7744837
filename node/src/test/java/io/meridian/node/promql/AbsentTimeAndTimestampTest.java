package io.meridian.node.promql;

import static io.meridian.node.promql.Fixtures.assertScalar;
import static io.meridian.node.promql.Fixtures.assertVector;
import static io.meridian.node.promql.Fixtures.call;
import static io.meridian.node.promql.Fixtures.instant;
import static io.meridian.node.promql.Fixtures.ms;
import static io.meridian.node.promql.Fixtures.offset;
import static io.meridian.node.promql.Fixtures.range;
import static io.meridian.node.promql.Fixtures.sel;
import static io.meridian.node.promql.Fixtures.sub;
import static io.meridian.node.promql.Fixtures.vector;
import static io.meridian.protocol.promql.Function.ABSENT;
import static io.meridian.protocol.promql.Function.ABSENT_OVER_TIME;
import static io.meridian.protocol.promql.Function.RATE;
import static io.meridian.protocol.promql.Function.TIME;
import static io.meridian.protocol.promql.Function.TIMESTAMP;

import io.meridian.protocol.promql.Expr;
import org.junit.jupiter.api.Test;

/**
 * {@code absent}, {@code absent_over_time}, {@code time} and {@code timestamp} as in Prometheus.
 */
class AbsentTimeAndTimestampTest {

  private static InMemorySeriesSource source() {
    return new InMemorySeriesSource()
        .load(
            ms("1m"), "http_requests{path=\"/foo\",instance=\"127.0.0.1\",job=\"httpd\"}", "1+1x10")
        .load(
            ms("1m"), "http_requests{path=\"/bar\",instance=\"127.0.0.1\",job=\"httpd\"}", "1+1x10")
        .load(
            ms("1m"),
            "httpd_handshake_failures_total{instance=\"127.0.0.1\",job=\"node\"}",
            "1+1x15")
        .load(ms("1m"), "httpd_log_lines_total{instance=\"127.0.0.1\",job=\"node\"}", "1")
        .load(ms("1m"), "ssl_certificate_expiry_seconds{job=\"ingress\"}", "NaN NaN NaN NaN NaN");
  }

  @Test
  void absentReportsTheLabelsEqualityMatchersFix() {
    assertVector(instant(source(), call(ABSENT, sel("nonexistent")), "50m"), vector("{}", 1));
    assertVector(
        instant(
            source(),
            call(
                ABSENT,
                sel("nonexistent{job=\"testjob\", instance=\"testinstance\", method=~\".x\"}")),
            "50m"),
        vector("{instance=\"testinstance\", job=\"testjob\"}", 1));
  }

  @Test
  void absentDropsLabelsMatchedTwiceOrByRegex() {
    assertVector(
        instant(
            source(),
            call(ABSENT, sel("nonexistent{job=\"testjob\",job=\"testjob2\",foo=\"bar\"}")),
            "50m"),
        vector("{foo=\"bar\"}", 1));
    assertVector(
        instant(
            source(),
            call(ABSENT, sel("nonexistent{job=\"testjob\",job=~\"testjob2\",foo=\"bar\"}")),
            "50m"),
        vector("{foo=\"bar\"}", 1));
  }

  @Test
  void absentOfAPresentSeriesIsEmpty() {
    assertVector(instant(source(), call(ABSENT, sel("http_requests")), "5m"), vector());
  }

  @Test
  void absentOfAFunctionHasNoLabels() {
    assertVector(
        instant(source(), call(ABSENT, call(RATE, range(sel("nonexistant"), "5m"))), "50m"),
        vector("{}", 1));
  }

  private static Value absentOverTime(Expr.VectorSelector selector, String range, String at) {
    return instant(source(), call(ABSENT_OVER_TIME, range(selector, range)), at);
  }

  @Test
  void absentOverTimeLooksAtTheWholeClosedRange() {
    assertVector(absentOverTime(sel("http_requests"), "5m", "5m"), vector());
    assertVector(absentOverTime(sel("http_requests"), "5m", "15m"), vector());
    assertVector(absentOverTime(sel("http_requests"), "5m", "16m"), vector("{}", 1));
    assertVector(absentOverTime(sel("http_requests"), "6m", "16m"), vector());
    assertVector(absentOverTime(sel("httpd_handshake_failures_total"), "1m", "16m"), vector());
    assertVector(
        absentOverTime(sel("{instance=\"127.0.0.1\"}"), "5m", "21m"),
        vector("{instance=\"127.0.0.1\"}", 1));
    assertVector(absentOverTime(sel("{instance=\"127.0.0.1\"}"), "20m", "21m"), vector());
    assertVector(absentOverTime(sel("{job=\"grok\"}"), "20m", "21m"), vector("{job=\"grok\"}", 1));
  }

  @Test
  void absentOverTimeCountsNaNSamplesAsPresent() {
    assertVector(absentOverTime(sel("{job=\"ingress\"}"), "4m", "5m"), vector());
    assertVector(
        absentOverTime(sel("{job=\"ingress\"}"), "4m", "10m"), vector("{job=\"ingress\"}", 1));
  }

  @Test
  void absentOverTimeOfASubqueryHasNoLabels() {
    assertVector(
        instant(
            source(),
            call(ABSENT_OVER_TIME, sub(sel("{instance=\"127.0.0.1\"}"), "5m", "5s")),
            "30m"),
        vector("{}", 1));
  }

  @Test
  void timeIsTheEvaluationTimeInSeconds() {
    assertScalar(instant(source(), call(TIME), 1_500), 1.5);
  }

  @Test
  void timestampIsTheRawSampleTimeAndDropsTheName() {
    InMemorySeriesSource source =
        new InMemorySeriesSource().load(ms("15s"), "metric{a=\"b\"}", "1 2 3");
    assertVector(instant(source, call(TIMESTAMP, sel("metric")), "40s"), vector("{a=\"b\"}", 30));
    assertVector(
        instant(source, call(TIMESTAMP, offset(sel("metric"), "20s")), "40s"),
        vector("{a=\"b\"}", 15));
  }
}
