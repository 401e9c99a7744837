package io.meridian.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

class LogBenchmarkTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void spansAreReadWithAUnitOrAsIso8601() {
    SpanConverter converter = new SpanConverter();
    assertThat(converter.convert("24h")).isEqualTo(Duration.ofHours(24));
    assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(converter.convert("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(converter.convert("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert("PT2H30M")).isEqualTo(Duration.ofMinutes(150));
    assertThat(SpanConverter.format(Duration.ofHours(24))).isEqualTo("24h");
    assertThat(SpanConverter.format(Duration.ofDays(7))).isEqualTo("7d");
    assertThat(SpanConverter.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(SpanConverter.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThatThrownBy(() -> converter.convert("1 day"))
        .isInstanceOf(TypeConversionException.class);
    assertThatThrownBy(() -> converter.convert("0s")).isInstanceOf(TypeConversionException.class);
  }

  @Test
  void optionsHaveTheDocumentedDefaults() {
    LogBenchmark bench = new LogBenchmark();
    new CommandLine(bench).parseArgs();
    assertThat(bench.url).isEqualTo("http://127.0.0.1:4242");
    assertThat(bench.entries).isEqualTo(1_000_000);
    assertThat(bench.batch).isEqualTo(1000);
    assertThat(bench.concurrency).isEqualTo(4);
    assertThat(bench.span).isEqualTo(Duration.ofHours(24));
    assertThat(bench.excerpts).isEqualTo(200);

    new CommandLine(bench).parseArgs("--span", "2h", "--entries", "5000", "--services", "3");
    assertThat(bench.span).isEqualTo(Duration.ofHours(2));
    assertThat(bench.entries).isEqualTo(5000);
    assertThat(bench.services).isEqualTo(3);
  }

  @Test
  void generatedEntriesSpreadOverTheSpanAndAreCountedPerRange() throws Exception {
    GeneratedLog log = new GeneratedLog(1000, 7, 10_000, 20_000);
    List<Long> timestamps = new ArrayList<>();
    for (long i = 0; i < log.entries(); i++) {
      JsonNode entry = MAPPER.readTree(log.line(i));
      for (String required : List.of("timestamp", "ip", "pid", "service", "level", "msg")) {
        assertThat(entry.has(required)).as(required + " in " + entry).isTrue();
      }
      assertThat(entry.path("level").asInt()).isBetween(0, 5);
      assertThat(entry.path("timestamp").asLong()).isEqualTo(log.timestamp(i));
      timestamps.add(log.timestamp(i));
    }
    assertThat(timestamps).isSorted().allMatch(t -> t > 10_000 && t <= 20_000);
    assertThat(timestamps.get(timestamps.size() - 1)).isEqualTo(20_000);

    for (long[] range : new long[][] {{10_000, 20_000}, {12_345, 12_400}, {15_000, 15_010}}) {
      long expected = timestamps.stream().filter(t -> t > range[0] && t <= range[1]).count();
      assertThat(log.countIn(range[0], range[1])).isEqualTo(expected);
    }
  }

  @Test
  void latenciesAreNearestRankPercentiles() {
    long[] nanos = new long[100];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = (100 - i) * 1_000_000L;
    }
    Latencies latencies = Latencies.of(nanos);
    assertThat(latencies.p50Millis()).isEqualTo(50.0);
    assertThat(latencies.p99Millis()).isEqualTo(99.0);
    assertThat(latencies.format()).isEqualTo("p50 50.0 ms, p99 99.0 ms, max 100.0 ms");
    assertThat(Latencies.of(new long[0]).count()).isZero();
  }

  @Test
  void ingestsEveryEntryAsNdjsonAndReportsExcerptsAndALongPoll() throws Exception {
    try (FakeLogNode node = new FakeLogNode()) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit =
          new CommandLine(new LogBenchmark())
              .setOut(new PrintWriter(out))
              .setErr(new PrintWriter(err))
              .execute(
                  "--url", node.url(),
                  "--entries", "5000",
                  "--batch", "300",
                  "--concurrency", "3",
                  "--span", "2h",
                  "--excerpts", "9");

      assertThat(exit).as(out + "\n" + err).isZero();
      // Every generated entry, and the long poll's probe.
      assertThat(node.size()).isEqualTo(5001);
      assertThat(node.contentTypes()).hasSize(17 + 1).contains("application/x-ndjson");
      assertThat(out.toString())
          .contains(
              "logs: 5000 entries in 17 NDJSON requests of 300 lines, 20 services, over 2h ending")
          .contains("failed requests: 0")
          .contains("POST latency: p50 ")
          .contains("excerpts over 1m ranges: 5 queries")
          .contains("excerpts over 1h ranges: 4 queries")
          .contains("counts other than generated: 0")
          .contains("long poll: answered 200 (entries: 1)");
    }
  }
}
