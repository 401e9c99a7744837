package io.meridian.ops.cassandra;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.OptionsMap;
import com.datastax.oss.driver.api.core.config.TypedDriverOption;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a real single-node Apache Cassandra 5.0 as a child JVM, for development and tests.
 *
 * <p>Cassandra never joins the node's own classpath (its guava, netty and logback clash with ours):
 * it runs in a separate process on the classpath that the {@code ops/cassandra} module resolves at
 * build time (see {@link #locateClasspathFile()}). {@link #start()} writes {@code cassandra.yaml}
 * and a logback file, launches the process and returns only once CQL answers a query; {@link
 * #stop()} shuts it down cleanly. A later {@code start()} with the same settings reopens the same
 * data, which is how tests prove that data survives a restart. Until {@code stop()}, a JVM shutdown
 * hook stands ready to stop the child, so no Cassandra outlives the JVM that started it (short of
 * that JVM being killed with SIGKILL; the next start then refuses to run on the same data directory
 * and names the orphan's pid).
 *
 * <p>Everything lives under {@link Settings#dataDir()}: {@code conf/} (generated configuration),
 * {@code logs/system.log} (Cassandra's log), {@code logs/stdout.log} (the child's console), {@code
 * cassandra.pid}, and Cassandra's own {@code data/}, {@code commitlog/}, {@code hints/}, {@code
 * saved_caches/} and {@code cdc_raw/}.
 *
 * <p>Not for production: one node, no authentication, no JMX.
 */
public final class CassandraServer implements AutoCloseable {

  /** System property naming the classpath file; wins over everything else. */
  public static final String CLASSPATH_FILE_PROPERTY = "meridian.cassandra.classpath-file";

  /** Environment variable naming the classpath file, used when the property is not set. */
  public static final String CLASSPATH_FILE_ENV = "MERIDIAN_CASSANDRA_CLASSPATH_FILE";

  /** The datacenter {@code SimpleSnitch} puts every node in; drivers need it as local DC. */
  public static final String LOCAL_DATACENTER = "datacenter1";

  private static final Logger log = LoggerFactory.getLogger(CassandraServer.class);

  private static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";
  private static final List<String> CLASSPATH_FILE_CANDIDATES =
      List.of("ops/cassandra/target/cassandra.classpath", "cassandra/target/cassandra.classpath");
  // From ops/target/classes or ops/target/meridian.jar the project root is three levels up.
  private static final int CODE_LOCATION_LEVELS = 4;
  private static final String BUILD_HINT =
      "it is written by the build of module ops/cassandra: run `mvn -DskipTests package` in the"
          + " project root";

  private static final Duration STOP_GRACE = Duration.ofSeconds(60);

  /** Longest the shutdown hook waits for the node before stopping Cassandra anyway. */
  public static final Duration STOP_BARRIER_LIMIT = Duration.ofSeconds(60);

  // A child that failed to start is killed anyway; no reason to let it flush for a minute.
  private static final Duration FAILED_START_GRACE = Duration.ofSeconds(10);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
  private static final int TAIL_LINES = 40;
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");

  private final Settings settings;
  private volatile Running running;
  private volatile CompletionStage<?> stopBarrier = CompletableFuture.completedFuture(null);

  /** A server that will run with {@code settings}; nothing happens until {@link #start()}. */
  public CassandraServer(Settings settings) {
    this.settings = requireNonNull(settings, "settings");
  }

  /**
   * How to run a {@link CassandraServer}. Immutable; derive variants with the {@code with…}
   * methods.
   *
   * @param dataDir root of everything the server writes (data, commit log, generated config, logs);
   *     made absolute on construction so the yaml never depends on a working directory
   * @param listenAddress address of both the storage (gossip) and the CQL port
   * @param cqlPort native-transport port that clients connect to
   * @param storagePort inter-node port; bound even by a single node, so it must be free too
   * @param heap {@code -Xms} and {@code -Xmx} of the child JVM, e.g. {@code 512m}
   * @param classpathFile file holding Cassandra's {@code :}-separated runtime classpath
   * @param startTimeout how long {@link CassandraServer#start()} waits for CQL to answer
   * @param jvmOptions further options of the child JVM, after the defaults (so they win); one that
   *     selects a garbage collector ({@code -XX:+Use…GC}) replaces the default G1
   */
  public record Settings(
      Path dataDir,
      String listenAddress,
      int cqlPort,
      int storagePort,
      String heap,
      Path classpathFile,
      Duration startTimeout,
      List<String> jvmOptions) {

    private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]?");
    // Ends up unquoted in the yaml and in "address:port" seeds, so keep it to hostnames and IPv4.
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+");

    public Settings {
      requireNonNull(dataDir, "dataDir");
      requireNonNull(listenAddress, "listenAddress");
      requireNonNull(heap, "heap");
      requireNonNull(classpathFile, "classpathFile");
      requireNonNull(startTimeout, "startTimeout");
      jvmOptions = List.copyOf(jvmOptions);
      for (String option : jvmOptions) {
        if (!option.startsWith("-") || option.chars().anyMatch(Character::isWhitespace)) {
          throw new IllegalArgumentException(
              "jvmOptions must each be one option starting with '-': '" + option + "'");
        }
      }
      dataDir = dataDir.toAbsolutePath().normalize();
      classpathFile = classpathFile.toAbsolutePath().normalize();
      if (!HOST.matcher(listenAddress).matches()) {
        throw new IllegalArgumentException(
            "listenAddress must be a hostname or IPv4 address: " + listenAddress);
      }
      checkPort("cqlPort", cqlPort);
      checkPort("storagePort", storagePort);
      if (cqlPort == storagePort) {
        throw new IllegalArgumentException("cqlPort and storagePort are both " + cqlPort);
      }
      if (!HEAP.matcher(heap).matches()) {
        throw new IllegalArgumentException("heap must look like 512m or 2g: " + heap);
      }
      if (startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
      }
    }

    /**
     * {@code ./data/cassandra} on 127.0.0.1, CQL 9042, storage 7010 (not 7000, so it never gossips
     * with a stray Cassandra on its default port), 512m heap, 180 s start timeout.
     *
     * @throws IllegalStateException if Cassandra's classpath file cannot be found
     */
    public static Settings defaults() {
      return new Settings(
          Path.of("data", "cassandra"),
          "127.0.0.1",
          9042,
          7010,
          "512m",
          locateClasspathFile(),
          Duration.ofSeconds(180),
          List.of());
    }

    public Settings withDataDir(Path dataDir) {
      Copy copy = new Copy(this);
      copy.dataDir = dataDir;
      return copy.settings();
    }

    public Settings withListenAddress(String listenAddress) {
      Copy copy = new Copy(this);
      copy.listenAddress = listenAddress;
      return copy.settings();
    }

    public Settings withCqlPort(int cqlPort) {
      Copy copy = new Copy(this);
      copy.cqlPort = cqlPort;
      return copy.settings();
    }

    public Settings withStoragePort(int storagePort) {
      Copy copy = new Copy(this);
      copy.storagePort = storagePort;
      return copy.settings();
    }

    public Settings withHeap(String heap) {
      Copy copy = new Copy(this);
      copy.heap = heap;
      return copy.settings();
    }

    public Settings withJvmOptions(List<String> jvmOptions) {
      Copy copy = new Copy(this);
      copy.jvmOptions = jvmOptions;
      return copy.settings();
    }

    public Settings withClasspathFile(Path classpathFile) {
      Copy copy = new Copy(this);
      copy.classpathFile = classpathFile;
      return copy.settings();
    }

    public Settings withStartTimeout(Duration startTimeout) {
      Copy copy = new Copy(this);
      copy.startTimeout = startTimeout;
      return copy.settings();
    }

    /** A settings' values to change one of, for the {@code with…} methods. */
    private static final class Copy {
      Path dataDir;
      String listenAddress;
      int cqlPort;
      int storagePort;
      String heap;
      Path classpathFile;
      Duration startTimeout;
      List<String> jvmOptions;

      Copy(Settings settings) {
        dataDir = settings.dataDir;
        listenAddress = settings.listenAddress;
        cqlPort = settings.cqlPort;
        storagePort = settings.storagePort;
        heap = settings.heap;
        classpathFile = settings.classpathFile;
        startTimeout = settings.startTimeout;
        jvmOptions = settings.jvmOptions;
      }

      Settings settings() {
        return new Settings(
            dataDir,
            listenAddress,
            cqlPort,
            storagePort,
            heap,
            classpathFile,
            startTimeout,
            jvmOptions);
      }
    }

    private static void checkPort(String name, int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(name + " out of range: " + port);
      }
    }
  }

  /**
   * {@link CassandraServer#start()} failed: the ports or data directory were taken, the child
   * exited, or CQL did not answer in time. The message carries the end of the child's logs.
   */
  public static final class StartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartException(String message) {
      super(message);
    }

    public StartException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private record Running(Process process, Thread shutdownHook, String releaseVersion) {}

  /** How waiting for CQL ended. */
  private sealed interface Outcome permits Ready, Exited, TimedOut {}

  private record Ready(String releaseVersion) implements Outcome {}

  private record Exited(int exitCode) implements Outcome {}

  private record TimedOut(Throwable lastProbeFailure) implements Outcome {}

  /** Paths under the data directory. */
  private record Layout(Path root) {
    Path conf() {
      return root.resolve("conf");
    }

    Path yaml() {
      return conf().resolve("cassandra.yaml");
    }

    Path logback() {
      return conf().resolve("logback.xml");
    }

    Path triggers() {
      return conf().resolve("triggers");
    }

    Path logs() {
      return root.resolve("logs");
    }

    Path systemLog() {
      return logs().resolve("system.log");
    }

    Path stdout() {
      return logs().resolve("stdout.log");
    }

    Path pidFile() {
      return root.resolve("cassandra.pid");
    }
  }

  public Settings settings() {
    return settings;
  }

  /** Where clients connect: the listen address and the CQL port. */
  public InetSocketAddress contactPoint() {
    return new InetSocketAddress(settings.listenAddress(), settings.cqlPort());
  }

  /** Whether a child started by this instance is alive. */
  public boolean isRunning() {
    Running current = running;
    return current != null && current.process().isAlive();
  }

  /** {@code release_version} the running server reported, e.g. {@code 5.0.9}. */
  public Optional<String> releaseVersion() {
    Running current = running;
    return current == null ? Optional.empty() : Optional.of(current.releaseVersion());
  }

  /** Process id of the running child. */
  public OptionalLong pid() {
    Running current = running;
    return current == null ? OptionalLong.empty() : OptionalLong.of(current.process().pid());
  }

  /**
   * Launches Cassandra and returns once {@code SELECT release_version FROM system.local} answers.
   * Does nothing if this instance is already running.
   *
   * @return this, for {@code try (var cassandra = new CassandraServer(s).start())}
   * @throws StartException if a port or the data directory is taken, or Cassandra exits or does not
   *     answer within {@link Settings#startTimeout()}; the child is killed before throwing
   */
  public synchronized CassandraServer start() {
    Running previous = running;
    if (previous != null) {
      if (previous.process().isAlive()) {
        return this;
      }
      log.warn(
          "Cassandra on {} (pid {}) died on its own with exit code {}; starting it again",
          contactPoint(),
          previous.process().pid(),
          previous.process().exitValue());
      release(previous);
    }
    Layout layout = new Layout(settings.dataDir());
    String classpath = readClasspath(settings.classpathFile());
    refuseIfTaken(layout);
    long systemLogOffset;
    long stdoutOffset;
    try {
      writeConfiguration(layout);
      systemLogOffset = sizeOf(layout.systemLog());
      stdoutOffset = sizeOf(layout.stdout());
    } catch (IOException e) {
      throw new StartException("Cannot prepare Cassandra's directory " + layout.root(), e);
    }

    log.info(
        "Starting Cassandra on {} (storage port {}, heap {}, files under {})",
        contactPoint(),
        settings.storagePort(),
        settings.heap(),
        layout.root());
    List<String> command = command(layout, classpath);
    log.debug("Cassandra command line: {}", command);
    long startedNanos = System.nanoTime();
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              // hs_err files and anything else written relative to the cwd land with the data.
              .directory(layout.root().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.stdout().toFile()))
              .start();
    } catch (IOException e) {
      throw new StartException("Cannot launch " + command.get(0), e);
    }
    InetSocketAddress contactPoint = contactPoint();
    Thread hook =
        new Thread(
            () -> {
              awaitStopBarrier();
              log.info(
                  "JVM exiting: stopping Cassandra on {} (pid {})", contactPoint, process.pid());
              terminate(process, STOP_GRACE);
            },
            "cassandra-shutdown-" + settings.cqlPort());
    Runtime.getRuntime().addShutdownHook(hook);
    writePidFile(layout, process.pid());

    warmUpProbe();
    Outcome outcome;
    try {
      outcome = awaitCql(process, startedNanos + settings.startTimeout().toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon(process, hook, layout);
      throw new StartException("Interrupted while waiting for Cassandra to start", e);
    } catch (RuntimeException | Error e) {
      abandon(process, hook, layout);
      throw e;
    }

    if (outcome instanceof Ready ready) {
      running = new Running(process, hook, ready.releaseVersion());
      log.info(
          "Cassandra {} ready on {} after {} ms (pid {})",
          ready.releaseVersion(),
          contactPoint(),
          millisSince(startedNanos),
          process.pid());
      return this;
    }
    abandon(process, hook, layout);
    String reason;
    Throwable cause = null;
    if (outcome instanceof Exited exited) {
      reason = "Cassandra exited with code " + exited.exitCode() + " while starting";
    } else {
      cause = ((TimedOut) outcome).lastProbeFailure();
      reason =
          "Cassandra did not answer CQL on "
              + contactPoint()
              + " within "
              + settings.startTimeout().toSeconds()
              + " s; killed it";
    }
    throw new StartException(
        reason
            + " (data dir "
            + layout.root()
            + ")"
            + tail("Cassandra log", layout.systemLog(), systemLogOffset)
            + tail("JVM console", layout.stdout(), stdoutOffset),
        cause);
  }

  /**
   * Makes the JVM shutdown hook wait (at most {@link #STOP_BARRIER_LIMIT}) for {@code barrier}
   * before stopping Cassandra, so that a node shutting down in parallel hooks can finish its last
   * journal writes first.
   */
  public void stopAfter(CompletionStage<?> barrier) {
    this.stopBarrier = barrier;
  }

  private void awaitStopBarrier() {
    try {
      stopBarrier.toCompletableFuture().get(STOP_BARRIER_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Stopping Cassandra without waiting further for the node: {}", e.toString());
    }
  }

  /**
   * Stops Cassandra: SIGTERM so it drains and flushes, then SIGKILL if it has not exited after 60
   * s. Returns once the process is gone, so its ports are free. Does nothing if not running.
   */
  public synchronized void stop() {
    Running current = running;
    if (current == null) {
      return;
    }
    log.info("Stopping Cassandra on {} (pid {})", contactPoint(), current.process().pid());
    long startedNanos = System.nanoTime();
    terminate(current.process(), STOP_GRACE);
    release(current);
    log.info(
        "Cassandra on {} stopped after {} ms (exit code {})",
        contactPoint(),
        millisSince(startedNanos),
        current.process().isAlive() ? "none: still alive" : current.process().exitValue());
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "CassandraServer["
        + contactPoint()
        + ", "
        + settings.dataDir()
        + (isRunning() ? ", running]" : ", stopped]");
  }

  /**
   * Finds the file listing Cassandra's runtime classpath: system property {@value
   * #CLASSPATH_FILE_PROPERTY}, else environment variable {@value #CLASSPATH_FILE_ENV}, else {@code
   * ops/cassandra/target/cassandra.classpath} or {@code cassandra/target/cassandra.classpath} under
   * the working directory or under one of the few directories above where this class was loaded
   * from.
   *
   * @throws IllegalStateException naming everything tried if there is no such file
   */
  public static Path locateClasspathFile() {
    return locateClasspathFile(
        System::getProperty, System::getenv, Path.of(""), codeLocation(CassandraServer.class));
  }

  static Path locateClasspathFile(
      Function<String, String> properties,
      Function<String, String> environment,
      Path workingDir,
      Optional<Path> codeLocation) {
    String source = "System property " + CLASSPATH_FILE_PROPERTY;
    String explicit = properties.apply(CLASSPATH_FILE_PROPERTY);
    if (explicit == null || explicit.isBlank()) {
      source = "Environment variable " + CLASSPATH_FILE_ENV;
      explicit = environment.apply(CLASSPATH_FILE_ENV);
    }
    if (explicit != null && !explicit.isBlank()) {
      // Falling back to a guess would hide a misconfiguration, and might pick a stale build.
      Path file = Path.of(explicit.trim()).toAbsolutePath().normalize();
      if (Files.isRegularFile(file)) {
        return file;
      }
      throw new IllegalStateException(
          source + " names " + file + ", which does not exist; " + BUILD_HINT + ".");
    }

    Set<Path> bases = new LinkedHashSet<>();
    bases.add(workingDir.toAbsolutePath().normalize());
    codeLocation.ifPresent(
        location -> {
          Path dir = Files.isDirectory(location) ? location : location.getParent();
          for (int i = 0; i < CODE_LOCATION_LEVELS && dir != null; i++, dir = dir.getParent()) {
            bases.add(dir.toAbsolutePath().normalize());
          }
        });
    List<Path> tried = new ArrayList<>();
    for (Path base : bases) {
      for (String candidate : CLASSPATH_FILE_CANDIDATES) {
        Path file = base.resolve(candidate);
        if (Files.isRegularFile(file)) {
          return file;
        }
        tried.add(file);
      }
    }
    StringBuilder message =
        new StringBuilder("Cannot find Cassandra's classpath file (cassandra.classpath); ")
            .append(BUILD_HINT)
            .append(", or name the file with -D")
            .append(CLASSPATH_FILE_PROPERTY)
            .append("=... or ")
            .append(CLASSPATH_FILE_ENV)
            .append(". Tried:");
    tried.forEach(file -> message.append("\n  ").append(file));
    throw new IllegalStateException(message.toString());
  }

  private static Optional<Path> codeLocation(Class<?> type) {
    try {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      return source == null || source.getLocation() == null
          ? Optional.empty()
          : Optional.of(Path.of(source.getLocation().toURI()));
    } catch (URISyntaxException | RuntimeException e) {
      // Exotic class loaders (nested jars, custom URL schemes): the other lookups still apply.
      return Optional.empty();
    }
  }

  private static String readClasspath(Path classpathFile) {
    String classpath;
    try {
      classpath = Files.readString(classpathFile).trim();
    } catch (IOException e) {
      throw new StartException(
          "Cannot read Cassandra's classpath file " + classpathFile + "; " + BUILD_HINT, e);
    }
    if (classpath.isEmpty()) {
      throw new StartException(
          "Cassandra's classpath file " + classpathFile + " is empty; " + BUILD_HINT);
    }
    // The file points into ~/.m2: a purged local repository breaks it long after the build.
    List<String> missing =
        Arrays.stream(classpath.split(Pattern.quote(File.pathSeparator)))
            .filter(entry -> !Files.exists(Path.of(entry)))
            .toList();
    if (!missing.isEmpty()) {
      throw new StartException(
          missing.size()
              + " entries of Cassandra's classpath file "
              + classpathFile
              + " do not exist (first: "
              + missing.get(0)
              + "); "
              + BUILD_HINT
              + " again");
    }
    return classpath;
  }

  private void refuseIfTaken(Layout layout) {
    OptionalLong orphan = livingCassandraIn(layout.pidFile());
    if (orphan.isPresent()) {
      throw new StartException(
          "Another Cassandra (pid "
              + orphan.getAsLong()
              + ") is still running on data directory "
              + layout.root()
              + ", probably left behind by a JVM that was killed. Stop it first: kill "
              + orphan.getAsLong());
    }
    checkPortFree("CQL", settings.cqlPort(), "withCqlPort");
    checkPortFree("storage", settings.storagePort(), "withStoragePort");
  }

  private void checkPortFree(String name, int port, String setter) {
    InetSocketAddress address = new InetSocketAddress(settings.listenAddress(), port);
    if (accepts(address, Duration.ofMillis(500)) || !bindable(address)) {
      throw new StartException(
          "Cannot start Cassandra: "
              + name
              + " port "
              + address
              + " is already in use by another process (`ss -ltnp | grep :"
              + port
              + "` shows which). Stop it or choose another port with Settings."
              + setter
              + "(...).");
    }
  }

  private static boolean bindable(InetSocketAddress address) {
    try (ServerSocket socket = new ServerSocket()) {
      // Like Cassandra itself: sockets of a previous run lingering in TIME_WAIT do not count.
      socket.setReuseAddress(true);
      socket.bind(address);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean accepts(InetSocketAddress address, Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(address, (int) timeout.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static OptionalLong livingCassandraIn(Path pidFile) {
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    // Pids are recycled: only a live process carrying our marker for this directory counts. The
    // JDK cuts command lines at 4 KiB, which is why the marker is the first JVM option.
    String marker = dataDirMarker(pidFile.getParent()) + " ";
    boolean ours =
        ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .flatMap(handle -> handle.info().commandLine())
            .map(commandLine -> commandLine.contains(marker))
            .orElse(false);
    return ours ? OptionalLong.of(pid) : OptionalLong.empty();
  }

  /** Identifies the child of a data directory among all processes, e.g. for orphan detection. */
  private static String dataDirMarker(Path dataDir) {
    return "-Dmeridian.cassandra.data-dir=" + dataDir;
  }

  private void writeConfiguration(Layout layout) throws IOException {
    Files.createDirectories(layout.conf());
    Files.createDirectories(layout.logs());
    Files.createDirectories(layout.triggers());
    String yaml =
        render(
            resource("cassandra.yaml.template"),
            Map.of(
                // Substituted inside single-quoted YAML scalars, where a quote is written twice.
                "DATA_DIR", layout.root().toString().replace("'", "''"),
                "LISTEN_ADDRESS", settings.listenAddress(),
                "CQL_PORT", Integer.toString(settings.cqlPort()),
                "STORAGE_PORT", Integer.toString(settings.storagePort()),
                "WORKER_THREADS", Integer.toString(workerThreads())));
    Files.writeString(layout.yaml(), yaml);
    String logback =
        render(
            resource("logback.xml.template"),
            Map.of("LOG_FILE", escapeXml(layout.systemLog().toString())));
    Files.writeString(layout.logback(), logback);
  }

  /** Cassandra's write and request threads: one per core, at least 2 (see the yaml template). */
  static int workerThreads() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  /** An option choosing the JVM's garbage collector, e.g. {@code -XX:+UseParallelGC}. */
  private static final Pattern COLLECTOR = Pattern.compile("-XX:\\+Use\\w+GC");

  /** G1, unless {@code jvmOptions} choose a collector of their own. */
  static List<String> defaultCollector(List<String> jvmOptions) {
    return jvmOptions.stream().anyMatch(o -> COLLECTOR.matcher(o).matches())
        ? List.of()
        : List.of("-XX:+UseG1GC");
  }

  private List<String> command(Layout layout, String classpath) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.add(dataDirMarker(layout.root()));
    command.add("-Xms" + settings.heap());
    command.add("-Xmx" + settings.heap());
    command.addAll(defaultCollector(settings.jvmOptions()));
    command.addAll(
        List.of(
            "-Xss256k",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.net.preferIPv4Stack=true",
            "-Dcassandra-foreground=yes"));
    command.addAll(Jvm17Flags.FLAGS);
    command.add("-XX:ErrorFile=" + layout.logs().resolve("hs_err_pid%p.log"));
    command.addAll(settings.jvmOptions());
    command.add("-Dcassandra.config=" + layout.yaml().toUri());
    command.add("-Dlogback.configurationFile=" + layout.logback());
    // Defaults that the yaml does not pin (e.g. audit and full-query logs) follow these two, so
    // two instances never share a directory with each other or with the working directory.
    command.add("-Dcassandra.storagedir=" + layout.root());
    command.add("-Dcassandra.logdir=" + layout.logs());
    // No cassandra.jmx.local.port / cassandra.jmx.remote.port: Cassandra then opens no JMX port,
    // so instances never collide on 7199 (it logs a warning saying so; nodetool will not work).
    // A lone seed has nobody to agree with: skip the >= 5 s wait for gossip to settle at start
    // and the 2 s pause announcing shutdown to peers at stop.
    command.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
    command.add("-Dcassandra.shutdown_announce_in_ms=0");
    // Its shared-pool workers rename their thread for every task they take (a system call each):
    // 1.7 % of its CPU under ingest (docs/benchmarks.md, session 12). Names stay the pool's.
    command.add("-Dcassandra.set_sep_thread_name=false");
    // Defaults to $CASSANDRA_HOME/conf/triggers, which does not exist here (and warns on DDL).
    command.add("-Dcassandra.triggers_dir=" + layout.triggers());
    command.add("-cp");
    command.add(classpath);
    command.add(MAIN_CLASS);
    return command;
  }

  private static String javaExecutable() {
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    Path java = Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
    if (Files.isExecutable(java)) {
      return java.toString();
    }
    return ProcessHandle.current().info().command().orElse("java");
  }

  private Outcome awaitCql(Process process, long deadlineNanos) throws InterruptedException {
    Throwable lastFailure = null;
    while (true) {
      if (!process.isAlive()) {
        return new Exited(process.exitValue());
      }
      if (System.nanoTime() - deadlineNanos > 0) {
        return new TimedOut(lastFailure);
      }
      // A plain connect first: a driver session per attempt costs threads and ~100s of ms, and
      // the port only opens at the very end of Cassandra's startup anyway.
      if (accepts(contactPoint(), PROBE_TIMEOUT)) {
        try {
          return new Ready(queryReleaseVersion());
        } catch (RuntimeException e) {
          lastFailure = e;
          log.debug(
              "CQL port of {} is open but not answering yet: {}", contactPoint(), e.toString());
        }
      }
      // Returns at once if the process exits, so a crash is reported without delay.
      process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Builds a probe session once in the background while Cassandra starts, expecting it to fail on
   * the closed port: the driver's and Netty's classes then load during Cassandra's startup, not
   * after it (the first session of a cold JVM takes seconds), and the probe answers as soon as the
   * port opens. The node's own sessions profit too.
   */
  private void warmUpProbe() {
    Thread warmUp =
        new Thread(
            () -> {
              try {
                queryReleaseVersion();
              } catch (RuntimeException expected) {
                log.debug("Probe warm-up before Cassandra listens: {}", expected.toString());
              }
            },
            "cassandra-probe-warm-up-" + settings.cqlPort());
    warmUp.setDaemon(true);
    warmUp.start();
  }

  private String queryReleaseVersion() {
    // Built from the driver's defaults only: an application.conf on the classpath (the node's
    // Pekko configuration) must not change how we probe.
    OptionsMap options = OptionsMap.driverDefaults();
    options.put(TypedDriverOption.SESSION_NAME, "cassandra-probe");
    options.put(TypedDriverOption.LOAD_BALANCING_LOCAL_DATACENTER, LOCAL_DATACENTER);
    options.put(TypedDriverOption.CONNECTION_CONNECT_TIMEOUT, PROBE_TIMEOUT);
    options.put(TypedDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, PROBE_TIMEOUT);
    options.put(TypedDriverOption.CONTROL_CONNECTION_TIMEOUT, PROBE_TIMEOUT);
    options.put(TypedDriverOption.REQUEST_TIMEOUT, PROBE_TIMEOUT);
    options.put(TypedDriverOption.RECONNECT_ON_INIT, false);
    options.put(TypedDriverOption.CONNECTION_WARN_INIT_ERROR, false);
    options.put(TypedDriverOption.METADATA_SCHEMA_ENABLED, false);
    options.put(TypedDriverOption.METADATA_TOKEN_MAP_ENABLED, false);
    options.put(TypedDriverOption.CONNECTION_POOL_LOCAL_SIZE, 1);
    // Cassandra 5 speaks V5; negotiating down from DSE_V2 costs round trips and server warnings.
    options.put(TypedDriverOption.PROTOCOL_VERSION, "V5");
    options.put(TypedDriverOption.NETTY_IO_SIZE, 1);
    options.put(TypedDriverOption.NETTY_ADMIN_SIZE, 1);
    // Netty's default quiet period makes every close() of a session take 2 s.
    options.put(TypedDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0);
    options.put(TypedDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0);
    try (CqlSession session =
        CqlSession.builder()
            .withConfigLoader(DriverConfigLoader.fromMap(options))
            .addContactPoint(contactPoint())
            .build()) {
      Row row = session.execute("SELECT release_version FROM system.local").one();
      if (row == null || row.getString("release_version") == null) {
        throw new IllegalStateException("system.local has no release_version yet");
      }
      return row.getString("release_version");
    }
  }

  /** Kills a child whose start failed and forgets it. */
  private void abandon(Process process, Thread hook, Layout layout) {
    terminate(process, FAILED_START_GRACE);
    removeShutdownHook(hook);
    deletePidFile(layout);
  }

  private void release(Running stopped) {
    removeShutdownHook(stopped.shutdownHook());
    deletePidFile(new Layout(settings.dataDir()));
    running = null;
  }

  private static void terminate(Process process, Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    boolean exited = false;
    try {
      exited = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!exited) {
      log.warn("Cassandra (pid {}) did not exit after SIGTERM; killing it", process.pid());
      process.destroyForcibly();
      // Only after the process is reaped are its ports free for the next start.
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          log.warn("Cassandra (pid {}) still not gone 10 s after SIGKILL", process.pid());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void removeShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and the hook itself is stopping the child.
    }
  }

  private static void writePidFile(Layout layout, long pid) {
    try {
      Files.writeString(layout.pidFile(), pid + System.lineSeparator());
    } catch (IOException e) {
      log.warn("Cannot write {}: orphan detection is off for this run", layout.pidFile(), e);
    }
  }

  private static void deletePidFile(Layout layout) {
    try {
      Files.deleteIfExists(layout.pidFile());
    } catch (IOException e) {
      log.debug("Cannot delete {}", layout.pidFile(), e);
    }
  }

  static String render(String template, Map<String, String> values) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 256);
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalStateException("No value for template placeholder " + matcher.group());
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private static String escapeXml(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&apos;");
  }

  private static String resource(String name) {
    try (InputStream in = CassandraServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource io/meridian/ops/cassandra/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long sizeOf(Path file) throws IOException {
    return Files.exists(file) ? Files.size(file) : 0L;
  }

  /** The last lines {@code file} got since {@code offset}, formatted for an exception message. */
  private static String tail(String title, Path file, long offset) {
    if (!Files.exists(file)) {
      return "\n--- " + title + " " + file + ": not written";
    }
    List<String> lines;
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      // A rollover since the start shrinks the file: then all of it is from this run.
      long from = offset <= length ? offset : 0;
      from = Math.max(from, length - 256 * 1024);
      byte[] bytes = new byte[(int) (length - from)];
      in.seek(from);
      in.readFully(bytes);
      lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      return "\n--- " + title + " " + file + ": unreadable (" + e + ")";
    }
    if (lines.isEmpty()) {
      return "\n--- " + title + " " + file + ": empty";
    }
    List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
    return String.format(
        "\n--- last %d lines of %s %s:\n%s", last.size(), title, file, String.join("\n", last));
  }

  private static long millisSince(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  /** The JDK 17 module flags, read once from the resource copied from Cassandra's conf. */
  private static final class Jvm17Flags {
    static final List<String> FLAGS = load();

    private static List<String> load() {
      List<String> flags = new ArrayList<>();
      resource("jvm17-server.flags")
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          // "--add-opens a/b=ALL-UNNAMED" is two launcher arguments.
          .forEach(line -> flags.addAll(Arrays.asList(line.split("\\s+"))));
      return List.copyOf(flags);
    }
  }
}
