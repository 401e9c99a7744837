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

  /** Shared by every test: each decode also runs through it cold and warm. */
  private static final SeriesKeyCache KEYS = new SeriesKeyCache(1000);

  /**
   * Decodes with the plain decoder, and checks that the decoder with a key cache gives the same
   * samples (or the same error) both when the series are new to the cache and when they are not.
   */
  private static List<SeriesSamples> decode(byte[] protobuf) throws IOException {
    byte[] body = Snappy.compress(protobuf);
    List<SeriesSamples> plain;
    try {
      plain = RemoteWriteDecoder.decode("p1", body, LIMIT);
    } catch (InvalidRemoteWriteException e) {
      for (SeriesKeyCache cache : new SeriesKeyCache[] {new SeriesKeyCache(10), KEYS, KEYS}) {
        assertThatThrownBy(() -> RemoteWriteDecoder.decode("p1", body, LIMIT, cache))
            .isInstanceOf(InvalidRemoteWriteException.class)
            .hasMessage(e.getMessage());
      }
      throw e;
    }
    for (SeriesKeyCache cache : new SeriesKeyCache[] {new SeriesKeyCache(10), KEYS, KEYS}) {
      assertSameSamples(RemoteWriteDecoder.decode("p1", body, LIMIT, cache), plain);
    }
    return plain;
  }

  private static void assertSameSamples(List<SeriesSamples> actual, List<SeriesSamples> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i).key()).isEqualTo(expected.get(i).key());
      assertThat(actual.get(i).timestamps()).isEqualTo(expected.get(i).timestamps());
      assertThat(actual.get(i).values()).isEqualTo(expected.get(i).values());
    }
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
  void metricNamesFollowPrometheusOrOpenTsdbRule() {
    for (String name :
        new String[] {"up", "node_cpu:rate5m", "sys.cpu.user", "a-b/c", "été", "9x"}) {
      assertThat(RemoteWriteDecoder.isMetricName(name)).as(name).isTrue();
    }
    for (String name : new String[] {"Z ", "a\"b", "a{b}", "a\u0000", "\u200b", "x=y", "a\nb"}) {
      assertThat(RemoteWriteDecoder.isMetricName(name)).as(name).isFalse();
    }
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

  @Test
  void cachedKeysAreSharedAcrossRequestsAndInterned() throws IOException {
    SeriesKeyCache cache = new SeriesKeyCache(100);
    byte[] first =
        Snappy.compress(
            encode(series(new long[] {1}, new double[] {1}, "__name__", "up", "job", "node")));
    byte[] second =
        Snappy.compress(
            encode(series(new long[] {2}, new double[] {0}, "__name__", "up", "job", "node")));
    SeriesKey key = RemoteWriteDecoder.decode("p1", first, LIMIT, cache).get(0).key();
    List<SeriesSamples> again = RemoteWriteDecoder.decode("p1", second, LIMIT, cache);
    assertThat(again.get(0).key()).isSameAs(key);
    assertThat(again.get(0).timestamps()).containsExactly(2);
    assertThat(key.metric()).isSameAs("up");
    assertThat(key.tags().get("job")).isSameAs("node");
    assertThat(cache.size()).isEqualTo(1);
    // The same labels for another tenant are another series.
    SeriesKey other = RemoteWriteDecoder.decode("p2", second, LIMIT, cache).get(0).key();
    assertThat(other.tenant()).isEqualTo("p2");
    assertThat(other).isNotEqualTo(key);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void labelsSplitBySamplesAreDecodedWithoutTheCache() throws IOException {
    SeriesKeyCache cache = new SeriesKeyCache(100);
    byte[] label =
        WriteRequests.message(
            out -> {
              out.writeString(1, "__name__");
              out.writeString(2, "up");
            });
    byte[] job =
        WriteRequests.message(
            out -> {
              out.writeString(1, "job");
              out.writeString(2, "node");
            });
    byte[] sample =
        WriteRequests.message(
            out -> {
              out.writeTag(1, 1);
              out.writeFixed64NoTag(Double.doubleToRawLongBits(7));
              out.writeInt64(2, 5);
            });
    byte[] series =
        WriteRequests.message(
            out -> {
              out.writeByteArray(1, label);
              out.writeByteArray(2, sample);
              out.writeByteArray(1, job);
            });
    byte[] body = Snappy.compress(WriteRequests.message(out -> out.writeByteArray(1, series)));
    for (int round = 0; round < 2; round++) {
      List<SeriesSamples> samples = RemoteWriteDecoder.decode("p1", body, LIMIT, cache);
      assertThat(samples.get(0).key()).isEqualTo(SeriesKey.of("p1", "up", Map.of("job", "node")));
      assertThat(samples.get(0).timestamps()).containsExactly(5);
      assertThat(samples.get(0).values()).containsExactly(7);
    }
    assertThat(cache.size()).isZero();
  }

  @Test
  void badSeriesAreNeverCached() throws IOException {
    SeriesKeyCache cache = new SeriesKeyCache(100);
    byte[] body =
        Snappy.compress(
            encode(series(new long[] {1}, new double[] {1}, "__name__", "up", "1job", "a")));
    for (int round = 0; round < 2; round++) {
      assertThatThrownBy(() -> RemoteWriteDecoder.decode("p1", body, LIMIT, cache))
          .isInstanceOf(InvalidRemoteWriteException.class)
          .hasMessageContaining("invalid label name");
    }
    assertThat(cache.size()).isZero();
  }

  @Test
  void aFullCacheStartsOverAndAnEmptyOneIsOff() throws IOException {
    SeriesKeyCache cache = new SeriesKeyCache(2);
    for (int i = 0; i < 5; i++) {
      byte[] body =
          Snappy.compress(
              encode(series(new long[] {1}, new double[] {1}, "__name__", "up", "n", "" + i)));
      SeriesKey key = RemoteWriteDecoder.decode("p1", body, LIMIT, cache).get(0).key();
      assertThat(key).isEqualTo(SeriesKey.of("p1", "up", Map.of("n", "" + i)));
      assertThat(cache.size()).isBetween(1, 2);
    }
    SeriesKeyCache off = new SeriesKeyCache(0);
    byte[] body =
        Snappy.compress(encode(series(new long[] {1}, new double[] {1}, "__name__", "up")));
    assertThat(RemoteWriteDecoder.decode("p1", body, LIMIT, off).get(0).key().metric())
        .isEqualTo("up");
    assertThat(off.size()).isZero();
    assertThatThrownBy(() -> new SeriesKeyCache(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theHashCoversEveryByteAndTheTenant() {
    byte[] a = "__name__up_job_node_instance_h1:9100".getBytes();
    byte[] b = a.clone();
    b[b.length - 1] = '1';
    byte[] c = a.clone();
    c[3] = 'X';
    long hash = SeriesKeyCache.hash("p1", a, 0, a.length);
    assertThat(SeriesKeyCache.hash("p1", b, 0, b.length)).isNotEqualTo(hash);
    assertThat(SeriesKeyCache.hash("p1", c, 0, c.length)).isNotEqualTo(hash);
    assertThat(SeriesKeyCache.hash("p2", a, 0, a.length)).isNotEqualTo(hash);
    assertThat(SeriesKeyCache.hash("p1", a, 0, a.length - 1)).isNotEqualTo(hash);
  }
}
