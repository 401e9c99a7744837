package io.meridian.ops;

import com.typesafe.config.Config;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.cli.ClusterCommands;
import io.meridian.ops.cluster.LocalCluster;
import io.meridian.ops.cluster.NodeProcess;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meridian cluster}: runs a local cluster for development ({@code cluster local}, also the
 * bare {@code cluster} with its options), or manages a running cluster's membership through the
 * native API ({@code members}, {@code leave}, {@code down}).
 *
 * <p>The local cluster is the embedded Cassandra and N node processes on loopback, each on its own
 * ports as if on its own host. Ctrl-C (or SIGTERM) stops the nodes gracefully, then Cassandra.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a local development cluster, or manages a running cluster's members.",
      "Without a subcommand, as 'cluster local': runs N nodes on this machine plus the embedded"
          + " Cassandra.",
      "members, leave, down: the membership of a running cluster (meridian target)."
    },
    subcommands = {
      ClusterCommand.Local.class,
      ClusterCommands.Members.class,
      ClusterCommands.Leave.class,
      ClusterCommands.Down.class
    })
final class ClusterCommand implements Callable<Integer> {

  @Mixin LocalOptions local;

  @Override
  public Integer call() throws Exception {
    return local.run();
  }

  /** {@code meridian cluster local}: the local development cluster. */
  @Command(
      name = "local",
      mixinStandardHelpOptions = true,
      description = {
        "Runs N Meridian nodes on this machine plus the embedded Cassandra.",
        "Node i (from 0) serves HTTP on http-port+i, remoting on remote-port+i and management on"
            + " management-port+i."
      })
  static final class Local implements Callable<Integer> {

    @Mixin LocalOptions local;

    @Override
    public Integer call() throws Exception {
      return local.run();
    }
  }

  /** The local cluster's options, and running it. */
  static final class LocalOptions {

    @Option(
        names = {"-n", "--nodes"},
        defaultValue = "3",
        description = "Number of nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(
        names = "--data-dir",
        defaultValue = "data/cluster",
        description = "Cassandra data and node logs (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--http-port", defaultValue = "4242", description = "First HTTP port.")
    int httpPort;

    @Option(names = "--remote-port", defaultValue = "25520", description = "First remoting port.")
    int remotePort;

    @Option(
        names = "--management-port",
        defaultValue = "7626",
        description = "First Pekko Management port.")
    int managementPort;

    @Option(names = "--heap", defaultValue = "512m", description = "Heap of each node JVM.")
    String heap;

    int run() throws Exception {
      Config embedded = NodeConfig.load().getConfig("meridian.cassandra.embedded");
      CassandraServer cassandra =
          new CassandraServer(
              RunCommand.embeddedSettings(embedded)
                  .withDataDir(dataDir.resolve("cassandra").toAbsolutePath()));
      System.out.printf("meridian: starting embedded Apache Cassandra in %s...%n", dataDir);
      cassandra.start();
      String contactPoint =
          cassandra.contactPoint().getHostString() + ":" + cassandra.contactPoint().getPort();
      LocalCluster cluster =
          new LocalCluster(
              LocalCluster.Options.onFreePorts(dataDir.toAbsolutePath(), contactPoint, "meridian")
                  .withPorts(httpPort, remotePort, managementPort)
                  .withHeap(heap)
                  .withSystemProperties(Map.of()));
      CompletableFuture<Void> stopped = new CompletableFuture<>();
      // Cassandra's own shutdown hook waits for this, so the nodes' last journal writes land.
      cassandra.stopAfter(stopped);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    System.out.println("meridian: stopping the nodes, then Cassandra...");
                    cluster.close();
                    stopped.complete(null);
                  }));
      cluster.start(nodes);
      for (NodeProcess node : cluster.nodes()) {
        System.out.printf(
            "meridian: %s up: HTTP %s, management %s, log %s%n",
            node.name(), node.url(), node.managementUrl(), node.spec().logFile());
      }
      System.out.println("meridian: cluster of " + nodes + " nodes is ready; Ctrl-C stops it.");
      stopped.join();
      return 0;
    }
  }
}
