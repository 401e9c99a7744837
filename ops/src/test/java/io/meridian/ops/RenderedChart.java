package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifests {@code helm template} renders from {@code charts/meridian} for one release and one
 * values file, parsed, with the parts the tests look at.
 */
record RenderedChart(String release, List<JsonNode> manifests) {

  static final Path CHART = Path.of("../charts/meridian");

  static final String NAMESPACE = "observability";

  private static final YAMLMapper YAML = new YAMLMapper();

  /** Renders the chart as {@code helm template <release> -n observability -f <values>} does. */
  static RenderedChart render(String release, Path values) {
    String text =
        new Helm(CHART)
            .template()
            .withName(release)
            .withNamespace(NAMESPACE)
            .withValuesFile(values)
            .call();
    return new RenderedChart(release, parse(text));
  }

  /** Writes {@code yaml} as a values file in {@code dir}. */
  static Path values(Path dir, String yaml) {
    try {
      return Files.writeString(Files.createTempFile(dir, "values", ".yaml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<JsonNode> parse(String text) {
    List<JsonNode> manifests = new ArrayList<>();
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        // "---" after the last manifest, or a template that rendered nothing.
        if (document != null && !document.isNull() && !document.isEmpty()) {
          manifests.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("helm template rendered YAML that does not parse", e);
    }
    return manifests;
  }

  List<JsonNode> ofKind(String kind) {
    return manifests.stream().filter(m -> m.path("kind").asText().equals(kind)).toList();
  }

  JsonNode one(String kind) {
    List<JsonNode> found = ofKind(kind);
    assertThat(found).as("manifests of kind %s", kind).hasSize(1);
    return found.get(0);
  }

  JsonNode named(String kind, String name) {
    return ofKind(kind).stream()
        .filter(m -> m.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
  }

  JsonNode podSpec() {
    return one("Deployment").path("spec").path("template").path("spec");
  }

  JsonNode container() {
    JsonNode containers = podSpec().path("containers");
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  /** The node container's environment: name → its entry ({@code value} or {@code valueFrom}). */
  Map<String, JsonNode> env() {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    container().path("env").forEach(entry -> env.put(entry.path("name").asText(), entry));
    return env;
  }

  /** A key of a rendered Secret, decoded. */
  String secretValue(String secret, String key) {
    String encoded = named("Secret", secret).path("data").path(key).asText();
    assertThat(encoded).as("key %s of Secret %s", key, secret).isNotEmpty();
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }

  /** A map of the string fields of {@code node}, e.g. labels. */
  static Map<String, String> strings(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    node.fields().forEachRemaining(field -> map.put(field.getKey(), field.getValue().asText()));
    return map;
  }
}
