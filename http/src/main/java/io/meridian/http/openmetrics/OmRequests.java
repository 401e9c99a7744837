package io.meridian.http.openmetrics;

import io.meridian.node.scrape.ScrapeCatalogException;
import io.meridian.protocol.scrape.ResultCode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.MediaTypes;

/**
 * Checks of a request's headers and query parameters besides its body: {@code X-SYSMON-REGION}, the
 * {@code memberId} parameter and the JSON content type. Each problem is a {@link
 * ScrapeCatalogException} with the API's result code.
 */
final class OmRequests {

  static final String REGION_HEADER = "X-SYSMON-REGION";

  /** System Monitoring's regions, as {@code X-SYSMON-REGION} names them. */
  static final List<String> REGIONS = List.of("kr", "kr2", "us", "jp");

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private OmRequests() {}

  /**
   * Accepts a request without {@code X-SYSMON-REGION} or naming this installation's region ({@code
   * served}, any region when empty), case-insensitively.
   *
   * @throws ScrapeCatalogException BAD_INPUT_VALUE for a value that is no region,
   *     INVALID_HOST_OR_PROJECT for another region than {@code served}
   */
  static void checkRegion(Optional<String> header, String served) {
    if (header.isEmpty()) {
      return;
    }
    String region = header.get().trim().toLowerCase(Locale.ROOT);
    if (!REGIONS.contains(region)) {
      throw new ScrapeCatalogException(
          ResultCode.BAD_INPUT_VALUE,
          REGION_HEADER
              + " must be one of "
              + String.join(", ", REGIONS)
              + ", not \""
              + header.get()
              + "\"");
    }
    if (!served.isEmpty() && !served.equalsIgnoreCase(region)) {
      throw new ScrapeCatalogException(
          ResultCode.INVALID_HOST_OR_PROJECT,
          "This installation serves region "
              + served.toLowerCase(Locale.ROOT)
              + ", not "
              + region
              + " ("
              + REGION_HEADER
              + ")");
    }
  }

  /**
   * The {@code memberId} query parameter, who makes the change (a UUID), or null when it is absent
   * and not {@code required}.
   *
   * @throws ScrapeCatalogException BAD_INPUT_VALUE when it is missing but required, given more than
   *     once, or not a UUID
   */
  static String memberId(HttpRequest request, boolean required) {
    List<String> values = request.getUri().query().getAll("memberId");
    if (values.isEmpty()) {
      if (required) {
        throw new ScrapeCatalogException(
            ResultCode.BAD_INPUT_VALUE,
            "Query parameter memberId is required: the UUID of the member deleting");
      }
      return null;
    }
    if (values.size() > 1) {
      throw new ScrapeCatalogException(
          ResultCode.BAD_INPUT_VALUE, "Query parameter memberId is given more than once");
    }
    String memberId = values.get(0);
    if (!UUID.matcher(memberId).matches()) {
      throw new ScrapeCatalogException(
          ResultCode.BAD_INPUT_VALUE,
          "Query parameter memberId must be a UUID (8-4-4-4-12 hexadecimal digits), not \""
              + (memberId.length() <= 40 ? memberId : memberId.substring(0, 40) + "…")
              + "\"");
    }
    return memberId;
  }

  /**
   * Accepts a request whose body is declared {@code application/json} (any charset).
   *
   * @throws ScrapeCatalogException BAD_INPUT_VALUE for any other or no content type
   */
  static void requireJson(HttpRequest request) {
    var type = request.entity().getContentType();
    if (!type.mediaType().equals(MediaTypes.APPLICATION_JSON)) {
      throw new ScrapeCatalogException(
          ResultCode.BAD_INPUT_VALUE,
          "The request body must be JSON with Content-Type: application/json, not " + type);
    }
  }
}
