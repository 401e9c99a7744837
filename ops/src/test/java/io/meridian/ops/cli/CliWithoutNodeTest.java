package io.meridian.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.ops.Meridian;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The parts of the CLI that need no node: the command tree and its help, {@code MERIDIAN_HOME},
 * both forms of {@code meridian cluster}, tables, times and what the trace masks.
 */
class CliWithoutNodeTest {

  @TempDir Path dir;

  @Test
  void helpOfTheRealCommandListsEveryCommandAndMeridianHomeIsHonored() throws Exception {
    Process help = java("--help");
    String usage = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(help.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(help.exitValue()).isZero();
    for (String command :
        List.of(
            "run", "config", "cluster", "bench", "target", "targets", "login", "logout", "put",
            "query", "series", "logs", "jobs", "servers", "tokens")) {
      assertThat(usage).containsPattern("(?m)^\\s+" + command + "\\s");
    }

    Process logout = java("logout");
    String said = new String(logout.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(logout.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(said).contains("No credential was stored for " + CliConfig.DEFAULT_TARGET);
    assertThat(Files.readString(dir.resolve("home/config.json"))).contains("\"member_id\"");
  }

  private Process java(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Meridian.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("MERIDIAN_HOME", dir.resolve("home").toString());
    return builder.start();
  }

  @Test
  void clusterRunsLocallyBareOrAsLocalAndManagesMembersWithSubcommands() {
    ParseResult bare = new CommandLine(new Meridian()).parseArgs("cluster", "--nodes", "5");
    assertThat(bare.subcommand().matchedOptionValue("--nodes", 0)).isEqualTo(5);
    assertThat(bare.subcommand().hasSubcommand()).isFalse();
    ParseResult local =
        new CommandLine(new Meridian()).parseArgs("cluster", "local", "--nodes", "2");
    assertThat(local.subcommand().subcommand().matchedOptionValue("--nodes", 0)).isEqualTo(2);

    Cli.Run help = Cli.raw("cluster", "--help");
    assertThat(help.out()).contains("local").contains("members").contains("leave").contains("down");
    Cli.Run usage = Cli.raw("cluster", "leave");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).contains("Missing required parameter: 'ADDRESS'");
  }

  @Test
  void tablesAreDrawnAsApcDrawsThem() {
    StringWriter out = new StringWriter();
    new Table("Name", "Status")
        .row("web1", "ready")
        .row("web-two", null)
        .print(new PrintWriter(out));
    assertThat(out.toString())
        .isEqualTo(
            String.join(
                "\n",
                "╭─────────┬────────╮",
                "│ Name    │ Status │",
                "├─────────┼────────┤",
                "│ web1    │ ready  │",
                "│ web-two │        │",
                "╰─────────┴────────╯",
                ""));
  }

  @Test
  void timesAreRelativeEpochOrRfc3339() {
    Instant now = Instant.parse("2026-11-27T18:00:00Z");
    assertThat(Times.parse("now", now)).isEqualTo(now);
    assertThat(Times.parse("1h-ago", now)).isEqualTo(Instant.parse("2026-11-27T17:00:00Z"));
    assertThat(Times.parse("-15m", now)).isEqualTo(Instant.parse("2026-11-27T17:45:00Z"));
    assertThat(Times.parse("1700000000", now)).isEqualTo(Instant.ofEpochSecond(1700000000));
    assertThat(Times.parse("1700000000123", now)).isEqualTo(Instant.ofEpochMilli(1700000000123L));
    assertThat(Times.parse("2023-11-14T22:13:20Z", now))
        .isEqualTo(Instant.ofEpochSecond(1700000000));
    assertThat(Times.promSeconds(Instant.ofEpochMilli(1700000000123L))).isEqualTo("1700000000.123");
  }

  @Test
  void traceMasksCredentialHeadersAndSecretFields() {
    assertThat(TraceLog.maskHeader("Authorization", "Bearer mk_secret")).isEqualTo("Bearer ***");
    assertThat(TraceLog.maskHeader("authorization", "Basic bWM6bXM=")).isEqualTo("Basic ***");
    assertThat(TraceLog.maskHeader("X-TC-APP-KEY", "mk_secret")).isEqualTo("***");
    assertThat(TraceLog.maskHeader("Cookie", "session=abc")).isEqualTo("***");
    assertThat(TraceLog.maskHeader("Content-Type", "application/json"))
        .isEqualTo("application/json");
    assertThat(
            TraceLog.maskBody(
                "{\"id\":\"key_1\",\"key\":\"mk_s\",\"client_secret\":\"ms_s\","
                    + "\"access_token\":\"eyJ\\\"x\",\"project\":\"web\"}"))
        .isEqualTo(
            "{\"id\":\"key_1\",\"key\":\"***\",\"client_secret\":\"***\","
                + "\"access_token\":\"***\",\"project\":\"web\"}");
    assertThat(
            TraceLog.maskBody(
                "{\"log_excerpt\":{\"entries\":[\"{\\\"token\\\":\\\"t0k\\\",\\\"pid\\\":1}\"]}}"))
        .isEqualTo(
            "{\"log_excerpt\":{\"entries\":[\"{\\\"token\\\":\\\"***\\\",\\\"pid\\\":1}\"]}}");
    assertThat(
            TraceLog.maskBody(
                "grant_type=client_credentials&client_id=mc_1&client_secret=ms_2&token=eyJ"))
        .isEqualTo("grant_type=client_credentials&client_id=mc_1&client_secret=***&token=***");
  }
}
