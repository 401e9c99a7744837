package io.meridian.protocol.exposition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The OpenMetrics rules a family must keep beyond line syntax: suffixes, values, buckets. */
final class OpenMetricsValidator {

  private OpenMetricsValidator() {}

  static List<String> suffixes(MetricType type) {
    return switch (type) {
      case COUNTER -> List.of("_total", "_created");
      case HISTOGRAM -> List.of("_bucket", "_count", "_sum", "_created");
      case GAUGEHISTOGRAM -> List.of("_bucket", "_gcount", "_gsum");
      case SUMMARY -> List.of("", "_count", "_sum", "_created");
      case INFO -> List.of("_info");
      default -> List.of("");
    };
  }

  static boolean belongsTo(FamilyBuilder family, String sampleName) {
    return suffixes(family.type()).stream()
        .anyMatch(suffix -> sampleName.equals(family.name() + suffix));
  }

  static void checkSample(FamilyBuilder family, SampleLine sample, int line) {
    String suffix = sample.name().substring(family.name().length());
    MetricType type = family.type();
    double value = sample.value();
    if (sample.hasExemplar() && !suffix.equals("_bucket") && !suffix.equals("_total")) {
      fail(line, "exemplars are only allowed on histogram buckets and counter totals");
    }
    boolean histogram = type == MetricType.HISTOGRAM || type == MetricType.GAUGEHISTOGRAM;
    if (suffix.equals("_total")
        || suffix.equals("_bucket")
        || suffix.equals("_count")
        || suffix.equals("_gcount")) {
      if (Double.isNaN(value) || value < 0) {
        fail(line, sample.name() + " must be a non-negative number, got " + value);
      }
    }
    if (histogram && suffix.equals("_bucket")) {
      String le = sample.labels().get("le");
      if (le == null) {
        fail(line, "histogram bucket " + sample.name() + " has no le label");
      }
      // Python and Go clients both write "+Inf"; other spellings break bucket identity.
      if (Double.isInfinite(Numbers.value(le, true, line)) && !le.equals("+Inf")) {
        fail(line, "le \"" + le + "\" must be written +Inf");
      }
    }
    if (type == MetricType.SUMMARY && suffix.isEmpty()) {
      String quantile = sample.labels().get("quantile");
      if (quantile == null) {
        fail(line, "summary quantile " + sample.name() + " has no quantile label");
      }
      double q = Numbers.value(quantile, true, line);
      if (!(q >= 0 && q <= 1)) {
        fail(line, "quantile " + quantile + " is not between 0 and 1");
      }
    }
    if (type == MetricType.INFO && value != 1) {
      fail(line, "info metric value must be 1, got " + value);
    }
    if (type == MetricType.STATESET) {
      if (value != 0 && value != 1) {
        fail(line, "stateset value must be 0 or 1, got " + value);
      }
      if (!sample.labels().containsKey(family.name())) {
        fail(line, "stateset sample needs a label named " + family.name());
      }
    }
  }

  /**
   * Checks a complete family: each label set's samples are contiguous and unique, and histogram
   * buckets ascend in le with non-decreasing counts up to a +Inf bucket that equals the count.
   */
  static void checkFamily(FamilyBuilder family) {
    Map<Map<String, String>, List<Integer>> groups = new LinkedHashMap<>();
    Set<String> distinct = new HashSet<>();
    Map<String, String> previousGroup = null;
    List<Sample> samples = family.samples();
    for (int i = 0; i < samples.size(); i++) {
      Sample sample = samples.get(i);
      int line = family.lineOf(i);
      if (!distinct.add(sample.name() + sample.labels())) {
        fail(line, "duplicate sample " + sample.name() + sample.labels());
      }
      Map<String, String> group = groupKey(family, sample);
      if (!group.equals(previousGroup) && groups.containsKey(group)) {
        fail(line, "samples of " + family.name() + group + " are not contiguous");
      }
      groups.computeIfAbsent(group, g -> new ArrayList<>()).add(i);
      previousGroup = group;
    }
    if (family.type() == MetricType.HISTOGRAM || family.type() == MetricType.GAUGEHISTOGRAM) {
      for (List<Integer> group : groups.values()) {
        checkBuckets(family, group);
      }
    }
  }

  private static Map<String, String> groupKey(FamilyBuilder family, Sample sample) {
    Map<String, String> key = new LinkedHashMap<>(sample.labels());
    switch (family.type()) {
      case HISTOGRAM, GAUGEHISTOGRAM -> key.remove("le");
      case SUMMARY -> key.remove("quantile");
      case STATESET -> key.remove(family.name());
      default -> {}
    }
    return key;
  }

  private static void checkBuckets(FamilyBuilder family, List<Integer> group) {
    double previousLe = Double.NaN;
    double previousCount = 0;
    Double infCount = null;
    Double count = null;
    boolean hasSum = false;
    boolean afterBuckets = false;
    int lastLine = family.lineOf(group.get(group.size() - 1));
    for (int index : group) {
      Sample sample = family.samples().get(index);
      int line = family.lineOf(index);
      String suffix = sample.name().substring(family.name().length());
      if (suffix.equals("_count") || suffix.equals("_gcount")) {
        count = sample.value();
      } else if (suffix.equals("_sum") || suffix.equals("_gsum")) {
        hasSum = true;
      }
      if (!suffix.equals("_bucket")) {
        afterBuckets = true;
        continue;
      }
      if (afterBuckets) {
        fail(line, "histogram bucket of " + family.name() + " after its count, sum or created");
      }
      double le = Numbers.value(sample.labels().get("le"), true, line);
      if (Double.isNaN(le) || (!Double.isNaN(previousLe) && le <= previousLe)) {
        fail(line, "histogram buckets of " + family.name() + " are not in ascending le order");
      }
      if (sample.value() < previousCount) {
        fail(line, "histogram bucket counts of " + family.name() + " decrease");
      }
      previousLe = le;
      previousCount = sample.value();
      if (le == Double.POSITIVE_INFINITY) {
        infCount = sample.value();
      }
    }
    if (infCount == null) {
      fail(lastLine, "histogram " + family.name() + " has no +Inf bucket");
    }
    if ((count != null) != hasSum) {
      fail(lastLine, "count and sum of histogram " + family.name() + " must appear together");
    }
    if (count != null && count.doubleValue() != infCount.doubleValue()) {
      fail(lastLine, "count of histogram " + family.name() + " differs from its +Inf bucket");
    }
  }

  private static void fail(int line, String message) {
    throw new ExpositionException(line, message);
  }
}
