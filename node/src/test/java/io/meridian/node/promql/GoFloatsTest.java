package io.meridian.node.promql;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Go's shortest float formatting: the fast path (Jackson's Schubfach) writes exactly what the
 * definition gives, the closest of the shortest decimals that parse back to the same double.
 */
class GoFloatsTest {

  /** The definition, searched for: fewest digits, rounded to nearest. */
  private static String reference(double v) {
    BigDecimal exact = new BigDecimal(v);
    for (int precision = 1; precision < 17; precision++) {
      BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == v) {
        return rounded.stripTrailingZeros().toPlainString();
      }
    }
    return exact
        .round(new MathContext(17, RoundingMode.HALF_EVEN))
        .stripTrailingZeros()
        .toPlainString();
  }

  @Test
  void valuesAreWrittenAsGoWritesThem() {
    assertThat(GoFloats.formatPlain(1)).isEqualTo("1");
    assertThat(GoFloats.formatPlain(-0.0)).isEqualTo("-0");
    assertThat(GoFloats.formatPlain(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(GoFloats.formatPlain(1e23)).isEqualTo("100000000000000000000000");
    assertThat(GoFloats.formatPlain(8.41e21)).isEqualTo("8410000000000000000000");
    assertThat(GoFloats.formatPlain(-1.25e-7)).isEqualTo("-0.000000125");
    assertThat(GoFloats.formatPlain(123456.789)).isEqualTo("123456.789");
    assertThat(GoFloats.formatPlain(1e15)).isEqualTo("1000000000000000");
    assertThat(GoFloats.formatPlain(0.001)).isEqualTo("0.001");
    assertThat(GoFloats.formatPlain(4.9e-324)).isEqualTo("0." + "0".repeat(323) + "5");
    assertThat(GoFloats.formatPlain(Double.MAX_VALUE)).isEqualTo(reference(Double.MAX_VALUE));
    assertThat(GoFloats.formatPlain(Double.NaN)).isEqualTo("NaN");
    assertThat(GoFloats.formatPlain(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }

  @Test
  void randomDoublesOfEveryMagnitudeMatchTheDefinition() {
    Random random = new Random(17);
    for (int i = 0; i < 200_000; i++) {
      double v =
          switch (i % 4) {
            case 0 -> Double.longBitsToDouble(random.nextLong());
            case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            case 2 -> Math.round(random.nextDouble() * 1e6) / 1e3; // values with few decimals
            default ->
                Double.longBitsToDouble(random.nextLong() & 0x000fffffffffffffL); // subnormal
          };
      if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
        continue;
      }
      assertThat(GoFloats.formatPlain(v)).as("%s", Double.toString(v)).isEqualTo(reference(v));
    }
  }
}
