package io.meridian.ops.testing;

import io.meridian.http.testing.HttpTestClient;
import io.meridian.http.testing.NodeUnderTest;
import java.util.Locale;
import java.util.UUID;

/**
 * A node on the shared real Cassandra (see {@link CassandraExtension}) for the API conformance test
 * classes of the http module, each run in a keyspace of its own.
 */
public final class CassandraNode implements NodeUnderTest {

  private final TestNode node;
  private final HttpTestClient http;

  private CassandraNode(TestNode node) {
    this.node = node;
    this.http = new HttpTestClient(node.url().substring("http://".length()));
  }

  public static CassandraNode start(String name, String extraConfig) {
    String prefix = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    String keyspace =
        "c_"
            + prefix.substring(0, Math.min(20, prefix.length()))
            + "_"
            + UUID.randomUUID().toString().substring(0, 8);
    return new CassandraNode(TestNode.start(CassandraExtension.server(), keyspace, extraConfig));
  }

  @Override
  public String hostAndPort() {
    return node.url().substring("http://".length());
  }

  @Override
  public HttpTestClient http() {
    return http;
  }

  @Override
  public void close() {
    node.close();
  }
}
