package io.meridian.protocol.opentsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateOptionsParsingTest {

  @Test
  void plainRateIsNotACounter() {
    assertThat(RateOptions.parse("rate")).isEqualTo(RateOptions.DEFAULT);
    assertThat(RateOptions.DEFAULT.counterMax()).isEqualTo(Long.MAX_VALUE);
    assertThat(RateOptions.DEFAULT.resetValue()).isZero();
  }

  @Test
  void counterWithOptionalMaxAndReset() {
    assertThat(RateOptions.parse("rate{counter}"))
        .isEqualTo(new RateOptions(true, Long.MAX_VALUE, 0, false));
    assertThat(RateOptions.parse("rate{counter,65535}"))
        .isEqualTo(new RateOptions(true, 65535, 0, false));
    assertThat(RateOptions.parse("rate{counter,65535,1000}"))
        .isEqualTo(new RateOptions(true, 65535, 1000, false));
    assertThat(RateOptions.parse("rate{counter,,1000}"))
        .isEqualTo(new RateOptions(true, Long.MAX_VALUE, 1000, false));
    assertThat(RateOptions.parse("rate{dropcounter}"))
        .isEqualTo(new RateOptions(true, Long.MAX_VALUE, 0, true));
  }

  @Test
  void specRoundTrips() {
    RateOptions options = new RateOptions(true, 65535, 1000, false);
    assertThat(RateOptions.parse(options.spec())).isEqualTo(options);
    assertThat(RateOptions.parse(RateOptions.DEFAULT.spec())).isEqualTo(RateOptions.DEFAULT);
  }

  @Test
  void malformedOptionsAreRejected() {
    assertThatThrownBy(() -> RateOptions.parse("rate{"))
        .isInstanceOf(BadQueryException.class)
        .hasMessage("Invalid rate options specification: rate{");
    assertThatThrownBy(() -> RateOptions.parse("rate{counter,abc}"))
        .hasMessage("Max value of counter was not a number, received 'abc'");
    assertThatThrownBy(() -> RateOptions.parse("rate{counter,1,x}"))
        .hasMessage("Reset value of counter was not a number, received 'x'");
    assertThatThrownBy(() -> RateOptions.parse("rate{counter,1,2,3}"))
        .hasMessageStartingWith("Incorrect number of values in rate options specification");
  }
}
