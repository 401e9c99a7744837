package io.meridian.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.meridian.node.series.CassandraChunkStore;
import io.meridian.node.series.ChunkStore;
import io.meridian.node.series.StoredChunk;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The restart target of issue 8: a node holding 100,000 series with a week of data is ready to
 * serve within 30 s of its restart. Sets up such a node of this build (with its embedded Cassandra,
 * in a data directory of its own), stops it, starts it again on the same data and times the process
 * start → {@code /ready} → the first query that touches every series answering in full, then a
 * {@code query_range} over the last 24 h that reads sealed chunks.
 *
 * <p>Setup (see {@link RestartPlan}): a week through remote write would take hours at the node's
 * ingest rate, so only what the node must see itself goes over remote write (each series' first
 * scrape, then the last scrapes of the window before the heads and the heads: the last chunk span
 * and seal delay), while the rest is written straight into the chunk table by {@link ChunkFill},
 * under the series ids the node gave (learned from its journal by {@link RestartSeriesIds}), in the
 * node's format, through the node's own {@link CassandraChunkStore}.
 *
 * <p>{@code --keep} keeps the data directory, and {@code --data-dir} of a kept directory skips the
 * setup, so the restart can be measured again.
 */
@Command(
    name = "restart",
    mixinStandardHelpOptions = true,
    description =
        "Sets up a node holding --series series with --span of data, restarts it and times"
            + " process start to /ready and to the first query over every series.")
public final class RestartBenchmark implements Callable<Integer> {

  /** The file in a data directory that describes its setup, for measuring it again. */
  static final String SETUP_FILE = "bench-restart.properties";

  /** The query that touches every series of the tenant (not only node_*: go_*, process_* too). */
  static final String FULL_QUERY = "count({__name__=~\".+\"})";

  /** Beyond this interval an instant query (5 m lookback) would miss a series' last sample. */
  static final Duration MAX_INTERVAL = Duration.ofMinutes(4);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(names = "--series", description = "Series (default: ${DEFAULT-VALUE}).")
  int series = 100_000;

  @Option(
      names = "--series-per-host",
      description = "Series of each host (default: ${DEFAULT-VALUE}).")
  int seriesPerHost = NodeExporterSeries.DEFAULT_SERIES_PER_HOST;

  @Option(
      names = "--span",
      converter = SpanConverter.class,
      description = "How far back the data reaches (default: 7d).")
  Duration span = Duration.ofDays(7);

  @Option(
      names = "--interval",
      converter = SpanConverter.class,
      description =
          "Scrape interval of the series (default: 60s; 15s would be 4× the rows and samples).")
  Duration interval = Duration.ofSeconds(60);

