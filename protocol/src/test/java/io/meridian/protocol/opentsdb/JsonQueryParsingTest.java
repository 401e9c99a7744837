package io.meridian.protocol.opentsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonQueryParsingTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void fullBodyIsParsed() throws Exception {
    TsdbQuery q =
        QueryParser.fromJson(
            json(
                "{'start':1356998400,'end':'1356998460000','timezone':'UTC',"
                    + "'msResolution':true,'showQuery':true,'noAnnotations':true,"
                    + "'globalAnnotations':true,'showTSUIDs':true,'delete':false,"
                    + "'queries':[{'aggregator':'sum','metric':'sys.cpu.0',"
                    + "'rate':true,'rateOptions':{'counter':true,'counterMax':65535,"
                    + "'resetValue':1000,'dropResets':false},'downsample':'1m-avg-nan',"
                    + "'explicitTags':true,"
                    + "'filters':[{'type':'wildcard','tagk':'host','filter':'web*',"
                    + "'groupBy':true},{'type':'literal_or','tagk':'dc','filter':'lga',"
                    + "'groupBy':false}]}]}"),
            NOW);
    assertThat(q.startMs()).isEqualTo(1_356_998_400_000L);
    assertThat(q.endMs()).isEqualTo(1_356_998_460_000L);
    assertThat(q.msResolution()).isTrue();
    assertThat(q.showQuery()).isTrue();
    assertThat(q.noAnnotations()).isTrue();
    assertThat(q.globalAnnotations()).isTrue();
    assertThat(q.showTSUIDs()).isTrue();
    assertThat(q.timezone()).isEqualTo("UTC");
    SubQuery sub = q.queries().get(0);
    assertThat(sub.aggregator()).isEqualTo("sum");
    assertThat(sub.metric()).isEqualTo("sys.cpu.0");
    assertThat(sub.rate()).isTrue();
    assertThat(sub.rateOptions()).isEqualTo(new RateOptions(true, 65535, 1000, false));
    assertThat(sub.downsample().spec()).isEqualTo("1m-avg-nan");
    assertThat(sub.explicitTags()).isTrue();
    assertThat(sub.filters())
        .containsExactly(
            new TagFilter("host", "wildcard", "web*", true),
            new TagFilter("dc", "literal_or", "lga", false));
  }

  @Test
  void legacyTagsMapBecomesGroupByFiltersAfterTheExplicitFilters() throws Exception {
    TsdbQuery q =
        QueryParser.fromJson(
            json(
                "{'start':'1h-ago','queries':[{'aggregator':'avg','metric':'m',"
                    + "'tags':{'host':'*','dc':'lga|sjc'},"
                    + "'filters':[{'type':'literal_or','tagk':'dc','filter':'lga|sjc'}]}]}"),
            NOW);
    SubQuery sub = q.queries().get(0);
    assertThat(sub.filters())
        .containsExactly(
            new TagFilter("dc", "literal_or", "lga|sjc", true),
            new TagFilter("host", "wildcard", "*", true));
    assertThat(q.endMs()).isEqualTo(NOW);
    assertThat(sub.rateOptions()).isEqualTo(RateOptions.DEFAULT);
  }

  @Test
  void useCalendarFlagMakesDownsamplersCalendarBased() throws Exception {
    TsdbQuery q =
        QueryParser.fromJson(
            json(
                "{'start':'1d-ago','timezone':'America/New_York','useCalendar':true,"
                    + "'queries':[{'aggregator':'sum','metric':'m','downsample':'1d-sum'}]}"),
            NOW);
    Downsample ds = q.queries().get(0).downsample();
    assertThat(ds.calendar()).isTrue();
    assertThat(ds.timezone()).isEqualTo("America/New_York");
  }

  @Test
  void errorsMirrorOpenTsdb() {
    assertThatThrownBy(() -> QueryParser.fromJson(json("{'queries':[]}"), NOW))
        .isInstanceOf(BadQueryException.class)
        .hasMessage("Missing start time");
    assertThatThrownBy(() -> QueryParser.fromJson(json("{'start':'1h-ago'}"), NOW))
        .hasMessage("Missing sub queries");
    assertThatThrownBy(() -> QueryParser.fromJson(json("{'start':'1h-ago','queries':[]}"), NOW))
        .hasMessage("Missing sub queries");
    assertThatThrownBy(
            () ->
                QueryParser.fromJson(
                    json("{'start':'1h-ago','queries':[{'aggregator':'xyz','metric':'m'}]}"), NOW))
        .hasMessage("No such aggregator: xyz");
    assertThatThrownBy(
            () -> QueryParser.fromJson(json("{'start':'1h-ago','queries':[{'metric':'m'}]}"), NOW))
        .hasMessage("Missing the aggregation function");
    assertThatThrownBy(
            () ->
                QueryParser.fromJson(
                    json("{'start':'1h-ago','queries':[{'aggregator':'sum'}]}"), NOW))
        .hasMessage("Missing the metric or tsuids, provide at least one");
    assertThatThrownBy(
            () ->
                QueryParser.fromJson(
                    json(
                        "{'start':'1h-ago','queries':[{'aggregator':'sum','metric':'m',"
                            + "'downsample':'1m'}]}"),
                    NOW))
        .hasMessageStartingWith("Invalid downsampling specifier '1m'");
    assertThatThrownBy(
            () ->
                QueryParser.fromJson(
                    json(
                        "{'start':'1h-ago','queries':[{'aggregator':'sum','metric':'m',"
                            + "'filters':[{'type':'nope','tagk':'h','filter':'x'}]}]}"),
                    NOW))
        .hasMessage("Could not find a tag value filter of the type: nope");
    assertThatThrownBy(
            () ->
                QueryParser.fromJson(
                    json(
                        "{'start':'now','end':'1h-ago','queries':[{'aggregator':'sum',"
                            + "'metric':'m'}]}"),
                    NOW))
        .hasMessageStartingWith("Start time must be less than end time");
    assertThatThrownBy(
            () ->
                QueryParser.fromJson(
                    json(
                        "{'start':'1h-ago','queries':[{'aggregator':'sum',"
                            + "'tsuids':['000001000001000001','000002000001000001']}]}"),
                    NOW))
        .hasMessage("One or more TSUIDs did not share the same metric");
    assertThatThrownBy(
            () ->
                QueryParser.fromJson(
                    json("{'start':'1h-ago','queries':[{'aggregator':'sum','tsuids':['00001']}]}"),
                    NOW))
        .hasMessageContaining("Invalid TSUID '00001'");
    assertThatThrownBy(() -> QueryParser.fromJson(null, NOW)).hasMessage("Missing request content");
  }

  @Test
  void queryModelSurvivesAJacksonRoundTrip() throws Exception {
    TsdbQuery q =
        QueryParser.fromJson(
            json(
                "{'start':'1h-ago','timezone':'Asia/Tokyo','queries':[{'aggregator':'sum',"
                    + "'metric':'m','downsample':'1dc-avg-null','rate':true,"
                    + "'rateOptions':{'counter':true},"
                    + "'tags':{'host':'web*'}}]}"),
            NOW);
    String text = JSON.writeValueAsString(q);
    assertThat(JSON.readValue(text, TsdbQuery.class)).isEqualTo(q);
  }
}
