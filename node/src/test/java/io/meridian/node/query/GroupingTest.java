package io.meridian.node.query;

import static io.meridian.node.query.Fixtures.SECOND;
import static io.meridian.node.query.Fixtures.T0;
import static io.meridian.node.query.Fixtures.groupedQuery;
import static io.meridian.node.query.Fixtures.query;
import static io.meridian.node.query.Fixtures.seconds;
import static io.meridian.node.query.Fixtures.series;
import static io.meridian.node.query.Fixtures.tags;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.SubQuery;
import io.meridian.protocol.opentsdb.TagFilter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GroupingTest {

  private static final SeriesSamples WEB_A =
      series(tags("host", "a", "dc", "lga", "role", "web"), 0, 1, 10, 2);
  private static final SeriesSamples WEB_B =
      series(tags("host", "b", "dc", "lga", "role", "web"), 0, 10, 10, 20);
  private static final SeriesSamples DB_C =
      series(tags("host", "c", "dc", "sjc", "role", "db"), 0, 100, 10, 200);

  private static List<QueryResult> evaluate(SubQuery q, SeriesSamples... series) {
    return SubQueryEvaluator.evaluate(q, List.of(series), T0, T0 + 60 * SECOND);
  }

  @Test
  void seriesAreGroupedByTheGroupByTagValuesInOrder() {
    List<QueryResult> results = evaluate(groupedQuery("sum", "dc"), DB_C, WEB_B, WEB_A);
    assertThat(results).hasSize(2);

    QueryResult lga = results.get(0);
    assertThat(lga.metric()).isEqualTo("m");
    assertThat(lga.tags())
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("dc", "lga", "role", "web")));
    assertThat(lga.aggregateTags()).containsExactly("host");
    assertThat(lga.values()).containsExactly(11, 22);

    QueryResult sjc = results.get(1);
    assertThat(sjc.tags())
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("dc", "sjc", "host", "c", "role", "db")));
    assertThat(sjc.aggregateTags()).isEmpty();
    assertThat(sjc.values()).containsExactly(100, 200);
  }

  @Test
  void severalGroupByKeys() {
    SeriesSamples webD = series(tags("host", "d", "dc", "sjc", "role", "web"), 0, 1000);
    List<QueryResult> results =
        evaluate(groupedQuery("sum", "dc", "role"), WEB_A, DB_C, webD, WEB_B);
    assertThat(results)
        .extracting(r -> r.tags().get("dc") + "/" + r.tags().get("role"))
        .containsExactly("lga/web", "sjc/db", "sjc/web");
  }

  @Test
  void withoutGroupByEverythingIsOneGroupAndOnlySharedTagsRemain() {
    List<QueryResult> results = evaluate(query("sum"), WEB_A, WEB_B, DB_C);
    assertThat(results).hasSize(1);
    assertThat(results.get(0).tags()).isEmpty();
    assertThat(results.get(0).aggregateTags()).containsExactly("dc", "host", "role");
    assertThat(results.get(0).values()).containsExactly(111, 222);
  }

  @Test
  void aTagMissingOnSomeSeriesIsAggregated() {
    SeriesSamples noRole = series(tags("host", "x", "dc", "lga"), 0, 5);
    List<QueryResult> results = evaluate(groupedQuery("sum", "dc"), WEB_A, noRole);
    assertThat(results.get(0).tags()).containsExactlyEntriesOf(Map.of("dc", "lga"));
    assertThat(results.get(0).aggregateTags()).containsExactly("host", "role");
  }

  @Test
  void nonGroupingFiltersDoNotSplitGroups() {
    SubQuery q =
        new SubQuery(
            0,
            "sum",
            "m",
            List.of(new TagFilter("host", "wildcard", "*", false)),
            null,
            false,
            null,
            false);
    assertThat(evaluate(q, WEB_A, WEB_B)).hasSize(1);
  }

  @Test
  void noneReturnsEverySeriesOnItsOwnOrderedByTags() {
    List<QueryResult> results = evaluate(groupedQuery("none", "dc"), DB_C, WEB_B, WEB_A);
    assertThat(results).hasSize(3);
    assertThat(results).extracting(r -> r.tags().get("host")).containsExactly("a", "b", "c");
    assertThat(results.get(0).tags()).hasSize(3);
    assertThat(results.get(0).aggregateTags()).isEmpty();
    assertThat(results.get(0).values()).containsExactly(1, 2);
    assertThat(seconds(results.get(2))).containsExactly(0, 10);
  }

  @Test
  void groupsWithoutPointsInRangeAreLeftOut() {
    SeriesSamples old = series(tags("host", "z", "dc", "ord"), -100, 1);
    assertThat(evaluate(groupedQuery("sum", "dc"), WEB_A, old))
        .extracting(r -> r.tags().get("dc"))
        .containsExactly("lga");
    assertThat(evaluate(query("sum"))).isEmpty();
  }

  @Test
  void unsortedInputIsSortedAndRepeatedTimestampsKeepTheLastValue() {
    SeriesSamples messy =
        new SeriesSamples(
            SeriesKey.of("t", "m", Map.of()),
            new long[] {T0 + 2000, T0, T0 + 1000, T0 + 2000},
            new double[] {1, 2, 3, 4});
    QueryResult result = evaluate(query("sum"), messy).get(0);
    assertThat(result.timestamps()).containsExactly(T0, T0 + 1000, T0 + 2000);
    assertThat(result.values()).containsExactly(2, 3, 4);
  }
}
