package io.meridian.node.series;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.meridian.node.JournalFailures;
import io.meridian.protocol.CborSerializable;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.TagFilter;
import io.meridian.protocol.promql.LabelMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * A series-group entity: owns every series of one tenant whose key hashes to its group number. Each
 * incoming batch becomes one persisted event holding all the batch's samples for this group, and
 * the write is acknowledged only after the journal write succeeded. Reads select series by metric
 * and tag filters and return their samples in a time range.
 */
public final class SeriesGroup
    extends EventSourcedBehaviorWithEnforcedReplies<
        SeriesGroup.Command, SeriesGroup.Event, SeriesGroup.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "SeriesGroup");

  /** The label that carries a series' metric in PromQL. */
  static final String METRIC_NAME = "__name__";

  /** Messages a series group accepts. */
  public sealed interface Command extends CborSerializable
      permits Append, Select, SelectMatching, Suggest, Lookup, Last {}

  /** Stores a batch of samples; replies once they are durable in the journal. */
  public record Append(List<SeriesSamples> batch, ActorRef<Appended> replyTo) implements Command {}

  /**
   * The acknowledgement of an {@link Append}: how many samples are durable, and which were refused
   * (they are not stored, and writing them again is refused again).
   */
  public record Appended(long samples, List<Rejection> rejections) implements CborSerializable {

    public Appended(long samples) {
      this(samples, List.of());
    }
  }

  /**
   * Samples of an {@link Append} that the group refused: {@code samples} of the series at {@code
   * index} of the command's batch, for {@code reason} (e.g. the project's series limit, or
   * timestamps older than its retention).
   */
  public record Rejection(int index, int samples, String reason) implements CborSerializable {}

  /**
   * Selects the series of {@code metric} whose tags pass every filter (and, with {@code
   * explicitTags}, have no other tag keys) with their samples in {@code [startMs, endMs]}.
   */
  public record Select(
      String metric,
      List<TagFilter> filters,
      boolean explicitTags,
      long startMs,
      long endMs,
      ActorRef<Selected> replyTo)
      implements Command {}

  /**
   * The answer to a {@link Select}: whether this group knows the metric at all, and the matching
   * series (those without samples in the range included, with empty arrays).
   */
  public record Selected(boolean metricKnown, List<SeriesSamples> series)
      implements CborSerializable {}

  /**
   * Selects the series whose labels ({@code __name__} = metric, the other labels = tags) pass every
   * PromQL matcher, a missing label matching as the empty string, and that have samples in {@code
   * [startMs, endMs]}: with those samples, or with {@code keysOnly} without any (the series and
   * label endpoints need only which series exist in the range).
   */
  public record SelectMatching(
      List<Matcher> matchers, long startMs, long endMs, boolean keysOnly, ActorRef<Matched> replyTo)
      implements Command {}

  /**
   * A PromQL label matcher as it travels in a {@link SelectMatching}: {@link LabelMatcher} holds a
   * compiled pattern, so the wire form is its type, name and value.
   */
  public record Matcher(LabelMatcher.Type type, String name, String value)
      implements CborSerializable {

    public static Matcher of(LabelMatcher matcher) {
      return new Matcher(matcher.type(), matcher.name(), matcher.value());
    }

    public static List<Matcher> of(List<LabelMatcher> matchers) {
      return matchers.stream().map(Matcher::of).toList();
    }

    LabelMatcher toLabelMatcher() {
      return LabelMatcher.of(type, name, value);
    }
  }

  /**
   * The answer to a {@link SelectMatching}: the matching series with samples in the range, with
   * those samples unless only keys were asked for (then with empty arrays).
   */
  public record Matched(List<SeriesSamples> series) implements CborSerializable {}

  /** What {@link Suggest} completes: metric names, tag keys or tag values. */
  public enum NameKind {
    METRICS,
    TAGK,
    TAGV
  }

  /** Names of one kind that start with {@code prefix}, sorted, at most {@code max}. */
  public record Suggest(NameKind kind, String prefix, int max, ActorRef<Names> replyTo)
      implements Command {}

  /** Sorted distinct names, the answer to {@link Suggest}. */
  public record Names(List<String> names) implements CborSerializable {}

  /**
   * Series whose metric is {@code metric} (null: any) and that carry every tag pair; a null key or
   * value in a pair matches any (OpenTSDB's {@code *} in {@code /api/search/lookup}).
   */
  public record Lookup(String metric, List<TagPair> tags, int limit, ActorRef<Keys> replyTo)
      implements Command {}

  /** A tag key and value of a {@link Lookup}; null stands for any. */
  public record TagPair(String key, String value) implements CborSerializable {}

  /** Series keys, the answer to {@link Lookup}. */
  public record Keys(List<SeriesKey> keys) implements CborSerializable {}

  /**
   * The latest sample at or after {@code sinceMs} of each series of {@code metric} that passes the
   * filters (OpenTSDB's {@code /api/query/last}).
   */
  public record Last(
      String metric, List<TagFilter> filters, long sinceMs, ActorRef<LastSamples> replyTo)
      implements Command {}

  /** The latest sample of each matching series, as one-sample runs; the answer to {@link Last}. */
  public record LastSamples(List<SeriesSamples> series) implements CborSerializable {}

  /** What a series group persists. */
  public sealed interface Event extends CborSerializable permits SamplesAppended {}

  /** One incoming batch's samples for this group, each series sorted with unique timestamps. */
  public record SamplesAppended(List<SeriesSamples> batch) implements Event {}

  /** The group's series heads, by key. Immutable: appending returns a new state. */
  @JsonAutoDetect(
      fieldVisibility = JsonAutoDetect.Visibility.NONE,
      getterVisibility = JsonAutoDetect.Visibility.NONE,
      isGetterVisibility = JsonAutoDetect.Visibility.NONE)
  public static final class State implements CborSerializable {

    private final Map<SeriesKey, SeriesHead> series;

    private State(Map<SeriesKey, SeriesHead> series) {
      this.series = Map.copyOf(series);
    }

    static State empty() {
      return new State(Map.of());
    }

    /** Jackson form: map keys are records, so the state is written as its list of heads. */
    @JsonCreator
    static State fromHeads(@JsonProperty("heads") List<SeriesHead> heads) {
      Map<SeriesKey, SeriesHead> byKey = new HashMap<>();
      for (SeriesHead head : heads) {
        byKey.put(head.key(), head);
      }
      return new State(byKey);
    }

    @JsonProperty("heads")
    List<SeriesHead> heads() {
      return List.copyOf(series.values());
    }

    Map<SeriesKey, SeriesHead> series() {
      return series;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State other && series.equals(other.series);
    }

    @Override
    public int hashCode() {
      return series.hashCode();
    }

    @Override
    public String toString() {
      return "State[" + series.size() + " series]";
    }

    State withAppended(List<SeriesSamples> batch) {
      Map<SeriesKey, SeriesHead> next = new HashMap<>(series);
      for (SeriesSamples samples : batch) {
        SeriesHead head = next.getOrDefault(samples.key(), SeriesHead.empty(samples.key()));
        next.put(
            samples.key(), head.withAppended(new Chunk(samples.timestamps(), samples.values())));
      }
      return new State(next);
    }

    long sampleCount() {
      long n = 0;
      for (SeriesHead head : series.values()) {
        n += head.sampleCount();
      }
      return n;
    }

    Selected select(Select query) {
      boolean metricKnown = false;
      List<SeriesSamples> matching = new ArrayList<>();
      for (SeriesHead head : series.values()) {
        SeriesKey key = head.key();
        if (!key.metric().equals(query.metric())) {
          continue;
        }
        metricKnown = true;
        if (matches(key, query.filters(), query.explicitTags())) {
          matching.add(head.read(query.startMs(), query.endMs()));
        }
      }
      return new Selected(metricKnown, matching);
    }

    Matched selectMatching(SelectMatching query) {
      List<LabelMatcher> matchers = query.matchers().stream().map(Matcher::toLabelMatcher).toList();
      List<SeriesSamples> matching = new ArrayList<>();
      for (SeriesHead head : series.values()) {
        if (!matchesLabels(head.key(), matchers)) {
          continue;
        }
        if (query.keysOnly()) {
          if (head.hasSamplesIn(query.startMs(), query.endMs())) {
            matching.add(new SeriesSamples(head.key(), new long[0], new double[0]));
          }
        } else {
          SeriesSamples samples = head.read(query.startMs(), query.endMs());
          if (samples.size() > 0) {
            matching.add(samples);
          }
        }
      }
      return new Matched(matching);
    }

    private static boolean matchesLabels(SeriesKey key, List<LabelMatcher> matchers) {
      for (LabelMatcher matcher : matchers) {
        String value =
            matcher.name().equals(METRIC_NAME) ? key.metric() : key.tags().get(matcher.name());
        if (!matcher.matches(value)) {
          return false;
        }
      }
      return true;
    }

    Names suggest(Suggest query) {
      TreeSet<String> names = new TreeSet<>();
      for (SeriesKey key : series.keySet()) {
        switch (query.kind()) {
          case METRICS -> names.add(key.metric());
          case TAGK -> names.addAll(key.tags().keySet());
          case TAGV -> names.addAll(key.tags().values());
        }
      }
      List<String> matching = new ArrayList<>();
      for (String name : names.tailSet(query.prefix())) {
        if (!name.startsWith(query.prefix()) || matching.size() >= query.max()) {
          break;
        }
        matching.add(name);
      }
      return new Names(matching);
    }

    Keys lookup(Lookup query) {
      // Sorted before the limit, so that gathering every group's first keys is the global first.
      return new Keys(
          series.keySet().stream()
              .filter(key -> query.metric() == null || key.metric().equals(query.metric()))
              .filter(key -> carriesAll(key, query.tags()))
              .sorted(Comparator.comparing(SeriesKey::toString))
              .limit(query.limit())
              .toList());
    }

    private static boolean carriesAll(SeriesKey key, List<TagPair> pairs) {
      for (TagPair pair : pairs) {
        boolean found = false;
        for (Map.Entry<String, String> tag : key.tags().entrySet()) {
          if ((pair.key() == null || pair.key().equals(tag.getKey()))
              && (pair.value() == null || pair.value().equals(tag.getValue()))) {
            found = true;
            break;
          }
        }
        if (!found) {
          return false;
        }
      }
      return true;
    }

    LastSamples last(Last query) {
      List<SeriesSamples> latest = new ArrayList<>();
      for (SeriesHead head : series.values()) {
        SeriesKey key = head.key();
        if (key.metric().equals(query.metric()) && matches(key, query.filters(), false)) {
          SeriesSamples sample = head.latest();
          if (sample.size() > 0 && sample.timestamps()[0] >= query.sinceMs()) {
            latest.add(sample);
          }
        }
      }
      return new LastSamples(latest);
    }

    private static boolean matches(SeriesKey key, List<TagFilter> filters, boolean explicitTags) {
      for (TagFilter filter : filters) {
        String value = key.tags().get(filter.tagk());
        if (value == null || !filter.matches(value)) {
          return false;
        }
      }
      if (explicitTags) {
        Set<String> filtered = new HashSet<>();
        for (TagFilter filter : filters) {
          filtered.add(filter.tagk());
        }
        return filtered.equals(key.tags().keySet());
      }
      return true;
    }
  }

  private final int snapshotEvery;
  private final long snapshotMaxSamples;

  /** Registers the entity type with Cluster Sharding on this node. */
  public static void init(ActorSystem<?> system, SeriesSettings settings) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings)));
  }

  public static Behavior<Command> create(String entityId, SeriesSettings settings) {
    return new SeriesGroup(entityId, settings);
  }

  private SeriesGroup(String entityId, SeriesSettings settings) {
    super(PersistenceId.of(ENTITY_KEY.name(), entityId), JournalFailures.restartWithBackoff());
    this.snapshotEvery = settings.snapshotEvery();
    this.snapshotMaxSamples = settings.snapshotMaxSamples();
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Append.class, this::onAppend)
        .onCommand(Select.class, this::onSelect)
        .onCommand(
            SelectMatching.class,
            (state, c) -> Effect().reply(c.replyTo(), state.selectMatching(c)))
        .onCommand(Suggest.class, (state, c) -> Effect().reply(c.replyTo(), state.suggest(c)))
        .onCommand(Lookup.class, (state, c) -> Effect().reply(c.replyTo(), state.lookup(c)))
        .onCommand(Last.class, (state, c) -> Effect().reply(c.replyTo(), state.last(c)))
        .build();
  }

  private ReplyEffect<Event, State> onAppend(State state, Append command) {
    List<SeriesSamples> normalized = new ArrayList<>(command.batch().size());
    long samples = 0;
    for (SeriesSamples series : command.batch()) {
      Chunk chunk = Chunk.sorted(series.timestamps(), series.values());
      normalized.add(new SeriesSamples(series.key(), chunk.timestamps(), chunk.values()));
      samples += series.size();
    }
    long acknowledged = samples;
    return Effect()
        .persist(new SamplesAppended(normalized))
        .thenReply(command.replyTo(), s -> new Appended(acknowledged));
  }

  private ReplyEffect<Event, State> onSelect(State state, Select command) {
    return Effect().reply(command.replyTo(), state.select(command));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(SamplesAppended.class, (state, event) -> state.withAppended(event.batch()))
        .build();
  }

  @Override
  public boolean shouldSnapshot(State state, Event event, long sequenceNr) {
    return sequenceNr % snapshotEvery == 0 && state.sampleCount() <= snapshotMaxSamples;
  }
}
