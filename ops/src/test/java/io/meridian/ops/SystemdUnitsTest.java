package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The systemd units in {@code ops/systemd} start what the docs say, with settings that exist: every
 * {@code MERIDIAN_*} variable they set is one the configuration reads, and systemd waits for a
 * node's graceful shutdown (leaving the cluster, handing shards over) before it kills it.
 */
class SystemdUnitsTest {

  private static final Path UNITS = Path.of("systemd");

  /** A unit file's settings: "Section.Key" → values (a key may repeat). */
  private static Map<String, List<String>> unit(String name) throws IOException {
    Map<String, List<String>> settings = new LinkedHashMap<>();
    String section = "";
    for (String line : Files.readAllLines(UNITS.resolve(name))) {
      String text = line.strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      if (text.startsWith("[") && text.endsWith("]")) {
        section = text.substring(1, text.length() - 1);
        continue;
      }
      int equals = text.indexOf('=');
      assertThat(equals).as("a setting: %s", text).isPositive();
      settings
          .computeIfAbsent(section + "." + text.substring(0, equals), k -> new ArrayList<>())
          .add(text.substring(equals + 1));
    }
    return settings;
  }

  @Test
  void theNodeUnitRunsTheJarInProductionWithItsLogsAndRestarts() throws IOException {
    Map<String, List<String>> node = unit("meridian.service");

    assertThat(node.get("Service.ExecStart"))
        .singleElement()
        .asString()
        .contains("-jar /opt/meridian/meridian.jar")
        .endsWith(" run");
    assertThat(node.get("Service.Environment"))
        .contains(
            "MERIDIAN_PROFILE=production",
            "MERIDIAN_CASSANDRA_EMBEDDED=false",
            "MERIDIAN_LOG_DIR=/var/log/meridian");
    assertThat(node.get("Service.Restart")).containsExactly("on-failure");
    assertThat(node.get("Service.KillSignal")).containsExactly("SIGTERM");
    assertThat(node.get("Service.ReadWritePaths").get(0)).contains("/var/log/meridian");
    assertThat(node.get("Install.WantedBy")).containsExactly("multi-user.target");
  }

  @Test
  void everyVariableTheUnitsSetIsOneTheNodeReads() throws IOException {
    String defaults =
        Files.readString(Path.of("src/main/resources/application.conf"))
            + Files.readString(Path.of("src/main/resources/logging.conf"))
            + Files.readString(Path.of("../node/src/main/resources/reference.conf"));
    Pattern variable = Pattern.compile("(MERIDIAN_[A-Z_]+)=");
    for (String name : List.of("meridian.service", "meridian-cassandra.service")) {
      for (String setting : unit(name).getOrDefault("Service.Environment", List.of())) {
        Matcher m = variable.matcher(setting);
        if (m.lookingAt() && !m.group(1).equals(NodeConfig.MAIN_FILE_VARIABLE)) {
          assertThat(defaults).as("%s in %s", m.group(1), name).contains("${?" + m.group(1) + "}");
        }
      }
    }
  }

  @Test
  void systemdWaitsLongerThanTheNodesWholeShutdown() throws IOException {
    long stop = Long.parseLong(unit("meridian.service").get("Service.TimeoutStopSec").get(0));

    // Every phase at its timeout is the worst case; systemd must not SIGKILL a node before.
    assertThat(Duration.ofSeconds(stop))
        .isGreaterThan(CoordinatedShutdownBudget.worstCase(ConfigFactory.load()));
  }

  @Test
  void theCassandraUnitRunsInTheForegroundAndDrainsBeforeItStops() throws IOException {
    Map<String, List<String>> cassandra = unit("meridian-cassandra.service");

    assertThat(cassandra.get("Service.ExecStart")).singleElement().asString().endsWith(" -f");
    assertThat(cassandra.get("Service.ExecStop"))
        .singleElement()
        .asString()
        .endsWith("nodetool drain");
    assertThat(cassandra.get("Service.LimitNOFILE")).containsExactly("1048576");
    assertThat(unit("meridian.service").get("Unit.After").get(0))
        .contains("meridian-cassandra.service");
  }
}
