package io.meridian.ops.prometheus;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Encodes a Prometheus remote-write 1.0 {@code WriteRequest} by hand with protobuf's {@link
 * CodedOutputStream}, so the tests need no generated classes and the wire format is visible:
 *
 * <pre>
 * message WriteRequest { repeated TimeSeries timeseries = 1; }
 * message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * message Label        { string name = 1; string value = 2; }
 * message Sample       { double value = 1; int64 timestamp = 2; }  // milliseconds
 * </pre>
 *
 * Each nested message is written as a length-delimited field, so it is first encoded on its own to
 * know its length. Doubles keep their bits, so stale markers survive.
 */
final class WriteRequestEncoding {

  private WriteRequestEncoding() {}

  /** The uncompressed protobuf bytes of a WriteRequest holding {@code series}. */
  static byte[] encode(List<TimeSeries> series) {
    return message(
        out -> {
          for (TimeSeries one : series) {
            out.writeByteArray(1, timeSeries(one));
          }
        });
  }

  private static byte[] timeSeries(TimeSeries series) {
    return message(
        out -> {
          for (Map.Entry<String, String> label : series.labels().entrySet()) {
            out.writeByteArray(
                1,
                message(
                    labelOut -> {
                      labelOut.writeString(1, label.getKey());
                      labelOut.writeString(2, label.getValue());
                    }));
          }
          for (TimeSeries.Sample sample : series.samples()) {
            out.writeByteArray(
                2,
                message(
                    sampleOut -> {
                      sampleOut.writeDouble(1, sample.value());
                      sampleOut.writeInt64(2, sample.timestampMillis());
                    }));
          }
        });
  }

  private static byte[] message(Fields fields) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      fields.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode a WriteRequest", e);
    }
  }

  /** Writes the fields of one message. */
  @FunctionalInterface
  private interface Fields {
    void write(CodedOutputStream out) throws IOException;
  }
}
