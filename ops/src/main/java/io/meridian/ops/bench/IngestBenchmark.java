package io.meridian.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The ingest benchmark of issue 8: node-exporter-like series ({@link NodeExporterSeries}) written
 * over Prometheus remote write (or OpenTSDB {@code /api/put}) by several keep-alive connections for
 * a fixed time, reporting acknowledged samples per second, write latency, and the CPU time and
 * memory of the server processes — the figures that compare Meridian with Prometheus and
 * VictoriaMetrics on one machine. It can start those peers itself ({@code --peer}), or a null sink
 * in its own JVM to measure its own ceiling ({@code --null-sink}), and time {@code query_range}
 * over a backfilled day afterwards ({@code --backfill}, {@code --query}).
 *
 * <p>Against a Meridian node ({@code --server-pid} of the node, whose embedded Cassandra is its
 * child, or {@code --cassandra-pid}) it also reports what the samples take: on disk, once the node
 * has sealed every due chunk window and Cassandra has flushed ({@link DiskFootprint}), and in the
 * node's memory per active series (resident memory and live heap, before the load and at its end).
 *
 * <p>With {@code --verify} it reads every series back afterwards through the target's Prometheus
 * query API and checks that every acknowledged sample is there, exactly as sent ({@link ReadBack}).
 *
 * <p>Time is virtual: every round gives each series its next scrape, {@code --interval} after the
 * previous one, so a 90-second run can write hours of data. The first round is placed far enough in
 * the past (from {@code --expected-rate}) that the last ones land near now.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description =
        "Writes node-exporter-like series over remote write or /api/put for a fixed time and"
            + " reports samples/s, write latency, and the server processes' CPU and memory.")
public final class IngestBenchmark implements Callable<Integer> {

  /** The longest a run reaches back: servers refuse or drop older samples (retention). */
  static final Duration MAX_AGE = Duration.ofDays(14);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Spec CommandSpec spec;

  /** The peer started for this run, if any, while it runs. */
  private PeerServer peerServer;

  @Option(
      names = "--target",
      description =
          "Write URL (default: http://127.0.0.1:4242/api/v1/write, or …/api/put with"
              + " --protocol put).")
  URI target;

  @Option(names = "--protocol", description = "remote-write or put (default: ${DEFAULT-VALUE}).")
  String protocol = "remote-write";

  @Option(names = "--series", description = "Active series (default: ${DEFAULT-VALUE}).")
  int series = 100_000;

  @Option(
      names = "--series-per-host",
      description = "Series of each host (default: ${DEFAULT-VALUE}).")
  int seriesPerHost = NodeExporterSeries.DEFAULT_SERIES_PER_HOST;

  @Option(
      names = "--interval",
      converter = SpanConverter.class,
      description = "Scrape interval between a series' samples (default: 15s).")
  Duration interval = Duration.ofSeconds(15);

  @Option(
      names = "--duration",
      converter = SpanConverter.class,
      description = "How long to write, in real time (default: 90s).")
  Duration duration = Duration.ofSeconds(90);

  @Option(
      names = "--rounds",
      description = "Stop after this many rounds (scrapes of every series) if sooner.")
  Long rounds;

  @Option(
      names = "--warmup-rounds",
      description =
          "Rounds (scrapes of every series) written in full before the timed run and left out of"
              + " its figures, so that they describe a server that holds every series already and"
              + " (a JVM) has compiled most of its hot code, as one that has run for a while"
              + " (default: ${DEFAULT-VALUE}).")
  long warmupRounds = 0;

  @Option(
      names = "--series-per-request",
      description = "Series (one sample each) per request (default: ${DEFAULT-VALUE}).")
  int seriesPerRequest = 2000;

  @Option(
      names = "--connections",
      description = "Concurrent request loops, one connection each (default: ${DEFAULT-VALUE}).")
  int connections = 4;

  @Option(
      names = "--expected-rate",
      description =
          "Samples/s the run is expected to reach at most; places the first round so that the"
              + " last ones are near now (default: ${DEFAULT-VALUE}).")
  long expectedRate = 1_000_000;

  @Option(names = "--seed", description = "Seed of the values (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(
      names = "--header",
      description = "Extra request header, name:value (repeatable), e.g. X-TC-APP-KEY:…")
  List<String> headers = new ArrayList<>();

