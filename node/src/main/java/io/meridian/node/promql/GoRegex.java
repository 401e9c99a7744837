package io.meridian.node.promql;

import io.meridian.protocol.regex.BoundedRegex;
import io.meridian.protocol.regex.RegexTooComplexException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Go (RE2) regular expression run on {@link java.util.regex}: fully anchored as Prometheus
 * anchors label regexes, {@code .} matching all but {@code \n}, RE2's named groups, POSIX classes
 * and literal braces, and {@code Regexp.Expand}'s {@code $1}, {@code ${1}}, {@code $name} and
 * {@code $$} templates.
 *
 * <p>The expression comes from a user ({@code label_replace}), so it is a {@link BoundedRegex}: one
 * longer than {@link BoundedRegex#MAX_PATTERN_LENGTH} is refused like one that does not compile,
 * and a match that backtracks too long throws {@link RegexTooComplexException}.
 */
final class GoRegex {

  private final BoundedRegex pattern;

  /** Go group names to the generated Java group names, in group order (Go allows repeats). */
  private final Map<String, List<String>> groupNames;

  private GoRegex(BoundedRegex pattern, Map<String, List<String>> groupNames) {
    this.pattern = pattern;
    this.groupNames = groupNames;
  }

  /**
   * Compiles {@code regex} anchored at both ends; throws {@link PatternSyntaxException} if it does
   * not compile or is too long.
   */
  static GoRegex anchored(String regex) {
    BoundedRegex.requireBoundedLength(regex);
    Map<String, List<String>> names = new LinkedHashMap<>();
    String translated = translate(regex, names);
    return new GoRegex(
        BoundedRegex.compile(regex, "(?:" + translated + ")", Pattern.UNIX_LINES), names);
  }

  /**
   * The match of the whole of {@code input}, or null.
   *
   * @throws RegexTooComplexException if matching takes too many steps
   */
  Matcher match(String input) {
    Matcher matcher = pattern.matcher(input);
    return matcher.matches() ? matcher : null;
  }

  /** {@code Regexp.ExpandString(template, input, match)}. */
  String expand(String template, Matcher match) {
    StringBuilder out = new StringBuilder();
    String rest = template;
    while (!rest.isEmpty()) {
      int dollar = rest.indexOf('$');
      if (dollar < 0) {
        break;
      }
      out.append(rest, 0, dollar);
      rest = rest.substring(dollar + 1);
      if (rest.startsWith("$")) {
        out.append('$');
        rest = rest.substring(1);
        continue;
      }
      Reference reference = Reference.extract(rest);
      if (reference == null) {
        // Malformed: Go keeps the $ as text.
        out.append('$');
        continue;
      }
      rest = rest.substring(reference.length());
      out.append(group(reference, match));
    }
    return out.append(rest).toString();
  }

  private String group(Reference reference, Matcher match) {
    if (reference.number() >= 0) {
      if (reference.number() <= match.groupCount() && match.start(reference.number()) >= 0) {
        return match.group(reference.number());
      }
      return "";
    }
    for (String javaName : groupNames.getOrDefault(reference.name(), List.of())) {
      if (match.start(javaName) >= 0) {
        return match.group(javaName);
      }
    }
    return "";
  }

  /** A {@code $name} or {@code ${name}} reference; number is -1 unless the name is a number. */
  private record Reference(String name, int number, int length) {

    static Reference extract(String s) {
      if (s.isEmpty()) {
        return null;
      }
      boolean brace = s.charAt(0) == '{';
      int start = brace ? 1 : 0;
      int i = start;
      while (i < s.length()) {
        int c = s.codePointAt(i);
        if (!Character.isLetter(c) && !Character.isDigit(c) && c != '_') {
          break;
        }
        i += Character.charCount(c);
      }
      if (i == start) {
        return null;
      }
      String name = s.substring(start, i);
      if (brace) {
        if (i >= s.length() || s.charAt(i) != '}') {
          return null;
        }
        i++;
      }
      int number = 0;
      for (int j = 0; j < name.length(); j++) {
        char c = name.charAt(j);
        if (c < '0' || c > '9' || number >= 100_000_000) {
          number = -1;
          break;
        }
        number = number * 10 + (c - '0');
      }
      if (name.charAt(0) == '0' && name.length() > 1) {
        number = -1;
      }
      return new Reference(name, number, i);
    }
  }

  /** Java names for Go's POSIX classes ({@code [[:alpha:]]}), which Java reads as unions. */
  private static final Map<String, String> POSIX_CLASSES =
      Map.ofEntries(
          Map.entry("alnum", "Alnum"),
          Map.entry("alpha", "Alpha"),
          Map.entry("ascii", "ASCII"),
          Map.entry("blank", "Blank"),
          Map.entry("cntrl", "Cntrl"),
          Map.entry("digit", "Digit"),
          Map.entry("graph", "Graph"),
          Map.entry("lower", "Lower"),
          Map.entry("print", "Print"),
          Map.entry("punct", "Punct"),
          Map.entry("space", "Space"),
          Map.entry("upper", "Upper"),
          Map.entry("xdigit", "XDigit"));

  private static final Pattern POSIX_CLASS = Pattern.compile("\\[:(\\^?)([a-z]+):]");
  private static final Pattern REPETITION = Pattern.compile("\\{\\d+(,\\d*)?}");

  /**
   * Rewrites RE2 syntax that Java reads differently: {@code (?P<name>} and {@code (?<name>} become
   * unique Java-legal names (Java allows no underscores and no repeats), POSIX classes become
   * {@code \p{…}}, and characters that are literal in RE2 but special in Java ({@code [} and {@code
   * &} in a class, a {@code {} that starts no repetition) are escaped.
   */
  private static String translate(String regex, Map<String, List<String>> names) {
    StringBuilder out = new StringBuilder(regex.length());
    boolean inClass = false;
    int generated = 0;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length()) {
        out.append(c).append(regex.charAt(++i));
        continue;
      }
      if (inClass) {
        Matcher posix = POSIX_CLASS.matcher(regex).region(i, regex.length());
        String posixClass =
            posix.lookingAt() ? posixClass(posix.group(2), !posix.group(1).isEmpty()) : null;
        if (posixClass != null) {
          out.append(posixClass);
          i = posix.end() - 1;
        } else if (c == '[' || c == '&') {
          out.append('\\').append(c);
        } else {
          inClass = c != ']';
          out.append(c);
        }
        continue;
      }
      if (c == '[') {
        inClass = true;
        out.append(c);
        if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
          out.append(regex.charAt(++i));
        }
        // A ']' right after '[' or '[^' is a member of the class.
        if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
          out.append("\\]");
          i++;
        }
        continue;
      }
      if (c == '{' && !REPETITION.matcher(regex).region(i, regex.length()).lookingAt()) {
        out.append("\\{");
        continue;
      }
      int prefix =
          regex.startsWith("(?P<", i)
              ? 4
              : regex.startsWith("(?<", i) && !lookbehind(regex, i) ? 3 : 0;
      int close = prefix > 0 ? regex.indexOf('>', i + prefix) : -1;
      if (close > 0) {
        String javaName = "g" + generated++ + "x";
        names
            .computeIfAbsent(regex.substring(i + prefix, close), n -> new ArrayList<>())
            .add(javaName);
        out.append("(?<").append(javaName).append('>');
        i = close;
        continue;
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String posixClass(String name, boolean negated) {
    if (name.equals("word")) {
      return negated ? "\\W" : "\\w";
    }
    String javaName = POSIX_CLASSES.get(name);
    return javaName == null ? null : (negated ? "\\P{" : "\\p{") + javaName + "}";
  }

  private static boolean lookbehind(String regex, int i) {
    return regex.startsWith("(?<=", i) || regex.startsWith("(?<!", i);
  }
}
