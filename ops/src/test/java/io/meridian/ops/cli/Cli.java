package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.ops.Meridian;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * The {@code meridian} command run in the test JVM as {@code main} runs it, with its output
 * captured and its state in a directory of the test's ({@code --home}, what {@code MERIDIAN_HOME}
 * sets).
 */
final class Cli {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path home;
  private final String target;
  private final Path traceFile;

  Cli(Path home, String target, Path traceFile) {
    this.home = home;
    this.target = target;
    this.traceFile = traceFile;
  }

  /** What a run printed and returned. */
  record Run(int code, String out, String err) {

    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + out + "\nstderr: " + err, e);
      }
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Runs a client command against the target, with this CLI's home and trace file. */
  Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", home.toString(), "--trace-file", traceFile.toString()));
    if (target != null && !List.of(args).contains("--target")) {
      all.addAll(List.of("--target", target));
    }
    return raw(all.toArray(String[]::new));
  }

  /** Runs the command line exactly as given. */
  static Run raw(String... args) {
    return raw(cl -> {}, args);
  }

  static Run raw(Consumer<CommandLine> setup, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new Meridian());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    setup.accept(commandLine);
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