  @Option(
      names = "--server-pid",
      description =
          "A server process to measure, with its descendants (repeatable): a node's pid covers"
              + " its embedded Cassandra.")
  List<Long> serverPids = new ArrayList<>();

  @Option(
      names = "--null-sink",
      description = "Write to a sink in this JVM that drops everything: the generator's ceiling.")
  boolean nullSink;

  @Option(
      names = "--peer",
      description =
          "Start this peer from its Debian package for the run, aim at it and measure it, then"
              + " stop it and delete its data: prometheus or victoriametrics.")
  String peer;

  @Option(
      names = "--backfill",
      converter = SpanConverter.class,
      description =
          "Before the timed run, write this span (e.g. 24h) of the series the query reads"
              + " (--backfill-series of node_cpu_seconds_total), ending where the run starts.")
  Duration backfill;

  @Option(
      names = "--backfill-series",
      description = "Series the backfill writes and the query reads (default: ${DEFAULT-VALUE}).")
  int backfillSeries = 1000;

  @Option(
      names = "--query",
      description =
          "After the run, time query_range of sum by (instance) (rate(node_cpu_seconds_total[5m]))"
              + " over the backfilled series and span at 60 s steps, --queries times as the"
              + " target answers it (from its result cache, if it keeps one), then as many times"
              + " with nocache=1.")
  boolean query;

  @Option(
      names = "--query-url",
      description =
          "Prometheus API base for --query, e.g. http://127.0.0.1:4242/prometheus/api/v1,"
              + " http://127.0.0.1:9090/api/v1 (default: from --peer).")
  String queryUrl;

  @Option(names = "--queries", description = "Queries to time (default: ${DEFAULT-VALUE}).")
  int queries = 20;

  @Option(
      names = "--warmup-queries",
      description =
          "Queries sent before the timed ones, of each kind (cached, nocache=1), and left out of"
              + " the figures, so that they describe a server that has answered the dashboard for"
              + " a while: a result cache filled, a JVM's query code compiled"
              + " (default: ${DEFAULT-VALUE}).")
  int warmupQueries = 0;

  @Option(
      names = "--disk",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "At the end, wait until the node has stored every due chunk window, flush Cassandra and"
              + " report the tables' bytes per sample (default: on when there is a Cassandra,"
              + " --no-disk to skip).")
  boolean disk = true;

  @Option(
      names = "--verify",
      description =
          "At the end, read every series written back through the Prometheus API of --query-url"
              + " (or --peer) over the whole span written, and check that every acknowledged"
              + " sample is there with its timestamp and exact value; exits non-zero if not.")
  boolean verify;

  @Option(
      names = "--verify-samples-per-query",
      description =
          "--verify reads a host's series in time slices of at most this many samples per query"
              + " (default: ${DEFAULT-VALUE}).")
  long verifySamplesPerQuery = 250_000;

  @Option(
      names = "--verify-queries",
      description = "--verify's queries at once, a host each (default: ${DEFAULT-VALUE}).")
  int verifyQueries = 2;

  /** Replays other values than were written: shows that the check catches wrong values. */
  @Option(names = "--verify-seed", hidden = true)
  Long verifySeed;

  @Option(
      names = "--cassandra-pid",
      description =
          "The Cassandra holding the node's data, reached through the JDK's Attach API (default:"
              + " the Cassandra among the --server-pid processes' descendants).")
  Long cassandraPid;

  @Option(
      names = "--keyspace",
      description = "The node's keyspace, with the chunk table (default: ${DEFAULT-VALUE}).")
  String keyspace = "meridian";

  @Option(
      names = "--snapshot-keyspace",
      description = "The node's snapshot keyspace (default: ${DEFAULT-VALUE}).")
  String snapshotKeyspace = "meridian_snapshot";

  @Option(
      names = "--chunk-table",
      description = "The node's chunk table in --keyspace (default: ${DEFAULT-VALUE}).")
  String chunkTable = "series_chunks";

  @Mixin SealingOptions sealing = new SealingOptions();

  @Option(
      names = "--seal-idle",
      converter = SpanConverter.class,
      description =
          "The node's meridian.series.seal-idle: the last window written is sealed this long"
              + " after the load ends (default: 1m).")
  Duration sealIdle = Duration.ofMinutes(1);

