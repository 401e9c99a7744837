package io.meridian.protocol.prometheus;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Encodes {@code prometheus.WriteRequest} protobufs by hand, as Prometheus' remote write does. */
final class WriteRequests {

  private WriteRequests() {}

  record Series(List<String> labels, long[] timestamps, double[] values) {}

  /** {@code labels} are name/value pairs. */
  static Series series(long[] timestamps, double[] values, String... labels) {
    return new Series(List.of(labels), timestamps, values);
  }

  static byte[] encode(Series... series) {
    return message(
        out -> {
          for (Series one : series) {
            out.writeByteArray(1, timeSeries(one));
          }
        });
  }

  private static byte[] timeSeries(Series series) {
    return message(
        out -> {
          for (int i = 0; i < series.labels().size(); i += 2) {
            String name = series.labels().get(i);
            String value = series.labels().get(i + 1);
            out.writeByteArray(
                1,
                message(
                    label -> {
                      label.writeString(1, name);
                      label.writeString(2, value);
                    }));
          }
          for (int i = 0; i < series.timestamps().length; i++) {
            double value = series.values()[i];
            long timestamp = series.timestamps()[i];
            out.writeByteArray(
                2,
                message(
                    sample -> {
                      sample.writeTag(1, 1);
                      sample.writeFixed64NoTag(Double.doubleToRawLongBits(value));
                      sample.writeInt64(2, timestamp);
                    }));
          }
        });
  }

  interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  static byte[] message(Body body) {
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
