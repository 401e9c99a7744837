package io.meridian.node.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.meridian.node.series.ChunkStore;
import io.meridian.node.series.InMemoryChunkStore;
import io.meridian.node.series.SeriesGroup;
import io.meridian.node.series.SeriesSettings;
import io.meridian.node.series.SeriesStore;
import io.meridian.node.series.StorageSettings;
import io.meridian.node.testing.ClusterTestKits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scrapers of a two-node cluster: targets are spread over both nodes, each scraped by one, and
 * those of a node that leaves are taken over by the other. Each node has its own in-memory journal,
 * so a shard that moves (a rebalance, or its node leaving) does not find the scrapers it remembered
 * on the other node; the catalog's periodic {@link TargetScraper.Ensure} starts them, as it does in
 * production after a crash, and the test sends it while it waits in the same way.
 */
class TwoNodeTargetScraperTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final int TARGETS = 12;

  private static final ScraperTestCatalog catalog = new ScraperTestCatalog();
  private static final Map<String, List<String>> scrapers = new ConcurrentHashMap<>();
  private static HttpServer exporter;
  private static ActorTestKit first;
  private static ActorTestKit second;

  private static void startNode(ActorSystem<?> system) {
    SeriesSettings settings = SeriesSettings.fromConfig(system.settings().config());
    ChunkStore chunks = new InMemoryChunkStore();
    SeriesGroup.init(system, settings, StorageSettings.FOR_TESTS, chunks);
    TargetScraper.init(
        system,
        ScrapeSettings.fromConfig(system.settings().config()),
        new SeriesStore(system, settings, StorageSettings.FOR_TESTS, chunks),
        catalog);
  }

  private static String scraperOf(ActorTestKit node) {
    Address self = Cluster.get(node.system()).selfMember().address();
    return self.getHost().orElseThrow() + ":" + self.getPort().orElseThrow();
  }

  @BeforeAll
  static void startCluster() throws IOException {
    exporter = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    exporter.createContext(
        "/",
        exchange -> {
          scrapers
              .computeIfAbsent(
                  exchange.getRequestURI().getPath(), p -> new CopyOnWriteArrayList<>())
              .add(exchange.getRequestHeaders().getFirst("X-Meridian-Scraper"));
          byte[] body = "demo_up 1\n".getBytes();
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    exporter.start();

    first = ClusterTestKits.seed();
    Cluster.get(first.system())
        .manager()
        .tell(Join.create(Cluster.get(first.system()).selfMember().address()));
    startNode(first.system());
    second = ClusterTestKits.joining(first);
    startNode(second.system());
    ClusterTestKits.awaitUp(first, 2, PATIENCE);
  }

  /** Stops the scrapers first, so that no late scrape holds up the last node's shutdown. */
  @AfterAll
  static void stopCluster() {
    for (int i = 0; i < TARGETS; i++) {
      ClusterSharding.get(first.system())
          .entityRefFor(TargetScraper.ENTITY_KEY, ScrapeSpec.entityId("spread", "t" + i))
          .tell(new TargetScraper.Stop());
    }
    first
        .createTestProbe()
        .awaitAssert(
            PATIENCE,
            Duration.ofMillis(200),
            () -> {
              TestProbe<ShardRegion.CurrentShardRegionState> state = first.createTestProbe();
              ClusterSharding.get(first.system())
                  .shardState()
                  .tell(new GetShardRegionState(TargetScraper.ENTITY_KEY, state.getRef()));
              assertThat(state.receiveMessage(PATIENCE).getShards())
                  .allMatch(shard -> shard.getEntityIds().isEmpty());
              return null;
            });
    exporter.stop(0);
    second.shutdownTestKit();
    first.shutdownTestKit();
  }

  private static ScrapeSpec target(int i) {
    int port = exporter.getAddress().getPort();
    return new ScrapeSpec(
        "spread",
        "t" + i,
        "job",
        "demo",
        "http://127.0.0.1:" + port + "/t" + i,
        "127.0.0.1:" + port,
        1,
        1);
  }

  private static void ensureAll() {
    for (int i = 0; i < TARGETS; i++) {
      ScrapeSpec spec = target(i);
      ClusterSharding.get(first.system())
          .entityRefFor(TargetScraper.ENTITY_KEY, ScrapeSpec.entityId("spread", spec.targetId()))
          .tell(new TargetScraper.Ensure());
    }
  }

  private static String lastScraperOf(int i) {
    List<String> seen = scrapers.getOrDefault("/t" + i, List.of());
    assertThat(seen).as("scrapes of t%d", i).isNotEmpty();
    return seen.get(seen.size() - 1);
  }

  @Test
  void targetsAreSpreadOverTheNodesAndMoveWhenANodeLeaves() {
    IntStream.range(0, TARGETS).forEach(i -> catalog.put(target(i)));
    String onFirst = scraperOf(first);
    String onSecond = scraperOf(second);

    first
        .createTestProbe()
        .awaitAssert(
            PATIENCE,
            Duration.ofMillis(500),
            () -> {
              ensureAll();
              Set<String> last =
                  IntStream.range(0, TARGETS)
                      .mapToObj(TwoNodeTargetScraperTest::lastScraperOf)
                      .collect(Collectors.toSet());
              assertThat(last).containsExactlyInAnyOrder(onFirst, onSecond);
              return null;
            });

    second.shutdownTestKit();
    first
        .createTestProbe()
        .awaitAssert(
            PATIENCE,
            Duration.ofMillis(500),
            () -> {
              ensureAll();
              for (int i = 0; i < TARGETS; i++) {
                assertThat(lastScraperOf(i)).as("last scraper of t%d", i).isEqualTo(onFirst);
              }
              return null;
            });
  }
}
