package io.meridian.http;

import static org.apache.pekko.http.javadsl.server.Directives.concat;

import io.meridian.http.admin.NativeRoutes;
import io.meridian.http.console.ConsoleFiles;
import io.meridian.http.console.ConsoleRoutes;
import io.meridian.http.logs.LogExcerptRoutes;
import io.meridian.http.openmetrics.OpenMetricsRoutes;
import io.meridian.http.opentsdb.OpenTsdbRoutes;
import io.meridian.http.prometheus.PrometheusRoutes;
import io.meridian.http.server.SharedPortServer;
import io.meridian.http.telnet.TelnetHandler;
import io.meridian.http.telnet.TelnetSettings;
import io.meridian.node.MeridianNode;
import io.meridian.node.logs.LogService;
import io.meridian.node.metrics.SelfMonitoring;
import io.meridian.node.metrics.SelfMonitoringSettings;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * Binds every API family of a node to one HTTP port and unbinds it, letting in-flight requests
 * finish, when the actor system shuts down.
 */
public final class HttpServer {

  private HttpServer() {}

  /**
   * Binds the node's port: HTTP for every API family and, unless {@code meridian.telnet.enabled} is
   * off or credentials are enforced (the protocol has none), OpenTSDB's telnet-style line protocol
   * on the same port (told apart by a connection's first bytes, as OpenTSDB does). Every HTTP
   * request is tagged and logged ({@link RequestLog}), authenticated ({@link Authentication}) and
   * admitted by an {@link OverloadGuard} first. The web console ({@link ConsoleRoutes}) is served
   * at {@code /}. The binding unbinds in CoordinatedShutdown's {@code service-unbind} phase and
   * gives in-flight requests {@code shutdown-deadline} to finish.
   *
   * <p>Once the port is bound, the node starts storing its own metrics in the internal project
   * ({@link SelfMonitoring}, unless {@code meridian.self-monitoring.enabled} is off), labelled with
   * the instance its API is reached at.
   *
   * <p>The stage completes once the port is bound and this node is an {@code Up} member, that is
   * once the API serves requests (until then they are answered 503); it fails if the node is
   * removed from the cluster before.
   */
  public static CompletionStage<ServerBinding> start(MeridianNode node, HttpSettings settings) {
    Cluster cluster = Cluster.get(node.system());
    return start(node, settings, () -> cluster.selfMember().status());
  }

  /**
   * {@link #start(MeridianNode, HttpSettings)} with the member status the requests are admitted by
   * given by {@code selfStatus} instead of the cluster, so that tests can play a joining or leaving
   * node.
   */
  public static CompletionStage<ServerBinding> start(
      MeridianNode node, HttpSettings settings, Supplier<MemberStatus> selfStatus) {
    return start(node, node.logs(), settings, selfStatus);
  }

  /**
   * {@link #start(MeridianNode, HttpSettings, Supplier)} with the log-excerpt API served from
   * {@code logs} instead of the node's log streams, so that route tests can use a test double.
   */
  public static CompletionStage<ServerBinding> start(
      MeridianNode node,
      LogService logs,
      HttpSettings settings,
      Supplier<MemberStatus> selfStatus) {
    ActorSystem<?> system = node.system();
    TelnetSettings telnet = TelnetSettings.fromConfig(system.settings().config());
    // The line protocol carries no credentials: with credentials enforced it is not served.
    boolean serveLines = telnet.enabled() && !node.auth().enforced();
    Optional<TelnetHandler> lines =
        serveLines ? Optional.of(new TelnetHandler(node, telnet)) : Optional.empty();
    OpenTsdbRoutes openTsdb = new OpenTsdbRoutes(node, settings);
    PrometheusRoutes prometheus = new PrometheusRoutes(node, settings);
    LogExcerptRoutes logExcerpts = new LogExcerptRoutes(system, logs, settings);
    OpenMetricsRoutes openMetrics = new OpenMetricsRoutes(system, node.scrape(), settings);
    NativeRoutes nativeApi = new NativeRoutes(node, settings);
    ConsoleRoutes console =
        new ConsoleRoutes(ConsoleFiles.fromClasspath(HttpServer.class.getClassLoader()));
    // More specific families first: the first one serving a path answers for it.
    ApiFamilies families =
        new ApiFamilies(
            List.of(
                nativeApi.family(),
                prometheus.family(),
                logExcerpts.family(),
                openMetrics.family(),
                openTsdb.family()),
            settings.retryAfter());
    OverloadGuard guard =
        new OverloadGuard(settings.overload(), families, selfStatus, ApiStats.get(system), system);
    return SharedPortServer.bind(
            system,
            settings.host(),
            settings.port(),
            concat(
                nativeApi.route(),
                prometheus.route(),
                logExcerpts.route(),
                openMetrics.route(),
                openTsdb.route(),
                console.route()),
            new RequestLog(
                new Authentication(node.auth(), families, console::isPublic, guard, system),
                families,
                node.metrics()),
            lines)
        .thenApply(
            binding -> {
              binding.addToCoordinatedShutdown(settings.shutdownDeadline(), system);
              system
                  .log()
                  .info(
                      "HTTP API listening on http://{}{}",
                      hostAndPort(binding),
                      serveLines ? " (and OpenTSDB's telnet-style protocol)" : "");
              startSelfMonitoring(node, settings, binding);
              return binding;
            })
        .thenCompose(binding -> whenMemberUp(system).thenApply(up -> binding));
  }

  private static void startSelfMonitoring(
      MeridianNode node, HttpSettings settings, ServerBinding binding) {
    ActorSystem<?> system = node.system();
    SelfMonitoringSettings monitoring =
        SelfMonitoringSettings.fromConfig(system.settings().config());
    String remotingHost =
        Cluster.get(system).selfMember().address().getHost().orElse(settings.host());
    SelfMonitoring.start(
        system,
        node.metrics(),
        node.series(),
        monitoring,
        monitoring.instanceFor(settings.host(), binding.localAddress().getPort(), remotingHost));
  }

  /** Completes when this node is an Up member; fails if it is removed before. */
  private static CompletionStage<Void> whenMemberUp(ActorSystem<?> system) {
    CompletableFuture<Void> up = new CompletableFuture<>();
    org.apache.pekko.cluster.Cluster cluster =
        org.apache.pekko.cluster.Cluster.get(system.classicSystem());
    // Both callbacks also run when registered late: at once if the node is already Up or gone.
    cluster.registerOnMemberUp(() -> up.complete(null));
    cluster.registerOnMemberRemoved(
        () ->
            up.completeExceptionally(
                new IllegalStateException(
                    "node was removed from the cluster before it became Up")));
    return up;
  }

  public static String hostAndPort(ServerBinding binding) {
    return binding.localAddress().getHostString() + ":" + binding.localAddress().getPort();
  }
}
