package io.meridian.ops.cluster;

import io.meridian.ops.RunCommand;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Meridian node running as a child JVM ({@code meridian run} on this process's class path),
 * exactly as on its own host: its own remoting, HTTP and management ports, seed nodes and external
 * Cassandra from environment variables, its output in a log file. Stopping it sends SIGTERM (a
 * graceful leave through CoordinatedShutdown); killing it sends SIGKILL.
 */
public final class NodeProcess implements AutoCloseable {

  /** Where and how a node runs. */
  public record Spec(
      String name,
      String host,
      int remotePort,
      int httpPort,
      int managementPort,
      List<String> seedNodes,
      String cassandraContactPoint,
      String keyspace,
      String heap,
      Map<String, String> systemProperties,
      Path logFile) {

    /** Where the node writes its log files ({@code meridian.log.dir}), beside its stdout's. */
    public Path logDir() {
      return logFile.toAbsolutePath().resolveSibling(name + "-logs");
    }

    /** The node's cluster address, as seed-node lists name it. */
    public String address() {
      return "pekko://meridian@" + host + ":" + remotePort;
    }
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Spec spec;
  private final Process process;

  private NodeProcess(Spec spec, Process process) {
    this.spec = spec;
    this.process = process;
  }

  /** Launches the node; it is usable once {@link #awaitReady} returns. */
  public static NodeProcess launch(Spec spec) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms" + spec.heap());
    command.add("-Xmx" + spec.heap());
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-Dmeridian.cassandra.keyspace=" + spec.keyspace());
    // The node leaves and exits when this process ends, however it ends.
    command.add("-D" + RunCommand.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
    spec.systemProperties().forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.meridian.ops.Meridian");
    command.add("run");
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("MERIDIAN_CASSANDRA_EMBEDDED", "false");
    env.put("MERIDIAN_CASSANDRA_CONTACT_POINTS", spec.cassandraContactPoint());
    env.put("MERIDIAN_REMOTE_HOST", spec.host());
    env.put("MERIDIAN_REMOTE_PORT", Integer.toString(spec.remotePort()));
    env.put("MERIDIAN_HTTP_HOST", spec.host());
    env.put("MERIDIAN_HTTP_PORT", Integer.toString(spec.httpPort()));
    env.put("MERIDIAN_MANAGEMENT_HOST", spec.host());
    env.put("MERIDIAN_MANAGEMENT_PORT", Integer.toString(spec.managementPort()));
    env.put("MERIDIAN_SEED_NODES", String.join(",", spec.seedNodes()));
    // Each node's log files apart from the others'; its stdout (in logFile) for people.
    env.put("MERIDIAN_LOG_DIR", spec.logDir().toString());
    env.put("MERIDIAN_LOG_STDOUT", "text");
    // Local clusters (tests, development) need no credentials unless a -D setting asks for them.
    env.put("MERIDIAN_AUTH_MODE", "open");
    Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
    return new NodeProcess(spec, builder.start());
  }

  public Spec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Base URL of the node's HTTP API. */
  public String url() {
    return "http://" + spec.host() + ":" + spec.httpPort();
  }

  /** Base URL of the node's Pekko Management API ({@code /ready}, {@code /cluster/members}…). */
  public String managementUrl() {
    return "http://" + spec.host() + ":" + spec.managementPort();
  }

  /** Whether {@code /ready} answers 200: Up, sharding registered and Cassandra answering. */
  public boolean isReady() {
    return status(managementUrl() + "/ready") == 200;
  }

  /** Waits until the node is ready, failing early with the end of its log if the process exits. */
  public void awaitReady(Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!isReady()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            spec.name() + " exited with " + process.exitValue() + " before it was ready" + tail());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(spec.name() + " was not ready within " + timeout + tail());
      }
      Thread.sleep(200);
    }
  }

  /** Sends SIGTERM: the node leaves the cluster gracefully and exits. */
  public void stop() {
    process.destroy();
  }

  /** Waits for the process to exit; true if it did within the timeout. */
  public boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends SIGKILL: the node vanishes without leaving, as on a crashed host. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Stops the node gracefully, killing it if it has not exited within {@code timeout}. */
  public void stop(Duration timeout) throws InterruptedException {
    stop();
    if (!awaitExit(timeout)) {
      kill();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop(Duration.ofSeconds(60));
    }
  }

  private static int status(String url) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(spec.logFile());
      return "; last lines of "
          + spec.logFile()
          + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public String toString() {
    return spec.name() + " (" + spec.address() + ", http " + url() + ", pid " + pid() + ")";
  }
}
