package io.meridian.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.server.ProtocolSniffer.Protocol;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolSnifferTest {

  private static Optional<Protocol> detect(String prefix) {
    return ProtocolSniffer.detect(ByteString.fromString(prefix));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET / HTTP/1.1",
        "POST /api/put",
        "PUT /x",
        "DELETE /api/annotation",
        "OPTIONS * HTTP/1.1",
        "HEAD /",
        "PATCH /",
        "PROPFIND /",
        "PUT tel.j 1700000000 1 host=a"
      })
  void aCapitalMethodTokenAndASpaceIsHttp(String prefix) {
    assertThat(detect(prefix)).hasValue(Protocol.HTTP);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "put sys.cpu 1 2 h=a",
        "version\n",
        "stats\r\n",
        "\n",
        " GET /",
        "Get /",
        "GET\t/",
        "G3T /",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ /"
      })
  void anythingElseIsTheLineProtocol(String prefix) {
    assertThat(detect(prefix)).hasValue(Protocol.LINES);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "G", "GE", "OPTIONS", "POST"})
  void capitalLettersAloneNeedMoreBytes(String prefix) {
    assertThat(detect(prefix)).isEmpty();
  }

  @Test
  void theStageHoldsBytesBackUntilTheyDecideAndThenPassesTheRestThrough() throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "ProtocolSnifferTest");
    try {
      List<ByteString> out =
          Source.from(
                  List.of(
                      ByteString.fromString("P"),
                      ByteString.fromString("OS"),
                      ByteString.fromString("T /api"),
                      ByteString.fromString("/put")))
              .via(new ProtocolSniffer())
              .runWith(Sink.seq(), system)
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      List<ByteString> undecided =
          Source.single(ByteString.fromString("PING"))
              .via(new ProtocolSniffer())
              .runWith(Sink.seq(), system)
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);

      assertThat(out)
          .containsExactly(ByteString.fromString("POST /api"), ByteString.fromString("/put"));
      assertThat(undecided).containsExactly(ByteString.fromString("PING"));
    } finally {
      system.terminate();
    }
  }
}
