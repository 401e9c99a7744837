package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meridian config}: the effective configuration, its files, and no secret in sight. */
class ConfigCommandTest {

  private static final String APP_KEY = "Xa9fK2mQz7";
  private static final String ADMIN_TOKEN = "abc";
  private static final String CASSANDRA_PASSWORD = "cassandra-pw-from-env";

  @TempDir Path etc;
  @TempDir Path workingDirectory;

  /** What a run of the command printed, and its exit code. */
  private record Run(int exitCode, String out, String err) {}

  private Run run(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command =
        new CommandLine(
            new ConfigCommand(
                new NodeConfig.Sources(
                    environment,
                    ConfigFactory.empty(),
                    etc.resolve("meridian.conf"),
                    workingDirectory,
                    Optional.of("db-1"))));
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    int exitCode = command.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private Path writeMainFile() throws IOException {
    return Files.writeString(
        etc.resolve("meridian.conf"),
        """
        meridian.http.port = 5000
        meridian.projects.appkeys { "%s" = project-a }
        meridian.auth.admin-token = "%s"
        """
            .formatted(APP_KEY, ADMIN_TOKEN));
  }

  @Test
  void printsTheSectionsWithTheFilesReadAndNoSecret() throws IOException {
    Path main = writeMainFile();
    Path local =
        Files.writeString(workingDirectory.resolve("local.conf"), "meridian.http.port = 5001");

    Run run = run(Map.of("MERIDIAN_CASSANDRA_PASSWORD", CASSANDRA_PASSWORD));

    assertThat(run.exitCode()).isZero();
    String header =
        run.out().lines().takeWhile(line -> line.startsWith("#")).reduce("", String::concat);
    assertThat(header).contains("#   " + main).contains("#   " + local);
    assertThat(header.indexOf(main.toString())).isLessThan(header.indexOf(local.toString()));
    assertThat(run.out())
        .doesNotContain(APP_KEY)
        .doesNotContain(ADMIN_TOKEN)
        .doesNotContain(CASSANDRA_PASSWORD)
        .doesNotContain("parallelism-min");
    Config printed = ConfigFactory.parseString(run.out());
    assertThat(printed.getInt("meridian.http.port")).isEqualTo(5001);
    assertThat(printed.getString("meridian.auth.admin-token")).isEqualTo("***");
    assertThat(printed.getString("meridian.cassandra.password")).isEqualTo("***");
    assertThat(printed.getObject("meridian.projects.appkeys").unwrapped())
        .isEqualTo(Map.of("***1", "project-a"));
    assertThat(printed.getString("meridian.cassandra.keyspace")).isEqualTo("meridian");
    assertThat(printed.getInt("pekko.management.http.port")).isEqualTo(7626);
    assertThat(printed.getStringList("pekko.cluster.seed-nodes")).isEmpty();
    assertThat(printed.getInt("pekko.remote.artery.canonical.port")).isEqualTo(25520);
    assertThat(printed.getString("pekko.http.server.request-timeout")).isEqualTo("30s");
    assertThat(printed.root().keySet()).containsExactlyInAnyOrder("meridian", "pekko");
    assertThat(printed.getObject("pekko").keySet())
        .containsExactlyInAnyOrder("management", "cluster", "remote", "http");
  }

  @Test
  void allPrintsEverySettingStillMasked() throws IOException {
    writeMainFile();

    Run run = run(Map.of("MERIDIAN_CASSANDRA_PASSWORD", CASSANDRA_PASSWORD), "--all");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("parallelism-min")
        .doesNotContain(APP_KEY)
        .doesNotContain("\"" + ADMIN_TOKEN + "\"")
        .doesNotContain(CASSANDRA_PASSWORD);
  }

  @Test
  void jsonIsValidJsonWithTheFilesAndTheMaskedConfig() throws IOException {
    Path main = writeMainFile();

    Run run = run(Map.of("MERIDIAN_HTTP_PORT", "6000"), "--json", "--origins");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).doesNotContain(APP_KEY).doesNotContain(ADMIN_TOKEN);
    Config document =
        ConfigFactory.parseString(
            run.out(), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
    assertThat(document.getStringList("files")).containsExactly(main.toString());
    assertThat(document.getStringList("environment-variables")).contains("MERIDIAN_HTTP_PORT");
    assertThat(document.getInt("config.meridian.http.port")).isEqualTo(6000);
    assertThat(document.getString("config.meridian.auth.admin-token")).isEqualTo("***");
    assertThat(document.getObject("config.meridian.projects.appkeys").unwrapped())
        .isEqualTo(Map.of("***1", "project-a"));
    assertThat(document.getObject("origins").unwrapped())
        .containsEntry("meridian.http.port", "environment variable MERIDIAN_HTTP_PORT");
  }

  @Test
  void originsNameTheFileOrVariableOfEachValue() throws IOException {
    writeMainFile();

    Run run = run(Map.of("MERIDIAN_HTTP_HOST", "0.0.0.0"), "--origins");

    assertThat(run.out())
        .contains("# environment variable MERIDIAN_HTTP_HOST")
        .contains("meridian.conf: 1");
  }

  @Test
  void aMissingNamedMainFileFailsWithItsName() {
    Run run = run(Map.of("MERIDIAN_CONFIG", "/nowhere/meridian.conf"));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("MERIDIAN_CONFIG").contains("/nowhere/meridian.conf");
  }

  @Test
  void theMeridianCommandHasIt() {
    assertThat(new CommandLine(new Meridian()).getSubcommands()).containsKey("config");
  }

  @Test
  void secretsAreKnownByTheirKeys() {
    assertThat(
            List.of(
                "password",
                "admin-token",
                "api_key",
                "apiKey",
                "SECRET",
                "client-secret-value",
                "signing",
                "signing-key-id",
                "appkeys",
                "key",
                "refresh-tokens",
                "key-store-password"))
        .allMatch(ConfigCommand::isSecret);
    assertThat(List.of("keyspace", "key-cache-size", "token-ttl", "username", "host", "monkey"))
        .noneMatch(ConfigCommand::isSecret);
  }

  @Test
  void maskingReplacesSecretValuesAndAppkeysButKeepsTheRest() {
    Config config =
        ConfigFactory.parseString(
            """
            meridian {
              http.port = 4242
              cassandra { username = u, password = p }
              projects.appkeys { k2 = project-b, k1 = project-a }
              auth { admin-token = t, token-ttl = 1h, tokens { alice = t1 } }
              users = [ { name = alice, password = p2 } ]
            }
            other.appkeys = { k3 = c }
            """);

    Config masked = ConfigCommand.mask(config.root()).toConfig();

    assertThat(masked.getInt("meridian.http.port")).isEqualTo(4242);
    assertThat(masked.getString("meridian.cassandra.username")).isEqualTo("u");
    assertThat(masked.getString("meridian.cassandra.password")).isEqualTo("***");
    assertThat(masked.getObject("meridian.projects.appkeys").unwrapped())
        .isEqualTo(Map.of("***1", "project-a", "***2", "project-b"));
    assertThat(masked.getString("meridian.auth.admin-token")).isEqualTo("***");
    assertThat(masked.getString("meridian.auth.token-ttl")).isEqualTo("1h");
    assertThat(masked.getString("meridian.auth.tokens")).isEqualTo("***");
    assertThat(masked.getConfigList("meridian.users").get(0).root().unwrapped())
        .isEqualTo(Map.of("name", "alice", "password", "***"));
    assertThat(masked.getString("other.appkeys")).isEqualTo("***");
    assertThat(masked.getValue("meridian.cassandra.password").origin().lineNumber())
        .isEqualTo(config.getValue("meridian.cassandra.password").origin().lineNumber());
  }

  @Test
  void appkeysThatAreNotAnObjectAreMaskedWhole() {
    Config masked =
        ConfigCommand.mask(ConfigFactory.parseString("meridian.projects.appkeys = k").root())
            .toConfig();

    assertThat(masked.getString("meridian.projects.appkeys")).isEqualTo("***");
  }
}
