package io.meridian.protocol.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the parser-suite cases under {@code src/test/resources/openmetrics-parsers}: one directory
 * per case holding the input ({@code metrics}), the suite's verdict ({@code test.json}, {@code
 * shouldParse}) and, for some valid cases, the content the parse must yield ({@code
 * expected.properties}). See the README there for where each group of cases comes from.
 */
class OpenMetricsParserSuiteTest {

  private static final String OM = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final ObjectMapper JSON = new ObjectMapper();

  record SuiteCase(String name, Path dir) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<SuiteCase> cases() throws IOException, URISyntaxException {
    Path root =
        Path.of(OpenMetricsParserSuiteTest.class.getResource("/openmetrics-parsers").toURI());
    List<SuiteCase> cases = new ArrayList<>();
    try (Stream<Path> groups = Files.list(root)) {
      for (Path group : groups.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> dirs = Files.list(group)) {
          dirs.filter(Files::isDirectory)
              .sorted()
              .forEach(
                  dir ->
                      cases.add(new SuiteCase(group.getFileName() + "/" + dir.getFileName(), dir)));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theParserAgreesWithTheSuite(SuiteCase suiteCase) throws IOException {
    String body = Files.readString(suiteCase.dir().resolve("metrics"), StandardCharsets.UTF_8);
    JsonNode verdict = JSON.readTree(suiteCase.dir().resolve("test.json").toFile());

    ParseResult result = ExpositionParser.parse(body, OM, 42L);

    if (verdict.path("shouldParse").asBoolean()) {
      assertThat(result).as("%s should parse", suiteCase).isInstanceOf(ParseResult.Parsed.class);
      Path expected = suiteCase.dir().resolve("expected.properties");
      if (Files.exists(expected)) {
        checkContent(suiteCase, (ParseResult.Parsed) result, load(expected));
      }
    } else {
      int lines = body.split("\n", -1).length;
      assertThat(result)
          .as("%s should be rejected", suiteCase)
          .isInstanceOfSatisfying(
              ParseResult.Failed.class,
              failed -> {
                assertThat(failed.failReason()).isNotBlank();
                assertThat(failed.line()).isBetween(1, lines);
              });
    }
  }

  /**
   * Keys: {@code families} and {@code samples} (counts), {@code type.<family>}, {@code
   * help.<family>}, {@code unit.<family>}, and per sample in exposition order {@code value.<i>},
   * {@code ts.<i>} (milliseconds, or {@code none}) and {@code label.<i>.<name>}.
   */
  private static void checkContent(
      SuiteCase suiteCase, ParseResult.Parsed parsed, Properties want) {
    List<MetricFamily> families = parsed.families();
    List<Sample> samples = families.stream().flatMap(f -> f.samples().stream()).toList();
    for (String key : want.stringPropertyNames()) {
      String expected = want.getProperty(key);
      String[] parts = key.split("\\.", 3);
      String actual =
          switch (parts[0]) {
            case "families" -> String.valueOf(families.size());
            case "samples" -> String.valueOf(samples.size());
            case "type" -> family(families, parts[1]).type().name();
            case "help" -> family(families, parts[1]).help();
            case "unit" -> family(families, parts[1]).unit();
            case "value" -> String.valueOf(samples.get(Integer.parseInt(parts[1])).value());
            case "ts" -> {
              var ts = samples.get(Integer.parseInt(parts[1])).timestampMs();
              yield ts.isPresent() ? String.valueOf(ts.getAsLong()) : "none";
            }
            case "label" -> samples.get(Integer.parseInt(parts[1])).labels().get(parts[2]);
            default -> throw new IllegalArgumentException("unknown expectation " + key);
          };
      assertThat(actual).as("%s: %s", suiteCase, key).isEqualTo(expected);
    }
  }

  private static MetricFamily family(List<MetricFamily> families, String name) {
    return families.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  private static Properties load(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    return properties;
  }

  @Test
  void everyCaseDirectoryIsComplete() throws IOException, URISyntaxException {
    List<SuiteCase> all = cases().toList();

    assertThat(all).hasSizeGreaterThan(250);
    assertThat(all)
        .allSatisfy(
            c -> {
              assertThat(c.dir().resolve("metrics")).exists();
              assertThat(c.dir().resolve("test.json")).exists();
            });
  }
}
