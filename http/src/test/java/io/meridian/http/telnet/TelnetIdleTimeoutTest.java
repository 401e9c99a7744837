package io.meridian.http.telnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.LineClient;
import org.junit.jupiter.api.Test;

/** A telnet connection that goes quiet is closed after {@code meridian.telnet.idle-timeout}. */
class TelnetIdleTimeoutTest {

  @Test
  void anIdleConnectionIsClosedAfterItsLinesAreAnswered() {
    try (InMemoryNode node =
            InMemoryNode.start("TelnetIdleTimeoutTest", "meridian.telnet.idle-timeout = 1s\n");
        LineClient client = new LineClient(node.hostAndPort())) {
      client.send("put idle.a 1700000000 x host=a\n");

      // The reply still arrives, then the server closes the quiet connection on its own.
      assertThat(client.readUntilClosed())
          .containsExactly("put: invalid value: Unable to parse value to a number: x");
    }
  }
}
