package io.meridian.ops.bench;

import java.util.List;

/**
 * Turns scrapes of {@link NodeExporterSeries} into request bodies of one write protocol. An
 * instance keeps scratch buffers, so each sending thread has its own; the tables derived from the
 * series (encoded label sets) are shared.
 */
public sealed interface SampleEncoder permits RemoteWriteEncoder, PutEncoder {

  /** The headers every request carries, as name, value, name, value… */
  List<String> headers();

  /**
   * The body carrying scrapes {@code firstRound … firstRound + rounds - 1} of each series in {@code
   * series}, advancing those series by as many scrapes.
   */
  Body encode(int[] series, long firstRound, int rounds);

  /** A request body and the samples it carries. */
  record Body(byte[] bytes, long samples) {}
}
