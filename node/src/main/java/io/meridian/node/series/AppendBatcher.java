package io.meridian.node.series;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Coalesces this node's writes to one series group into few {@link SeriesGroup.Append} commands.
 * Each command is one journal event, and a group persists one event at a time, so many small
 * concurrent writes (remote-write requests, scrapes, OpenTSDB puts) to a group would each pay a
 * journal round trip. Instead at most {@code maxInFlight} commands per group are outstanding from
 * this node; a write arriving meanwhile waits in the group's queue, and when a command is answered
 * everything queued goes as one command (several when it exceeds {@code maxAppendBytes}): the
 * journal then writes few large events rather than many small ones.
 *
 * <p>A combined command's batch is the concatenation of the callers' parts in arrival order, so a
 * later write of the same series and timestamp still replaces an earlier one, and the parts of one
 * caller keep their order. The group's answer is mapped back to each caller: its own refused
 * samples (by their position in the combined batch) and its own acknowledged count. A failed or
 * timed-out command fails the parts of every caller in it, which may or may not be stored (writing
 * them again is safe).
 *
 * <p>Writes being decoded are {@linkplain #announce() announced}: a queue that would be sent (the
 * group has nothing in flight from this node, or just answered) is held while writes announced
 * before it are still being prepared, at most the linger, so that concurrent writes share one
 * command even when they do not overlap a group's journal write; with nothing announced nothing
 * waits.
 *
 * <p>Each caller keeps its own timeout: when it runs out the caller completes with its unanswered
 * series as failed, and its parts still queued are removed so that they are never sent. A group's
 * queue holds at most {@code maxQueuedBytes} (by {@link AppendCommands}' estimate, a queue that is
 * empty takes any one write however large); a write beyond it fails at once with {@link
 * StoreUnavailableException}, which the APIs answer with 503 and Retry-After, pushing back on the
 * senders instead of holding their data in memory. A group's state exists only while it has a
 * command in flight or a write queued, so many tenants leave nothing behind.
 *
 * <p>Thread-safety: callers come from many threads (HTTP, telnet, scrapers) and answers arrive on
 * dispatcher threads. Each group's state is changed only inside {@link ConcurrentHashMap#compute}
 * of its key: that is a short per-key lock, with no hop through a mailbox as an actor would add to
 * every write, and it makes creating and dropping a group's state atomic with queueing a write, so
 * a write cannot land in state just dropped as idle. The critical sections only move references
 * between lists; commands are sent, and callers completed, after leaving them.
 */
final class AppendBatcher {

  /** Sends one {@link SeriesGroup.Append} to a group and completes with the group's answer. */
  @FunctionalInterface
  interface Sender {
    CompletionStage<SeriesGroup.Appended> send(
        String tenant, int group, List<SeriesSamples> batch, Duration timeout);
  }

  private record Target(String tenant, int group) {
    @Override
    public String toString() {
      return SeriesStore.entityId(tenant, group);
    }
  }

  private final Sender sender;
  private final long maxAppendBytes;
  private final int maxInFlight;
  private final long maxQueuedBytes;
  private final Executor executor;
  private final long lingerNanos;
  private final Executor lingerTimer;
  private final AtomicLong holds = new AtomicLong();
  private final AtomicLong announced = new AtomicLong();

  /** The numbers of the announced writes not queued yet. */
  private final ConcurrentSkipListSet<Long> preparing = new ConcurrentSkipListSet<>();

  /** Groups that may be holding their queue for announced writes (stale entries are dropped). */
  private final Set<Target> holding = ConcurrentHashMap.newKeySet();

  private final ConcurrentHashMap<Target, GroupQueue> groups = new ConcurrentHashMap<>();

  /**
   * A batcher sending through {@code sender} commands of at most about {@code maxAppendBytes}, at
   * most {@code maxInFlight} per group at a time, queueing at most about {@code maxQueuedBytes} per
   * group; {@code executor} runs the expiry of callers whose time ran out (off the JDK's timer
   * thread, which only signals it).
   */
  AppendBatcher(
      Sender sender, long maxAppendBytes, int maxInFlight, long maxQueuedBytes, Executor executor) {
    this(sender, maxAppendBytes, maxInFlight, maxQueuedBytes, Duration.ZERO, executor);
  }

