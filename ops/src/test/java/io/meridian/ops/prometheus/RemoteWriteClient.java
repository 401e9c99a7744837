package io.meridian.ops.prometheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Sends Prometheus remote-write 1.0 requests, as Prometheus' own {@code remote_write} does: a
 * {@code WriteRequest} (see {@link WriteRequestEncoding}) in snappy block format, POSTed with the
 * protocol's headers. Works against Prometheus' receiver and Meridian's alike.
 *
 * <pre>{@code
 * RemoteWriteClient client = new RemoteWriteClient(prometheus.url());
 * Response response = client.write("/api/v1/write", series);  // status 204
 * }</pre>
 */
public final class RemoteWriteClient {

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  /** A client for the server at {@code baseUrl}, e.g. {@code http://127.0.0.1:9090}. */
  public RemoteWriteClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** The server's answer: its status and body (Prometheus explains rejections there). */
  public record Response(int status, String body) {}

  /** POSTs one WriteRequest holding {@code series} to {@code baseUrl + path}. */
  public Response write(String path, List<TimeSeries> series) {
    try {
      byte[] body = Snappy.compress(WriteRequestEncoding.encode(series));
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .timeout(Duration.ofSeconds(60))
              .header("Content-Encoding", "snappy")
              .header("Content-Type", "application/x-protobuf")
              .header("User-Agent", "meridian-tests")
              .header("X-Prometheus-Remote-Write-Version", "0.1.0")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("Remote write to " + baseUrl + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