  @Option(
      names = "--seal-timeout",
      converter = SpanConverter.class,
      description = "Longest wait for the node to store its due chunks (default: 10m).")
  Duration sealTimeout = Duration.ofMinutes(10);

  @Option(
      names = "--stats-url",
      description =
          "The node's OpenTSDB /api/stats, polled for meridian.series.pending_chunks (default:"
              + " /api/stats of --target's server).")
  URI statsUrl;

  @Override
  public Integer call() throws Exception {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    long intervalMs = interval.toMillis();
    long backfillRounds = backfill == null ? 0 : backfill.toMillis() / intervalMs;
    long expectedRounds =
        rounds != null
            ? rounds
            : Math.max(1, (long) Math.ceil(duration.toSeconds() * (double) expectedRate / series));
    long maxRounds = MAX_AGE.toMillis() / intervalMs - backfillRounds - warmupRounds - 2;
    if (expectedRounds > maxRounds) {
      out.printf(
          Locale.ROOT,
          "note: %d rounds of %s would reach back more than %s: starting %d rounds back%n",
          expectedRounds,
          SpanConverter.format(interval),
          SpanConverter.format(MAX_AGE),
          maxRounds);
      expectedRounds = maxRounds;
    }
    long nowMs = System.currentTimeMillis();
    // One interval of margin: hosts' phases spread each round over an interval.
    long originMs = nowMs - (backfillRounds + warmupRounds + expectedRounds + 1) * intervalMs;
    NodeExporterSeries generated =
        new NodeExporterSeries(series, seriesPerHost, originMs, intervalMs, seed);
    // Built only when needed, after the run: a second generator's labels and state.
    Supplier<NodeExporterSeries> replay =
        () ->
            new NodeExporterSeries(
                series,
                seriesPerHost,
                originMs,
                intervalMs,
                verifySeed != null ? verifySeed : seed);

    PeerServer started = null;
    NullSink sink = null;
    try {
      URI url = target;
      List<Long> pids = new ArrayList<>(serverPids);
      String queryBase = queryUrl;
      if (peer != null) {
        started = PeerServer.start(PeerServer.Kind.parse(peer));
        out.println("peer: " + started.describe());
        url = started.writeUrl();
        pids.add(started.pid());
        queryBase = queryBase != null ? queryBase : started.queryBase();
      } else if (nullSink) {
        sink = NullSink.start(connections + 1);
        url = sink.url();
      } else if (url == null) {
        url =
            URI.create(
                "http://127.0.0.1:4242" + (protocol.equals("put") ? "/api/put" : "/api/v1/write"));
      }
      peerServer = started;
      return run(out, generated, replay, url, pids, queryBase, backfillRounds, sink);
    } finally {
      if (sink != null) {
        sink.close();
      }
      if (started != null) {
        peerServer = null;
        started.close();
      }
      out.flush();
    }
  }

  private int run(
      PrintWriter out,
      NodeExporterSeries generated,
      Supplier<NodeExporterSeries> replay,
      URI url,
      List<Long> pids,
      String queryBase,
      long backfillRounds,
      NullSink sink)
      throws InterruptedException, IOException {
    Supplier<SampleEncoder> encoders = encoders(generated);
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    List<String> extra = new ArrayList<>();
    for (String header : headers) {
      int colon = header.indexOf(':');
      extra.add(header.substring(0, colon).trim());
      extra.add(header.substring(colon + 1).trim());
    }
    out.printf(
        Locale.ROOT,
        "ingest: %d series (%d hosts × %d), %s interval, %d series per request, %d connections,"
            + " %s to %s%n",
        series,
        generated.hosts(),
        seriesPerHost,
        SpanConverter.format(interval),
        seriesPerRequest,
        connections,
        protocol,
        sink != null ? url + " (null sink)" : url);

    ServerProcesses servers = ServerProcesses.of(pids);
    // The memory the node has before the load: the baseline of the figures per series.
    List<ServerProcesses.Usage> atStart = servers.read();
    NodeMemory node = serverPids.isEmpty() ? null : new NodeMemory(out, serverPids.get(0));
    OptionalLong cassandra = OptionalLong.empty();
    if (disk && sink == null && peer == null) {
      cassandra = cassandraPid != null ? OptionalLong.of(cassandraPid) : servers.pid("cassandra");
    }
    try {
      return load(
          out,
          generated,
          replay,
          url,
          client,
          extra,
          encoders,
          servers,
          atStart,
          node,
          cassandra,
          queryBase,
          backfillRounds,
          sink);
    } finally {
      servers.close();
      if (node != null) {
        node.close();
      }
    }
  }

