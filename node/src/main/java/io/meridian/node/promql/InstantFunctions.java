package io.meridian.node.promql;

import io.meridian.node.promql.Value.InstantVector;
import io.meridian.node.promql.Value.Sample;
import io.meridian.node.promql.Value.Scalar;
import io.meridian.node.promql.Value.StringValue;
import io.meridian.protocol.promql.Function;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * PromQL functions of instant vectors and scalars, as Prometheus 2.42's {@code promql/functions.go}
 * computes them: math, {@code round}, {@code clamp*}, {@code label_replace}, {@code label_join},
 * {@code histogram_quantile}, {@code sort*}, {@code scalar}, {@code vector}, {@code pi}, {@code
 * time}, {@code timestamp} and the date functions. Results drop {@code __name__} except for {@code
 * sort}, {@code sort_desc}, {@code label_replace} and {@code label_join}; results are at {@code
 * timestampMs}.
 */
public final class InstantFunctions {

  private InstantFunctions() {}

  /** Calls {@code function} with its evaluated arguments (strings as {@link StringValue}). */
  public static Value call(Function function, List<Value> args, long timestampMs) {
    DoubleUnaryOperator math = MathFunctions.operator(function);
    if (math != null) {
      return MathFunctions.map(vector(args, 0), math, timestampMs);
    }
    if (DateFunctions.isDateFunction(function)) {
      return args.isEmpty()
          ? DateFunctions.ofTime(function, timestampMs)
          : DateFunctions.apply(function, vector(args, 0), timestampMs);
    }
    return switch (function) {
      case ROUND ->
          MathFunctions.round(vector(args, 0), args.size() > 1 ? scalar(args, 1) : 1, timestampMs);
      case CLAMP ->
          MathFunctions.clamp(vector(args, 0), scalar(args, 1), scalar(args, 2), timestampMs);
      case CLAMP_MIN ->
          MathFunctions.clamp(
              vector(args, 0), scalar(args, 1), Double.POSITIVE_INFINITY, timestampMs);
      case CLAMP_MAX ->
          MathFunctions.clamp(
              vector(args, 0), Double.NEGATIVE_INFINITY, scalar(args, 1), timestampMs);
      case PI -> new Scalar(timestampMs, Math.PI);
      case TIME -> new Scalar(timestampMs, timestampMs / 1000.0);
      case TIMESTAMP -> timestamps(vector(args, 0), timestampMs);
      case SCALAR_OF -> scalarOf(vector(args, 0), timestampMs);
      case VECTOR_OF ->
          new InstantVector(List.of(new Sample(Labels.empty(), timestampMs, scalar(args, 0))));
      case SORT -> sorted(vector(args, 0), true, timestampMs);
      case SORT_DESC -> sorted(vector(args, 0), false, timestampMs);
      case LABEL_REPLACE ->
          LabelFunctions.labelReplace(
              vector(args, 0),
              string(args, 1),
              string(args, 2),
              string(args, 3),
              string(args, 4),
              timestampMs);
      case LABEL_JOIN -> {
        List<String> sources = new ArrayList<>();
        for (int i = 3; i < args.size(); i++) {
          sources.add(string(args, i));
        }
        yield LabelFunctions.labelJoin(
            vector(args, 0), string(args, 1), string(args, 2), sources, timestampMs);
      }
      case HISTOGRAM_QUANTILE ->
          HistogramQuantile.apply(scalar(args, 0), vector(args, 1), timestampMs);
      default ->
          throw new IllegalArgumentException(
              function.functionName() + " is not an instant-vector function");
    };
  }

  /** The only sample's value, or NaN when there are none or several. */
  private static Scalar scalarOf(InstantVector vector, long timestampMs) {
    List<Sample> samples = vector.samples();
    return new Scalar(timestampMs, samples.size() == 1 ? samples.get(0).value() : Double.NaN);
  }

  /**
   * Each sample's own timestamp in seconds, so the caller passes selector samples with their stored
   * timestamps and other expressions' samples at the evaluation time, as Prometheus does.
   */
  private static InstantVector timestamps(InstantVector vector, long timestampMs) {
    List<Sample> out = new ArrayList<>(vector.samples().size());
    for (Sample sample : vector.samples()) {
      out.add(
          new Sample(
              sample.labels().withoutMetricName(), timestampMs, sample.timestampMs() / 1000.0));
    }
    return new InstantVector(out);
  }

  private static InstantVector sorted(InstantVector vector, boolean ascending, long timestampMs) {
    List<Sample> out = new ArrayList<>(vector.samples().size());
    for (Sample sample : GoSort.byValueNanLast(vector.samples(), ascending)) {
      out.add(new Sample(sample.labels(), timestampMs, sample.value()));
    }
    return new InstantVector(out);
  }

  private static InstantVector vector(List<Value> args, int index) {
    if (args.get(index) instanceof InstantVector vector) {
      return vector;
    }
    throw new IllegalArgumentException("argument " + (index + 1) + " must be an instant vector");
  }

  private static double scalar(List<Value> args, int index) {
    if (args.get(index) instanceof Scalar scalar) {
      return scalar.value();
    }
    throw new IllegalArgumentException("argument " + (index + 1) + " must be a scalar");
  }

  private static String string(List<Value> args, int index) {
    if (args.get(index) instanceof StringValue string) {
      return string.value();
    }
    throw new IllegalArgumentException("argument " + (index + 1) + " must be a string");
  }
}
