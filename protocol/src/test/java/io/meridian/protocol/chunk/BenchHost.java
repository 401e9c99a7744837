package io.meridian.protocol.chunk;

import java.util.ArrayList;
import java.util.List;

/**
 * One host of the ingest benchmark's node-exporter-like series, for size reports: a copy of the
 * value processes and catalogue of {@code io.meridian.ops.bench.NodeExporterSeries} (the ops module
 * depends on this one, not the other way round), without the labels. Keep it in step with that
 * class: counters that grow irregularly (some never), gauges that stay or drift, quantized as the
 * kernel reports them, timestamps on a fixed schedule with a few milliseconds of jitter.
 */
final class BenchHost {

  static final int SERIES_PER_HOST = 500;

  private static final int CPUS = 4;
  private static final long JITTER_MS = 4;

  private final long intervalMs;
  private final List<Template> templates;
  private final double[] values;
  private final long[] random;

  BenchHost(int series, long intervalMs, long seed) {
    this.intervalMs = intervalMs;
    this.templates = catalogue(series);
    this.values = new double[series];
    this.random = new long[series];
    for (int i = 0; i < series; i++) {
      Template template = templates.get(i);
      random[i] = mix(seed ^ mix(i + 1L));
      double spread =
          switch (template.kind()) {
            case COUNTER -> 0.5 + unit(i);
            case GAUGE -> 0.8 + 0.4 * unit(i);
            case CONSTANT, CLOCK -> 1;
          };
      values[i] = quantize(template.initial() * spread, template.quantum());
    }
  }

  int size() {
    return values.length;
  }

  /** The series' kind, with "quiet" for counters that never move. */
  String kindName(int index) {
    Template t = templates.get(index);
    String kind = t.kind().name().toLowerCase(java.util.Locale.ROOT);
    if (t.kind() == Kind.COUNTER || t.kind() == Kind.GAUGE) {
      kind += t.activity() == 0 ? " (quiet)" : t.quantum() < 1 ? " (fractional)" : " (integer)";
    }
    return kind;
  }

  /** Host 0's scrape {@code round}: its phase plus jitter, from origin 1 764 000 000 000. */
  long timestamp(int index, long round) {
    int host = 0;
    long phase = Math.floorMod(mix(host * 0x9E3779B97F4A7C15L), intervalMs);
    long jitter = Math.floorMod(mix(host ^ (round * 0xC2B2AE3D27D4EB4FL)), 2 * JITTER_MS + 1);
    return 1_764_000_000_000L + round * intervalMs + phase + jitter - JITTER_MS;
  }

  double next(int index, long timestampMs) {
    Template template = templates.get(index);
    double value = values[index];
    double seconds = intervalMs / 1000.0;
    switch (template.kind()) {
      case CONSTANT -> {}
      case CLOCK -> value = timestampMs / 1000.0;
      case COUNTER -> {
        if (unit(index) < template.activity()) {
          double step = template.rate() * seconds * (0.2 + 1.6 * unit(index));
          value += Math.max(template.quantum(), quantize(step, template.quantum()));
        }
      }
      case GAUGE -> {
        if (unit(index) < template.activity()) {
          double step = template.rate() * (unit(index) - 0.5) * 2;
          double moved = value + quantize(step, template.quantum());
          if (moved >= template.initial() * 0.1 && moved <= template.initial() * 2) {
            value = moved;
          }
        }
      }
    }
    values[index] = value;
    return value;
  }

  private double unit(int index) {
    long x = random[index] += 0x9E3779B97F4A7C15L;
    return (mix(x) >>> 11) * 0x1.0p-53;
  }

