package io.meridian.ops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every client command shares: the options of {@link ClientOptions}, the target and its stored
 * credential, the HTTP client, output to picocli's writers (so tests capture it), and the exit
 * codes: 0 done, 1 the API refused (its message and tag on stderr) or was unreachable, 2 usage.
 */
abstract class ClientCommand implements Callable<Integer> {

  static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin ClientOptions options;

  private CliConfig config;
  private ApiClient client;

  /** The command's work; returns its exit code. */
  abstract int run() throws Exception;

  @Override
  public final Integer call() throws Exception {
    try {
      return run();
    } catch (ApiException e) {
      StringBuilder message = new StringBuilder("Error: ").append(e.getMessage());
      if (e.status() > 0 || e.tag() != null) {
        message.append(" (");
        if (e.status() > 0) {
          message.append("HTTP ").append(e.status());
        }
        if (e.tag() != null) {
          message.append(e.status() > 0 ? ", " : "").append("tag ").append(e.tag());
        }
        message.append(')');
      }
      err().println(message);
      err().flush();
      return 1;
    } catch (CliException e) {
      err().println("Error: " + e.getMessage());
      err().flush();
      return 2;
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  boolean json() {
    return options.json;
  }

  CliConfig config() {
    if (config == null) {
      config = CliConfig.load(CliConfig.home(options.home));
    }
    return config;
  }

  /** {@code --target}, else the current target, else {@link CliConfig#DEFAULT_TARGET}. */
  String target() {
    return options.target != null
        ? normalize(options.target)
        : config().target().orElse(CliConfig.DEFAULT_TARGET);
  }

  ApiClient client() {
    if (client == null) {
      client = clientFor(target());
    }
    return client;
  }

  /** A client of the given target, with the credential stored for it. */
  ApiClient clientFor(String target) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (options.appKey != null) {
      headers.put("X-TC-APP-KEY", options.appKey);
    } else {
      Optional<CliConfig.Credential> credential = config().credential(target);
      if (credential.isPresent() && credential.get().expired(System.currentTimeMillis())) {
        err()
            .println(
                "Warning: the access token stored for "
                    + target
                    + " expired at "
                    + Instant.ofEpochMilli(credential.get().expiresAtMs())
                    + "; run meridian login again.");
      } else {
        credential.ifPresent(c -> headers.put("Authorization", "Bearer " + c.token()));
      }
    }
    TraceLog trace = null;
    if (options.trace) {
      trace = new TraceLog(options.traceFile, Clock.systemUTC());
      err().println("** Trace mode on: requests and responses go to " + options.traceFile + " **");
      err().flush();
    }
    return new ApiClient(target, headers, trace);
  }

  /** Prints a table of series, or that there are none. */
  void printSeries(Table table) {
    if (table.isEmpty()) {
      out().println("No series.");
      out().flush();
    } else {
      table.print(out());
    }
  }

  /** Prints JSON for scripts, indented. */
  void printJson(JsonNode json) {
    try {
      out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
      out().flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A target as stored: with a scheme ({@code http://} if none is given), no trailing slash. */
  static String normalize(String url) {
    String value = url.trim();
    if (!value.toLowerCase(Locale.ROOT).matches("^[a-z][a-z0-9+.-]*://.*")) {
      value = "http://" + value;
    }
    while (value.endsWith("/")) {
      value = value.substring(0, value.length() - 1);
    }
    return value;
  }
}
