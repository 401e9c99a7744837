package io.meridian.ops.scrape;

import io.meridian.ops.testing.Await;
import io.meridian.ops.testing.DebianPackages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Prometheus node exporter ({@code prometheus-node-exporter}, installed if missing) as a
 * child process on a free loopback port, with only the CPU, load and memory collectors: what the
 * scrape tests need, quickly, on any machine.
 */
final class NodeExporter implements AutoCloseable {

  private static final Path PROGRAM = Path.of("/usr/bin/prometheus-node-exporter");

  private final Process process;
  private final int port;
  private final Path log;

  private NodeExporter(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the exporter and waits until it serves {@code /metrics}. */
  static NodeExporter start(Path workDir) {
    Path program = DebianPackages.ensure(PROGRAM, "prometheus-node-exporter");
    int port = freePort();
    Path log = workDir.resolve("node-exporter.log");
    try {
      Process process =
          new ProcessBuilder(
                  List.of(
                      program.toString(),
                      "--web.listen-address=127.0.0.1:" + port,
                      "--collector.disable-defaults",
                      "--collector.cpu",
                      "--collector.loadavg",
                      "--collector.meminfo"))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      NodeExporter exporter = new NodeExporter(process, port, log);
      try {
        Await.until(
            "the node exporter serving /metrics on port " + port,
            Duration.ofSeconds(30),
            exporter::serves,
            exporter::state);
      } catch (AssertionError e) {
        exporter.close();
        throw e;
      }
      return exporter;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + program, e);
    }
  }

  int port() {
    return port;
  }

  private boolean serves() {
    if (!process.isAlive()) {
      return false;
    }
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("node_cpu_seconds_total");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String state() {
    try {
      return (process.isAlive() ? "running" : "exited with " + process.exitValue())
          + "; log: "
          + Files.readString(log);
    } catch (IOException e) {
      return "no log";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** A port nothing listens on now. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
