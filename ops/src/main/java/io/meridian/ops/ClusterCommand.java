package io.meridian.ops;

import com.typesafe.config.Config;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.cluster.LocalCluster;
import io.meridian.ops.cluster.NodeProcess;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a local cluster for development: the embedded Cassandra and N node processes on loopback,
 * each on its own ports as if on its own host. Ctrl-C (or SIGTERM) stops the nodes gracefully, then
 * Cassandra.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "Runs N Meridian nodes on this machine plus the embedded Cassandra.",
      "Node i (from 0) serves HTTP on http-port+i, remoting on remote-port+i and management on"
          + " management-port+i."
    })
final class ClusterCommand implements Callable<Integer> {

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

  @Override
  public Integer call() throws Exception {
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
