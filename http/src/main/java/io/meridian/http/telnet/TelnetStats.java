package io.meridian.http.telnet;

import io.meridian.protocol.opentsdb.LineProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Counters of the node's port and of the telnet-style line protocol, under OpenTSDB's stat names
 * ({@code tsd.connectionmgr.connections}, {@code tsd.rpc.received}, {@code tsd.rpc.errors}, {@code
 * tsd.datapoints.added}). One instance per actor system, so the telnet {@code stats} command and
 * HTTP {@code /api/stats} report the same figures. Cheap to increment from any thread.
 */
public final class TelnetStats implements Extension {

  private static final ExtensionId<TelnetStats> ID =
      new ExtensionId<>() {
        @Override
        public TelnetStats createExtension(ActorSystem<?> system) {
          return new TelnetStats();
        }
      };

  /** The counters of the node running on this actor system. */
  public static TelnetStats get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** One figure: OpenTSDB-style metric name, tags (without {@code host}) and value. */
  public record Stat(String metric, SortedMap<String, String> tags, long value) {}

  private final LongAdder connectionsOpen = new LongAdder();
  private final LongAdder connectionsTotal = new LongAdder();
  private final LongAdder telnetConnections = new LongAdder();
  private final LongAdder commands = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder pointsAdded = new LongAdder();
  private final LongAdder illegalArguments = new LongAdder();
  private final LongAdder invalidValues = new LongAdder();
  private final LongAdder storageErrors = new LongAdder();
  private final LongAdder unknownCommands = new LongAdder();
  private final LongAdder linesTooLong = new LongAdder();

  /** A connection to the port was accepted, whatever protocol it turns out to speak. */
  public void connectionOpened() {
    connectionsOpen.increment();
    connectionsTotal.increment();
  }

  public void connectionClosed() {
    connectionsOpen.decrement();
  }

  /** A connection turned out to speak the line protocol. */
  public void telnetConnection() {
    telnetConnections.increment();
  }

  void command() {
    commands.increment();
  }

  void put() {
    puts.increment();
  }

  void pointsAdded(int count) {
    pointsAdded.add(count);
  }

  void rejected(LineProtocol.Problem problem) {
    switch (problem) {
      case ILLEGAL_ARGUMENT -> illegalArguments.increment();
      case INVALID_VALUE -> invalidValues.increment();
    }
  }

  void storageError() {
    storageErrors.increment();
  }

  void unknownCommand() {
    unknownCommands.increment();
  }

  void lineTooLong() {
    linesTooLong.increment();
  }

  /** Every figure, in a stable order. */
  public List<Stat> snapshot() {
    List<Stat> stats = new ArrayList<>();
    add(stats, "tsd.connectionmgr.connections", "type", "open", connectionsOpen);
    add(stats, "tsd.connectionmgr.connections", "type", "total", connectionsTotal);
    add(stats, "tsd.connectionmgr.connections", "type", "telnet", telnetConnections);
    add(stats, "tsd.rpc.received", "type", "telnet", commands);
    add(stats, "tsd.rpc.received", "type", "put", puts);
    add(stats, "tsd.rpc.errors", "type", "illegal_arguments", illegalArguments);
    add(stats, "tsd.rpc.errors", "type", "invalid_values", invalidValues);
    add(stats, "tsd.rpc.errors", "type", "storage_errors", storageErrors);
    add(stats, "tsd.rpc.errors", "type", "unknown_commands", unknownCommands);
    add(stats, "tsd.rpc.errors", "type", "line_too_long", linesTooLong);
    add(stats, "tsd.datapoints.added", "type", "telnet", pointsAdded);
    return stats;
  }

  private static void add(List<Stat> stats, String metric, String k, String v, LongAdder value) {
    stats.add(new Stat(metric, new TreeMap<>(Map.of(k, v)), value.sum()));
  }
}
