package io.meridian.protocol.regex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.protocol.opentsdb.BadQueryException;
import io.meridian.protocol.opentsdb.TagFilter;
import io.meridian.protocol.promql.LabelMatcher;
import io.meridian.protocol.promql.PromQlParseException;
import io.meridian.protocol.promql.PromQlParser;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Users' regular expressions: catastrophic backtracking is stopped by the step budget, overlong
 * patterns are refused, and ordinary patterns match exactly as {@link Pattern} does. No test
 * asserts timings; a budget that failed to trip would show as a test that never ends.
 */
class BoundedRegexTest {

  /** 30 {@code a}s and a character that makes every way of splitting them fail. */
  private static final String THIRTY_AS = "a".repeat(30) + "b";

  /**
   * Patterns that backtrack exponentially on Java 17 against {@link #THIRTY_AS}-like input. The
   * textbook {@code (a+)+$} is not among them: since JDK 9 the engine memoizes a single greedy
   * group loop, and it fails in about a thousand steps.
   */
  @ParameterizedTest
  @ValueSource(strings = {"((a+)+)+$", "((a+)+)+c", "(a+)+?c", "(.*a){12}c", "(a+)+\\1c"})
  void catastrophicBacktrackingIsStopped(String regex) {
    BoundedRegex bounded = BoundedRegex.compile(regex, 0);

    assertThatThrownBy(() -> bounded.matches(THIRTY_AS))
        .isInstanceOf(RegexTooComplexException.class)
        .hasMessageContaining(regex)
        .hasMessageContaining(String.valueOf(BoundedRegex.budget(THIRTY_AS.length())));
    assertThatThrownBy(() -> bounded.find(THIRTY_AS)).isInstanceOf(RegexTooComplexException.class);
  }

  @Test
  void theMessageQuotesOnlyTheStartOfALongPattern() {
    String regex = "((a+)+)+c" + "|xyz".repeat(100);

    assertThatThrownBy(() -> BoundedRegex.compile(regex, 0).matches(THIRTY_AS))
        .isInstanceOf(RegexTooComplexException.class)
        .hasMessageContaining("((a+)+)+c|xyz")
        .hasMessageContaining("(409 characters)")
        .hasMessageNotContaining(regex);
  }

  @Test
  void ordinaryPatternsMatchAsPatternDoes() {
    String[] regexes = {
      "web.*",
      "(a|b|c)",
      ".*foo.*",
      ".*(foo|bar|baz).*",
      "[a-z]+-[0-9]+",
      "(web|db)-\\d+\\.example\\.com",
      "^web0[1-3]$",
      "",
    };
    String[] inputs = {
      "", "a", "web01", "db-12.example.com", "xfoox", "web-42", randomLetters(1000, 'd', 20),
    };
    for (String regex : regexes) {
      Pattern plain = Pattern.compile(regex);
      BoundedRegex bounded = BoundedRegex.compile(regex, 0);
      for (String input : inputs) {
        assertThat(bounded.matches(input))
            .as("%s matches %s", regex, input)
            .isEqualTo(plain.matcher(input).matches());
        assertThat(bounded.find(input))
            .as("%s find %s", regex, input)
            .isEqualTo(plain.matcher(input).find());
      }
    }
  }

  /**
   * A leading {@code .*} under {@code find} is tried at every start, quadratic in the value's
   * length; that must stay within the budget for values of a few KB.
   */
  @ParameterizedTest
  @ValueSource(strings = {".*foo.*", ".*(foo|bar|baz).*", ".*a.*b.*c.*", "[a-z]+-[0-9]+"})
  void quadraticFindsOnValuesOfFourKilobytesStayWithinTheBudget(String regex) {
    // Letters p..z: neither foo, bar, baz, a, b, c nor a dash occur.
    String value = randomLetters(4096, 'p', 11);
    BoundedRegex bounded = BoundedRegex.compile(regex, 0);

    assertThat(bounded.find(value)).isFalse();
    assertThat(bounded.find(value + "foo-1abc")).isTrue();
    assertThat(bounded.matches(value + "foo")).isEqualTo(regex.contains("foo"));
  }

