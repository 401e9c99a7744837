package io.meridian.http.testing;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Builds Prometheus remote-write request bodies as Prometheus sends them: a protobuf {@code
 * WriteRequest} encoded by hand, snappy-compressed (block format).
 */
public final class RemoteWritePayload {

  private final List<byte[]> series = new ArrayList<>();

  /** Adds one series: {@code labels} are name/value pairs, samples are timestamp(ms)/value. */
  public RemoteWritePayload series(long[] timestamps, double[] values, String... labels) {
    series.add(
        message(
            out -> {
              for (int i = 0; i < labels.length; i += 2) {
                String name = labels[i];
                String value = labels[i + 1];
                out.writeByteArray(
                    1,
                    message(
                        label -> {
                          label.writeString(1, name);
                          label.writeString(2, value);
                        }));
              }
              for (int i = 0; i < timestamps.length; i++) {
                long timestamp = timestamps[i];
                long bits = Double.doubleToRawLongBits(values[i]);
                out.writeByteArray(
                    2,
                    message(
                        sample -> {
                          sample.writeTag(1, 1);
                          sample.writeFixed64NoTag(bits);
                          sample.writeInt64(2, timestamp);
                        }));
              }
            }));
    return this;
  }

  /** The snappy-compressed WriteRequest. */
  public byte[] body() {
    try {
      return Snappy.compress(
          message(
              out -> {
                for (byte[] one : series) {
                  out.writeByteArray(1, one);
                }
              }));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A remote-write POST of this payload to {@code uri}, with Prometheus' headers. */
  public HttpRequest.Builder post(java.net.URI uri, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body()))
            .header("Content-Encoding", "snappy")
            .header("Content-Type", "application/x-protobuf")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0");
    if (headers.length > 0) {
      request.headers(headers);
    }
    return request;
  }

  private interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Body body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      body.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
