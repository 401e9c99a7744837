package io.meridian.ops.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.JsonLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node started as operators start it ({@code meridian run}) writes its JSON log files: the tag of
 * an error answer is found in {@code error.log}, the request in {@code access.log}, and credentials
 * sent with it in neither.
 */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeLogFilesTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private LocalCluster cluster;
  private NodeProcess node;

  @BeforeAll
  void startNode(CassandraServer cassandra) throws Exception {
    String contactPoint =
        cassandra.contactPoint().getHostString() + ":" + cassandra.contactPoint().getPort();
    cluster =
        new LocalCluster(
            LocalCluster.Options.onFreePorts(
                    CassandraExtension.freshDirectory("logfiles"), contactPoint, "logfiles")
                .withSystemProperties(Map.of()));
    cluster.start(1);
    node = cluster.nodes().get(0);
  }

  @AfterAll
  void stopNode() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void anErrorAnswersTagIsInTheErrorLogFile() throws Exception {
    Http.Response answer =
        new Http(node.url()).get("/api/query?start=not-a-time&m=sum:logs.m&token=s3cret");

    assertThat(answer.status()).isEqualTo(400);
    String tag = answer.json().at("/error/tag").asText();
    assertThat(answer.raw().headers().firstValue("X-Meridian-Tag")).hasValue(tag);
    Path logs = node.spec().logDir();

    JsonNode error =
        JsonLines.await(
            logs.resolve("error.log"), WAIT, line -> tag.equals(line.path("tag").asText()));
    assertThat(error.path("level").asText()).isEqualTo("WARN");
    assertThat(error.path("service").asText()).isEqualTo("meridian");
    assertThat(error.path("logger").asText()).isEqualTo("meridian.error");
    assertThat(error.path("status").asInt()).isEqualTo(400);
    assertThat(error.path("path").asText()).isEqualTo("/api/query");
    assertThat(error.at("/response/error/message").asText())
        .isEqualTo(answer.json().at("/error/message").asText());

    JsonNode access =
        JsonLines.await(
            logs.resolve("access.log"), WAIT, line -> tag.equals(line.path("tag").asText()));
    assertThat(access.path("status").asInt()).isEqualTo(400);
    assertThat(access.path("tenant").asText()).isEqualTo("default");
    assertThat(access.path("remote").asText()).isNotEmpty();
    assertThat(access.path("duration_ms").isNumber()).isTrue();

    JsonLines.await(
        logs.resolve("meridian.log"),
        WAIT,
        line -> line.path("message").asText().startsWith("HTTP API listening"));
    for (String file : List.of("error.log", "access.log", "meridian.log")) {
      assertThat(Files.readString(logs.resolve(file))).as(file).doesNotContain("s3cret");
    }
  }
}
