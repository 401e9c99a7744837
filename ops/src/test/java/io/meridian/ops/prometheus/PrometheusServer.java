package io.meridian.ops.prometheus;

import io.meridian.ops.testing.Await;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.DebianPackages;
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
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A real Prometheus (Debian's {@code prometheus} package, 2.42) run as a child process, the
 * reference peer of the PromQL acceptance tests. Installs the package when it is missing, listens
 * on a free port on 127.0.0.1, keeps its TSDB in a fresh directory under the test work directory,
 * accepts remote write ({@code --web.enable-remote-write-receiver}) and is stopped with SIGTERM
 * (then killed) by {@link #close()}, by {@link PrometheusExtension} or, should a test JVM end
 * without either, by a shutdown hook.
 *
 * <pre>{@code
 * try (PrometheusServer prometheus = PrometheusServer.start()) {
 *   new RemoteWriteClient(prometheus.url()).write("/api/v1/write", series);  // 204
 * }
 * }</pre>
 *
 * <p><b>Old and out-of-order samples</b> (checked by {@code PrometheusRemoteWriteOrderTest}).
 * Without out-of-order ingestion Prometheus 2.42 rejects a remote write with 400 when a sample is
 * older than the newest sample of its series ("out of order sample") or, for any series, more than
 * one hour (half the 2 h head chunk range) older than the newest sample in the whole head ("out of
 * bounds"). A fresh server has an empty head, so hours of history are accepted when sent in time
 * order across all series: {@link GeneratedData#batches()} sends 10 minute windows of every series,
 * oldest first, and needs no extra configuration. {@code storage: tsdb: out_of_order_time_window},
 * which 2.42 supports ({@code start("storage:\n tsdb:\n out_of_order_time_window: 1d\n")}), makes
 * it accept the same windows newest first too. The comparisons use time order without that window:
 * the plain configuration, and the order a Prometheus sends in.
 */
public final class PrometheusServer implements AutoCloseable {

  /** Where Debian's package installs the server. */
  public static final Path BINARY = Path.of("/usr/bin/prometheus");

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final long STOP_SECONDS = 15;

  private final Process process;
  private final Path directory;
  private final int port;
  private final Thread shutdownHook;

  private PrometheusServer(Process process, Path directory, int port) {
    this.process = process;
    this.directory = directory;
    this.port = port;
    this.shutdownHook = new Thread(this::stopProcess, "prometheus-shutdown-" + port);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a server whose configuration has only global settings, and waits until it is ready. */
  public static PrometheusServer start() {
    return start("");
  }

  /**
   * Starts a server and waits until {@code /-/ready} answers 200.
   *
   * @param extraConfig YAML top-level sections appended to the generated configuration, such as
   *     {@code scrape_configs}, {@code remote_write} or {@code storage}; "" for none
   */
  public static PrometheusServer start(String extraConfig) {
    return start(port -> extraConfig);
  }

  /**
   * Starts a server whose extra configuration depends on its port, as a scrape of itself does, and
   * waits until {@code /-/ready} answers 200.
   *
   * @param extraConfig from the port the server will listen on to YAML top-level sections
   */
  public static PrometheusServer start(IntFunction<String> extraConfig) {
    Path program = DebianPackages.ensure(BINARY, "prometheus");
    Path directory = CassandraExtension.freshDirectory("prometheus");
    int port = freePort();
    try {
      Path config = directory.resolve("prometheus.yml");
      Files.writeString(
          config,
          // evaluation_interval is also the step of subqueries that name none ([1h:]); 1m is
          // Prometheus' default and Meridian's meridian.promql.default-subquery-step.
          "global:\n  scrape_interval: 15s\n  evaluation_interval: 1m\n" + extraConfig.apply(port),
          StandardCharsets.UTF_8);
      List<String> command = new ArrayList<>();
      command.add(program.toString());
      command.add("--config.file=" + config);
      command.add("--storage.tsdb.path=" + directory.resolve("data"));
      command.add("--storage.tsdb.retention.time=3650d");
      command.add("--web.listen-address=127.0.0.1:" + port);
      command.add("--web.enable-remote-write-receiver");
      // The default, stated because the comparison depends on it.
      command.add("--query.lookback-delta=5m");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(directory.resolve("prometheus.log").toFile())
              .start();
      PrometheusServer server = new PrometheusServer(process, directory, port);
      try {
        server.awaitReady();
      } catch (RuntimeException | AssertionError e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + program, e);
    }
  }

  /** Base URL, e.g. {@code http://127.0.0.1:41234}; the API is under {@code /api/v1}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The server's directory: configuration, {@code data/} and {@code prometheus.log}. */
  public Path directory() {
    return directory;
  }

  /** The last lines the server logged, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(directory.resolve("prometheus.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops the server: SIGTERM, up to 15 s for a clean shutdown, then SIGKILL. */
  @Override
  public void close() {
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and the hook stops the process itself.
    }
  }

  private void stopProcess() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    Await.until(
        "Prometheus on port " + port + " to be ready",
        READY_TIMEOUT,
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException(
                "Prometheus exited with code " + process.exitValue() + ":\n" + logTail());
          }
          try {
            return client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        },
        this::logTail);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port", e);
    }
  }
}
