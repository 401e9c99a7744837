package io.meridian.protocol.prometheus;

import static io.meridian.protocol.prometheus.WriteRequests.encode;
import static io.meridian.protocol.prometheus.WriteRequests.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class RemoteWriteDecoderTest {

  private static final long LIMIT = 1 << 20;

  private static List<SeriesSamples> decode(byte[] protobuf) throws IOException {
    return RemoteWriteDecoder.decode("p1", Snappy.compress(protobuf), LIMIT);
  }

  @Test
  void seriesBecomeSamplesWithTheMetricFromTheNameLabel() throws IOException {
    byte[] request =
        encode(
            series(
                new long[] {1700000000000L, 1700000015000L},
                new double[] {1, 2.5},
                "__name__",
                "http_requests_total",
                "job",
                "api",
                "instance",
                "h1:9100"),
            series(new long[] {1700000000000L}, new double[] {-3}, "__name__", "sys.cpu.user"));

    List<SeriesSamples> samples = decode(request);

    assertThat(samples).hasSize(2);
    assertThat(samples.get(0).key())
        .isEqualTo(
            SeriesKey.of("p1", "http_requests_total", Map.of("job", "api", "instance", "h1:9100")));
    assertThat(samples.get(0).timestamps()).containsExactly(1700000000000L, 1700000015000L);
    assertThat(samples.get(0).values()).containsExactly(1, 2.5);
    assertThat(samples.get(1).key()).isEqualTo(SeriesKey.of("p1", "sys.cpu.user", Map.of()));
  }

  @Test
  void staleMarkersKeepTheirNanBitsAndZeroFieldsDecodeAsZero() throws IOException {
    double stale = Double.longBitsToDouble(0x7ff0000000000002L);

    List<SeriesSamples> samples =
        decode(encode(series(new long[] {0, 5}, new double[] {0, stale}, "__name__", "up")));

    assertThat(samples.get(0).timestamps()).containsExactly(0, 5);
    assertThat(samples.get(0).values()[0]).isZero();
    assertThat(Double.doubleToRawLongBits(samples.get(0).values()[1]))
        .isEqualTo(0x7ff0000000000002L);
  }

  @Test
  void labelsWithAnEmptyValueAreAbsentAndUnknownFieldsAreSkipped() throws IOException {
    byte[] series =
        WriteRequests.message(
            out -> {
              out.writeByteArray(1, encodeLabel("__name__", "up"));
              out.writeByteArray(1, encodeLabel("job", ""));
              out.writeByteArray(3, new byte[] {1, 2, 3});
            });
    byte[] request =
        WriteRequests.message(
            out -> {
              out.writeByteArray(1, series);
              out.writeByteArray(3, new byte[] {8, 1});
            });

    List<SeriesSamples> samples = decode(request);

    assertThat(samples).hasSize(1);
    assertThat(samples.get(0).key()).isEqualTo(SeriesKey.of("p1", "up", Map.of()));
    assertThat(samples.get(0).size()).isZero();
  }

  private static byte[] encodeLabel(String name, String value) {
    return WriteRequests.message(
        out -> {
          out.writeString(1, name);
          out.writeString(2, value);
        });
  }

  @Test
  void invalidSeriesRefuseTheWholeRequest() {
    long[] t = {1};
    double[] v = {1};

    assertThatThrownBy(() -> decode(encode(series(t, v, "job", "a"))))
        .isInstanceOf(InvalidRemoteWriteException.class)
        .hasMessageContaining("no metric name");
    assertThatThrownBy(() -> decode(encode(series(t, v, "__name__", "up", "1job", "a"))))
        .isInstanceOf(InvalidRemoteWriteException.class)
        .hasMessageContaining("invalid label name \"1job\"");
    assertThatThrownBy(() -> decode(encode(series(t, v, "__name__", "up", "job", "a", "job", "b"))))
        .isInstanceOf(InvalidRemoteWriteException.class)
        .hasMessageContaining("duplicate label name \"job\"");
    // Out of name order, a duplicate further away is found too.
    assertThatThrownBy(
            () -> decode(encode(series(t, v, "job", "a", "__name__", "up", "a", "x", "job", "b"))))
        .isInstanceOf(InvalidRemoteWriteException.class)
        .hasMessageContaining("duplicate label name \"job\"");
    assertThatThrownBy(() -> decode(encode(series(t, v, "__name__", "up", "jo-b", "a"))))
        .isInstanceOf(InvalidRemoteWriteException.class)
        .hasMessageContaining("invalid label name \"jo-b\"");
  }

  @Test
  void labelNamesFollowPrometheusRule() {
    assertThat(RemoteWriteDecoder.isLabelName("_a1")).isTrue();
    assertThat(RemoteWriteDecoder.isLabelName("Z9_z")).isTrue();
    assertThat(RemoteWriteDecoder.isLabelName("")).isFalse();
    assertThat(RemoteWriteDecoder.isLabelName("9a")).isFalse();
    assertThat(RemoteWriteDecoder.isLabelName("a.b")).isFalse();
    assertThat(RemoteWriteDecoder.isLabelName("ä")).isFalse();
  }

  @Test
  void badCompressionAndBadProtobufAreInvalid() throws IOException {
    assertThatThrownBy(() -> RemoteWriteDecoder.decode("p1", "not snappy at all".getBytes(), LIMIT))
        .isInstanceOf(InvalidRemoteWriteException.class)
        .hasMessageContaining("snappy");
    byte[] truncated = {0x0a, 0x10, 0x0a};
    assertThatThrownBy(() -> decode(truncated))
        .isInstanceOf(InvalidRemoteWriteException.class)
        .hasMessageContaining("protobuf");
    byte[] big = Snappy.compress(new byte[4096]);
    assertThatThrownBy(() -> RemoteWriteDecoder.decode("p1", big, 1024))
        .isInstanceOf(InvalidRemoteWriteException.class)
        .hasMessageContaining("more than the limit");
  }
}