  @Option(names = "--seed", description = "Seed of the values (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Mixin SealingOptions sealing = new SealingOptions();

  @Option(
      names = "--retention",
      converter = SpanConverter.class,
      description = "The node's meridian.series.retention.default (default: 15d).")
  Duration retention = Duration.ofDays(15);

  @Option(
      names = "--groups",
      description = "The node's meridian.series.groups (default: ${DEFAULT-VALUE}).")
  int groups = 16;

  @Option(
      names = "--tenant",
      description = "The node's default tenant, which remote write without credentials writes.")
  String tenant = "default";

  @Option(
      names = "--series-per-request",
      description =
          "Remote write: series (one sample each) per request (default: ${DEFAULT-VALUE}).")
  int seriesPerRequest = 2000;

  @Option(
      names = "--connections",
      description = "Remote write: concurrent connections (default: ${DEFAULT-VALUE}).")
  int connections = 4;

  @Option(
      names = "--fill-threads",
      description = "Threads encoding chunks for the chunk table (default: ${DEFAULT-VALUE}).")
  int fillThreads = 2;

  @Option(
      names = "--fill-batch",
      description = "Chunks per write to the chunk table (default: ${DEFAULT-VALUE}).")
  int fillBatch = 500;

  @Option(
      names = "--fill-in-flight",
      description = "Writes to the chunk table in flight at once (default: ${DEFAULT-VALUE}).")
  int fillInFlight = 4;

  @Option(
      names = "--data-dir",
      description =
          "The node's data directory: a kept one (with "
              + SETUP_FILE
              + ") skips the setup and measures the restart again; otherwise the setup goes"
              + " there and it is kept (default: a temporary directory, deleted unless --keep).")
  Path dataDir;

  @Option(names = "--keep", description = "Keep the temporary data directory afterwards.")
  boolean keep;

  @Option(
      names = "--ready-timeout",
      converter = SpanConverter.class,
      description = "Longest wait for /ready and for the first full query (default: 10m).")
  Duration readyTimeout = Duration.ofMinutes(10);

  @Option(
      names = "--compaction-timeout",
      converter = SpanConverter.class,
      description =
          "Longest wait, before the setup stops the node, for its Cassandra to finish the"
              + " compactions the fill left (a week written over a week is compacted as it goes;"
              + " 0: no wait; default: 30m).")
  Duration compactionTimeout = Duration.ofMinutes(30);

  @Option(
      names = "--progress",
      converter = SpanConverter.class,
      description = "How often the fill reports its progress (default: 10s).")
  Duration progress = Duration.ofSeconds(10);

  /** Called with the restarted node's HTTP base URL before it is stopped (tests look around). */
  Consumer<String> onRestarted = url -> {};

  /** The setup measured, once known. */
  private Setup setup;

  /** What a setup made, as {@value #SETUP_FILE} keeps it. */
  record Setup(
      int series,
      int seriesPerHost,
      long seed,
      String tenant,
      int groups,
      Duration chunkSpan,
      Duration sealDelay,
      Duration sealInterval,
      Duration retention,
      RestartPlan plan,
      long endRound) {

    NodeExporterSeries generator() {
      return new NodeExporterSeries(
          series, seriesPerHost, plan.originMs(), plan.intervalMs(), seed);
    }

    /** The node's settings this setup assumes, as system properties. */
    Map<String, String> nodeSettings() {
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("meridian.series.groups", Integer.toString(groups));
      settings.put("meridian.series.chunk-span", SpanConverter.format(chunkSpan));
      settings.put("meridian.series.seal-delay", SpanConverter.format(sealDelay));
      settings.put("meridian.series.seal-interval", SpanConverter.format(sealInterval));
      // The setup writes a past window once and waits for its chunk: no need to wait for writes
      // that will not come.
      settings.put("meridian.series.seal-idle", SpanConverter.format(sealInterval));
      settings.put("meridian.series.retention.default", SpanConverter.format(retention));
      settings.put("meridian.default-tenant", tenant);
      return settings;
    }

    /** When an instant query sees every series' last sample. */
    long queryTimeMs() {
      return plan.lastRoundTimeMs(endRound);
    }

    void store(Path file) throws IOException {
      Properties properties = new Properties();
      properties.setProperty("series", Integer.toString(series));
      properties.setProperty("series-per-host", Integer.toString(seriesPerHost));
      properties.setProperty("seed", Long.toString(seed));
      properties.setProperty("tenant", tenant);
      properties.setProperty("groups", Integer.toString(groups));
      properties.setProperty("chunk-span", SpanConverter.format(chunkSpan));
      properties.setProperty("seal-delay", SpanConverter.format(sealDelay));
      properties.setProperty("seal-interval", SpanConverter.format(sealInterval));
      properties.setProperty("retention", SpanConverter.format(retention));
      properties.setProperty("end-round", Long.toString(endRound));
      plan.store(properties);
      try (Writer writer = Files.newBufferedWriter(file)) {
        properties.store(writer, "meridian bench restart: the setup of this data directory");
      }
    }

    static Setup load(Path file) throws IOException {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file)) {
        properties.load(reader);
      }
      SpanConverter spans = new SpanConverter();
      return new Setup(
          Integer.parseInt(properties.getProperty("series")),
          Integer.parseInt(properties.getProperty("series-per-host")),
          Long.parseLong(properties.getProperty("seed")),
          properties.getProperty("tenant"),
          Integer.parseInt(properties.getProperty("groups")),
          spans.convert(properties.getProperty("chunk-span")),
          spans.convert(properties.getProperty("seal-delay")),
          spans.convert(properties.getProperty("seal-interval")),
          spans.convert(properties.getProperty("retention")),
          RestartPlan.load(properties),
          Long.parseLong(properties.getProperty("end-round")));
    }
  }

  /** The setup measured (after {@link #call}). */
  Setup setup() {
    return setup;
  }

  @Override
  public Integer call() throws Exception {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    boolean temporary = dataDir == null;
    Path dir =
        temporary ? Files.createTempDirectory("meridian-bench-restart-") : dataDir.toAbsolutePath();
    Files.createDirectories(dir);
    Path setupFile = dir.resolve(SETUP_FILE);
    Map<String, String> figures = new LinkedHashMap<>();
    boolean ok = false;
    try {
      if (!Files.exists(setupFile) && !temporary && !isEmpty(dir)) {
        throw new ParameterException(
            spec.commandLine(),
            "--data-dir "
                + dir
                + " holds files but no "
                + SETUP_FILE
                + ": not a kept setup (an unfinished one?); give an empty or new directory");
      }
      if (Files.exists(setupFile)) {
        setup = Setup.load(setupFile);
        out.printf(
            Locale.ROOT,
            "setup: reusing %s: %,d series, data from %s to %s at %s (options of the setup"
                + " apply, not this command line's)%n",
            dir,
            setup.series(),
            Instant.ofEpochMilli(setup.plan().originMs()),
            Instant.ofEpochMilli(setup.queryTimeMs()),
            SpanConverter.format(Duration.ofMillis(setup.plan().intervalMs())));
      } else {
        setup = setUp(out, dir, figures);
        setup.store(setupFile);
      }
      out.flush();
      ok = measure(out, dir, figures);
      out.println("--");
      figures.forEach((name, value) -> out.println(name + ": " + value));
      return ok ? 0 : 1;
    } finally {
      if (temporary && !keep) {
        deleteTree(dir);
      } else {
        out.println(
            "data kept in "
                + dir
                + " (measure again: meridian bench restart --data-dir "
                + dir
                + ")");
      }
      out.flush();
    }
  }

  // --- setup ---

  private Setup setUp(PrintWriter out, Path dir, Map<String, String> figures) throws Exception {
    long setupStarted = System.nanoTime();
    RestartNode.Ports ports = RestartNode.Ports.free();
    Setup planned = plan(System.currentTimeMillis(), 0);
    Map<String, String> settings = planned.nodeSettings();
    RestartNode node =
        RestartNode.start(
            dir.resolve("cassandra"), ports, nodeJvmOptions(), settings, dir.resolve("node.log"));
    try {
      double ready = node.awaitReady(readyTimeout, 200);
      node.awaitHttp(readyTimeout);
      out.printf(
          Locale.ROOT,
          "setup: node pid %d ready after %.1f s (HTTP %s, log %s)%n",
          node.pid(),
          ready,
          node.url(),
          dir.resolve("node.log"));
      // Planned once the node is up, so that its heads are what the plan says.
      planned = plan(System.currentTimeMillis(), 0);
      RestartPlan plan = planned.plan();
      NodeExporterSeries generated = planned.generator();
      long rows = plan.fillRows(generated);
      out.printf(
          Locale.ROOT,
          "setup: %,d series (%d hosts × %d) over %s at %s (15s would be %.0f× the rows and"
              + " samples); chunk span %s, seal delay %s, retention %s%n",
          series,
          generated.hosts(),
          seriesPerHost,
          SpanConverter.format(span),
          SpanConverter.format(interval),
          interval.toMillis() / 15_000.0,
          SpanConverter.format(sealing.chunkSpan),
          SpanConverter.format(sealing.sealDelay),
          SpanConverter.format(retention));
      out.printf(
          Locale.ROOT,
          "setup: remote write of round 0 (%s); chunk table fill of rounds %d–%d (%s to %s,"
              + " %,d rows); remote write from round %d (%s) on, the heads from %s%n",
          Instant.ofEpochMilli(plan.originMs()),
          plan.firstFillRound(),
          plan.fillEndRound() - 1,
          Instant.ofEpochMilli(plan.originMs() + plan.firstFillRound() * plan.intervalMs()),
          Instant.ofEpochMilli(plan.originMs() + plan.fillEndRound() * plan.intervalMs()),
          rows,
          plan.tailRound(),
          Instant.ofEpochMilli(plan.originMs() + plan.tailRound() * plan.intervalMs()),
          Instant.ofEpochMilli(plan.headStartMs()));
      out.flush();

      HttpClient client = client();
      URI writeUrl = URI.create(node.url() + "/api/v1/write");
      List<int[]> requests = new ArrayList<>();
      for (int from = 0; from < series; from += seriesPerRequest) {
        requests.add(IntStream.range(from, Math.min(series, from + seriesPerRequest)).toArray());
      }
      byte[][] labels = RemoteWriteEncoder.labelsOf(generated);
      Supplier<SampleEncoder> encoders = () -> new RemoteWriteEncoder(generated, labels);

      WritePhase.Result anchor =
          new WritePhase(client, writeUrl, List.of(), encoders, requests, 0, 1, 1, connections)
              .run(Duration.ofDays(1));
      requireWritten("round 0", anchor, series);
      out.printf(Locale.ROOT, "setup: round 0 written in %.1f s%n", anchor.seconds());

      ChunkFill.Result filled;
      double tailSeconds;
      long tailSamples;
      long endRound;
      try (BenchSystem bench = BenchSystem.start(ports.cql())) {
        long t0 = System.nanoTime();
        RestartSeriesIds.Ids ids =
            RestartSeriesIds.learn(
                bench.system(), generated, tenant, groups, Duration.ofMinutes(2));
        out.printf(
            Locale.ROOT,
            "setup: ids of %,d series read from the journals of %d groups in %.1f s%n",
            series,
            groups,
            (System.nanoTime() - t0) / 1e9);
        ChunkStore store = CassandraChunkStore.fromConfig(bench.system());
        double sealed =
            awaitSealed(
                store,
                ids,
                plan.originMs() - RestartPlan.JITTER_BOUND_MS,
                plan.originMs() + plan.intervalMs() + RestartPlan.JITTER_BOUND_MS,
                0);
        out.printf(Locale.ROOT, "setup: the node sealed every series' round 0 in %.1f s%n", sealed);
        out.flush();

        ChunkFill fill =
            new ChunkFill(
                generated, plan, tenant, ids.groupOf(), ids.idOf(), groups, retention.toMillis());
        ServerProcesses processes =
            ServerProcesses.of(List.of(ProcessHandle.current().pid(), node.pid()));
        List<ServerProcesses.Usage> before = processes.read();
        filled = fill.run(store, fillThreads, fillBatch, fillInFlight, rows, out, progress);
        out.println("fill: cpu-s " + cpuSince(before, processes.read()));
        out.printf(
            Locale.ROOT,
            "fill: %,d rows (%,d samples, %,d bytes of chunks: %.2f bytes/sample) in %.1f s:"
                + " %,.0f rows/s, %,.0f samples/s%n",
            filled.rows(),
            filled.samples(),
            filled.bytes(),
            filled.bytes() / (double) Math.max(1, filled.samples()),
            filled.seconds(),
            filled.rows() / filled.seconds(),
            filled.samples() / filled.seconds());
        out.flush();
        if (filled.rows() != rows) {
          throw new IllegalStateException(
              "the fill wrote " + filled.rows() + " rows, not the " + rows + " planned");
        }

        endRound = plan.endRound(System.currentTimeMillis());
        WritePhase.Result tail =
            new WritePhase(
                    client,
                    writeUrl,
                    List.of(),
                    encoders,
                    requests,
                    plan.tailRound(),
                    endRound,
                    1,
                    connections)
                .run(Duration.ofDays(1));
        long rounds = endRound - plan.tailRound();
        requireWritten("the heads", tail, series * rounds);
        tailSeconds = tail.seconds();
        tailSamples = tail.acknowledgedSamples();
        out.printf(
            Locale.ROOT,
            "heads: %,d samples (%d rounds to %s) over remote write in %.1f s: %,.0f samples/s;"
                + " write latency %s%n",
            tailSamples,
            rounds,
            Instant.ofEpochMilli(plan.lastRoundTimeMs(endRound)),
            tailSeconds,
            tailSamples / tailSeconds,
            Latencies.of(tail.latencyNanos()).format());
        out.flush();
        // The node seals the window before the heads at once: its last stored samples, which
        // bound what its groups read from the chunk table.
        sealed = awaitSealed(store, ids, plan.tailWindowStartMs(), plan.headStartMs() - 1, 0);
        awaitNoPendingChunks(client, node.url());
        out.printf(
            Locale.ROOT,
            "setup: the node sealed the window before the heads (from %s) in %.1f s%n",
            Instant.ofEpochMilli(plan.tailWindowStartMs()),
            sealed);
      }
      double compacted = awaitCompactions(out, node.pid());
      double stopped = node.stop(Duration.ofMinutes(5));
      double setupSeconds = (System.nanoTime() - setupStarted) / 1e9;
      out.printf(
          Locale.ROOT,
          "setup: done in %.1f s; node stopped (SIGTERM) in %.1f s%n",
          setupSeconds,
          stopped);
      figures.put("setup_s", format(setupSeconds));
      figures.put("fill_rows", Long.toString(filled.rows()));
      figures.put("fill_samples", Long.toString(filled.samples()));
      figures.put("fill_s", format(filled.seconds()));
      figures.put(
          "fill_rows_per_s", String.format(Locale.ROOT, "%.0f", filled.rows() / filled.seconds()));
      figures.put("heads_samples", Long.toString(tailSamples));
      figures.put("heads_s", format(tailSeconds));
      figures.put("setup_stop_s", format(stopped));
      if (!Double.isNaN(compacted)) {
        figures.put("setup_compaction_s", format(compacted));
      }
      return new Setup(
          series,
          seriesPerHost,
          seed,
          tenant,
          groups,
          sealing.chunkSpan,
          sealing.sealDelay,
          sealing.sealInterval,
          retention,
          plan,
          endRound);
    } finally {
      node.close();
    }
  }

  private Setup plan(long nowMs, long endRound) {
    return new Setup(
        series,
        seriesPerHost,
        seed,
        tenant,
        groups,
        sealing.chunkSpan,
        sealing.sealDelay,
        sealing.sealInterval,
        retention,
        RestartPlan.of(nowMs, span, interval, sealing.chunkSpan, sealing.sealDelay),
        endRound);
  }

  /** CPU seconds each process spent since {@code before}: "benchmark (pid 1) 12.3, …". */
  private static String cpuSince(
      List<ServerProcesses.Usage> before, List<ServerProcesses.Usage> after) {
    List<String> parts = new ArrayList<>();
    for (ServerProcesses.Usage end : after) {
      double start =
          before.stream()
              .filter(u -> u.pid() == end.pid())
              .mapToDouble(ServerProcesses.Usage::cpuSeconds)
              .findFirst()
              .orElse(0);
      String name = end.pid() == ProcessHandle.current().pid() ? "benchmark" : end.name();
      parts.add(
          String.format(
              Locale.ROOT, "%s (pid %d) %.1f", name, end.pid(), end.cpuSeconds() - start));
    }
    return String.join(", ", parts);
  }

  private static void requireWritten(String what, WritePhase.Result result, long samples) {
    if (result.failed() > 0 || result.acknowledgedSamples() != samples) {
      throw new IllegalStateException(
          "writing "
              + what
              + " failed: "
              + result.acknowledgedSamples()
              + " of "
              + samples
              + " samples acknowledged, failures "
              + result.failures());
    }
  }

  /**
   * Waits until the chunk table holds a chunk the node sealed (seq ≥ 0) of every series within
   * {@code [fromMs, toMs]}; returns the seconds waited.
   */
  private double awaitSealed(
      ChunkStore store, RestartSeriesIds.Ids ids, long fromMs, long toMs, long minSeq)
      throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + readyTimeout.toNanos();
    Map<Integer, Set<Long>> waiting = new LinkedHashMap<>();
    for (int i = 0; i < ids.idOf().length; i++) {
      waiting.computeIfAbsent(ids.groupOf()[i], g -> new HashSet<>()).add(ids.idOf()[i]);
    }
    while (true) {
      for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
        var group = it.next();
        List<StoredChunk> chunks;
        try {
          chunks =
              store
                  .read(tenant, group.getKey(), group.getValue(), fromMs, toMs)
                  .toCompletableFuture()
                  .get(1, TimeUnit.MINUTES);
        } catch (Exception e) {
          // Reads may time out while the node writes; the next round asks again.
          continue;
        }
        for (StoredChunk chunk : chunks) {
          if (chunk.seq() >= minSeq) {
            group.getValue().remove(chunk.seriesId());
          }
        }
        if (group.getValue().isEmpty()) {
          it.remove();
        }
      }
      if (waiting.isEmpty()) {
        return (System.nanoTime() - started) / 1e9;
      }
      if (System.nanoTime() > deadline) {
        long left = waiting.values().stream().mapToLong(Set::size).sum();
        throw new IllegalStateException(
            left + " series still without a sealed chunk after " + readyTimeout);
      }
      Thread.sleep(500);
    }
  }

  /** Waits until {@code /api/stats} reports no sealed chunk awaiting its write. */
  /**
   * Waits, at most {@code --compaction-timeout}, until the node's Cassandra has no compaction
   * running or pending on two looks a second apart, so that the restart is not measured against the
   * compactions of a week of chunks written in minutes (a week written over a week is compacted as
   * it goes). Returns the seconds waited, or NaN if it did not wait (no timeout, or Cassandra could
   * not be reached over JMX: then it says why).
   */
  private double awaitCompactions(PrintWriter out, long nodePid) throws Exception {
    if (compactionTimeout.isZero()) {
      return Double.NaN;
    }
    long started = System.nanoTime();
    OptionalLong cassandraPid;
    try (ServerProcesses processes = ServerProcesses.of(List.of(nodePid))) {
      cassandraPid = processes.pid("cassandra");
    }
    if (cassandraPid.isEmpty()) {
      out.println("setup: no Cassandra among the node's processes; not waiting for compactions");
      return Double.NaN;
    }
    try (LocalJvm jvm = LocalJvm.attach(cassandraPid.getAsLong())) {
      CassandraTables cassandra = new CassandraTables(jvm);
      long deadline = started + compactionTimeout.toNanos();
      int idleLooks = 0;
      int compactions = 0;
      while (idleLooks < 2) {
        compactions = cassandra.compactions();
        idleLooks = compactions == 0 ? idleLooks + 1 : 0;
        if (idleLooks < 2) {
          if (System.nanoTime() > deadline) {
            out.printf(
                Locale.ROOT,
                "setup: Cassandra still had %d compactions after %s; stopping anyway%n",
                compactions,
                SpanConverter.format(compactionTimeout));
            break;
          }
          Thread.sleep(1_000);
        }
      }
    } catch (IOException e) {
      out.println("setup: not waiting for Cassandra's compactions: " + e.getMessage());
      return Double.NaN;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf(Locale.ROOT, "setup: Cassandra's compactions done after %.1f s%n", seconds);
    return seconds;
  }

  private void awaitNoPendingChunks(HttpClient client, String url) throws Exception {
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/api/stats"))
            .timeout(Duration.ofSeconds(30))
            .build();
    while (true) {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        for (JsonNode stat : MAPPER.readTree(response.body())) {
          if (stat.path("metric").asText().equals("meridian.series.pending_chunks")
              && stat.path("value").asLong(-1) == 0) {
            return;
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("chunks still pending after " + readyTimeout);
      }
      Thread.sleep(500);
    }
  }

  // --- measurement ---

  private boolean measure(PrintWriter out, Path dir, Map<String, String> figures) throws Exception {
    RestartPlan plan = setup.plan();
    DiskUsage disk = DiskUsage.of(dir.resolve("cassandra"));
    out.printf(
        Locale.ROOT,
        "data on disk: %s in all: chunk table %s, journal %s, snapshots %s, commit log %s%n",
        mib(disk.total()),
        mib(disk.chunkTable()),
        mib(disk.journal()),
        mib(disk.snapshots()),
        mib(disk.commitLog()));
    out.flush();
    figures.put("series", Integer.toString(setup.series()));
    figures.put("data_dir_bytes", Long.toString(disk.total()));
    figures.put("chunk_table_bytes", Long.toString(disk.chunkTable()));
    figures.put("journal_bytes", Long.toString(disk.journal()));

    HttpClient client = client();
    RestartNode node =
        RestartNode.start(
            dir.resolve("cassandra"),
            RestartNode.Ports.free(),
            nodeJvmOptions(),
            setup.nodeSettings(),
            dir.resolve("node.log"));
    boolean ok = true;
    try {
      out.printf(Locale.ROOT, "restart: node pid %d started on %s%n", node.pid(), dir);
      out.flush();
      double ready = node.awaitReady(readyTimeout, 50);
      OptionalDouble cassandra = node.cassandraStartSeconds();
      out.printf(
          Locale.ROOT,
          "restart: /ready after %.2f s%s%n",
          ready,
          cassandra.isPresent()
              ? String.format(
                  Locale.ROOT,
                  " (the embedded Cassandra answered after %.2f s of it)",
                  cassandra.getAsDouble())
              : "");
      out.flush();
      String base = node.url() + "/prometheus/api/v1";
      long timeMs = setup.queryTimeMs();

      // The first query over every series: each group recovers on its first message.
      String full = base + "/query?query=" + encode(FULL_QUERY) + "&time=" + seconds(timeMs);
      int attempts = 0;
      String lastFailure = "none";
      String firstFailure = null;
      double firstQuery;
      long deadline = System.nanoTime() + readyTimeout.toNanos();
      while (true) {
        attempts++;
        String failure;
        try {
          HttpResponse<String> response = get(client, full);
          JsonNode result = MAPPER.readTree(response.body()).path("data").path("result");
          if (response.statusCode() == 200
              && result.size() == 1
              && result
                  .get(0)
                  .path("value")
                  .path(1)
                  .asText()
                  .equals(Integer.toString(setup.series()))) {
            firstQuery = node.secondsSinceStart();
            break;
          }
          failure =
              response.statusCode() == 200
                  ? "answered " + result
                  : "HTTP " + response.statusCode() + " " + abbreviate(response.body());
        } catch (IOException e) {
          failure = e.toString();
        }
        lastFailure = failure;
        firstFailure = firstFailure == null ? failure : firstFailure;
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              FULL_QUERY
                  + " did not answer "
                  + setup.series()
                  + " within "
                  + readyTimeout
                  + "; last: "
                  + lastFailure);
        }
        Thread.sleep(100);
      }
      out.printf(
          Locale.ROOT,
          "restart: %s = %d after %.2f s (%d attempt%s%s)%n",
          FULL_QUERY,
          setup.series(),
          firstQuery,
          attempts,
          attempts == 1 ? "" : "s",
          firstFailure == null ? "" : "; the first: " + firstFailure);
      out.flush();

      // A range query over the last 24 h: mostly sealed chunks from the chunk table.
      String instance = NodeExporterSeries.instance(0);
      String rangeQuery = NodeExporterSeries.QUERY_METRIC + "{instance=\"" + instance + "\"}";
      long fromMs = timeMs - Duration.ofHours(24).toMillis();
      String range =
          base
              + "/query_range?query="
              + encode(rangeQuery)
              + "&start="
              + seconds(fromMs)
              + "&end="
              + seconds(timeMs)
              + "&step=60";
      long t0 = System.nanoTime();
      HttpResponse<String> rangeResponse = get(client, range);
      double rangeSeconds = (System.nanoTime() - t0) / 1e9;
      JsonNode ranged = MAPPER.readTree(rangeResponse.body()).path("data").path("result");
      long points = 0;
      long sealedPoints = 0;
      for (JsonNode one : ranged) {
        for (JsonNode point : one.path("values")) {
          points++;
          if (millis(point.path(0)) < plan.headStartMs()) {
            sealedPoints++;
          }
        }
      }
      boolean rangeOk = rangeResponse.statusCode() == 200 && sealedPoints > 0;
      ok &= rangeOk;
      out.printf(
          Locale.ROOT,
          "restart: query_range %s over the last 24 h at 60 s steps: %s%d series, %,d points"
              + " (%,d before the heads, from sealed chunks) in %.2f s (%.2f s after the start)%n",
          rangeQuery,
          rangeOk ? "" : "FAILED (HTTP " + rangeResponse.statusCode() + "): ",
          ranged.size(),
          points,
          sealedPoints,
          rangeSeconds,
          node.secondsSinceStart());

      // One series over a filled window, sample for sample against the generator.
      FilledWindowCheck check = checkFilledWindow(client, base);
      ok &= check.matches();
      out.printf(
          Locale.ROOT,
          "check: %s over %s–%s (chunk table fill): %d of %d samples match the generator%s%n",
          check.selector(),
          Instant.ofEpochMilli(check.fromMs()),
          Instant.ofEpochMilli(check.toMs()),
          check.matching(),
          check.expected(),
          check.matches() ? "" : " — MISMATCH: " + check.detail());
      out.flush();

      List<String> memory = new ArrayList<>();
      for (ServerProcesses.Usage usage : ServerProcesses.of(List.of(node.pid())).read()) {
        memory.add(
            String.format(
                Locale.ROOT,
                "%s (pid %d) %d MiB, %.1f cpu-s",
                usage.name(),
                usage.pid(),
                usage.rssBytes() >> 20,
                usage.cpuSeconds()));
      }
      out.println("restart: RSS and CPU since the start: " + String.join(", ", memory));
      out.flush();

      onRestarted.accept(node.url());

      figures.put("restart_ready_s", format(ready));
      figures.put("restart_first_query_s", format(firstQuery));
      figures.put("restart_first_query_attempts", Integer.toString(attempts));
      if (cassandra.isPresent()) {
        figures.put("restart_cassandra_start_s", format(cassandra.getAsDouble()));
      }
      figures.put("restart_range_query_s", format(rangeSeconds));
      figures.put("check_samples_matching", check.matching() + "/" + check.expected());
    } finally {
      double stopped = node.stop(Duration.ofMinutes(5));
      out.printf(Locale.ROOT, "restart: node stopped (SIGTERM) in %.1f s%n", stopped);
    }
    return ok;
  }

  /** A series compared sample for sample over a window the fill wrote. */
  record FilledWindowCheck(
      String selector, long fromMs, long toMs, int expected, int matching, String detail) {

    boolean matches() {
      return expected > 0 && matching == expected && detail.isEmpty();
    }
  }

  /**
   * Reads series 0 over the window two before the heads (filled, and within the last day) with a
   * range selector, which returns raw samples, and compares them with the generator's.
   */
  FilledWindowCheck checkFilledWindow(HttpClient client, String base) throws Exception {
    RestartPlan plan = setup.plan();
    NodeExporterSeries generated = setup.generator();
    long toMs = plan.headStartMs() - plan.chunkSpanMs() - 1;
    long fromMs = toMs - plan.chunkSpanMs();
    Map<String, String> labels = new LinkedHashMap<>(generated.labels(0));
    String metric = labels.remove("__name__");
    StringBuilder selector = new StringBuilder(metric).append('{');
    labels.forEach(
        (name, value) -> selector.append(name).append("=\"").append(value).append("\","));
    selector.setLength(selector.length() - 1);
    selector.append('}');
    List<long[]> expected = new ArrayList<>();
    List<Double> expectedValues = new ArrayList<>();
    for (long round = 0; ; round++) {
      long timestamp = generated.timestamp(0, round);
      if (timestamp > toMs) {
        break;
      }
      double value = generated.next(0, timestamp);
      if (timestamp > fromMs) {
        expected.add(new long[] {timestamp});
        expectedValues.add(value);
      }
    }
    String url =
        base
            + "/query?query="
            + encode(selector + "[" + plan.chunkSpanMs() / 1000 + "s]")
            + "&time="
            + seconds(toMs);
    HttpResponse<String> response = get(client, url);
    JsonNode result = MAPPER.readTree(response.body()).path("data").path("result");
    if (response.statusCode() != 200 || result.size() != 1) {
      return new FilledWindowCheck(
          selector.toString(),
          fromMs,
          toMs,
          expected.size(),
          0,
          "HTTP " + response.statusCode() + " " + abbreviate(response.body()));
    }
    List<long[]> got = new ArrayList<>();
    List<Double> gotValues = new ArrayList<>();
    for (JsonNode point : result.get(0).path("values")) {
      long timestamp = millis(point.path(0));
      if (timestamp > fromMs && timestamp <= toMs) {
        got.add(new long[] {timestamp});
        gotValues.add(Double.parseDouble(point.path(1).asText()));
      }
    }
    int matching = 0;
    String detail = "";
    for (int i = 0; i < Math.min(expected.size(), got.size()); i++) {
      if (expected.get(i)[0] == got.get(i)[0]
          && Double.doubleToLongBits(expectedValues.get(i))
              == Double.doubleToLongBits(gotValues.get(i))) {
        matching++;
      } else if (detail.isEmpty()) {
        detail =
            "sample "
                + i
                + ": expected "
                + expected.get(i)[0]
                + "="
                + expectedValues.get(i)
                + ", got "
                + got.get(i)[0]
                + "="
                + gotValues.get(i);
      }
    }
    if (detail.isEmpty() && got.size() != expected.size()) {
      detail = got.size() + " samples answered";
    }
    return new FilledWindowCheck(
        selector.toString(), fromMs, toMs, expected.size(), matching, detail);
  }

  // --- helpers ---

  /** Sizes of a Cassandra data directory's parts. */
  record DiskUsage(long total, long chunkTable, long journal, long snapshots, long commitLog) {

    static DiskUsage of(Path cassandra) throws IOException {
      long total = 0;
      long chunks = 0;
      long journal = 0;
      long snapshots = 0;
      long commitLog = 0;
      if (!Files.exists(cassandra)) {
        return new DiskUsage(0, 0, 0, 0, 0);
      }
      try (Stream<Path> files = Files.walk(cassandra)) {
        for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          long size;
          try {
            size = Files.size(file);
          } catch (IOException e) {
            continue; // Deleted meanwhile (compaction).
          }
          String path = cassandra.relativize(file).toString();
          total += size;
          if (path.contains("/series_chunks-")) {
            chunks += size;
          } else if (path.contains("_snapshot/")) {
            snapshots += size;
          } else if (path.startsWith("data/") && path.contains("/messages-")) {
            journal += size;
          } else if (path.startsWith("commitlog/")) {
            commitLog += size;
          }
        }
      }
      return new DiskUsage(total, chunks, journal, snapshots, commitLog);
    }
  }

  /**
   * A local actor system with the node's Cassandra configuration, pointed at the node's embedded
   * Cassandra: the journal's session, for the persistence query and the chunk store.
   */
  private record BenchSystem(ActorSystem<Void> system) implements AutoCloseable {

    static BenchSystem start(int cqlPort) {
      Config overrides =
          ConfigFactory.parseMap(
                  Map.of(
                      "pekko.actor.provider",
                      "local",
                      "pekko.loglevel",
                      "WARNING",
                      // Warnings on the console, not in the node's log format amid the report.
                      "pekko.loggers",
                      List.of("org.apache.pekko.event.Logging$DefaultLogger"),
                      "pekko.logging-filter",
                      "org.apache.pekko.event.DefaultLoggingFilter",
                      // The node created the keyspaces and tables; this system only uses them.
                      "meridian.cassandra.auto-create",
                      false,
                      "datastax-java-driver.advanced.netty.io-group.shutdown.quiet-period",
                      0,
                      "datastax-java-driver.advanced.netty.admin-group.shutdown.quiet-period",
                      0))
              .withValue(
                  "meridian.cassandra.contact-points",
                  ConfigValueFactory.fromIterable(List.of("127.0.0.1:" + cqlPort)));
      Config config =
          ConfigFactory.load(overrides.withFallback(ConfigFactory.defaultApplication()));
      return new BenchSystem(ActorSystem.create(Behaviors.empty(), "bench-restart", config));
    }

    @Override
    public void close() {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().orTimeout(60, TimeUnit.SECONDS).join();
    }
  }

  private static List<String> nodeJvmOptions() {
    String options = System.getenv("MERIDIAN_JAVA_OPTS");
    return options == null || options.isBlank()
        ? List.of()
        : Arrays.asList(options.trim().split("\\s+"));
  }

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  private static HttpResponse<String> get(HttpClient client, String url)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** Milliseconds as the Prometheus API's seconds. */
  private static String seconds(long millis) {
    return BigDecimal.valueOf(millis, 3).toPlainString();
  }

  /** A Prometheus API timestamp (seconds, a number) as milliseconds. */
  private static long millis(JsonNode seconds) {
    return new BigDecimal(seconds.asText()).movePointRight(3).longValue();
  }

  private static String format(double seconds) {
    return String.format(Locale.ROOT, "%.2f", seconds);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  private static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private void validate() {
    if (series < 1 || seriesPerHost < 1 || seriesPerRequest < 1 || connections < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--series, --series-per-host, --series-per-request and --connections must be at least 1");
    }
    if (fillThreads < 1 || fillBatch < 1 || fillInFlight < 1 || groups < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--fill-threads, --fill-batch, --fill-in-flight and --groups must be at least 1");
    }
    if (interval.compareTo(MAX_INTERVAL) > 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--interval is at most "
              + SpanConverter.format(MAX_INTERVAL)
              + ": an instant query looks back 5m for a series' last sample");
    }
    if (span.compareTo(sealing.chunkSpan.multipliedBy(3)) < 0) {
      throw new ParameterException(
          spec.commandLine(), "--span must hold at least 3 chunk spans (the check reads one)");
    }
    if (retention.compareTo(span.plus(sealing.chunkSpan).plus(sealing.sealDelay).plusDays(1)) < 0) {
      throw new ParameterException(
          spec.commandLine(), "--retention must exceed --span by a day and the heads");
    }
    try {
      RestartPlan.of(
          System.currentTimeMillis(), span, interval, sealing.chunkSpan, sealing.sealDelay);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
