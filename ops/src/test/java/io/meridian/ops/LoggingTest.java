package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.meridian.ops.testing.JsonLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's logs as {@code meridian.log} configures them: JSON lines with the agreed fields, each
 * request stream in its own file, files rotated by size. Reconfigures this JVM's logging, and puts
 * the test configuration back afterwards.
 */
class LoggingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @AfterEach
  void restoreTestLogging() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  private Logging.Settings settings(long maxFileSize, int maxFiles) {
    return new Logging.Settings(
        dir,
        maxFileSize,
        maxFiles,
        Logging.Stdout.OFF,
        ch.qos.logback.classic.Level.INFO,
        Map.of("io.meridian.test.quiet", ch.qos.logback.classic.Level.WARN));
  }

  @Test
  void linesAreJsonWithTheirFieldsAndEachRequestStreamHasItsFile() throws Exception {
    Logging.configure(settings(100 * 1024 * 1024, 5));

    LoggerFactory.getLogger("io.meridian.test.main").info("node {} started", "a");
    LoggerFactory.getLogger("io.meridian.test.quiet").info("not written: below WARN");
    LoggerFactory.getLogger("meridian.access")
        .atInfo()
        .addKeyValue("tag", "t-access")
        .addKeyValue("status", 200)
        .log("GET /api/version 200");
    LoggerFactory.getLogger("meridian.error")
        .atWarn()
        .addKeyValue("tag", "t-error")
        .addKeyValue("response", JSON.readTree("{\"error\":{\"code\":400,\"tag\":\"t-error\"}}"))
        .log("GET /api/query answered 400");
    LoggerFactory.getLogger("meridian.exception")
        .atError()
        .addKeyValue("tag", "t-exception")
        .setCause(new IllegalStateException("boom"))
        .log("Unexpected failure");

    JsonNode main =
        JsonLines.await(
            dir.resolve("meridian.log"),
            WAIT,
            line -> line.path("message").asText().contains("node"));
    assertThat(main.path("message").asText()).isEqualTo("node a started");
    assertThat(main.path("level").asText()).isEqualTo("INFO");
    assertThat(main.path("service").asText()).isEqualTo("meridian");
    assertThat(main.path("logger").asText()).isEqualTo("io.meridian.test.main");
    assertThat(main.path("timestamp").asText()).endsWith("Z");
    assertThat(main.has("thread")).isTrue();

    JsonNode access =
        JsonLines.await(
            dir.resolve("access.log"), WAIT, line -> line.path("tag").asText().equals("t-access"));
    assertThat(access.path("status").asInt()).isEqualTo(200);
    JsonNode error =
        JsonLines.await(
            dir.resolve("error.log"), WAIT, line -> line.path("tag").asText().equals("t-error"));
    assertThat(error.path("level").asText()).isEqualTo("WARN");
    assertThat(error.at("/response/error/tag").asText()).isEqualTo("t-error");
    JsonNode exception =
        JsonLines.await(
            dir.resolve("exceptions.log"),
            WAIT,
            line -> line.path("tag").asText().equals("t-exception"));
    assertThat(exception.path("stack_trace").asText())
        .contains("java.lang.IllegalStateException: boom")
        .contains("LoggingTest");

    Logging.stop();
    assertThat(JsonLines.read(dir.resolve("meridian.log")))
        .noneMatch(l -> l.toString().contains("below WARN"));
    assertThat(JsonLines.read(dir.resolve("meridian.log")))
        .noneMatch(l -> l.toString().contains("t-"));
    assertThat(JsonLines.read(dir.resolve("access.log"))).hasSize(1);
    assertThat(JsonLines.read(dir.resolve("error.log"))).hasSize(1);
  }

  @Test
  void aFullFileIsRotatedAndOnlyMaxFilesAreKept() throws Exception {
    Logging.configure(settings(4096, 2));
    Logger logger = LoggerFactory.getLogger("io.meridian.test.rotation");
    String filler = "x".repeat(500);

    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    int written = 0;
    while (!Files.exists(dir.resolve("meridian.log.2")) && Instant.now().isBefore(deadline)) {
      logger.info("line {} {}", written++, filler);
      Thread.sleep(2);
    }
    for (int i = 0; i < 1000 && Instant.now().isBefore(deadline); i++) {
      logger.info("line {} {}", written++, filler);
      Thread.sleep(2);
    }
    Logging.stop();

    assertThat(dir.resolve("meridian.log.1")).exists();
    assertThat(dir.resolve("meridian.log.2")).exists();
    assertThat(dir.resolve("meridian.log.3")).doesNotExist();
    // The newest line is in the live file, older ones in .1, the oldest kept in .2.
    List<JsonNode> live = JsonLines.read(dir.resolve("meridian.log"));
    assertThat(live.get(live.size() - 1).path("message").asText())
        .startsWith("line " + (written - 1) + " ");
  }

  @Test
  void settingsComeFromTheConfigAndBadOnesAreRefused() {
    Logging.Settings settings =
        Logging.Settings.fromConfig(
            ConfigFactory.parseString(
                    "meridian.log { dir = x, max-files = 3, max-file-size = 1MiB, stdout = text,"
                        + " level = debug, levels { a.b = error, \"c.d\" = warn } }")
                .getConfig("meridian.log"));
    assertThat(settings.maxFiles()).isEqualTo(3);
    assertThat(settings.maxFileSize()).isEqualTo(1024 * 1024);
    assertThat(settings.stdout()).isEqualTo(Logging.Stdout.TEXT);
    assertThat(settings.level().toString()).isEqualTo("DEBUG");
    assertThat(settings.levels().get("a.b").toString()).isEqualTo("ERROR");
    assertThat(settings.levels().get("c.d").toString()).isEqualTo("WARN");

    assertThatThrownBy(() -> Logging.level("LOUD"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LOUD");
    assertThatThrownBy(
            () ->
                Logging.Settings.fromConfig(
                    ConfigFactory.parseString(
                        "dir = x, max-files = 21, max-file-size = 1MiB, stdout = json,"
                            + " level = INFO, levels {}")))
        .hasMessageContaining("max-files");
  }
}
