package io.meridian.ops.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * {@code bench ingest --verify}: reads back, through a Prometheus query API, every series a run
 * wrote over the whole virtual time it wrote, and compares each sample with what the generator sent
 * in acknowledged requests ({@link SentScrapes}): an acknowledged sample must be there with its
 * exact timestamp and bit-exact value; a sample of a failed request may be there or not (counted
 * apart); anything else read is unexpected. A value that differs from the sent one only past its
 * twelfth significant digit is counted apart as rounded: VictoriaMetrics stores values as decimals
 * and gives back, say, {@code 0.00005688} for {@code 0.000056880000000000004}.
 *
 * <p>The expected values are not kept from the run (100,000 series × thousands of rounds): they are
 * replayed from a fresh {@link NodeExporterSeries} built like the run's. A series' values depend
 * only on its own state, advanced once per round from its first round on, so the replay goes host
 * by host ({@code instance} label), round after round, one time slice at a time; a slice is one
 * instant query of a range selector ({@code {instance="…"}[…ms]} at the slice's end, which returns
 * raw samples without lookback or staleness handling) of at most {@code samplesPerQuery} samples,
 * keeping answers and memory bounded.
 */
final class ReadBack {

  /**
   * How many missing, wrong, rounded or unexpected samples are described; the rest are only
   * counted.
   */
  static final int EXAMPLES = 5;

  /** The largest relative difference of a value counted as rounded rather than wrong. */
  static final double ROUNDING = 1e-12;

  /**
   * The most samples of one series a query asks for, however few series a host has: VictoriaMetrics
   * answers at most 30,000 per series ({@code -search.maxPointsPerTimeseries}).
   */
  static final int MAX_ROUNDS_PER_QUERY = 10_000;

  private static final JsonFactory JSON = new JsonFactory();

  /** What the read-back found. */
  record Outcome(
      long acknowledged,
      long missing,
      long wrong,
      long rounded,
      long unacknowledgedFound,
      long unexpected,
      long read,
      long queries,
      long failedQueries,
      List<String> examples) {

    /**
     * Every acknowledged sample was read back as sent (or rounded, if {@code roundingAllowed}), and
     * nothing else was read.
     */
    boolean passed(boolean roundingAllowed) {
      return missing == 0 && wrong == 0 && (roundingAllowed || rounded == 0) && unexpected == 0;
    }
  }

  private final NodeExporterSeries replay;
  private final SentScrapes sent;
  private final InstantQueries api;
  private final long samplesPerQuery;
  private final int parallelism;

  /**
   * @param replay a generator built with the run's arguments and seed, not advanced yet
   * @param sent what the run sent and which requests were acknowledged
   * @param samplesPerQuery the most samples one query should return: a host's span is cut into
   *     slices of as many rounds as fit
   * @param parallelism hosts checked at once: one query waits for the server while another's answer
   *     is parsed, and the server answers several queries at once faster than one after another
   */
  ReadBack(
      NodeExporterSeries replay,
      SentScrapes sent,
      InstantQueries api,
      long samplesPerQuery,
      int parallelism) {
    this.replay = replay;
    this.sent = sent;
    this.api = api;
    this.samplesPerQuery = samplesPerQuery;
    this.parallelism = parallelism;
  }

