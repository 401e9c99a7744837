package io.meridian.ops.bench;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote write 1.0: a snappy block around a protobuf {@code prometheus.WriteRequest},
 * the mirror of {@code io.meridian.protocol.prometheus.RemoteWriteDecoder}. A series' labels never
 * change, so their protobuf bytes are encoded once ({@link #labelsOf}) and each request only adds
 * the samples: that keeps the generator far from being the bottleneck.
 */
public final class RemoteWriteEncoder implements SampleEncoder {

  private static final int WRITE_REQUEST_TIMESERIES = 1;
  private static final int TIMESERIES_LABELS = 1;
  private static final int TIMESERIES_SAMPLES = 2;
  private static final int LABEL_NAME = 1;
  private static final int LABEL_VALUE = 2;
  private static final int SAMPLE_VALUE = 1;
  private static final int SAMPLE_TIMESTAMP = 2;

  private static final List<String> HEADERS =
      List.of(
          "Content-Encoding", "snappy",
          "Content-Type", "application/x-protobuf",
          "X-Prometheus-Remote-Write-Version", "0.1.0");

  private final NodeExporterSeries series;
  private final byte[][] labels;
  private byte[] raw = new byte[1 << 16];
  private byte[] compressed = new byte[Snappy.maxCompressedLength(1 << 16)];

  /**
   * @param labels the series' encoded labels, from {@link #labelsOf}
   */
  public RemoteWriteEncoder(NodeExporterSeries series, byte[][] labels) {
    this.series = series;
    this.labels = labels;
  }

  /** Each series' labels as the {@code repeated Label labels = 1} fields of a TimeSeries. */
  public static byte[][] labelsOf(NodeExporterSeries series) {
    byte[][] encoded = new byte[series.size()][];
    for (int i = 0; i < series.size(); i++) {
      int size = 0;
      for (Map.Entry<String, String> label : series.labels(i).entrySet()) {
        int length = labelSize(label);
        size +=
            CodedOutputStream.computeTagSize(TIMESERIES_LABELS)
                + CodedOutputStream.computeUInt32SizeNoTag(length)
                + length;
      }
      byte[] bytes = new byte[size];
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      try {
        for (Map.Entry<String, String> label : series.labels(i).entrySet()) {
          out.writeTag(TIMESERIES_LABELS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          out.writeUInt32NoTag(labelSize(label));
          out.writeString(LABEL_NAME, label.getKey());
          out.writeString(LABEL_VALUE, label.getValue());
        }
        out.checkNoSpaceLeft();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      encoded[i] = bytes;
    }
    return encoded;
  }

  private static int labelSize(Map.Entry<String, String> label) {
    return CodedOutputStream.computeStringSize(LABEL_NAME, label.getKey())
        + CodedOutputStream.computeStringSize(LABEL_VALUE, label.getValue());
  }

  @Override
  public List<String> headers() {
    return HEADERS;
  }

  @Override
  public Body encode(int[] indexes, long firstRound, int rounds) {
    // The longest a sample can be: tag and length (2), value (9), timestamp (1 + 10).
    long bound = 0;
    for (int index : indexes) {
      bound += 16 + labels[index].length + rounds * 22L;
    }
    if (bound > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("a request of " + bound + " bytes is too large");
    }
    if (raw.length < bound) {
      raw = new byte[(int) bound];
      compressed = new byte[Snappy.maxCompressedLength((int) bound)];
    }
    CodedOutputStream out = CodedOutputStream.newInstance(raw);
    long[] timestamps = new long[rounds];
    double[] values = new double[rounds];
    try {
      for (int index : indexes) {
        int samplesSize = 0;
        for (int r = 0; r < rounds; r++) {
          timestamps[r] = series.timestamp(index, firstRound + r);
          values[r] = series.next(index, timestamps[r]);
          int sample = sampleSize(timestamps[r], values[r]);
          samplesSize +=
              CodedOutputStream.computeTagSize(TIMESERIES_SAMPLES)
                  + CodedOutputStream.computeUInt32SizeNoTag(sample)
                  + sample;
        }
        out.writeTag(WRITE_REQUEST_TIMESERIES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(labels[index].length + samplesSize);
        out.writeRawBytes(labels[index]);
        for (int r = 0; r < rounds; r++) {
          out.writeTag(TIMESERIES_SAMPLES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          out.writeUInt32NoTag(sampleSize(timestamps[r], values[r]));
          // Written even when 0.0, where proto3 may leave a field out: decoders accept both.
          out.writeDouble(SAMPLE_VALUE, values[r]);
          out.writeInt64(SAMPLE_TIMESTAMP, timestamps[r]);
        }
      }
      int length = out.getTotalBytesWritten();
      int size = Snappy.compress(raw, 0, length, compressed, 0);
      return new Body(Arrays.copyOf(compressed, size), (long) indexes.length * rounds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int sampleSize(long timestamp, double value) {
    return CodedOutputStream.computeDoubleSize(SAMPLE_VALUE, value)
        + CodedOutputStream.computeInt64Size(SAMPLE_TIMESTAMP, timestamp);
  }
}
