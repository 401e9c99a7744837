package io.meridian.http.telnet;

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
 * Passes a connection's input through and, once downstream stops wanting it, reads and discards the
 * rest instead of cancelling.
 *
 * <p>Pekko's TCP stage closes (or, for a cancellation with a failure, aborts) the connection as
 * soon as its read side is cancelled, before replies still being computed are written. After {@code
 * exit} or an over-long line the handler stops reading but must still answer the lines before; with
 * this stage the connection closes only when the handler's output completes.
 */
final class KeepReading extends GraphStage<FlowShape<ByteString, ByteString>> {

  private final Inlet<ByteString> in = Inlet.create("KeepReading.in");
  private final Outlet<ByteString> out = Outlet.create("KeepReading.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new GraphStageLogic(shape) {
      private boolean discarding;

      {
        setHandler(
            in,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                ByteString bytes = grab(in);
                if (discarding) {
                  pull(in);
                } else {
                  push(out, bytes);
                }
              }
            });
        setHandler(
            out,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                pull(in);
              }

              @Override
              public void onDownstreamFinish(Throwable cause) {
                discarding = true;
                if (!hasBeenPulled(in) && !isClosed(in)) {
                  pull(in);
                }
              }
            });
      }
    };
  }
}