  private int load(
      PrintWriter out,
      NodeExporterSeries generated,
      Supplier<NodeExporterSeries> replay,
      URI url,
      HttpClient client,
      List<String> extra,
      Supplier<SampleEncoder> encoders,
      ServerProcesses servers,
      List<ServerProcesses.Usage> atStart,
      NodeMemory node,
      OptionalLong cassandra,
      String queryBase,
      long backfillRounds,
      NullSink sink)
      throws InterruptedException, IOException {
    // Which samples are in sealed chunks, counted only for the disk figures: not free at millions
    // of samples per second.
    ChunkWindows windows =
        cassandra.isPresent()
            ? new ChunkWindows(generated, sealing.chunkSpan, sealing.sealDelay, sealIdle)
            : null;
    // What was sent and acknowledged, for --verify.
    SentScrapes sent = verify ? new SentScrapes(series) : null;
    int[] queried = generated.queryMetricSeries(backfillSeries);
    long backfilled = 0;
    if (backfillRounds > 0) {
      // Chunks of the queried series, each request a few scrapes of each, in time order.
      int perChunk = Math.max(1, Math.min(queried.length, seriesPerRequest / 8));
      List<int[]> chunks = new ArrayList<>();
      for (int from = 0; from < queried.length; from += perChunk) {
        chunks.add(Arrays.copyOfRange(queried, from, Math.min(queried.length, from + perChunk)));
      }
      WritePhase.Result filled =
          new WritePhase(client, url, extra, encoders, chunks, 0, backfillRounds, 8, connections)
              .onAcknowledged(listener(windows, sent, chunks, 0))
              .run(Duration.ofDays(1));
      backfilled = filled.acknowledgedSamples();
      out.printf(
          Locale.ROOT,
          "backfill: %d samples of %d series over %s (%s to %s) in %.1f s (%.0f samples/s);"
              + " failed requests: %d %s%n",
          filled.acknowledgedSamples(),
          queried.length,
          SpanConverter.format(backfill),
          Instant.ofEpochMilli(generated.timestamp(0, 0)),
          Instant.ofEpochMilli(generated.timestamp(0, backfillRounds)),
          filled.seconds(),
          filled.acknowledgedSamples() / filled.seconds(),
          filled.failed(),
          filled.failures().isEmpty() ? "" : filled.failures());
    }

    List<int[]> chunks = new ArrayList<>();
    for (int from = 0; from < series; from += seriesPerRequest) {
      int to = Math.min(series, from + seriesPerRequest);
      chunks.add(IntStream.range(from, to).toArray());
    }
    long firstRound = backfillRounds;
    long warmupFailed = 0;
    if (warmupRounds > 0) {
      WritePhase.Result warm =
          new WritePhase(
                  client,
                  url,
                  extra,
                  encoders,
                  chunks,
                  firstRound,
                  firstRound + warmupRounds,
                  1,
                  connections)
              .onAcknowledged(listener(windows, sent, chunks, firstRound))
              .run(Duration.ofDays(1));
      warmupFailed = warm.failed();
      firstRound += warmupRounds;
      out.printf(
          Locale.ROOT,
          "warm-up: %d rounds, %d samples acknowledged in %.1f s (%.0f samples/s); failed"
              + " requests: %d %s%n",
          warmupRounds,
          warm.acknowledgedSamples(),
          warm.seconds(),
          warm.acknowledgedSamples() / warm.seconds(),
          warm.failed(),
          warm.failures().isEmpty() ? "" : warm.failures());
    }
    long endRound = rounds == null ? Long.MAX_VALUE : firstRound + rounds;
    WritePhase phase =
        new WritePhase(client, url, extra, encoders, chunks, firstRound, endRound, 1, connections)
            .onAcknowledged(listener(windows, sent, chunks, firstRound));
    ServerProcesses self = ServerProcesses.self();
    servers.watch(1000);
    List<ServerProcesses.Usage> before = servers.read();
    List<ServerProcesses.Usage> selfBefore = self.read();
    WritePhase.Result result = phase.run(duration);
    List<ServerProcesses.Usage> after = servers.read();
    List<ServerProcesses.Usage> selfAfter = self.read();
    servers.close();
    if (node != null) {
      node.atEnd();
    }

    double rate = result.acknowledgedSamples() / result.seconds();
    long lastRound = firstRound + result.roundsDone();
    out.printf(
        Locale.ROOT,
        "run: %d samples acknowledged in %d of %d requests over %.1f s; %d full rounds, virtual"
            + " time %s to %s (%s)%n",
        result.acknowledgedSamples(),
        result.acknowledgedRequests(),
        result.requests(),
        result.seconds(),
        result.roundsDone(),
        Instant.ofEpochMilli(generated.timestamp(0, firstRound)),
        Instant.ofEpochMilli(generated.timestamp(0, lastRound)),
        ago(System.currentTimeMillis() - generated.timestamp(0, lastRound)));
    out.println(
        "failed requests: "
            + (result.failures().isEmpty() ? "0" : result.failed() + " " + result.failures()));
    out.println("write latency: " + Latencies.of(result.latencyNanos()).format());
    if (sink != null) {
      out.printf(
          Locale.ROOT,
          "null sink: %d requests, %.1f MB/s of request bodies%n",
          sink.requests(),
          sink.bytes() / result.seconds() / 1e6);
    }

    double serverCpu = 0;
    long rss = 0;
    long peakRss = 0;
    for (ServerProcesses.Usage end : after) {
      double cpu =
          end.cpuSeconds()
              - before.stream()
                  .filter(u -> u.pid() == end.pid())
                  .mapToDouble(ServerProcesses.Usage::cpuSeconds)
                  .findFirst()
                  .orElse(0);
      long peak = Math.max(servers.peakRss(end.pid()), end.rssBytes());
      serverCpu += cpu;
      rss += end.rssBytes();
      peakRss += peak;
      out.printf(
          Locale.ROOT,
          "server %s (pid %d): %.1f cpu-s (%.2f cores), rss end %d MiB (%d MiB before the load),"
              + " peak %d MiB during the run, %d MiB highest ever (VmHWM)%n",
          end.name(),
          end.pid(),
          cpu,
          cpu / result.seconds(),
          end.rssBytes() >> 20,
          rssOf(atStart, end.pid()) >> 20,
          peak >> 20,
          end.hwmBytes() >> 20);
    }
    double selfCpu = selfAfter.get(0).cpuSeconds() - selfBefore.get(0).cpuSeconds();
    if (node != null) {
      node.describe(rssOf(atStart, node.pid()), rssOf(after, node.pid()));
    }

    out.println("--");
    out.printf(Locale.ROOT, "ingest_samples_per_s: %.0f%n", rate);
    out.printf(Locale.ROOT, "failed_requests: %d%n", result.failed());
    out.printf(
        Locale.ROOT,
        "write_latency_p50_ms: %.1f%n",
        Latencies.of(result.latencyNanos()).p50Millis());
    out.printf(
        Locale.ROOT,
        "write_latency_p99_ms: %.1f%n",
        Latencies.of(result.latencyNanos()).p99Millis());
    out.printf(
        Locale.ROOT,
        "write_latency_max_ms: %.1f%n",
        Latencies.of(result.latencyNanos()).maxMillis());
    if (!after.isEmpty()) {
      out.printf(Locale.ROOT, "server_cpu_s: %.1f%n", serverCpu);
      out.printf(Locale.ROOT, "server_cores: %.2f%n", serverCpu / result.seconds());
      out.printf(
          Locale.ROOT,
          "samples_per_server_cpu_s: %.0f%n",
          serverCpu > 0 ? result.acknowledgedSamples() / serverCpu : 0);
      out.printf(Locale.ROOT, "rss_bytes: %d%n", rss);
      out.printf(Locale.ROOT, "rss_peak_bytes: %d%n", peakRss);
    }
    if (node != null) {
      node.printPerSeries(rssOf(atStart, node.pid()), rssOf(after, node.pid()), series);
    }
    out.printf(
        Locale.ROOT,
        "generator_cpu_s: %.1f%s%n",
        selfCpu,
        sink != null ? " (with the null sink)" : "");
    out.printf(Locale.ROOT, "generator_cores: %.2f%n", selfCpu / result.seconds());
    out.flush();

    long failed = warmupFailed + result.failed();
    if (query) {
      failed +=
          timeQueries(out, client, extra, generated, queried, queryBase, backfillRounds, lastRound);
    }
    if (windows != null) {
      NodeStats stats =
          new NodeStats(client, statsUrl != null ? statsUrl : NodeStats.statsUrlOf(url), extra);
      new DiskFootprint(
              new DiskFootprint.Settings(
                  List.of(keyspace, snapshotKeyspace),
                  chunkTable,
                  sealing.sealInterval,
                  sealIdle.plus(sealing.sealInterval),
                  sealTimeout),
              out)
          .measure(
              cassandra.getAsLong(), stats, windows, backfilled + result.acknowledgedSamples());
    }
    // After the disk step, which has waited until the node stored every due chunk window: the
    // samples of those windows are then read from the chunk table, not only from the node's
    // memory, and the read-back's load does not disturb the disk and memory figures.
    boolean verified = true;
    if (verify) {
      verified = verify(out, client, extra, replay.get(), sent, queryBase);
    }
    return failed == 0 && result.acknowledgedSamples() > 0 && verified ? 0 : 1;
  }

