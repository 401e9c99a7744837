package io.meridian.http.testing;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A running node that API conformance tests drive over real HTTP: a node on the in-memory journal
 * here, a node on the real Cassandra in the ops module, which runs the same test classes.
 */
public interface NodeUnderTest extends AutoCloseable {

  /** Where the node's HTTP API (and line protocol) listens. */
  String hostAndPort();

  HttpTestClient http();

  default HttpResponse<String> send(String method, String path, String body, String... headers) {
    return http().send(method, path, body, headers);
  }

  default HttpResponse<String> send(HttpRequest.Builder request) {
    return http().send(request);
  }

  default URI uri(String path) {
    return http().uri(path);
  }

  @Override
  void close();
}