  /** Reads and compares every host; once. */
  Outcome run() throws InterruptedException {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            parallelism,
            task -> {
              Thread thread = new Thread(task, "verify-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    try {
      // Hosts are independent (each series' values depend on its own state only); the tallies
      // are added in host order, so the examples are the first hosts' whatever the timing.
      List<Future<Tally>> hosts = new ArrayList<>();
      for (int host = 0; host < replay.hosts(); host++) {
        int one = host;
        hosts.add(pool.submit(() -> verifyHost(one)));
      }
      Tally total = new Tally();
      for (Future<Tally> host : hosts) {
        try {
          total.add(host.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("verifying a host failed", e.getCause());
        }
      }
      return total.outcome();
    } finally {
      pool.shutdownNow();
    }
  }

  /** What the checks of one host or more found. */
  private static final class Tally {
    long acknowledged;
    long missing;
    long wrong;
    long rounded;
    long unacknowledgedFound;
    long unexpected;
    long read;
    long queries;
    long failedQueries;
    final List<String> examples = new ArrayList<>();

    void example(String text) {
      if (examples.size() < EXAMPLES) {
        examples.add(text);
      }
    }

    void add(Tally other) {
      acknowledged += other.acknowledged;
      missing += other.missing;
      wrong += other.wrong;
      rounded += other.rounded;
      unacknowledgedFound += other.unacknowledgedFound;
      unexpected += other.unexpected;
      read += other.read;
      queries += other.queries;
      failedQueries += other.failedQueries;
      other.examples.forEach(this::example);
    }

    Outcome outcome() {
      return new Outcome(
          acknowledged,
          missing,
          wrong,
          rounded,
          unacknowledgedFound,
          unexpected,
          read,
          queries,
          failedQueries,
          List.copyOf(examples));
    }
  }

  private Tally verifyHost(int host) throws InterruptedException {
    Tally tally = new Tally();
    int from = host * replay.seriesPerHost();
    int n = Math.min(replay.size(), from + replay.seriesPerHost()) - from;
    long[] first = new long[n];
    long firstRound = Long.MAX_VALUE;
    long lastRound = -1;
    Map<Map<String, String>, Integer> byLabels = new HashMap<>();
    for (int i = 0; i < n; i++) {
      first[i] = sent.firstRound(from + i);
      if (first[i] >= 0) {
        firstRound = Math.min(firstRound, first[i]);
        lastRound = Math.max(lastRound, sent.lastSentRound(from + i));
      }
      byLabels.put(replay.labels(from + i), i);
    }
    if (lastRound < 0) {
      return tally;
    }
    int roundsPerSlice = (int) Math.max(1, Math.min(MAX_ROUNDS_PER_QUERY, samplesPerQuery / n));
    // Each slice takes the samples in (lower, upper]: contiguous, and none read twice whether
    // the server's range selector includes its start (Prometheus 2) or not (Prometheus 3).
    long lower = replay.timestamp(from, firstRound) - 1;
    for (long start = firstRound; start <= lastRound; start += roundsPerSlice) {
      Slice slice =
          new Slice(
              tally,
              host,
              from,
              first,
              start,
              (int) Math.min(roundsPerSlice, lastRound + 1 - start));
      slice.replay();
      slice.query(lower, byLabels);
      slice.countMissing();
      lower = slice.times[slice.width - 1];
    }
    return tally;
  }

  /** Rounds {@code start…} of one host: expected values, statuses and what was read. */
  private final class Slice {
    final Tally tally;
    final int host;
    final int from;
    final long[] first;
    final long start;
    final int width;
    final long[] times;
    final double[][] expected;
    final SentScrapes.Status[][] status;
    final boolean[][] seen;

    Slice(Tally tally, int host, int from, long[] first, long start, int width) {
      this.tally = tally;
      this.host = host;
      this.from = from;
      this.first = first;
      this.start = start;
      this.width = width;
      this.times = new long[width];
      this.expected = new double[first.length][width];
      this.status = new SentScrapes.Status[first.length][width];
      this.seen = new boolean[first.length][width];
    }

    /** Advances the replay through the slice's rounds, as the run's encoders did. */
    void replay() {
      for (int r = 0; r < width; r++) {
        long round = start + r;
        // A host's series share their scrape times.
        times[r] = replay.timestamp(from, round);
        for (int i = 0; i < first.length; i++) {
          if (exists(i, round)) {
            expected[i][r] = replay.next(from + i, times[r]);
            status[i][r] = sent.status(from + i, round);
            if (status[i][r] == SentScrapes.Status.ACKNOWLEDGED) {
              tally.acknowledged++;
            }
          }
        }
      }
    }

    /** Reads the samples in {@code (lower, times[width - 1]]} and checks each. */
    void query(long lower, Map<Map<String, String>, Integer> byLabels) throws InterruptedException {
      long upper = times[width - 1];
      String promql =
          "{instance=\""
              + NodeExporterSeries.instance(host)
              + "\"}["
              + Math.max(1, upper - lower)
              + "ms]";
      tally.queries++;
      try (InputStream body = api.query(promql, upper);
          JsonParser parser = JSON.createParser(body)) {
        readAnswer(parser, lower, upper, byLabels);
      } catch (IOException | RuntimeException e) {
        // What was read counts; the rest of the slice's acknowledged samples count as missing.
        tally.failedQueries++;
        tally.example("query " + promql + " at " + upper + " failed: " + e);
      }
    }

    private void readAnswer(
        JsonParser parser, long lower, long upper, Map<Map<String, String>, Integer> byLabels)
        throws IOException {
      expect(parser.nextToken(), JsonToken.START_OBJECT, parser);
      String status = null;
      String error = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "status" -> status = parser.getText();
          case "error" -> error = parser.getText();
          case "data" -> {
            expect(value, JsonToken.START_OBJECT, parser);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
              String inData = parser.currentName();
              JsonToken token = parser.nextToken();
              if (inData.equals("resultType")) {
                if (!parser.getText().equals("matrix")) {
                  throw new IOException("expected a matrix, got a " + parser.getText());
                }
              } else if (inData.equals("result")) {
                expect(token, JsonToken.START_ARRAY, parser);
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                  readSeries(parser, lower, upper, byLabels);
                }
              } else {
                parser.skipChildren();
              }
            }
          }
          default -> parser.skipChildren();
        }
      }
      if (!"success".equals(status)) {
        throw new IOException("status " + status + ": " + error);
      }
    }

    private void readSeries(
        JsonParser parser, long lower, long upper, Map<Map<String, String>, Integer> byLabels)
        throws IOException {
      Map<String, String> labels = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        if (field.equals("metric")) {
          expect(token, JsonToken.START_OBJECT, parser);
          labels = new TreeMap<>();
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            labels.put(name, parser.getText());
          }
        } else if (field.equals("values")) {
          if (labels == null) {
            throw new IOException("a series' values come before its labels");
          }
          expect(token, JsonToken.START_ARRAY, parser);
          Integer i = byLabels.get(labels);
          while (parser.nextToken() == JsonToken.START_ARRAY) {
            parser.nextToken();
            long timeMs =
                parser
                    .getDecimalValue()
                    .movePointRight(3)
                    .setScale(0, RoundingMode.HALF_EVEN)
                    .longValueExact();
            parser.nextToken();
            String text = parser.getText();
            expect(parser.nextToken(), JsonToken.END_ARRAY, parser);
            if (timeMs > lower && timeMs <= upper) {
              check(i, labels, timeMs, text);
            }
          }
        } else {
          parser.skipChildren();
        }
      }
    }

    private void check(Integer i, Map<String, String> labels, long timeMs, String text) {
      tally.read++;
      int r = Arrays.binarySearch(times, timeMs);
      if (i == null || r < 0 || !exists(i, start + r) || seen[i][r]) {
        tally.unexpected++;
        tally.example(
            (i == null
                    ? "unexpected series"
                    : r < 0 || !exists(i, start + r) ? "unexpected timestamp" : "duplicate sample")
                + ": "
                + describe(labels, timeMs)
                + " = "
                + text);
        return;
      }
      seen[i][r] = true;
      double value;
      try {
        value = parse(text);
      } catch (NumberFormatException e) {
        value = Double.NaN;
      }
      // Bit-exact (any NaN equals any NaN): Go's formatting of a float64 parses back to it.
      boolean same = Double.doubleToLongBits(value) == Double.doubleToLongBits(expected[i][r]);
      if (status[i][r] != SentScrapes.Status.ACKNOWLEDGED) {
        // The request failed (or was never sent): the sample may be there or not.
        tally.unacknowledgedFound++;
      }
      if (!same) {
        // A value read is wrong whether its request was acknowledged or not.
        boolean close =
            Double.isFinite(value)
                && Double.isFinite(expected[i][r])
                && Math.abs(value - expected[i][r])
                    <= ROUNDING * Math.max(Math.abs(value), Math.abs(expected[i][r]));
        if (close) {
          tally.rounded++;
        } else {
          tally.wrong++;
        }
        tally.example(
            (close ? "rounded value: " : "wrong value: ")
                + describe(labels, timeMs)
                + " = "
                + text
                + ", sent "
                + format(expected[i][r])
                + (status[i][r] == SentScrapes.Status.ACKNOWLEDGED ? "" : " (not acknowledged)"));
      }
    }

    /** Counts the acknowledged samples of the slice that were not read. */
    void countMissing() {
      for (int i = 0; i < first.length; i++) {
        for (int r = 0; r < width; r++) {
          if (status[i][r] == SentScrapes.Status.ACKNOWLEDGED && !seen[i][r]) {
            tally.missing++;
            tally.example(
                "missing: "
                    + describe(replay.labels(from + i), times[r])
                    + ", sent "
                    + format(expected[i][r]));
          }
        }
      }
    }

    private boolean exists(int i, long round) {
      return first[i] >= 0 && first[i] <= round;
    }
  }

  /** A value as Prometheus' JSON gives it: Go's float formatting, or NaN and ±Inf. */
  static double parse(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  /** A value as Prometheus formats it (no exponent), for the examples. */
  private static String format(double value) {
    return Double.isFinite(value)
        ? new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString()
        : Double.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
  }

  private static String describe(Map<String, String> labels, long timeMs) {
    String name = labels.getOrDefault("__name__", "");
    return name
        + labels.entrySet().stream()
            .filter(e -> !e.getKey().equals("__name__"))
            .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
            .collect(Collectors.joining(",", "{", "}"))
        + " at "
        + Instant.ofEpochMilli(timeMs)
        + " ("
        + timeMs
        + ")";
  }

  private static void expect(JsonToken token, JsonToken wanted, JsonParser parser)
      throws IOException {
    if (token != wanted) {
      throw new IOException(
          "unexpected " + token + " (wanted " + wanted + ") at " + parser.currentLocation());
    }
  }
}
