package io.meridian.protocol.opentsdb;

import io.meridian.protocol.CborSerializable;
import io.meridian.protocol.regex.BoundedRegex;
import io.meridian.protocol.regex.RegexTooComplexException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * One OpenTSDB 2.2+ tag value filter: selects series by the value of one tag key and optionally
 * groups the results by that key.
 *
 * <p>Types, as in OpenTSDB:
 *
 * <ul>
 *   <li>{@code literal_or}: the value is one of the {@code |}-separated literals;
 *   <li>{@code iliteral_or}: the same, ignoring case;
 *   <li>{@code not_literal_or}, {@code not_iliteral_or}: the value is none of the literals;
 *   <li>{@code wildcard}: glob match where {@code *} matches any run of characters, e.g. {@code
 *       web*}, {@code *.example.com}, {@code web*.dc1}; a lone {@code *} matches every value;
 *   <li>{@code iwildcard}: the same, ignoring case;
 *   <li>{@code regexp}: a Java regular expression found anywhere in the value.
 * </ul>
 *
 * <p>A series that does not carry {@link #tagk} never matches, whatever the type: OpenTSDB's
 * scanner requires every filtered tag key to be present on the series.
 *
 * <p>This is a plain record so it can be sent to entities with Jackson CBOR; compiled regular
 * expressions are kept in a small static cache rather than in the record. They come from users, so
 * they are {@link BoundedRegex}es: one longer than {@link BoundedRegex#MAX_PATTERN_LENGTH} is
 * refused like one that does not compile, and {@link #matches(String)} throws {@link
 * RegexTooComplexException} rather than backtracking for minutes.
 *
 * @param tagk the tag key the filter applies to
 * @param type the filter type, lower case, one of {@link #TYPES}
 * @param filter the filter expression, e.g. {@code web01|web02} or {@code web*}
 * @param groupBy whether results are grouped by the values of {@link #tagk}
 */
public record TagFilter(String tagk, String type, String filter, boolean groupBy)
    implements CborSerializable {

  public static final String LITERAL_OR = "literal_or";
  public static final String ILITERAL_OR = "iliteral_or";
  public static final String NOT_LITERAL_OR = "not_literal_or";
  public static final String NOT_ILITERAL_OR = "not_iliteral_or";
  public static final String WILDCARD = "wildcard";
  public static final String IWILDCARD = "iwildcard";
  public static final String REGEXP = "regexp";

  /** The supported filter types. */
  public static final Set<String> TYPES =
      Set.of(LITERAL_OR, ILITERAL_OR, NOT_LITERAL_OR, NOT_ILITERAL_OR, WILDCARD, IWILDCARD, REGEXP);

  private static final int PATTERN_CACHE_SIZE = 512;

  /** Bounded LRU cache; a query matches many series against the same few expressions. */
  private static final Map<String, BoundedRegex> PATTERNS =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, BoundedRegex> eldest) {
              return size() > PATTERN_CACHE_SIZE;
            }
          });

  public TagFilter {
    Objects.requireNonNull(tagk, "tagk");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(filter, "filter");
    type = type.toLowerCase(Locale.ROOT);
  }

  /**
   * Builds a filter from explicit parts (the JSON {@code filters} form or {@code
   * host=wildcard(web*)}), validating it as OpenTSDB does.
   *
   * @throws BadQueryException if the type is unknown or the expression invalid for the type
   */
  public static TagFilter of(String tagk, String type, String filter, boolean groupBy) {
    if (type == null || type.isEmpty()) {
      throw new BadQueryException("The filter type cannot be null or empty");
    }
    if (tagk == null || tagk.isEmpty()) {
      throw new BadQueryException("The tagk cannot be null or empty");
    }
    String lowerType = type.toLowerCase(Locale.ROOT);
    if (!TYPES.contains(lowerType)) {
      throw new BadQueryException("Could not find a tag value filter of the type: " + type);
    }
    if (filter == null || filter.isEmpty()) {
      throw new BadQueryException("Filter cannot be null or empty");
    }
    switch (lowerType) {
      case LITERAL_OR:
      case ILITERAL_OR:
      case NOT_LITERAL_OR:
      case NOT_ILITERAL_OR:
        if (filter.equals("|")) {
          throw new BadQueryException("Filter must contain more than just a pipe");
        }
        break;
      case WILDCARD:
      case IWILDCARD:
        if (filter.indexOf('*') < 0) {
          throw new BadQueryException("Filter must contain an asterisk");
        }
        break;
      case REGEXP:
        try {
          pattern(filter);
        } catch (PatternSyntaxException e) {
          throw new BadQueryException(
              "Invalid regular expression '" + filter + "': " + e.getDescription(), e);
        }
        break;
      default:
        throw new AssertionError(lowerType);
    }
    return new TagFilter(tagk, lowerType, filter, groupBy);
  }

  /**
   * Converts an OpenTSDB tag value into a filter, as OpenTSDB 2.2+ does for the first curly block
   * of {@code m=} (with {@code groupBy} true), the second block (false) and the JSON {@code tags}
   * map (true):
   *
   * <ul>
   *   <li>{@code type(expr)}, e.g. {@code wildcard(web*)}: that filter;
   *   <li>{@code *}: {@code wildcard(*)}, i.e. every value;
   *   <li>a value containing {@code *}, e.g. {@code web*}: {@code wildcard};
   *   <li>anything else, e.g. {@code web01} or {@code web01|web02}: {@code literal_or}.
   * </ul>
   *
   * @throws BadQueryException if the value is empty or names an invalid filter
   */
  public static TagFilter fromTagValue(String tagk, String value, boolean groupBy) {
    if (tagk == null || tagk.isEmpty()) {
      throw new BadQueryException("Tagk cannot be null or empty");
    }
    if (value == null || value.isEmpty()) {
      throw new BadQueryException("Filter cannot be null or empty");
    }
    int paren = value.indexOf('(');
    if (paren >= 0) {
      if (value.charAt(value.length() - 1) != ')') {
        throw new BadQueryException("Filter must end with a ')': " + value);
      }
      return of(
          tagk, value.substring(0, paren), value.substring(paren + 1, value.length() - 1), groupBy);
    }
    if (value.indexOf('*') >= 0) {
      return of(tagk, WILDCARD, value, groupBy);
    }
    return of(tagk, LITERAL_OR, value, groupBy);
  }

  /** This filter with another {@link #groupBy} flag. */
  public TagFilter withGroupBy(boolean newGroupBy) {
    return newGroupBy == groupBy ? this : new TagFilter(tagk, type, filter, newGroupBy);
  }

  /** The URI form of the filter, e.g. {@code wildcard(web*)}. */
  public String expression() {
    return type + "(" + filter + ")";
  }

  /**
   * Whether a series whose value for {@link #tagk} is {@code tagValue} passes this filter.
   *
   * @param tagValue the series' value for {@link #tagk}, or null if the series lacks that key (then
   *     the result is always false)
   * @throws RegexTooComplexException if a {@code regexp} filter takes too many steps on the value
   */
  public boolean matches(String tagValue) {
    if (tagValue == null) {
      return false;
    }
    switch (type) {
      case LITERAL_OR:
        return containsLiteral(filter, tagValue, false);
      case ILITERAL_OR:
        return containsLiteral(filter, tagValue, true);
      case NOT_LITERAL_OR:
        return !containsLiteral(filter, tagValue, false);
      case NOT_ILITERAL_OR:
        return !containsLiteral(filter, tagValue, true);
      case WILDCARD:
        return globMatches(filter, tagValue);
      case IWILDCARD:
        return globMatches(filter.toLowerCase(Locale.ROOT), tagValue.toLowerCase(Locale.ROOT));
      case REGEXP:
        return pattern(filter).find(tagValue);
      default:
        throw new IllegalStateException("Unknown tag filter type: " + type);
    }
  }

  /** Whether {@code value} equals one of the {@code |}-separated literals, without splitting. */
  private static boolean containsLiteral(String literals, String value, boolean ignoreCase) {
    int start = 0;
    while (start <= literals.length()) {
      int end = literals.indexOf('|', start);
      if (end < 0) {
        end = literals.length();
      }
      int length = end - start;
      if (length == value.length() && literals.regionMatches(ignoreCase, start, value, 0, length)) {
        return true;
      }
      start = end + 1;
    }
    return false;
  }

  /** Anchored glob match where {@code *} matches any (possibly empty) run of characters. */
  static boolean globMatches(String glob, String value) {
    int g = 0;
    int v = 0;
    int starGlob = -1;
    int starValue = 0;
    while (v < value.length()) {
      if (g < glob.length() && glob.charAt(g) == '*') {
        starGlob = g++;
        starValue = v;
      } else if (g < glob.length() && glob.charAt(g) == value.charAt(v)) {
        g++;
        v++;
      } else if (starGlob >= 0) {
        // Let the last star absorb one more character and retry.
        g = starGlob + 1;
        v = ++starValue;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }

  private static BoundedRegex pattern(String regexp) {
    BoundedRegex cached = PATTERNS.get(regexp);
    if (cached == null) {
      cached = BoundedRegex.compile(regexp, 0);
      PATTERNS.put(regexp, cached);
    }
    return cached;
  }
}
