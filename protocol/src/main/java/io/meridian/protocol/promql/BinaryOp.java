package io.meridian.protocol.promql;

/** PromQL binary operators, with their precedence (higher binds tighter). */
public enum BinaryOp {
  OR("or", 1, false),
  AND("and", 2, false),
  UNLESS("unless", 2, false),
  EQL("==", 3, true),
  NEQ("!=", 3, true),
  LTE("<=", 3, true),
  LSS("<", 3, true),
  GTE(">=", 3, true),
  GTR(">", 3, true),
  ADD("+", 4, false),
  SUB("-", 4, false),
  MUL("*", 5, false),
  DIV("/", 5, false),
  MOD("%", 5, false),
  ATAN2("atan2", 5, false),
  POW("^", 6, false);

  private final String symbol;
  private final int precedence;
  private final boolean comparison;

  BinaryOp(String symbol, int precedence, boolean comparison) {
    this.symbol = symbol;
    this.precedence = precedence;
    this.comparison = comparison;
  }

  public String symbol() {
    return symbol;
  }

  public int precedence() {
    return precedence;
  }

  /** {@code ==}, {@code !=}, {@code <}, … : filter, or give 0/1 with {@code bool}. */
  public boolean isComparison() {
    return comparison;
  }

  /** {@code and}, {@code or}, {@code unless}: always many-to-many, vectors only. */
  public boolean isSetOperator() {
    return this == AND || this == OR || this == UNLESS;
  }

  /** {@code ^} is right-associative; every other operator is left-associative. */
  public boolean isRightAssociative() {
    return this == POW;
  }
}
