package io.meridian.node.promql;

import static io.meridian.node.promql.Fixtures.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.promql.Expr;
import io.meridian.protocol.promql.PromQlParser;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Range queries answered partly from the result cache answer exactly what a query computed from the
 * samples answers, read only the samples of the steps not kept, and never keep steps that a later
 * write may change.
 */
class RangeResultCacheTest {

  private static final String TENANT = "t";
  private static final long FRESHNESS = ms("5m");

  private static InMemorySeriesSource source() {
    return new InMemorySeriesSource()
        .load(ms("15s"), "requests{job=\"a\",instance=\"x\"}", "0+7x200 3+11x200")
        .load(ms("15s"), "requests{job=\"a\",instance=\"y\"}", "_x50 5+2x100 stale _x20 1+1x200")
        .load(
            ms("20s"), "requests{job=\"b\",instance=\"x\"}", "1.5 -2 NaN 4 _x3 Inf 7 8 9+0.25x250")
        .load(ms("1m"), "requests{job=\"c\",instance=\"z\"}", "100 _x20 200 300+5x80");
  }

  private static RangeResultCache cache() {
    return new RangeResultCache(
        new RangeResultCache.Settings(
            true,
            16 << 20,
            Duration.ofMillis(FRESHNESS),
            Duration.ofHours(1),
            Duration.ofMillis(200)));
  }

  private static Value.Matrix range(
      PromQlEngine engine, Expr expr, long startMs, long endMs, long stepMs, boolean cached) {
    return engine.range(TENANT, expr, startMs, endMs, stepMs, cached).toCompletableFuture().join();
  }

  @Test
  void aQueryPartlyFromTheCacheAnswersWhatAComputedOneDoes() {
    List<String> queries =
        List.of(
            "sum by (job) (rate(requests[1m]))",
            "requests",
            "rate(requests[2m]) * 60",
            "topk(2, requests)",
            "requests offset 3m",
            "max_over_time(rate(requests[1m])[5m:30s])",
            "avg_over_time(requests[90s]) > bool 10",
            "count(requests) + scalar(sum(requests{job=\"c\"}))",
            "time() - timestamp(requests)",
            "absent(requests{job=\"none\"})",
            "sum(increase(requests[5m])) / sum(count_over_time(requests[5m]))",
            "label_replace(requests, \"host\", \"$1\", \"instance\", \"(.*)\")",
            "1 + 2");
    Random random = new Random(8);
    for (String query : queries) {
      Expr expr = PromQlParser.parse(query);
      for (int round = 0; round < 8; round++) {
        long stepMs = ms("15s") * (1 + random.nextInt(4)) + (round % 2 == 0 ? 0 : 7_000);
        long firstStart = random.nextInt(60) * 10_000L;
        long firstEnd = firstStart + stepMs * (10 + random.nextInt(60));
        long secondStart = firstStart + stepMs * random.nextInt(10);
        long secondEnd = firstEnd + stepMs * (1 + random.nextInt(40));
        InMemorySeriesSource source = source();
        // The first query's end, or later: then its kept steps end with it, not with the freshness.
        AtomicLong now =
            new AtomicLong(
                firstEnd + FRESHNESS + (round % 3 == 0 ? ms("1h") * random.nextInt(3) : 0));
        RangeResultCache cache = cache();
        PromQlEngine engine = new PromQlEngine(source, EngineSettings.defaults(), cache, now::get);

        Value.Matrix first = range(engine, expr, firstStart, firstEnd, stepMs, true);
        assertThat(first).isEqualTo(range(engine, expr, firstStart, firstEnd, stepMs, false));
        now.set(secondEnd + FRESHNESS);
        int selectsBefore = source.selects().size();
        Value.Matrix second = range(engine, expr, secondStart, secondEnd, stepMs, true);
        List<InMemorySeriesSource.Select> secondReads =
            List.copyOf(source.selects().subList(selectsBefore, source.selects().size()));

        assertThat(second)
            .as("%s from %d to %d at %d", query, secondStart, secondEnd, stepMs)
            .isEqualTo(range(engine, expr, secondStart, secondEnd, stepMs, false));
        assertThat(cache.stats()).contains("1 hits");
        // Only the steps after the kept ones are read (none of these looks back 20 minutes).
        for (InMemorySeriesSource.Select select : secondReads) {
          assertThat(select.minMs()).isGreaterThan(firstEnd - ms("20m"));
        }
      }
    }
  }

