package io.meridian.protocol.opentsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricQueryStringParsingTest {

  private static final long NOW = 1_700_000_000_000L;

  private static Map<String, List<String>> params(String... keyValues) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.computeIfAbsent(keyValues[i], k -> new java.util.ArrayList<>()).add(keyValues[i + 1]);
    }
    return map;
  }

  private static SubQuery m(String m) {
    return QueryParser.parseMetricQuery(m, 0, false, null);
  }

  @Test
  void aggregatorAndMetricOnly() {
    SubQuery q = m("sum:sys.cpu.user");
    assertThat(q.aggregator()).isEqualTo("sum");
    assertThat(q.metric()).isEqualTo("sys.cpu.user");
    assertThat(q.filters()).isEmpty();
    assertThat(q.downsample()).isNull();
    assertThat(q.rate()).isFalse();
    assertThat(q.rateOptions()).isEqualTo(RateOptions.DEFAULT);
    assertThat(q.explicitTags()).isFalse();
  }

  @Test
  void downsamplerPart() {
    SubQuery q = m("avg:1m-avg:sys.cpu.user");
    assertThat(q.downsample())
        .isEqualTo(new Downsample(60_000, "avg", FillPolicy.NONE, false, "1m", null));
  }

  @Test
  void rateWithCounterOptionsAndDownsamplerInAnyOrder() {
    SubQuery q = m("sum:rate{counter,65535,1000}:10s-max-zero:if.bytes");
    assertThat(q.rate()).isTrue();
    assertThat(q.rateOptions()).isEqualTo(new RateOptions(true, 65535, 1000, false));
    assertThat(q.downsample().spec()).isEqualTo("10s-max-zero");

    SubQuery reversed = m("sum:10s-max-zero:rate:if.bytes");
    assertThat(reversed.rate()).isTrue();
    assertThat(reversed.rateOptions()).isEqualTo(RateOptions.DEFAULT);
    assertThat(reversed.downsample().spec()).isEqualTo("10s-max-zero");
  }

  @Test
  void explicitTagsPart() {
    SubQuery q = m("sum:explicit_tags:sys.cpu{host=web01}");
    assertThat(q.explicitTags()).isTrue();
    assertThat(q.filterTagKeys()).containsExactly("host");
  }

  @Test
  void allDownsampler() {
    assertThat(m("sum:0all-sum:m").downsample().coversWholeRange()).isTrue();
  }

  @Test
  void legacyTagsBecomeGroupByFilters() {
    SubQuery q = m("sum:sys.cpu{host=*,dc=lga|sjc,rack=r1}");
    assertThat(q.filters())
        .containsExactly(
            new TagFilter("host", "wildcard", "*", true),
            new TagFilter("dc", "literal_or", "lga|sjc", true),
            new TagFilter("rack", "literal_or", "r1", true));
    assertThat(q.groupByTagKeys()).containsExactly("dc", "host", "rack");
  }

  @Test
  void secondCurlyBlockHoldsNonGroupingFilters() {
    SubQuery q = m("sum:sys.cpu{host=*}{dc=wildcard(l*),env=prod}");
    assertThat(q.metric()).isEqualTo("sys.cpu");
    assertThat(q.filters())
        .containsExactly(
            new TagFilter("dc", "wildcard", "l*", false),
            new TagFilter("env", "literal_or", "prod", false),
            new TagFilter("host", "wildcard", "*", true));
    assertThat(q.groupByTagKeys()).containsExactly("host");
  }

  @Test
  void emptyGroupByBlockWithFilters() {
    SubQuery q = m("sum:sys.cpu{}{host=regexp(web[0-9]+)}");
    assertThat(q.filters()).containsExactly(new TagFilter("host", "regexp", "web[0-9]+", false));
    assertThat(q.groupByTagKeys()).isEmpty();
  }

  @Test
  void filterFunctionsInTheFirstBlockGroup() {
    SubQuery q = m("sum:sys.cpu{host=wildcard(web*)}");
    assertThat(q.filters()).containsExactly(new TagFilter("host", "wildcard", "web*", true));
  }

  @Test
  void identicalFilterInBothBlocksIsKeptOnceAsGroupBy() {
    SubQuery q = m("sum:sys.cpu{host=web*}{host=web*}");
    assertThat(q.filters()).containsExactly(new TagFilter("host", "wildcard", "web*", true));
  }

  @Test
  void emptyTagBlockIsIgnored() {
    assertThat(m("sum:sys.cpu{}").metric()).isEqualTo("sys.cpu");
    assertThat(m("sum:sys.cpu{}").filters()).isEmpty();
  }

  @Test
  void fullQueryStringWithFlagsAndSeveralSubQueries() {
    TsdbQuery q =
        QueryParser.fromQueryString(
            params(
                "start", "1h-ago",
                "end", "now",
                "m", "sum:sys.cpu{host=*}",
                "m", "avg:1m-avg:rate:sys.mem",
                "ms", "",
                "show_query", "",
                "no_annotations", "",
                "global_annotations", "",
                "show_tsuids", "",
                "tz", "Europe/Paris"),
            NOW);
    assertThat(q.startMs()).isEqualTo(NOW - 3_600_000);
    assertThat(q.endMs()).isEqualTo(NOW);
    assertThat(q.queries()).hasSize(2);
    assertThat(q.queries().get(0).index()).isZero();
    assertThat(q.queries().get(1).index()).isEqualTo(1);
    assertThat(q.queries().get(1).rate()).isTrue();
    assertThat(q.msResolution()).isTrue();
    assertThat(q.showQuery()).isTrue();
    assertThat(q.noAnnotations()).isTrue();
    assertThat(q.globalAnnotations()).isTrue();
    assertThat(q.showTSUIDs()).isTrue();
    assertThat(q.timezone()).isEqualTo("Europe/Paris");
    assertThat(q.delete()).isFalse();
  }

  @Test
  void endDefaultsToNowAndFlagsToFalse() {
    TsdbQuery q = QueryParser.fromQueryString(params("start", "1355961600", "m", "sum:m"), NOW);
    assertThat(q.startMs()).isEqualTo(1_355_961_600_000L);
    assertThat(q.endMs()).isEqualTo(NOW);
    assertThat(q.msResolution()).isFalse();
    assertThat(q.showQuery()).isFalse();
    assertThat(q.timezone()).isNull();
  }

  @Test
  void absoluteStartUsesTheTimezoneParameter() {
    TsdbQuery q =
        QueryParser.fromQueryString(
            params("start", "2013/12/20-09:00:00", "timezone", "Asia/Tokyo", "m", "sum:m"), NOW);
    assertThat(q.startMs()).isEqualTo(1_387_497_600_000L);
  }

  @Test
  void calendarDownsamplerTakesTheQueryTimezone() {
    TsdbQuery q =
        QueryParser.fromQueryString(
            params("start", "1d-ago", "tz", "Asia/Kabul", "m", "sum:1dc-sum:m"), NOW);
    Downsample ds = q.queries().get(0).downsample();
    assertThat(ds.calendar()).isTrue();
    assertThat(ds.timezone()).isEqualTo("Asia/Kabul");
  }

  @Test
  void errorsMirrorOpenTsdb() {
    assertThatThrownBy(() -> QueryParser.fromQueryString(params("m", "sum:m"), NOW))
        .isInstanceOf(BadQueryException.class)
        .hasMessage("Missing start time");
    assertThatThrownBy(() -> QueryParser.fromQueryString(params("start", "1h-ago"), NOW))
        .hasMessage("Missing sub queries");
    assertThatThrownBy(
            () -> QueryParser.fromQueryString(params("start", "1h-ago", "m", "xyz:m"), NOW))
        .hasMessage("No such aggregator: xyz");
    assertThatThrownBy(
            () ->
                QueryParser.fromQueryString(
                    params("start", "1h-ago", "end", "2h-ago", "m", "sum:m"), NOW))
        .hasMessageStartingWith("Start time must be less than end time");
    assertThatThrownBy(
            () -> QueryParser.fromQueryString(params("start", "1h-ago", "tsuid", "sum:0001"), NOW))
        .hasMessageContaining("TSUID");
    assertThatThrownBy(
            () ->
                QueryParser.fromQueryString(
                    params("start", "1h-ago", "tz", "Nowhere/Land", "m", "sum:m"), NOW))
        .hasMessage("Invalid timezone name: Nowhere/Land");
  }

  @Test
  void malformedSubQueriesAreRejected() {
    assertThatThrownBy(() -> m("sum"))
        .isInstanceOf(BadQueryException.class)
        .hasMessage("Invalid parameter m=sum (not enough :-separated parts)");
    assertThatThrownBy(() -> m("sum:a:b:c:d:metric"))
        .hasMessage("Invalid parameter m=sum:a:b:c:d:metric (too many :-separated parts)");
    assertThatThrownBy(() -> m(":metric")).hasMessage("Missing the aggregation function");
    assertThatThrownBy(() -> m("sum:{host=a}"))
        .hasMessage("Missing the metric or tsuids, provide at least one");
    assertThatThrownBy(() -> m("sum:sys.cpu{host=a"))
        .hasMessage("Missing '}' at the end of: sys.cpu{host=a");
    assertThatThrownBy(() -> m("sum:sys.cpu{host}"))
        .hasMessage("When parsing tag 'host': invalid tag: host");
    assertThatThrownBy(() -> m("sum:sys.cpu{}{host=}"))
        .hasMessage("When parsing filter 'host=': invalid tag: host=");
    assertThatThrownBy(() -> m("sum:sys.cpu{host=bogus(x)}"))
        .hasMessage(
            "When parsing tag 'host=bogus(x)': Could not find a tag value filter of the type:"
                + " bogus");
    assertThatThrownBy(() -> m("sum:1m:sys.cpu"))
        .hasMessageStartingWith("Invalid downsampling specifier '1m'");
    assertThatThrownBy(() -> m("sum:rate{counter,x}:sys.cpu"))
        .hasMessage("Max value of counter was not a number, received 'x'");
    assertThatThrownBy(() -> m("")).hasMessage("The query string was empty");
  }

  @Test
  void aggregatorListContainsTheImplementedFunctions() {
    assertThat(QueryParser.AGGREGATORS)
        .contains(
            "sum",
            "zimsum",
            "avg",
            "min",
            "max",
            "mimmin",
            "mimmax",
            "count",
            "dev",
            "none",
            "first",
            "last",
            "multiply",
            "p50",
            "p75",
            "p90",
            "p95",
            "p99",
            "p999",
            "ep50r3",
            "ep999r7")
        .doesNotContain("median", "diff");
  }
}
