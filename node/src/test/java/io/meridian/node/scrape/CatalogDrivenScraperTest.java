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
import io.meridian.protocol.scrape.Job;
import io.meridian.protocol.scrape.Server;
import io.meridian.protocol.scrape.TargetHealth;
import io.meridian.protocol.scrape.TargetView;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.japi.function.Creator;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The real catalog driving the scrapers on a one-node cluster (in-memory journal): a target created
 * through the {@link ScrapeService} is scraped, its health shows on the target, and deleting it
 * ends its series.
 */
class CatalogDrivenScraperTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final String PROJECT = "catalog-project";
  private static final String MEMBER = "6f1c2b7e-3d4a-4b5c-9d8e-1a2b3c4d5e6f";

  private static final ActorTestKit testKit = ActorTestKit.create("catalog-scraper", config());
  private static final AtomicInteger status = new AtomicInteger(200);
  private static final HttpServer exporter = startExporter();
  private static SeriesStore series;
  private static final ScrapeService scrape = startNode();

  private static Config config() {
    return ConfigFactory.parseString("pekko.remote.artery.canonical.port = 0\n")
        .withFallback(PersistenceTestKitPlugin.getInstance().config())
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(ConfigFactory.parseResources("cluster.conf"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  private static ScrapeService startNode() {
    var system = testKit.system();
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    SeriesSettings seriesSettings = SeriesSettings.fromConfig(system.settings().config());
    ChunkStore chunks = new InMemoryChunkStore();
    SeriesGroup.init(system, seriesSettings, StorageSettings.FOR_TESTS, chunks);
    series = new SeriesStore(system, seriesSettings, StorageSettings.FOR_TESTS, chunks);
    ScrapeSettings settings = ScrapeSettings.fromConfig(system.settings().config());
    ScrapeService service = ClusterScrapeService.start(system, settings, ConfiguredServers.none());
    TargetScraper.init(system, settings, series, service);
    return service;
  }

  private static HttpServer startExporter() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/metrics",
          exchange -> {
            byte[] body = "# TYPE demo_temperature gauge\ndemo_temperature 21.5\n".getBytes();
            exchange.sendResponseHeaders(status.get(), body.length);
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

  @AfterAll
  static void shutdown() {
    exporter.stop(0);
    testKit.shutdownTestKit();
  }

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  private static <T> T await(Creator<T> condition) {
    return testKit.createTestProbe().awaitAssert(PATIENCE, Duration.ofMillis(100), condition);
  }

  private static List<SeriesSamples> select(String metric) throws Exception {
    return get(
        series.select(PROJECT, List.of(LabelMatcher.equal("__name__", metric)), 0, Long.MAX_VALUE));
  }

  @Test
  void aTargetCreatedThroughTheCatalogIsScrapedReportedAndEndedOnDelete() throws Exception {
    Server server =
        get(scrape.registerServer(PROJECT, new ServerSpec("exporter", "127.0.0.1", "i-1")));
    Job job = get(scrape.createJob(PROJECT, new JobSpec("demo", "/metrics", "", 1, 1), MEMBER));
    int port = exporter.getAddress().getPort();
    String targetId =
        get(
            scrape.createTarget(
                PROJECT, job.jobId(), new TargetSpec(server.hostId(), port, ""), MEMBER));

    TargetView up =
        await(
            () -> {
              TargetView view = get(scrape.target(PROJECT, job.jobId(), targetId));
              assertThat(view.health()).isNotNull();
              assertThat(view.health().mntrnStatCd()).isEqualTo(TargetHealth.UP);
              return view;
            });
    assertThat(up.health().resultCd()).isEqualTo(TargetHealth.OK);
    await(
        () -> {
          assertThat(select("demo_temperature"))
              .singleElement()
              .satisfies(
                  temperature ->
                      assertThat(temperature.key().tags())
                          .containsEntry("job", "demo")
                          .containsEntry("instance", "127.0.0.1:" + port));
          return null;
        });

    status.set(500);
    TargetHealth down =
        await(
            () -> {
              TargetView view = get(scrape.target(PROJECT, job.jobId(), targetId));
              assertThat(view.health().mntrnStatCd()).isEqualTo(TargetHealth.DOWN);
              return view.health();
            });
    assertThat(down.resultCd()).isEqualTo(TargetHealth.HTTP_STATUS);
    assertThat(down.failReason())
        .isEqualTo("server returned HTTP status 500 Internal Server Error");
    assertThat(select("demo_temperature"))
        .singleElement()
        .satisfies(
            temperature -> {
              double last = temperature.values()[temperature.size() - 1];
              assertThat(Double.doubleToRawLongBits(last)).isEqualTo(0x7ff0000000000002L);
            });

    status.set(200);
    get(scrape.deleteTarget(PROJECT, job.jobId(), targetId, MEMBER));

    await(
        () -> {
          double[] values = select("up").get(0).values();
          assertThat(Double.doubleToRawLongBits(values[values.length - 1]))
              .isEqualTo(0x7ff0000000000002L);
          return null;
        });
  }
}
