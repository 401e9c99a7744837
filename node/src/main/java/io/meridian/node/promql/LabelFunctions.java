package io.meridian.node.promql;

import io.meridian.node.promql.Value.InstantVector;
import io.meridian.node.promql.Value.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.PatternSyntaxException;

/**
 * {@code label_replace} and {@code label_join}: they rewrite one label of every sample and, unlike
 * other functions, keep {@code __name__}. An empty result removes the label.
 */
final class LabelFunctions {

  private LabelFunctions() {}

  static InstantVector labelReplace(
      InstantVector vector,
      String dst,
      String replacement,
      String src,
      String regex,
      long timestampMs) {
    GoRegex compiled;
    try {
      compiled = GoRegex.anchored(regex);
    } catch (PatternSyntaxException e) {
      throw execution("invalid regular expression in label_replace(): " + regex);
    }
    if (!GoStrings.isValidLabelName(dst)) {
      throw execution("invalid destination label name in label_replace(): " + dst);
    }
    List<Sample> out = new ArrayList<>(vector.samples().size());
    for (Sample sample : vector.samples()) {
      String srcValue = sample.labels().map().getOrDefault(src, "");
      Matcher match = compiled.match(srcValue);
      Labels labels = sample.labels();
      if (match != null) {
        labels = labels.with(dst, compiled.expand(replacement, match));
      }
      out.add(new Sample(labels, timestampMs, sample.value()));
    }
    return new InstantVector(out);
  }

  static InstantVector labelJoin(
      InstantVector vector, String dst, String separator, List<String> srcs, long timestampMs) {
    for (String src : srcs) {
      if (!GoStrings.isValidLabelName(src)) {
        throw execution("invalid source label name in label_join(): " + src);
      }
    }
    if (!GoStrings.isValidLabelName(dst)) {
      throw execution("invalid destination label name in label_join(): " + dst);
    }
    List<Sample> out = new ArrayList<>(vector.samples().size());
    for (Sample sample : vector.samples()) {
      List<String> values = new ArrayList<>(srcs.size());
      srcs.forEach(src -> values.add(sample.labels().map().getOrDefault(src, "")));
      Labels labels = sample.labels().with(dst, String.join(separator, values));
      out.add(new Sample(labels, timestampMs, sample.value()));
    }
    return new InstantVector(out);
  }

  private static PromQlException execution(String message) {
    return new PromQlException(PromQlException.Kind.EXECUTION, message);
  }
}
