package io.meridian.protocol.regex;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A user-supplied regular expression whose matching is bounded, so that a hostile or careless
 * pattern cannot hang a node.
 *
 * <p>{@link java.util.regex} backtracks: some patterns take exponential time, and one PromQL
 * matcher or OpenTSDB {@code regexp} filter run over every series of a tenant could then pin a CPU
 * for minutes, past every query timeout (matching cannot be interrupted). Since JDK 9 the engine
 * memoizes simple greedy group loops, so the textbook {@code (a+)+$} is harmless on Java 17, but
 * nesting one level deeper ({@code ((a+)+)+b}), reluctant loops ({@code (a+)+?b}), counted
 * repetition ({@code (.*a){12}}) and backreferences still explode within a few dozen characters.
 * Two limits apply:
 *
 * <ul>
 *   <li>a pattern longer than {@link #MAX_PATTERN_LENGTH} characters is refused when compiled, as
 *       one that does not compile is, with a {@link PatternSyntaxException} (callers already turn
 *       those into their API's "invalid regular expression" error). Label matchers and tag filters
 *       are short; 4096 characters leave room for long alternations of literal values;
 *   <li>each match or find reads its input through a {@link CharSequence} that counts {@code
 *       charAt} calls (the engine reads the input only that way, so the count measures its work,
 *       backtracking included) and throws {@link RegexTooComplexException} once it exceeds {@link
 *       #budget(int)}: {@code max(1,000,000, 20,000 × input length)} reads.
 * </ul>
 *
 * <p>The budget is far above what ordinary patterns need. An anchored match such as a PromQL
 * matcher's reads each character a few times ({@code .*foo.*}: about 3 per character). Under {@code
 * find} (OpenTSDB's {@code regexp}) a leading {@code .*} is tried at every start position, which is
 * quadratic: {@code .*foo.*} against a value without {@code foo} takes about {@code 1.5 × length²}
 * reads and {@code .*(foo|bar|baz).*} about {@code 2.5 × length²}, within the budget for values up
 * to about 13 KB and 8 KB (the floor alone covers quadratic patterns up to about 600 characters).
 * Exponential backtracking exceeds it within a few dozen characters. A read costs a few
 * nanoseconds, so a match stopped at the budget has spent a few milliseconds on a short value and a
 * few hundred on a 4 KB one, instead of minutes or hours.
 *
 * <p>Instances are immutable and thread-safe, like {@link Pattern}; each match counts its own
 * steps.
 */
public final class BoundedRegex {

  /** The longest pattern accepted, in characters of the pattern the user wrote. */
  public static final int MAX_PATTERN_LENGTH = 4096;

  /** The budget of a match against a short input. */
  public static final long MIN_STEPS = 1_000_000;

  /** The budget per character of input, for longer inputs. */
  public static final long STEPS_PER_CHAR = 20_000;

  /** How much of a pattern an error message quotes. */
  private static final int QUOTED_LENGTH = 100;

  private final String source;
  private final Pattern pattern;

  private BoundedRegex(String source, Pattern pattern) {
    this.source = source;
    this.pattern = pattern;
  }

  /**
   * Compiles a user's pattern as it is.
   *
   * @throws PatternSyntaxException if it does not compile or is longer than {@link
   *     #MAX_PATTERN_LENGTH}
   */
  public static BoundedRegex compile(String regex, int flags) {
    return compile(regex, regex, flags);
  }

  /**
   * Compiles {@code javaRegex}, which the caller derived from the user's pattern {@code source}
   * (e.g. wrapped in a group or translated from another syntax); the length limit and error
   * messages refer to {@code source}.
   *
   * @throws PatternSyntaxException if {@code javaRegex} does not compile or {@code source} is
   *     longer than {@link #MAX_PATTERN_LENGTH}
   */
  public static BoundedRegex compile(String source, String javaRegex, int flags) {
    requireBoundedLength(source);
    return new BoundedRegex(source, Pattern.compile(javaRegex, flags));
  }

  /**
   * Refuses a user's pattern longer than {@link #MAX_PATTERN_LENGTH}, for callers that rewrite it
   * before compiling and want to check it before any work.
   *
   * @throws PatternSyntaxException if it is too long
   */
  public static void requireBoundedLength(String source) {
    if (source.length() > MAX_PATTERN_LENGTH) {
      throw new PatternSyntaxException(
          "the regular expression is "
              + source.length()
              + " characters long, longer than the limit of "
              + MAX_PATTERN_LENGTH,
          quoted(source),
          -1);
    }
  }

  /** The pattern as the user wrote it. */
  public String source() {
    return source;
  }

  /** The compiled pattern; matching with it directly is unbounded. */
  public Pattern pattern() {
    return pattern;
  }

  /**
   * Whether the whole of {@code input} matches.
   *
   * @throws RegexTooComplexException if matching exceeds the budget
   */
  public boolean matches(CharSequence input) {
    return matcher(input).matches();
  }

  /**
   * Whether the pattern occurs anywhere in {@code input}.
   *
   * @throws RegexTooComplexException if matching exceeds the budget
   */
  public boolean find(CharSequence input) {
    return matcher(input).find();
  }

  /**
   * A matcher over {@code input} whose operations together may take {@link #budget(int)} steps
   * (groups of a match are read without counting); beyond, they throw {@link
   * RegexTooComplexException}.
   */
  public Matcher matcher(CharSequence input) {
    return pattern.matcher(new Budgeted(input, budget(input.length())));
  }

  /** The steps ({@code charAt} calls) a match against {@code length} characters may take. */
  public static long budget(int length) {
    return Math.max(MIN_STEPS, STEPS_PER_CHAR * length);
  }

  @Override
  public String toString() {
    return source;
  }

  private static String quoted(String source) {
    return source.length() <= QUOTED_LENGTH
        ? source
        : source.substring(0, QUOTED_LENGTH) + "… (" + source.length() + " characters)";
  }

  private RegexTooComplexException tooComplex(long budget, int length) {
    return new RegexTooComplexException(
        "the regular expression \""
            + quoted(source)
            + "\" is too complex: matching it against a value of "
            + length
            + " characters took more than "
            + budget
            + " steps (the limit is max("
            + MIN_STEPS
            + ", "
            + STEPS_PER_CHAR
            + " × value length)); avoid nested repetition such as (a+)+");
  }

  /** The input as the engine reads it: every {@code charAt} counts against the budget. */
  private final class Budgeted implements CharSequence {
    private final CharSequence text;
    private final long budget;
    private long steps;

    Budgeted(CharSequence text, long budget) {
      this.text = text;
      this.budget = budget;
    }

    @Override
    public char charAt(int index) {
      if (++steps > budget) {
        throw tooComplex(budget, text.length());
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
