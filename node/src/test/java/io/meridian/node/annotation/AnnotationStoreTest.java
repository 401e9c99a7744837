package io.meridian.node.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnnotationStoreTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  private static final String A = "000001000001000001";
  private static final String B = "000001000001000002";
  private static final String OTHER_METRIC = "000002000001000001";

  private final EventSourcedBehaviorTestKit<
          AnnotationStore.Command, AnnotationStore.Event, AnnotationStore.State>
      kit =
          EventSourcedBehaviorTestKit.create(
              testKit.system(),
              AnnotationStore.create("default", new AnnotationSettings(5, 4096, 2)));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    kit.clear();
  }

  private static AnnotationChange change(String tsuid, long start, String description) {
    return new AnnotationChange(tsuid, start, 0, description, null, null);
  }

  private AnnotationStore.Upserted upsert(boolean replace, AnnotationChange... changes) {
    return kit.<AnnotationStore.Upserted>runCommand(
            replyTo -> new AnnotationStore.Upsert(List.of(changes), replace, replyTo))
        .reply();
  }

  private Annotation get(String tsuid, long start) {
    return kit.<AnnotationStore.Found>runCommand(
            replyTo -> new AnnotationStore.Get(new Annotation.Key(tsuid, start), replyTo))
        .reply()
        .annotation();
  }

  @Test
  void upsertPersistsOneEventPerRequestAndGetReturnsTheAnnotation() {
    var result =
        kit.<AnnotationStore.Upserted>runCommand(
            replyTo ->
                new AnnotationStore.Upsert(
                    List.of(change(A, 100, "deploy"), change("", 100, "outage")), false, replyTo));

    assertThat(result.events()).hasSize(1);
    assertThat(result.reply().stored()).hasSize(2);
    assertThat(get(A, 100)).isEqualTo(new Annotation(A, 100, 0, "deploy", "", null));
    assertThat(get("", 100).description()).isEqualTo("outage");
    assertThat(get(B, 100)).isNull();
  }

  @Test
  void postMergesGivenFieldsAndPutReplacesAll() {
    upsert(false, new AnnotationChange(A, 100, 200, "deploy", "v1", Map.of("owner", "ops")));

    var merged = upsert(false, new AnnotationChange(A, 100, 0, null, "v2", null));
    var replaced = upsert(true, new AnnotationChange(A, 100, 0, "rollback", null, null));

    assertThat(merged.stored())
        .containsExactly(new Annotation(A, 100, 200, "deploy", "v2", Map.of("owner", "ops")));
    assertThat(replaced.stored()).containsExactly(new Annotation(A, 100, 0, "rollback", "", null));
  }

  @Test
  void queryFindsOverlappingAnnotationsByPrefixAndCountsAllSeriesAnnotations() {
    upsert(
        false,
        change(A, 100, "a"),
        new AnnotationChange(B, 50, 150, "b spans into the range", null, null),
        change(OTHER_METRIC, 120, "other metric"),
        change("", 110, "global"),
        change(A, 500, "after the range"));

    var inRange =
        kit.<AnnotationStore.InRange>runCommand(
                replyTo ->
                    new AnnotationStore.Query(100_000, 200_000, List.of("000001"), true, replyTo))
            .reply();
    var probe =
        kit.<AnnotationStore.InRange>runCommand(
                replyTo -> new AnnotationStore.Query(100_000, 200_000, List.of(), false, replyTo))
            .reply();

    assertThat(inRange.series())
        .extracting(Annotation::description)
        .containsExactly("b spans into the range", "a");
    assertThat(inRange.global()).extracting(Annotation::description).containsExactly("global");
    assertThat(inRange.seriesInRange()).isEqualTo(3);
    assertThat(probe.series()).isEmpty();
    assertThat(probe.global()).isEmpty();
    assertThat(probe.seriesInRange()).isEqualTo(3);
  }

  @Test
  void deleteRemovesOneAndDeleteRangeRemovesByStartTimeTsuidAndGlobalFlag() {
    upsert(
        false,
        change(A, 100, "a1"),
        change(A, 300, "a2"),
        change(B, 150, "b"),
        change("", 200, "g"));

    var missing =
        kit.<AnnotationStore.Removed>runCommand(
            replyTo -> new AnnotationStore.Delete(new Annotation.Key(A, 999), replyTo));
    var one =
        kit.<AnnotationStore.Removed>runCommand(
            replyTo -> new AnnotationStore.Delete(new Annotation.Key(A, 300), replyTo));
    var range =
        kit.<AnnotationStore.Removed>runCommand(
            replyTo ->
                new AnnotationStore.DeleteRange(List.of(A, B), true, 100_000, 160_000, replyTo));

    assertThat(missing.reply().count()).isZero();
    assertThat(missing.hasNoEvents()).isTrue();
    assertThat(one.reply().count()).isEqualTo(1);
    assertThat(range.reply().count()).isEqualTo(2);
    assertThat(kit.getState().list()).extracting(Annotation::description).containsExactly("g");
  }

  @Test
  void writesBeyondTheLimitsAreRejectedAsAWhole() {
    upsert(false, change(A, 1, "1"), change(A, 2, "2"), change(A, 3, "3"), change(A, 4, "4"));

    var tooMany = upsert(false, change(A, 5, "5"), change(A, 6, "6"));
    var tooLarge = upsert(false, change(B, 1, "x".repeat(5000)));
    var update = upsert(false, change(A, 1, "still fine"));

    assertThat(tooMany.stored()).isEmpty();
    assertThat(tooMany.rejection()).contains("meridian.annotations.max-count");
    assertThat(tooLarge.rejection()).contains("meridian.annotations.max-bytes");
    assertThat(update.rejection()).isNull();
    assertThat(kit.getState().count()).isEqualTo(4);
  }

  @Test
  void annotationsSurviveRecoveryFromEventsAndSnapshots() {
    for (int i = 1; i <= 5; i++) {
      upsert(false, change(A, i, "n" + i));
    }
    kit.<AnnotationStore.Removed>runCommand(
        replyTo -> new AnnotationStore.Delete(new Annotation.Key(A, 2), replyTo));
    AnnotationStore.State before = kit.getState();

    var restarted = kit.restart();

    assertThat(restarted.state()).isEqualTo(before);
    assertThat(restarted.state().count()).isEqualTo(4);
  }
}
