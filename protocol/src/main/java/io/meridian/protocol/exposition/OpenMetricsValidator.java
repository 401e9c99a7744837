package io.meridian.protocol.exposition;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenMetrics 1.0 rules a family must keep beyond line syntax: suffixes per type, values per
 * type, units, and the shape of histogram buckets.
 */
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

  /**
   * The label set that identifies a sample's Metric within its family: the histogram's {@code le},
   * the summary's {@code quantile} and the stateset's state label vary within one MetricPoint.
   */
  static Map<String, String> groupKey(FamilyBuilder family, Sample sample) {
    Map<String, String> key = new LinkedHashMap<>(sample.labels());
    String suffix = sample.name().substring(family.name().length());
    switch (family.type()) {
      case HISTOGRAM, GAUGEHISTOGRAM -> {
        if (suffix.equals("_bucket")) {
          key.remove("le");
        }
      }
      case SUMMARY -> {
        if (suffix.isEmpty()) {
          key.remove("quantile");
        }
      }
      case STATESET -> key.remove(family.name());
      default -> {}
    }
    return key;
  }

  static void checkSample(FamilyBuilder family, SampleLine sample, int line) {
    String suffix = sample.name().substring(family.name().length());
    MetricType type = family.type();
    double value = sample.value();
    boolean histogram = type == MetricType.HISTOGRAM || type == MetricType.GAUGEHISTOGRAM;
    if (sample.hasExemplar()
        && !(histogram && suffix.equals("_bucket"))
        && !(type == MetricType.COUNTER && suffix.equals("_total"))) {
      fail(line, "exemplars are only allowed on histogram buckets and counter totals");
    }
    // Counter-like values: the spec says they are counters, so never NaN and never negative.
    // A gauge histogram's gsum is a gauge and may be negative (checked per MetricPoint).
    boolean counterLike =
        suffix.equals("_total")
            || suffix.equals("_bucket")
            || suffix.equals("_gcount")
            || ((histogram || type == MetricType.SUMMARY)
                && (suffix.equals("_count") || suffix.equals("_sum")));
    if (counterLike && (Double.isNaN(value) || value < 0)) {
      fail(line, sample.name() + " must be a non-negative number, got " + value);
    }
    if (suffix.equals("_gsum") && Double.isNaN(value)) {
      fail(line, sample.name() + " must not be NaN");
    }
    boolean integral =
        (histogram
                && (suffix.equals("_bucket")
                    || suffix.equals("_count")
                    || suffix.equals("_gcount")))
            || (type == MetricType.SUMMARY && suffix.equals("_count"));
    if (integral && value != Math.rint(value) && !Double.isInfinite(value)) {
      fail(line, sample.name() + " must be an integer count, got " + value);
    }
    if (histogram && suffix.equals("_bucket")) {
      String le = sample.labels().get("le");
      if (le == null) {
        fail(line, "histogram bucket " + sample.name() + " has no le label");
      }
      double threshold = Numbers.value(le, true, line);
      if (Double.isNaN(threshold)) {
        fail(line, "histogram bucket le must not be NaN");
      }
      // +Inf is the one canonical number parsers must insist on: it names the total bucket.
      if (Double.isInfinite(threshold) && threshold > 0 && !le.equals("+Inf")) {
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
      if (value < 0) {
        fail(line, "quantile values must not be negative, got " + value);
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
   * Checks a complete family: units are allowed for its type and, for histograms, each MetricPoint
   * (one label set at one timestamp) has ascending buckets with non-decreasing counts up to a +Inf
   * bucket that equals the count.
   */
  static void checkFamily(FamilyBuilder family) {
    if (family.hasUnit()
        && !family.unit().isEmpty()
        && (family.type() == MetricType.INFO || family.type() == MetricType.STATESET)) {
      fail(
          family.firstLine(),
          "metric family "
              + family.name()
              + " of type "
              + family.type().name().toLowerCase(Locale.ROOT)
              + " must not have a unit");
    }
    if (family.type() != MetricType.HISTOGRAM && family.type() != MetricType.GAUGEHISTOGRAM) {
      return;
    }
    List<Integer> point = new ArrayList<>();
    Map<String, String> pointGroup = null;
    Optional<BigDecimal> pointTimestamp = Optional.empty();
    List<Sample> samples = family.samples();
    for (int i = 0; i < samples.size(); i++) {
      Map<String, String> group = groupKey(family, samples.get(i));
      Optional<BigDecimal> timestamp = family.exactTimestampOf(i);
      if (!point.isEmpty() && (!group.equals(pointGroup) || !sameTime(timestamp, pointTimestamp))) {
        checkBuckets(family, point);
        point = new ArrayList<>();
      }
      point.add(i);
      pointGroup = group;
      pointTimestamp = timestamp;
    }
    if (!point.isEmpty()) {
      checkBuckets(family, point);
    }
  }

  /** Compares by value: 1 and 1.0 are the same instant. */
  private static boolean sameTime(Optional<BigDecimal> a, Optional<BigDecimal> b) {
    return a.isPresent() == b.isPresent() && (a.isEmpty() || a.get().compareTo(b.get()) == 0);
  }

  private static void checkBuckets(FamilyBuilder family, List<Integer> point) {
    double previousLe = Double.NaN;
    double previousCount = 0;
    Double infCount = null;
    Double count = null;
    Double sum = null;
    boolean negativeThreshold = false;
    boolean afterBuckets = false;
    int lastLine = family.lineOf(point.get(point.size() - 1));
    for (int index : point) {
      Sample sample = family.samples().get(index);
      int line = family.lineOf(index);
      String suffix = sample.name().substring(family.name().length());
      if (suffix.equals("_count") || suffix.equals("_gcount")) {
        count = sample.value();
      } else if (suffix.equals("_sum") || suffix.equals("_gsum")) {
        sum = sample.value();
      }
      if (!suffix.equals("_bucket")) {
        afterBuckets = true;
        continue;
      }
      if (afterBuckets) {
        fail(line, "histogram bucket of " + family.name() + " after its count, sum or created");
      }
      double le = Numbers.value(sample.labels().get("le"), true, line);
      if (!Double.isNaN(previousLe) && le <= previousLe) {
        fail(line, "histogram buckets of " + family.name() + " are not in ascending le order");
      }
      if (sample.value() < previousCount) {
        fail(line, "histogram bucket counts of " + family.name() + " decrease");
      }
      negativeThreshold |= le < 0;
      previousLe = le;
      previousCount = sample.value();
      if (le == Double.POSITIVE_INFINITY) {
        infCount = sample.value();
      }
    }
    if (infCount == null) {
      fail(lastLine, "histogram " + family.name() + " has no +Inf bucket");
    }
    if ((count != null) != (sum != null)) {
      fail(lastLine, "count and sum of histogram " + family.name() + " must appear together");
    }
    if (count != null && count.doubleValue() != infCount.doubleValue()) {
      fail(lastLine, "count of histogram " + family.name() + " differs from its +Inf bucket");
    }
    if (sum != null && family.type() == MetricType.HISTOGRAM && negativeThreshold) {
      fail(
          lastLine,
          "histogram " + family.name() + " has negative buckets, so it must not have a sum");
    }
    if (sum != null
        && family.type() == MetricType.GAUGEHISTOGRAM
        && sum < 0
        && !negativeThreshold) {
      fail(lastLine, "gsum of " + family.name() + " is negative but no bucket is");
    }
  }

  static void fail(int line, String message) {
    throw new ExpositionException(line, message);
  }
}
