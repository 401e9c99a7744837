package io.meridian.protocol.opentsdb.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.protocol.opentsdb.BadQueryException;
import io.meridian.protocol.opentsdb.FillPolicy;
import io.meridian.protocol.opentsdb.SubQuery;
import io.meridian.protocol.opentsdb.TagFilter;
import org.junit.jupiter.api.Test;

class ExpressionQueryParserTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String TIME =
      "'time':{'start':1699990000,'end':1700000000,'aggregator':'sum'}";
  private static final String FILTERS =
      "'filters':[{'id':'f1','tags':[{'type':'wildcard','tagk':'host','filter':'*','groupBy':true}]}]";
  private static final String METRICS =
      "'metrics':[{'id':'a','metric':'m.a','filter':'f1'},{'id':'b','metric':'m.b','filter':'f1'}]";

  private static ExpressionQuery parse(String body) {
    try {
      JsonNode json = JSON.readTree(body.replace('\'', '"'));
      return ExpressionQueryParser.fromJson(json, NOW);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String body(String... sections) {
    return "{" + String.join(",", sections) + "}";
  }

  @Test
  void fullRequestIsParsed() {
    ExpressionQuery q =
        parse(
            "{'time':{'start':1699990000,'end':1700000000,'aggregator':'sum','rate':true,"
                + "'downsampler':{'interval':'1m','aggregator':'avg',"
                + "'fillPolicy':{'policy':'scalar','value':'7'}}},"
                + FILTERS
                + ",'metrics':[{'id':'a','metric':'m.a','filter':'f1','aggregator':'max',"
                + "'timeOffset':'1h-ago'},{'id':'b','metric':'m.b','filter':'f1',"
                + "'fillPolicy':{'policy':'null'}}],"
                + "'expressions':[{'id':'e','expr':'a + b','join':{'operator':'intersection',"
                + "'useQueryTags':true,'includeAggTags':false},'fillPolicy':{'policy':'zero'}},"
                + "{'id':'e2','expr':'e * 2'}],"
                + "'outputs':[{'id':'e2','alias':'Twice'},{'id':'a'}]}");

    assertThat(q.startMs()).isEqualTo(1_699_990_000_000L);
    assertThat(q.endMs()).isEqualTo(1_700_000_000_000L);
    SubQuery a = q.metrics().get(0).query();
    assertThat(a.metric()).isEqualTo("m.a");
    assertThat(a.aggregator()).isEqualTo("max");
    assertThat(a.rate()).isTrue();
    assertThat(a.downsample().spec()).isEqualTo("1m-avg-nan");
    assertThat(a.filters()).containsExactly(new TagFilter("host", "wildcard", "*", true));
    assertThat(q.metrics().get(0).offsetMs()).isEqualTo(3_600_000L);
    assertThat(q.metrics().get(0).fill()).isEqualTo(new NumericFill("scalar", 7));
    assertThat(q.metrics().get(1).query().aggregator()).isEqualTo("sum");
    assertThat(q.metrics().get(1).fill().printsNull()).isTrue();
    assertThat(q.expressions().get(0).join())
        .isEqualTo(new ExpressionQuery.Join(false, true, false));
    assertThat(q.expressions().get(0).fill()).isEqualTo(NumericFill.ZERO);
    assertThat(q.expressions().get(1).join()).isEqualTo(ExpressionQuery.Join.DEFAULT);
    assertThat(q.expressions().get(1).fill().policy()).isEqualTo("nan");
    assertThat(q.outputs())
        .containsExactly(
            new ExpressionQuery.Output("e2", "Twice"), new ExpressionQuery.Output("a", null));
  }

  @Test
  void defaultsWithoutDownsamplerOrOutputs() {
    ExpressionQuery q =
        parse(body(TIME, FILTERS, METRICS, "'expressions':[{'id':'e','expr':'a+b'}]"));
    assertThat(q.metrics().get(0).query().downsample()).isNull();
    assertThat(q.metrics().get(0).fill()).isEqualTo(NumericFill.ZERO);
    assertThat(q.outputs()).containsExactly(new ExpressionQuery.Output("e", null));
  }

  @Test
  void downsamplerFillPolicyReachesTheSubQuery() {
    ExpressionQuery q =
        parse(
            body(
                "'time':{'start':1699990000,'aggregator':'sum','downsampler':{'interval':'1m',"
                    + "'aggregator':'sum','fillPolicy':{'policy':'zero'}}}",
                METRICS.replace(",'filter':'f1'", ""),
                "'expressions':[{'id':'e','expr':'a'}]"));
    assertThat(q.metrics().get(0).query().downsample().fill()).isEqualTo(FillPolicy.ZERO);
    assertThat(q.metrics().get(0).query().filters()).isEmpty();
    assertThat(q.endMs()).isEqualTo(NOW);
  }

  private static void rejected(String body, String message) {
    assertThatThrownBy(() -> parse(body))
        .isInstanceOf(BadQueryException.class)
        .hasMessageContaining(message);
  }

  @Test
  void validationFollowsOpenTsdb() {
    String exp = "'expressions':[{'id':'e','expr':'a+b'}]";
    rejected(body(FILTERS, METRICS, exp), "missing time");
    rejected(body("'time':{'aggregator':'sum'}", METRICS, exp), "missing or empty start");
    rejected(body("'time':{'start':'1h-ago'}", METRICS, exp), "Missing or empty aggregator");
    rejected(
        body("'time':{'start':'1h-ago','aggregator':'nope'}", METRICS, exp),
        "Invalid aggregator: nope");
    rejected(
        body("'time':{'start':1700000000,'end':1600000000,'aggregator':'sum'}", METRICS, exp),
        "Start time must be less than end time");
    rejected(body(TIME, FILTERS, exp), "missing or empty metrics");
    rejected(
        body(TIME, "'metrics':[{'id':'a','metric':'m'},{'id':'a','metric':'n'}]", exp),
        "duplicated metric id: a");
    rejected(
        body(TIME, "'metrics':[{'id':'a.b','metric':'m'}]", exp),
        "Invalid id (\"a.b\"): illegal character: .");
    rejected(body(TIME, "'metrics':[{'id':'1','metric':'m'}]", exp), "must not start with a digit");
    rejected(body(TIME, "'metrics':[{'id':'a'}]", exp), "missing or empty metric in metric a");
    rejected(
        body(TIME, FILTERS, "'metrics':[{'id':'a','metric':'m','filter':'f9'}]", exp),
        "unrecognized filter id f9 in metric a");
    rejected(
        body(TIME, "'filters':[{'id':'f1'},{'id':'f1'}]", METRICS, exp),
        "duplicated filter id: f1");
    rejected(
        body(
            TIME,
            "'filters':[{'id':'f1','tags':[{'type':'bogus','tagk':'h','filter':'x'}]}]",
            METRICS,
            exp),
        "Invalid filter f1: Could not find a tag value filter of the type: bogus");
    rejected(
        body(TIME, FILTERS, METRICS, "'expressions':[{'id':'a','expr':'b'}]"),
        "Duplicated variable or expression id: a");
    rejected(body(TIME, FILTERS, METRICS, "'expressions':[{'expr':'a'}]"), "missing or empty id");
    rejected(body(TIME, FILTERS, METRICS, "'expressions':[{'id':'e'}]"), "missing or empty expr");
    rejected(
        body(TIME, FILTERS, METRICS, "'expressions':[{'id':'e','expr':'a + c'}]"),
        "Expression [a + c] was missing input c");
    rejected(
        body(TIME, FILTERS, METRICS, "'expressions':[{'id':'e','expr':'a +* b'}]"),
        "Invalid expression 'a +* b'");
    rejected(
        body(
            TIME,
            FILTERS,
            METRICS,
            "'expressions':[{'id':'e','expr':'a + f'},{'id':'f','expr':'e * 2'}]"),
        "Circular reference in expressions: e -> f -> e");
    rejected(
        body(TIME, FILTERS, METRICS, "'expressions':[{'id':'e','expr':'e + 1'}]"),
        "Circular reference in expressions: e -> e");
    rejected(
        body(
            TIME,
            FILTERS,
            METRICS,
            "'expressions':[{'id':'e','expr':'a','join':{'operator':'outer'}}]"),
        "Invalid join operator 'outer'");
    rejected(
        body(TIME, FILTERS, METRICS, exp, "'outputs':[{'id':'x'}]"),
        "Output [x] does not name a metric or an expression");
    rejected(body(TIME, FILTERS, METRICS), "No expressions or outputs");
    rejected(
        body(
            TIME,
            "'metrics':[{'id':'a','metric':'m','fillPolicy':{'policy':'scalar'}}]",
            exp.replace("a+b", "a")),
        "The scalar fill policy requires a value");
    rejected(
        body(
            TIME,
            "'metrics':[{'id':'a','metric':'m','fillPolicy':{'policy':'nan','value':1}}]",
            exp.replace("a+b", "a")),
        "must be NaN");
    rejected(
        body(
            TIME,
            "'metrics':[{'id':'a','metric':'m','fillPolicy':{'policy':'linear'}}]",
            exp.replace("a+b", "a")),
        "No such fill policy: 'linear'");
  }

  @Test
  void metricsCanBeOutputWithoutExpressions() {
    ExpressionQuery q =
        parse(body(TIME, METRICS.replace(",'filter':'f1'", ""), "'outputs':[{'id':'b'}]"));
    assertThat(q.expressions()).isEmpty();
    assertThat(q.outputs()).containsExactly(new ExpressionQuery.Output("b", null));
  }
}
