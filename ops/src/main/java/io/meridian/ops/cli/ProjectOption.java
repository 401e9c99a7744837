package io.meridian.ops.cli;

import picocli.CommandLine.Option;

/** {@code --project}: the project (tenant) of commands whose API names it in the path. */
final class ProjectOption {

  @Option(
      names = {"-p", "--project"},
      paramLabel = "<project>",
      defaultValue = "${env:MERIDIAN_PROJECT:-default}",
      description = "The project (default: env MERIDIAN_PROJECT, else ${DEFAULT-VALUE}).")
  String project;
}
