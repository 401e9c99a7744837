package io.meridian.ops.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP server in the benchmark's own JVM that reads every request body to its end, drops it and
 * answers 204: aimed at by the load generator, it measures the generator's ceiling, with nothing
 * stored or decoded on the other side.
 */
public final class NullSink implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService handlers;
  private final LongAdder requests = new LongAdder();
  private final LongAdder bytes = new LongAdder();

  private NullSink(HttpServer server, ExecutorService handlers) {
    this.server = server;
    this.handlers = handlers;
  }

  /** Listens on a free port of 127.0.0.1 with {@code threads} handler threads. */
  public static NullSink start(int threads) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      ExecutorService handlers = Executors.newFixedThreadPool(threads);
      NullSink sink = new NullSink(server, handlers);
      server.createContext(
          "/",
          exchange -> {
            long read = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream body = exchange.getRequestBody()) {
              for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                read += n;
              }
            }
            sink.requests.increment();
            sink.bytes.add(read);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
          });
      server.setExecutor(handlers);
      server.start();
      return sink;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL to aim writes at. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write");
  }

  /** Requests answered so far. */
  public long requests() {
    return requests.sum();
  }

  /** Body bytes read so far. */
  public long bytes() {
    return bytes.sum();
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }
}
