package io.meridian.ops.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * OpenTSDB {@code /api/put}: a JSON array of data points with millisecond timestamps; the metric is
 * the series' {@code __name__} and the tags are its other labels. OpenTSDB allows only letters,
 * digits and {@code - _ . /} in tag values, so other characters become {@code _} ({@code
 * instance="host-007:9100"} is written {@code host-007_9100}).
 */
public final class PutEncoder implements SampleEncoder {

  private static final List<String> HEADERS = List.of("Content-Type", "application/json");

  private final NodeExporterSeries series;
  private final byte[][] prefixes;
  private final StringBuilder text = new StringBuilder(1 << 16);

  /**
   * @param prefixes each series' point up to its timestamp, from {@link #prefixesOf}
   */
  public PutEncoder(NodeExporterSeries series, byte[][] prefixes) {
    this.series = series;
    this.prefixes = prefixes;
  }

  /** Each series' data point up to the timestamp: {@code {"metric":…,"tags":{…},"timestamp":}. */
  public static byte[][] prefixesOf(NodeExporterSeries series) {
    byte[][] prefixes = new byte[series.size()][];
    for (int i = 0; i < series.size(); i++) {
      StringBuilder point = new StringBuilder("{\"metric\":\"").append(series.metric(i));
      point.append("\",\"tags\":{");
      boolean first = true;
      for (Map.Entry<String, String> label : series.labels(i).entrySet()) {
        if (label.getKey().equals("__name__")) {
          continue;
        }
        point.append(first ? "\"" : ",\"").append(label.getKey()).append("\":\"");
        point.append(tagValue(label.getValue())).append('"');
        first = false;
      }
      prefixes[i] = point.append("},\"timestamp\":").toString().getBytes(StandardCharsets.UTF_8);
    }
    return prefixes;
  }

  /** A label value as OpenTSDB allows it. */
  static String tagValue(String value) {
    StringBuilder allowed = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '/';
      allowed.append(ok ? c : '_');
    }
    return allowed.toString();
  }

  @Override
  public List<String> headers() {
    return HEADERS;
  }

  @Override
  public Body encode(int[] indexes, long firstRound, int rounds) {
    byte[] body = new byte[1 << 16];
    int length = 0;
    body[length++] = '[';
    for (int index : indexes) {
      for (int r = 0; r < rounds; r++) {
        long timestamp = series.timestamp(index, firstRound + r);
        double value = series.next(index, timestamp);
        text.setLength(0);
        text.append(timestamp).append(",\"value\":").append(value).append('}');
        int needed = 1 + prefixes[index].length + text.length() + 1;
        if (length + needed > body.length) {
          body = Arrays.copyOf(body, Math.max(body.length * 2, length + needed));
        }
        if (length > 1) {
          body[length++] = ',';
        }
        System.arraycopy(prefixes[index], 0, body, length, prefixes[index].length);
        length += prefixes[index].length;
        for (int c = 0; c < text.length(); c++) {
          body[length++] = (byte) text.charAt(c);
        }
      }
    }
    body[length++] = ']';
    return new Body(Arrays.copyOf(body, length), (long) indexes.length * rounds);
  }
}
