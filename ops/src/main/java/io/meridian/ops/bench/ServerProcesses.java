package io.meridian.ops.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server processes a benchmark loads (a node and its Cassandra child, a Prometheus, …), read
 * from Linux's {@code /proc}: CPU time used ({@code /proc/<pid>/stat} utime + stime, which cover
 * all of a process' threads), resident memory now ({@code VmRSS}) and at its highest ({@code
 * VmHWM}), and the highest resident memory seen while {@link #watch watching}.
 */
public final class ServerProcesses implements AutoCloseable {

  /** One process as read at one moment. */
  public record Usage(long pid, String name, double cpuSeconds, long rssBytes, long hwmBytes) {}

  private static final double TICKS_PER_SECOND = clockTicks();

  private final Map<Long, String> processes = new LinkedHashMap<>();
  private final Map<Long, Long> peakRss = new ConcurrentHashMap<>();
  private ScheduledExecutorService sampler;

  /**
   * The processes {@code pids} and their descendants (a node's embedded Cassandra is its child).
   */
  public static ServerProcesses of(List<Long> pids) {
    ServerProcesses servers = new ServerProcesses();
    for (long pid : pids) {
      ProcessHandle handle =
          ProcessHandle.of(pid)
              .orElseThrow(() -> new IllegalArgumentException("no process with pid " + pid));
      servers.processes.putIfAbsent(pid, name(pid));
      handle
          .descendants()
          .forEach(child -> servers.processes.putIfAbsent(child.pid(), name(child.pid())));
    }
    return servers;
  }

  /** This JVM: the load generator (and the null sink when there is one). */
  public static ServerProcesses self() {
    ServerProcesses self = new ServerProcesses();
    long pid = ProcessHandle.current().pid();
    self.processes.put(pid, "generator");
    return self;
  }

  /** The watched processes' ids and names. */
  public Map<Long, String> processes() {
    return Map.copyOf(processes);
  }

  /** A watched process named {@code name} ({@link #name}), e.g. the node's Cassandra child. */
  public OptionalLong pid(String name) {
    return processes.entrySet().stream()
        .filter(process -> process.getValue().equals(name))
        .mapToLong(Map.Entry::getKey)
        .findFirst();
  }

  /** Every process, read now; a process that has ended is left out. */
  public List<Usage> read() {
    List<Usage> usages = new ArrayList<>();
    for (Map.Entry<Long, String> process : processes.entrySet()) {
      long pid = process.getKey();
      try {
        usages.add(
            new Usage(
                pid,
                process.getValue(),
                cpuSeconds(pid),
                status(pid, "VmRSS"),
                status(pid, "VmHWM")));
      } catch (NoSuchFileException e) {
        // Ended since: nothing more to count.
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return usages;
  }

  /** Reads every process' resident memory each {@code periodMillis} to know its peak over a run. */
  public void watch(long periodMillis) {
    sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "rss-sampler");
              thread.setDaemon(true);
              return thread;
            });
    sampler.scheduleAtFixedRate(
        () -> {
          for (Usage usage : read()) {
            peakRss.merge(usage.pid(), usage.rssBytes(), Math::max);
          }
        },
        0,
        periodMillis,
        TimeUnit.MILLISECONDS);
  }

  /** The highest resident memory {@link #watch} saw of a process, 0 if none. */
  public long peakRss(long pid) {
    return peakRss.getOrDefault(pid, 0L);
  }

  @Override
  public void close() {
    if (sampler != null) {
      sampler.shutdownNow();
    }
  }

  /** utime + stime: fields 14 and 15 of /proc/pid/stat, counted after the ")" ending field 2. */
  static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", "" + pid, "stat"), StandardCharsets.UTF_8);
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is field 3 (state), so field n is fields[n - 3].
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
  }

  /** A {@code kB} line of /proc/pid/status, in bytes; 0 when the kernel does not give it. */
  static long status(long pid, String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", "" + pid, "status"))) {
      if (line.startsWith(key + ":")) {
        String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
      }
    }
    return 0;
  }

  /** A short name: "cassandra" or "meridian" for those JVMs, else the program's file name. */
  static String name(long pid) {
    try {
      String command =
          Files.readString(Path.of("/proc", "" + pid, "cmdline"), StandardCharsets.UTF_8);
      if (command.contains("CassandraDaemon")) {
        return "cassandra";
      }
      if (command.contains("meridian.jar") || command.contains("io.meridian.ops.Meridian")) {
        return "meridian";
      }
      // argv[0], NUL-terminated; /proc/<pid>/comm would cut it to 15 characters.
      String program = command.split("\u0000", 2)[0];
      return program.isEmpty() ? "pid " + pid : Path.of(program).getFileName().toString();
    } catch (IOException | RuntimeException e) {
      return "pid " + pid;
    }
  }

  /** The kernel's clock ticks per second ({@code getconf CLK_TCK}), 100 on every usual Linux. */
  private static double clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
        return Double.parseDouble(out.trim());
      }
    } catch (IOException | NumberFormatException e) {
      // Fall back to the usual value below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
