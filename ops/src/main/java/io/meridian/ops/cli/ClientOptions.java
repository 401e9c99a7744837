package io.meridian.ops.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every client command takes: which node, how to answer, and tracing. */
final class ClientOptions {

  @Option(
      names = "--target",
      paramLabel = "<url>",
      description = "The node to talk to, instead of the current target (meridian target).")
  String target;

  @Option(names = "--json", description = "Print the API's JSON instead of a table (for scripts).")
  boolean json;

  @Option(
      names = "--trace",
      description =
          "Append every HTTP request and response to the trace file (credentials masked).")
  boolean trace;

  @Option(
      names = "--trace-file",
      paramLabel = "<file>",
      defaultValue = "meridian-trace.log",
      description = "The trace file (default ${DEFAULT-VALUE}, in the working directory).")
  Path traceFile;

  @Option(
      names = "--app-key",
      paramLabel = "<key>",
      description =
          "Send this key as X-TC-APP-KEY instead of the credential stored by meridian login.")
  String appKey;

  @Option(
      names = "--home",
      hidden = true,
      paramLabel = "<dir>",
      description = "The CLI's directory, instead of MERIDIAN_HOME or ~/.meridian.")
  Path home;
}
