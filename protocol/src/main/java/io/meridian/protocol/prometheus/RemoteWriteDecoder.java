package io.meridian.protocol.prometheus;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.Names;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.xerial.snappy.Snappy;

/**
 * Decodes a Prometheus remote-write 1.0 request body (a snappy block holding a protobuf {@code
 * prometheus.WriteRequest}) into the samples to store for a tenant. The protobuf is read field by
 * field, so no generated classes are needed: {@code WriteRequest{repeated TimeSeries timeseries =
 * 1}}, {@code TimeSeries{repeated Label labels = 1; repeated Sample samples = 2}}, {@code
 * Label{string name = 1; string value = 2}}, {@code Sample{double value = 1; int64 timestamp = 2}}.
 * Metadata, exemplars and native histograms are skipped.
 */
public final class RemoteWriteDecoder {

  private static final String METRIC_NAME = "__name__";

  private RemoteWriteDecoder() {}

  /** One series of a write request, as sent: labels in order, samples in order. */
  public record TimeSeries(List<Label> labels, long[] timestamps, double[] values) {
    public TimeSeries {
      labels = List.copyOf(labels);
    }
  }

  /** A label of a {@link TimeSeries}. */
  public record Label(String name, String value) {}

  /**
   * The samples of a snappy-compressed write request for {@code tenant}: metric = {@code __name__},
   * tags = the other labels (labels with an empty value are absent, as in Prometheus).
   *
   * @param maxUncompressedBytes a body that would uncompress to more is refused
   * @throws InvalidRemoteWriteException when the body or any series is invalid
   */
  public static List<SeriesSamples> decode(String tenant, byte[] body, long maxUncompressedBytes) {
    return toSamples(tenant, parse(uncompress(body, maxUncompressedBytes)));
  }

