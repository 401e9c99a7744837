package io.meridian.protocol.opentsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TagFilterMatchingTest {

  private static TagFilter filter(String type, String expression) {
    return TagFilter.of("host", type, expression, false);
  }

  @Test
  void literalOrMatchesAnyPipeSeparatedValueExactly() {
    TagFilter f = filter("literal_or", "web01|web02");
    assertThat(f.matches("web01")).isTrue();
    assertThat(f.matches("web02")).isTrue();
    assertThat(f.matches("web0")).isFalse();
    assertThat(f.matches("web012")).isFalse();
    assertThat(f.matches("WEB01")).isFalse();
    assertThat(filter("literal_or", "web01").matches("web01")).isTrue();
  }

  @Test
  void iliteralOrIgnoresCase() {
    TagFilter f = filter("iliteral_or", "Web01|web02");
    assertThat(f.matches("WEB01")).isTrue();
    assertThat(f.matches("web02")).isTrue();
    assertThat(f.matches("web03")).isFalse();
  }

  @Test
  void notLiteralOrMatchesEverythingElse() {
    assertThat(filter("not_literal_or", "web01|web02").matches("web03")).isTrue();
    assertThat(filter("not_literal_or", "web01|web02").matches("web01")).isFalse();
    assertThat(filter("not_literal_or", "web01").matches("WEB01")).isTrue();
    assertThat(filter("not_iliteral_or", "web01").matches("WEB01")).isFalse();
    assertThat(filter("not_iliteral_or", "web01").matches("web02")).isTrue();
  }

  @Test
  void wildcardIsAnAnchoredGlob() {
    assertThat(filter("wildcard", "*").matches("anything")).isTrue();
    assertThat(filter("wildcard", "web*").matches("web01")).isTrue();
    assertThat(filter("wildcard", "web*").matches("web")).isTrue();
    assertThat(filter("wildcard", "web*").matches("aweb01")).isFalse();
    assertThat(filter("wildcard", "*.example.com").matches("a.example.com")).isTrue();
    assertThat(filter("wildcard", "*.example.com").matches("a.example.org")).isFalse();
    assertThat(filter("wildcard", "*web*").matches("my-web-01")).isTrue();
    assertThat(filter("wildcard", "web*.dc1").matches("web01.dc1")).isTrue();
    assertThat(filter("wildcard", "web*.dc1").matches("web01.dc2")).isFalse();
    assertThat(filter("wildcard", "a*b*c").matches("aXbYbZc")).isTrue();
    assertThat(filter("wildcard", "web*").matches("WEB01")).isFalse();
  }

  @Test
  void iwildcardIgnoresCase() {
    assertThat(filter("iwildcard", "Web*").matches("wEB01")).isTrue();
    assertThat(filter("iwildcard", "web*").matches("xweb")).isFalse();
  }

  @Test
  void regexpFindsThePatternAnywhere() {
    assertThat(filter("regexp", "web[0-9]+").matches("myweb42")).isTrue();
    assertThat(filter("regexp", "^web[0-9]+$").matches("myweb42")).isFalse();
    assertThat(filter("regexp", ".*").matches("x")).isTrue();
  }

  @Test
  void aSeriesWithoutTheTagKeyNeverMatches() {
    assertThat(filter("not_literal_or", "web01").matches(null)).isFalse();
    assertThat(filter("wildcard", "*").matches(null)).isFalse();
  }

  @Test
  void tagValuesConvertToFiltersAsInOpenTsdb22() {
    assertThat(TagFilter.fromTagValue("host", "*", true))
        .isEqualTo(new TagFilter("host", "wildcard", "*", true));
    assertThat(TagFilter.fromTagValue("host", "a|b", true))
        .isEqualTo(new TagFilter("host", "literal_or", "a|b", true));
    assertThat(TagFilter.fromTagValue("host", "web01", true))
        .isEqualTo(new TagFilter("host", "literal_or", "web01", true));
    assertThat(TagFilter.fromTagValue("host", "web*", false))
        .isEqualTo(new TagFilter("host", "wildcard", "web*", false));
    assertThat(TagFilter.fromTagValue("host", "regexp(web.*)", false))
        .isEqualTo(new TagFilter("host", "regexp", "web.*", false));
    assertThat(TagFilter.fromTagValue("host", "ILiteral_Or(A|b)", true))
        .isEqualTo(new TagFilter("host", "iliteral_or", "A|b", true));
  }

  @Test
  void invalidFiltersAreRejected() {
    assertThatThrownBy(() -> TagFilter.of("host", "bogus", "x", false))
        .isInstanceOf(BadQueryException.class)
        .hasMessage("Could not find a tag value filter of the type: bogus");
    assertThatThrownBy(() -> TagFilter.of("host", "wildcard", "web01", false))
        .hasMessage("Filter must contain an asterisk");
    assertThatThrownBy(() -> TagFilter.of("host", "literal_or", "|", false))
        .hasMessage("Filter must contain more than just a pipe");
    assertThatThrownBy(() -> TagFilter.of("host", "regexp", "web[", false))
        .hasMessageStartingWith("Invalid regular expression 'web['");
    assertThatThrownBy(() -> TagFilter.of("", "regexp", "x", false))
        .hasMessage("The tagk cannot be null or empty");
    assertThatThrownBy(() -> TagFilter.of("host", null, "x", false))
        .hasMessage("The filter type cannot be null or empty");
    assertThatThrownBy(() -> TagFilter.of("host", "literal_or", "", false))
        .hasMessage("Filter cannot be null or empty");
    assertThatThrownBy(() -> TagFilter.fromTagValue("host", "wildcard(web*", false))
        .hasMessage("Filter must end with a ')': wildcard(web*");
  }
}
