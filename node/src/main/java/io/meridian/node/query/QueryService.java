package io.meridian.node.query;

import io.meridian.node.annotation.Annotation;
import io.meridian.node.annotation.AnnotationService;
import io.meridian.node.annotation.AnnotationStore;
import io.meridian.node.series.SeriesStore;
import io.meridian.node.uid.UidKind;
import io.meridian.node.uid.UidService;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.SubQuery;
import io.meridian.protocol.opentsdb.TsdbQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs OpenTSDB queries: for each sub query, selects the matching series from the series store
 * (scattered to the tenant's groups) over the range the evaluator needs, then evaluates it. A sub
 * query by TSUIDs is first resolved to its metric and series through the {@link UidService}.
 *
 * <p>Results carry what OpenTSDB adds to them: the TSUIDs of the series aggregated into each
 * ({@code showTSUIDs}; assigns UIDs as needed), the annotations of those series in the query range
 * (unless {@code noAnnotations}) and the global annotations of the range ({@code
 * globalAnnotations}). Annotations cost one ask to the tenant's annotation store per query, which
 * also tells whether any series annotation lies in the range at all; only then are the metric UIDs
 * and the annotated series looked up.
 */
public final class QueryService {

  /**
   * One output series with what the query asked to show about it.
   *
   * @param result the aggregated (or, for {@code none}, single) series
   * @param tsuids the sorted TSUIDs of the series aggregated into it; empty unless {@code
   *     showTSUIDs}
   * @param annotations the annotations of those series that meet the query range, sorted by start
   *     time; empty with {@code noAnnotations}
   */
  public record Output(QueryResult result, List<String> tsuids, List<Annotation> annotations) {}

  /** The outputs of one sub query, in the order the evaluator produced them. */
  public record Answer(SubQuery query, List<Output> outputs) {}

  /**
   * Every sub query's answer, in sub query order, and the global annotations that meet the query
   * range (empty unless {@code globalAnnotations} and not {@code noAnnotations}).
   */
  public record Results(List<Answer> answers, List<Annotation> globalAnnotations) {}

  /** A sub query names a metric the tenant has never written (OpenTSDB's "No such name"). */
  public static final class NoSuchMetricException extends RuntimeException {
    public NoSuchMetricException(String metric) {
      super("No such name for 'metrics': '" + metric + "'");
    }
  }

  private static final Comparator<Annotation> BY_START =
      Comparator.comparingLong(Annotation::startTime).thenComparing(Annotation::tsuid);

  /**
   * A sub query after evaluation: the query with its metric resolved, and the series that had
   * samples in the scanned range (the candidates for each result's TSUIDs and annotations).
   */
  private record Evaluated(
      SubQuery original, SubQuery resolved, List<QueryResult> results, List<SeriesKey> series) {}

  /** Series annotations by series, and the global annotations, found for a query. */
  private record FoundAnnotations(
      Map<SeriesKey, List<Annotation>> bySeries, List<Annotation> global) {
    static final FoundAnnotations NONE = new FoundAnnotations(Map.of(), List.of());
  }

  private final SeriesStore store;
  private final UidService uids;
  private final AnnotationService annotations;

  public QueryService(SeriesStore store, UidService uids, AnnotationService annotations) {
    this.store = store;
    this.uids = uids;
    this.annotations = annotations;
  }

  /**
   * Answers in sub query order; fails with {@link NoSuchMetricException} for unknown metrics and
   * with {@link UidService.NoSuchUidException} for TSUIDs holding unknown UIDs.
   */
  public CompletionStage<Results> run(String tenant, TsdbQuery query) {
    return resolveTsuids(tenant, query)
        .thenCompose(
            resolved -> {
              List<CompletableFuture<Evaluated>> evaluated =
                  new ArrayList<>(query.queries().size());
              for (SubQuery subQuery : query.queries()) {
                evaluated.add(evaluate(tenant, query, subQuery, resolved).toCompletableFuture());
              }
              return CompletableFuture.allOf(evaluated.toArray(CompletableFuture[]::new))
                  .thenApply(ignored -> evaluated.stream().map(CompletableFuture::join).toList());
            })
        .thenCompose(evaluated -> enrich(tenant, query, evaluated));
  }

  private CompletionStage<Map<String, SeriesKey>> resolveTsuids(String tenant, TsdbQuery query) {
    LinkedHashSet<String> tsuids = new LinkedHashSet<>();
    query.queries().forEach(subQuery -> tsuids.addAll(subQuery.tsuids()));
    return tsuids.isEmpty()
        ? CompletableFuture.completedFuture(Map.of())
        : uids.resolveAll(tenant, tsuids, false);
  }

  private CompletionStage<Evaluated> evaluate(
      String tenant, TsdbQuery query, SubQuery subQuery, Map<String, SeriesKey> resolved) {
    SubQuery q = subQuery;
    Set<SeriesKey> wanted = null;
    if (subQuery.byTsuids()) {
      wanted = new HashSet<>();
      for (String tsuid : subQuery.tsuids()) {
        wanted.add(resolved.get(tsuid));
      }
      q = subQuery.withMetric(resolved.get(subQuery.tsuids().get(0)).metric());
    }
    SubQuery effective = q;
    Set<SeriesKey> selectedKeys = wanted;
    long[] range =
        SubQueryEvaluator.scanRange(q, query.startMs(), query.endMs(), query.msResolution());
    return store
        .select(tenant, q.metric(), q.filters(), q.explicitTags(), range[0], range[1])
        .thenApply(
            selection -> {
              // A TSUID names series that exist as UIDs; without data they simply have no points.
              if (!selection.metricKnown() && selectedKeys == null) {
                throw new NoSuchMetricException(effective.metric());
              }
              List<SeriesSamples> series =
                  selectedKeys == null
                      ? selection.series()
                      : selection.series().stream()
                          .filter(samples -> selectedKeys.contains(samples.key()))
                          .toList();
              List<SeriesKey> withSamples =
                  series.stream().filter(s -> s.size() > 0).map(SeriesSamples::key).toList();
              return new Evaluated(
                  subQuery,
                  effective,
                  SubQueryEvaluator.evaluate(
                      effective, series, query.startMs(), query.endMs(), query.msResolution()),
                  withSamples);
            });
  }

  private CompletionStage<Results> enrich(
      String tenant, TsdbQuery query, List<Evaluated> evaluated) {
    boolean anyResult = evaluated.stream().anyMatch(e -> !e.results().isEmpty());
    if (!anyResult || (!query.showTSUIDs() && query.noAnnotations())) {
      return CompletableFuture.completedFuture(plain(evaluated, List.of()));
    }
    CompletionStage<FoundAnnotations> found =
        query.noAnnotations()
            ? CompletableFuture.completedFuture(FoundAnnotations.NONE)
            : findAnnotations(tenant, query, evaluated);
    if (!query.showTSUIDs()) {
      // Which series make up each result only matters if some series has annotations.
      return found.thenApply(
          notes ->
              notes.bySeries().isEmpty()
                  ? plain(evaluated, notes.global())
                  : assemble(evaluated, membersOf(evaluated), Map.of(), notes));
    }
    List<List<List<SeriesKey>>> members = membersOf(evaluated);
    LinkedHashSet<SeriesKey> allMembers = new LinkedHashSet<>();
    members.forEach(perResult -> perResult.forEach(allMembers::addAll));
    return uids.tsuids(tenant, allMembers)
        .thenCombine(found, (tsuids, notes) -> assemble(evaluated, members, tsuids, notes));
  }

  /** Results with no TSUIDs and no series annotations. */
  private static Results plain(List<Evaluated> evaluated, List<Annotation> global) {
    List<Answer> answers = new ArrayList<>(evaluated.size());
    for (Evaluated e : evaluated) {
      List<Output> outputs = new ArrayList<>(e.results().size());
      for (QueryResult result : e.results()) {
        outputs.add(new Output(result, List.of(), List.of()));
      }
      answers.add(new Answer(e.original(), outputs));
    }
    List<Annotation> sorted = new ArrayList<>(global);
    sorted.sort(BY_START);
    return new Results(answers, List.copyOf(sorted));
  }

  private static Results assemble(
      List<Evaluated> evaluated,
      List<List<List<SeriesKey>>> members,
      Map<SeriesKey, String> tsuids,
      FoundAnnotations found) {
    List<Answer> answers = new ArrayList<>(evaluated.size());
    for (int i = 0; i < evaluated.size(); i++) {
      Evaluated e = evaluated.get(i);
      List<Output> outputs = new ArrayList<>(e.results().size());
      for (int r = 0; r < e.results().size(); r++) {
        TreeSet<String> resultTsuids = new TreeSet<>();
        List<Annotation> resultAnnotations = new ArrayList<>();
        for (SeriesKey key : members.get(i).get(r)) {
          String tsuid = tsuids.get(key);
          if (tsuid != null) {
            resultTsuids.add(tsuid);
          }
          resultAnnotations.addAll(found.bySeries().getOrDefault(key, List.of()));
        }
        resultAnnotations.sort(BY_START);
        outputs.add(
            new Output(
                e.results().get(r), List.copyOf(resultTsuids), List.copyOf(resultAnnotations)));
      }
      answers.add(new Answer(e.original(), outputs));
    }
    List<Annotation> global = new ArrayList<>(found.global());
    global.sort(BY_START);
    return new Results(answers, List.copyOf(global));
  }

  /**
   * Per sub query and result, the series aggregated into it: for {@code none} the series with the
   * result's tags, otherwise the series with the result's values of the group-by tag keys (every
   * series of a group shares those, so the result's tags hold them).
   */
  private static List<List<List<SeriesKey>>> membersOf(List<Evaluated> evaluated) {
    List<List<List<SeriesKey>>> members = new ArrayList<>(evaluated.size());
    evaluated.forEach(e -> members.add(membersOf(e)));
    return members;
  }

  private static List<List<SeriesKey>> membersOf(Evaluated e) {
    boolean none = e.resolved().aggregator().equals("none");
    List<String> groupBy = e.resolved().groupByTagKeys();
    Map<Object, List<SeriesKey>> byGroup = new HashMap<>();
    for (SeriesKey key : e.series()) {
      byGroup.computeIfAbsent(groupOf(key.tags(), none, groupBy), g -> new ArrayList<>()).add(key);
    }
    List<List<SeriesKey>> members = new ArrayList<>(e.results().size());
    for (QueryResult result : e.results()) {
      members.add(byGroup.getOrDefault(groupOf(result.tags(), none, groupBy), List.of()));
    }
    return members;
  }

  private static Object groupOf(Map<String, String> tags, boolean none, List<String> groupBy) {
    if (none) {
      return Map.copyOf(tags);
    }
    List<String> values = new ArrayList<>(groupBy.size());
    for (String tagk : groupBy) {
      values.add(tags.get(tagk));
    }
    return values;
  }

  /**
   * Asks the annotation store once for the range; only when it holds series annotations in the
   * range are the result metrics' UIDs looked up (never assigned: a metric without a UID has no
   * annotations), their annotations fetched and the annotated TSUIDs resolved to series.
   */
  private CompletionStage<FoundAnnotations> findAnnotations(
      String tenant, TsdbQuery query, List<Evaluated> evaluated) {
    long start = query.startMs();
    long end = query.endMs();
    return annotations
        .inRange(tenant, start, end, List.of(), query.globalAnnotations())
        .thenCompose(
            probe -> {
              if (probe.seriesInRange() == 0) {
                return CompletableFuture.completedFuture(
                    new FoundAnnotations(Map.of(), probe.global()));
              }
              Set<String> metrics = new LinkedHashSet<>();
              evaluated.forEach(e -> e.results().forEach(result -> metrics.add(result.metric())));
              return uids.knownUids(tenant, UidKind.METRIC, metrics)
                  .thenCompose(
                      metricUids ->
                          metricUids.isEmpty()
                              ? CompletableFuture.completedFuture(
                                  new AnnotationStore.InRange(List.of(), List.of(), 0))
                              : annotations.inRange(tenant, start, end, metricUids.values(), false))
                  .thenCompose(local -> bySeries(tenant, local.series()))
                  .thenApply(bySeries -> new FoundAnnotations(bySeries, probe.global()));
            });
  }

  private CompletionStage<Map<SeriesKey, List<Annotation>>> bySeries(
      String tenant, List<Annotation> local) {
    if (local.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    LinkedHashSet<String> tsuids = new LinkedHashSet<>();
    local.forEach(annotation -> tsuids.add(annotation.tsuid()));
    return uids.resolveAll(tenant, tsuids, true)
        .thenApply(
            keys -> {
              Map<SeriesKey, List<Annotation>> bySeries = new HashMap<>();
              for (Annotation annotation : local) {
                SeriesKey key = keys.get(annotation.tsuid());
                if (key != null) {
                  bySeries.computeIfAbsent(key, k -> new ArrayList<>()).add(annotation);
                }
              }
              return bySeries;
            });
  }
}
