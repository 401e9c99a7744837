package io.meridian.protocol.opentsdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses and validates the JSON body of OpenTSDB's {@code /api/put}: one data point object or an
 * array of them. Each point is validated on its own, as OpenTSDB does, so one bad point does not
 * reject its neighbours; a body that is not valid JSON rejects the whole request.
 */
public final class DataPointParser {

  /** Timestamps up to this value are seconds, larger ones milliseconds (as OpenTSDB). */
  private static final long MAX_SECONDS = 0xFFFFFFFFL;

  private static final long MAX_MILLIS = 9_999_999_999_999L;

  private final ObjectMapper mapper;

  public DataPointParser(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Thrown when the body as a whole cannot be used; nothing from it is stored. */
  public static final class MalformedBodyException extends RuntimeException {
    private final String details;

    MalformedBodyException(String message, String details) {
      super(message);
      this.details = details;
    }

    public String details() {
      return details;
    }
  }

  public PutRequest parse(byte[] body) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw new MalformedBodyException("Unable to parse the given JSON", e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new MalformedBodyException("Unable to read the request body", e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new MalformedBodyException("Missing request content", "The body was empty");
    }
    List<JsonNode> points = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(points::add);
    } else if (root.isObject()) {
      points.add(root);
    } else {
      throw new MalformedBodyException(
          "Unable to parse the given JSON",
          "Expected a data point object or an array of data points, got " + root.getNodeType());
    }
    if (points.isEmpty()) {
      throw new MalformedBodyException("No datapoints found in content", "The array was empty");
    }
    List<DataPoint> accepted = new ArrayList<>(points.size());
    List<PutRequest.Rejected> rejected = new ArrayList<>();
    for (JsonNode point : points) {
      try {
        accepted.add(validate(point));
      } catch (IllegalArgumentException e) {
        rejected.add(new PutRequest.Rejected(point, e.getMessage()));
      }
    }
    return new PutRequest(accepted, rejected);
  }

  static DataPoint validate(JsonNode point) {
    if (!point.isObject()) {
      throw new IllegalArgumentException("Data point is not a JSON object");
    }
    String metric = text(point.get("metric"));
    if (metric == null || metric.isEmpty()) {
      throw new IllegalArgumentException("Metric name was empty");
    }
    Names.validate("metric name", metric);
    long timestampMs = timestamp(point.get("timestamp"));
    double value = value(point.get("value"));
    JsonNode tagsNode = point.get("tags");
    if (tagsNode == null || !tagsNode.isObject() || tagsNode.isEmpty()) {
      throw new IllegalArgumentException("Missing tags");
    }
    TreeMap<String, String> tags = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = tagsNode.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> tag = fields.next();
      String tagValue = text(tag.getValue());
      if (tagValue == null || tagValue.isEmpty()) {
        throw new IllegalArgumentException("Empty tag value for tag name \"" + tag.getKey() + "\"");
      }
      Names.validate("tag name", tag.getKey());
      Names.validate("tag value", tagValue);
      tags.put(tag.getKey(), tagValue);
    }
    return new DataPoint(metric, timestampMs, value, tags);
  }

  private static long timestamp(JsonNode node) {
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("Missing timestamp");
    }
    long ts;
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      ts = node.longValue();
    } else if (node.isTextual() && node.asText().matches("\\d{1,13}")) {
      ts = Long.parseLong(node.asText());
    } else {
      throw new IllegalArgumentException("Invalid timestamp: " + node);
    }
    if (ts <= 0 || ts > MAX_MILLIS) {
      throw new IllegalArgumentException("Invalid timestamp: " + ts);
    }
    return ts <= MAX_SECONDS ? ts * 1000 : ts;
  }

  private static double value(JsonNode node) {
    if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
      throw new IllegalArgumentException("Empty value");
    }
    double value;
    if (node.isNumber()) {
      value = node.doubleValue();
    } else if (node.isTextual()) {
      try {
        value = new BigDecimal(node.asText().trim()).doubleValue();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Unable to parse value to a number");
      }
    } else {
      throw new IllegalArgumentException("Unable to parse value to a number");
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("Value is NaN or Infinite: " + node.asText());
    }
    return value;
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isContainerNode()) {
      return null;
    }
    return node.asText();
  }
}
