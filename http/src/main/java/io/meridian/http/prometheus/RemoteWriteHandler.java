package io.meridian.http.prometheus;

import io.meridian.http.Handlers;
import io.meridian.node.series.SamplesRefusedException;
import io.meridian.node.series.SeriesStore;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.prometheus.InvalidRemoteWriteException;
import io.meridian.protocol.prometheus.RemoteWriteDecoder;
import io.meridian.protocol.prometheus.SeriesKeyCache;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code /api/v1/write}: Prometheus remote write 1.0. The whole request is checked before anything
 * is written; it is acknowledged with 204 once the store has every sample, and a 503 with
 * Retry-After tells the sender to retry (a rewrite of the same samples replaces itself).
 */
final class RemoteWriteHandler {

  private final SeriesStore store;
  private final long maxUncompressedBytes;
  private final SeriesKeyCache keys;
  private final CounterDataPoint ingested;

  /**
   * @param ingested the counter of the samples this handler stores
   */
  RemoteWriteHandler(
      SeriesStore store, long maxUncompressedBytes, int keyCacheSize, CounterDataPoint ingested) {
    this.store = store;
    this.ingested = ingested;
    this.maxUncompressedBytes = maxUncompressedBytes;
    this.keys = new SeriesKeyCache(keyCacheSize);
  }

  CompletionStage<HttpResponse> write(String tenant, HttpRequest request, byte[] body) {
    String encoding = request.getHeader("Content-Encoding").map(h -> h.value()).orElse("");
    if (!encoding.toLowerCase(Locale.ROOT).equals("snappy")) {
      throw PromApiException.badData(
          "remote write needs Content-Encoding: snappy, not \"" + encoding + "\"");
    }
    String type = request.entity().getContentType().mediaType().toString();
    if (!type.toLowerCase(Locale.ROOT).equals("application/x-protobuf")) {
      throw PromApiException.badData(
          "remote write needs Content-Type: application/x-protobuf, not \"" + type + "\"");
    }
    // Announced while decoding, so that concurrent writes' parts share journal events.
    SeriesStore.WriteAnnouncement announcement = store.announceWrite();
    try {
      List<SeriesSamples> samples;
      try {
        samples = RemoteWriteDecoder.decode(tenant, body, maxUncompressedBytes, keys);
      } catch (InvalidRemoteWriteException e) {
        throw PromApiException.badData(e.getMessage());
      }
      HttpResponse done = HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
      if (samples.isEmpty()) {
        return CompletableFuture.completedFuture(done);
      }
      return store
          .append(tenant, samples)
          .whenComplete(
              (acknowledged, failure) -> {
                if (acknowledged != null) {
                  ingested.inc(acknowledged);
                } else if (Handlers.cause(failure) instanceof SamplesRefusedException refused) {
                  ingested.inc(refused.acknowledged());
                }
              })
          .thenApply(acknowledged -> done);
    } finally {
      announcement.close();
    }
  }
}
