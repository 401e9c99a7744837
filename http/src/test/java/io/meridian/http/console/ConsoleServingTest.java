package io.meridian.http.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web console is served at {@code /} without a credential, with its scripts and styles under
 * {@code /console/assets/} in their content types, cached for good (hashed names) while the page is
 * revalidated, and gzipped on request, while credentials are enforced: every other path, and every
 * other method on the console's paths, still needs a credential.
 */
class ConsoleServingTest {

  private static final String ADMIN_TOKEN = "console-admin-token-0123456789-0123456789";
  private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/console/assets/[^\"]+)\"");

  private static InMemoryNode node;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    node = InMemoryNode.enforcing("ConsoleServingTest", ADMIN_TOKEN, "");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void pageIsServedWithoutCredentialAndRevalidated() {
    HttpResponse<String> page = node.http().send("GET", "/", null);

    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(page.headers().firstValue("ETag")).isPresent();
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(policy -> assertThat(policy).contains("frame-ancestors 'none'"));
    assertThat(page.body()).contains("<title>Meridian console</title>", "id=\"query-form\"");
    assertThat(assets(page.body())).hasSize(2);
  }

  @Test
  void assetsAreServedWithoutCredentialInTheirTypesAndCachedForGood() {
    List<String> assets = assets(node.http().send("GET", "/", null).body());

    for (String asset : assets) {
      HttpResponse<String> response = node.http().send("GET", asset, null);
      assertThat(response.statusCode()).as(asset).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .as(asset)
          .hasValue(
              asset.endsWith(".js") ? "text/javascript; charset=UTF-8" : "text/css; charset=UTF-8");
      assertThat(response.headers().firstValue("Cache-Control"))
          .hasValue("public, max-age=31536000, immutable");
      assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(response.body()).isNotBlank();
    }
    assertThat(assets).anyMatch(asset -> asset.endsWith(".js"));
    assertThat(assets).anyMatch(asset -> asset.endsWith(".css"));
  }

  @Test
  void filesAreGzippedForClientsThatAcceptIt() throws Exception {
    String script =
        assets(node.http().send("GET", "/", null).body()).stream()
            .filter(asset -> asset.endsWith(".js"))
            .findFirst()
            .orElseThrow();
    String plain = node.http().send("GET", script, null).body();

    HttpResponse<byte[]> gzipped =
        CLIENT.send(
            HttpRequest.newBuilder(node.http().uri(script))
                .header("Accept-Encoding", "gzip")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(gzipped.body().length).isLessThan(plain.length() / 2);
    assertThat(gunzip(gzipped.body())).isEqualTo(plain);
  }

  @Test
  void unchangedPageIsAnswered304() {
    String etag = node.http().send("GET", "/", null).headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> again = node.http().send("GET", "/", null, "If-None-Match", etag);

    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void everythingElseStillNeedsACredential() {
    for (String[] request :
        List.of(
            new String[] {"POST", "/", "{}"},
            new String[] {"DELETE", "/", null},
            new String[] {"GET", "/console/assets/nowhere.js", null},
            new String[] {"GET", "/console/assets.txt", null},
            new String[] {"GET", "/console/index.html", null},
            new String[] {"GET", "/index.html", null},
            new String[] {"GET", "/api/version", null},
            new String[] {"GET", "/v1/cluster/members", null},
            new String[] {"GET", "/prometheus/api/v1/labels", null},
            new String[] {"GET", "/v1/log_excerpts/1/2", null})) {
      HttpResponse<String> response = node.http().send(request[0], request[1], request[2]);
      assertThat(response.statusCode()).as(request[0] + " " + request[1]).isEqualTo(401);
    }
  }

  @Test
  void pageAndAssetsAnswerHead() throws Exception {
    HttpResponse<Void> head =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(node.http().uri("/").toString()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
  }

  /** The asset paths the page links to. */
  private static List<String> assets(String page) {
    Matcher matcher = ASSET.matcher(page);
    return matcher.results().map(match -> match.group(1)).toList();
  }

  private static String gunzip(byte[] bytes) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
