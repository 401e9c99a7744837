package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layers of files, environment variables and system properties, with stand-in sources. */
class NodeConfigLayersTest {

  @TempDir Path etc;
  @TempDir Path workingDirectory;

  private NodeConfig.Sources sources(Map<String, String> environment, Config systemProperties) {
    return new NodeConfig.Sources(
        environment,
        systemProperties,
        etc.resolve("meridian.conf"),
        workingDirectory,
        Optional.of("db-1"));
  }

  private NodeConfig.Loaded load(Map<String, String> environment) {
    return NodeConfig.load(sources(environment, ConfigFactory.empty()), ConfigFactory.empty());
  }

  private static Path write(Path file, String text) throws IOException {
    return Files.writeString(file, text);
  }

  @Test
  void localFilesOverrideTheMainFileInTheirOrder() throws IOException {
    Path main = write(etc.resolve("meridian.conf"), "t { main = m, host = m, dir = m, cwd = m }");
    Path host = write(etc.resolve("meridian.db-1.local.conf"), "t { host = h, dir = h, cwd = h }");
    Path dir = write(etc.resolve("local.conf"), "t { dir = d, cwd = d }");
    Path cwd = write(workingDirectory.resolve("local.conf"), "t.cwd = c");

    NodeConfig.Loaded loaded = load(Map.of());

    assertThat(loaded.config().getConfig("t").root().unwrapped())
        .isEqualTo(Map.of("main", "m", "host", "h", "dir", "d", "cwd", "c"));
    assertThat(loaded.files()).containsExactly(main, host, dir, cwd);
    assertThat(loaded.notFound()).isEmpty();
  }

  @Test
  void missingLocalFilesAndAMissingDefaultMainFileAreSkipped() throws IOException {
    Path dir = write(etc.resolve("local.conf"), "meridian.http.port = 5001");

    NodeConfig.Loaded loaded = load(Map.of());

    assertThat(loaded.config().getInt("meridian.http.port")).isEqualTo(5001);
    assertThat(loaded.files()).containsExactly(dir);
    assertThat(loaded.notFound())
        .containsExactly(
            etc.resolve("meridian.conf"),
            etc.resolve("meridian.db-1.local.conf"),
            workingDirectory.resolve("local.conf"));
  }

  @Test
  void aSettingOnlyInAFileTakesTheFilesValueOverTheDefaults() throws IOException {
    write(
        etc.resolve("meridian.conf"),
        """
        meridian.http.port = 5000
        meridian.cassandra.keyspace = from_file
        meridian.auth.token-ttl = 2h
        """);

    Config config = load(Map.of()).config();

    assertThat(config.getInt("meridian.http.port")).isEqualTo(5000);
    assertThat(config.getString("pekko.persistence.cassandra.journal.keyspace"))
        .isEqualTo("from_file");
    assertThat(config.getString("meridian.auth.token-ttl")).isEqualTo("2h");
    assertThat(config.getString("meridian.http.host")).isEqualTo("127.0.0.1");
  }

  @Test
  void environmentVariablesOverrideEveryFile() throws IOException {
    write(
        etc.resolve("meridian.conf"),
        """
        meridian.http.port = 5000
        meridian.cassandra.keyspace = from_file
        meridian.auth.admin-token = from-file
        pekko.cluster.seed-nodes = ["pekko://meridian@file:25520"]
        """);
    write(workingDirectory.resolve("local.conf"), "meridian.cassandra.embedded.enabled = true");

    NodeConfig.Loaded loaded =
        load(
            Map.of(
                "MERIDIAN_HTTP_PORT", "6000",
                "MERIDIAN_CASSANDRA_KEYSPACE", "from_env",
                "MERIDIAN_ADMIN_TOKEN", "from-env",
                "MERIDIAN_CASSANDRA_EMBEDDED", "false",
                "MERIDIAN_SEED_NODES", "pekko://meridian@env:25520"));
    Config config = loaded.config();

    assertThat(config.getInt("meridian.http.port")).isEqualTo(6000);
    assertThat(config.getString("meridian.cassandra.keyspace")).isEqualTo("from_env");
    assertThat(config.getString("pekko.persistence.cassandra.journal.keyspace"))
        .isEqualTo("from_env");
    assertThat(config.getString("meridian.auth.admin-token")).isEqualTo("from-env");
    assertThat(config.getBoolean("meridian.cassandra.embedded.enabled")).isFalse();
    assertThat(config.getStringList("pekko.cluster.seed-nodes"))
        .containsExactly("pekko://meridian@env:25520");
    assertThat(config.getValue("meridian.http.port").origin().description())
        .contains("MERIDIAN_HTTP_PORT");
    assertThat(loaded.variables())
        .contains("MERIDIAN_HTTP_PORT", "MERIDIAN_ADMIN_TOKEN", "MERIDIAN_SEED_NODES");
  }