  private static double quantize(double value, double quantum) {
    return quantum > 0 ? Math.rint(value / quantum) * quantum : value;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  enum Kind {
    COUNTER,
    CONSTANT,
    GAUGE,
    CLOCK
  }

  record Template(Kind kind, double initial, double rate, double activity, double quantum) {}

  /** The catalogue, in the benchmark's order, filled up with interrupt counters. */
  private static List<Template> catalogue(int size) {
    List<Template> c = new ArrayList<>();
    double[] modeRates = {0.88, 0.004, 0, 0.0005, 0.003, 0, 0.03, 0.08};
    for (int cpu = 0; cpu < CPUS; cpu++) {
      for (double rate : modeRates) {
        counter(c, 1e6 * rate, rate, rate == 0 ? 0 : rate > 0.01 ? 1 : 0.4, 0.01);
      }
    }
    for (int cpu = 0; cpu < CPUS; cpu++) {
      counter(c, 0, 0);
      counter(c, 0, 0);
      gauge(c, 2.4e9, 4e8, 0.5, 1e6);
      constant(c, 8e8);
      constant(c, 3.5e9);
      counter(c, 5e5, 0.1, 1, 1e-9);
      counter(c, 2e4, 0.005, 1, 1e-9);
      counter(c, 9e7, 300, 1, 1);
      counter(c, 4e7, 150, 1, 1);
      counter(c, 0, 0);
      counter(c, 120, 0.001, 0.05, 1);
    }
    String[] devices = {"docker0", "eth0", "eth1", "lo"};
    String[] receive = {
      "bytes", "packets", "errs", "drop", "fifo", "frame", "compressed", "multicast"
    };
    String[] transmit = {
      "bytes", "packets", "errs", "drop", "fifo", "colls", "carrier", "compressed"
    };
    for (String device : devices) {
      double busy = device.equals("eth0") ? 1 : device.equals("lo") ? 0.3 : 0.05;
      for (String what : receive) {
        counterOfTraffic(c, what, busy);
      }
      for (String what : transmit) {
        counterOfTraffic(c, what, busy * 0.6);
      }
      constant(c, device.equals("eth1") ? 0 : 1);
      constant(c, device.equals("lo") ? 65536 : 1500);
      constant(c, 1.25e9);
      constant(c, 1);
      constant(c, 1000);
      constant(c, 0);
      constant(c, 4099);
      constant(c, device.length());
      constant(c, 0);
      constant(c, device.equals("lo") ? 772 : 1);
      constant(c, 0);
    }
    String[] fstypes = {"ext4", "ext4", "xfs", "vfat", "tmpfs", "tmpfs"};
    for (String fstype : fstypes) {
      double bytes = fstype.equals("tmpfs") ? 2.5e9 : fstype.equals("vfat") ? 1.3e8 : 1.0e11;
      constant(c, bytes);
      gauge(c, bytes * 0.4, 4e6, 0.6, 4096);
      gauge(c, bytes * 0.45, 4e6, 0.6, 4096);
      constant(c, bytes / 16384);
      gauge(c, bytes / 20000, 50, 0.3, 1);
      constant(c, 0);
      constant(c, 0);
    }
    String[][] diskCounters = {
      {"reads_completed", "40"},
      {"reads_merged", "3"},
      {"read_bytes", "4e5"},
      {"read_time_seconds", "0.02"},
      {"writes_completed", "60"},
      {"writes_merged", "20"},
      {"written_bytes", "9e5"},
      {"write_time_seconds", "0.05"},
      {"io_time_seconds", "0.04"},
      {"io_time_weighted_seconds", "0.07"},
      {"discards_completed", "0.01"},
      {"discards_merged", "0"},
      {"discarded_sectors", "0.5"},
      {"discard_time_seconds", "0"},
      {"flush_requests", "2"},
      {"flush_requests_time_seconds", "0.001"},
    };
    for (int disk = 0; disk < 4; disk++) {
      for (String[] counter : diskCounters) {
        double rate = Double.parseDouble(counter[1]);
        boolean seconds = counter[0].endsWith("seconds");
        counter(
            c,
            rate * 3e6,
            rate,
            rate == 0 ? 0 : 0.7,
            seconds ? 0.001 : counter[0].endsWith("bytes") ? 512 : 1);
      }
      gauge(c, 1, 2, 0.2, 1);
    }
    String[] memoryConstant = {
      "MemTotal",
      "SwapTotal",
      "VmallocTotal",
      "Hugepagesize",
      "DirectMap1G",
      "CommitLimit",
      "HardwareCorrupted",
      "Bounce",
      "NFS_Unstable",
      "WritebackTmp",
      "ShmemHugePages",
      "ShmemPmdMapped",
      "FileHugePages",
      "FilePmdMapped",
      "Hugetlb",
      "Mlocked",
      "Unevictable",
      "SwapCached",
      "SwapFree",
      "DirectMap2M",
      "DirectMap4k",
      "VmallocChunk",
      "Percpu"
    };
    for (String name : memoryConstant) {
      constant(c, 1.6e10 * (0.01 + name.length() / 40.0));
    }
    String[] memoryDrifting = {
      "MemFree", "MemAvailable", "Buffers", "Cached", "Active", "Inactive", "Active_anon",
      "Inactive_anon", "Active_file", "Inactive_file", "Dirty", "Writeback", "AnonPages", "Mapped",
      "Shmem", "KReclaimable", "Slab", "SReclaimable", "SUnreclaim", "KernelStack", "PageTables",
      "Committed_AS", "VmallocUsed"
    };
    for (String name : memoryDrifting) {
      gauge(c, 2e9 / name.length(), 8e6, 0.8, 4096);
    }
    double[] vmstat = {300, 800, 0, 0, 4000, 0.3, 0};
    for (double rate : vmstat) {
      counter(c, rate * 1e6, rate, rate == 0 ? 0 : 0.9, 1);
    }
    double[] netstat = {
      3, 2, 0.001, 400, 420, 0.5, 0.2, 20, 20, 0, 0.01, 0, 0, 0.1, 0.1, 0, 9e4, 7e4, 0, 0, 0, 0, 0,
      0.05, 0.1, 0.5, 0.5, 300, 300
    };
    for (double rate : netstat) {
      counter(c, rate * 1e6, rate, rate == 0 ? 0 : 0.8, 1);
    }
    gauge(c, 40, 3, 0.5, 1);
    constant(c, 1);
    String[] sockstat = {
      "TCP_alloc",
      "TCP_inuse",
      "TCP_mem",
      "TCP_mem_bytes",
      "TCP_orphan",
      "TCP_tw",
      "UDP_inuse",
      "UDP_mem",
      "UDP_mem_bytes",
      "UDPLITE_inuse",
      "RAW_inuse",
      "FRAG_inuse",
      "FRAG_memory",
      "sockets_used",
      "TCP6_inuse",
      "UDP6_inuse"
    };
    for (String name : sockstat) {
      double initial = name.endsWith("bytes") ? 4e5 : 30;
      gauge(c, initial, initial / 20, 0.4, 1);
    }
    for (int sensor = 0; sensor < 6; sensor++) {
      gauge(c, 45, 2, 0.3, 1);
      constant(c, 100);
    }
    gauge(c, 0.8, 0.2, 0.9, 0.01);
    gauge(c, 0.7, 0.05, 0.9, 0.01);
    gauge(c, 0.6, 0.02, 0.9, 0.01);
    gauge(c, 2, 2, 0.7, 1);
    gauge(c, 1, 1, 0.1, 1);
    counter(c, 4e9, 2500, 1, 1);
    counter(c, 2e9, 1500, 1, 1);
    counter(c, 3e6, 1.5, 0.9, 1);
    constant(c, 1.7e9);
    c.add(new Template(Kind.CLOCK, 0, 0, 0, 0));
    gauge(c, 256, 1, 0.1, 1);
    gauge(c, 2000, 20, 0.5, 1);
    constant(c, 9.2e18);
    constant(c, 1);
    counter(c, 3e3, 0.002, 0.8, 0.01);
    gauge(c, 2.2e7, 1e5, 0.6, 4096);
    gauge(c, 9, 1, 0.2, 1);
    gauge(c, 8, 1, 0.3, 1);
    gauge(c, 3e6, 5e5, 1, 8);
    for (int quantile = 0; quantile < 5; quantile++) {
      gauge(c, 5e-5, 1e-5, 0.3, 1e-9);
    }
    counter(c, 2, 3e-6, 0.5, 1e-9);
    counter(c, 4e4, 0.05, 0.5, 1);
    for (int i = 0; c.size() < size; i++) {
      int irq = i / CPUS;
      double rate = irq % 3 == 0 ? 20 : irq % 3 == 1 ? 0.2 : 0;
      counter(c, rate * 1e6, rate, rate == 0 ? 0 : 0.8, 1);
    }
    return List.copyOf(c.subList(0, size));
  }

  private static void counterOfTraffic(List<Template> c, String what, double busy) {
    double rate =
        switch (what) {
          case "bytes" -> 2e5 * busy;
          case "packets" -> 300 * busy;
          case "multicast" -> 0.1 * busy;
          case "drop" -> 0.01 * busy;
          default -> 0;
        };
    counter(c, rate * 1e6, rate, rate == 0 ? 0 : Math.min(1, busy * 1.2), 1);
  }

  private static void counter(List<Template> c, double initial, double rate) {
    c.add(new Template(Kind.COUNTER, initial, rate, 0, 1));
  }

  private static void counter(
      List<Template> c, double initial, double rate, double activity, double quantum) {
    c.add(new Template(Kind.COUNTER, initial, rate, activity, quantum));
  }

  private static void gauge(
      List<Template> c, double initial, double step, double activity, double quantum) {
    c.add(new Template(Kind.GAUGE, initial, step, activity, quantum));
  }

  private static void constant(List<Template> c, double value) {
    c.add(new Template(Kind.CONSTANT, value, 0, 0, 0));
  }
}
