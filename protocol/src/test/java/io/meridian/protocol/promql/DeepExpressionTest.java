package io.meridian.protocol.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Long and deeply nested queries parse or fail cleanly, never with a stack overflow. */
class DeepExpressionTest {

  @Test
  void longOperatorChainsParseUpToTheDepthLimit() {
    Expr e = PromQlParser.parse("x" + " + x".repeat(PromQlParser.MAX_DEPTH - 1));
    assertThat(e)
        .isInstanceOfSatisfying(
            Expr.Binary.class, b -> assertThat(b.rhs()).isInstanceOf(Expr.VectorSelector.class));
    assertThatThrownBy(() -> PromQlParser.parse("x" + " + x".repeat(20_000)))
        .isInstanceOf(PromQlParseException.class)
        .hasMessageContaining("nested more than 1000 levels deep");
  }

  @Test
  void nestingUpToTheLimitParsesAndDeeperIsRefused() {
    int limit = PromQlParser.MAX_DEPTH;
    assertThat(PromQlParser.parse("(".repeat(limit - 1) + "up" + ")".repeat(limit - 1)))
        .isInstanceOf(Expr.Paren.class);
    assertThatThrownBy(() -> PromQlParser.parse("(".repeat(limit) + "up" + ")".repeat(limit)))
        .isInstanceOf(PromQlParseException.class)
        .hasMessageContaining("nested more than");
    assertThatThrownBy(() -> PromQlParser.parse("-".repeat(5_000) + "up"))
        .isInstanceOf(PromQlParseException.class);
  }

  @Test
  void prometheusFuzzRegressionReportsTheFirstEmptySelector() {
    String query = "(" + "-{}-1".repeat(10_000) + ")" + "[1m:]".repeat(1000);
    assertThatThrownBy(() -> PromQlParser.parse(query))
        .hasMessage(
            "1:3: parse error: vector selector must contain at least one non-empty matcher");
  }

  @Test
  void pathologicalNestingIsRefusedAsBadInput() {
    String query = "(".repeat(100_000) + "1" + ")".repeat(100_000);
    assertThatThrownBy(() -> PromQlParser.parse(query))
        .isInstanceOf(PromQlParseException.class)
        .hasMessageContaining("nested too deeply");
  }
}
