package io.meridian.http.admin;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Meridian's own API is versioned by content negotiation, as the Apcera API's versioning section
 * describes; each test mirrors one of its examples with Meridian's resources (services → keys,
 * packages/docker → keys, info → info).
 */
class VersioningTest {

  private static final String TOKEN = "versioning-admin-token-0123456789-abcdef";
  private static InMemoryNode node;

  @BeforeAll
  static void start() throws Exception {
    node = InMemoryNode.enforcing("VersioningTest", TOKEN, "");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static HttpResponse<String> send(String method, String path, String body, String... h) {
    String[] headers = new String[h.length + 2];
    headers[0] = "Authorization";
    headers[1] = "Bearer " + TOKEN;
    System.arraycopy(h, 0, headers, 2, h.length);
    return node.send(method, path, body, headers);
  }

  /** The answer's Content-Type without optional whitespace, as the seed writes it. */
  private static String contentType(HttpResponse<String> response) {
    return response.headers().firstValue("Content-Type").orElse("").replace(" ", "");
  }

  // GET /services HTTP/1.1
  // Accept: application/vnd.apcera.service;version=1
  // → HTTP/1.1 200 OK, Content-Type: application/vnd.apcera.service;version=1
  @Test
  void aRequestForVersion1OfAResourceTypeGetsThatTypeAndVersion() {
    HttpResponse<String> response =
        send("GET", "/keys", null, "Accept", "application/vnd.meridian.key;version=1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(contentType(response)).isEqualTo("application/vnd.meridian.key;version=1");
    assertThat(json(response).isArray()).isTrue();
  }

  // POST /packages/docker HTTP/1.1
  // Accept: application/vnd.apcera.createdockerpackageresponse;version=2
  // Content-Type: application/vnd.apcera.createdockerpackagerequest;version=2
  // → the same version of the response type
  @Test
  void aBodyOfARequestTypeAndVersionGetsTheSameVersionOfTheResponseType() {
    HttpResponse<String> response =
        send(
            "POST",
            "/keys",
            "{\"project\":\"docker\",\"scopes\":[\"read\"]}",
            "Accept",
            "application/vnd.meridian.createkeyresponse;version=1",
            "Content-Type",
            "application/vnd.meridian.createkeyrequest;version=1");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(contentType(response))
        .isEqualTo("application/vnd.meridian.createkeyresponse;version=1");
    assertThat(json(response).get("key").asText()).startsWith("mk_");
  }

  // ... version=2 of a type that has only version 1: the platform makes a reasonable guess.
  @Test
  void aVersionTheTypeDoesNotHaveGetsTheNewestOneItHas() {
    HttpResponse<String> response =
        send(
            "POST",
            "/v1/keys",
            "{\"project\":\"docker\",\"scopes\":[\"read\"]}",
            "Accept",
            "application/vnd.meridian.createkeyresponse;version=2",
            "Content-Type",
            "application/vnd.meridian.createkeyrequest;version=2");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(contentType(response))
        .isEqualTo("application/vnd.meridian.createkeyresponse;version=1");
  }

  // "If a client request doesn't contain Accept or Content-Type headers ... the platform makes a
  // reasonable guess as to which resource type and version to return."
  @Test
  void aRequestWithoutAcceptOrContentTypeGetsTheEndpointsTypeAtItsNewestVersion() {
    HttpResponse<String> listed = send("GET", "/keys", null);
    HttpResponse<String> created =
        send("POST", "/keys", "{\"project\":\"plain\",\"scopes\":[\"write\"]}");

    assertThat(contentType(listed)).isEqualTo("application/vnd.meridian.key;version=1");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(contentType(created))
        .isEqualTo("application/vnd.meridian.createkeyresponse;version=1");
  }

  // GET /services HTTP/1.1
  // Accept: application/vnd.apcera.foobar;version=3
  // → HTTP/1.1 200 OK, Content-Type: application/vnd.apcera.service;version=1
  @Test
  void anInvalidTypeAndVersionGetTheEndpointsTypeAndVersion() {
    HttpResponse<String> response =
        send("GET", "/keys", null, "Accept", "application/vnd.meridian.foobar;version=3");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(contentType(response)).isEqualTo("application/vnd.meridian.key;version=1");
  }

  // "The original /v1 API endpoints are still available ... routed to the same back-end code."
  @Test
  void v1PathsAreTheSameEndpoints() {
    HttpResponse<String> created =
        send("POST", "/v1/clients", "{\"project\":\"v1\",\"scopes\":[\"read\"]}");
    String id = json(created).get("client_id").asText();

    assertThat(json(send("GET", "/clients/" + id, null)).get("client_id").asText()).isEqualTo(id);
    assertThat(json(send("GET", "/v1/clients/" + id, null)))
        .isEqualTo(json(send("GET", "/clients/" + id, null)));
    assertThat(json(send("GET", "/v1/info", null)).get("name").asText())
        .isEqualTo(json(send("GET", "/info", null)).get("name").asText());
    assertThat(contentType(send("GET", "/v1/info", null)))
        .isEqualTo("application/vnd.meridian.info;version=1");
  }

  // GET /info HTTP/1.1
  // Authorization: Bearer eyJ0eXAiOiIiLCJhbGciOiIifQ....
  // Accept: application/vnd.apcera.info;version=1
  @Test
  void infoWithABearerTokenAndItsVersionedType() {
    HttpResponse<String> response =
        send("GET", "/info", null, "Accept", "application/vnd.meridian.info;version=1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(contentType(response)).isEqualTo("application/vnd.meridian.info;version=1");
    assertThat(json(response).get("auth").asText()).isEqualTo("enforced");
    assertThat(
            node.send("GET", "/info", null, "Accept", "application/vnd.meridian.info;version=1")
                .statusCode())
        .as("each API call must include an authentication bearer token")
        .isEqualTo(401);
  }

  // POST /v1/oauth2/token: authentication APIs keep their /v1/ path.
  @Test
  void theTokenEndpointIsUnderV1() {
    HttpResponse<String> response =
        node.send(
            "POST",
            "/v1/oauth2/token",
            "grant_type=client_credentials",
            "Content-Type",
            "application/x-www-form-urlencoded");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(json(response).get("error").asText()).isEqualTo("invalid_client");
  }

  @Test
  void aClientThatAcceptsOnlyJsonGetsJson() {
    HttpResponse<String> response = send("GET", "/info", null, "Accept", "application/json");

    assertThat(contentType(response)).isEqualTo("application/json");
  }

  @Test
  void acceptRangesAreReadOneByOne() {
    assertThat(Versions.version("application/vnd.meridian.key;q=0.9;version=1", "key")).hasValue(1);
    assertThat(Versions.version("application/vnd.meridian.key", "key")).hasValue(1);
    assertThat(Versions.version("application/vnd.meridian.key;version=x", "key")).isEmpty();
    assertThat(Versions.version("application/vnd.meridian.client;version=1", "key")).isEmpty();
    assertThat(
            contentType(
                send(
                    "GET",
                    "/info",
                    null,
                    "Accept",
                    "text/html, application/vnd.meridian.info;version=1, */*")))
        .isEqualTo("application/vnd.meridian.info;version=1");
  }
}
