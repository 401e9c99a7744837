package io.meridian.protocol.promql;

/** PromQL aggregation operators; some take a parameter before the expression. */
public enum AggregateOp {
  SUM("sum", null),
  AVG("avg", null),
  COUNT("count", null),
  MIN("min", null),
  MAX("max", null),
  GROUP("group", null),
  STDDEV("stddev", null),
  STDVAR("stdvar", null),
  TOPK("topk", ValueType.SCALAR),
  BOTTOMK("bottomk", ValueType.SCALAR),
  QUANTILE("quantile", ValueType.SCALAR),
  COUNT_VALUES("count_values", ValueType.STRING);

  private final String keyword;
  private final ValueType paramType;

  AggregateOp(String keyword, ValueType paramType) {
    this.keyword = keyword;
    this.paramType = paramType;
  }

  public String keyword() {
    return keyword;
  }

  /** The type of the parameter, or null for operators that take none. */
  public ValueType paramType() {
    return paramType;
  }
}
