package io.meridian.protocol.opentsdb.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.protocol.opentsdb.BadQueryException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionParserTest {

  private static final Map<String, Double> VARS = Map.of("a", 6.0, "b", 2.0, "cpu2", 10.0);

  private static double eval(String text) {
    return ExpressionParser.parse(text).evaluate(VARS::get);
  }

  @Test
  void precedenceAssociativityAndParentheses() {
    assertThat(eval("a + b * 2")).isEqualTo(10);
    assertThat(eval("(a + b) * 2")).isEqualTo(16);
    assertThat(eval("a - b - 1")).isEqualTo(3);
    assertThat(eval("a / b / 3")).isEqualTo(1);
    assertThat(eval("(a - b) / b")).isEqualTo(2);
    assertThat(eval("a % 4")).isEqualTo(2);
    assertThat(eval("-a + -(b)")).isEqualTo(-8);
    assertThat(eval(" cpu2*1.5e1 ")).isEqualTo(150);
    assertThat(eval(".5 + 1.")).isEqualTo(1.5);
  }

  @Test
  void nestingIsBoundedSoThatNoExpressionOverflowsTheStack() {
    int limit = ExpressionParser.MAX_NESTING;
    assertThat(eval("(".repeat(limit - 1) + "a" + ")".repeat(limit - 1))).isEqualTo(6);
    for (String deep :
        new String[] {"(".repeat(100_000) + "a" + ")".repeat(100_000), "-".repeat(100_000) + "a"}) {
      assertThatThrownBy(() -> ExpressionParser.parse(deep))
          .isInstanceOf(BadQueryException.class)
          .hasMessageContaining("nested more than " + limit);
    }
  }

  @Test
  void divisionByZeroIsNaN() {
    assertThat(eval("a / 0")).isNaN();
    assertThat(eval("a % (b - 2)")).isNaN();
  }

  @Test
  void variablesAreListedOnceInOrder() {
    assertThat(ExpressionParser.parse("(b + a) * b - cpu2 / 2").variables())
        .containsExactly("b", "a", "cpu2");
    assertThat(ExpressionParser.parse("1 + 2").variables()).isEmpty();
  }

  @Test
  void malformedExpressionsAreRejectedWithThePosition() {
    assertThatThrownBy(() -> ExpressionParser.parse("a +"))
        .isInstanceOf(BadQueryException.class)
        .hasMessage("Invalid expression 'a +': unexpected end of expression at position 3");
    assertThatThrownBy(() -> ExpressionParser.parse("(a + b")).hasMessageContaining("missing ')'");
    assertThatThrownBy(() -> ExpressionParser.parse("a b")).hasMessageContaining("unexpected 'b'");
    assertThatThrownBy(() -> ExpressionParser.parse("a == b"))
        .hasMessageContaining("unexpected '='");
    assertThatThrownBy(() -> ExpressionParser.parse("1.2.3"))
        .hasMessageContaining("invalid number");
    assertThatThrownBy(() -> ExpressionParser.parse(" ")).hasMessage("missing or empty expr");
  }
}
