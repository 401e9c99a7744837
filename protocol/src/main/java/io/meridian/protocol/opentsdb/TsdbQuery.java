package io.meridian.protocol.opentsdb;

import io.meridian.protocol.CborSerializable;
import java.util.List;

/**
 * A parsed and validated OpenTSDB 2.x {@code /api/query} request (GET query string or POST body).
 *
 * @param startMs the start of the range, Unix epoch milliseconds, inclusive
 * @param endMs the end of the range, inclusive; "now" when the request gave none
 * @param queries the sub queries, in request order (their {@link SubQuery#index()} is the
 *     position); never empty
 * @param msResolution whether to return millisecond timestamps ({@code ms} / {@code msResolution});
 *     otherwise timestamps are seconds and OpenTSDB downsamples to one second
 * @param showQuery whether to echo each sub query with its results
 * @param noAnnotations whether to leave annotations out of the response
 * @param globalAnnotations whether to include global annotations of the range
 * @param showTSUIDs whether to list the series identifiers of each result
 * @param timezone the time zone used for absolute dates and calendar downsampling, null for UTC
 * @param delete whether the matching data is to be deleted (HTTP DELETE)
 */
public record TsdbQuery(
    long startMs,
    long endMs,
    List<SubQuery> queries,
    boolean msResolution,
    boolean showQuery,
    boolean noAnnotations,
    boolean globalAnnotations,
    boolean showTSUIDs,
    String timezone,
    boolean delete)
    implements CborSerializable {

  public TsdbQuery {
    queries = queries == null ? List.of() : List.copyOf(queries);
  }
}
