package io.meridian.node.uid;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UidRegistryTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

  private final EventSourcedBehaviorTestKit<
          UidRegistry.Command, UidRegistry.Event, UidRegistry.State>
      kit =
          EventSourcedBehaviorTestKit.create(
              testKit.system(), UidRegistry.create("default", new UidSettings(2, 1000), CLOCK));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    kit.clear();
  }

  private static UidRegistry.Name metric(String name) {
    return new UidRegistry.Name(UidKind.METRIC, name);
  }

  private static UidRegistry.Name tagk(String name) {
    return new UidRegistry.Name(UidKind.TAGK, name);
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          UidRegistry.Command, UidRegistry.Event, UidRegistry.State, UidRegistry.Uids>
      assign(UidRegistry.Name... names) {
    return kit.runCommand(replyTo -> new UidRegistry.Assign(List.of(names), replyTo));
  }

  @Test
  void assignsSequentialUidsPerKindInOneEventPerRequest() {
    var result = assign(metric("sys.cpu"), tagk("host"), metric("sys.mem"), metric("sys.cpu"));

    assertThat(result.reply().uids())
        .containsExactly(
            new UidRegistry.Uid(UidKind.METRIC, "sys.cpu", 1, true),
            new UidRegistry.Uid(UidKind.TAGK, "host", 1, true),
            new UidRegistry.Uid(UidKind.METRIC, "sys.mem", 2, true),
            new UidRegistry.Uid(UidKind.METRIC, "sys.cpu", 1, false));
    assertThat(result.events()).hasSize(1);
    assertThat(((UidRegistry.UidsAssigned) result.event()).uids()).hasSize(3);
    assertThat(((UidRegistry.UidsAssigned) result.event()).created()).isEqualTo(1_700_000_000L);
  }

  @Test
  void knownNamesPersistNothingAndFindNeverAssigns() {
    assign(metric("a"));

    var again = assign(metric("a"));
    var found =
        kit.<UidRegistry.Uids>runCommand(
            replyTo -> new UidRegistry.Find(List.of(metric("a"), metric("b")), replyTo));

    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().uids())
        .containsExactly(new UidRegistry.Uid(UidKind.METRIC, "a", 1, false));
    assertThat(found.hasNoEvents()).isTrue();
    assertThat(found.reply().uids())
        .containsExactly(new UidRegistry.Uid(UidKind.METRIC, "a", 1, false));
  }

  @Test
  void resolveLeavesOutUnknownUids() {
    assign(metric("a"), new UidRegistry.Name(UidKind.TAGV, "web01"));

    var resolved =
        kit.<UidRegistry.Uids>runCommand(
                replyTo ->
                    new UidRegistry.Resolve(
                        List.of(
                            new UidRegistry.Id(UidKind.METRIC, 1),
                            new UidRegistry.Id(UidKind.TAGV, 1),
                            new UidRegistry.Id(UidKind.TAGK, 1),
                            new UidRegistry.Id(UidKind.METRIC, 2)),
                        replyTo))
            .reply();

    assertThat(resolved.uids())
        .containsExactly(
            new UidRegistry.Uid(UidKind.METRIC, "a", 1, false),
            new UidRegistry.Uid(UidKind.TAGV, "web01", 1, false));
  }

  @Test
  void metaIsMergedReplacedAndClearedWhileTheUidStays() {
    assign(metric("a"));
    UidRegistry.Id id = new UidRegistry.Id(UidKind.METRIC, 1);

    var merged =
        kit.<UidRegistry.MetaReply>runCommand(
            replyTo ->
                new UidRegistry.UpdateMeta(
                    id,
                    new UidMetaChange("CPU", "desc", null, Map.of("owner", "ops")),
                    false,
                    replyTo));
    var mergedAgain =
        kit.<UidRegistry.MetaReply>runCommand(
            replyTo ->
                new UidRegistry.UpdateMeta(
                    id, new UidMetaChange(null, null, "notes", null), false, replyTo));
    var replaced =
        kit.<UidRegistry.MetaReply>runCommand(
            replyTo ->
                new UidRegistry.UpdateMeta(
                    id, new UidMetaChange(null, "only", null, null), true, replyTo));
    var cleared =
        kit.<UidRegistry.MetaReply>runCommand(replyTo -> new UidRegistry.DeleteMeta(id, replyTo));

    assertThat(merged.reply().meta().displayName()).isEqualTo("CPU");
    assertThat(merged.reply().meta().custom()).isEqualTo(Map.of("owner", "ops"));
    assertThat(mergedAgain.reply().meta())
        .isEqualTo(
            new UidMeta(
                UidKind.METRIC,
                1,
                "a",
                1_700_000_000L,
                "CPU",
                "desc",
                "notes",
                Map.of("owner", "ops")));
    assertThat(replaced.reply().meta())
        .isEqualTo(new UidMeta(UidKind.METRIC, 1, "a", 1_700_000_000L, "", "only", "", null));
    assertThat(cleared.reply().meta())
        .isEqualTo(new UidMeta(UidKind.METRIC, 1, "a", 1_700_000_000L, "", "", "", null));
    assertThat(cleared.events()).containsExactly(new UidRegistry.MetaCleared(id));
  }

  @Test
  void metaOfAnUnknownUidIsNull() {
    UidRegistry.Id id = new UidRegistry.Id(UidKind.TAGK, 7);

    var get =
        kit.<UidRegistry.MetaReply>runCommand(replyTo -> new UidRegistry.GetMeta(id, replyTo));
    var update =
        kit.<UidRegistry.MetaReply>runCommand(
            replyTo ->
                new UidRegistry.UpdateMeta(
                    id, new UidMetaChange("x", null, null, null), false, replyTo));
    var delete =
        kit.<UidRegistry.MetaReply>runCommand(replyTo -> new UidRegistry.DeleteMeta(id, replyTo));

    assertThat(get.reply().meta()).isNull();
    assertThat(update.reply().meta()).isNull();
    assertThat(update.hasNoEvents()).isTrue();
    assertThat(delete.reply().meta()).isNull();
  }

  @Test
  void uidsAndMetaSurviveRecoveryFromEventsAndSnapshots() {
    for (int i = 0; i < 5; i++) {
      assign(metric("m" + i), tagk("k" + i));
    }
    kit.<UidRegistry.MetaReply>runCommand(
        replyTo ->
            new UidRegistry.UpdateMeta(
                new UidRegistry.Id(UidKind.METRIC, 3),
                new UidMetaChange(null, "third", null, null),
                false,
                replyTo));
    UidRegistry.State before = kit.getState();

    var restarted = kit.restart();

    assertThat(restarted.state()).isEqualTo(before);
    assertThat(restarted.state().uidOf(UidKind.TAGK, "k4")).isEqualTo(5);
    assertThat(restarted.state().meta(new UidRegistry.Id(UidKind.METRIC, 3)).description())
        .isEqualTo("third");
    assertThat(assign(metric("next")).reply().uids().get(0).uid()).isEqualTo(6);
  }
}
