package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The CLI's state in {@code ~/.meridian/config.json} (directory {@code MERIDIAN_HOME}): the current
 * target, the credential stored for each target by {@code meridian login}, and this installation's
 * member id (the {@code memberId} the OpenMetrics API records as the last modifier). The file holds
 * secrets, so it is written atomically and readable by its owner only (mode 0600, directory 0700).
 */
final class CliConfig {

  /** The target used when none was ever set: a node started by {@code bin/meridian run}. */
  static final String DEFAULT_TARGET = "http://localhost:4242";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A credential stored for a target: an API key, or an OAuth access token until it expires. */
  record Credential(String token, String kind, Long expiresAtMs) {

    boolean expired(long nowMs) {
      return expiresAtMs != null && expiresAtMs <= nowMs;
    }
  }

  private final Path dir;
  private String target;
  private String memberId;
  private final Map<String, Credential> credentials;

  private CliConfig(Path dir, String target, String memberId, Map<String, Credential> credentials) {
    this.dir = dir;
    this.target = target;
    this.memberId = memberId;
    this.credentials = credentials;
  }

  /** The directory: {@code --home}, else {@code MERIDIAN_HOME}, else {@code ~/.meridian}. */
  static Path home(Path option) {
    if (option != null) {
      return option;
    }
    String env = System.getenv("MERIDIAN_HOME");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".meridian");
  }

  static CliConfig load(Path dir) {
    Path file = dir.resolve("config.json");
    Map<String, Credential> credentials = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return new CliConfig(dir, null, null, credentials);
    }
    try {
      JsonNode json = JSON.readTree(file.toFile());
      for (Iterator<Map.Entry<String, JsonNode>> it = json.path("tokens").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        JsonNode value = entry.getValue();
        credentials.put(
            entry.getKey(),
            new Credential(
                value.path("token").asText(),
                value.path("kind").asText("key"),
                value.hasNonNull("expires_at_ms") ? value.get("expires_at_ms").asLong() : null));
      }
      return new CliConfig(
          dir,
          json.hasNonNull("target") ? json.get("target").asText() : null,
          json.hasNonNull("member_id") ? json.get("member_id").asText() : null,
          credentials);
    } catch (IOException e) {
      throw new CliException("Cannot read " + file + ": " + e.getMessage());
    }
  }

  Path file() {
    return dir.resolve("config.json");
  }

  /** The target set by {@code meridian target}, if any. */
  Optional<String> target() {
    return Optional.ofNullable(target);
  }

  void target(String url) {
    this.target = url;
  }

  Optional<Credential> credential(String target) {
    return Optional.ofNullable(credentials.get(target));
  }

  void credential(String target, Credential credential) {
    credentials.put(target, credential);
  }

  boolean forget(String target) {
    return credentials.remove(target) != null;
  }

  /** Every target known: the current one and those with a stored credential. */
  Map<String, Optional<Credential>> known() {
    Map<String, Optional<Credential>> known = new LinkedHashMap<>();
    if (target != null) {
      known.put(target, credential(target));
    }
    credentials.forEach((url, credential) -> known.put(url, Optional.of(credential)));
    return known;
  }

  /** This installation's member id, created (and saved) the first time it is needed. */
  String memberId() {
    if (memberId == null) {
      memberId = UUID.randomUUID().toString();
      save();
    }
    return memberId;
  }

  void save() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("target", target);
    json.put("member_id", memberId);
    ObjectNode tokens = json.putObject("tokens");
    credentials.forEach(
        (url, credential) -> {
          ObjectNode entry = tokens.putObject(url);
          entry.put("token", credential.token());
          entry.put("kind", credential.kind());
          entry.put("expires_at_ms", credential.expiresAtMs());
        });
    try {
      Files.createDirectories(dir);
      setMode(dir, "rwx------");
      Path temp = Files.createTempFile(dir, "config", ".tmp");
      // Restricted before the secrets are written, so they are never readable by others.
      setMode(temp, "rw-------");
      Files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
      Files.move(temp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file(), e);
    }
  }

  private static void setMode(Path path, String mode) throws IOException {
    if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }
  }
}