  @Test
  void theMatcherGivesGroupsAndFlagsApply() {
    Matcher matcher =
        BoundedRegex.compile("(?:(WEB)-(\\d+))", Pattern.CASE_INSENSITIVE).matcher("web-42");

    assertThat(matcher.matches()).isTrue();
    assertThat(matcher.group(1)).isEqualTo("web");
    assertThat(matcher.group(2)).isEqualTo("42");
  }

  @Test
  void patternsLongerThanTheLimitAreRefused() {
    String longest = "a".repeat(BoundedRegex.MAX_PATTERN_LENGTH);
    String tooLong = "a".repeat(5000);

    assertThat(BoundedRegex.compile(longest, 0).matches(longest)).isTrue();
    assertThatThrownBy(() -> BoundedRegex.compile(tooLong, 0))
        .isInstanceOf(PatternSyntaxException.class)
        .hasMessageContaining("5000 characters long, longer than the limit of 4096");
    // The limit is on what the user wrote, not on the pattern a caller derives from it.
    assertThat(BoundedRegex.compile(longest, "(?:" + longest + ")", 0).source()).isEqualTo(longest);
    assertThatThrownBy(() -> BoundedRegex.compile(tooLong, "x", 0))
        .isInstanceOf(PatternSyntaxException.class);
  }

  @Test
  void patternsThatDoNotCompileAreRefused() {
    assertThatThrownBy(() -> BoundedRegex.compile("(a", 0))
        .isInstanceOf(PatternSyntaxException.class);
  }

  @Test
  void theBudgetHasAFloorAndGrowsWithTheInput() {
    assertThat(BoundedRegex.budget(0)).isEqualTo(1_000_000);
    assertThat(BoundedRegex.budget(50)).isEqualTo(1_000_000);
    assertThat(BoundedRegex.budget(4096)).isEqualTo(4096L * 20_000);
  }

  @Test
  void labelMatchersAreBounded() {
    LabelMatcher matcher = LabelMatcher.of(LabelMatcher.Type.REGEX, "lbl", "((a+)+)+b");
    LabelMatcher negated = LabelMatcher.of(LabelMatcher.Type.NOT_REGEX, "lbl", "((a+)+)+b");
    String value = "a".repeat(40) + "!";

    assertThat(matcher.matches("aab")).isTrue();
    assertThat(negated.matches("aab")).isFalse();
    assertThatThrownBy(() -> matcher.matches(value)).isInstanceOf(RegexTooComplexException.class);
    assertThatThrownBy(() -> negated.matches(value)).isInstanceOf(RegexTooComplexException.class);
    assertThatThrownBy(() -> LabelMatcher.of(LabelMatcher.Type.REGEX, "lbl", "a".repeat(5000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than the limit of 4096");
    assertThatThrownBy(() -> PromQlParser.parseSelector("{lbl=~\"" + "a".repeat(5000) + "\"}"))
        .isInstanceOf(PromQlParseException.class)
        .hasMessageContaining("longer than the limit of 4096");
  }

  @Test
  void regexpTagFiltersAreBounded() {
    TagFilter filter = TagFilter.of("host", TagFilter.REGEXP, "((a+)+)+b", true);

    assertThat(filter.matches("xaab")).isTrue();
    assertThatThrownBy(() -> filter.matches("a".repeat(40) + "-"))
        .isInstanceOf(RegexTooComplexException.class);
    assertThatThrownBy(() -> TagFilter.of("host", TagFilter.REGEXP, "a".repeat(5000), true))
        .isInstanceOf(BadQueryException.class)
        .hasMessageContaining("longer than the limit of 4096");
  }

  private static String randomLetters(int length, char first, int range) {
    Random random = new Random(42);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append((char) (first + random.nextInt(range)));
    }
    return out.toString();
  }
}
