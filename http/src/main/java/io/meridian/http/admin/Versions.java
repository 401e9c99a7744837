package io.meridian.http.admin;

import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * API versions by content negotiation, as Apcera's API has them: a client names the resource type
 * and version it sends in {@code Content-Type} and the one it wants in {@code Accept}, as {@code
 * application/vnd.meridian.<resource>;version=<n>}, and the answer's {@code Content-Type} names the
 * type and version it holds. A request naming no vendor type, an unknown type or an unknown version
 * gets the endpoint's own type at its newest version: the reasonable guess, since the endpoint and
 * method say what it answers. A client that accepts only {@code application/json} gets that.
 */
final class Versions {

  static final String VENDOR_PREFIX = "application/vnd.meridian.";

  /** Versions each resource type has: 1 only, so far. */
  static final int LATEST = 1;

  private Versions() {}

  /**
   * The {@code Content-Type} of an answer holding {@code resource}, negotiated with {@code Accept}.
   */
  static ContentType answer(HttpRequest request, String resource) {
    Optional<String> accept = request.getHeader("Accept").map(h -> h.value());
    if (accept.isPresent()) {
      String value = accept.get().toLowerCase(Locale.ROOT);
      if (!value.contains(VENDOR_PREFIX)
          && value.contains("application/json")
          && !value.contains("*/*")) {
        return ContentTypes.APPLICATION_JSON;
      }
      for (String range : value.split(",")) {
        Optional<Integer> version = version(range.trim(), resource);
        if (version.isPresent()) {
          return of(resource, version.get());
        }
      }
    }
    return of(resource, LATEST);
  }

  /**
   * The version {@code range} asks for, if it names {@code resource} and a version this API has (no
   * version parameter: the newest).
   */
  static Optional<Integer> version(String range, String resource) {
    String[] parts = range.split(";");
    if (!parts[0].trim().equals(VENDOR_PREFIX + resource)) {
      return Optional.empty();
    }
    for (int i = 1; i < parts.length; i++) {
      String[] parameter = parts[i].trim().split("=", 2);
      if (parameter.length == 2 && parameter[0].trim().equals("version")) {
        try {
          int version = Integer.parseInt(parameter[1].trim());
          return version >= 1 && version <= LATEST ? Optional.of(version) : Optional.empty();
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(LATEST);
  }

  static ContentType of(String resource, int version) {
    return ContentTypes.parse(VENDOR_PREFIX + resource + ";version=" + version);
  }
}
