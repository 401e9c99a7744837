package io.meridian.http.opentsdb;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.NodeUnderTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code /api/annotation} and {@code /api/annotation/bulk} over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnnotationRoutesTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static NodeUnderTest node;

  /** The node the tests run against; the ops module overrides this with a node on Cassandra. */
  protected NodeUnderTest startNode(String name, String extraConfig) {
    return InMemoryNode.start(name, extraConfig);
  }

  @BeforeAll
  void start() {
    node = startNode("AnnotationRoutesTest", "");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private static HttpResponse<String> send(String method, String path, String body) {
    return node.send(method, path, body);
  }

  @Test
  void postCreatesAnAnnotationThatGetReturns() throws Exception {
    var created =
        send(
            "POST",
            "/api/annotation",
            "{\"startTime\":\"1369141261\",\"tsuid\":\"000001000001000001\","
                + "\"description\":\"Testing Annotations\",\"notes\":\"details\","
                + "\"custom\":{\"owner\":\"jdoe\",\"dept\":\"ops\"}}");
    var read = send("GET", "/api/annotation?start_time=1369141261&tsuid=000001000001000001", null);

    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    JsonNode expected =
        MAPPER.readTree(
            "{\"tsuid\":\"000001000001000001\",\"description\":\"Testing Annotations\","
                + "\"notes\":\"details\",\"custom\":{\"dept\":\"ops\",\"owner\":\"jdoe\"},"
                + "\"endTime\":0,\"startTime\":1369141261}");
    assertThat(json(created)).isEqualTo(expected);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(json(read)).isEqualTo(expected);
  }

  @Test
  void postMergesGivenFieldsWhilePutReplacesTheOthersWithDefaults() {
    send(
        "POST",
        "/api/annotation",
        "{\"startTime\":1400000000,\"tsuid\":\"000001000001000002\",\"description\":\"first\","
            + "\"custom\":{\"k\":\"v\"}}");

    var merged =
        send(
            "GET",
            "/api/annotation?start_time=1400000000&tsuid=000001000001000002"
                + "&notes=added&method_override=post",
            null);
    var replaced =
        send(
            "PUT",
            "/api/annotation",
            "{\"startTime\":1400000000,\"tsuid\":\"000001000001000002\",\"endTime\":1400000100}");

    assertThat(json(merged).get("description").asText()).isEqualTo("first");
    assertThat(json(merged).get("notes").asText()).isEqualTo("added");
    assertThat(json(merged).get("custom").get("k").asText()).isEqualTo("v");
    JsonNode put = json(replaced);
    assertThat(put.get("endTime").asLong()).isEqualTo(1400000100L);
    assertThat(put.get("description").asText()).isEmpty();
    assertThat(put.get("notes").asText()).isEmpty();
    assertThat(put.has("custom")).isFalse();
  }

  @Test
  void aWriteWithoutAnyFieldIsNotModified() {
    var response =
        send(
            "POST",
            "/api/annotation",
            "{\"startTime\":1400000500,\"tsuid\":\"000001000001000003\"}");

    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(
            send("GET", "/api/annotation?start_time=1400000500&tsuid=000001000001000003", null)
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void deleteAnswers204AndTheAnnotationIsGone() {
    send(
        "POST",
        "/api/annotation",
        "{\"startTime\":1400001000,\"tsuid\":\"000001000001000004\",\"description\":\"x\"}");

    var deleted =
        send(
            "GET",
            "/api/annotation?start_time=1400001000&tsuid=000001000001000004"
                + "&method_override=delete",
            null);
    var read = send("GET", "/api/annotation?start_time=1400001000&tsuid=000001000001000004", null);

    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertThat(read.statusCode()).isEqualTo(404);
    assertThat(json(read).get("error").get("message").asText())
        .isEqualTo("Unable to locate annotation in storage");
  }

  @Test
  void anAnnotationWithoutTsuidIsGlobal() {
    var created =
        send("POST", "/api/annotation", "{\"startTime\":1400002000,\"description\":\"outage\"}");
    var read = send("GET", "/api/annotation?start_time=1400002000", null);

    assertThat(json(created).get("tsuid").asText()).isEmpty();
    assertThat(json(read).get("description").asText()).isEqualTo("outage");
  }

  @Test
  void invalidRequestsAre400WithOpenTsdbMessages() {
    var noStartQs = send("GET", "/api/annotation?tsuid=000001000001000001", null);
    var noStartJson = send("POST", "/api/annotation", "{\"description\":\"x\"}");
    var badTsuid =
        send("POST", "/api/annotation", "{\"startTime\":1,\"tsuid\":\"XYZ\",\"notes\":\"x\"}");

    assertThat(noStartQs.statusCode()).isEqualTo(400);
    assertThat(json(noStartQs).get("error").get("message").asText())
        .isEqualTo("Missing start time");
    assertThat(noStartJson.statusCode()).isEqualTo(400);
    assertThat(json(noStartJson).get("error").get("message").asText())
        .isEqualTo("The start timestamp has not been set");
    assertThat(badTsuid.statusCode()).isEqualTo(400);
    assertThat(json(badTsuid).get("error").get("message").asText()).contains("Invalid TSUID");
  }

  @Test
  void bulkPostStoresEveryAnnotationAndAnswersTheList() {
    var response =
        send(
            "POST",
            "/api/annotation/bulk",
            "[{\"startTime\":1400003000,\"tsuid\":\"000001000001000005\",\"description\":\"one\"},"
                + "{\"startTime\":1400003000,\"tsuid\":\"000001000001000006\",\"notes\":\"two\"}]");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body).hasSize(2);
    assertThat(body.get(1).get("notes").asText()).isEqualTo("two");
    assertThat(
            json(send(
                    "GET", "/api/annotation?start_time=1400003000&tsuid=000001000001000006", null))
                .get("notes")
                .asText())
        .isEqualTo("two");
  }

  @Test
  void bulkPostWithAnInvalidAnnotationStoresNothing() {
    var response =
        send(
            "POST",
            "/api/annotation/bulk",
            "[{\"startTime\":1400004000,\"tsuid\":\"000001000001000007\",\"description\":\"ok\"},"
                + "{\"tsuid\":\"000001000001000008\",\"description\":\"no start\"}]");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").get("details").asText()).startsWith("Annotation error:");
    assertThat(
            send("GET", "/api/annotation?start_time=1400004000&tsuid=000001000001000007", null)
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void bulkDeleteRemovesTheTsuidsAnnotationsThatStartInTheRange() {
    send(
        "POST",
        "/api/annotation/bulk",
        "[{\"startTime\":1400005000,\"tsuid\":\"000001000001000009\",\"description\":\"in\"},"
            + "{\"startTime\":1400005500,\"tsuid\":\"000001000001000009\",\"description\":\"in\"},"
            + "{\"startTime\":1400009000,\"tsuid\":\"000001000001000009\",\"description\":\"out\"},"
            + "{\"startTime\":1400005000,\"tsuid\":\"00000100000100000A\",\"description\":\"other\"}]");

    var response =
        send(
            "DELETE",
            "/api/annotation/bulk",
            "{\"tsuids\":[\"000001000001000009\"],\"startTime\":1400004000,"
                + "\"endTime\":1400006000}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("totalDeleted").asInt()).isEqualTo(2);
    assertThat(body.get("global").asBoolean()).isFalse();
    assertThat(body.get("startTime").asLong()).isEqualTo(1400004000000L);
    assertThat(body.get("tsuids").get(0).asText()).isEqualTo("000001000001000009");
    assertThat(
            send("GET", "/api/annotation?start_time=1400009000&tsuid=000001000001000009", null)
                .statusCode())
        .isEqualTo(200);
    assertThat(
            send("GET", "/api/annotation?start_time=1400005000&tsuid=00000100000100000A", null)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void bulkDeleteWithTheGlobalFlagRemovesGlobalAnnotationsInTheRange() {
    send("POST", "/api/annotation", "{\"startTime\":1410000000,\"description\":\"global\"}");

    var response =
        send(
            "GET",
            "/api/annotation/bulk?start_time=1409999000&end_time=1410001000&global"
                + "&method_override=delete",
            null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("totalDeleted").asInt()).isEqualTo(1);
    assertThat(json(response).get("tsuids").isNull()).isTrue();
    assertThat(send("GET", "/api/annotation?start_time=1410000000", null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void bulkDeleteNeedsAStartTimeAndTsuidsOrTheGlobalFlag() {
    var noStart = send("DELETE", "/api/annotation/bulk", "{\"global\":true}");
    var noTarget = send("DELETE", "/api/annotation/bulk", "{\"startTime\":\"1h-ago\"}");

    assertThat(noStart.statusCode()).isEqualTo(400);
    assertThat(json(noStart).get("error").get("message").asText())
        .isEqualTo("Missing the start time value");
    assertThat(noTarget.statusCode()).isEqualTo(400);
    assertThat(json(noTarget).get("error").get("message").asText())
        .isEqualTo("Missing the TSUIDs or global annotations flag");
  }
}
