package io.meridian.protocol.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.SeriesKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The key cache's table: entries survive its growth, lookups by other threads never see a wrong or
 * half-written entry while it grows, equal label bytes under another tenant or of another length
 * are other entries, and a full cache starts over. A request's lookups guess each series from the
 * one before it once they have seen that order, whatever order the entries were added in.
 */
class SeriesKeyCacheTest {

  /** Label bytes of series {@code n}, padded to lengths that vary with n. */
  private static byte[] labels(int n) {
    return ("__name__=m;host=h" + n + ";" + "x".repeat(n % 37)).getBytes(StandardCharsets.UTF_8);
  }

  private static SeriesKey key(String tenant, int n) {
    return SeriesKey.of(tenant, "m", Map.of("host", "h" + n));
  }

  @Test
  void entriesSurviveGrowthAndAreFoundInsideLargerBuffers() {
    SeriesKeyCache cache = new SeriesKeyCache(1_000_000);
    List<SeriesKey> shared = new ArrayList<>();
    for (int n = 0; n < 20_000; n++) {
      byte[] bytes = labels(n);
      assertThat(cache.get("p", bytes, 0, bytes.length)).isNull();
      shared.add(cache.put("p", bytes, 0, bytes.length, key("p", n)));
    }
    assertThat(cache.size()).isEqualTo(20_000);
    for (int n = 0; n < 20_000; n++) {
      byte[] bytes = labels(n);
      // The same labels inside a larger request, at an offset.
      byte[] request = new byte[bytes.length + 10];
      System.arraycopy(bytes, 0, request, 7, bytes.length);
      assertThat(cache.get("p", request, 7, 7 + bytes.length)).isSameAs(shared.get(n));
      assertThat(cache.get("q", bytes, 0, bytes.length)).isNull();
      assertThat(cache.get("p", bytes, 0, bytes.length - 1)).isNull();
    }
    // Adding what is there already returns the key that is there.
    byte[] again = labels(5);
    assertThat(cache.put("p", again, 0, again.length, key("p", 5))).isSameAs(shared.get(5));
    assertThat(cache.size()).isEqualTo(20_000);
  }

  @Test
  void lookupsWhileOtherThreadsAddNeverSeeAnotherSeriesKey() throws Exception {
    SeriesKeyCache cache = new SeriesKeyCache(1_000_000);
    int series = 40_000;
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        int first = w;
        done.add(
            pool.submit(
                () -> {
                  int checked = 0;
                  // One lookup through the thread's sequence: its guesses race the others'.
                  SeriesKeyCache.Lookup lookup = cache.lookup();
                  // Each thread adds every threads-th series and looks up all of them.
                  for (int n = first; n < series; n += threads) {
                    byte[] bytes = labels(n);
                    lookup.put("p", bytes, 0, bytes.length, key("p", n));
                    for (int probe = Math.max(0, n - 500); probe <= n; probe++) {
                      byte[] other = labels(probe);
                      SeriesKey found = lookup.get("p", other, 0, other.length);
                      if (found != null) {
                        assertThat(found).isEqualTo(key("p", probe));
                        checked++;
                      }
                    }
                    assertThat(cache.get("p", bytes, 0, bytes.length)).isEqualTo(key("p", n));
                  }
                  return checked;
                }));
      }
      for (Future<Integer> one : done) {
        assertThat(one.get(60, TimeUnit.SECONDS)).isPositive();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(cache.size()).isEqualTo(series);
    for (int n = 0; n < series; n++) {
      byte[] bytes = labels(n);
      assertThat(cache.get("p", bytes, 0, bytes.length)).isEqualTo(key("p", n));
    }
  }

  @Test
  void aFullCacheStartsOverWithTheNewEntry() {
    SeriesKeyCache cache = new SeriesKeyCache(3);
    for (int n = 0; n < 3; n++) {
      byte[] bytes = labels(n);
      cache.put("p", bytes, 0, bytes.length, key("p", n));
    }
    byte[] fourth = labels(3);
    SeriesKey kept = cache.put("p", fourth, 0, fourth.length, key("p", 3));
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.get("p", fourth, 0, fourth.length)).isSameAs(kept);
    byte[] first = labels(0);
    assertThat(cache.get("p", first, 0, first.length)).isNull();
  }

  /** The requests' label bytes: {@code senders} senders, each with its own series in order. */
  private static byte[][][] requests(int senders, int perSender) {
    byte[][][] requests = new byte[senders][perSender][];
    for (int s = 0; s < senders; s++) {
      for (int i = 0; i < perSender; i++) {
        requests[s][i] = labels(s * perSender + i);
      }
    }
    return requests;
  }

  @Test
  void aRequestInTheOrderOfTheLastOneFindsEachSeriesByItsGuess() {
    SeriesKeyCache cache = new SeriesKeyCache(1_000_000);
    int senders = 4;
    int perSender = 5_000;
    byte[][][] requests = requests(senders, perSender);
    // The senders' first requests arrive together: their entries are added interleaved, and the
    // table grows several times meanwhile.
    SeriesKeyCache.Lookup[] first = new SeriesKeyCache.Lookup[senders];
    for (int s = 0; s < senders; s++) {
      first[s] = cache.lookup();
    }
    for (int i = 0; i < perSender; i++) {
      for (int s = 0; s < senders; s++) {
        byte[] bytes = requests[s][i];
        assertThat(first[s].get("p", bytes, 0, bytes.length)).isNull();
        first[s].put("p", bytes, 0, bytes.length, key("p", s * perSender + i));
      }
    }
    assertThat(cache.size()).isEqualTo(senders * perSender);
    for (int round = 0; round < 2; round++) {
      for (int s = 0; s < senders; s++) {
        SeriesKeyCache.Lookup lookup = cache.lookup();
        for (int i = 0; i < perSender; i++) {
          byte[] bytes = requests[s][i];
          assertThat(lookup.get("p", bytes, 0, bytes.length))
              .isEqualTo(key("p", s * perSender + i));
        }
        // All but the request's first series, guessed from the one before it.
        assertThat(lookup.guessed).isEqualTo(perSender - 1);
      }
    }
  }

  @Test
  void aRequestInAnotherOrderFindsEverySeriesAndLearnsTheNewOrder() {
    SeriesKeyCache cache = new SeriesKeyCache(1_000_000);
    int series = 3_000;
    SeriesKeyCache.Lookup adding = cache.lookup();
    for (int n = 0; n < series; n++) {
      byte[] bytes = labels(n);
      adding.put("p", bytes, 0, bytes.length, key("p", n));
    }
    for (int round = 0; round < 2; round++) {
      SeriesKeyCache.Lookup lookup = cache.lookup();
      // Every other series, backwards: no guess fits the first time.
      for (int n = series - 1; n >= 0; n -= 2) {
        byte[] bytes = labels(n);
        assertThat(lookup.get("p", bytes, 0, bytes.length)).isEqualTo(key("p", n));
      }
      assertThat(lookup.guessed).isEqualTo(round == 0 ? 0 : series / 2 - 1);
    }
    // The same labels under another tenant are not the guessed entry.
    SeriesKeyCache.Lookup lookup = cache.lookup();
    byte[] bytes = labels(0);
    assertThat(lookup.get("p", bytes, 0, bytes.length)).isEqualTo(key("p", 0));
    byte[] second = labels(1);
    assertThat(lookup.get("q", second, 0, second.length)).isNull();
  }
}
