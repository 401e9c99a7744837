package io.meridian.http.opentsdb;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.NodeUnderTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code /api/uid/assign} and {@code /api/uid/uidmeta} over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UidRoutesTest {

  private static NodeUnderTest node;

  /** The node the tests run against; the ops module overrides this with a node on Cassandra. */
  protected NodeUnderTest startNode(String name, String extraConfig) {
    return InMemoryNode.start(name, extraConfig);
  }

  @BeforeAll
  void start() {
    node = startNode("UidRoutesTest", "");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private static HttpResponse<String> send(String method, String path, String body) {
    return node.send(method, path, body);
  }

  private static int uid(String hex) {
    assertThat(hex).matches("[0-9A-F]{6}");
    return Integer.parseInt(hex, 16);
  }

  /** Assigns a metric UID and returns it. */
  private static String assignMetric(String name) {
    var response = send("GET", "/api/uid/assign?metric=" + name, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).get("metric").get(name).asText();
  }

  @Test
  void assignGivesNewNamesSequentialUidsPerKind() {
    var response = send("GET", "/api/uid/assign?metric=as.a,as.b&tagk=as.k&tagv=as.v", null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(uid(body.get("metric").get("as.b").asText()))
        .isEqualTo(uid(body.get("metric").get("as.a").asText()) + 1);
    assertThat(uid(body.get("tagk").get("as.k").asText())).isPositive();
    assertThat(uid(body.get("tagv").get("as.v").asText())).isPositive();
    assertThat(body.has("metric_errors")).isFalse();
  }

  @Test
  void assigningAnExistingNameIsAnErrorNamingItsUid() {
    String existing = assignMetric("ex.a");

    var response = send("POST", "/api/uid/assign", "{\"metric\":[\"ex.a\",\"ex.b\"]}");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = json(response);
    assertThat(body.get("metric_errors").get("ex.a").asText())
        .isEqualTo("Name already exists with UID: " + existing);
    assertThat(body.get("metric").has("ex.a")).isFalse();
    assertThat(body.get("metric").has("ex.b")).isTrue();
  }

  @Test
  void invalidNamesAndTypesAreErrorsWhileValidNamesAreAssigned() {
    var response =
        send(
            "POST",
            "/api/uid/assign",
            "{\"metric\":[\"inv.ok\",\"inv bad\"],\"metrics\":[\"inv.other\"]}");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = json(response);
    assertThat(body.get("metric").has("inv.ok")).isTrue();
    assertThat(body.get("metric_errors").get("inv bad").asText())
        .isEqualTo("Invalid metric (\"inv bad\"): illegal character:  ");
    assertThat(body.get("metrics_errors").get("inv.other").asText()).isEqualTo("Unknown type name");
  }

  @Test
  void assignWithoutNamesOrWithAnotherMethodIsRejected() {
    var empty = send("GET", "/api/uid/assign", null);
    var put = send("PUT", "/api/uid/assign", "{\"metric\":[\"x\"]}");

    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(json(empty).get("error").get("message").asText())
        .isEqualTo("Missing values to assign UIDs");
    assertThat(put.statusCode()).isEqualTo(405);
  }

  @Test
  void uidmetaOfAnAssignedUidHasItsNameAndCreationTime() {
    String uid = assignMetric("meta.get");

    var response = send("GET", "/api/uid/uidmeta?uid=" + uid + "&type=metric", null);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("uid").asText()).isEqualTo(uid);
    assertThat(body.get("type").asText()).isEqualTo("METRIC");
    assertThat(body.get("name").asText()).isEqualTo("meta.get");
    assertThat(body.get("created").asLong()).isGreaterThan(1_600_000_000L);
    assertThat(body.get("displayName").asText()).isEmpty();
    assertThat(body.get("custom").isNull()).isTrue();
  }

  @Test
  void uidmetaPostMergesGivenFieldsAndPutReplacesAll() {
    String uid = assignMetric("meta.update");

    var posted =
        send(
            "POST",
            "/api/uid/uidmeta",
            "{\"uid\":\""
                + uid
                + "\",\"type\":\"metric\",\"displayName\":\"Update\","
                + "\"custom\":{\"owner\":\"ops\"}}");
    var merged =
        send(
            "GET",
            "/api/uid/uidmeta?uid="
                + uid
                + "&type=metric&method_override=post&description=Merged%20in",
            null);
    var replaced =
        send(
            "PUT",
            "/api/uid/uidmeta",
            "{\"uid\":\"" + uid + "\",\"type\":\"metric\",\"notes\":\"only notes\"}");

    assertThat(posted.statusCode()).isEqualTo(200);
    assertThat(json(posted).get("displayName").asText()).isEqualTo("Update");
    assertThat(json(posted).get("custom").get("owner").asText()).isEqualTo("ops");
    assertThat(json(merged).get("displayName").asText()).isEqualTo("Update");
    assertThat(json(merged).get("description").asText()).isEqualTo("Merged in");
    JsonNode put = json(replaced);
    assertThat(put.get("notes").asText()).isEqualTo("only notes");
    assertThat(put.get("displayName").asText()).isEmpty();
    assertThat(put.get("description").asText()).isEmpty();
    assertThat(put.get("custom").isNull()).isTrue();
    assertThat(put.get("name").asText()).isEqualTo("meta.update");
  }

  @Test
  void uidmetaUpdateWithoutAnyFieldIsNotModified() {
    String uid = assignMetric("meta.same");

    var response =
        send("POST", "/api/uid/uidmeta", "{\"uid\":\"" + uid + "\",\"type\":\"metric\"}");

    assertThat(response.statusCode()).isEqualTo(304);
  }

  @Test
  void uidmetaDeleteResetsTheMetaDataButKeepsTheUid() {
    String uid = assignMetric("meta.delete");
    send(
        "POST",
        "/api/uid/uidmeta",
        "{\"uid\":\"" + uid + "\",\"type\":\"metric\",\"description\":\"gone soon\"}");

    var deleted =
        send("GET", "/api/uid/uidmeta?uid=" + uid + "&type=metric&method_override=delete", null);
    var after = json(send("GET", "/api/uid/uidmeta?uid=" + uid + "&type=metric", null));
    var reassign = send("GET", "/api/uid/assign?metric=meta.delete", null);

    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(after.get("description").asText()).isEmpty();
    assertThat(after.get("name").asText()).isEqualTo("meta.delete");
    assertThat(json(reassign).get("metric_errors").get("meta.delete").asText()).endsWith(uid);
  }

  @Test
  void uidmetaOfAnUnknownUidIs404AndBadParametersAre400() {
    var get = send("GET", "/api/uid/uidmeta?uid=FFFFFF&type=tagk", null);
    var post =
        send("POST", "/api/uid/uidmeta", "{\"uid\":\"FFFFFF\",\"type\":\"tagv\",\"notes\":\"x\"}");
    var delete = send("DELETE", "/api/uid/uidmeta", "{\"uid\":\"FFFFFF\",\"type\":\"metric\"}");
    var badType = send("GET", "/api/uid/uidmeta?uid=000001&type=host", null);
    var badUid = send("GET", "/api/uid/uidmeta?uid=XYZ&type=metric", null);
    var noUid = send("GET", "/api/uid/uidmeta?type=metric", null);

    for (var response : new HttpResponse<?>[] {get, post, delete}) {
      assertThat(response.statusCode()).isEqualTo(404);
    }
    assertThat(json(get).get("error").get("message").asText())
        .isEqualTo("Could not find the requested UID");
    assertThat(json(get).get("error").get("details").asText())
        .isEqualTo("No such unique ID for 'tagk': 'FFFFFF'");
    assertThat(badType.statusCode()).isEqualTo(400);
    assertThat(json(badType).get("error").get("message").asText())
        .isEqualTo("Invalid type requested: host");
    assertThat(badUid.statusCode()).isEqualTo(400);
    assertThat(noUid.statusCode()).isEqualTo(400);
  }
}
