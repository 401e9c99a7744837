package io.meridian.ops;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.meridian.ops.cassandra.CassandraServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;

/**
 * Runs one node. With {@code meridian.cassandra.embedded.enabled} (the development default) it
 * first starts a real Apache Cassandra as a child process and stops it after the node has shut
 * down, so no acknowledged write is cut off.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Runs a Meridian node (and, by default, its embedded Cassandra).")
public final class RunCommand implements Callable<Integer> {

  /**
   * System property with the pid of a process this node belongs to (set by {@code meridian cluster}
   * and the cluster tests): the node shuts down gracefully when that process ends, so no node
   * outlives the cluster that launched it.
   */
  public static final String PARENT_PID_PROPERTY = "meridian.parent-pid";

  @Override
  public Integer call() throws Exception {
    Config config = NodeConfig.load();
    Logging.configure(config);
    FirstAdminKey.check(config);
    CassandraServer cassandra = null;
    CompletableFuture<CassandraServer> cassandraStarted = CompletableFuture.completedFuture(null);
    Config embedded = config.getConfig("meridian.cassandra.embedded");
    if (embedded.getBoolean("enabled")) {
      cassandra = new CassandraServer(embeddedSettings(embedded));
      System.out.printf(
          "meridian: starting embedded Apache Cassandra (data in %s, CQL on %s:%d)...%n",
          embedded.getString("data-dir"),
          embedded.getString("listen-address"),
          embedded.getInt("cql-port"));
      // The node's actor system starts (remoting, dispatchers, a cold JVM's class loading) while
      // Cassandra does: nothing in it touches Cassandra before Main.init, which waits for it.
      cassandraStarted = startInBackground(cassandra);
      config =
          NodeConfig.load(
              System.getenv(),
              ConfigFactory.empty()
                  .withValue(
                      "meridian.cassandra.contact-points",
                      ConfigValueFactory.fromIterable(
                          List.of(
                              embedded.getString("listen-address")
                                  + ":"
                                  + embedded.getInt("cql-port")))));
    }
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "meridian", config);
    if (cassandra != null) {
      // On SIGTERM/Ctrl-C the node's CoordinatedShutdown and Cassandra's stop run as parallel JVM
      // hooks; Cassandra must outlive the node's last journal writes.
      cassandra.stopAfter(system.getWhenTerminated());
    }
    followParent(system);
    try {
      awaitStarted(cassandraStarted);
      Main.Running running = Main.init(system).toCompletableFuture().get();
      try {
        FirstAdminKey.ensure(running.node(), config, System.out);
      } catch (Exception e) {
        // The node serves without it; the next start tries again.
        System.out.printf(
            "meridian: could not create the first administrator key (%s); restart the node to"
                + " try again, or set MERIDIAN_ADMIN_TOKEN%n",
            e);
      }
      System.out.printf(
          "meridian: node %s is up; HTTP APIs on http://%s (Cassandra %s); web console at"
              + " http://%s/%n",
          running.node().system().address(),
          running.httpAddress(),
          config.getStringList("meridian.cassandra.contact-points"),
          running.httpAddress());
    } catch (Exception e) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
      if (cassandra != null) {
        cassandra.stop();
      }
      throw e;
    }
    system.getWhenTerminated().toCompletableFuture().join();
    if (cassandra != null) {
      cassandra.stop();
    }
    Logging.stop();
    return 0;
  }

  private static CompletableFuture<CassandraServer> startInBackground(CassandraServer cassandra) {
    CompletableFuture<CassandraServer> started = new CompletableFuture<>();
    Thread starter =
        new Thread(
            () -> {
              try {
                started.complete(cassandra.start());
              } catch (Throwable e) {
                started.completeExceptionally(e);
              }
            },
            "meridian-cassandra-start");
    starter.setDaemon(true);
    starter.start();
    return started;
  }

  /** Waits for the embedded Cassandra's start, rethrowing what made it fail. */
  private static void awaitStarted(CompletableFuture<CassandraServer> started) throws Exception {
    try {
      started.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static void followParent(ActorSystem<?> system) {
    String parent = System.getProperty(PARENT_PID_PROPERTY);
    if (parent != null) {
      ProcessHandle.of(Long.parseLong(parent))
          .ifPresentOrElse(handle -> handle.onExit().thenRun(system::terminate), system::terminate);
    }
  }

  static CassandraServer.Settings embeddedSettings(Config embedded) {
    return CassandraServer.Settings.defaults()
        .withDataDir(Path.of(embedded.getString("data-dir")).toAbsolutePath())
        .withListenAddress(embedded.getString("listen-address"))
        .withCqlPort(embedded.getInt("cql-port"))
        .withStoragePort(embedded.getInt("storage-port"))
        .withHeap(embedded.getString("heap"))
        .withStartTimeout(embedded.getDuration("start-timeout"))
        .withJvmOptions(embedded.getStringList("jvm-options"));
  }
}
