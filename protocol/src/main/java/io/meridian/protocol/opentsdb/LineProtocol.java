package io.meridian.protocol.opentsdb;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * OpenTSDB's telnet-style line protocol: parses one line (without its {@code \n}) into a {@link
 * Command} and formats the lines a server writes back. Pure: no I/O, no state.
 *
 * <p>A put line is {@code put <metric> <timestamp> <value> <tagk=tagv> [<tagk=tagv> ...]}. Fields
 * are separated by one or more spaces or tabs and a trailing carriage return is dropped, so
 * collectd's lines (CRLF, two spaces between tags when it has no per-value tags) parse; a blank
 * line is no command at all. The validation rules are those of the HTTP {@code /api/put} ({@link
 * DataPointParser}, {@link Names}); the error texts follow OpenTSDB's telnet replies ({@code put:
 * illegal argument: …}, {@code put: invalid value: …}), which is what existing collectors log.
 */
public final class LineProtocol {

  /** The commands a server speaking this protocol answers, in the order {@code help} lists them. */
  public static final List<String> COMMANDS =
      List.of("put", "stats", "dropcaches", "version", "exit", "help");

  /** Timestamps up to this value are seconds, larger ones milliseconds (as OpenTSDB). */
  private static final long MAX_SECONDS = 0xFFFFFFFFL;

  private static final long MAX_MILLIS = 9_999_999_999_999L;

  private static final Pattern FIELD_SEPARATOR = Pattern.compile("[ \t]+");

  /** OpenTSDB's millisecond form with a period: ten digits at most, a period, three digits. */
  private static final Pattern SECONDS_DOT_MILLIS = Pattern.compile("(\\d{1,10})\\.(\\d{3})");

  private static final Pattern INTEGRAL = Pattern.compile("\\d{1,13}");

  /**
   * A decimal number as OpenTSDB documents it ({@code [-]<#>.<#>[e|E][-]<#>}); excludes what Java
   * would also parse ({@code 0x1p3}, {@code 1d}, {@code NaN}), which OpenTSDB users do not send.
   */
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private static final Pattern NOT_A_NUMBER =
      Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

  private LineProtocol() {}

  /** One parsed line. */
  public sealed interface Command
      permits Put, BadPut, Stats, DropCaches, Version, Exit, Help, Unknown {}

  /** A valid {@code put}: the point to store. Success is silent, as in OpenTSDB. */
  public record Put(DataPoint point) implements Command {}

  /** A {@code put} that was rejected; {@link #reply()} is the line to write back. */
  public record BadPut(Problem problem, String message) implements Command {
    public String reply() {
      return "put: " + problem.label() + ": " + message;
    }
  }

  /** Why a put was rejected, in OpenTSDB's two telnet categories. */
  public enum Problem {
    /** Malformed line, name, tag or timestamp range ({@code put: illegal argument: …}). */
    ILLEGAL_ARGUMENT("illegal argument"),
    /**
     * A timestamp or value that is not a number, or NaN/Infinity ({@code put: invalid value: …}).
     */
    INVALID_VALUE("invalid value");

    private final String label;

