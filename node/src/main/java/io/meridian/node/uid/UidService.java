package io.meridian.node.uid;

import io.meridian.node.series.StoreUnavailableException;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.opentsdb.Names;
import io.meridian.protocol.opentsdb.Tsuids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The node's entry to OpenTSDB unique IDs: TSUIDs of series (assigning the UIDs they need), series
 * of TSUIDs, {@code /api/uid/assign} and UID meta data. Every call is one ask to the tenant's
 * {@link UidRegistry}; a registry that does not answer in time fails the call with {@link
 * StoreUnavailableException}.
 */
public final class UidService {

  /** A UID, in a TSUID or a meta data request, that was never assigned. */
  public static final class NoSuchUidException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NoSuchUidException(UidKind kind, int uid) {
      super("No such unique ID for '" + kind.qualifier() + "': '" + Tsuids.uidToString(uid) + "'");
    }
  }

  /**
   * The outcome of {@link #assign} for one kind, as OpenTSDB reports it.
   *
   * @param uids the names this request assigned a UID to, with the UID in hex
   * @param errors the other names with the reason, e.g. {@code Name already exists with UID:
   *     000001}
   */
  public record Assignment(SortedMap<String, String> uids, SortedMap<String, String> errors) {}

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  public UidService(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  /**
   * The TSUID of each series, assigning the UIDs of names that have none yet (one persisted event
   * for all of them).
   */
  public CompletionStage<Map<SeriesKey, String>> tsuids(String tenant, Collection<SeriesKey> keys) {
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    LinkedHashSet<UidRegistry.Name> names = new LinkedHashSet<>();
    for (SeriesKey key : keys) {
      names.add(new UidRegistry.Name(UidKind.METRIC, key.metric()));
      for (Map.Entry<String, String> tag : key.tags().entrySet()) {
        names.add(new UidRegistry.Name(UidKind.TAGK, tag.getKey()));
        names.add(new UidRegistry.Name(UidKind.TAGV, tag.getValue()));
      }
    }
    return this.<UidRegistry.Uids>ask(
            tenant, replyTo -> new UidRegistry.Assign(List.copyOf(names), replyTo))
        .thenApply(
            answer -> {
              if (!answer.rejected().isEmpty()) {
                throw new IllegalStateException(answer.rejected().get(0).reason());
              }
              Map<UidRegistry.Name, Integer> uids = new HashMap<>();
              for (UidRegistry.Uid uid : answer.uids()) {
                uids.put(new UidRegistry.Name(uid.kind(), uid.name()), uid.uid());
              }
              Map<SeriesKey, String> tsuids = new LinkedHashMap<>();
              for (SeriesKey key : keys) {
                tsuids.put(key, tsuid(key, uids));
              }
              return tsuids;
            });
  }

  private static String tsuid(SeriesKey key, Map<UidRegistry.Name, Integer> uids) {
    TreeMap<Integer, Integer> tags = new TreeMap<>();
    for (Map.Entry<String, String> tag : key.tags().entrySet()) {
      tags.put(
          uids.get(new UidRegistry.Name(UidKind.TAGK, tag.getKey())),
          uids.get(new UidRegistry.Name(UidKind.TAGV, tag.getValue())));
    }
    return Tsuids.format(uids.get(new UidRegistry.Name(UidKind.METRIC, key.metric())), tags);
  }

  /** The UIDs (hex) of those names of one kind that have one; assigns nothing. */
  public CompletionStage<Map<String, String>> knownUids(
      String tenant, UidKind kind, Collection<String> names) {
    if (names.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    List<UidRegistry.Name> request = new ArrayList<>(names.size());
    for (String name : names) {
      request.add(new UidRegistry.Name(kind, name));
    }
    return this.<UidRegistry.Uids>ask(tenant, replyTo -> new UidRegistry.Find(request, replyTo))
        .thenApply(
            answer -> {
              Map<String, String> uids = new LinkedHashMap<>();
              for (UidRegistry.Uid uid : answer.uids()) {
                uids.put(uid.name(), Tsuids.uidToString(uid.uid()));
              }
              return uids;
            });
  }

  /**
   * The series a TSUID stands for.
   *
   * @throws IllegalArgumentException (thrown at once) if the TSUID is malformed
   * @see #resolveAll
   */
  public CompletionStage<SeriesKey> resolve(String tenant, String tsuid) {
    String normalized = Tsuids.normalize(tsuid);
    return resolveAll(tenant, List.of(normalized), false).thenApply(keys -> keys.get(normalized));
  }

  /**
   * The series of each TSUID, keyed by the TSUID in upper case. With {@code skipUnknown} a TSUID
   * holding a UID that was never assigned is left out; otherwise the call fails with {@link
   * NoSuchUidException}.
   *
   * @throws IllegalArgumentException (thrown at once) if a TSUID is malformed
   */
  public CompletionStage<Map<String, SeriesKey>> resolveAll(
      String tenant, Collection<String> tsuids, boolean skipUnknown) {
    Map<String, int[]> parsed = new LinkedHashMap<>();
    LinkedHashSet<UidRegistry.Id> ids = new LinkedHashSet<>();
    for (String tsuid : tsuids) {
      int[] uids = Tsuids.parse(tsuid);
      parsed.put(Tsuids.normalize(tsuid), uids);
      ids.add(new UidRegistry.Id(UidKind.METRIC, uids[0]));
      for (int i = 1; i + 1 < uids.length; i += 2) {
        ids.add(new UidRegistry.Id(UidKind.TAGK, uids[i]));
        ids.add(new UidRegistry.Id(UidKind.TAGV, uids[i + 1]));
      }
    }
    if (parsed.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    return this.<UidRegistry.Uids>ask(
            tenant, replyTo -> new UidRegistry.Resolve(List.copyOf(ids), replyTo))
        .thenApply(
            answer -> {
              Map<UidRegistry.Id, String> names = new HashMap<>();
              for (UidRegistry.Uid uid : answer.uids()) {
                names.put(new UidRegistry.Id(uid.kind(), uid.uid()), uid.name());
              }
              Map<String, SeriesKey> keys = new LinkedHashMap<>();
              parsed.forEach(
                  (tsuid, uids) -> {
                    SeriesKey key = keyOf(tenant, uids, names, skipUnknown);
                    if (key != null) {
                      keys.put(tsuid, key);
                    }
                  });
              return keys;
            });
  }

  private static SeriesKey keyOf(
      String tenant, int[] uids, Map<UidRegistry.Id, String> names, boolean skipUnknown) {
    String metric = name(names, UidKind.METRIC, uids[0], skipUnknown);
    if (metric == null) {
      return null;
    }
    TreeMap<String, String> tags = new TreeMap<>();
    for (int i = 1; i + 1 < uids.length; i += 2) {
      String tagk = name(names, UidKind.TAGK, uids[i], skipUnknown);
      String tagv = name(names, UidKind.TAGV, uids[i + 1], skipUnknown);
      if (tagk == null || tagv == null) {
        return null;
      }
      tags.put(tagk, tagv);
    }
    return new SeriesKey(tenant, metric, tags);
  }

  private static String name(
      Map<UidRegistry.Id, String> names, UidKind kind, int uid, boolean skipUnknown) {
    String name = names.get(new UidRegistry.Id(kind, uid));
    if (name == null && !skipUnknown) {
      throw new NoSuchUidException(kind, uid);
    }
    return name;
  }

  /**
   * OpenTSDB's {@code /api/uid/assign}: assigns a UID to each name that has none. A name that is
   * invalid or already has a UID is reported in the kind's errors; the other names are assigned,
   * all in one persisted event.
   */
  public CompletionStage<Map<UidKind, Assignment>> assign(
      String tenant, Map<UidKind, List<String>> names) {
    Map<UidKind, SortedMap<String, String>> errors = new LinkedHashMap<>();
    List<UidRegistry.Name> valid = new ArrayList<>();
    names.forEach(
        (kind, list) -> {
          SortedMap<String, String> kindErrors = new TreeMap<>();
          errors.put(kind, kindErrors);
          for (String name : list) {
            try {
              Names.validate(kind.parameter(), name);
              valid.add(new UidRegistry.Name(kind, name));
            } catch (IllegalArgumentException e) {
              kindErrors.put(name, e.getMessage());
            }
          }
        });
    CompletionStage<UidRegistry.Uids> answer =
        valid.isEmpty()
            ? CompletableFuture.completedFuture(new UidRegistry.Uids(List.of(), List.of()))
            : ask(tenant, replyTo -> new UidRegistry.Assign(valid, replyTo));
    return answer.thenApply(
        uids -> {
          Map<UidKind, SortedMap<String, String>> assigned = new LinkedHashMap<>();
          names.keySet().forEach(kind -> assigned.put(kind, new TreeMap<>()));
          for (UidRegistry.Uid uid : uids.uids()) {
            String hex = Tsuids.uidToString(uid.uid());
            if (uid.assigned()) {
              assigned.get(uid.kind()).put(uid.name(), hex);
            } else {
              errors.get(uid.kind()).put(uid.name(), "Name already exists with UID: " + hex);
            }
          }
          for (UidRegistry.Rejected rejected : uids.rejected()) {
            errors.get(rejected.name().kind()).put(rejected.name().name(), rejected.reason());
          }
          Map<UidKind, Assignment> result = new LinkedHashMap<>();
          names
              .keySet()
              .forEach(
                  kind ->
                      result.put(
                          kind,
                          new Assignment(
                              Collections.unmodifiableSortedMap(assigned.get(kind)),
                              Collections.unmodifiableSortedMap(errors.get(kind)))));
          return result;
        });
  }

  /** A UID's meta data; empty if the UID was never assigned. */
  public CompletionStage<Optional<UidMeta>> meta(String tenant, UidKind kind, int uid) {
    return this.<UidRegistry.MetaReply>ask(
            tenant, replyTo -> new UidRegistry.GetMeta(new UidRegistry.Id(kind, uid), replyTo))
        .thenApply(reply -> Optional.ofNullable(reply.meta()));
  }

  /**
   * Merges ({@code replace} false) or replaces the user-editable meta data of a UID and returns the
   * result; empty if the UID was never assigned.
   */
  public CompletionStage<Optional<UidMeta>> updateMeta(
      String tenant, UidKind kind, int uid, UidMetaChange change, boolean replace) {
    return this.<UidRegistry.MetaReply>ask(
            tenant,
            replyTo ->
                new UidRegistry.UpdateMeta(new UidRegistry.Id(kind, uid), change, replace, replyTo))
        .thenApply(reply -> Optional.ofNullable(reply.meta()));
  }

  /**
   * Resets the user-editable meta data of a UID (the UID stays assigned); empty if the UID was
   * never assigned.
   */
  public CompletionStage<Optional<UidMeta>> deleteMeta(String tenant, UidKind kind, int uid) {
    return this.<UidRegistry.MetaReply>ask(
            tenant, replyTo -> new UidRegistry.DeleteMeta(new UidRegistry.Id(kind, uid), replyTo))
        .thenApply(reply -> Optional.ofNullable(reply.meta()));
  }

  private <R> CompletionStage<R> ask(
      String tenant, Function<ActorRef<R>, UidRegistry.Command> command) {
    return StoreUnavailableException.unlessAnswered(
        sharding.entityRefFor(UidRegistry.ENTITY_KEY, tenant).ask(command::apply, askTimeout),
        "The UID registry did not answer");
  }
}
