package io.meridian.ops.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the comparison counts as equal and how it reports a difference. */
class ResultDifferenceTest {

  private static final String MATRIX =
      """
      {"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{"job":"a"},"values":[[1700000000,"1.5"],[1700000060.5,"NaN"]]},
        {"metric":{"job":"b"},"values":[[1700000000,"+Inf"]]}]}}
      """;

  @Test
  void identicalAnswersAgree() {
    assertThat(difference(MATRIX, MATRIX, false)).isEmpty();
  }

  @Test
  void seriesAreMatchedByLabelsNotOrder() {
    String reordered =
        """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"job":"b"},"values":[[1700000000,"+Inf"]]},
          {"metric":{"job":"a"},"values":[[1700000000,"1.5000001"],[1700000060.5,"NaN"]]}]}}
        """;
    assertThat(difference(MATRIX, reordered, false)).isEmpty();
  }

  @Test
  void orderMattersWhenAsked() {
    String a = vector("{\"job\":\"a\"}", "1") + "," + vector("{\"job\":\"b\"}", "2");
    String b = vector("{\"job\":\"b\"}", "2") + "," + vector("{\"job\":\"a\"}", "1");
    assertThat(difference(vectors(a), vectors(b), true)).contains("order of series");
    assertThat(difference(vectors(a), vectors(b), false)).isEmpty();
  }

  @Test
  void valuesEqualWithinRelativeTolerance() {
    assertThat(ResultDifference.sameValue("1000000", "1000000.5")).isTrue();
    assertThat(ResultDifference.sameValue("1", "1.00001")).isFalse();
    assertThat(ResultDifference.sameValue("0", "1e-15")).isTrue();
    assertThat(ResultDifference.sameValue("NaN", "NaN")).isTrue();
    assertThat(ResultDifference.sameValue("NaN", "0")).isFalse();
    assertThat(ResultDifference.sameValue("+Inf", "+Inf")).isTrue();
    assertThat(ResultDifference.sameValue("+Inf", "-Inf")).isFalse();
    assertThat(ResultDifference.sameValue("+Inf", "1e308")).isFalse();
  }

  @Test
  void reportsTheFirstDifferingValueWithItsSeriesAndTime() {
    String changed = MATRIX.replace("\"NaN\"", "\"2\"");
    assertThat(difference(MATRIX, changed, false))
        .isEqualTo("series {job=\"a\"}: at 1700000060.500 value NaN vs 2");
  }

  @Test
  void reportsMissingPointsAndTimestamps() {
    String shorter = MATRIX.replace(",[1700000060.5,\"NaN\"]", "");
    assertThat(difference(MATRIX, shorter, false))
        .isEqualTo("series {job=\"a\"}: 2 vs 1 points, first unmatched at 1700000060.500");
    String shifted = MATRIX.replace("1700000060.5", "1700000120");
    assertThat(difference(MATRIX, shifted, false))
        .contains("point 1 at 1700000060.500 vs at 1700000120");
  }

  @Test
  void reportsMissingAndUnexpectedSeries() {
    String other = MATRIX.replace("\"job\":\"b\"", "\"job\":\"c\"");
    assertThat(difference(MATRIX, other, false))
        .isEqualTo(
            "series differ: 2 vs 2; missing 1 such as {job=\"b\"}; unexpected 1 such as"
                + " {job=\"c\"}");
  }

  @Test
  void reportsDuplicateSeriesOfTheCandidate() {
    String twice = vector("{\"job\":\"a\"}", "1") + "," + vector("{\"job\":\"a\"}", "1");
    assertThat(difference(vectors(vector("{\"job\":\"a\"}", "1")), vectors(twice), false))
        .contains("{job=\"a\"} more than once");
  }

  @Test
  void errorsAgreeOnTypeAndStatusNotMessage() {
    String error =
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at 3\"}";
    String otherMessage = error.replace("parse error at 3", "unexpected token");
    assertThat(difference(error, otherMessage, false)).isEmpty();
    assertThat(
            ResultDifference.between(
                QueryResult.parse(400, error), QueryResult.parse(422, error), false))
        .hasValueSatisfying(d -> assertThat(d).startsWith("HTTP status 400 vs 422"));
    assertThat(difference(error, error.replace("bad_data", "execution"), false))
        .startsWith("errorType bad_data vs execution");
    assertThat(difference(MATRIX, error, false)).startsWith("status success vs error");
  }

  @Test
  void resultTypesMustMatch() {
    String scalar =
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"1\"]}}";
    assertThat(difference(scalar, vectors(vector("{}", "1")), false))
        .isEqualTo("resultType scalar vs vector");
    assertThat(difference(scalar, scalar, false)).isEmpty();
  }

  private static String vector(String metric, String value) {
    return "{\"metric\":" + metric + ",\"value\":[1700000000,\"" + value + "\"]}";
  }

  private static String vectors(String elements) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + elements
        + "]}}";
  }

  private static String difference(String reference, String candidate, boolean ordered) {
    return ResultDifference.between(
            QueryResult.parse(200, reference), QueryResult.parse(200, candidate), ordered)
        .orElse("");
  }
}
