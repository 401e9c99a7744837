package io.meridian.ops;

import io.meridian.node.CommonPool;
import io.meridian.ops.bench.IngestBenchmark;
import io.meridian.ops.bench.LogBenchmark;
import io.meridian.ops.bench.PutBenchmark;
import io.meridian.ops.bench.RestartBenchmark;
import io.meridian.ops.cli.JobsCommand;
import io.meridian.ops.cli.LoginCommand;
import io.meridian.ops.cli.LogoutCommand;
import io.meridian.ops.cli.LogsCommand;
import io.meridian.ops.cli.PutCommand;
import io.meridian.ops.cli.QueryCommand;
import io.meridian.ops.cli.SeriesCommand;
import io.meridian.ops.cli.ServersCommand;
import io.meridian.ops.cli.TargetCommand;
import io.meridian.ops.cli.TargetsCommand;
import io.meridian.ops.cli.TokensCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code meridian} command: runs a node, or one of the operator tools. */
@Command(
    name = "meridian",
    mixinStandardHelpOptions = true,
    version = "Meridian 0.1.0-SNAPSHOT",
    description = {
      "A distributed time-series and log cluster: runs a node, or talks to one (docs/cli.md)."
    },
    subcommands = {
      RunCommand.class,
      ConfigCommand.class,
      ClusterCommand.class,
      Meridian.Bench.class,
      TargetCommand.class,
      TargetsCommand.class,
      LoginCommand.class,
      LogoutCommand.class,
      PutCommand.class,
      QueryCommand.class,
      SeriesCommand.class,
      LogsCommand.class,
      JobsCommand.class,
      ServersCommand.class,
      TokensCommand.class
    })
public final class Meridian {

  /** Benchmarks and load generators; each reports the figures docs/benchmarks.md records. */
  @Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description = "Load generators for benchmarking a running node.",
      subcommands = {
        PutBenchmark.class,
        LogBenchmark.class,
        IngestBenchmark.class,
        RestartBenchmark.class
      })
  static final class Bench {}

  public static void main(String[] args) {
    CommonPool.ensureParallelism();
    // A JVM shutting down (SIGTERM) blocks this exit until its hooks are done, which is harmless.
    System.exit(
        new CommandLine(new Meridian()).execute(args.length == 0 ? new String[] {"run"} : args));
  }
}
