package io.meridian.http.logs;

import io.meridian.http.OverloadGuard;
import io.meridian.node.logs.LogService;
import io.meridian.protocol.logs.LogEntry;
import io.meridian.protocol.logs.LogFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Serves the LogExcerpt resource {@code /v1/log_excerpts/<from>/<to>}: GET (with long polling,
 * filters and caching headers), DELETE, and the POST of new entries to {@code /v1/log_excerpts}.
 */
final class ExcerptHandler {

  private static final int MAX_LEVEL = 5;

  private final LogService logs;
  private final LogSettings settings;
  private final LongSupplier clock;

  ExcerptHandler(LogService logs, LogSettings settings, LongSupplier clock) {
    this.logs = logs;
    this.settings = settings;
    this.clock = clock;
  }

  /** The range of a resource path, checked: integer milliseconds, {@code from <= to}. */
  record Range(long from, long to) {

    static Range parse(String from, String to) {
      long fromMs = millis("from", from);
      long toMs = millis("to", to);
      if (fromMs > toMs) {
        throw LogApiException.badRequest(
            "from (" + fromMs + ") must not be later than to (" + toMs + ")");
      }
      return new Range(fromMs, toMs);
    }

    private static long millis(String name, String text) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw LogApiException.badRequest(
            name + " must be an integer, milliseconds since the Unix epoch: \"" + text + "\"");
      }
    }
  }

  /** Whether a GET with these parameters long-polls: asked for, and {@code to} in the future. */
  boolean longPolls(Range range, Map<String, String> params) {
    return "true".equalsIgnoreCase(params.getOrDefault("long_polling", ""))
        && range.to() > clock.getAsLong();
  }

  CompletionStage<HttpResponse> get(
      String tenant, Range range, Map<String, String> params, HttpRequest request) {
    LogFilter filter = filter(params);
    CompletionStage<List<LogEntry>> entries;
    if (longPolls(range, params)) {
      // Waiting costs a waiter-registry entry, bounded by meridian.logs.max-waiters, not one of
      // the node's in-flight request slots.
      request.getAttribute(OverloadGuard.RELEASE_ADMISSION).ifPresent(Runnable::run);
      entries =
          logs.awaitExcerpt(tenant, range.from(), range.to(), filter, settings.longPollTimeout());
    } else {
      entries = logs.excerpt(tenant, range.from(), range.to(), filter);
    }
    return entries.thenApply(found -> excerpt(range, found, request));
  }

  CompletionStage<HttpResponse> delete(String tenant, Range range) {
    return logs.delete(tenant, range.from(), range.to()).thenApply(done -> noContent());
  }

  CompletionStage<HttpResponse> post(String tenant, List<LogEntry> entries) {
    return logs.append(tenant, entries).thenApply(done -> noContent());
  }

  private static HttpResponse noContent() {
    return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
  }

  /** The GET extension filters: {@code service=}, {@code level=} (at least), {@code contains=}. */
  static LogFilter filter(Map<String, String> params) {
    Optional<Integer> level =
        Optional.ofNullable(params.get("level"))
            .map(
                text -> {
                  try {
                    int value = Integer.parseInt(text);
                    if (value >= 0 && value <= MAX_LEVEL) {
                      return value;
                    }
                  } catch (NumberFormatException e) {
                    // answered below, as for a number out of range
                  }
                  throw LogApiException.badRequest(
                      "level must be an integer from 0 (DEBUG) to 5 (UNKNOWN): \"" + text + "\"");
                });
    return new LogFilter(
        Optional.ofNullable(params.get("service")),
        level,
        Optional.ofNullable(params.get("contains")));
  }

  /**
   * The excerpt with its validator and caching policy. A range ending at least {@code
   * cacheable-after} ago is settled (late entries have arrived) and may be cached by anyone; a
   * range reaching later may still grow and must be revalidated on every use.
   */
  private HttpResponse excerpt(Range range, List<LogEntry> entries, HttpRequest request) {
    String etag = etag(range, entries);
    String cacheControl =
        range.to() <= clock.getAsLong() - settings.cacheableAfter().toMillis()
            ? "public, max-age=" + settings.cacheMaxAge().toSeconds()
            : "no-cache";
    HttpResponse response =
        HttpResponse.create()
            .addHeader(RawHeader.create("ETag", etag))
            .addHeader(RawHeader.create("Cache-Control", cacheControl));
    if (request.getHeader("If-None-Match").map(h -> matches(h.value(), etag)).orElse(false)) {
      return response.withStatus(StatusCodes.NOT_MODIFIED);
    }
    String href = selfHref(request, range);
    byte[] body =
        LogResponses.json(
            out -> {
              out.writeObjectFieldStart("log_excerpt");
              out.writeObjectFieldStart("_links");
              out.writeObjectFieldStart("self");
              out.writeStringField("href", href);
              out.writeStringField("type", "application/json");
              out.writeEndObject();
              out.writeEndObject();
              out.writeNumberField("from", range.from());
              out.writeNumberField("to", range.to());
              out.writeArrayFieldStart("entries");
              for (LogEntry entry : entries) {
                out.writeString(entry.json());
              }
              out.writeEndArray();
              out.writeEndObject();
            });
    return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
  }

  /** Whether an {@code If-None-Match} list names {@code etag} (weak comparison, as for GET). */
  static boolean matches(String ifNoneMatch, String etag) {
    for (String tag : ifNoneMatch.split(",")) {
      String trimmed = tag.trim();
      if (trimmed.equals("*") || trimmed.replaceFirst("^W/", "").equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** A strong validator: a hash of the range and its entries' JSON, in order. */
  static String etag(Range range, List<LogEntry> entries) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    digest.update((range.from() + "/" + range.to()).getBytes(StandardCharsets.UTF_8));
    for (LogEntry entry : entries) {
      // The separator keeps ["ab"] and ["a","b"] apart; it never occurs in compact JSON text.
      digest.update((byte) '\n');
      digest.update(entry.json().getBytes(StandardCharsets.UTF_8));
    }
    return "\"" + HexFormat.of().formatHex(digest.digest(), 0, 16) + "\"";
  }

  /**
   * The resource's own URL as the client reached it: its Host header, and the scheme a TLS
   * terminating proxy reports in {@code X-Forwarded-Proto}, else the request's.
   */
  private static String selfHref(HttpRequest request, Range range) {
    String scheme =
        request
            .getHeader("X-Forwarded-Proto")
            .map(h -> h.value().trim())
            .filter(s -> s.equals("http") || s.equals("https"))
            .orElse(request.getUri().getScheme());
    String host =
        request.getHeader("Host").map(h -> h.value()).orElse(request.getUri().host().address());
    return scheme + "://" + host + LogsFamily.PREFIX + "/" + range.from() + "/" + range.to();
  }
}
