package io.meridian.ops.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.cluster.ClusterFigures;
import io.meridian.ops.cluster.LocalCluster;
import io.meridian.ops.cluster.NodeProcess;
import io.meridian.ops.scrape.FakeExporter.Reply;
import io.meridian.ops.scrape.FakeExporter.Scrape;
import io.meridian.ops.testing.Await;
import io.meridian.ops.testing.CassandraExtension;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three real node processes on one Cassandra scrape 300 targets made through the API: every target
 * is scraped, by one node at a time, and the targets are spread over all three nodes. After one
 * node is killed with SIGKILL, each of its targets is scraped by a survivor within a bounded time,
 * still never by two nodes at once.
 *
 * <p>The targets are one {@link FakeExporter} on {@code 0.0.0.0}, registered as 300 servers
 * 127.0.0.1, 127.0.0.2, … on the same port; it holds each scrape 200 ms, so overlapping scrapes of
 * a target would show, and records which node scraped each target when ({@code
 * X-Meridian-Scraper}). The figures (targets per node, time for the killed node's targets to be
 * scraped again) go to {@code target/cluster-figures.txt}; docs/benchmarks.md records them.
 */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScrapeDistributionTest {

  private static final String PROJECT = "scrape-distribution";
  private static final String JOB = "spread";
  private static final int TARGETS = 300;

  /**
   * Every 5 s: 60 scrapes a second over the cluster. At 2 s (150 a second) the first scrapes of all
   * targets at once timed out storing into the series groups on this 2-core machine, and node
   * heartbeats ran 2 s late, close to the failure detector's pause.
   */
  private static final int INTERVAL_SEC = 5;

  /** The interval the targets are created with: none is scraped while the API creates them. */
  private static final int CREATION_INTERVAL_SEC = 3600;

  private static final Duration HOLD = Duration.ofMillis(200);

  /** Clients creating the servers and targets at once, as a provisioning script might. */
  private static final int CLIENTS = 6;

  /** The least share of the targets each node must scrape: a third, give or take the hashing. */
  private static final double FAIR_SHARE = 0.15;

  private static final Duration WAIT = Duration.ofSeconds(90);

  /** How long the killed node's targets may go unscraped: detection, downing, reallocation. */
  private static final Duration MOVE_BOUND = Duration.ofSeconds(90);

  private LocalCluster cluster;
  private FakeExporter exporter;
  private final List<InetAddress> addresses = new ArrayList<>();
  private String jobId;

  /** Node name by the cluster address its scrapes name in {@code X-Meridian-Scraper}. */
  private final Map<String, String> nodeByAddress = new TreeMap<>();

  @BeforeAll
  void startClusterAndTargets(CassandraServer cassandra) throws Exception {
    String contactPoint =
        cassandra.contactPoint().getHostString() + ":" + cassandra.contactPoint().getPort();
    cluster =
        new LocalCluster(
            LocalCluster.Options.onFreePorts(
                CassandraExtension.freshDirectory("scrape-distribution"),
                contactPoint,
                "scrape_distribution"));
    cluster.start(3);
    for (NodeProcess node : cluster.nodes()) {
      nodeByAddress.put(node.spec().host() + ":" + node.spec().remotePort(), node.name());
    }
    exporter = FakeExporter.start("0.0.0.0", Reply.metrics(), HOLD);
    for (int n = 1; addresses.size() < TARGETS; n++) {
      // 127.0.0.1 … 127.0.1.46, leaving out the .0 and .255 that look like network and broadcast.
      if (n % 256 != 0 && n % 256 != 255) {
        addresses.add(InetAddress.getByAddress(new byte[] {127, 0, (byte) (n >> 8), (byte) n}));
      }
    }
    createTargets();
  }

  /** One job; per address a server and a target, through all three nodes' APIs in turn. */
  private void createTargets() throws Exception {
    List<ScrapeApi> apis =
        cluster.nodes().stream().map(node -> new ScrapeApi(node.url(), PROJECT)).toList();
    // The targets are created under an hourly job, so that their scrapers (which start with them,
    // at a phase somewhere in the hour) leave the machine to the API, and then scraped every
    // INTERVAL_SEC by changing the job, which the catalog passes on to every scraper at once.
    jobId = apis.get(0).createJob(JOB, CREATION_INTERVAL_SEC).path("jobId").asText();
    long started = System.nanoTime();
    List<Long> serverMillis = new CopyOnWriteArrayList<>();
    List<Long> targetMillis = new CopyOnWriteArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<String>> created = new ArrayList<>();
      for (int i = 0; i < addresses.size(); i++) {
        ScrapeApi api = apis.get(i % apis.size());
        String ip = addresses.get(i).getHostAddress();
        created.add(
            clients.submit(
                () -> {
                  long t0 = System.nanoTime();
                  String hostId = api.registerServer("host-" + ip, ip).path("hostId").asText();
                  long t1 = System.nanoTime();
                  String targetId =
                      api.createTarget(jobId, hostId, exporter.port(), "target on " + ip);
                  serverMillis.add((t1 - t0) / 1_000_000);
                  targetMillis.add((System.nanoTime() - t1) / 1_000_000);
                  return targetId;
                }));
      }
      for (Future<String> target : created) {
        assertThat(target.get()).isNotBlank();
      }
    } finally {
      clients.shutdownNow();
    }
    long createdMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
    apis.get(1).changeInterval(jobId, INTERVAL_SEC);
    ClusterFigures.record(
        "scrape targets created",
        String.format(
            "%d servers and targets through the API (%d clients, 3 nodes) in %d ms;"
                + " POST servers p50/max %s ms, POST targets p50/max %s ms; %d answers 503",
            TARGETS,
            CLIENTS,
            createdMs,
            medianAndMax(serverMillis),
            medianAndMax(targetMillis),
            apis.stream().mapToInt(ScrapeApi::retried).sum()));
  }

  private static String medianAndMax(List<Long> millis) {
    List<Long> sorted = millis.stream().sorted().toList();
    return sorted.get(sorted.size() / 2) + "/" + sorted.get(sorted.size() - 1);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (exporter != null) {
      exporter.close();
    }
  }

  @Test
  @Order(1)
  void everyTargetIsScrapedByOneNodeAtATimeAndTheNodesShareTheTargets() throws Exception {
    Await.until(
        "every target scraped three times",
        WAIT,
        () -> addresses.stream().allMatch(a -> exporter.scrapes(a).size() >= 3),
        () ->
            addresses.stream().filter(a -> exporter.scrapes(a).size() >= 3).count()
                + " of "
                + TARGETS
                + " targets scraped three times, "
                + exporter.targets().size()
                + " at least once");

    Map<InetAddress, String> owners = owners();
    Map<String, Long> perNode = perNode(owners);
    assertThat(perNode.keySet())
        .as("the nodes scraping, by their X-Meridian-Scraper")
        .containsExactlyInAnyOrderElementsOf(nodeByAddress.values());
    perNode.forEach(
        (node, targets) ->
            assertThat(targets)
                .as("targets scraped by %s of %s", node, perNode)
                .isGreaterThanOrEqualTo((long) (TARGETS * FAIR_SHARE)));
    assertOneScrapeAtATime();
    for (InetAddress address : addresses) {
      assertThat(runs(exporter.scrapes(address)))
          .as("the nodes that scraped %s, in turn", address.getHostAddress())
          .hasSizeLessThanOrEqualTo(2)
          .doesNotHaveDuplicates();
    }
    ClusterFigures.record(
        "scrape distribution",
        TARGETS
            + " targets every "
            + INTERVAL_SEC
            + " s on 3 nodes: "
            + perNode
            + "; targets that changed node: "
            + addresses.stream().filter(a -> runs(exporter.scrapes(a)).size() > 1).count()
            + "; targets by resultCd: "
            + resultCodes(cluster.live().get(0)));
  }

  @Test
  @Order(2)
  void theTargetsOfAKilledNodeAreScrapedBySurvivorsAndNeverTwiceAtOnce() throws Exception {
    NodeProcess victim = cluster.live().get(cluster.live().size() - 1);
    List<InetAddress> orphans =
        owners().entrySet().stream()
            .filter(owner -> owner.getValue().equals(victim.name()))
            .map(Map.Entry::getKey)
            .toList();
    assertThat(orphans).isNotEmpty();

    long killed = System.nanoTime();
    victim.kill();
    Await.until(
        "every target of " + victim.name() + " scraped by a survivor",
        MOVE_BOUND,
        () -> orphans.stream().allMatch(a -> firstAfter(a, killed, victim.name()) != null),
        () ->
            orphans.stream().filter(a -> firstAfter(a, killed, victim.name()) == null).count()
                + " of "
                + orphans.size()
                + " targets not scraped since the kill");
    List<Long> moveMillis =
        orphans.stream()
            .map(a -> (firstAfter(a, killed, victim.name()).startNanos() - killed) / 1_000_000)
            .sorted()
            .toList();

    // Let every target settle on its survivor: two scrapes since the last orphan moved.
    long moved = killed + moveMillis.get(moveMillis.size() - 1) * 1_000_000;
    Await.until(
        "every target scraped twice after the move",
        WAIT,
        () -> addresses.stream().allMatch(a -> scrapesAfter(a, moved) >= 2),
        () ->
            addresses.stream().filter(a -> scrapesAfter(a, moved) >= 2).count() + " of " + TARGETS);

    Map<String, Long> perNode = perNode(owners());
    assertThat(perNode).doesNotContainKey(victim.name()).hasSize(cluster.live().size());
    assertOneScrapeAtATime();
    int movedAmongSurvivors = 0;
    for (InetAddress address : addresses) {
      // The killed node may only have made the last scrape before the kill.
      List<String> sinceKill = runs(since(exporter.scrapes(address), killed));
      if (sinceKill.size() > (orphans.contains(address) ? 2 : 1)) {
        movedAmongSurvivors++;
      }
      assertThat(sinceKill.subList(1, sinceKill.size()))
          .as("the nodes that scraped %s since the kill: %s", address.getHostAddress(), sinceKill)
          .doesNotContain(victim.name());
      assertThat(sinceKill)
          .as("the nodes that scraped %s since the kill, in turn", address.getHostAddress())
          .doesNotHaveDuplicates();
    }
    ClusterFigures.record(
        "scrape distribution after kill -9",
        String.format(
            "%s's %d targets scraped by survivors %d ms (first) / %d ms (median) / %d ms (last)"
                + " after the kill; targets per node after: %s; survivors' targets that changed"
                + " node: %d; targets by resultCd: %s",
            victim.name(),
            orphans.size(),
            moveMillis.get(0),
            moveMillis.get(moveMillis.size() / 2),
            moveMillis.get(moveMillis.size() - 1),
            perNode,
            movedAmongSurvivors,
            resultCodes(cluster.live().get(0))));
  }

  /**
   * How many targets the API shows with each {@code resultCd} (figures only: with 300 targets every
   * 2 s a busy store may fail some scrapes' writes, resultCd 6, which is not what this test is
   * about).
   */
  private Map<String, Long> resultCodes(NodeProcess node) {
    Map<String, Long> codes = new TreeMap<>();
    new ScrapeApi(node.url(), PROJECT)
        .targets(jobId)
        .successBody()
        .forEach(target -> codes.merge(target.path("resultCd").asText(), 1L, Long::sum));
    return codes;
  }

  private void assertOneScrapeAtATime() {
    Map<String, Integer> overlapping = new LinkedHashMap<>();
    for (InetAddress address : addresses) {
      if (exporter.maxInFlight(address) > 1) {
        overlapping.put(address.getHostAddress(), exporter.maxInFlight(address));
      }
    }
    assertThat(overlapping).as("targets with scrapes in flight at once").isEmpty();
  }

  /** The node that scraped each target last. */
  private Map<InetAddress, String> owners() {
    Map<InetAddress, String> owners = new LinkedHashMap<>();
    for (InetAddress address : addresses) {
      List<Scrape> scrapes = exporter.scrapes(address);
      owners.put(address, node(scrapes.get(scrapes.size() - 1)));
    }
    return owners;
  }

  private static Map<String, Long> perNode(Map<InetAddress, String> owners) {
    return owners.values().stream()
        .collect(Collectors.groupingBy(node -> node, TreeMap::new, Collectors.counting()));
  }

  /** The first scrape of {@code address} started after {@code nanos} by another node. */
  private Scrape firstAfter(InetAddress address, long nanos, String notBy) {
    return exporter.scrapes(address).stream()
        .filter(s -> s.startNanos() - nanos > 0 && !node(s).equals(notBy))
        .findFirst()
        .orElse(null);
  }

  private int scrapesAfter(InetAddress address, long nanos) {
    return (int) exporter.scrapes(address).stream().filter(s -> s.startNanos() - nanos > 0).count();
  }

  /** The nodes that scraped in turn: consecutive scrapes by one node count once. */
  private List<String> runs(List<Scrape> scrapes) {
    List<String> runs = new ArrayList<>();
    for (Scrape scrape : scrapes) {
      String node = node(scrape);
      if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(node)) {
        runs.add(node);
      }
    }
    return runs;
  }

  /** The scrapes from the last one started before {@code nanos} on. */
  private static List<Scrape> since(List<Scrape> scrapes, long nanos) {
    int first = 0;
    for (int i = 0; i < scrapes.size(); i++) {
      if (scrapes.get(i).startNanos() - nanos < 0) {
        first = i;
      }
    }
    return scrapes.subList(first, scrapes.size());
  }

  /** The name of the node that sent {@code scrape}, by its {@code X-Meridian-Scraper} header. */
  private String node(Scrape scrape) {
    String address = scrape.scraper() == null ? "" : scrape.scraper();
    // Tolerates a full actor-system address (pekko://meridian@host:port) as well as host:port.
    String hostPort = address.substring(address.indexOf('@') + 1);
    return nodeByAddress.getOrDefault(hostPort, "unknown scraper '" + address + "'");
  }
}
