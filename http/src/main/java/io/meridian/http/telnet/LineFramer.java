package io.meridian.http.telnet;

import java.util.ArrayDeque;
import java.util.Deque;
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
 * Splits a connection's bytes into lines at {@code \n} (without the {@code \n}; a final line
 * without one is kept). A line longer than the limit becomes {@link TooLong} and ends the stream:
 * every line before it is still emitted first, which Pekko's {@code Framing.delimiter} does not
 * guarantee (it fails the stream, dropping lines it had already split off the same chunk).
 */
final class LineFramer extends GraphStage<FlowShape<ByteString, LineFramer.Frame>> {

  /** One unit of input. */
  sealed interface Frame {}

  /** A complete line, without its {@code \n}. */
  record Line(ByteString bytes) implements Frame {}

  /** A line exceeded the limit; nothing after it is read. */
  record TooLong() implements Frame {}

  private static final byte NEWLINE = '\n';

  private final int maxLineLength;
  private final Inlet<ByteString> in = Inlet.create("LineFramer.in");
  private final Outlet<Frame> out = Outlet.create("LineFramer.out");
  private final FlowShape<ByteString, Frame> shape = FlowShape.of(in, out);

  LineFramer(int maxLineLength) {
    this.maxLineLength = maxLineLength;
  }

  @Override
  public FlowShape<ByteString, Frame> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new GraphStageLogic(shape) {
      private final Deque<Frame> ready = new ArrayDeque<>();
      private ByteString partial = ByteString.emptyByteString();
      private boolean ended;

      {
        setHandler(
            in,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                split(grab(in));
                deliver();
              }

              @Override
              public void onUpstreamFinish() {
                if (!ended && !partial.isEmpty()) {
                  ready.add(new Line(partial));
                }
                partial = ByteString.emptyByteString();
                ended = true;
                deliver();
              }
            });
        setHandler(
            out,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                deliver();
              }
            });
      }

      private void split(ByteString chunk) {
        if (ended) {
          return;
        }
        ByteString bytes = partial.concat(chunk);
        int start = 0;
        for (int nl = bytes.indexOf(NEWLINE, start); nl >= 0; nl = bytes.indexOf(NEWLINE, start)) {
          if (nl - start > maxLineLength) {
            tooLong();
            return;
          }
          ready.add(new Line(bytes.slice(start, nl)));
          start = nl + 1;
        }
        partial = bytes.drop(start);
        if (partial.size() > maxLineLength) {
          tooLong();
        }
      }

      private void tooLong() {
        ready.add(new TooLong());
        partial = ByteString.emptyByteString();
        ended = true;
      }

      private void deliver() {
        if (!ready.isEmpty() && isAvailable(out)) {
          push(out, ready.poll());
        }
        if (ready.isEmpty()) {
          if (ended) {
            // Completing after a push still delivers that element first.
            completeStage();
          } else if (!hasBeenPulled(in) && !isClosed(in)) {
            pull(in);
          }
        }
      }
    };
  }
}