  /**
   * Reads back every series written and compares it with what was sent ({@link ReadBack}); prints
   * the figures, and examples of what is wrong on stderr; returns whether it passed.
   */
  private boolean verify(
      PrintWriter out,
      HttpClient client,
      List<String> extra,
      NodeExporterSeries replay,
      SentScrapes sent,
      String queryBase)
      throws InterruptedException, IOException {
    if (peerServer != null) {
      peerServer.flush();
    }
    long t0 = System.nanoTime();
    ReadBack.Outcome outcome =
        new ReadBack(
                replay,
                sent,
                InstantQueries.http(client, queryBase, extra),
                verifySamplesPerQuery,
                verifyQueries)
            .run();
    double seconds = (System.nanoTime() - t0) / 1e9;
    PrintWriter err = spec.commandLine().getErr();
    for (String example : outcome.examples()) {
      err.println("verify: " + example);
    }
    err.flush();
    out.printf(
        Locale.ROOT,
        "verify: read %d samples of %d series (%d hosts) back from %s in %d queries (%d failed)"
            + " in %.1f s%n",
        outcome.read(),
        replay.size(),
        replay.hosts(),
        queryBase,
        outcome.queries(),
        outcome.failedQueries(),
        seconds);
    out.printf(Locale.ROOT, "verify_acknowledged_samples: %d%n", outcome.acknowledged());
    out.printf(Locale.ROOT, "verify_missing_samples: %d%n", outcome.missing());
    out.printf(Locale.ROOT, "verify_wrong_samples: %d%n", outcome.wrong());
    out.printf(Locale.ROOT, "verify_rounded_samples: %d%n", outcome.rounded());
    out.printf(Locale.ROOT, "verify_unacknowledged_found: %d%n", outcome.unacknowledgedFound());
    out.printf(Locale.ROOT, "verify_unexpected_samples: %d%n", outcome.unexpected());
    out.printf(Locale.ROOT, "verify_seconds: %.1f%n", seconds);
    out.flush();
    // VictoriaMetrics rounds values to about 15 significant digits by design (it stores decimals):
    // reported, but not a failure of the peer. Meridian and Prometheus keep float64s exactly.
    boolean roundingAllowed =
        peerServer != null && peerServer.kind() == PeerServer.Kind.VICTORIAMETRICS;
    if (roundingAllowed && outcome.rounded() > 0) {
      out.printf(
          Locale.ROOT,
          "verify: %d values read back rounded in their last digits, as %s stores decimals%n",
          outcome.rounded(),
          peer);
    }
    boolean passed = outcome.passed(roundingAllowed);
    if (!passed) {
      err.printf(
          Locale.ROOT,
          "verify FAILED: of %d acknowledged samples %d are missing and %d read back wrong (%d"
              + " more rounded); %d samples read were never sent%s%n",
          outcome.acknowledged(),
          outcome.missing(),
          outcome.wrong(),
          outcome.rounded(),
          outcome.unexpected(),
          outcome.failedQueries() > 0
              ? " (" + outcome.failedQueries() + " queries failed: their samples count as missing)"
              : "");
      err.flush();
    }
    return passed;
  }