    Problem(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** {@code stats}: the server's counters as lines of {@link #statLine}. */
  public record Stats() implements Command {}

  /** {@code dropcaches}: OpenTSDB drops its UID caches; answered with {@link #CACHES_DROPPED}. */
  public record DropCaches() implements Command {}

  /** {@code version}: lines naming the server's version. */
  public record Version() implements Command {}

  /** {@code exit}: the server closes the connection. */
  public record Exit() implements Command {}

  /** {@code help}: answered with {@link #help()}. */
  public record Help() implements Command {}

  /** Any other first word; {@link #reply()} is OpenTSDB's answer. */
  public record Unknown(String name) implements Command {
    public String reply() {
      return "unknown command: " + name + ".  Try `help'.";
    }
  }

  /** The answer to {@code dropcaches}, as OpenTSDB's. */
  public static final String CACHES_DROPPED = "Caches dropped.";

  /** The answer to {@code help}. */
  public static String help() {
    return "available commands: " + String.join(" ", COMMANDS);
  }

  /**
   * Parses one line. The line may still end in {@code \r}; leading and trailing spaces and tabs are
   * ignored.
   *
   * @return the command, or empty for a blank line (which OpenTSDB users send to keep a session
   *     alive and which deserves no answer)
   */
  public static Optional<Command> parse(String line) {
    String[] words = split(line);
    if (words.length == 0) {
      return Optional.empty();
    }
    Command command =
        switch (words[0]) {
          case "put" -> put(words);
          case "stats" -> new Stats();
          case "dropcaches" -> new DropCaches();
          case "version" -> new Version();
          case "exit" -> new Exit();
          case "help" -> new Help();
          default -> new Unknown(words[0]);
        };
    return Optional.of(command);
  }

  /**
   * One line of the {@code stats} answer: {@code <metric> <timestamp> <value> <tagk=tagv> ...}, the
   * put format without {@code put}, so the output can be fed back into a TSD.
   */
  public static String statLine(
      String metric, long timestampSeconds, long value, Map<String, String> tags) {
    StringBuilder sb =
        new StringBuilder(metric).append(' ').append(timestampSeconds).append(' ').append(value);
    new TreeMap<>(tags).forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
    return sb.toString();
  }

  private static String[] split(String line) {
    String trimmed = line.strip();
    return trimmed.isEmpty() ? new String[0] : FIELD_SEPARATOR.split(trimmed);
  }

  private static Command put(String[] words) {
    if (words.length < 5) {
      // OpenTSDB's wording, typo included: collectors and their users grep for it.
      return illegal("not enough arguments (need least 4, got " + (words.length - 1) + ")");
    }
    String metric = words[1];
    try {
      Names.validate("metric name", metric);
    } catch (IllegalArgumentException e) {
      return illegal(e.getMessage());
    }
    long timestampMs;
    try {
      timestampMs = timestamp(words[2]);
    } catch (BadValue e) {
      return new BadPut(e.problem, e.getMessage());
    }
    double value;
    try {
      value = value(words[3]);
    } catch (BadValue e) {
      return new BadPut(e.problem, e.getMessage());
    }
    SortedMap<String, String> tags = new TreeMap<>();
    for (int i = 4; i < words.length; i++) {
      String problem = tag(tags, words[i]);
      if (problem != null) {
        return illegal(problem);
      }
    }
    return new Put(new DataPoint(metric, timestampMs, value, tags));
  }

  private static long timestamp(String word) {
    long ms;
    var dotted = SECONDS_DOT_MILLIS.matcher(word);
    if (dotted.matches()) {
      ms = Long.parseLong(dotted.group(1)) * 1000 + Integer.parseInt(dotted.group(2));
      if (ms <= 0) {
        throw new BadValue(Problem.ILLEGAL_ARGUMENT, "Invalid timestamp: " + word);
      }
      return ms;
    }
    if (!INTEGRAL.matcher(word).matches()) {
      Problem problem =
          word.matches("[+-]?\\d+") ? Problem.ILLEGAL_ARGUMENT : Problem.INVALID_VALUE;
      throw new BadValue(problem, "Invalid timestamp: " + word);
    }
    long ts = Long.parseLong(word);
    if (ts <= 0 || ts > MAX_MILLIS) {
      throw new BadValue(Problem.ILLEGAL_ARGUMENT, "Invalid timestamp: " + word);
    }
    return ts <= MAX_SECONDS ? ts * 1000 : ts;
  }

  private static double value(String word) {
    if (NOT_A_NUMBER.matcher(word).matches()) {
      throw new BadValue(Problem.INVALID_VALUE, "Value is NaN or Infinite: " + word);
    }
    if (!NUMBER.matcher(word).matches()) {
      throw new BadValue(Problem.INVALID_VALUE, "Unable to parse value to a number: " + word);
    }
    double value = Double.parseDouble(word);
    if (Double.isInfinite(value)) {
      throw new BadValue(Problem.INVALID_VALUE, "Value is NaN or Infinite: " + word);
    }
    return value;
  }

  /** Adds one {@code k=v} to {@code tags}; returns why it cannot, or null. */
  private static String tag(SortedMap<String, String> tags, String word) {
    int eq = word.indexOf('=');
    if (eq <= 0 || eq == word.length() - 1 || word.indexOf('=', eq + 1) >= 0) {
      return "invalid tag: " + word;
    }
    String key = word.substring(0, eq);
    String value = word.substring(eq + 1);
    try {
      Names.validate("tag name", key);
      Names.validate("tag value", value);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    String previous = tags.putIfAbsent(key, value);
    if (previous != null && !previous.equals(value)) {
      // A repeated identical tag is harmless (OpenTSDB accepts it too); a conflicting one is not.
      return "duplicate tag: " + word + ", tags=" + tags;
    }
    return null;
  }

  private static BadPut illegal(String message) {
    return new BadPut(Problem.ILLEGAL_ARGUMENT, message);
  }

  /** Internal signal of a rejected timestamp or value, with its category. */
  private static final class BadValue extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    BadValue(Problem problem, String message) {
      super(message, null, false, false);
      this.problem = problem;
    }
  }
}
