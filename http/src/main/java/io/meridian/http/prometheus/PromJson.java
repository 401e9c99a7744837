package io.meridian.http.prometheus;

import com.fasterxml.jackson.core.JsonGenerator;
import io.meridian.node.promql.GoFloats;
import io.meridian.node.promql.Labels;
import io.meridian.node.promql.Value;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes PromQL values as Prometheus' HTTP API does: timestamps as seconds with up to three
 * decimals (Prometheus' {@code jsonutil.MarshalTimestamp}), sample values as strings formatted like
 * Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}, with {@code +Inf}, {@code -Inf} and {@code
 * NaN}.
 */
final class PromJson {

  private PromJson() {}

  /** {@code {"resultType":…,"result":…}} of a query result. */
  static void writeResult(JsonGenerator out, Value value) throws IOException {
    out.writeStartObject();
    out.writeStringField("resultType", value.type().apiName());
    out.writeFieldName("result");
    if (value instanceof Value.Scalar scalar) {
      writePoint(out, scalar.timestampMs(), format(scalar.value()));
    } else if (value instanceof Value.StringValue string) {
      writePoint(out, string.timestampMs(), string.value());
    } else if (value instanceof Value.InstantVector vector) {
      out.writeStartArray();
      for (Value.Sample sample : vector.samples()) {
        out.writeStartObject();
        out.writeFieldName("metric");
        writeLabels(out, sample.labels());
        out.writeFieldName("value");
        writePoint(out, sample.timestampMs(), format(sample.value()));
        out.writeEndObject();
      }
      out.writeEndArray();
    } else {
      writeMatrix(out, (Value.Matrix) value);
    }
    out.writeEndObject();
  }

  private static void writeMatrix(JsonGenerator out, Value.Matrix matrix) throws IOException {
    List<Value.Series> sorted = new ArrayList<>(matrix.series());
    sorted.sort(Comparator.comparing(Value.Series::labels));
    out.writeStartArray();
    for (Value.Series series : sorted) {
      out.writeStartObject();
      out.writeFieldName("metric");
      writeLabels(out, series.labels());
      out.writeFieldName("values");
      out.writeStartArray();
      for (int i = 0; i < series.size(); i++) {
        writePoint(out, series.timestampsMs()[i], format(series.values()[i]));
      }
      out.writeEndArray();
      out.writeEndObject();
    }
    out.writeEndArray();
  }

  static void writeLabels(JsonGenerator out, Labels labels) throws IOException {
    out.writeStartObject();
    for (Map.Entry<String, String> label : labels.map().entrySet()) {
      out.writeStringField(label.getKey(), label.getValue());
    }
    out.writeEndObject();
  }

  private static void writePoint(JsonGenerator out, long timestampMs, String value)
      throws IOException {
    out.writeStartArray();
    out.writeNumber(timestamp(timestampMs));
    out.writeString(value);
    out.writeEndArray();
  }

  /** Milliseconds as seconds: {@code 1435781451781} is {@code 1435781451.781}, no exponent. */
  static String timestamp(long ms) {
    StringBuilder text = new StringBuilder();
    long t = ms;
    if (t < 0) {
      text.append('-');
      t = -t;
    }
    text.append(t / 1000);
    long fraction = t % 1000;
    if (fraction != 0) {
      text.append('.');
      if (fraction < 100) {
        text.append('0');
      }
      if (fraction < 10) {
        text.append('0');
      }
      text.append(fraction);
    }
    return text.toString();
  }

  /** A float as Go's {@code FormatFloat(v, 'f', -1, 64)}, as Prometheus writes sample values. */
  static String format(double v) {
    return GoFloats.formatPlain(v);
  }
}
