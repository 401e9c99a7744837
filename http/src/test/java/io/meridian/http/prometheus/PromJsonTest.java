package io.meridian.http.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.meridian.node.promql.Labels;
import io.meridian.node.promql.Value;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromJsonTest {

  @Test
  void valuesPrintLikeGosFormatFloatWithShortestDigits() {
    assertThat(PromJson.format(1)).isEqualTo("1");
    assertThat(PromJson.format(-2)).isEqualTo("-2");
    assertThat(PromJson.format(0)).isEqualTo("0");
    assertThat(PromJson.format(-0.0)).isEqualTo("-0");
    assertThat(PromJson.format(2.5)).isEqualTo("2.5");
    assertThat(PromJson.format(0.1)).isEqualTo("0.1");
    assertThat(PromJson.format(1e-7)).isEqualTo("0.0000001");
    assertThat(PromJson.format(1e21)).isEqualTo("1000000000000000000000");
    assertThat(PromJson.format(2e-3)).isEqualTo("0.002");
    assertThat(PromJson.format(1.0 / 3)).isEqualTo("0.3333333333333333");
    assertThat(PromJson.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(PromJson.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    assertThat(PromJson.format(Double.NaN)).isEqualTo("NaN");
    // Java 17's Double.toString prints 2.0E-3 style and, for some values, more digits than needed.
    assertThat(PromJson.format(2.0E-3)).isEqualTo("0.002");
    assertThat(PromJson.format(1.0E23)).isEqualTo("100000000000000000000000");
  }

  @Test
  void timestampsAreSecondsWithUpToThreeDecimalsAsPrometheusWritesThem() {
    assertThat(PromJson.timestamp(1435781451781L)).isEqualTo("1435781451.781");
    assertThat(PromJson.timestamp(1435781451000L)).isEqualTo("1435781451");
    assertThat(PromJson.timestamp(1435781451780L)).isEqualTo("1435781451.780");
    assertThat(PromJson.timestamp(1435781451005L)).isEqualTo("1435781451.005");
    assertThat(PromJson.timestamp(-1500)).isEqualTo("-1.500");
  }

  @Test
  void aMatrixIsWrittenSeriesBySeriesSortedByLabelsWithEachPointAsATimestampAndAString()
      throws Exception {
    Value.Series b =
        new Value.Series(
            Labels.of(Map.of("job", "b")),
            new long[] {1435781451000L, 1435781451781L, 1435781452005L},
            new double[] {1, 0.1, Double.NaN});
    Value.Series a =
        new Value.Series(
            Labels.of(Map.of("job", "a\"q")),
            new long[] {-1500, 0},
            new double[] {Double.NEGATIVE_INFINITY, 1e21});
    Value.Series empty = new Value.Series(Labels.empty(), new long[0], new double[0]);
    StringWriter json = new StringWriter();
    try (JsonGenerator out = new JsonFactory().createGenerator(json)) {
      PromJson.writeResult(out, new Value.Matrix(List.of(b, a, empty)));
    }
    assertThat(json.toString())
        .isEqualTo(
            "{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[]},"
                + "{\"metric\":{\"job\":\"a\\\"q\"},\"values\":[[-1.500,\"-Inf\"],[0,\"1000000000000000000000\"]]},"
                + "{\"metric\":{\"job\":\"b\"},\"values\":"
                + "[[1435781451,\"1\"],[1435781451.781,\"0.1\"],[1435781452.005,\"NaN\"]]}]}");
  }
}
