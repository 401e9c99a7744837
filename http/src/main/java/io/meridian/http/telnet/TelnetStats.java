package io.meridian.http.telnet;

import io.meridian.http.ApiStats;
import io.meridian.protocol.opentsdb.LineProtocol;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The counters the shared port and the telnet-style line protocol keep, under OpenTSDB's stat names
 * ({@code tsd.connectionmgr.connections}, {@code tsd.rpc.received}, {@code tsd.rpc.errors}, {@code
 * tsd.datapoints.added}). They are kept in the node's {@link ApiStats}, so the telnet {@code stats}
 * command and HTTP {@code /api/stats} report the same figures.
 */
public final class TelnetStats {

  private final ApiStats stats;

  private TelnetStats(ApiStats stats) {
    this.stats = stats;
    // Listed from the start, at zero, as OpenTSDB lists its counters before anything happened.
    for (String type : new String[] {"open", "total", "telnet"}) {
      count("tsd.connectionmgr.connections", type, 0);
    }
    for (String type : new String[] {"telnet", "put"}) {
      count("tsd.rpc.received", type, 0);
    }
    for (String type :
        new String[] {
          "illegal_arguments",
          "invalid_values",
          "storage_errors",
          "unknown_commands",
          "line_too_long"
        }) {
      count("tsd.rpc.errors", type, 0);
    }
    count("tsd.datapoints.added", "all", 0);
  }

  /** The counters of the node running on this actor system. */
  public static TelnetStats get(ActorSystem<?> system) {
    return new TelnetStats(ApiStats.get(system));
  }

  private void count(String metric, String type, long delta) {
    stats.add(metric, Map.of("type", type), delta);
  }

  /** A connection to the port was accepted, whatever protocol it turns out to speak. */
  public void connectionOpened() {
    count("tsd.connectionmgr.connections", "open", 1);
    count("tsd.connectionmgr.connections", "total", 1);
  }

  public void connectionClosed() {
    count("tsd.connectionmgr.connections", "open", -1);
  }

  /** A connection turned out to speak the line protocol. */
  public void telnetConnection() {
    count("tsd.connectionmgr.connections", "telnet", 1);
  }

  void command() {
    count("tsd.rpc.received", "telnet", 1);
  }

  void put() {
    count("tsd.rpc.received", "put", 1);
  }

  void pointsAdded(int points) {
    count("tsd.datapoints.added", "all", points);
  }

  void rejected(LineProtocol.Problem problem) {
    switch (problem) {
      case ILLEGAL_ARGUMENT -> count("tsd.rpc.errors", "illegal_arguments", 1);
      case INVALID_VALUE -> count("tsd.rpc.errors", "invalid_values", 1);
    }
  }

  void storageError() {
    count("tsd.rpc.errors", "storage_errors", 1);
  }

  void unknownCommand() {
    count("tsd.rpc.errors", "unknown_commands", 1);
  }

  void lineTooLong() {
    count("tsd.rpc.errors", "line_too_long", 1);
  }

  /** Every figure of the node, sorted. */
  List<ApiStats.Stat> snapshot() {
    return stats.snapshot();
  }
}
