package io.meridian.ops.bench;

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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real peer time-series database started for a side-by-side benchmark, from its Debian package:
 * Prometheus ({@code prometheus}, with its remote-write receiver on) or VictoriaMetrics ({@code
 * victoria-metrics}), each on a free port of 127.0.0.1 with its data in a fresh temporary
 * directory, both removed again by {@link #close}. The package is installed with {@code apt-get}
 * when the program is missing (root is needed for that).
 */
public final class PeerServer implements AutoCloseable {

  /** The peers the benchmark knows how to start. */
  public enum Kind {
    PROMETHEUS("/usr/bin/prometheus", "prometheus", "/-/ready"),
    VICTORIAMETRICS("/usr/bin/victoria-metrics", "victoria-metrics", "/health");

    final Path program;
    final String debianPackage;
    final String readyPath;

    Kind(String program, String debianPackage, String readyPath) {
      this.program = Path.of(program);
      this.debianPackage = debianPackage;
      this.readyPath = readyPath;
    }

    /** Reads {@code prometheus}, {@code victoriametrics} or {@code victoria-metrics}. */
    public static Kind parse(String name) {
      return switch (name.toLowerCase(Locale.ROOT).replace("-", "")) {
        case "prometheus" -> PROMETHEUS;
        case "victoriametrics", "vm" -> VICTORIAMETRICS;
        default ->
            throw new IllegalArgumentException(
                "unknown peer '" + name + "': prometheus or victoriametrics");
      };
    }
  }

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Kind kind;
  private final Process process;
  private final Path directory;
  private final int port;
  private final Thread stopOnExit;

  private PeerServer(Kind kind, Process process, Path directory, int port) {
    this.kind = kind;
    this.process = process;
    this.directory = directory;
    this.port = port;
    // A benchmark interrupted (Ctrl-C) skips close(): the peer must not outlive it.
    this.stopOnExit = new Thread(process::destroy, "stop-" + kind.debianPackage);
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /** Starts a peer and waits until it says it is ready; its output goes to {@code <dir>/log}. */
  public static PeerServer start(Kind kind) throws IOException, InterruptedException {
    ensureInstalled(kind);
    Path directory = Files.createTempDirectory("meridian-bench-" + kind.debianPackage + "-");
    int port = freePort();
    String listen = "127.0.0.1:" + port;
    List<String> command;
    if (kind == Kind.PROMETHEUS) {
      Path config = directory.resolve("prometheus.yml");
      // No scrape jobs: everything it stores arrives by remote write.
      Files.writeString(config, "global:\n  scrape_interval: 15s\nscrape_configs: []\n");
      command =
          List.of(
              kind.program.toString(),
              "--config.file=" + config,
              "--storage.tsdb.path=" + directory.resolve("data"),
              "--web.listen-address=" + listen,
              "--web.enable-remote-write-receiver");
    } else {
      command =
          List.of(
              kind.program.toString(),
              "-storageDataPath=" + directory.resolve("data"),
              "-httpListenAddr=" + listen);
    }
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("log").toFile())
            .start();
    PeerServer peer = new PeerServer(kind, process, directory, port);
    try {
      peer.awaitReady();
    } catch (IOException | InterruptedException | RuntimeException e) {
      peer.close();
      throw e;
    }
    return peer;
  }

  /** Which peer it is. */
  public Kind kind() {
    return kind;
  }

  /** The peer's process id, for {@link ServerProcesses}. */
  public long pid() {
    return process.pid();
  }

  /** Its remote-write URL. */
  public URI writeUrl() {
    return URI.create("http://127.0.0.1:" + port + "/api/v1/write");
  }

  /** The base of its Prometheus query API ({@code …/api/v1}). */
  public String queryBase() {
    return "http://127.0.0.1:" + port + "/api/v1";
  }

  /**
   * Makes every acknowledged sample searchable: VictoriaMetrics buffers new samples for a second or
   * two before queries see them ({@code /internal/force_flush}); Prometheus shows them at once.
   */
  public void flush() throws IOException, InterruptedException {
    if (kind != Kind.VICTORIAMETRICS) {
      return;
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/internal/force_flush"))
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          "force_flush of victoria-metrics: HTTP " + response.statusCode() + " " + response.body());
    }
  }

  /** Its name and version, as {@code <program> --version} tells it. */
  public String describe() {
    return kind.debianPackage + " " + version(kind) + " (pid " + pid() + ", port " + port + ")";
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + kind.readyPath))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            kind.debianPackage + " exited with " + process.exitValue() + ": " + log());
      }
      try {
        if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        kind.debianPackage + " was not ready within " + READY_TIMEOUT + ": " + log());
  }

  private String log() throws IOException {
    String log = Files.readString(directory.resolve("log"));
    return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
  }

  /** Stops the peer (SIGTERM, then SIGKILL after 30 s) and deletes its data. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException e) {
      // The JVM is exiting: the hook stops the peer anyway.
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void ensureInstalled(Kind kind) throws IOException, InterruptedException {
    if (Files.isExecutable(kind.program)) {
      return;
    }
    ProcessBuilder apt =
        new ProcessBuilder(
                "apt-get", "install", "-y", "--no-install-recommends", kind.debianPackage)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    apt.environment().put("DEBIAN_FRONTEND", "noninteractive");
    int exit = apt.start().waitFor();
    if (exit != 0 || !Files.isExecutable(kind.program)) {
      throw new IllegalStateException(
          kind.program
              + " is missing and apt-get install "
              + kind.debianPackage
              + " failed (exit "
              + exit
              + "; root is needed): install it by hand");
    }
  }

  /** The Debian package's version ({@code victoria-metrics -version} prints nothing there). */
  private static String version(Kind kind) {
    try {
      Process query =
          new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", kind.debianPackage)
              .redirectErrorStream(true)
              .start();
      String text = new String(query.getInputStream().readAllBytes()).trim();
      return query.waitFor(10, TimeUnit.SECONDS) && query.exitValue() == 0
          ? text
          : "(version unknown)";
    } catch (IOException e) {
      return "(version unknown)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(version unknown)";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
