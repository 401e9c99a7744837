package io.meridian.http.telnet;

import io.meridian.http.ApiStats;
import io.meridian.http.Handlers;
import io.meridian.http.opentsdb.Batches;
import io.meridian.node.MeridianNode;
import io.meridian.node.metrics.NodeMetrics;
import io.meridian.node.series.SamplesRefusedException;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.DataPoint;
import io.meridian.protocol.opentsdb.LineProtocol;
import io.meridian.protocol.opentsdb.LineProtocol.BadPut;
import io.meridian.protocol.opentsdb.LineProtocol.Command;
import io.meridian.protocol.opentsdb.LineProtocol.Put;
import io.meridian.protocol.opentsdb.LineProtocol.Unknown;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one connection speaking OpenTSDB's telnet-style line protocol ({@link LineProtocol}):
 * {@code put} lines are stored, the other commands answered, and errors written back as lines.
 *
 * <p>Put lines are gathered into batches ({@code batch-size} lines or {@code batch-window},
 * whichever comes first) and written through {@code SeriesStore.append} exactly as an HTTP {@code
 * /api/put} is. At most {@code write-parallelism} batches of a connection await the store at once;
 * while they do the connection reads nothing further, so a client that writes faster than the store
 * acknowledges is slowed down by TCP instead of filling the node's memory. Replies of a batch are
 * written in line order once its write is acknowledged; a failed write is answered with one {@code
 * put: storage error: …} line and the connection stays open (the client may resend; a sample
 * written again at the same timestamp replaces itself).
 */
public final class TelnetHandler {

  private static final Logger log = LoggerFactory.getLogger(TelnetHandler.class);

  private final MeridianNode node;
  private final TelnetSettings settings;
  private final TelnetStats stats;
  private final List<String> versionLines;
  private final String host;
  private final CounterDataPoint ingested;

  public TelnetHandler(MeridianNode node, TelnetSettings settings) {
    this.node = node;
    this.settings = settings;
    this.stats = TelnetStats.get(node.system());
    this.versionLines = BuildInfo.versionLines();
    this.host = BuildInfo.hostName();
    this.ingested = node.metrics().samplesIngested(NodeMetrics.TELNET);
  }

  /** A line of input: a parsed command, or the marker of a line over the length limit. */
  private sealed interface Input {}

  private record Line(Command command) implements Input {}

  private record TooLong() implements Input {}

  /**
   * The handler of one connection: bytes in, reply bytes out. Completes (which closes the
   * connection) after {@code exit}, after a line that is too long, or once the client closed its
   * side and every batch was answered.
   */
  public Flow<ByteString, ByteString, NotUsed> flow() {
    stats.telnetConnection();
    Flow<ByteString, ByteString, NotUsed> input = Flow.of(ByteString.class).via(new KeepReading());
    if (!settings.idleTimeout().isZero()) {
      // An idle client is closed politely: its input ends, pending batches are still answered.
      input =
          input
              .idleTimeout(settings.idleTimeout())
              .recoverWithRetries(1, TimeoutException.class, Source::empty);
    }
    return input
        .via(new LineFramer(settings.maxLineLength()))
        .<Input>mapConcat(TelnetHandler::parse)
        .takeWhile(in -> !endsConnection(in), true)
        .groupedWithin(settings.batchSize(), settings.batchWindow())
        .mapAsync(settings.writeParallelism(), this::execute)
        .filter(bytes -> !bytes.isEmpty());
  }

  private static List<Input> parse(LineFramer.Frame frame) {
    if (frame instanceof LineFramer.TooLong) {
      return List.of(new TooLong());
    }
    return LineProtocol.parse(((LineFramer.Line) frame).bytes().utf8String())
        .<List<Input>>map(command -> List.of(new Line(command)))
        .orElse(List.of());
  }

  /** {@code exit} and an over-long line end the input: nothing after them is read. */
  private static boolean endsConnection(Input input) {
    return input instanceof TooLong
        || (input instanceof Line line && line.command() instanceof LineProtocol.Exit);
  }

  /** Runs one batch of lines: answers the commands and writes the points as one store batch. */
  private CompletionStage<ByteString> execute(List<Input> group) {
    StringBuilder replies = new StringBuilder();
    List<DataPoint> points = new ArrayList<>();
    for (Input input : group) {
      if (input instanceof TooLong) {
        stats.lineTooLong();
        replies
            .append("line too long: more than ")
            .append(settings.maxLineLength())
            .append(" bytes without a newline; closing the connection\n");
        continue;
      }
      Command command = ((Line) input).command();
      stats.command();
      if (command instanceof Put put) {
        stats.put();
        points.add(put.point());
      } else if (command instanceof BadPut bad) {
        stats.put();
        stats.rejected(bad.problem());
        replies.append(bad.reply()).append('\n');
      } else if (command instanceof LineProtocol.Stats) {
        appendStats(replies);
      } else if (command instanceof LineProtocol.Version) {
        versionLines.forEach(line -> replies.append(line).append('\n'));
      } else if (command instanceof LineProtocol.Help) {
        replies.append(LineProtocol.help()).append('\n');
      } else if (command instanceof LineProtocol.DropCaches) {
        // Meridian keeps no UID caches; answered as OpenTSDB does so scripts that call it work.
        replies.append(LineProtocol.CACHES_DROPPED).append('\n');
      } else if (command instanceof Unknown unknown) {
        stats.unknownCommand();
        replies.append(unknown.reply()).append('\n');
      }
    }
    if (points.isEmpty()) {
      return CompletableFuture.completedFuture(ByteString.fromString(replies.toString()));
    }
    return write(points)
        .handle(
            (acknowledged, failure) -> {
              Throwable refusal = failure == null ? null : Handlers.cause(failure);
              if (failure == null) {
                stats.pointsAdded(points.size());
                ingested.inc(acknowledged);
              } else if (refusal instanceof SamplesRefusedException refused) {
                // Not a storage error: the rest is stored, and a retry would be refused again.
                stats.pointsAdded((int) refused.acknowledged());
                ingested.inc(refused.acknowledged());
                replies.append("put: ").append(oneLine(refused)).append('\n');
              } else {
                stats.storageError();
                Throwable cause = Handlers.cause(failure);
                log.warn(
                    "Telnet put of {} data points not acknowledged by the store: {}",
                    points.size(),
                    cause.toString());
                replies
                    .append("put: storage error: ")
                    .append(points.size())
                    .append(" data points not stored, retry later: ")
                    .append(oneLine(cause))
                    .append('\n');
              }
              return ByteString.fromString(replies.toString());
            });
  }

  private CompletionStage<Long> write(List<DataPoint> points) {
    String tenant = node.defaultTenant();
    try {
      List<SeriesSamples> batch = Batches.toBatch(tenant, points);
      return node.series().append(tenant, batch);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void appendStats(StringBuilder replies) {
    long now = System.currentTimeMillis() / 1000;
    for (ApiStats.Stat stat : stats.snapshot()) {
      var tags = new TreeMap<>(stat.tags());
      tags.put("host", host);
      replies.append(LineProtocol.statLine(stat.metric(), now, stat.value(), tags)).append('\n');
    }
  }

  /** A reply is one line: the message must not break the protocol's framing. */
  private static String oneLine(Throwable cause) {
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return message.replace('\r', ' ').replace('\n', ' ');
  }
}
