package io.meridian.ops.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs Debian packages that integration tests drive as real programs (collectd, …) when they
 * are missing, so a fresh machine or CI needs no manual setup. Uses {@code apt-get} as root, which
 * is how the project's machines and CI run; elsewhere it fails with what to install by hand.
 *
 * <pre>{@code
 * Path collectd = DebianPackages.ensure(Path.of("/usr/sbin/collectd"), "collectd-core");
 * }</pre>
 */
public final class DebianPackages {

  private static final long APT_TIMEOUT_MINUTES = 10;

  private static boolean updated;

  private DebianPackages() {}

  /**
   * Returns {@code program}, first installing {@code packages} with {@code apt-get install -y
   * --no-install-recommends} (after one {@code apt-get update} per test JVM) if it is not there.
   *
   * @throws IllegalStateException if the program is still missing afterwards or apt-get failed
   */
  public static synchronized Path ensure(Path program, String... packages) {
    if (Files.isExecutable(program)) {
      return program;
    }
    if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      throw new IllegalStateException(
          program
              + " is missing and this is not a Debian system: install "
              + String.join(" ", packages));
    }
    if (!updated) {
      apt(List.of("update"));
      updated = true;
    }
    List<String> install = new ArrayList<>(List.of("install", "-y", "--no-install-recommends"));
    install.addAll(List.of(packages));
    apt(install);
    if (!Files.isExecutable(program)) {
      throw new IllegalStateException(
          program + " is still missing after installing " + String.join(" ", packages));
    }
    return program;
  }

  private static void apt(List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add("apt-get");
    command.addAll(arguments);
    try {
      Path log = Files.createTempFile("apt-get-", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      // No prompts, and no attempt to start services inside a container or CI.
      builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process process = builder.start();
      if (!process.waitFor(APT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " did not finish in " + APT_TIMEOUT_MINUTES + " minutes");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " failed with exit code "
                + process.exitValue()
                + " (root is needed):\n"
                + tail(log));
      }
      Files.deleteIfExists(log);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + command, e);
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
