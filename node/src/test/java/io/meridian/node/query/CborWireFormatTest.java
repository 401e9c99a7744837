package io.meridian.node.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import io.meridian.protocol.opentsdb.QueryParser;
import io.meridian.protocol.opentsdb.SubQuery;
import io.meridian.protocol.opentsdb.TsdbQuery;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The query model and results travel between nodes as Jackson CBOR, like Pekko sends them. */
class CborWireFormatTest {

  private static final CBORMapper CBOR = new CBORMapper();

  static {
    CBOR.registerModule(new ParameterNamesModule());
  }

  private static <T> T roundTrip(T value, Class<T> type) throws Exception {
    return CBOR.readValue(CBOR.writeValueAsBytes(value), type);
  }

  @Test
  void subQueriesWithFiltersDownsamplerAndRateSurvive() throws Exception {
    TsdbQuery query =
        QueryParser.fromQueryString(
            Map.of(
                "start", List.of("1h-ago"),
                "tz", List.of("Asia/Tokyo"),
                "m",
                    List.of(
                        "sum:rate{counter,65535,1000}:1hc-p99-null:sys.cpu{host=web*}"
                            + "{dc=regexp(l.*)}",
                        "none:0all-count:sys.mem")),
            1_700_000_000_000L);
    assertThat(roundTrip(query, TsdbQuery.class)).isEqualTo(query);
    for (SubQuery sub : query.queries()) {
      assertThat(roundTrip(sub, SubQuery.class)).isEqualTo(sub);
    }
  }

  @Test
  void resultsSurvive() throws Exception {
    QueryResult result =
        new QueryResult(
            "m",
            new TreeMap<>(Map.of("dc", "lga")),
            List.of("host"),
            new long[] {1, 2},
            new double[] {1.5, Double.NaN},
            true);
    assertThat(roundTrip(result, QueryResult.class)).isEqualTo(result);
  }
}
