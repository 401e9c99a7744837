package io.meridian.node.auth;

import io.meridian.node.JournalFailures;
import io.meridian.protocol.CborSerializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The cluster's credentials, persisted in the journal (Cassandra): API keys, OAuth 2 clients,
 * revoked tokens and the key tokens are signed with. One entity for the whole cluster: the state is
 * small (credentials, not data) and every change is rare and must be seen by every node, which it
 * is through a topic the entity publishes each new state on (see {@link AuthService}).
 *
 * <p>Secrets never reach it: it stores their SHA-256 only (the caller generates a secret, shows it
 * once, and sends its digest), so neither the journal nor a message holds one. The signing key is
 * the exception: verifying a token needs it.
 */
public final class AuthRegistry
    extends EventSourcedBehaviorWithEnforcedReplies<
        AuthRegistry.Command, AuthRegistry.Event, AuthRegistry.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "AuthRegistry");

  /** The one entity's id. */
  public static final String ENTITY_ID = "credentials";

  static final String TOPIC = "meridian-auth-registry";

  /** An API key as stored: its secret only as {@code digest}. */
  public record StoredKey(
      String id,
      String digest,
      String project,
      Set<Scope> scopes,
      String description,
      long createdMs,
      long rotatedMs)
      implements CborSerializable {}

  /**
   * An OAuth 2 client as stored. {@code generation} grows with every rotation: tokens carry the
   * generation they were issued under, so rotating a client's secret also ends its tokens.
   */
  public record StoredClient(
      String id,
      String secretDigest,
      String project,
      Set<Scope> scopes,
      String description,
      long createdMs,
      long rotatedMs,
      int generation)
      implements CborSerializable {}

  /**
   * The registry's state; {@code version} counts the changes, so that a node keeps the newest of
   * the states it hears of. {@code revokedTokens}: token id → its expiry (kept until then).
   */
  public record State(
      long version,
      byte[] signingKey,
      Map<String, StoredKey> keys,
      Map<String, StoredClient> clients,
      Map<String, Long> revokedTokens)
      implements CborSerializable {

    public State {
      keys = Map.copyOf(keys);
      clients = Map.copyOf(clients);
      revokedTokens = Map.copyOf(revokedTokens);
    }

    static State empty() {
      return new State(0, null, Map.of(), Map.of(), Map.of());
    }

    boolean hasAdminKey() {
      return keys.values().stream().anyMatch(k -> k.scopes().contains(Scope.ADMIN));
    }
  }

  /** Messages the registry accepts; each is answered with the state after it. */
  public sealed interface Command extends CborSerializable
      permits Init, AddKey, RotateKey, RemoveKey, AddClient, RotateClient, RemoveClient, Revoke {}

  /** Answers the state, creating the signing key first if there is none yet. */
  public record Init(byte[] newSigningKey, ActorRef<Reply> replyTo) implements Command {}

  /**
   * Adds a key. With {@code onlyIfNoAdmin}, only when no key has the admin scope yet (the first
   * start's administrator key, which two nodes starting at once must not both create).
   */
  public record AddKey(StoredKey key, boolean onlyIfNoAdmin, ActorRef<Reply> replyTo)
      implements Command {}

  public record RotateKey(String id, String digest, long nowMs, ActorRef<Reply> replyTo)
      implements Command {}

  public record RemoveKey(String id, ActorRef<Reply> replyTo) implements Command {}

  public record AddClient(StoredClient client, ActorRef<Reply> replyTo) implements Command {}

  public record RotateClient(String id, String secretDigest, long nowMs, ActorRef<Reply> replyTo)
      implements Command {}

  public record RemoveClient(String id, ActorRef<Reply> replyTo) implements Command {}

  /** Revokes a token until it expires at {@code expiresMs}. */
  public record Revoke(String tokenId, long expiresMs, long nowMs, ActorRef<Reply> replyTo)
      implements Command {}

  /** The state after a command, and whether the command changed it as asked. */
  public record Reply(boolean done, String refusal, State state) implements CborSerializable {}

  /** What the journal holds. */
  public sealed interface Event extends CborSerializable
      permits SigningKeyCreated,
          KeyAdded,
          KeyRotated,
          KeyRemoved,
          ClientAdded,
          ClientRotated,
          ClientRemoved,
          TokenRevoked {}

  public record SigningKeyCreated(byte[] key) implements Event {}

  public record KeyAdded(StoredKey key) implements Event {}

  public record KeyRotated(String id, String digest, long atMs) implements Event {}

  public record KeyRemoved(String id) implements Event {}

  public record ClientAdded(StoredClient client) implements Event {}

  public record ClientRotated(String id, String secretDigest, long atMs) implements Event {}

  public record ClientRemoved(String id) implements Event {}

  public record TokenRevoked(String tokenId, long expiresMs, long atMs) implements Event {}

  private final ActorRef<Topic.Command<State>> topic;

  private AuthRegistry(ActorRef<Topic.Command<State>> topic) {
    super(PersistenceId.of(ENTITY_KEY.name(), ENTITY_ID), JournalFailures.restartWithBackoff());
    this.topic = topic;
  }

  /** Registers the entity type with Cluster Sharding. */
  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create()));
  }

  public static Behavior<Command> create() {
    return Behaviors.setup(
        context -> new AuthRegistry(context.spawn(Topic.create(State.class, TOPIC), "topic")));
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Init.class, this::onInit)
        .onCommand(AddKey.class, this::onAddKey)
        .onCommand(
            RotateKey.class,
            (state, c) ->
                state.keys().containsKey(c.id())
                    ? change(new KeyRotated(c.id(), c.digest(), c.nowMs()), c.replyTo())
                    : refuse(state, "No key " + c.id(), c.replyTo()))
        .onCommand(
            RemoveKey.class,
            (state, c) ->
                state.keys().containsKey(c.id())
                    ? change(new KeyRemoved(c.id()), c.replyTo())
                    : refuse(state, "No key " + c.id(), c.replyTo()))
        .onCommand(
            AddClient.class,
            (state, c) ->
                state.clients().containsKey(c.client().id())
                    ? refuse(state, "Client " + c.client().id() + " exists", c.replyTo())
                    : change(new ClientAdded(c.client()), c.replyTo()))
        .onCommand(
            RotateClient.class,
            (state, c) ->
                state.clients().containsKey(c.id())
                    ? change(new ClientRotated(c.id(), c.secretDigest(), c.nowMs()), c.replyTo())
                    : refuse(state, "No client " + c.id(), c.replyTo()))
        .onCommand(
            RemoveClient.class,
            (state, c) ->
                state.clients().containsKey(c.id())
                    ? change(new ClientRemoved(c.id()), c.replyTo())
                    : refuse(state, "No client " + c.id(), c.replyTo()))
        .onCommand(
            Revoke.class,
            (state, c) ->
                change(new TokenRevoked(c.tokenId(), c.expiresMs(), c.nowMs()), c.replyTo()))
        .build();
  }

  private ReplyEffect<Event, State> onInit(State state, Init init) {
    if (state.signingKey() != null) {
      return Effect().reply(init.replyTo(), new Reply(true, null, state));
    }
    return change(new SigningKeyCreated(init.newSigningKey()), init.replyTo());
  }

  private ReplyEffect<Event, State> onAddKey(State state, AddKey add) {
    if (state.keys().containsKey(add.key().id())) {
      return refuse(state, "Key " + add.key().id() + " exists", add.replyTo());
    }
    if (add.onlyIfNoAdmin() && state.hasAdminKey()) {
      return refuse(state, "An administrator key exists already", add.replyTo());
    }
    return change(new KeyAdded(add.key()), add.replyTo());
  }

  private ReplyEffect<Event, State> change(Event event, ActorRef<Reply> replyTo) {
    return Effect()
        .persist(event)
        .thenRun(state -> topic.tell(Topic.publish(state)))
        .thenReply(replyTo, state -> new Reply(true, null, state));
  }

  private ReplyEffect<Event, State> refuse(State state, String why, ActorRef<Reply> replyTo) {
    return Effect().reply(replyTo, new Reply(false, why, state));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(AuthRegistry::apply);
  }

  static State apply(State state, Event event) {
    Map<String, StoredKey> keys = new HashMap<>(state.keys());
    Map<String, StoredClient> clients = new HashMap<>(state.clients());
    Map<String, Long> revoked = new HashMap<>(state.revokedTokens());
    byte[] signingKey = state.signingKey();
    if (event instanceof SigningKeyCreated created) {
      signingKey = created.key();
    } else if (event instanceof KeyAdded added) {
      keys.put(added.key().id(), added.key());
    } else if (event instanceof KeyRotated rotated) {
      keys.computeIfPresent(
          rotated.id(),
          (id, k) ->
              new StoredKey(
                  id,
                  rotated.digest(),
                  k.project(),
                  k.scopes(),
                  k.description(),
                  k.createdMs(),
                  rotated.atMs()));
    } else if (event instanceof KeyRemoved removed) {
      keys.remove(removed.id());
    } else if (event instanceof ClientAdded added) {
      clients.put(added.client().id(), added.client());
    } else if (event instanceof ClientRotated rotated) {
      clients.computeIfPresent(
          rotated.id(),
          (id, c) ->
              new StoredClient(
                  id,
                  rotated.secretDigest(),
                  c.project(),
                  c.scopes(),
                  c.description(),
                  c.createdMs(),
                  rotated.atMs(),
                  c.generation() + 1));
    } else if (event instanceof ClientRemoved removed) {
      clients.remove(removed.id());
    } else if (event instanceof TokenRevoked revokedToken) {
      // Tokens past their expiry are refused anyway: forget them.
      revoked.values().removeIf(expiresMs -> expiresMs < revokedToken.atMs());
      revoked.put(revokedToken.tokenId(), revokedToken.expiresMs());
    }
    return new State(state.version() + 1, signingKey, keys, clients, revoked);
  }
}
