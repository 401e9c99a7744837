package io.meridian.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The log-excerpt API in memory, just enough of it to drive the benchmark in a unit test: POST of
 * one JSON object or NDJSON, GET of {@code (from, to]} with long polling, nothing durable.
 */
final class FakeLogNode implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long LONG_POLL_TIMEOUT_MS = 5_000;

  private final TreeMap<Long, List<String>> entries = new TreeMap<>();
  private final List<String> contentTypes = new ArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final HttpServer server;

  FakeLogNode() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/log_excerpts", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized int size() {
    return entries.values().stream().mapToInt(List::size).sum();
  }

  synchronized List<String> contentTypes() {
    return List.copyOf(contentTypes);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (exchange.getRequestMethod().equals("POST")) {
        post(exchange);
      } else {
        String[] parts = exchange.getRequestURI().getPath().split("/");
        long from = Long.parseLong(parts[3]);
        long to = Long.parseLong(parts[4]);
        String query = exchange.getRequestURI().getQuery();
        boolean longPolling = query != null && query.contains("long_polling=true");
        byte[] body = excerpt(from, to, longPolling);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void post(HttpExchange exchange) throws IOException {
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    synchronized (this) {
      contentTypes.add(contentType);
      for (String line : body.split("\n")) {
        if (!line.isBlank()) {
          long timestamp = MAPPER.readTree(line).path("timestamp").asLong();
          entries.computeIfAbsent(timestamp, t -> new ArrayList<>()).add(line);
        }
      }
      notifyAll();
    }
    exchange.sendResponseHeaders(204, -1);
  }

  private synchronized byte[] excerpt(long from, long to, boolean longPolling)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LONG_POLL_TIMEOUT_MS);
    while (longPolling
        && to > System.currentTimeMillis()
        && entries.subMap(from, false, to, true).isEmpty()
        && System.nanoTime() < deadline) {
      TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
    }
    ObjectNode excerpt = MAPPER.createObjectNode();
    excerpt
        .putObject("_links")
        .putObject("self")
        .put("href", "/v1/log_excerpts/" + from + "/" + to);
    excerpt.put("from", from).put("to", to);
    ArrayNode list = excerpt.putArray("entries");
    for (Map.Entry<Long, List<String>> at : entries.subMap(from, false, to, true).entrySet()) {
      at.getValue().forEach(list::add);
    }
    JsonNode response = MAPPER.createObjectNode().set("log_excerpt", excerpt);
    return MAPPER.writeValueAsBytes(response);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