  /**
   * Times {@code sum by (instance) (rate(node_cpu_seconds_total{instance=~…}[5m]))} over the
   * backfilled span (or the run's, without a backfill) at 60 s steps; returns the failed queries.
   */
  private long timeQueries(
      PrintWriter out,
      HttpClient client,
      List<String> extra,
      NodeExporterSeries generated,
      int[] queried,
      String queryBase,
      long backfillRounds,
      long lastRound)
      throws InterruptedException {
    Set<String> instances = new LinkedHashSet<>();
    for (int index : queried) {
      instances.add(generated.labels(index).get("instance"));
    }
    String promql =
        "sum by (instance) (rate("
            + NodeExporterSeries.QUERY_METRIC
            + "{instance=~\""
            + String.join("|", instances)
            + "\"}[5m]))";
    long startMs = generated.timestamp(0, backfillRounds > 0 ? 0 : backfillRounds);
    long endMs = generated.timestamp(0, backfillRounds > 0 ? backfillRounds : lastRound);
    String uri =
        queryBase
            + "/query_range?query="
            + URLEncoder.encode(promql, StandardCharsets.UTF_8)
            + "&start="
            + startMs / 1000
            + "&end="
            + endMs / 1000
            + "&step=60";
    out.printf(
        Locale.ROOT,
        "query: %s over %d series, %s to %s, step 60s%s%n",
        promql.length() > 120 ? promql.substring(0, 117) + "…" : promql,
        queried.length,
        Instant.ofEpochMilli(startMs),
        Instant.ofEpochMilli(endMs),
        warmupQueries > 0 ? "; " + warmupQueries + " untimed first" : "");
    // Then the same queries with VictoriaMetrics' nocache=1, which Meridian follows too: every step
    // computed from the samples (Prometheus ignores the parameter: it keeps no results).
    return timeQueries(out, client, extra, uri, "")
        + timeQueries(out, client, extra, uri + "&nocache=1", "_nocache");
  }

