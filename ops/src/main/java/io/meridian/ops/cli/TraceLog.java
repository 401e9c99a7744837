package io.meridian.ops.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code --trace}: appends every request and response to a file ({@code meridian-trace.log} in the
 * working directory), as Apcera's {@code apc --trace} writes {@code apc.log}: method, URL, headers,
 * body, status and duration. Credentials never reach the file: the values of {@code Authorization},
 * {@code X-TC-APP-KEY}, {@code Cookie} and {@code Set-Cookie} are masked, and so are token, secret,
 * key and password fields of JSON and form bodies. Bodies are cut at 64 KiB.
 */
final class TraceLog {

  static final String MASK = "***";
  static final int MAX_BODY_CHARS = 64 * 1024;

  private static final Set<String> SECRET_HEADERS =
      Set.of("authorization", "x-tc-app-key", "cookie", "set-cookie", "proxy-authorization");
  private static final String SECRET_NAME =
      "[A-Za-z_]*(?:token|secret|password)[A-Za-z_]*|key|api_key|apikey";
  // A JSON member whose value is a string, and one inside a JSON text held in a string (log
  // entries), where the quotes are escaped.
  private static final Pattern JSON_SECRET =
      Pattern.compile(
          "(\"(?:" + SECRET_NAME + ")\"\\s*:\\s*\")(?:[^\"\\\\]|\\\\.)*\"",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern ESCAPED_JSON_SECRET =
      Pattern.compile(
          "(\\\\\"(?:" + SECRET_NAME + ")\\\\\"\\s*:\\s*\\\\\").*?\\\\\"",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern FORM_SECRET =
      Pattern.compile("(^|&)(" + SECRET_NAME + ")=([^&]*)", Pattern.CASE_INSENSITIVE);

  private final Path file;
  private final Clock clock;
  private int exchanges;

  TraceLog(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  Path file() {
    return file;
  }

  /** Writes one request and its response, or the failure that replaced the response. */
  void exchange(
      String method,
      String url,
      Map<String, List<String>> requestHeaders,
      String requestBody,
      ApiResponse response,
      String failure,
      Duration took) {
    int number = ++exchanges;
    StringBuilder text = new StringBuilder();
    text.append(clock.instant().minus(took))
        .append(" [")
        .append(number)
        .append("] -- Sending HTTP Request:\n");
    text.append(method).append(' ').append(url).append(" HTTP/1.1\n");
    headers(text, requestHeaders);
    text.append('\n');
    body(text, requestBody);
    text.append(clock.instant())
        .append(" [")
        .append(number)
        .append("] -- Received HTTP Response (")
        .append(took.toMillis())
        .append(" ms):\n");
    if (response == null) {
      text.append("(no response: ").append(failure).append(")\n\n");
    } else {
      text.append("HTTP/1.1 ").append(response.status()).append('\n');
      headers(text, response.headers().map());
      text.append('\n');
      body(text, response.body());
    }
    try {
      Files.writeString(
          file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the trace to " + file, e);
    }
  }

  private static void headers(StringBuilder text, Map<String, List<String>> headers) {
    headers.forEach(
        (name, values) -> {
          for (String value : values) {
            text.append(name).append(": ").append(maskHeader(name, value)).append('\n');
          }
        });
  }

  private static void body(StringBuilder text, String body) {
    if (body == null || body.isEmpty()) {
      return;
    }
    String masked = maskBody(body);
    if (masked.length() > MAX_BODY_CHARS) {
      text.append(masked, 0, MAX_BODY_CHARS)
          .append("\n… (")
          .append(masked.length() - MAX_BODY_CHARS)
          .append(" more characters not traced)");
    } else {
      text.append(masked);
    }
    text.append("\n\n");
  }

  /** A header's value as traced: a credential keeps its scheme ({@code Bearer ***}) only. */
  static String maskHeader(String name, String value) {
    if (!SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      return value;
    }
    int space = value.indexOf(' ');
    return space > 0 && name.toLowerCase(Locale.ROOT).contains("authorization")
        ? value.substring(0, space) + " " + MASK
        : MASK;
  }

  /** A body as traced, with the values of secret JSON members and form fields masked. */
  static String maskBody(String body) {
    String masked = JSON_SECRET.matcher(body).replaceAll("$1" + MASK + "\"");
    masked = ESCAPED_JSON_SECRET.matcher(masked).replaceAll("$1" + MASK + "\\\\\"");
    if (!masked.contains("=") || masked.startsWith("{") || masked.startsWith("[")) {
      return masked;
    }
    return FORM_SECRET.matcher(masked).replaceAll("$1$2=" + MASK);
  }
}
