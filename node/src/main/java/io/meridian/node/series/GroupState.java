package io.meridian.node.series;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.chunk.SampleIterator;
import io.meridian.protocol.chunk.XorChunk;
import io.meridian.protocol.chunk.XorChunkEncoder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state of one series group: its series index (every series of the group within retention, by
 * key and by id) and each series' head, the samples not yet in the chunk table.
 *
 * <p>Mutable, for speed: a group applies thousands of samples per event, and copying an immutable
 * map of thousands of series per event cost more than the journal write. It is owned by the group's
 * actor and touched only there, by the event handler; commands only read it. A snapshot is an
 * immutable copy ({@link GroupSnapshot}), taken on the actor's thread.
 *
 * <p>A series' head holds, oldest writes first: <em>pending</em> chunks (sealed, awaiting their
 * write to the chunk table), <em>closed</em> chunks (compacted parts of the open window and of
 * earlier windows, the newest {@code head-parts} of them kept in memory, the older ones sealed into
 * pending chunks as they are by {@link #sealParts}), the <em>open</em> chunk (the current window,
 * appended in time order) and the <em>late</em> samples (out of order, or rewriting a timestamp).
 * Where two hold a timestamp, the later one in that order wins, as the later write; a pending chunk
 * sealed from parts holds samples written before any late sample of its timestamps, as samples in
 * time order come after every late one they could share a timestamp with.
 */
final class GroupState {

  /**
   * Samples the open chunk takes before they move into a compacted part of its window ({@link
   * XorChunk#compact()}: about half the XOR bytes on node-exporter-like data, much less on slowly
   * changing values), so that a series' head holds most of its window compacted rather than the
   * whole window in XOR: 120 is half an hour at 15 s, a quarter of a 2 h window.
   */
  static final int OPEN_PART_SAMPLES = 120;

  /** A sealed chunk awaiting its write to the chunk table; {@code seq} orders chunks by sealing. */
  record Pending(long seq, XorChunk chunk) {}

  /** The samples of an earlier window, closed when a sample of a later window arrived. */
  record Closed(long window, XorChunk chunk) {}

  /** One series: its key, its group-local id and its head. */
  static final class Series {
    final SeriesKey key;
    final long id;

    /** The state holding it: an attachment to a key is valid only for its own state. */
    final GroupState owner;

    long minTs = Long.MAX_VALUE;
    long maxTs = Long.MIN_VALUE;
    long storedMinTs = Long.MAX_VALUE;
    long storedMaxTs = Long.MIN_VALUE;
    XorChunkEncoder open;
    long openWindow;

    /**
     * When the open chunk last got a sample (the writing event's time): a window keeps its open
     * chunk while it is still being written, even when its time is past, so that a backfill or a
     * catch-up does not seal it into a chunk per seal interval.
     */
    long openWrittenAt;

    List<Closed> closed;
    TreeMap<Long, Double> late;
    List<Pending> pending;

    Series(SeriesKey key, long id, GroupState owner) {
      this.key = key;
      this.id = id;
      this.owner = owner;
    }

    boolean hasHead() {
      return open != null || closed != null || late != null || pending != null;
    }

    boolean overlapsStored(long fromMs, long toMs) {
      return storedMinTs <= toMs && storedMaxTs >= fromMs;
    }

    boolean overlaps(long fromMs, long toMs) {
      return minTs <= toMs && maxTs >= fromMs;
    }

    /** Approximate heap bytes of the head (not the key, which the index shares). */
    long headBytes() {
      return 96 + bytes(0, 48, 80);
    }

    /**
     * The head's chunk bytes, plus {@code perOpen} for an open chunk, {@code perChunk} for each
     * closed or pending one and {@code perLate} for each late sample: what the head takes on the
     * heap or in a snapshot, by the overheads given.
     */
    long bytes(long perOpen, long perChunk, long perLate) {
      long bytes = 0;
      if (open != null) {
        bytes += perOpen + open.memoryBytes();
      }
      if (closed != null) {
        for (Closed c : closed) {
          bytes += perChunk + c.chunk().sizeBytes();
        }
      }
      if (pending != null) {
        for (Pending p : pending) {
          bytes += perChunk + p.chunk().sizeBytes();
        }
      }
      if (late != null) {
        bytes += perLate * late.size();
      }
      return bytes;
    }
  }

  private final Map<SeriesKey, Series> byKey = new HashMap<>();
  private final LongKeyMap<Series> byId = new LongKeyMap<>();

  /** Owner of each pending chunk, by seq: what a {@code ChunksStored} event clears. */
  private final TreeMap<Long, Series> pendingOwners = new TreeMap<>();

  private long nextSeriesId;
  private long nextChunkSeq;

  long nextSeriesId() {
    return nextSeriesId;
  }

  long nextChunkSeq() {
    return nextChunkSeq;
  }

  int size() {
    return byKey.size();
  }

  /**
   * The series of {@code key}, or null. A series found by the very key object it holds is attached
   * to that object ({@link SeriesKey#attach}), so that the next write carrying it (remote write
   * sends the same key objects every scrape) finds it there without a lookup in the index. An
   * attachment counts only when it is a series of this state holding that key object: one of a
   * previous incarnation of the group, or of an older state, is ignored and replaced. A series is
   * attached only to its own key object and detached when removed, so a removed one is never found.
   */
  Series get(SeriesKey key) {
    if (key.attachment() instanceof Series s && s.owner == this && s.key == key) {
      return s;
    }
    Series found = byKey.get(key);
    if (found != null && found.key == key) {
      key.attach(found);
    }
    return found;
  }

  /**
   * Takes this state's series off the key objects they are attached to: a group that stops calls
   * it, so that keys that outlive it (in a remote-write key cache) do not keep its heads in memory.
   */
  void detachAll() {
    for (Series s : byKey.values()) {
      detach(s);
    }
  }

  private static void detach(Series s) {
    if (s.key.attachment() == s) {
      s.key.attach(null);
    }
  }

  Series byId(long id) {
    return byId.get(id);
  }

  Collection<Series> series() {
    return byKey.values();
  }

  /** Pending chunks, by seq, with their series. */
  NavigableMap<Long, Series> pendingOwners() {
    return pendingOwners;
  }

  Series create(long id, SeriesKey key) {
    Series series = new Series(interned(key), id, this);
    byKey.put(series.key, series);
    byId.put(id, series);
    nextSeriesId = Math.max(nextSeriesId, id + 1);
    return series;
  }

  /**
   * The key with its strings interned: the index keeps one key per series for as long as the series
   * lives, and most of a key's strings (the tenant, metric and label names, values such as {@code
   * job} or {@code instance}) repeat across series, so sharing them cuts the index's memory per
   * series by about half. A key whose strings are interned already (remote write's key cache
   * interns them) is kept as it is, so later writes that carry the same key object find it by
   * identity.
   */
  static SeriesKey interned(SeriesKey key) {
    boolean already =
        key.tenant() == key.tenant().intern() && key.metric() == key.metric().intern();
    TreeMap<String, String> tags = new TreeMap<>();
    for (Map.Entry<String, String> tag : key.tags().entrySet()) {
      String name = tag.getKey().intern();
      String value = tag.getValue().intern();
      already &= name == tag.getKey() && value == tag.getValue();
      tags.put(name, value);
    }
    return already ? key : SeriesKey.ofOwned(key.tenant().intern(), key.metric().intern(), tags);
  }

  void remove(long id) {
    Series series = byId.remove(id);
    if (series != null) {
      detach(series);
      byKey.remove(series.key);
      if (series.pending != null) {
        series.pending.forEach(p -> pendingOwners.remove(p.seq()));
      }
    }
  }

  /**
   * Adds one sample to a series' head. In time order within the open chunk's window it is appended
   * there; a repeat of the open chunk's last sample (same timestamp, same value bits) is dropped; a
   * sample of a later window closes the open chunk and opens one; anything else is a late sample.
   * {@code at} is when the sample was written (its event's time).
   */
  static void append(Series s, long ts, double value, long windowMs, long at) {
    s.minTs = Math.min(s.minTs, ts);
    s.maxTs = Math.max(s.maxTs, ts);
    long window = Math.floorDiv(ts, windowMs);
    if (s.open == null) {
      s.open = new XorChunkEncoder();
      s.openWindow = window;
      s.open.append(ts, value);
      s.openWrittenAt = at;
      return;
    }
    long last = s.open.lastTimestamp();
    if (window == s.openWindow && ts > last) {
      if (s.open.count() >= OPEN_PART_SAMPLES) {
        freezeOpenPart(s);
      }
      s.open.append(ts, value);
      s.openWrittenAt = at;
      return;
    }
    if (ts == last
        && Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(s.open.lastValue())
        && (s.late == null || !s.late.containsKey(ts))) {
      return;
    }
    if (window > s.openWindow && ts > last) {
      // The window's last part, compacted as the others: it waits for sealing like them.
      freezeOpenPart(s);
      s.openWindow = window;
      s.open.append(ts, value);
      s.openWrittenAt = at;
      return;
    }
    if (s.late == null) {
      s.late = new TreeMap<>();
    }
    s.late.put(ts, value);
  }

  /**
   * Moves the open chunk's samples into a compacted part of its window (a {@link Closed}, which
   * sealing merges with the rest of the window) and starts the open chunk anew. Called when a
   * sample in time order arrives for a full open part or for a later window, so the open chunk is
   * never empty. Replays and every node cut at the same samples.
   */
  private static void freezeOpenPart(Series s) {
    if (s.closed == null) {
      s.closed = new ArrayList<>(2);
    }
    s.closed.add(new Closed(s.openWindow, s.open.toChunk().compact()));
    // The next part of a series is about as large as this one: its buffer starts at that size
    // (and a little more), instead of growing from a few bytes through several copies.
    s.open = new XorChunkEncoder(s.open.streamBytes() + s.open.streamBytes() / 8 + 8);
  }

  /** The samples of the open window: the open chunk's and those of its compacted parts. */
  static int openWindowCount(Series s) {
    int count = s.open == null ? 0 : s.open.count();
    if (s.open != null && s.closed != null) {
      for (Closed c : s.closed) {
        if (c.window() == s.openWindow) {
          count += c.chunk().count();
        }
      }
    }
    return count;
  }

  /** Whether the head holds anything besides the open window (its open chunk and parts). */
  static boolean onlyOpenWindow(Series s) {
    if (s.late != null) {
      return false;
    }
    if (s.closed != null) {
      for (Closed c : s.closed) {
        if (s.open == null || c.window() != s.openWindow) {
          return false;
        }
      }
    }
    return true;
  }

  /** The windows the series' head holds samples of, outside pending chunks. */
  static Set<Long> headWindows(Series s, long windowMs) {
    Set<Long> windows = new TreeSet<>();
    if (s.open != null) {
      windows.add(s.openWindow);
    }
    if (s.closed != null) {
      s.closed.forEach(c -> windows.add(c.window()));
    }
    if (s.late != null) {
      for (long ts : s.late.keySet()) {
        windows.add(Math.floorDiv(ts, windowMs));
      }
    }
    return windows;
  }

  /**
   * Seals a window of a series: its closed chunks, the open chunk if of that window, and its late
   * samples become one pending chunk with the next seq. Nothing happens if the head holds nothing
   * of the window. Without late samples the window's parts, compacted already and in time order,
   * are joined as they are ({@link XorChunk#concat}); otherwise its samples are merged (late ones
   * winning) and compacted anew.
   */
  void seal(Series s, long window, long windowMs) {
    List<XorChunk> parts = new ArrayList<>();
    if (s.closed != null) {
      for (Iterator<Closed> it = s.closed.iterator(); it.hasNext(); ) {
        Closed c = it.next();
        if (c.window() == window) {
          parts.add(c.chunk());
          it.remove();
        }
      }
      if (s.closed.isEmpty()) {
        s.closed = null;
      }
    }
    if (s.open != null && s.openWindow == window) {
      // Closed parts were compacted when they closed; the open chunk is now.
      parts.add(s.open.toChunk().compact());
      s.open = null;
    }
    Chunk late = null;
    if (s.late != null) {
      NavigableMap<Long, Double> lateOfWindow =
          s.late.subMap(window * windowMs, true, (window + 1) * windowMs, false);
      if (!lateOfWindow.isEmpty()) {
        late = fromMap(lateOfWindow);
        lateOfWindow.clear();
      }
      if (s.late.isEmpty()) {
        s.late = null;
      }
    }
    XorChunk sealed;
    if (late == null && XorChunk.consecutive(parts)) {
      sealed = XorChunk.concat(parts);
    } else {
      Chunk merged = Chunk.EMPTY;
      for (XorChunk part : parts) {
        merged = Chunk.merge(merged, decode(part.iterator(), part.count()));
      }
      if (late != null) {
        merged = Chunk.merge(merged, late);
      }
      sealed = XorChunk.encodeCompact(merged.timestamps(), merged.values());
    }
    if (sealed.count() > 0) {
      addPending(s, sealed);
    }
  }

  /**
   * Seals a series' closed parts but the newest {@code keep} into pending chunks, one each, as they
   * are (compacted when they closed), whatever their window: the head then holds at most {@code
   * keep} parts besides its open chunk. The rest of a window (its newer parts, the open chunk, late
   * samples) is sealed later, into chunks of greater seqs.
   */
  void sealParts(Series s, int keep) {
    if (s.closed == null || s.closed.size() <= keep) {
      return;
    }
    List<Closed> moved = s.closed.subList(0, s.closed.size() - keep);
    for (Closed c : moved) {
      addPending(s, c.chunk());
    }
    moved.clear();
    if (s.closed.isEmpty()) {
      s.closed = null;
    }
  }

  private void addPending(Series s, XorChunk chunk) {
    Pending pending = new Pending(nextChunkSeq++, chunk);
    if (s.pending == null) {
      s.pending = new ArrayList<>(2);
    }
    s.pending.add(pending);
    pendingOwners.put(pending.seq(), s);
  }

  /** Drops the pending chunks with these seqs: they are in the chunk table now. */
  void stored(long[] seqs) {
    for (long seq : seqs) {
      Series s = pendingOwners.remove(seq);
      if (s == null || s.pending == null) {
        continue;
      }
      for (Iterator<Pending> it = s.pending.iterator(); it.hasNext(); ) {
        Pending p = it.next();
        if (p.seq() == seq) {
          s.storedMinTs = Math.min(s.storedMinTs, p.chunk().minTimestamp());
          s.storedMaxTs = Math.max(s.storedMaxTs, p.chunk().maxTimestamp());
          it.remove();
        }
      }
      if (s.pending.isEmpty()) {
        s.pending = null;
      }
    }
  }

  /** The head's samples of a series with {@code fromMs <= t <= toMs}, later writes winning. */
  static SeriesSamples read(Series s, long fromMs, long toMs) {
    Chunk result = Chunk.EMPTY;
    if (s.pending != null) {
      for (Pending p : s.pending) {
        result = mergeIn(result, p.chunk(), fromMs, toMs);
      }
    }
    if (s.closed != null) {
      for (Closed c : s.closed) {
        result = mergeIn(result, c.chunk(), fromMs, toMs);
      }
    }
    if (s.open != null && s.open.firstTimestamp() <= toMs && s.open.lastTimestamp() >= fromMs) {
      result = Chunk.merge(result, decode(s.open.iterator(), s.open.count()).slice(fromMs, toMs));
    }
    if (s.late != null) {
      NavigableMap<Long, Double> range = s.late.subMap(fromMs, true, toMs, true);
      if (!range.isEmpty()) {
        result = Chunk.merge(result, fromMap(range));
      }
    }
    return new SeriesSamples(s.key, result.timestamps(), result.values());
  }

  private static Chunk mergeIn(Chunk result, XorChunk chunk, long fromMs, long toMs) {
    if (chunk.minTimestamp() > toMs || chunk.maxTimestamp() < fromMs) {
      return result;
    }
    return Chunk.merge(result, decode(chunk.iterator(), chunk.count()).slice(fromMs, toMs));
  }

  static Chunk decode(SampleIterator it, int count) {
    long[] ts = new long[count];
    double[] vs = new double[count];
    int n = 0;
    while (it.next()) {
      ts[n] = it.timestamp();
      vs[n++] = it.value();
    }
    return new Chunk(ts, vs);
  }

  private static Chunk fromMap(Map<Long, Double> samples) {
    long[] ts = new long[samples.size()];
    double[] vs = new double[samples.size()];
    int n = 0;
    for (Map.Entry<Long, Double> e : samples.entrySet()) {
      ts[n] = e.getKey();
      vs[n++] = e.getValue();
    }
    return new Chunk(ts, vs);
  }

  /** About how many bytes a snapshot of this state takes ({@link SnapshotBlock}'s form). */
  long snapshotBytes() {
    long bytes = 64;
    for (Series s : byKey.values()) {
      bytes += 24 + 4L * s.key.tags().size() + s.bytes(16, 8, 10);
    }
    return bytes;
  }

  long headBytes() {
    long bytes = 0;
    for (Series s : byKey.values()) {
      bytes += s.headBytes();
    }
    return bytes;
  }

  // --- snapshots ---

  GroupSnapshot toSnapshot() {
    List<GroupSnapshot.SeriesImage> images = new ArrayList<>(byKey.size());
    for (Series s : byKey.values()) {
      long[] lateTs = new long[0];
      double[] lateValues = new double[0];
      if (s.late != null) {
        Chunk late = fromMap(s.late);
        lateTs = late.timestamps();
        lateValues = late.values();
      }
      images.add(
          new GroupSnapshot.SeriesImage(
              s.id,
              s.key,
              s.minTs,
              s.maxTs,
              s.storedMinTs,
              s.storedMaxTs,
              s.open == null ? null : s.open.toChunk(),
              s.openWindow,
              s.openWrittenAt,
              s.closed == null ? List.of() : List.copyOf(s.closed),
              lateTs,
              lateValues,
              s.pending == null ? List.of() : List.copyOf(s.pending)));
    }
    return new GroupSnapshot(nextSeriesId, nextChunkSeq, images);
  }

  static GroupState fromSnapshot(GroupSnapshot snapshot) {
    GroupState state = new GroupState();
    for (GroupSnapshot.SeriesImage image : snapshot.series()) {
      Series s = state.create(image.id(), image.key());
      s.minTs = image.minTs();
      s.maxTs = image.maxTs();
      s.storedMinTs = image.storedMinTs();
      s.storedMaxTs = image.storedMaxTs();
      if (image.open() != null) {
        s.open = XorChunkEncoder.of(image.open());
        s.openWindow = image.openWindow();
        s.openWrittenAt = image.openWrittenAt();
      }
      if (!image.closed().isEmpty()) {
        s.closed = new ArrayList<>(image.closed());
      }
      if (image.lateTimestamps().length > 0) {
        s.late = new TreeMap<>();
        for (int i = 0; i < image.lateTimestamps().length; i++) {
          s.late.put(image.lateTimestamps()[i], image.lateValues()[i]);
        }
      }
      if (!image.pending().isEmpty()) {
        s.pending = new ArrayList<>(image.pending());
        s.pending.forEach(p -> state.pendingOwners.put(p.seq(), s));
      }
    }
    state.nextSeriesId = Math.max(state.nextSeriesId, snapshot.nextSeriesId());
    state.nextChunkSeq = snapshot.nextChunkSeq();
    return state;
  }
}
