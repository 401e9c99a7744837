package io.meridian.http.server;

import java.util.Optional;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Tells HTTP from OpenTSDB's telnet-style line protocol by the first bytes of a connection, as
 * OpenTSDB does on its single port: an HTTP request line starts with a method token of capital
 * letters followed by a space ({@code GET /}, {@code POST /}, {@code OPTIONS *}); every telnet
 * command is lower case ({@code put}, {@code version}, {@code stats}).
 *
 * <p>As a stage it holds back the first bytes until they decide the protocol and then emits them as
 * one element, so the first element is always enough to decide on; later bytes pass through.
 */
final class ProtocolSniffer extends GraphStage<FlowShape<ByteString, ByteString>> {

  /** The protocol a connection speaks. */
  enum Protocol {
    HTTP,
    LINES
  }

  /**
   * Longest method token looked for. Registered methods are at most 7 letters ({@code OPTIONS},
   * {@code CONNECT}); longer capital runs are still HTTP (an extension method) up to this bound,
   * after which the bytes cannot be a request line Pekko HTTP accepts anyway.
   */
  static final int MAX_METHOD_LENGTH = 24;

  /**
   * The protocol of a connection whose first bytes are {@code prefix}, or empty when more bytes are
   * needed (all capital letters so far).
   */
  static Optional<Protocol> detect(ByteString prefix) {
    int n = prefix.size();
    for (int i = 0; i < n && i <= MAX_METHOD_LENGTH; i++) {
      byte b = prefix.apply(i);
      if (b >= 'A' && b <= 'Z') {
        continue;
      }
      return Optional.of(b == ' ' && i > 0 ? Protocol.HTTP : Protocol.LINES);
    }
    return n > MAX_METHOD_LENGTH ? Optional.of(Protocol.LINES) : Optional.empty();
  }

  /** The protocol of a connection that sent {@code prefix} and then closed or stopped. */
  static Protocol decide(ByteString prefix) {
    return detect(prefix).orElse(Protocol.LINES);
  }

  private final Inlet<ByteString> in = Inlet.create("ProtocolSniffer.in");
  private final Outlet<ByteString> out = Outlet.create("ProtocolSniffer.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new GraphStageLogic(shape) {
      private ByteString held = ByteString.emptyByteString();
      private boolean decided;

      {
        setHandler(
            in,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                ByteString chunk = grab(in);
                if (decided) {
                  push(out, chunk);
                  return;
                }
                held = held.concat(chunk);
                if (detect(held).isPresent()) {
                  decided = true;
                  ByteString first = held;
                  held = ByteString.emptyByteString();
                  push(out, first);
                } else {
                  pull(in);
                }
              }

              @Override
              public void onUpstreamFinish() {
                if (!decided && !held.isEmpty()) {
                  // What arrived is still served, e.g. "PING" then EOF becomes an unknown command.
                  emit(out, held);
                }
                complete(out);
              }
            });
        setHandler(
            out,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                if (!hasBeenPulled(in)) {
                  pull(in);
                }
              }
            });
      }
    };
  }
}
