package io.meridian.protocol.promql;

/** The four PromQL value types, named as the Prometheus API's {@code resultType} names them. */
public enum ValueType {
  SCALAR("scalar"),
  VECTOR("vector"),
  MATRIX("matrix"),
  STRING("string");

  private final String apiName;

  ValueType(String apiName) {
    this.apiName = apiName;
  }

  /** {@code scalar}, {@code vector}, {@code matrix} or {@code string}. */
  public String apiName() {
    return apiName;
  }
}