  @Test
  void stepsWithinTheFreshnessAreComputedEveryTime() {
    InMemorySeriesSource source = source();
    RangeResultCache cache = cache();
    long end = ms("40m");
    AtomicLong now = new AtomicLong(end + ms("2m"));
    PromQlEngine engine = new PromQlEngine(source, EngineSettings.defaults(), cache, now::get);
    Expr expr = PromQlParser.parse("sum(requests)");

    range(engine, expr, 0, end, ms("1m"), true);
    int selects = source.selects().size();
    range(engine, expr, 0, end, ms("1m"), true);

    // Kept to 40m + 2m - 5m = 37m: the second query reads from there on.
    assertThat(source.selects()).hasSize(selects + 1);
    assertThat(source.selects().get(selects).minMs()).isGreaterThan(ms("37m") - ms("10m"));
    assertThat(cache.stats()).contains("1 hits");
  }

  @Test
  void aLateWriteDropsTheKeptStepsFromItsSampleOn() {
    InMemorySeriesSource source = source();
    RangeResultCache cache = cache();
    long end = ms("60m");
    AtomicLong now = new AtomicLong(end + FRESHNESS);
    PromQlEngine engine = new PromQlEngine(source, EngineSettings.defaults(), cache, now::get);
    Expr expr = PromQlParser.parse("count(requests)");
    Value.Matrix before = range(engine, expr, 0, end, ms("1m"), true);

    // A series written late, from 30m on: unseen until the cache hears of the write.
    source.load(ms("1m"), "requests{job=\"late\"}", "_x30 1+1x40");
    assertThat(range(engine, expr, 0, end, ms("1m"), true)).isEqualTo(before);
    cache.invalidate(TENANT, ms("30m"));
    Value.Matrix after = range(engine, expr, 0, end, ms("1m"), true);

    assertThat(after).isEqualTo(range(engine, expr, 0, end, ms("1m"), false));
    assertThat(after).isNotEqualTo(before);
    assertThat(RangeResultCache.slice(after.series(), 0, ms("29m")))
        .isEqualTo(RangeResultCache.slice(before.series(), 0, ms("29m")));
  }

  @Test
  void aResultReadBeforeAnInvalidationIsNotKept() {
    RangeResultCache cache = cache();
    Expr expr = PromQlParser.parse("requests");
    long generation = cache.generation(TENANT);
    cache.invalidate(TENANT, 0);
    Value.Series series =
        new Value.Series(Fixtures.labels("requests"), new long[] {0, 60_000}, new double[] {1, 2});

    cache.put(TENANT, expr, 0, 60_000, 60_000, List.of(series), generation, ms("1h"));

    assertThat(cache.get(TENANT, expr, 0, 60_000, 60_000, ms("1h"))).isNull();
    cache.put(TENANT, expr, 0, 60_000, 60_000, List.of(series), cache.generation(TENANT), ms("1h"));
    assertThat(cache.get(TENANT, expr, 0, 60_000, 60_000, ms("1h")).series())
        .containsExactly(series);
    assertThat(cache.get("other", expr, 0, 60_000, 60_000, ms("1h"))).isNull();
  }

  @Test
  void expressionsThatReadAfterTheirStepAreNeverKept() {
    assertThat(RangeResultCache.cacheable(PromQlParser.parse("rate(x[5m] offset 1h)"))).isTrue();
    assertThat(RangeResultCache.cacheable(PromQlParser.parse("rate(x[5m] offset -1h)"))).isFalse();
    assertThat(RangeResultCache.cacheable(PromQlParser.parse("x @ end()"))).isFalse();
    assertThat(RangeResultCache.cacheable(PromQlParser.parse("sum(x @ 100)"))).isFalse();
    assertThat(RangeResultCache.cacheable(PromQlParser.parse("max_over_time(x[5m:1m] @ start())")))
        .isFalse();
    assertThat(RangeResultCache.cacheable(PromQlParser.parse("max_over_time(x[5m:1m] offset -5m)")))
        .isFalse();
  }

  @Test
  void theLeastRecentlyUsedResultsGoFirstBeyondTheMemoryLimit() {
    RangeResultCache cache =
        new RangeResultCache(
            new RangeResultCache.Settings(
                true,
                40_000,
                Duration.ofMillis(FRESHNESS),
                Duration.ofHours(1),
                Duration.ofMillis(200)));
    long[] ts = new long[100];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = i * 60_000L;
    }
    Value.Series series = new Value.Series(Fixtures.labels("x"), ts, new double[100]);
    long now = ms("10h");
    for (int i = 0; i < 50; i++) {
      cache.put(TENANT, PromQlParser.parse("x + " + i), 0, ts[99], 60_000, List.of(series), 0, now);
      cache.get(TENANT, PromQlParser.parse("x + 0"), 0, 0, 60_000, now);
    }

    assertThat(cache.bytes()).isLessThanOrEqualTo(40_000);
    assertThat(cache.get(TENANT, PromQlParser.parse("x + 0"), 0, 0, 60_000, now)).isNotNull();
    assertThat(cache.get(TENANT, PromQlParser.parse("x + 1"), 0, 0, 60_000, now)).isNull();
    assertThat(cache.get(TENANT, PromQlParser.parse("x + 49"), 0, 0, 60_000, now)).isNotNull();
  }
}