  /** Times {@link #queries} GETs of {@code uri}; figures named {@code query_latency<suffix>_…}. */
  private long timeQueries(
      PrintWriter out, HttpClient client, List<String> extra, String uri, String suffix)
      throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofMinutes(5));
    for (int h = 0; h < extra.size(); h += 2) {
      request.header(extra.get(h), extra.get(h + 1));
    }
    long[] latencies = new long[queries];
    long failed = 0;
    int seriesInAnswer = -1;
    int pointsInAnswer = 0;
    for (int q = -warmupQueries; q < queries; q++) {
      String what = q < 0 ? "warm-up query" : "query"; // warm-up queries: neither timed nor counted
      long t0 = System.nanoTime();
      try {
        HttpResponse<String> response =
            client.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        long latency = System.nanoTime() - t0;
        if (response.statusCode() != 200) {
          System.err.println(
              what + " failed: HTTP " + response.statusCode() + ": " + response.body());
        }
        if (q < 0) {
          continue;
        }
        latencies[q] = latency;
        if (response.statusCode() != 200) {
          failed++;
        } else if (seriesInAnswer < 0) {
          JsonNode result = MAPPER.readTree(response.body()).path("data").path("result");
          seriesInAnswer = result.size();
          for (JsonNode one : result) {
            pointsInAnswer += one.path("values").size();
          }
        }
      } catch (IOException e) {
        System.err.println(what + " failed: " + e);
        if (q >= 0) {
          latencies[q] = System.nanoTime() - t0;
          failed++;
        }
      }
    }
    String shown = suffix.isEmpty() ? "" : " (" + suffix.substring(1) + ")";
    out.printf(
        Locale.ROOT,
        "query answer%s: %d series and %d points; %d of %d failed%n",
        shown,
        Math.max(0, seriesInAnswer),
        pointsInAnswer,
        failed,
        queries);
    Latencies timed = Latencies.of(latencies);
    out.println("query latency" + shown + ": " + timed.format());
    out.printf(Locale.ROOT, "query_latency%s_p50_ms: %.1f%n", suffix, timed.p50Millis());
    out.printf(Locale.ROOT, "query_latency%s_p99_ms: %.1f%n", suffix, timed.p99Millis());
    out.flush();
    return failed;
  }

  /**
   * Counts a phase's acknowledged samples into {@code windows} and records its answers in {@code
   * sent}, each when it is not null.
   */
  private static WritePhase.Acknowledgements listener(
      ChunkWindows windows, SentScrapes sent, List<int[]> chunks, long firstRound) {
    WritePhase.Acknowledgements listener =
        windows != null ? windows::add : (series, round, rounds) -> {};
    return sent != null ? listener.andThen(sent.phase(chunks, firstRound)) : listener;
  }

  /** A process' resident memory in {@code usages}, 0 when it is not there. */
  private static long rssOf(List<ServerProcesses.Usage> usages, long pid) {
    return usages.stream()
        .filter(u -> u.pid() == pid)
        .mapToLong(ServerProcesses.Usage::rssBytes)
        .findFirst()
        .orElse(0);
  }

  /** How long ago a time was, in minutes (or how far in the future it is). */
  private static String ago(long millis) {
    return millis >= 0
        ? String.format(Locale.ROOT, "%.1f min before now", millis / 60_000.0)
        : String.format(Locale.ROOT, "%.1f min in the future", -millis / 60_000.0);
  }

  private Supplier<SampleEncoder> encoders(NodeExporterSeries generated) {
    if (protocol.equals("put")) {
      byte[][] prefixes = PutEncoder.prefixesOf(generated);
      return () -> new PutEncoder(generated, prefixes);
    }
    byte[][] labels = RemoteWriteEncoder.labelsOf(generated);
    return () -> new RemoteWriteEncoder(generated, labels);
  }

  private void validate() {
    if (!protocol.equals("remote-write") && !protocol.equals("put")) {
      throw new ParameterException(
          spec.commandLine(), "--protocol is remote-write or put, not '" + protocol + "'");
    }
    if (series < 1 || seriesPerHost < 1 || seriesPerRequest < 1 || connections < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--series, --series-per-host, --series-per-request and --connections must be at least 1");
    }
    if (warmupRounds < 0 || warmupQueries < 0) {
      throw new ParameterException(
          spec.commandLine(), "--warmup-rounds and --warmup-queries must be at least 0");
    }
    if (rounds != null && rounds < 1 || expectedRate < 1 || backfillSeries < 1 || queries < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--rounds, --expected-rate, --backfill-series and --queries must be at least 1");
    }
    if ((nullSink ? 1 : 0) + (peer != null ? 1 : 0) + (target != null ? 1 : 0) > 1) {
      throw new ParameterException(
          spec.commandLine(), "give only one of --target, --null-sink and --peer");
    }
    if ((peer != null || nullSink) && protocol.equals("put")) {
      throw new ParameterException(
          spec.commandLine(), "--peer and --null-sink take remote write only");
    }
    if ((query || verify) && queryUrl == null && peer == null) {
      throw new ParameterException(
          spec.commandLine(), "--query and --verify need --query-url or --peer");
    }
    if (verify && (nullSink || protocol.equals("put"))) {
      // /api/put renames metrics and tags: the series read back would not be the ones sent.
      throw new ParameterException(
          spec.commandLine(), "--verify takes remote write to a server, not --null-sink or put");
    }
    if (verifySamplesPerQuery < 1 || verifyQueries < 1) {
      throw new ParameterException(
          spec.commandLine(), "--verify-samples-per-query and --verify-queries must be at least 1");
    }
    if (backfill != null && backfill.compareTo(interval) < 0) {
      throw new ParameterException(spec.commandLine(), "--backfill is shorter than --interval");
    }
    if (backfill != null && backfill.compareTo(MAX_AGE.minusDays(1)) > 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--backfill reaches back at most " + MAX_AGE.minusDays(1).toDays() + "d");
    }
    for (String name : List.of(keyspace, snapshotKeyspace, chunkTable)) {
      if (!name.matches("[A-Za-z0-9_]+")) {
        throw new ParameterException(
            spec.commandLine(), "not a Cassandra keyspace or table name: '" + name + "'");
      }
    }
    if (sealing.chunkSpan.compareTo(Duration.ofDays(1)) > 0
        || Duration.ofDays(1).toMillis() % sealing.chunkSpan.toMillis() != 0) {
      throw new ParameterException(spec.commandLine(), "--chunk-span must divide a day");
    }
    for (String header : headers) {
      if (header.indexOf(':') < 1) {
        throw new ParameterException(
            spec.commandLine(), "--header is name:value, not '" + header + "'");
      }
    }
  }
}
