package io.meridian.http.console;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.conditional;
import static org.apache.pekko.http.javadsl.server.Directives.encodeResponse;
import static org.apache.pekko.http.javadsl.server.Directives.extractUnmatchedPath;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.head;
import static org.apache.pekko.http.javadsl.server.Directives.reject;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeaders;

import io.meridian.http.ApiFamilies;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.EntityTag;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Serves the built-in web console: the page at {@code /} and its scripts and styles under {@code
 * /console/assets/}, gzipped for clients that accept it. Asset names carry a hash of their content,
 * so browsers may keep them for a year without asking again; the page is revalidated on every load
 * (cheap with its ETag), so that a new node version's page, naming new assets, is seen at once.
 *
 * <p>The files are public ({@link #isPublic}): nothing in them is secret, and the page's own calls
 * to the APIs carry the credential the user gives it.
 */
public final class ConsoleRoutes {

  private static final HttpHeader IMMUTABLE =
      RawHeader.create("Cache-Control", "public, max-age=31536000, immutable");
  private static final HttpHeader REVALIDATE = RawHeader.create("Cache-Control", "no-cache");
  private static final HttpHeader NO_SNIFF = RawHeader.create("X-Content-Type-Options", "nosniff");

  /**
   * The page loads only its own files and talks only to its node; no other site may frame it (it
   * holds a credential). uPlot styles its elements inline.
   */
  private static final HttpHeader POLICY =
      RawHeader.create(
          "Content-Security-Policy",
          "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
              + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'");

  private final ConsoleFiles files;

  public ConsoleRoutes(ConsoleFiles files) {
    this.files = files;
  }

  /**
   * Whether {@code request} fetches one of the console's files, which any client may do without a
   * credential: a GET or HEAD of the page or an asset that exists. Every other path, and every
   * other method on these paths, needs one as usual.
   */
  public boolean isPublic(HttpRequest request) {
    return (request.method().equals(HttpMethods.GET) || request.method().equals(HttpMethods.HEAD))
        && files.serves(request.getUri().path());
  }

  public Route route() {
    return extractUnmatchedPath(
        path -> {
          if (path.equals("/")) {
            return getOrHead(this::page);
          }
          Optional<ConsoleFiles.File> asset = files.asset(path);
          return asset.isPresent()
              ? getOrHead(() -> serve(asset.get(), List.of(IMMUTABLE, NO_SNIFF)))
              : reject();
        });
  }

  /** GET, and HEAD (the server's transparent HEAD handling is off). */
  private static Route getOrHead(Supplier<Route> inner) {
    return concat(get(inner), head(inner));
  }

  private Route page() {
    return files
        .index()
        .map(index -> serve(index, List.of(REVALIDATE, NO_SNIFF, POLICY)))
        .orElseGet(
            () ->
                complete(
                    ApiFamilies.error(
                        StatusCodes.NOT_FOUND,
                        "This node was built without its web console",
                        "build it with mvn package (without -Dconsole.skip); node and npm are"
                            + " needed")));
  }

  private static Route serve(ConsoleFiles.File file, List<HttpHeader> headers) {
    return respondWithHeaders(
        headers,
        () ->
            conditional(
                EntityTag.create(file.etag(), false),
                () ->
                    encodeResponse(
                        () ->
                            complete(
                                HttpResponse.create()
                                    .withEntity(HttpEntities.create(file.type(), file.bytes()))))));
  }
}
