package io.meridian.node.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.meridian.node.series.ChunkStore;
import io.meridian.node.series.InMemoryChunkStore;
import io.meridian.node.series.SeriesGroup;
import io.meridian.node.series.SeriesSettings;
import io.meridian.node.series.SeriesStore;
import io.meridian.node.series.StorageSettings;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.promql.LabelMatcher;
import io.meridian.protocol.scrape.TargetHealth;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Scrapers on a one-node cluster with the in-memory journal, scraping a local exporter every second
 * into a real series store, with a catalog that answers specs from the test.
 */
class TargetScraperTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static final ActorTestKit testKit = ActorTestKit.create("scraper", config());
  private static final ScraperTestCatalog catalog = new ScraperTestCatalog();
  private static final SeriesStore series = startNode();
  private static final Map<String, List<String>> scrapers = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();
  private static final HttpServer exporter = startExporter();
  private static final Set<ScrapeSpec> started = ConcurrentHashMap.newKeySet();

  private static Config config() {
    return ConfigFactory.parseString("pekko.remote.artery.canonical.port = 0\n")
        .withFallback(PersistenceTestKitPlugin.getInstance().config())
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(ConfigFactory.parseResources("cluster.conf"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  private static SeriesStore startNode() {
    var system = testKit.system();
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    SeriesSettings settings = SeriesSettings.fromConfig(system.settings().config());
    ChunkStore chunks = new InMemoryChunkStore();
    SeriesGroup.init(system, settings, StorageSettings.FOR_TESTS, chunks);
    SeriesStore store = new SeriesStore(system, settings, StorageSettings.FOR_TESTS, chunks);
    TargetScraper.init(
        system, ScrapeSettings.fromConfig(system.settings().config()), store, catalog);
    return store;
  }

  /** Serves, at any path, a counter of the requests to that path (an exporter per path). */
  private static HttpServer startExporter() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/",
          exchange -> {
            String path = exchange.getRequestURI().getPath();
            scrapers
                .computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
                .add(exchange.getRequestHeaders().getFirst("X-Meridian-Scraper"));
            int count = counters.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] body =
                ("# TYPE demo_requests_total counter\n"
                        + "demo_requests_total{path=\""
                        + path
                        + "\"} "
                        + count
                        + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Stops the scrapers still running first: on a one-node cluster nothing takes over the series
   * groups a late scrape would write to, which holds up the node's shutdown.
   */
  @AfterAll
  static void shutdown() {
    for (ScrapeSpec spec : started) {
      tell(spec, new TargetScraper.Stop());
    }
    await(
        () -> {
          assertThat(runningScrapers()).isEmpty();
          return null;
        });
    exporter.stop(0);
    testKit.shutdownTestKit();
  }

  private static ScrapeSpec spec(String tenant, String targetId, int port, String path) {
    return new ScrapeSpec(
        tenant,
        targetId,
        "job-1",
        "demo",
        "http://127.0.0.1:" + port + path,
        "127.0.0.1:" + port,
        1,
        1);
  }

  private static ScrapeSpec spec(String tenant, String targetId, String path) {
    return spec(tenant, targetId, exporter.getAddress().getPort(), path);
  }

  private static void tell(ScrapeSpec spec, TargetScraper.Command command) {
    started.add(spec);
    ClusterSharding.get(testKit.system())
        .entityRefFor(TargetScraper.ENTITY_KEY, ScrapeSpec.entityId(spec.tenant(), spec.targetId()))
        .tell(command);
  }

  private static List<SeriesSamples> select(String tenant, String metric) throws Exception {
    return series
        .select(tenant, List.of(LabelMatcher.equal("__name__", metric)), 0, Long.MAX_VALUE)
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static boolean endsStale(SeriesSamples samples) {
    double[] values = samples.values();
    return values.length > 0
        && Double.doubleToRawLongBits(values[values.length - 1]) == 0x7ff0000000000002L;
  }

  private static <T> T await(org.apache.pekko.japi.function.Creator<T> condition) {
    TestProbe<Object> probe = testKit.createTestProbe();
    return probe.awaitAssert(PATIENCE, Duration.ofMillis(100), condition);
  }

  private static Set<String> runningScrapers() {
    TestProbe<ShardRegion.CurrentShardRegionState> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system())
        .shardState()
        .tell(new GetShardRegionState(TargetScraper.ENTITY_KEY, probe.getRef()));
    return probe.receiveMessage(PATIENCE).getShards().stream()
        .flatMap(shard -> shard.getEntityIds().stream())
        .collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void aTargetIsScrapedEverySecondIntoLabelledSeriesAndReportedUp() throws Exception {
    ScrapeSpec spec = spec("scraping", "t-up", "/up");
    catalog.put(spec);

    tell(spec, new TargetScraper.Ensure());

    SeriesSamples counter =
        await(
            () -> {
              List<SeriesSamples> found = select("scraping", "demo_requests_total");
              assertThat(found).hasSize(1);
              assertThat(found.get(0).size()).isGreaterThanOrEqualTo(2);
              return found.get(0);
            });
    assertThat(counter.key().tags())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("job", "demo", "instance", spec.instance(), "path", "/up"));
    assertThat(counter.values()[1]).isGreaterThan(counter.values()[0]);
    assertThat(counter.timestamps()[1] - counter.timestamps()[0]).isPositive();

    SeriesSamples up = select("scraping", "up").get(0);
    assertThat(up.key().tags())
        .containsEntry("job", "demo")
        .containsEntry("instance", spec.instance());
    assertThat(up.values()).contains(1.0);
    assertThat(select("scraping", "scrape_duration_seconds")).hasSize(1);
    assertThat(select("scraping", "scrape_samples_scraped").get(0).values()).contains(1.0);

    await(
        () -> {
          assertThat(catalog.reports("scraping", "t-up")).isNotEmpty();
          return null;
        });
    assertThat(catalog.reports("scraping", "t-up"))
        .as(
            "health that stays the same is reported once per ensure-interval (30 s), not per"
                + " scrape")
        .hasSize(1);
    TargetHealth health = catalog.reports("scraping", "t-up").get(0);
    assertThat(health.resultCd()).isEqualTo(TargetHealth.OK);
    assertThat(health.mntrnStatCd()).isEqualTo(TargetHealth.UP);

    Address self = Cluster.get(testKit.system()).selfMember().address();
    assertThat(scrapers.get("/up")).containsOnly(self.getHost().get() + ":" + self.getPort().get());
  }

  @Test
  void anUnreachableTargetIsReportedDownWithUpZero() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    ScrapeSpec spec = spec("unreachable", "t-down", port, "/metrics");
    catalog.put(spec);

    tell(spec, new TargetScraper.Ensure());

    TargetHealth health =
        await(
            () -> {
              assertThat(catalog.reports("unreachable", "t-down")).isNotEmpty();
              return catalog.reports("unreachable", "t-down").get(0);
            });
    assertThat(health.resultCd()).isEqualTo(TargetHealth.CONNECTION_FAILED);
    assertThat(health.failReason()).isEqualTo("connection refused");
    assertThat(health.mntrnStatCd()).isEqualTo(TargetHealth.DOWN);
    await(
        () -> {
          assertThat(select("unreachable", "up"))
              .singleElement()
              .satisfies(up -> assertThat(up.values()).containsOnly(0.0));
          return null;
        });
  }

  @Test
  void aChangedSpecIsFollowedOnEnsure() {
    ScrapeSpec before = spec("moving", "t-move", "/before");
    catalog.put(before);
    tell(before, new TargetScraper.Ensure());
    await(
        () -> {
          assertThat(counters.get("/before")).isNotNull();
          return null;
        });

    catalog.put(spec("moving", "t-move", "/after"));
    tell(before, new TargetScraper.Ensure());

    await(
        () -> {
          assertThat(counters.get("/after")).isNotNull();
          return null;
        });
  }

  /** The shard of a running scraper. */
  private static String shardOf(String entityId) {
    TestProbe<ShardRegion.CurrentShardRegionState> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system())
        .shardState()
        .tell(new GetShardRegionState(TargetScraper.ENTITY_KEY, probe.getRef()));
    return probe.receiveMessage(PATIENCE).getShards().stream()
        .filter(shard -> shard.getEntityIds().contains(entityId))
        .map(ShardRegion.ShardState::shardId)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void stopMarksTheTargetsSeriesStaleAndEndsTheScraper() throws Exception {
    ScrapeSpec spec = spec("stopping", "t-stop", "/stop");
    catalog.put(spec);
    tell(spec, new TargetScraper.Ensure());
    await(
        () -> {
          assertThat(select("stopping", "demo_requests_total")).isNotEmpty();
          return null;
        });
    String entityId = ScrapeSpec.entityId("stopping", "t-stop");
    String shard = shardOf(entityId);

    tell(spec, new TargetScraper.Stop());

    await(
        () -> {
          assertThat(select("stopping", "demo_requests_total"))
              .singleElement()
              .matches(TargetScraperTest::endsStale);
          assertThat(select("stopping", "up"))
              .singleElement()
              .matches(TargetScraperTest::endsStale);
          return null;
        });
    await(
        () -> {
          assertThat(runningScrapers()).doesNotContain(entityId);
          return null;
        });
    // Passivated, not merely stopped: the shard no longer remembers it, so no node restarts it.
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    String shardStore = "/sharding/" + TargetScraper.ENTITY_KEY.name() + "Shard/" + shard;
    await(
        () -> {
          List<Object> remembered = journal.persistedInStorage(shardStore);
          assertThat(remembered.get(0).getClass().getSimpleName()).isEqualTo("EntitiesStarted");
          Object last = remembered.get(remembered.size() - 1);
          assertThat(last.getClass().getSimpleName()).isEqualTo("EntitiesStopped");
          assertThat(last.toString()).contains(entityId);
          return null;
        });
  }

  @Test
  void aTargetThatIsGoneStopsItsScraper() throws Exception {
    ScrapeSpec spec = spec("deleting", "t-gone", "/gone");
    catalog.put(spec);
    tell(spec, new TargetScraper.Ensure());
    await(
        () -> {
          assertThat(catalog.reports("deleting", "t-gone")).isNotEmpty();
          return null;
        });

    catalog.remove("deleting", "t-gone");
    tell(spec, new TargetScraper.Ensure());

    await(
        () -> {
          assertThat(runningScrapers()).doesNotContain(ScrapeSpec.entityId("deleting", "t-gone"));
          return null;
        });
    assertThat(select("deleting", "demo_requests_total"))
        .singleElement()
        .matches(TargetScraperTest::endsStale);
  }
}
