package io.meridian.protocol.exposition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * OpenMetrics 1.0.0 text: metadata and samples of one family are contiguous, the body ends with
 * {@code # EOF}, and every family is checked by {@link OpenMetricsValidator} once complete.
 */
final class OpenMetricsParser {

  private static final String EOF = "# EOF";

  private final SampleLineParser samples = new SampleLineParser(true);
  private final List<MetricFamily> families = new ArrayList<>();
  private final Set<String> seen = new HashSet<>();
  private final Set<String> reservedNames = new HashSet<>();
  private FamilyBuilder current;
  private MetricPointOrder order;

  List<MetricFamily> parse(String body) {
    String[] lines = body.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String text = lines[i];
      int line = i + 1;
      boolean last = i == lines.length - 1;
      if (text.equals(EOF)) {
        // Only a single newline may follow the EOF marker.
        if (!last && !(i == lines.length - 2 && lines[i + 1].isEmpty())) {
          throw new ExpositionException(line + 1, "unexpected content after # EOF");
        }
        finishCurrent();
        return families;
      }
      if (last && text.isEmpty()) {
        break;
      }
      if (text.isEmpty()) {
        throw new ExpositionException(line, "blank lines are not allowed");
      }
      if (text.startsWith("#")) {
        metadata(text, line);
      } else {
        sample(samples.parse(text, line), line);
      }
    }
    throw new ExpositionException(lines.length, "missing # EOF as the last line");
  }

  private void metadata(String text, int line) {
    LineCursor cursor = new LineCursor(text, line, 0);
    cursor.expect('#', "'#'");
    cursor.expect(' ', "a space after '#'");
    String keyword = cursor.token();
    if (!keyword.equals("HELP") && !keyword.equals("TYPE") && !keyword.equals("UNIT")) {
      throw cursor.fail("invalid comment; only # HELP, # TYPE, # UNIT and # EOF are allowed");
    }
    cursor.expect(' ', "a space after " + keyword);
    String name = cursor.metricName();
    if (name.isEmpty()) {
      throw cursor.fail("invalid metric name in " + keyword + " line");
    }
    cursor.expect(' ', "a space after the metric name in " + keyword + " line");
    FamilyBuilder family = familyForMetadata(name, line);
    switch (keyword) {
      case "HELP" -> {
        if (family.hasHelp()) {
          throw cursor.fail("duplicate HELP for metric family " + name);
        }
        family.help(Escapes.unescape(cursor.rest(), true));
      }
      case "TYPE" -> {
        if (family.hasType()) {
          throw cursor.fail("duplicate TYPE for metric family " + name);
        }
        String type = cursor.rest();
        family.type(
            MetricType.fromOpenMetrics(type)
                .orElseThrow(() -> cursor.fail("invalid metric type \"" + type + "\"")));
      }
      default -> {
        if (family.hasUnit()) {
          throw cursor.fail("duplicate UNIT for metric family " + name);
        }
        String unit = cursor.rest();
        if (!unit.isEmpty() && !name.endsWith("_" + unit)) {
          throw cursor.fail("unit \"" + unit + "\" is not a suffix of metric family " + name);
        }
        family.unit(unit);
      }
    }
  }

  private FamilyBuilder familyForMetadata(String name, int line) {
    if (current != null && current.name().equals(name)) {
      if (current.hasSamples()) {
        throw new ExpositionException(line, "metadata for " + name + " after its samples");
      }
      return current;
    }
    startFamily(name, line);
    return current;
  }

  private void sample(SampleLine sample, int line) {
    if (current == null || !OpenMetricsValidator.belongsTo(current, sample.name())) {
      if (current != null
          && (sample.name().equals(current.name())
              || (!current.hasSamples() && sample.name().startsWith(current.name() + "_")))) {
        throw new ExpositionException(
            line,
            "sample "
                + sample.name()
                + " is not allowed in "
                + current.type().name().toLowerCase(Locale.ROOT)
                + " metric family "
                + current.name());
      }
      startFamily(sample.name(), line);
    }
    OpenMetricsValidator.checkSample(current, sample, line);
    if (order.accept(current, sample, line)) {
      current.add(sample.toSample(), line, sample.exactTimestamp());
    }
  }

  private void startFamily(String name, int line) {
    finishCurrent();
    if (!seen.add(name)) {
      throw new ExpositionException(
          line, "metric family " + name + " is interleaved with another family");
    }
    current = new FamilyBuilder(name, MetricType.UNKNOWN, line);
    order = new MetricPointOrder();
  }

  private static Set<String> reservedSuffixes(MetricType type) {
    Set<String> suffixes = new HashSet<>(OpenMetricsValidator.suffixes(type));
    suffixes.add("");
    return suffixes;
  }

  private void finishCurrent() {
    if (current != null) {
      OpenMetricsValidator.checkFamily(current);
      // Every family owns the sample names its type may use; a later family must not reuse one,
      // or its series would be indistinguishable from the earlier family's.
      for (String suffix : reservedSuffixes(current.type())) {
        if (!reservedNames.add(current.name() + suffix)) {
          throw new ExpositionException(
              current.firstLine(),
              "metric family "
                  + current.name()
                  + " clashes with "
                  + current.name()
                  + suffix
                  + ", a sample name of an earlier family");
        }
      }
      families.add(current.build());
      current = null;
    }
  }
}
