package io.meridian.protocol.opentsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.opentsdb.LineProtocol.BadPut;
import io.meridian.protocol.opentsdb.LineProtocol.Command;
import io.meridian.protocol.opentsdb.LineProtocol.Problem;
import io.meridian.protocol.opentsdb.LineProtocol.Put;
import io.meridian.protocol.opentsdb.LineProtocol.Unknown;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LineProtocolTest {

  private static Command parse(String line) {
    return LineProtocol.parse(line).orElseThrow();
  }

  private static DataPoint put(String line) {
    Command command = parse(line);
    assertThat(command).as(line).isInstanceOf(Put.class);
    return ((Put) command).point();
  }

  private static BadPut rejected(String line) {
    Command command = parse(line);
    assertThat(command).as(line).isInstanceOf(BadPut.class);
    return (BadPut) command;
  }

  @Test
  void aPutLineBecomesADataPointWithSortedTags() {
    DataPoint point = put("put sys.cpu.user 1356998400 42.5 host=web01 cpu=0");

    assertThat(point.metric()).isEqualTo("sys.cpu.user");
    assertThat(point.timestampMs()).isEqualTo(1_356_998_400_000L);
    assertThat(point.value()).isEqualTo(42.5);
    assertThat(point.tags()).containsExactly(Map.entry("cpu", "0"), Map.entry("host", "web01"));
  }

  @Test
  void collectdLinesWithCrlfAndDoubleSpacesParse() {
    // write_tsdb formats "put %s %.0f %s fqdn=%s %s %s\r\n": empty meta tags leave two spaces.
    DataPoint bare = put("put load.load.shortterm 1700000000 0.15 fqdn=box  \r");
    DataPoint tagged = put("put memory.used.memory 1700000000 1.2e+09 fqdn=box  env=ci dc=x\r");

    assertThat(bare.tags()).containsExactly(Map.entry("fqdn", "box"));
    assertThat(bare.value()).isEqualTo(0.15);
    assertThat(tagged.tags())
        .containsExactly(Map.entry("dc", "x"), Map.entry("env", "ci"), Map.entry("fqdn", "box"));
    assertThat(tagged.value()).isEqualTo(1.2e9);
  }

  @Test
  void fieldsMaySeparateByTabsAndRunsOfSpaces() {
    DataPoint point = put("  put\tm.a   1700000000 \t 7\t\thost=a    dc=b  ");

    assertThat(point.metric()).isEqualTo("m.a");
    assertThat(point.value()).isEqualTo(7);
    assertThat(point.tags()).hasSize(2);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "1, 1000",
    "1700000000, 1700000000000",
    "4294967295, 4294967295000",
    "4294967296, 4294967296",
    "1700000000123, 1700000000123",
    "9999999999999, 9999999999999",
    "1700000000.250, 1700000000250",
    "1700000000.005, 1700000000005"
  })
  void timestampsUpTo0xFFFFFFFFAreSecondsAndLargerAreMilliseconds(String ts, long expectedMs) {
    assertThat(put("put m " + ts + " 1 h=a").timestampMs()).isEqualTo(expectedMs);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "42, 42",
    "-7, -7",
    "42.5, 42.5",
    "-0.25, -0.25",
    ".5, 0.5",
    "1., 1",
    "1.3E3, 1300",
    "1.23e+05, 123000",
    "5e-3, 0.005",
    "+3, 3",
    "9223372036854775807, 9.223372036854775807E18"
  })
  void valuesAreIntegersOrFloats(String value, double expected) {
    assertThat(put("put m 1700000000 " + value + " h=a").value()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\r", "   ", " \t \r"})
  void blankLinesAreNoCommand(String line) {
    assertThat(LineProtocol.parse(line)).isEmpty();
  }

  @Test
  void theOtherCommandsAreRecognised() {
    assertThat(parse("stats")).isInstanceOf(LineProtocol.Stats.class);
    assertThat(parse("version\r")).isInstanceOf(LineProtocol.Version.class);
    assertThat(parse("help")).isInstanceOf(LineProtocol.Help.class);
    assertThat(parse("exit")).isInstanceOf(LineProtocol.Exit.class);
    assertThat(parse("dropcaches")).isInstanceOf(LineProtocol.DropCaches.class);
    assertThat(LineProtocol.help())
        .isEqualTo("available commands: put stats dropcaches version exit help");
  }

  @Test
  void unknownCommandsAnswerAsOpenTsdb() {
    Command command = parse("nosuchcommand foo");

    assertThat(command).isEqualTo(new Unknown("nosuchcommand"));
    assertThat(((Unknown) command).reply())
        .isEqualTo("unknown command: nosuchcommand.  Try `help'.");
    // Commands are case-sensitive, as in OpenTSDB.
    assertThat(parse("Version")).isInstanceOf(Unknown.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "put|put: illegal argument: not enough arguments (need least 4, got 0)",
        "put m 1700000000 1|put: illegal argument: not enough arguments (need least 4, got 3)",
        "'put m 1700000000 1   \r"
            + "'|put: illegal argument: not enough arguments (need least 4, got 3)",
        "put bad!metric 1700000000 1 h=a|put: illegal argument: Invalid metric name"
            + " (\"bad!metric\"): illegal character: !",
        "put m notatime 1 h=a|put: invalid value: Invalid timestamp: notatime",
        "put m 17000000.5 1 h=a|put: invalid value: Invalid timestamp: 17000000.5",
        "put m 0 1 h=a|put: illegal argument: Invalid timestamp: 0",
        "put m -5 1 h=a|put: illegal argument: Invalid timestamp: -5",
        "put m 17000000000000 1 h=a|put: illegal argument: Invalid timestamp: 17000000000000",
        "put m 1700000000 abc h=a|put: invalid value: Unable to parse value to a number: abc",
        "put m 1700000000 0x10 h=a|put: invalid value: Unable to parse value to a number: 0x10",
        "put m 1700000000 1d h=a|put: invalid value: Unable to parse value to a number: 1d",
        "put m 1700000000 NaN h=a|put: invalid value: Value is NaN or Infinite: NaN",
        "put m 1700000000 -nan h=a|put: invalid value: Value is NaN or Infinite: -nan",
        "put m 1700000000 Infinity h=a|put: invalid value: Value is NaN or Infinite: Infinity",
        "put m 1700000000 1e400 h=a|put: invalid value: Value is NaN or Infinite: 1e400",
        "put m 1700000000 1 host|put: illegal argument: invalid tag: host",
        "put m 1700000000 1 host=|put: illegal argument: invalid tag: host=",
        "put m 1700000000 1 =web01|put: illegal argument: invalid tag: =web01",
        "put m 1700000000 1 a=b=c|put: illegal argument: invalid tag: a=b=c",
        "put m 1700000000 1 h=a h=b|put: illegal argument: duplicate tag: h=b, tags={h=a}",
        "put m 1700000000 1 h=a$|put: illegal argument: Invalid tag value (\"a$\"): illegal"
            + " character: $",
        "put m 1700000000 1 h%=a|put: illegal argument: Invalid tag name (\"h%\"): illegal"
            + " character: %"
      })
  void badPutsAreRejectedWithOpenTsdbStyleReplies(String line, String reply) {
    assertThat(rejected(line).reply()).isEqualTo(reply);
  }

  @Test
  void rejectionsCarryOpenTsdbsCategory() {
    assertThat(rejected("put m x 1 h=a").problem()).isEqualTo(Problem.INVALID_VALUE);
    assertThat(rejected("put m 1 x h=a").problem()).isEqualTo(Problem.INVALID_VALUE);
    assertThat(rejected("put m 1 1 h").problem()).isEqualTo(Problem.ILLEGAL_ARGUMENT);
  }

  @Test
  void aRepeatedIdenticalTagIsAccepted() {
    assertThat(put("put m 1700000000 1 h=a h=a").tags()).containsExactly(Map.entry("h", "a"));
  }

  @Test
  void unicodeLettersAreValidNames() {
    DataPoint point = put("put température 1700000000 21.5 pièce=salon");

    assertThat(point.metric()).isEqualTo("température");
    assertThat(point.tags()).containsEntry("pièce", "salon");
  }

  @Test
  void statLinesUseThePutFormatWithoutPut() {
    var tags = new TreeMap<String, String>(Map.of("type", "put", "host", "n1"));

    String line = LineProtocol.statLine("tsd.rpc.received", 1700000000L, 12, tags);

    assertThat(line).isEqualTo("tsd.rpc.received 1700000000 12 host=n1 type=put");
    assertThat(LineProtocol.parse("put " + line).orElseThrow()).isInstanceOf(Put.class);
  }
}