  /**
   * As above, and a write that would go to a group at once is held, at most {@code linger}, while
   * writes {@linkplain #announce() announced} before it are still being prepared (zero: never).
   */
  AppendBatcher(
      Sender sender,
      long maxAppendBytes,
      int maxInFlight,
      long maxQueuedBytes,
      Duration linger,
      Executor executor) {
    this(
        sender,
        maxAppendBytes,
        maxInFlight,
        maxQueuedBytes,
        linger,
        executor,
        CompletableFuture.delayedExecutor(
            Math.max(0, linger.toNanos()), TimeUnit.NANOSECONDS, executor));
  }

  /** As above, with {@code lingerTimer} running each linger's end (tests run it by hand). */
  AppendBatcher(
      Sender sender,
      long maxAppendBytes,
      int maxInFlight,
      long maxQueuedBytes,
      Duration linger,
      Executor executor,
      Executor lingerTimer) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
    }
    this.sender = sender;
    this.maxAppendBytes = maxAppendBytes;
    this.maxInFlight = maxInFlight;
    this.maxQueuedBytes = maxQueuedBytes;
    this.executor = executor;
    this.lingerNanos = linger.toNanos();
    this.lingerTimer = lingerTimer;
  }

  /**
   * Stores {@code part}, series of group {@code group} of {@code tenant}, waiting at most {@code
   * timeout}. Completes normally, with the series that were not acknowledged in {@link
   * SeriesStore.AppendResult#failed()}.
   */
  CompletionStage<SeriesStore.AppendResult> append(
      String tenant, int group, List<SeriesSamples> part, Duration timeout) {
    if (part.isEmpty()) {
      return CompletableFuture.completedFuture(new SeriesStore.AppendResult(0, Set.of(), null));
    }
    Target target = new Target(tenant, group);
    Ticket ticket = new Ticket(target, AppendCommands.splitSized(part, maxAppendBytes), timeout);
    Admission admission = new Admission();
    groups.compute(
        target,
        (key, state) -> {
          GroupQueue current = state == null ? new GroupQueue() : state;
          if (current.queuedBytes > 0 && current.queuedBytes + ticket.bytes > maxQueuedBytes) {
            admission.queued = current.queuedBytes;
            return current.idle() ? null : current;
          }
          admission.admitted = true;
          current.queued.addAll(ticket.pieces);
          current.queuedBytes += ticket.bytes;
          admission.hold = hold(key, current);
          admission.commands = drain(key, current);
          return current;
        });
    if (!admission.admitted) {
      ticket.finish(
          ticket.failAll(
              new StoreUnavailableException(
                  "Too many writes waiting for series group "
                      + target
                      + " on this node ("
                      + admission.queued
                      + " bytes queued), retry later",
                  null)));
      return ticket.result;
    }
    // The caller's time counts from here: an expiry then always finds the pieces queued (and
    // takes them out), however early it comes.
    ticket.deadline.completeOnTimeout(true, timeout.toNanos(), TimeUnit.NANOSECONDS);
    ticket.deadline.thenAccept(
        expired -> {
          if (expired) {
            executor.execute(() -> expire(ticket));
          }
        });
    admission.commands.forEach(this::send);
    startLinger(target, admission.hold);
    return ticket.result;
  }

  /**
   * Announces a write whose parts this node is about to queue (a request being decoded); closing
   * the announcement says they are queued, or that none will come. A write reaching a group with
   * nothing in flight from this node is held while writes announced before it are still being
   * prepared, at most the linger, so that their parts go in the same command: one journal event
   * instead of several. Without a linger announcements are not tracked.
   */
  SeriesStore.WriteAnnouncement announce() {
    if (lingerNanos <= 0) {
      return () -> {};
    }
    long number = announced.incrementAndGet();
    preparing.add(number);
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        preparing.remove(number);
        endHolds();
      }
    };
  }

  /**
   * Holds the queue of a group with nothing in flight while writes announced so far are prepared
   * (unless it holds a command's worth already); the hold's number if one began, else 0. Inside
   * compute.
   */
  private long hold(Target key, GroupQueue state) {
    if (state.queuedBytes >= maxAppendBytes) {
      state.hold = 0;
      return 0;
    }
    if (lingerNanos <= 0 || state.hold != 0 || state.inFlight > 0 || state.queued.isEmpty()) {
      return 0;
    }
    // Listed before looking, so that an announcement closed meanwhile either is seen closed here
    // or finds this group when it looks for holds to end (it blocks on this compute until then).
    holding.add(key);
    long awaits = announced.get();
    if (!waiting(awaits)) {
      holding.remove(key);
      return 0;
    }
    state.hold = holds.incrementAndGet();
    state.awaits = awaits;
    return state.hold;
  }

  /** Whether a write announced up to number {@code awaits} is still being prepared. */
  private boolean waiting(long awaits) {
    Long first = preparing.ceiling(Long.MIN_VALUE);
    return first != null && first <= awaits;
  }

  /** Sends the queues whose announced writes are all queued by now. */
  private void endHolds() {
    for (Target target : holding) {
      endHold(target, state -> !waiting(state.awaits));
    }
  }

  /** Ends hold number {@code hold} (if it began) when the linger runs out. */
  private void startLinger(Target target, long hold) {
    if (hold != 0) {
      lingerTimer.execute(() -> endHold(target, state -> state.hold == hold));
    }
  }

  /**
   * Ends the group's hold if it has one that {@code over} says is over, sending what queued
   * meanwhile; a group holding nothing (any more) leaves {@link #holding}.
   */
  private void endHold(Target target, Predicate<GroupQueue> over) {
    List<List<Command>> next = new ArrayList<>(1);
    groups.compute(
        target,
        (key, state) -> {
          if (state != null && state.hold != 0 && over.test(state)) {
            state.hold = 0;
            next.add(drain(key, state));
          }
          if (state == null || state.hold == 0) {
            holding.remove(key);
          }
          return state == null || state.idle() ? null : state;
        });
    if (!next.isEmpty()) {
      next.get(0).forEach(this::send);
    }
  }

  /** How many groups have a command in flight or a write queued. */
  int activeGroups() {
    return groups.size();
  }

  /** What queueing a write did, set inside the group's critical section. */
  private static final class Admission {
    boolean admitted;
    long queued;
    long hold;
    List<Command> commands = List.of();
  }

  /** A group's queue; guarded by {@code groups.compute} on its key. */
  private static final class GroupQueue {
    final ArrayDeque<Piece> queued = new ArrayDeque<>();
    long queuedBytes;
    int inFlight;

    /** The hold the queue waits out before sending (its number), or 0. */
    long hold;

    /** While held: the last announced write it waits for. */
    long awaits;

    boolean idle() {
      return inFlight == 0 && queued.isEmpty();
    }
  }

  /** One combined command: the pieces whose series, concatenated, are its batch. */
  private record Command(Target target, List<Piece> pieces) {}

  /** Takes commands off the queue while the group has room in flight; inside compute. */
  private List<Command> drain(Target target, GroupQueue state) {
    List<Command> commands = new ArrayList<>(1);
    while (state.hold == 0 && state.inFlight < maxInFlight && !state.queued.isEmpty()) {
      List<Piece> pieces = new ArrayList<>();
      long bytes = 0;
      while (!state.queued.isEmpty()
          && (pieces.isEmpty() || bytes + state.queued.peekFirst().bytes <= maxAppendBytes)) {
        Piece piece = state.queued.pollFirst();
        state.queuedBytes -= piece.bytes;
        // Never send a caller that has its result already (an expiry takes its queued pieces
        // out before it fails the caller, so this only guards).
        if (!piece.ticket.result.isDone()) {
          pieces.add(piece);
          bytes += piece.bytes;
        }
      }
      if (!pieces.isEmpty()) {
        state.inFlight++;
        commands.add(new Command(target, pieces));
      }
    }
    return commands;
  }

  private void send(Command command) {
    List<SeriesSamples> batch = new ArrayList<>();
    long longestWait = 0;
    long now = System.nanoTime();
    for (Piece piece : command.pieces()) {
      batch.addAll(piece.series);
      longestWait = Math.max(longestWait, piece.ticket.deadlineNanos - now);
    }
    // The command must get its chance as long as any of its callers waits for it.
    Duration timeout = Duration.ofNanos(Math.max(longestWait, TimeUnit.MILLISECONDS.toNanos(1)));
    CompletionStage<SeriesGroup.Appended> answer;
    try {
      answer = sender.send(command.target().tenant(), command.target().group(), batch, timeout);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(
        (appended, failure) -> {
          release(command.target());
          deliver(command, batch.size(), appended, failure);
        });
  }

  /** Frees the answered command's slot and sends (or holds) what queued up meanwhile. */
  private void release(Target target) {
    List<List<Command>> next = new ArrayList<>(1);
    long[] hold = new long[1];
    groups.compute(
        target,
        (key, state) -> {
          state.inFlight--;
          hold[0] = hold(key, state);
          next.add(drain(key, state));
          return state.idle() ? null : state;
        });
    next.get(0).forEach(this::send);
    startLinger(target, hold[0]);
  }

  private void deliver(
      Command command, int batchSize, SeriesGroup.Appended appended, Throwable failure) {
    List<List<SeriesStore.Refused>> refused = null;
    if (failure == null) {
      try {
        refused = refusedByPiece(command, batchSize, appended);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    for (int i = 0; i < command.pieces().size(); i++) {
      Piece piece = command.pieces().get(i);
      if (failure == null) {
        piece.ticket.finish(piece.ticket.answered(piece, refused.get(i)));
      } else {
        piece.ticket.finish(piece.ticket.failed(piece, unwrap(failure)));
      }
    }
  }

  /** The group's rejections, by position in the combined batch, mapped to the pieces. */
  private static List<List<SeriesStore.Refused>> refusedByPiece(
      Command command, int batchSize, SeriesGroup.Appended appended) {
    int[] starts = new int[command.pieces().size()];
    List<List<SeriesStore.Refused>> refused = new ArrayList<>(starts.length);
    int start = 0;
    for (int i = 0; i < starts.length; i++) {
      starts[i] = start;
      start += command.pieces().get(i).series.size();
      refused.add(new ArrayList<>(0));
    }
    for (SeriesGroup.Rejection rejection : appended.rejections()) {
      if (rejection.index() < 0 || rejection.index() >= batchSize) {
        throw new IllegalStateException(
            "Series group "
                + command.target()
                + " refused samples outside its batch: "
                + rejection);
      }
      int found = Arrays.binarySearch(starts, rejection.index());
      // Empty pieces share a start with the next one: the series is in the last piece starting
      // at or before the index.
      int piece = found >= 0 ? lastStartingAt(starts, found) : -found - 2;
      Piece owner = command.pieces().get(piece);
      refused
          .get(piece)
          .add(
              new SeriesStore.Refused(
                  owner.series.get(rejection.index() - starts[piece]).key(),
                  rejection.samples(),
                  rejection.reason()));
    }
    return refused;
  }

  private static int lastStartingAt(int[] starts, int found) {
    int piece = found;
    while (piece + 1 < starts.length && starts[piece + 1] == starts[found]) {
      piece++;
    }
    return piece;
  }

  /** The caller's time ran out: its queued pieces are never sent, its unanswered ones fail. */
  private void expire(Ticket ticket) {
    groups.computeIfPresent(
        ticket.target,
        (key, state) -> {
          if (state.queued.removeIf(piece -> piece.ticket == ticket)) {
            state.queuedBytes = 0;
            state.queued.forEach(piece -> state.queuedBytes += piece.bytes);
          }
          return state.idle() ? null : state;
        });
    ticket.finish(
        ticket.failAll(
            new TimeoutException(
                "Series group "
                    + ticket.target
                    + " did not acknowledge the write within "
                    + ticket.timeout.toMillis()
                    + "ms")));
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  /** A slice of one caller's part of at most about {@code maxAppendBytes}. */
  private static final class Piece {
    final Ticket ticket;
    final int index;
    final List<SeriesSamples> series;
    final long bytes;
    final long samples;

    Piece(Ticket ticket, int index, AppendCommands.Command command) {
      this.ticket = ticket;
      this.index = index;
      this.series = command.series();
      this.bytes = command.bytes();
      long count = 0;
      for (SeriesSamples s : series) {
        count += s.size();
      }
      this.samples = count;
    }
  }

  /**
   * One caller's write to one group: its pieces, and what became of them so far. The outcome fields
   * are guarded by the ticket's monitor; the first of the last answer, a failure fan-out and the
   * deadline to settle every piece completes the caller.
   */
  private static final class Ticket {
    final Target target;
    final Duration timeout;
    final long deadlineNanos;
    final List<Piece> pieces;
    final long bytes;
    final CompletableFuture<SeriesStore.AppendResult> result = new CompletableFuture<>();

    /** Completes with true when the caller's time runs out, with false once it has its result. */
    final CompletableFuture<Boolean> deadline = new CompletableFuture<>();

    private final boolean[] settled;
    private int unsettled;
    private boolean completed;
    private long acknowledged;
    private final Set<SeriesKey> failed = new HashSet<>();
    private Throwable failure;
    private final List<SeriesStore.Refused> refused = new ArrayList<>();

    Ticket(Target target, List<AppendCommands.Command> split, Duration timeout) {
      this.target = target;
      this.timeout = timeout;
      this.deadlineNanos = System.nanoTime() + timeout.toNanos();
      List<Piece> sliced = new ArrayList<>(split.size());
      long total = 0;
      for (AppendCommands.Command command : split) {
        Piece piece = new Piece(this, sliced.size(), command);
        sliced.add(piece);
        total += piece.bytes;
      }
      this.pieces = sliced;
      this.bytes = total;
      this.settled = new boolean[sliced.size()];
      this.unsettled = sliced.size();
    }

    /** The piece was stored but for its refused samples; the result if that was the last. */
    synchronized SeriesStore.AppendResult answered(
        Piece piece, List<SeriesStore.Refused> pieceRefused) {
      if (!settle(piece)) {
        return null;
      }
      long refusedSamples = 0;
      for (SeriesStore.Refused r : pieceRefused) {
        refusedSamples += r.samples();
      }
      acknowledged += Math.max(0, piece.samples - refusedSamples);
      refused.addAll(pieceRefused);
      return unsettled == 0 ? complete() : null;
    }

    /** The piece may or may not be stored; the result if that was the last. */
    synchronized SeriesStore.AppendResult failed(Piece piece, Throwable cause) {
      if (!settle(piece)) {
        return null;
      }
      fail(piece, cause);
      return unsettled == 0 ? complete() : null;
    }

    /** Every piece not settled yet fails; the result unless the caller already had it. */
    synchronized SeriesStore.AppendResult failAll(Throwable cause) {
      if (completed) {
        return null;
      }
      for (Piece piece : pieces) {
        if (settle(piece)) {
          fail(piece, cause);
        }
      }
      return complete();
    }

    /** Completes the caller (outside the monitor: its continuations may run here). */
    void finish(SeriesStore.AppendResult outcome) {
      if (outcome != null) {
        deadline.complete(false);
        result.complete(outcome);
      }
    }

    private boolean settle(Piece piece) {
      if (completed || settled[piece.index]) {
        return false;
      }
      settled[piece.index] = true;
      unsettled--;
      return true;
    }

    private void fail(Piece piece, Throwable cause) {
      piece.series.forEach(series -> failed.add(series.key()));
      failure = failure == null ? cause : failure;
    }

    private SeriesStore.AppendResult complete() {
      completed = true;
      return new SeriesStore.AppendResult(
          acknowledged, Set.copyOf(failed), failure, List.copyOf(refused));
    }
  }
}
