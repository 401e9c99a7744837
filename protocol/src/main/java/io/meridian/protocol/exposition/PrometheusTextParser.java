package io.meridian.protocol.exposition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus text format 0.0.4, read as leniently as Prometheus does: blank lines and free
 * comments are skipped, families need not be contiguous, and samples without a TYPE are untyped.
 */
final class PrometheusTextParser {

  private final SampleLineParser samples = new SampleLineParser(false);
  private final Map<String, FamilyBuilder> families = new LinkedHashMap<>();

  List<MetricFamily> parse(String body) {
    String[] lines = body.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String text =
          lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      int line = i + 1;
      String trimmed = text.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (trimmed.startsWith("#")) {
        comment(text, line);
      } else {
        sample(samples.parse(text, line), line);
      }
    }
    return families.values().stream().map(FamilyBuilder::build).toList();
  }

  private void comment(String text, int line) {
    LineCursor cursor = new LineCursor(text, line, text.indexOf('#') + 1);
    cursor.skipBlanks();
    String keyword = cursor.token();
    if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
      return;
    }
    cursor.skipBlanks();
    String name = cursor.metricName();
    if (name.isEmpty() || !(cursor.atEnd() || cursor.peek(' ') || cursor.peek('\t'))) {
      throw cursor.fail("invalid metric name in " + keyword + " line");
    }
    cursor.skipBlanks();
    FamilyBuilder family =
        families.computeIfAbsent(name, n -> new FamilyBuilder(n, MetricType.UNTYPED, line));
    if (keyword.equals("HELP")) {
      if (family.hasHelp()) {
        throw cursor.fail("second HELP line for metric name " + name);
      }
      family.help(Escapes.unescape(cursor.rest(), false));
      return;
    }
    if (family.hasType() || family.hasSamples()) {
      throw cursor.fail("second TYPE line for metric name " + name + ", or TYPE after samples");
    }
    String type = cursor.rest().strip();
    family.type(
        MetricType.fromPrometheusText(type)
            .orElseThrow(() -> cursor.fail("invalid metric type \"" + type + "\"")));
  }

  private void sample(SampleLine sample, int line) {
    familyOf(sample.name(), line).add(sample.toSample(), line);
  }

  /** Histogram and summary series carry suffixes; they belong to the family their TYPE named. */
  private FamilyBuilder familyOf(String name, int line) {
    FamilyBuilder exact = families.get(name);
    if (exact != null) {
      return exact;
    }
    for (String suffix : List.of("_bucket", "_count", "_sum")) {
      if (name.endsWith(suffix)) {
        FamilyBuilder base = families.get(name.substring(0, name.length() - suffix.length()));
        if (base != null
            && (base.type() == MetricType.HISTOGRAM
                || (base.type() == MetricType.SUMMARY && !suffix.equals("_bucket")))) {
          return base;
        }
      }
    }
    return families.computeIfAbsent(name, n -> new FamilyBuilder(n, MetricType.UNTYPED, line));
  }
}
