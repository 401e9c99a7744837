package io.meridian.protocol.opentsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A parsed {@code /api/put} body: the points that passed validation and those that did not, each
 * rejected point with the JSON it was given as and why (OpenTSDB's {@code details} response).
 */
public record PutRequest(List<DataPoint> accepted, List<Rejected> rejected) {

  public PutRequest {
    accepted = List.copyOf(accepted);
    rejected = List.copyOf(rejected);
  }

  /** A point that was not stored. */
  public record Rejected(JsonNode datapoint, String error) {}

  public int total() {
    return accepted.size() + rejected.size();
  }
}
