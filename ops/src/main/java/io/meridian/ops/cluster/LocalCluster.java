package io.meridian.ops.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Several Meridian node processes on one machine, sharing one Cassandra, exactly as on separate
 * hosts: distinct loopback ports, seed nodes from configuration, nothing shared but the network and
 * the store. The {@code meridian cluster} command and the cluster tests both run it.
 */
public final class LocalCluster implements AutoCloseable {

  /**
   * How the nodes run. With {@code firstHttpPort} 0 every port is a free one; otherwise node i
   * (from 0) listens on {@code firstHttpPort + i}, remoting {@code firstRemotePort + i} and
   * management {@code firstManagementPort + i}.
   */
  public record Options(
      String host,
      Path dataDir,
      String cassandraContactPoint,
      String keyspace,
      String heap,
      int firstHttpPort,
      int firstRemotePort,
      int firstManagementPort,
      Map<String, String> systemProperties,
      Duration readyTimeout) {

    /** Free ports on loopback, a 384 MiB heap per node and two minutes to become ready. */
    public static Options onFreePorts(Path dataDir, String cassandraContactPoint, String keyspace) {
      return new Options(
          "127.0.0.1",
          dataDir,
          cassandraContactPoint,
          keyspace,
          "384m",
          0,
          0,
          0,
          Map.of(),
          Duration.ofMinutes(2));
    }

    public Options withSystemProperties(Map<String, String> properties) {
      return new Options(
          host,
          dataDir,
          cassandraContactPoint,
          keyspace,
          heap,
          firstHttpPort,
          firstRemotePort,
          firstManagementPort,
          properties,
          readyTimeout);
    }

    public Options withPorts(int http, int remote, int management) {
      return new Options(
          host,
          dataDir,
          cassandraContactPoint,
          keyspace,
          heap,
          http,
          remote,
          management,
          systemProperties,
          readyTimeout);
    }

    public Options withHeap(String newHeap) {
      return new Options(
          host,
          dataDir,
          cassandraContactPoint,
          keyspace,
          newHeap,
          firstHttpPort,
          firstRemotePort,
          firstManagementPort,
          systemProperties,
          readyTimeout);
    }
  }

  private final Options options;
  private final List<NodeProcess> nodes = new CopyOnWriteArrayList<>();
  private int launched;

  public LocalCluster(Options options) {
    this.options = options;
  }

  /** Starts {@code count} nodes together, the first one seeding the cluster, and waits for all. */
  public LocalCluster start(int count) throws IOException, InterruptedException {
    List<NodeProcess> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      started.add(launch());
    }
    for (NodeProcess node : started) {
      node.awaitReady(options.readyTimeout());
    }
    return this;
  }

  /** Adds one node that joins through the live members, and waits until it is ready. */
  public NodeProcess addNode() throws IOException, InterruptedException {
    NodeProcess node = launch();
    node.awaitReady(options.readyTimeout());
    return node;
  }

  /** Launches the next node without waiting for it. */
  public synchronized NodeProcess launch() throws IOException {
    int index = launched++;
    int remotePort = port(options.firstRemotePort(), index);
    String address = "pekko://meridian@" + options.host() + ":" + remotePort;
    List<String> seeds = new ArrayList<>();
    if (nodes.stream().noneMatch(NodeProcess::isAlive)) {
      // The first node lists itself first: it forms the cluster when no other seed answers.
      seeds.add(address);
    }
    nodes.stream().filter(NodeProcess::isAlive).map(n -> n.spec().address()).forEach(seeds::add);
    String name = "node-" + (index + 1);
    NodeProcess node =
        NodeProcess.launch(
            new NodeProcess.Spec(
                name,
                options.host(),
                remotePort,
                port(options.firstHttpPort(), index),
                port(options.firstManagementPort(), index),
                seeds,
                options.cassandraContactPoint(),
                options.keyspace(),
                options.heap(),
                options.systemProperties(),
                options.dataDir().resolve(name + ".log")));
    nodes.add(node);
    return node;
  }

  /** Every node launched so far, the stopped and killed ones included. */
  public List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  /** The nodes whose process still runs. */
  public List<NodeProcess> live() {
    return nodes.stream().filter(NodeProcess::isAlive).toList();
  }

  /** Stops every node gracefully, all at once, killing those that do not exit within a minute. */
  @Override
  public void close() {
    CompletableFuture.allOf(
            live().stream()
                .map(
                    node ->
                        CompletableFuture.runAsync(
                            () -> {
                              try {
                                node.stop(Duration.ofSeconds(60));
                              } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                              }
                            }))
                .toArray(CompletableFuture[]::new))
        .join();
  }

  private int port(int first, int index) {
    return first == 0 ? freePort(options.host()) : first + index;
  }

  /** A port nobody listens on now; the node binds it a moment later. */
  static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