  @Test
  void anEnvironmentVariableEqualToTheDefaultStillOverridesAFile() throws IOException {
    write(etc.resolve("meridian.conf"), "meridian.http.port = 5000");

    Config config = load(Map.of("MERIDIAN_HTTP_PORT", "4242")).config();

    assertThat(config.getInt("meridian.http.port")).isEqualTo(4242);
  }

  @Test
  void filesMayUseEnvironmentVariablesOfTheirOwn() throws IOException {
    write(etc.resolve("meridian.conf"), "meridian.http.host = ${?BIND_ADDRESS}");

    assertThat(load(Map.of("BIND_ADDRESS", "0.0.0.0")).config().getString("meridian.http.host"))
        .isEqualTo("0.0.0.0");
    assertThat(load(Map.of()).config().getString("meridian.http.host")).isEqualTo("127.0.0.1");
  }

  @Test
  void systemPropertiesOverrideEnvironmentVariablesAndOverridesSitBetween() throws IOException {
    write(etc.resolve("meridian.conf"), "meridian.http { port = 5000, host = file }");
    Config systemProperties = ConfigFactory.parseMap(Map.of("meridian.http.port", "7000"));

    Config config =
        NodeConfig.load(
                sources(
                    Map.of("MERIDIAN_HTTP_PORT", "6000", "MERIDIAN_HTTP_HOST", "env"),
                    systemProperties),
                ConfigFactory.parseString("meridian.http { port = 8000, host = override }"))
            .config();

    assertThat(config.getInt("meridian.http.port")).isEqualTo(7000);
    assertThat(config.getString("meridian.http.host")).isEqualTo("override");
  }

  @Test
  void theMainFileMayBeNamedByVariableOrSystemPropertyWithItsLocalFilesBesideIt()
      throws IOException {
    Path other = Files.createDirectory(workingDirectory.resolve("conf"));
    Path main = write(other.resolve("node.conf"), "meridian.http.port = 5000");
    Path host = write(other.resolve("meridian.db-1.local.conf"), "meridian.http.port = 5001");
    write(etc.resolve("meridian.conf"), "meridian.http.port = 1");

    NodeConfig.Loaded byVariable = load(Map.of(NodeConfig.MAIN_FILE_VARIABLE, "conf/node.conf"));
    NodeConfig.Loaded byProperty =
        NodeConfig.load(
            sources(
                Map.of(NodeConfig.MAIN_FILE_VARIABLE, "/nowhere.conf"),
                ConfigFactory.parseMap(Map.of(NodeConfig.MAIN_FILE_PROPERTY, main.toString()))),
            ConfigFactory.empty());

    assertThat(byVariable.files()).containsExactly(main, host);
    assertThat(byVariable.config().getInt("meridian.http.port")).isEqualTo(5001);
    assertThat(byProperty.files()).containsExactly(main, host);
  }

  @Test
  void aNamedMainFileThatDoesNotExistIsAnError() {
    Path missing = etc.resolve("missing.conf");

    assertThatThrownBy(() -> load(Map.of(NodeConfig.MAIN_FILE_VARIABLE, missing.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(NodeConfig.MAIN_FILE_VARIABLE)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void aFileThatDoesNotParseIsNamedInTheError() throws IOException {
    write(etc.resolve("meridian.conf"), "meridian.http.port = 5000");
    Path broken = write(etc.resolve("local.conf"), "meridian {\n  http.port = 5001\n");

    assertThatThrownBy(() -> load(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(broken.toString());
  }

  @Test
  void theWorkingDirectoryBeingTheMainFilesReadsItsLocalFileOnce() throws IOException {
    Path local = write(etc.resolve("local.conf"), "meridian.http.port = 5000");

    NodeConfig.Loaded loaded =
        NodeConfig.load(
            new NodeConfig.Sources(
                Map.of(),
                ConfigFactory.empty(),
                etc.resolve("meridian.conf"),
                etc,
                Optional.empty()),
            ConfigFactory.empty());

    assertThat(loaded.files()).containsExactly(local);
    assertThat(loaded.notFound()).containsExactly(etc.resolve("meridian.conf"));
  }

  @Test
  void onlySettingsThatAreExactlyAVariableFollowIt() {
    Config defaults =
        ConfigFactory.parseString(
            """
            a = 1
            a = ${?A}
            copy = ${a}
            suffixed = ${?A}_x
            b = ${?B}
            nested { "dotted.key" = ${?A} }
            """);

    assertThat(NodeConfig.settingsFromVariables(defaults, Set.of("A", "PATH")))
        .isEqualTo(Map.of("a", "A", "nested.\"dotted.key\"", "A"));
  }

  @Test
  void theHostnameIsShortenedToItsFirstLabelUnlessItIsAnAddress() {
    assertThat(NodeConfig.shortName("db-1.example.com")).isEqualTo("db-1");
    assertThat(NodeConfig.shortName("db-1")).isEqualTo("db-1");
    assertThat(NodeConfig.shortName("10.0.0.5")).isEqualTo("10.0.0.5");
    assertThat(NodeConfig.shortName("fe80::1")).isEqualTo("fe80::1");
  }
}
