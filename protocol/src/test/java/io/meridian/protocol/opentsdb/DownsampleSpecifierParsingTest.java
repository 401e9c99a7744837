package io.meridian.protocol.opentsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DownsampleSpecifierParsingTest {

  @Test
  void intervalAndFunctionDefaultToNoFill() {
    Downsample ds = Downsample.parse("1m-avg");
    assertThat(ds.intervalMs()).isEqualTo(60_000);
    assertThat(ds.aggregator()).isEqualTo("avg");
    assertThat(ds.fill()).isEqualTo(FillPolicy.NONE);
    assertThat(ds.calendar()).isFalse();
    assertThat(ds.spec()).isEqualTo("1m-avg");
  }

  @Test
  void fillPoliciesAreParsed() {
    assertThat(Downsample.parse("1h-max-zero").fill()).isEqualTo(FillPolicy.ZERO);
    assertThat(Downsample.parse("30s-count-nan").fill()).isEqualTo(FillPolicy.NAN);
    assertThat(Downsample.parse("30s-count-null").fill()).isEqualTo(FillPolicy.NULL);
    assertThat(Downsample.parse("30s-count-none").fill()).isEqualTo(FillPolicy.NONE);
    assertThat(Downsample.parse("30s-count-nan").intervalMs()).isEqualTo(30_000);
    assertThat(Downsample.parse("1h-max-zero").spec()).isEqualTo("1h-max-zero");
  }

  @Test
  void everyUnitIsAccepted() {
    assertThat(Downsample.parse("100ms-sum").intervalMs()).isEqualTo(100);
    assertThat(Downsample.parse("2d-sum").intervalMs()).isEqualTo(2 * 86_400_000L);
    assertThat(Downsample.parse("1w-sum").intervalMs()).isEqualTo(7 * 86_400_000L);
    assertThat(Downsample.parse("1n-sum").intervalMs()).isEqualTo(30 * 86_400_000L);
    assertThat(Downsample.parse("1y-sum").intervalMs()).isEqualTo(365 * 86_400_000L);
  }

  @Test
  void allIsOneBucketOverTheRange() {
    Downsample ds = Downsample.parse("0all-sum");
    assertThat(ds.intervalMs()).isZero();
    assertThat(ds.coversWholeRange()).isTrue();
    assertThat(ds.spec()).isEqualTo("0all-sum");
    assertThat(Downsample.parse("all-max").coversWholeRange()).isTrue();
  }

  @Test
  void calendarSuffixOrFlagAlignsOnCalendarBoundaries() {
    Downsample ds = Downsample.parse("1dc-sum", false, "Asia/Kabul");
    assertThat(ds.calendar()).isTrue();
    assertThat(ds.intervalMs()).isEqualTo(86_400_000L);
    assertThat(ds.interval()).isEqualTo("1d");
    assertThat(ds.intervalAmount()).isEqualTo(1);
    assertThat(ds.intervalUnit()).isEqualTo("d");
    assertThat(ds.timezone()).isEqualTo("Asia/Kabul");
    assertThat(ds.spec()).isEqualTo("1dc-sum");
    assertThat(Downsample.parse("1n-sum", true, null).calendar()).isTrue();
    assertThat(Downsample.parse("1n-sum", true, null).intervalUnit()).isEqualTo("n");
  }

  @Test
  void malformedSpecifiersAreRejected() {
    assertThatThrownBy(() -> Downsample.parse("1m"))
        .isInstanceOf(BadQueryException.class)
        .hasMessage(
            "Invalid downsampling specifier '1m': must provide at least interval and function");
    assertThatThrownBy(() -> Downsample.parse("1m-avg-nan-x"))
        .hasMessage(
            "Invalid downsampling specifier '1m-avg-nan-x': must consist of interval, function,"
                + " and optional fill policy");
    assertThatThrownBy(() -> Downsample.parse("1x-avg"))
        .hasMessage("Invalid downsampling specifier '1x-avg': Invalid duration (suffix): 1x");
    assertThatThrownBy(() -> Downsample.parse("1m-xyz"))
        .hasMessage("No such downsampling function: xyz");
    assertThatThrownBy(() -> Downsample.parse("1m-none"))
        .hasMessage("cannot use the NONE aggregator for downsampling");
    assertThatThrownBy(() -> Downsample.parse("1m-avg-blah"))
        .hasMessage("No such fill policy: 'blah': must be one of: none nan null zero");
  }
}
