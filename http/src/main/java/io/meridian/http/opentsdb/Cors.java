package io.meridian.http.opentsdb;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * OpenTSDB's CORS rules: disabled while the domain list is empty; otherwise an {@code Origin} that
 * fully matches a listed domain (case-insensitive) or any origin with {@code *} is allowed, and
 * every other origin is denied with a 200 carrying the error object.
 */
final class Cors {

  static final String ALLOWED_METHODS = "GET, POST, PUT, DELETE";

  private final Set<String> domains;
  private final boolean wildcard;
  private final String allowedHeaders;

  Cors(List<String> domains, String allowedHeaders) {
    this.domains =
        domains.stream()
            .map(String::trim)
            .filter(d -> !d.isEmpty())
            .map(d -> d.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    this.wildcard = this.domains.contains("*");
    this.allowedHeaders = allowedHeaders;
  }

  boolean enabled() {
    return !domains.isEmpty();
  }

  boolean allows(String origin) {
    return wildcard || domains.contains(origin.trim().toLowerCase(Locale.ROOT));
  }

  String allowedHeaders() {
    return allowedHeaders;
  }
}
