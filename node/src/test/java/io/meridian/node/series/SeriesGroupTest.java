package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.TagFilter;
import io.meridian.protocol.promql.LabelMatcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SeriesGroupTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  private static final SeriesSettings SETTINGS =
      new SeriesSettings(4, Duration.ofSeconds(3), 2, 1_000_000);

  private final EventSourcedBehaviorTestKit<
          SeriesGroup.Command, SeriesGroup.Event, SeriesGroup.State>
      kit =
          EventSourcedBehaviorTestKit.create(
              testKit.system(), SeriesGroup.create("default-0", SETTINGS));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    kit.clear();
  }

  private static SeriesKey key(String metric, String host) {
    return SeriesKey.of("default", metric, Map.of("host", host));
  }

  private static SeriesSamples samples(SeriesKey key, long[] ts, double[] values) {
    return new SeriesSamples(key, ts, values);
  }

  @Test
  void appendPersistsOneEventPerBatchAndAcknowledgesAfterwards() {
    var cpu01 = key("sys.cpu.user", "web01");
    var cpu02 = key("sys.cpu.user", "web02");
    var result =
        kit.<SeriesGroup.Appended>runCommand(
            replyTo ->
                new SeriesGroup.Append(
                    List.of(
                        samples(cpu01, new long[] {2000, 1000}, new double[] {2, 1}),
                        samples(cpu02, new long[] {1000}, new double[] {5})),
                    replyTo));

    assertThat(result.reply()).isEqualTo(new SeriesGroup.Appended(3));
    assertThat(result.events()).hasSize(1);
    var event = (SeriesGroup.SamplesAppended) result.event();
    assertThat(event.batch().get(0).timestamps()).containsExactly(1000, 2000);
    assertThat(event.batch().get(0).values()).containsExactly(1, 2);
  }

  @Test
  void laterWriteOfTheSameTimestampWins() {
    var cpu = key("sys.cpu.user", "web01");
    kit.<SeriesGroup.Appended>runCommand(
        replyTo ->
            new SeriesGroup.Append(
                List.of(samples(cpu, new long[] {1000, 1000}, new double[] {1, 2})), replyTo));
    kit.<SeriesGroup.Appended>runCommand(
        replyTo ->
            new SeriesGroup.Append(
                List.of(samples(cpu, new long[] {1000, 3000}, new double[] {7, 3})), replyTo));

    var selected = select("sys.cpu.user", List.of(), 0, Long.MAX_VALUE);

    assertThat(selected.series()).hasSize(1);
    assertThat(selected.series().get(0).timestamps()).containsExactly(1000, 3000);
    assertThat(selected.series().get(0).values()).containsExactly(7, 3);
  }

  @Test
  void selectFiltersByMetricTagsAndTimeRange() {
    kit.<SeriesGroup.Appended>runCommand(
        replyTo ->
            new SeriesGroup.Append(
                List.of(
                    samples(
                        key("a", "web01"), new long[] {1000, 2000, 3000}, new double[] {1, 2, 3}),
                    samples(key("a", "web02"), new long[] {1000}, new double[] {9}),
                    samples(key("b", "web01"), new long[] {1000}, new double[] {4})),
                replyTo));

    var selected =
        select("a", List.of(new TagFilter("host", "literal_or", "web01", true)), 1500, 3000);

    assertThat(selected.metricKnown()).isTrue();
    assertThat(selected.series()).hasSize(1);
    assertThat(selected.series().get(0).key()).isEqualTo(key("a", "web01"));
    assertThat(selected.series().get(0).timestamps()).containsExactly(2000, 3000);
    assertThat(select("c", List.of(), 0, Long.MAX_VALUE).metricKnown()).isFalse();
  }

  @Test
  void selectMatchingAppliesPromQlMatchersToMetricAndTags() {
    kit.<SeriesGroup.Appended>runCommand(
        replyTo ->
            new SeriesGroup.Append(
                List.of(
                    samples(key("a", "web01"), new long[] {1000, 2000}, new double[] {1, 2}),
                    samples(key("a", "db01"), new long[] {1000}, new double[] {9}),
                    samples(
                        SeriesKey.of("default", "a", Map.of()),
                        new long[] {1000},
                        new double[] {7}),
                    samples(key("b", "web01"), new long[] {5000}, new double[] {4})),
                replyTo));

    var web =
        matching(
            List.of(
                LabelMatcher.equal("__name__", "a"),
                LabelMatcher.of(LabelMatcher.Type.REGEX, "host", "web.*")),
            1500,
            3000,
            false);
    var withoutHost = matching(List.of(LabelMatcher.equal("host", "")), 0, 9000, false);
    var notDb =
        matching(
            List.of(LabelMatcher.of(LabelMatcher.Type.NOT_EQUAL, "host", "db01")), 0, 3000, true);

    assertThat(web.series()).hasSize(1);
    assertThat(web.series().get(0).key()).isEqualTo(key("a", "web01"));
    assertThat(web.series().get(0).timestamps()).containsExactly(2000);
    assertThat(withoutHost.series())
        .extracting(SeriesSamples::key)
        .containsExactly(SeriesKey.of("default", "a", Map.of()));
    // b{host=web01} has no sample before 3000, so it is left out; keys come without samples.
    assertThat(notDb.series())
        .extracting(SeriesSamples::key)
        .containsExactlyInAnyOrder(key("a", "web01"), SeriesKey.of("default", "a", Map.of()));
    assertThat(notDb.series()).allSatisfy(series -> assertThat(series.size()).isZero());
  }

  private SeriesGroup.Matched matching(
      List<LabelMatcher> matchers, long from, long to, boolean keysOnly) {
    return kit.<SeriesGroup.Matched>runCommand(
            replyTo ->
                new SeriesGroup.SelectMatching(
                    SeriesGroup.Matcher.of(matchers), from, to, keysOnly, replyTo))
        .reply();
  }

  @Test
  void stateSurvivesRecoveryFromEventsAndSnapshots() {
    var cpu = key("sys.cpu.user", "web01");
    for (int i = 0; i < 5; i++) {
      long ts = 1000L * (i + 1);
      double value = i;
      kit.<SeriesGroup.Appended>runCommand(
          replyTo ->
              new SeriesGroup.Append(
                  List.of(samples(cpu, new long[] {ts}, new double[] {value})), replyTo));
    }

    var restarted = kit.restart();

    assertThat(restarted.state().series().get(cpu).read(0, Long.MAX_VALUE).timestamps())
        .containsExactly(1000, 2000, 3000, 4000, 5000);
  }

  @Test
  void suggestLookupAndLastAnswerFromTheHeads() {
    kit.<SeriesGroup.Appended>runCommand(
        replyTo ->
            new SeriesGroup.Append(
                List.of(
                    samples(key("sys.cpu", "web01"), new long[] {1000, 2000}, new double[] {1, 2}),
                    samples(key("sys.mem", "web02"), new long[] {1000}, new double[] {9}),
                    samples(key("app.req", "db01"), new long[] {5000}, new double[] {4})),
                replyTo));
    kit.<SeriesGroup.Appended>runCommand(
        replyTo ->
            new SeriesGroup.Append(
                List.of(samples(key("sys.cpu", "web01"), new long[] {1500}, new double[] {7})),
                replyTo));

    var metrics =
        kit.<SeriesGroup.Names>runCommand(
                replyTo ->
                    new SeriesGroup.Suggest(SeriesGroup.NameKind.METRICS, "sys", 25, replyTo))
            .reply();
    var tagValues =
        kit.<SeriesGroup.Names>runCommand(
                replyTo -> new SeriesGroup.Suggest(SeriesGroup.NameKind.TAGV, "", 2, replyTo))
            .reply();
    var webSeries =
        kit.<SeriesGroup.Keys>runCommand(
                replyTo ->
                    new SeriesGroup.Lookup(
                        null, List.of(new SeriesGroup.TagPair("host", null)), 10, replyTo))
            .reply();
    var last =
        kit.<SeriesGroup.LastSamples>runCommand(
                replyTo -> new SeriesGroup.Last("sys.cpu", List.of(), 0, replyTo))
            .reply();

    assertThat(metrics.names()).containsExactly("sys.cpu", "sys.mem");
    assertThat(tagValues.names()).containsExactly("db01", "web01");
    assertThat(webSeries.keys()).hasSize(3);
    assertThat(last.series()).hasSize(1);
    assertThat(last.series().get(0).timestamps()).containsExactly(2000);
    assertThat(last.series().get(0).values()).containsExactly(2);
  }

  private SeriesGroup.Selected select(String metric, List<TagFilter> filters, long from, long to) {
    return kit.<SeriesGroup.Selected>runCommand(
            replyTo -> new SeriesGroup.Select(metric, filters, false, from, to, replyTo))
        .reply();
  }
}
