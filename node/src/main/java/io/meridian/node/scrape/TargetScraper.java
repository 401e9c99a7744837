package io.meridian.node.scrape;

import io.meridian.node.series.SeriesStore;
import io.meridian.protocol.CborSerializable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The scraper of one target (entity id {@link ScrapeSpec#entityId}), sharded with remembered
 * entities so that exactly one node scrapes a target at a time and its scraper restarts on another
 * node when its node leaves or fails.
 */
public final class TargetScraper {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "TargetScraper");

  /** Messages a scraper accepts. */
  public sealed interface Command extends CborSerializable permits Ensure, Stop {}

  /**
   * Starts the scraper if it is not running and makes it re-read its {@link ScrapeSpec} (its job or
   * server changed). Sent by the target's catalog; no answer.
   */
  public record Ensure() implements Command {}

  /** Stops the scraper for good (its target was deleted). */
  public record Stop() implements Command {}

  private TargetScraper() {}

  /** Registers the entity type on this node. */
  public static void init(
      ActorSystem<?> system, ScrapeSettings settings, SeriesStore series, ScrapeService catalog) {
    throw new UnsupportedOperationException("contract: implemented on branch scraper");
  }
}