  /**
   * Like {@link #decode(String, byte[], long)}, with the keys of series seen before taken from
   * {@code keys} by their label bytes instead of decoded again (see {@link SeriesKeyCache}). The
   * result and the errors are the same.
   */
  public static List<SeriesSamples> decode(
      String tenant, byte[] body, long maxUncompressedBytes, SeriesKeyCache keys) {
    byte[] request = uncompress(body, maxUncompressedBytes);
    try {
      CodedInputStream in = CodedInputStream.newInstance(request);
      List<SeriesSamples> samples = new ArrayList<>();
      SeriesKeyCache.Lookup lookup = keys.lookup();
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
          int length = in.readRawVarint32();
          int start = in.getTotalBytesRead();
          int limit = in.pushLimit(length);
          samples.add(cachedSeries(tenant, request, start, start + length, in, lookup));
          in.popLimit(limit);
        } else if (!in.skipField(tag)) {
          break;
        }
      }
      return samples;
    } catch (IOException e) {
      throw new InvalidRemoteWriteException(
          "body is not a protobuf prometheus.WriteRequest: " + e.getMessage(), e);
    }
  }

  /**
   * One {@code TimeSeries} at {@code request[start, end)}: samples decoded, labels skipped over and
   * their bytes looked up in {@code keys}; only an unknown series (or one whose labels are not all
   * together) has its labels decoded and checked.
   */
  private static SeriesSamples cachedSeries(
      String tenant,
      byte[] request,
      int start,
      int end,
      CodedInputStream in,
      SeriesKeyCache.Lookup keys)
      throws IOException {
    int labelsFrom = -1;
    int labelsTo = -1;
    boolean together = true;
    Samples samples = new Samples();
    while (true) {
      int fieldStart = in.getTotalBytesRead();
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      if (tag == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        if (labelsFrom < 0) {
          labelsFrom = fieldStart;
        } else if (labelsTo != fieldStart) {
          together = false;
        }
        in.skipRawBytes(in.readRawVarint32());
        labelsTo = in.getTotalBytesRead();
      } else if (tag == tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        samples.read(in);
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    boolean cacheable = together && labelsFrom >= 0;
    SeriesKey key = cacheable ? keys.get(tenant, request, labelsFrom, labelsTo) : null;
    if (key == null) {
      TimeSeries series = timeSeries(CodedInputStream.newInstance(request, start, end - start));
      key = key(tenant, series);
      if (cacheable) {
        key = keys.put(tenant, request, labelsFrom, labelsTo, key);
      }
    }
    return new SeriesSamples(key, samples.timestamps(), samples.values());
  }

  /** The snappy block's content. */
  static byte[] uncompress(byte[] body, long maxUncompressedBytes) {
    try {
      if (!Snappy.isValidCompressedBuffer(body)) {
        throw new InvalidRemoteWriteException("body is not snappy (block format) compressed");
      }
      int length = Snappy.uncompressedLength(body);
      if (length > maxUncompressedBytes) {
        throw new InvalidRemoteWriteException(
            "body uncompresses to "
                + length
                + " bytes, more than the limit of "
                + maxUncompressedBytes);
      }
      return Snappy.uncompress(body);
    } catch (IOException e) {
      throw new InvalidRemoteWriteException("body is not snappy (block format) compressed", e);
    }
  }

  /** The time series of a {@code WriteRequest} protobuf. */
  public static List<TimeSeries> parse(byte[] writeRequest) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(writeRequest);
      List<TimeSeries> series = new ArrayList<>();
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
          int limit = in.pushLimit(in.readRawVarint32());
          series.add(timeSeries(in));
          in.popLimit(limit);
        } else if (!in.skipField(tag)) {
          break;
        }
      }
      return series;
    } catch (IOException e) {
      throw new InvalidRemoteWriteException(
          "body is not a protobuf prometheus.WriteRequest: " + e.getMessage(), e);
    }
  }

  private static TimeSeries timeSeries(CodedInputStream in) throws IOException {
    List<Label> labels = new ArrayList<>();
    Samples samples = new Samples();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        int limit = in.pushLimit(in.readRawVarint32());
        labels.add(label(in));
        in.popLimit(limit);
      } else if (tag == tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        samples.read(in);
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    return new TimeSeries(labels, samples.timestamps(), samples.values());
  }

  /** The samples of one {@code TimeSeries}, as they are read. */
  private static final class Samples {
    private long[] timestamps = new long[1];
    private double[] values = new double[1];
    private int size;

    /** Reads the length-delimited {@code Sample} message at {@code in}'s position. */
    void read(CodedInputStream in) throws IOException {
      int limit = in.pushLimit(in.readRawVarint32());
      if (size == timestamps.length) {
        timestamps = Arrays.copyOf(timestamps, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      sample(in, timestamps, values, size++);
      in.popLimit(limit);
    }

    long[] timestamps() {
      return size == timestamps.length ? timestamps : Arrays.copyOf(timestamps, size);
    }

    double[] values() {
      return size == values.length ? values : Arrays.copyOf(values, size);
    }
  }

  /** Reads one {@code Sample} message into {@code timestamps[at]} and {@code values[at]}. */
  private static void sample(CodedInputStream in, long[] timestamps, double[] values, int at)
      throws IOException {
    // Proto3 leaves out fields at their default, so a missing value is 0 and so is a time.
    double value = 0;
    long timestamp = 0;
    for (int field = in.readTag(); field != 0; field = in.readTag()) {
      if (field == tag(1, WireFormat.WIRETYPE_FIXED64)) {
        // Raw bits, so that NaN payloads (Prometheus' stale marker) survive unchanged.
        value = Double.longBitsToDouble(in.readRawLittleEndian64());
      } else if (field == tag(2, WireFormat.WIRETYPE_VARINT)) {
        timestamp = in.readInt64();
      } else if (!in.skipField(field)) {
        break;
      }
    }
    timestamps[at] = timestamp;
    values[at] = value;
  }

  /** A protobuf field tag: field number and wire type. */
  private static int tag(int field, int wireType) {
    return (field << 3) | wireType;
  }

  private static Label label(CodedInputStream in) throws IOException {
    String name = "";
    String value = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        name = in.readStringRequireUtf8();
      } else if (tag == tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        value = in.readStringRequireUtf8();
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    return new Label(name, value);
  }

  /**
   * The samples to store, after checking every series: {@code __name__} present and non-empty,
   * label names valid, no label twice. One bad series refuses the whole request.
   */
  public static List<SeriesSamples> toSamples(String tenant, List<TimeSeries> series) {
    List<SeriesSamples> samples = new ArrayList<>(series.size());
    for (TimeSeries one : series) {
      samples.add(new SeriesSamples(key(tenant, one), one.timestamps(), one.values()));
    }
    return samples;
  }

  /** The key of a series after checking it (see {@link #toSamples}). */
  private static SeriesKey key(String tenant, TimeSeries one) {
    String metric = null;
    TreeMap<String, String> tags = new TreeMap<>();
    // Senders order labels by name (Prometheus does), so a duplicate is the previous name; only
    // a series out of order needs a set of the names seen.
    Set<String> names = null;
    String previous = null;
    for (Label label : one.labels()) {
      if (!isLabelName(label.name())) {
        throw new InvalidRemoteWriteException(
            "invalid label name \"" + label.name() + "\" in series " + describe(one));
      }
      boolean inOrder = previous == null || label.name().compareTo(previous) > 0;
      if (!inOrder && names == null) {
        names = new HashSet<>();
        for (Label seen : one.labels()) {
          if (seen == label) {
            break;
          }
          names.add(seen.name());
        }
      }
      if (names != null && !names.add(label.name())) {
        throw new InvalidRemoteWriteException(
            "duplicate label name \"" + label.name() + "\" in series " + describe(one));
      }
      previous = label.name();
      if (label.name().equals(METRIC_NAME)) {
        metric = label.value();
      } else if (!label.value().isEmpty()) {
        tags.put(label.name(), label.value());
      }
    }
    if (metric == null || metric.isEmpty()) {
      throw new InvalidRemoteWriteException(
          "series " + describe(one) + " has no metric name (label __name__)");
    }
    if (!isMetricName(metric)) {
      throw new InvalidRemoteWriteException(
          "invalid metric name \"" + metric + "\" in series " + describe(one));
    }
    return SeriesKey.ofOwned(tenant, metric, tags);
  }

  /**
   * A metric name either API could have written: Prometheus' ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}) or
   * OpenTSDB's (letters, digits, {@code - _ . /} and Unicode letters), so that a series written
   * through one API is readable through the other. Spaces, quotes, braces, control characters and
   * the like are refused.
   */
  static boolean isMetricName(String name) {
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      // OpenTSDB's rule, with Prometheus' ':'.
      if (c != ':' && !Names.isAllowed(c)) {
        return false;
      }
      i += Character.charCount(c);
    }
    return true;
  }

  /** Prometheus' label name rule, {@code [a-zA-Z_][a-zA-Z0-9_]*}, without a regex per label. */
  static boolean isLabelName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      if (!letter && (i == 0 || c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  private static String describe(TimeSeries series) {
    StringBuilder text = new StringBuilder("{");
    for (Label label : series.labels()) {
      if (text.length() > 1) {
        text.append(", ");
      }
      text.append(label.name()).append("=\"").append(label.value()).append('"');
    }
    return text.append('}').toString();
  }
}
