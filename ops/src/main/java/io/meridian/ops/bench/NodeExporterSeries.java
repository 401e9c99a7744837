package io.meridian.ops.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Node-exporter-like series for ingest benchmarks: {@code hosts × seriesPerHost} series named and
 * labelled as Prometheus' node exporter names them ({@code node_cpu_seconds_total{cpu,mode}},
 * {@code node_network_receive_bytes_total{device}}, {@code
 * node_filesystem_avail_bytes{device,fstype,mountpoint}}, {@code node_memory_*_bytes}, {@code
 * node_disk_*}, …, with {@code job="node"} and {@code instance="host-NNN:9100"}), and their values
 * scrape after scrape: counters that grow irregularly (some never), gauges that stay constant and
 * gauges that drift slowly, quantized as the kernel reports them (whole bytes, 10 ms CPU ticks).
 *
 * <p>Time is virtual: scrape {@code r} of a host is at {@code originMs + r × intervalMs} plus the
 * host's phase within the interval (as Prometheus spreads its targets) and a few milliseconds of
 * jitter. Values are a pure function of the seed and the scrapes taken, so two runs with the same
 * arguments send the same data.
 *
 * <p>{@link #next} advances one series' state: each series must be advanced by one thread at a time
 * (the benchmark gives each sender its own series), and different series may be advanced
 * concurrently.
 */
public final class NodeExporterSeries {

  /** The metric whose series the query benchmark reads; first in every host's catalogue. */
  public static final String QUERY_METRIC = "node_cpu_seconds_total";

  /** Series per host by default: about what a node exporter with default collectors exposes. */
  public static final int DEFAULT_SERIES_PER_HOST = 500;

  private static final int CPUS = 4;
  private static final long JITTER_MS = 4;

  private final int series;
  private final int seriesPerHost;
  private final long originMs;
  private final long intervalMs;
  private final List<Template> templates;
  private final SortedMap<String, String>[] labels;
  private final double[] values;
  private final long[] random;

  /**
   * @param series how many series in all; the last host may have fewer than {@code seriesPerHost}
   * @param seriesPerHost series of each host, the catalogue filled up or cut to this size
   * @param originMs the time of scrape 0 (before the hosts' phases)
   * @param intervalMs the scrape interval
   * @param seed the values' seed
   */
  @SuppressWarnings("unchecked")
  public NodeExporterSeries(
      int series, int seriesPerHost, long originMs, long intervalMs, long seed) {
    if (series < 1 || seriesPerHost < 1 || intervalMs < 1) {
      throw new IllegalArgumentException("series, series per host and interval must be positive");
    }
    this.series = series;
    this.seriesPerHost = seriesPerHost;
    this.originMs = originMs;
    this.intervalMs = intervalMs;
    this.templates = catalogue(seriesPerHost);
    this.labels = new SortedMap[series];
    this.values = new double[series];
    this.random = new long[series];
    for (int i = 0; i < series; i++) {
      Template template = templates.get(i % seriesPerHost);
      SortedMap<String, String> all = new TreeMap<>(template.labels());
      all.put("__name__", template.metric());
      all.put("job", "node");
      all.put("instance", instance(i / seriesPerHost));
      labels[i] = Collections.unmodifiableSortedMap(all);
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

  /** Series in all. */
  public int size() {
    return series;
  }

  /** Hosts, the last one possibly with fewer series than the others. */
  public int hosts() {
    return (series + seriesPerHost - 1) / seriesPerHost;
  }

  /** Series of each host (but maybe the last). */
  public int seriesPerHost() {
    return seriesPerHost;
  }

  /** The {@code instance} label of a host: {@code host-007:9100}. */
  public static String instance(int host) {
    return String.format(Locale.ROOT, "host-%03d:9100", host);
  }

  /** A series' labels, {@code __name__} included, sorted by name as remote write wants them. */
  public SortedMap<String, String> labels(int index) {
    return labels[index];
  }

  /** A series' metric name. */
  public String metric(int index) {
    return templates.get(index % seriesPerHost).metric();
  }

  /** Whether the series is a counter (its values never decrease). */
  public boolean isCounter(int index) {
    return templates.get(index % seriesPerHost).kind() == Kind.COUNTER;
  }

  /**
   * The series of {@link #QUERY_METRIC} on as many of the first hosts as hold at least {@code n} of
   * them (whole hosts, so that each instance of a query's answer has all its CPUs).
   */
  public int[] queryMetricSeries(int n) {
    long perHost = templates.stream().filter(t -> t.metric().equals(QUERY_METRIC)).count();
    if (perHost == 0) {
      return new int[0];
    }
    long hosts = (n + perHost - 1) / perHost;
    List<Integer> found = new ArrayList<>();
    for (int i = 0; i < series && i / seriesPerHost < hosts; i++) {
      if (metric(i).equals(QUERY_METRIC)) {
        found.add(i);
      }
    }
    return found.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Scrape {@code round}'s timestamp for a series: its host's phase plus a little jitter. */
  public long timestamp(int index, long round) {
    int host = index / seriesPerHost;
    long phase = Math.floorMod(mix(host * 0x9E3779B97F4A7C15L), intervalMs);
    long jitter = Math.floorMod(mix(host ^ (round * 0xC2B2AE3D27D4EB4FL)), 2 * JITTER_MS + 1);
    return originMs + round * intervalMs + phase + jitter - JITTER_MS;
  }

  /**
   * Advances a series by one scrape and returns its value at {@code timestampMs}. Counters add an
   * irregular increment (or none, for the quiet ones); drifting gauges take a small random step;
   * constant gauges stay.
   */
  public double next(int index, long timestampMs) {
    Template template = templates.get(index % seriesPerHost);
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

  /** A uniform double in [0, 1) from the series' own generator. */
  private double unit(int index) {
    long x = random[index] += 0x9E3779B97F4A7C15L;
    return (mix(x) >>> 11) * 0x1.0p-53;
  }

  private static double quantize(double value, double quantum) {
    return quantum > 0 ? Math.rint(value / quantum) * quantum : value;
  }

  /** SplitMix64's finalizer: a well-spread hash of a long. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** How a series' value moves from scrape to scrape. */
  enum Kind {
    /** Grows by about {@code rate} per second, on {@code activity} of the scrapes. */
    COUNTER,
    /** Never changes. */
    CONSTANT,
    /** Steps by up to {@code rate} on {@code activity} of the scrapes, near its initial value. */
    GAUGE,
    /** The scrape's time in seconds ({@code node_time_seconds}). */
    CLOCK
  }

  /** One series of a host's catalogue. */
  record Template(
      String metric,
      Map<String, String> labels,
      Kind kind,
      double initial,
      double rate,
      double activity,
      double quantum) {}

  /** The catalogue of one host, filled up with interrupt counters or cut to {@code size}. */
  static List<Template> catalogue(int size) {
    Catalogue c = new Catalogue();
    String[] modes = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
    double[] modeRates = {0.88, 0.004, 0, 0.0005, 0.003, 0, 0.03, 0.08};
    for (int cpu = 0; cpu < CPUS; cpu++) {
      for (int m = 0; m < modes.length; m++) {
        c.counter(
            QUERY_METRIC,
            Map.of("cpu", "" + cpu, "mode", modes[m]),
            1e6 * modeRates[m],
            modeRates[m],
            modeRates[m] == 0 ? 0 : modeRates[m] > 0.01 ? 1 : 0.4,
            0.01);
      }
    }
    for (int cpu = 0; cpu < CPUS; cpu++) {
      Map<String, String> onCpu = Map.of("cpu", "" + cpu);
      for (String mode : new String[] {"nice", "user"}) {
        c.counter("node_cpu_guest_seconds_total", Map.of("cpu", "" + cpu, "mode", mode), 0, 0);
      }
      c.gauge("node_cpu_scaling_frequency_hertz", onCpu, 2.4e9, 4e8, 0.5, 1e6);
      c.constant("node_cpu_scaling_frequency_min_hertz", onCpu, 8e8);
      c.constant("node_cpu_scaling_frequency_max_hertz", onCpu, 3.5e9);
      c.counter("node_schedstat_running_seconds_total", onCpu, 5e5, 0.1, 1, 1e-9);
      c.counter("node_schedstat_waiting_seconds_total", onCpu, 2e4, 0.005, 1, 1e-9);
      c.counter("node_schedstat_timeslices_total", onCpu, 9e7, 300, 1, 1);
      c.counter("node_softnet_processed_total", onCpu, 4e7, 150, 1, 1);
      c.counter("node_softnet_dropped_total", onCpu, 0, 0);
      c.counter("node_softnet_times_squeezed_total", onCpu, 120, 0.001, 0.05, 1);
    }
    String[] devices = {"docker0", "eth0", "eth1", "lo"};
    String[] receive = {
      "bytes", "packets", "errs", "drop", "fifo", "frame", "compressed", "multicast"
    };
    String[] transmit = {
      "bytes", "packets", "errs", "drop", "fifo", "colls", "carrier", "compressed"
    };
    for (String device : devices) {
      Map<String, String> on = Map.of("device", device);
      double busy = device.equals("eth0") ? 1 : device.equals("lo") ? 0.3 : 0.05;
      for (String what : receive) {
        counterOfTraffic(c, "node_network_receive_" + what + "_total", on, what, busy);
      }
      for (String what : transmit) {
        counterOfTraffic(c, "node_network_transmit_" + what + "_total", on, what, busy * 0.6);
      }
      c.constant("node_network_up", on, device.equals("eth1") ? 0 : 1);
      c.constant("node_network_mtu_bytes", on, device.equals("lo") ? 65536 : 1500);
      c.constant("node_network_speed_bytes", on, 1.25e9);
      c.constant("node_network_carrier", on, 1);
      c.constant("node_network_transmit_queue_length", on, 1000);
      c.constant("node_network_address_assign_type", on, 0);
      c.constant("node_network_flags", on, 4099);
      c.constant("node_network_iface_id", on, device.length());
      c.constant("node_network_dormant", on, 0);
      c.constant("node_network_protocol_type", on, device.equals("lo") ? 772 : 1);
      c.constant("node_network_net_dev_group", on, 0);
    }
    String[][] filesystems = {
      {"/dev/sda1", "ext4", "/"},
      {"/dev/sda2", "ext4", "/var"},
      {"/dev/sdb1", "xfs", "/data"},
      {"/dev/sda15", "vfat", "/boot/efi"},
      {"tmpfs", "tmpfs", "/run"},
      {"tmpfs", "tmpfs", "/dev/shm"},
    };
    for (String[] fs : filesystems) {
      Map<String, String> on = Map.of("device", fs[0], "fstype", fs[1], "mountpoint", fs[2]);
      double bytes = fs[1].equals("tmpfs") ? 2.5e9 : fs[1].equals("vfat") ? 1.3e8 : 1.0e11;
      c.constant("node_filesystem_size_bytes", on, bytes);
      c.gauge("node_filesystem_avail_bytes", on, bytes * 0.4, 4e6, 0.6, 4096);
      c.gauge("node_filesystem_free_bytes", on, bytes * 0.45, 4e6, 0.6, 4096);
      c.constant("node_filesystem_files", on, bytes / 16384);
      c.gauge("node_filesystem_files_free", on, bytes / 20000, 50, 0.3, 1);
      c.constant("node_filesystem_readonly", on, 0);
      c.constant("node_filesystem_device_error", on, 0);
    }
    String[] disks = {"dm-0", "nvme0n1", "sda", "sdb"};
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
    for (String disk : disks) {
      Map<String, String> on = Map.of("device", disk);
      for (String[] counter : diskCounters) {
        double rate = Double.parseDouble(counter[1]);
        boolean seconds = counter[0].endsWith("seconds");
        c.counter(
            "node_disk_" + counter[0] + "_total",
            on,
            rate * 3e6,
            rate,
            rate == 0 ? 0 : 0.7,
            seconds ? 0.001 : counter[0].endsWith("bytes") ? 512 : 1);
      }
      c.gauge("node_disk_io_now", on, 1, 2, 0.2, 1);
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
      c.constant(
          "node_memory_" + name + "_bytes", Map.of(), 1.6e10 * (0.01 + name.length() / 40.0));
    }
    String[] memoryDrifting = {
      "MemFree",
      "MemAvailable",
      "Buffers",
      "Cached",
      "Active",
      "Inactive",
      "Active_anon",
      "Inactive_anon",
      "Active_file",
      "Inactive_file",
      "Dirty",
      "Writeback",
      "AnonPages",
      "Mapped",
      "Shmem",
      "KReclaimable",
      "Slab",
      "SReclaimable",
      "SUnreclaim",
      "KernelStack",
      "PageTables",
      "Committed_AS",
      "VmallocUsed"
    };
    for (String name : memoryDrifting) {
      c.gauge("node_memory_" + name + "_bytes", Map.of(), 2e9 / name.length(), 8e6, 0.8, 4096);
    }
    String[][] vmstat = {
      {"pgpgin", "300"},
      {"pgpgout", "800"},
      {"pswpin", "0"},
      {"pswpout", "0"},
      {"pgfault", "4000"},
      {"pgmajfault", "0.3"},
      {"oom_kill", "0"}
    };
    for (String[] counter : vmstat) {
      double rate = Double.parseDouble(counter[1]);
      c.counter("node_vmstat_" + counter[0], Map.of(), rate * 1e6, rate, rate == 0 ? 0 : 0.9, 1);
    }
    String[][] netstat = {
      {"Tcp_ActiveOpens", "3"},
      {"Tcp_PassiveOpens", "2"},
      {"Tcp_InErrs", "0.001"},
      {"Tcp_InSegs", "400"},
      {"Tcp_OutSegs", "420"},
      {"Tcp_OutRsts", "0.5"},
      {"Tcp_RetransSegs", "0.2"},
      {"Udp_InDatagrams", "20"},
      {"Udp_OutDatagrams", "20"},
      {"Udp_InErrors", "0"},
      {"Udp_NoPorts", "0.01"},
      {"Udp_RcvbufErrors", "0"},
      {"Udp_SndbufErrors", "0"},
      {"Icmp_InMsgs", "0.1"},
      {"Icmp_OutMsgs", "0.1"},
      {"Icmp_InErrors", "0"},
      {"IpExt_InOctets", "9e4"},
      {"IpExt_OutOctets", "7e4"},
      {"TcpExt_ListenDrops", "0"},
      {"TcpExt_ListenOverflows", "0"},
      {"TcpExt_SyncookiesSent", "0"},
      {"TcpExt_SyncookiesRecv", "0"},
      {"TcpExt_SyncookiesFailed", "0"},
      {"TcpExt_TCPSynRetrans", "0.05"},
      {"TcpExt_TCPTimeouts", "0.1"},
      {"Udp6_InDatagrams", "0.5"},
      {"Udp6_OutDatagrams", "0.5"},
      {"Ip6_InOctets", "300"},
      {"Ip6_OutOctets", "300"}
    };
    for (String[] counter : netstat) {
      double rate = Double.parseDouble(counter[1]);
      c.counter("node_netstat_" + counter[0], Map.of(), rate * 1e6, rate, rate == 0 ? 0 : 0.8, 1);
    }
    c.gauge("node_netstat_Tcp_CurrEstab", Map.of(), 40, 3, 0.5, 1);
    c.constant("node_netstat_Ip_Forwarding", Map.of(), 1);
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
      c.gauge("node_sockstat_" + name, Map.of(), initial, initial / 20, 0.4, 1);
    }
    String[][] sensors = {
      {"platform_coretemp_0", "temp1"}, {"platform_coretemp_0", "temp2"},
      {"platform_coretemp_0", "temp3"}, {"platform_coretemp_0", "temp4"},
      {"pci0000:00_0000:00:01_0", "temp1"}, {"thermal_thermal_zone0", "temp0"}
    };
    for (String[] sensor : sensors) {
      Map<String, String> on = Map.of("chip", sensor[0], "sensor", sensor[1]);
      c.gauge("node_hwmon_temp_celsius", on, 45, 2, 0.3, 1);
      c.constant("node_hwmon_temp_crit_celsius", on, 100);
    }
    c.gauge("node_load1", Map.of(), 0.8, 0.2, 0.9, 0.01);
    c.gauge("node_load5", Map.of(), 0.7, 0.05, 0.9, 0.01);
    c.gauge("node_load15", Map.of(), 0.6, 0.02, 0.9, 0.01);
    c.gauge("node_procs_running", Map.of(), 2, 2, 0.7, 1);
    c.gauge("node_procs_blocked", Map.of(), 1, 1, 0.1, 1);
    c.counter("node_context_switches_total", Map.of(), 4e9, 2500, 1, 1);
    c.counter("node_intr_total", Map.of(), 2e9, 1500, 1, 1);
    c.counter("node_forks_total", Map.of(), 3e6, 1.5, 0.9, 1);
    c.constant("node_boot_time_seconds", Map.of(), 1.7e9);
    c.add(new Template("node_time_seconds", Map.of(), Kind.CLOCK, 0, 0, 0, 0));
    c.gauge("node_entropy_available_bits", Map.of(), 256, 1, 0.1, 1);
    c.gauge("node_filefd_allocated", Map.of(), 2000, 20, 0.5, 1);
    c.constant("node_filefd_maximum", Map.of(), 9.2e18);
    c.constant("node_exporter_build_info", Map.of("version", "1.5.0"), 1);
    c.counter("process_cpu_seconds_total", Map.of(), 3e3, 0.002, 0.8, 0.01);
    c.gauge("process_resident_memory_bytes", Map.of(), 2.2e7, 1e5, 0.6, 4096);
    c.gauge("process_open_fds", Map.of(), 9, 1, 0.2, 1);
    c.gauge("go_goroutines", Map.of(), 8, 1, 0.3, 1);
    c.gauge("go_memstats_alloc_bytes", Map.of(), 3e6, 5e5, 1, 8);
    for (String quantile : new String[] {"0", "0.25", "0.5", "0.75", "1"}) {
      c.gauge("go_gc_duration_seconds", Map.of("quantile", quantile), 5e-5, 1e-5, 0.3, 1e-9);
    }
    c.counter("go_gc_duration_seconds_sum", Map.of(), 2, 3e-6, 0.5, 1e-9);
    c.counter("go_gc_duration_seconds_count", Map.of(), 4e4, 0.05, 0.5, 1);
    // Real hosts expose hundreds of per-CPU interrupt counters: they fill the catalogue up.
    String[] interrupts = {
      "timer", "i8042", "virtio0-config", "virtio0-input", "virtio1-req", "acpi", "rtc0"
    };
    for (int i = 0; c.size() < size; i++) {
      int irq = i / CPUS;
      String device = interrupts[irq % interrupts.length];
      double rate = irq % 3 == 0 ? 20 : irq % 3 == 1 ? 0.2 : 0;
      c.counter(
          "node_interrupts_total",
          Map.of("cpu", "" + i % CPUS, "devices", device, "type", "" + irq),
          rate * 1e6,
          rate,
          rate == 0 ? 0 : 0.8,
          1);
    }
    return List.copyOf(c.templates.subList(0, size));
  }

  private static void counterOfTraffic(
      Catalogue c, String metric, Map<String, String> on, String what, double busy) {
    double rate =
        switch (what) {
          case "bytes" -> 2e5 * busy;
          case "packets" -> 300 * busy;
          case "multicast" -> 0.1 * busy;
          case "drop" -> 0.01 * busy;
          default -> 0;
        };
    c.counter(metric, on, rate * 1e6, rate, rate == 0 ? 0 : Math.min(1, busy * 1.2), 1);
  }

  /** The templates of a host's catalogue, as the helpers add them. */
  private static final class Catalogue {
    final List<Template> templates = new ArrayList<>();

    int size() {
      return templates.size();
    }

    void add(Template template) {
      templates.add(template);
    }

    void counter(String metric, Map<String, String> labels, double initial, double rate) {
      add(new Template(metric, labels, Kind.COUNTER, initial, rate, 0, 1));
    }

    void counter(
        String metric,
        Map<String, String> labels,
        double initial,
        double rate,
        double activity,
        double quantum) {
      add(new Template(metric, labels, Kind.COUNTER, initial, rate, activity, quantum));
    }

    void gauge(
        String metric,
        Map<String, String> labels,
        double initial,
        double step,
        double activity,
        double quantum) {
      add(new Template(metric, labels, Kind.GAUGE, initial, step, activity, quantum));
    }

    void constant(String metric, Map<String, String> labels, double value) {
      add(new Template(metric, labels, Kind.CONSTANT, value, 0, 0, 0));
    }
  }
}
