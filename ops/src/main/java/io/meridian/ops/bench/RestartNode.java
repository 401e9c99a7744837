package io.meridian.ops.bench;

import io.meridian.ops.RunCommand;
import io.meridian.ops.cassandra.CassandraServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Meridian node of this build with its embedded Cassandra, run as {@code meridian run} in a child
 * JVM on this process's class path, as {@code bin/bench-ingest} starts one: its ports and data
 * directory from environment variables, its output appended to a log file. Stopping sends SIGTERM
 * and waits for the exit (the node stops its Cassandra after its last journal writes). The node
 * follows this process: it shuts down if the benchmark dies.
 */
final class RestartNode implements AutoCloseable {

  /** The ports a node and its Cassandra listen on, on 127.0.0.1. */
  record Ports(int http, int management, int remote, int cql, int storage) {

    static Ports free() {
      return new Ports(freePort(), freePort(), freePort(), freePort(), freePort());
    }

    private static int freePort() {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final Pattern CASSANDRA_READY =
      Pattern.compile("Cassandra (\\S+) ready on \\S+ after (\\d+) ms");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Ports ports;
  private final Path log;
  private final long logOffset;
  private final long startedNanos;

  private RestartNode(Process process, Ports ports, Path log, long logOffset, long startedNanos) {
    this.process = process;
    this.ports = ports;
    this.log = log;
    this.logOffset = logOffset;
    this.startedNanos = startedNanos;
  }

  /**
   * Launches {@code meridian run} with Cassandra's data under {@code cassandraDir}.
   *
   * @param jvmOptions options of the node's JVM (e.g. from {@code MERIDIAN_JAVA_OPTS})
   * @param settings node settings, as {@code -D} system properties
   */
  static RestartNode start(
      Path cassandraDir,
      Ports ports,
      List<String> jvmOptions,
      Map<String, String> settings,
      Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-D" + RunCommand.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
    String cassandraClasspath = System.getProperty(CassandraServer.CLASSPATH_FILE_PROPERTY);
    if (cassandraClasspath != null) {
      command.add("-D" + CassandraServer.CLASSPATH_FILE_PROPERTY + "=" + cassandraClasspath);
    }
    settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.meridian.ops.Meridian");
    command.add("run");
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("MERIDIAN_CASSANDRA_DATA_DIR", cassandraDir.toString());
    env.put("MERIDIAN_HTTP_PORT", Integer.toString(ports.http()));
    env.put("MERIDIAN_MANAGEMENT_PORT", Integer.toString(ports.management()));
    env.put("MERIDIAN_REMOTE_PORT", Integer.toString(ports.remote()));
    env.put("MERIDIAN_CASSANDRA_CQL_PORT", Integer.toString(ports.cql()));
    env.put("MERIDIAN_CASSANDRA_STORAGE_PORT", Integer.toString(ports.storage()));
    // The benchmark's requests carry no credentials; its log lines are read by people.
    env.put("MERIDIAN_AUTH_MODE", "open");
    env.put("MERIDIAN_LOG_STDOUT", "text");
    env.put("MERIDIAN_LOG_DIR", log.toAbsolutePath().resolveSibling("node-logs").toString());
    Files.createDirectories(log.toAbsolutePath().getParent());
    long offset = Files.exists(log) ? Files.size(log) : 0;
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    long started = System.nanoTime();
    return new RestartNode(builder.start(), ports, log, offset, started);
  }

  long pid() {
    return process.pid();
  }

  Ports ports() {
    return ports;
  }

  /** Base URL of the node's HTTP API. */
  String url() {
    return "http://127.0.0.1:" + ports.http();
  }

  /** Seconds since the process was started. */
  double secondsSinceStart() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** Whether {@code /ready} on the management port answers 200. */
  boolean isReady() {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + ports.management() + "/ready"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Polls {@code /ready} every {@code pollMillis} and returns the seconds from the process start to
   * the first 200; fails early with the end of the log if the process exits.
   */
  double awaitReady(Duration timeout, long pollMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!isReady()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the node exited with " + process.exitValue() + " before it was ready" + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the node was not ready within " + timeout + tail());
      }
      Thread.sleep(pollMillis);
    }
    return secondsSinceStart();
  }

  /**
   * Waits until the HTTP API accepts connections: {@code /ready} may answer before the API is
   * bound, as the node starts management first.
   */
  void awaitHttp(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url() + "/api/version"))
            .timeout(Duration.ofSeconds(5))
            .build();
    while (true) {
      try {
        HTTP.send(request, HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("the node's HTTP API did not answer" + tail(), e);
        }
      }
      Thread.sleep(100);
    }
  }

  /**
   * Seconds the embedded Cassandra took to answer CQL after its launch, from the node's log of this
   * start; empty if the log does not say (yet).
   */
  OptionalDouble cassandraStartSeconds() {
    Matcher matcher = CASSANDRA_READY.matcher(logOfThisStart());
    return matcher.find()
        ? OptionalDouble.of(Long.parseLong(matcher.group(2)) / 1000.0)
        : OptionalDouble.empty();
  }

  /** Sends SIGTERM and waits for the exit; returns the seconds it took. */
  double stop(Duration timeout) throws InterruptedException {
    long started = System.nanoTime();
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "the node did not exit within " + timeout + " of SIGTERM; killed it" + tail());
    }
    return (System.nanoTime() - started) / 1e9;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop(Duration.ofMinutes(2));
    }
  }

  private String logOfThisStart() {
    try {
      byte[] all = Files.readAllBytes(log);
      int from = (int) Math.min(all.length, logOffset);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  String tail() {
    String[] lines = logOfThisStart().split("\n");
    List<String> last = List.of(lines).subList(Math.max(0, lines.length - 40), lines.length);
    return "; last lines of " + log + ":\n" + String.join("\n", last);
  }
}
