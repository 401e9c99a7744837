package io.meridian.http.telnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.telnet.LineFramer.Frame;
import io.meridian.http.telnet.LineFramer.Line;
import io.meridian.http.telnet.LineFramer.TooLong;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LineFramerTest {

  private static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "LineFramerTest");
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static List<Frame> frame(int max, String... chunks) throws Exception {
    return Source.from(List.of(chunks))
        .map(ByteString::fromString)
        .via(new LineFramer(max))
        .runWith(Sink.seq(), system)
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static Frame line(String text) {
    return new Line(ByteString.fromString(text));
  }

  @Test
  void linesAreSplitAcrossChunksKeepingCarriageReturnsAndAFinalUnterminatedLine() throws Exception {
    assertThat(frame(100, "put a 1 2 h=", "x\r\nver", "sion\n\nex", "it"))
        .containsExactly(line("put a 1 2 h=x\r"), line("version"), line(""), line("exit"));
  }

  @Test
  void aLineOfExactlyTheLimitPassesAndOneByteMoreEndsTheStreamAfterTheLinesBefore()
      throws Exception {
    assertThat(frame(5, "12345\nabc\n123456\nnever\n"))
        .containsExactly(line("12345"), line("abc"), new TooLong());
  }

  @Test
  void anUnterminatedRunOverTheLimitEndsTheStreamWithoutWaitingForItsNewline() throws Exception {
    assertThat(frame(5, "ok\n123", "456", "7")).containsExactly(line("ok"), new TooLong());
  }
}
