package io.meridian.node.scrape;

import io.meridian.node.JournalFailures;
import io.meridian.protocol.CborSerializable;
import io.meridian.protocol.scrape.Job;
import io.meridian.protocol.scrape.ResultCode;
import io.meridian.protocol.scrape.Server;
import io.meridian.protocol.scrape.Target;
import io.meridian.protocol.scrape.TargetHealth;
import io.meridian.protocol.scrape.TargetView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The OpenMetrics jobs, targets and registered servers of one project (entity id = tenant), and the
 * health of each target's last scrape. One entity per project keeps names unique and a target's job
 * and server consistent without cross-entity transactions; its state is small (bounded by {@code
 * meridian.scrape.max-*-per-project}).
 *
 * <p>The catalog drives the {@link TargetScraper}s: it tells a target's scraper to start (or
 * re-read its spec) when the target is created or its job changes, to stop when it is deleted, and
 * on recovery and every {@code ensure-interval} to make sure each target has a running scraper. The
 * catalog itself is a remembered entity, so it is restarted on another node when its node leaves. A
 * target's health is persisted only when it changes (code, reason or status), not on every scrape.
 */
public final class ScrapeCatalog
    extends EventSourcedBehaviorWithEnforcedReplies<
        ScrapeCatalog.Command, ScrapeCatalog.Event, ScrapeCatalog.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "ScrapeCatalog");

  /** Messages the catalog accepts. */
  public sealed interface Command extends CborSerializable
      permits GetJobs,
          CreateJob,
          GetJob,
          UpdateJob,
          DeleteJob,
          GetTargets,
          CreateTarget,
          GetTarget,
          DeleteTarget,
          GetServers,
          RegisterServer,
          DeregisterServer,
          GetSpec,
          Report,
          EnsureScrapers {}

  public record GetJobs(ActorRef<JobsReply> replyTo) implements Command {}

  /** Creates a job from a validated spec with every field set. */
  public record CreateJob(JobSpec spec, String modifier, ActorRef<JobReply> replyTo)
      implements Command {}

  public record GetJob(String jobId, ActorRef<JobReply> replyTo) implements Command {}

  /** Changes a job; the change is validated except against the job's current values. */
  public record UpdateJob(
      String jobId, JobChange change, String modifier, ActorRef<JobReply> replyTo)
      implements Command {}

  public record DeleteJob(String jobId, String memberId, ActorRef<IdReply> replyTo)
      implements Command {}

  public record GetTargets(String jobId, ActorRef<TargetsReply> replyTo) implements Command {}

  public record CreateTarget(
      String jobId, TargetSpec spec, String modifier, ActorRef<IdReply> replyTo)
      implements Command {}

  public record GetTarget(String jobId, String targetId, ActorRef<TargetReply> replyTo)
      implements Command {}

  public record DeleteTarget(
      String jobId, String targetId, String memberId, ActorRef<IdReply> replyTo)
      implements Command {}

  public record GetServers(ActorRef<ServersReply> replyTo) implements Command {}

  public record RegisterServer(ServerSpec spec, ActorRef<ServerReply> replyTo) implements Command {}

  public record DeregisterServer(String hostId, ActorRef<IdReply> replyTo) implements Command {}

  /** Asked by a target's scraper: what to scrape, or null if the target is gone. */
  public record GetSpec(String targetId, ActorRef<SpecReply> replyTo) implements Command {}

  /** A scraper's report of its last scrape; no answer. */
  public record Report(String targetId, TargetHealth health) implements Command {}

  /** Tells every target's scraper to run (timer and recovery); no answer. */
  public record EnsureScrapers() implements Command {}

  /** A refusal: the result code and what was wrong. */
  public record Refusal(ResultCode code, String detail) implements CborSerializable {}

  public record JobsReply(List<Job> jobs) implements CborSerializable {}

  /** A job, or the refusal. */
  public record JobReply(Job job, Refusal refusal) implements CborSerializable {}

  /** A job's targets, or the refusal. */
  public record TargetsReply(List<TargetView> targets, Refusal refusal)
      implements CborSerializable {}

  public record TargetReply(TargetView target, Refusal refusal) implements CborSerializable {}

  /** The id of what was created or deleted, or the refusal. */
  public record IdReply(String id, Refusal refusal) implements CborSerializable {}

  public record ServersReply(List<Server> servers) implements CborSerializable {}

  public record ServerReply(Server server, Refusal refusal) implements CborSerializable {}

  /** The target's scrape spec, or null if it is gone. */
  public record SpecReply(ScrapeSpec spec) implements CborSerializable {}

  /** What the catalog persists. */
  public sealed interface Event extends CborSerializable
      permits JobCreated,
          JobUpdated,
          JobDeleted,
          TargetCreated,
          TargetDeleted,
          ServerRegistered,
          ServerDeregistered,
          HealthChanged {}

  public record JobCreated(Job job) implements Event {}

  public record JobUpdated(Job job) implements Event {}

  /** A job and its targets deleted. */
  public record JobDeleted(String jobId) implements Event {}

  public record TargetCreated(Target target) implements Event {}

  public record TargetDeleted(String targetId) implements Event {}

  public record ServerRegistered(Server server) implements Event {}

  public record ServerDeregistered(String hostId) implements Event {}

  public record HealthChanged(String targetId, TargetHealth health) implements Event {}

  /**
   * The project's jobs, targets, registered servers and target health, each in creation order.
   * Immutable: every change returns a new state.
   */
  public record State(
      Map<String, Job> jobs,
      Map<String, Target> targets,
      Map<String, Server> servers,
      Map<String, TargetHealth> health)
      implements CborSerializable {

    public State {
      jobs = jobs == null ? Map.of() : jobs;
      targets = targets == null ? Map.of() : targets;
      servers = servers == null ? Map.of() : servers;
      health = health == null ? Map.of() : health;
    }

    static State empty() {
      return new State(Map.of(), Map.of(), Map.of(), Map.of());
    }

    Job jobNamed(String jobName) {
      for (Job job : jobs.values()) {
        if (job.jobName().equals(jobName)) {
          return job;
        }
      }
      return null;
    }

    List<Target> targetsOf(String jobId) {
      List<Target> of = new ArrayList<>();
      for (Target target : targets.values()) {
        if (target.jobId().equals(jobId)) {
          of.add(target);
        }
      }
      return of;
    }

    State withJob(Job job) {
      return new State(put(jobs, job.jobId(), job), targets, servers, health);
    }

    State withoutJob(String jobId) {
      Map<String, Target> keptTargets = new LinkedHashMap<>(targets);
      Map<String, TargetHealth> keptHealth = new LinkedHashMap<>(health);
      for (Target target : targetsOf(jobId)) {
        keptTargets.remove(target.targetId());
        keptHealth.remove(target.targetId());
      }
      return new State(remove(jobs, jobId), keptTargets, servers, keptHealth);
    }

    State withTarget(Target target) {
      return new State(jobs, put(targets, target.targetId(), target), servers, health);
    }

    State withoutTarget(String targetId) {
      return new State(jobs, remove(targets, targetId), servers, remove(health, targetId));
    }

    State withServer(Server server) {
      return new State(jobs, targets, put(servers, server.hostId(), server), health);
    }

    State withoutServer(String hostId) {
      return new State(jobs, targets, remove(servers, hostId), health);
    }

    State withHealth(String targetId, TargetHealth targetHealth) {
      if (!targets.containsKey(targetId)) {
        return this;
      }
      return new State(jobs, targets, servers, put(health, targetId, targetHealth));
    }

    private static <V> Map<String, V> put(Map<String, V> map, String key, V value) {
      Map<String, V> next = new LinkedHashMap<>(map);
      next.put(key, value);
      return next;
    }

    private static <V> Map<String, V> remove(Map<String, V> map, String key) {
      Map<String, V> next = new LinkedHashMap<>(map);
      next.remove(key);
      return next;
    }
  }

  private final String tenant;
  private final ScrapeSettings settings;
  private final Map<String, Server> configuredServers;
  private final Consumer<ScraperSignal> scrapers;

  /** What the catalog tells a target's scraper. */
  public record ScraperSignal(String targetId, TargetScraper.Command command) {}

  /**
   * Registers the entity type on this node, remembered so that every catalog (and with it the
   * scrapers it ensures) is restarted on another node when its node leaves.
   */
  public static void init(
      ActorSystem<?> system, ScrapeSettings settings, ConfiguredServers servers) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(
        Entity.of(
                ENTITY_KEY,
                ctx -> {
                  String tenant = ctx.getEntityId();
                  return create(
                      tenant,
                      settings,
                      servers.of(tenant),
                      signal ->
                          sharding
                              .entityRefFor(
                                  TargetScraper.ENTITY_KEY,
                                  ScrapeSpec.entityId(tenant, signal.targetId()))
                              .tell(signal.command()));
                })
            .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));
  }

  /**
   * The catalog of {@code tenant}, with the project's configured servers, telling scrapers through
   * {@code scrapers}.
   */
  public static Behavior<Command> create(
      String tenant,
      ScrapeSettings settings,
      List<Server> configuredServers,
      Consumer<ScraperSignal> scrapers) {
    return Behaviors.withTimers(
        timers -> {
          timers.startTimerWithFixedDelay(
              EnsureScrapers.class, new EnsureScrapers(), settings.ensureInterval());
          return new ScrapeCatalog(tenant, settings, configuredServers, scrapers);
        });
  }

  private ScrapeCatalog(
      String tenant,
      ScrapeSettings settings,
      List<Server> configuredServers,
      Consumer<ScraperSignal> scrapers) {
    super(PersistenceId.of(ENTITY_KEY.name(), tenant), JournalFailures.restartWithBackoff());
    this.tenant = tenant;
    this.settings = settings;
    this.configuredServers = new LinkedHashMap<>();
    for (Server server : configuredServers) {
      this.configuredServers.put(server.hostId(), server);
    }
    this.scrapers = scrapers;
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
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::ensureScrapers)
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(
            GetJobs.class,
            (state, c) ->
                Effect().reply(c.replyTo(), new JobsReply(List.copyOf(state.jobs().values()))))
        .onCommand(CreateJob.class, this::onCreateJob)
        .onCommand(GetJob.class, this::onGetJob)
        .onCommand(UpdateJob.class, this::onUpdateJob)
        .onCommand(DeleteJob.class, this::onDeleteJob)
        .onCommand(GetTargets.class, this::onGetTargets)
        .onCommand(CreateTarget.class, this::onCreateTarget)
        .onCommand(GetTarget.class, this::onGetTarget)
        .onCommand(DeleteTarget.class, this::onDeleteTarget)
        .onCommand(
            GetServers.class,
            (state, c) -> Effect().reply(c.replyTo(), new ServersReply(servers(state))))
        .onCommand(RegisterServer.class, this::onRegisterServer)
        .onCommand(DeregisterServer.class, this::onDeregisterServer)
        .onCommand(
            GetSpec.class,
            (state, c) -> Effect().reply(c.replyTo(), new SpecReply(spec(state, c.targetId()))))
        .onCommand(Report.class, this::onReport)
        .onCommand(
            EnsureScrapers.class,
            (state, c) -> {
              ensureScrapers(state);
              return Effect().noReply();
            })
        .build();
  }

  private ReplyEffect<Event, State> onCreateJob(State state, CreateJob c) {
    JobSpec spec = c.spec();
    if (state.jobNamed(spec.jobName()) != null) {
      return Effect()
          .reply(
              c.replyTo(),
              new JobReply(
                  null,
                  new Refusal(
                      ResultCode.ALREADY_EXIST,
                      "The project already has a job named \"" + spec.jobName() + "\"")));
    }
    if (state.jobs().size() >= settings.maxJobsPerProject()) {
      return Effect()
          .reply(
              c.replyTo(),
              new JobReply(
                  null, limitReached(state.jobs().size(), "jobs", "max-jobs-per-project")));
    }
    Job job =
        new Job(
            UUID.randomUUID().toString(),
            tenant,
            spec.jobName(),
            spec.metricsPath(),
            spec.description(),
            spec.scrapeIntervalSec(),
            spec.scrapeTimeoutSec(),
            c.modifier(),
            System.currentTimeMillis());
    return Effect()
        .persist(new JobCreated(job))
        .thenReply(c.replyTo(), s -> new JobReply(job, null));
  }

  private ReplyEffect<Event, State> onGetJob(State state, GetJob c) {
    Job job = state.jobs().get(c.jobId());
    return Effect()
        .reply(
            c.replyTo(),
            job == null ? new JobReply(null, noSuchJob(c.jobId())) : new JobReply(job, null));
  }

  private ReplyEffect<Event, State> onUpdateJob(State state, UpdateJob c) {
    Job job = state.jobs().get(c.jobId());
    if (job == null) {
      return Effect().reply(c.replyTo(), new JobReply(null, noSuchJob(c.jobId())));
    }
    JobChange change = c.change();
    int interval =
        change.scrapeIntervalSec() != null ? change.scrapeIntervalSec() : job.scrapeIntervalSec();
    int timeout;
    if (change.scrapeTimeoutSec() != null) {
      timeout = change.scrapeTimeoutSec();
    } else if (change.scrapeIntervalSec() != null) {
      timeout = Math.min(job.scrapeTimeoutSec(), interval);
    } else {
      timeout = job.scrapeTimeoutSec();
    }
    if (timeout > interval) {
      return Effect()
          .reply(
              c.replyTo(),
              new JobReply(
                  null,
                  new Refusal(
                      ResultCode.BAD_INPUT_VALUE,
                      "scrapeTimeoutSec ("
                          + timeout
                          + ") must not exceed scrapeIntervalSec ("
                          + interval
                          + ")")));
    }
    Job updated =
        new Job(
            job.jobId(),
            job.projectId(),
            job.jobName(),
            change.metricsPath() != null ? change.metricsPath() : job.metricsPath(),
            change.description() != null ? change.description() : job.description(),
            interval,
            timeout,
            c.modifier(),
            System.currentTimeMillis());
    return Effect()
        .persist(new JobUpdated(updated))
        .thenRun(s -> s.targetsOf(job.jobId()).forEach(t -> ensure(s, t.targetId())))
        .thenReply(c.replyTo(), s -> new JobReply(updated, null));
  }

  private ReplyEffect<Event, State> onDeleteJob(State state, DeleteJob c) {
    if (!state.jobs().containsKey(c.jobId())) {
      return Effect().reply(c.replyTo(), new IdReply(null, noSuchJob(c.jobId())));
    }
    List<Target> targets = state.targetsOf(c.jobId());
    return Effect()
        .persist(new JobDeleted(c.jobId()))
        .thenRun(s -> targets.forEach(t -> tell(t.targetId(), new TargetScraper.Stop())))
        .thenReply(c.replyTo(), s -> new IdReply(c.jobId(), null));
  }

  private ReplyEffect<Event, State> onGetTargets(State state, GetTargets c) {
    if (!state.jobs().containsKey(c.jobId())) {
      return Effect().reply(c.replyTo(), new TargetsReply(null, noSuchJob(c.jobId())));
    }
    List<TargetView> views = new ArrayList<>();
    for (Target target : state.targetsOf(c.jobId())) {
      views.add(view(state, target));
    }
    return Effect().reply(c.replyTo(), new TargetsReply(views, null));
  }

  private ReplyEffect<Event, State> onCreateTarget(State state, CreateTarget c) {
    if (!state.jobs().containsKey(c.jobId())) {
      return Effect().reply(c.replyTo(), new IdReply(null, noSuchJob(c.jobId())));
    }
    TargetSpec spec = c.spec();
    if (server(state, spec.hostId()) == null) {
      return Effect()
          .reply(
              c.replyTo(),
              new IdReply(
                  null,
                  new Refusal(
                      ResultCode.INVALID_HOST_OR_PROJECT,
                      "The project has no server with hostId \"" + spec.hostId() + "\"")));
    }
    for (Target other : state.targetsOf(c.jobId())) {
      if (other.hostId().equals(spec.hostId()) && other.port() == spec.port()) {
        return Effect()
            .reply(
                c.replyTo(),
                new IdReply(
                    null,
                    new Refusal(
                        ResultCode.ALREADY_EXIST,
                        "The job already scrapes port "
                            + spec.port()
                            + " of that server (target "
                            + other.targetId()
                            + ")")));
      }
    }
    if (state.targets().size() >= settings.maxTargetsPerProject()) {
      return Effect()
          .reply(
              c.replyTo(),
              new IdReply(
                  null,
                  limitReached(state.targets().size(), "targets", "max-targets-per-project")));
    }
    Target target =
        new Target(
            UUID.randomUUID().toString(),
            c.jobId(),
            spec.hostId(),
            spec.port(),
            spec.description(),
            c.modifier(),
            System.currentTimeMillis());
    return Effect()
        .persist(new TargetCreated(target))
        .thenRun(s -> ensure(s, target.targetId()))
        .thenReply(c.replyTo(), s -> new IdReply(target.targetId(), null));
  }

  private ReplyEffect<Event, State> onGetTarget(State state, GetTarget c) {
    Refusal refusal = targetRefusal(state, c.jobId(), c.targetId());
    if (refusal != null) {
      return Effect().reply(c.replyTo(), new TargetReply(null, refusal));
    }
    return Effect()
        .reply(c.replyTo(), new TargetReply(view(state, state.targets().get(c.targetId())), null));
  }

  private ReplyEffect<Event, State> onDeleteTarget(State state, DeleteTarget c) {
    Refusal refusal = targetRefusal(state, c.jobId(), c.targetId());
    if (refusal != null) {
      return Effect().reply(c.replyTo(), new IdReply(null, refusal));
    }
    return Effect()
        .persist(new TargetDeleted(c.targetId()))
        .thenRun(s -> tell(c.targetId(), new TargetScraper.Stop()))
        .thenReply(c.replyTo(), s -> new IdReply(c.targetId(), null));
  }

  private ReplyEffect<Event, State> onRegisterServer(State state, RegisterServer c) {
    ServerSpec spec = c.spec();
    for (Server server : servers(state)) {
      if (server.hostNm().equals(spec.hostNm())) {
        return Effect()
            .reply(
                c.replyTo(),
                new ServerReply(
                    null,
                    new Refusal(
                        ResultCode.ALREADY_EXIST,
                        "The project already has a server named \"" + spec.hostNm() + "\"")));
      }
    }
    if (state.servers().size() >= settings.maxServersPerProject()) {
      return Effect()
          .reply(
              c.replyTo(),
              new ServerReply(
                  null,
                  limitReached(state.servers().size(), "servers", "max-servers-per-project")));
    }
    Server server =
        new Server(
            UUID.randomUUID().toString(), spec.hostNm(), spec.svrIp(), tenant, spec.instanceId());
    return Effect()
        .persist(new ServerRegistered(server))
        .thenReply(c.replyTo(), s -> new ServerReply(server, null));
  }

  private ReplyEffect<Event, State> onDeregisterServer(State state, DeregisterServer c) {
    if (!state.servers().containsKey(c.hostId())) {
      String why =
          configuredServers.containsKey(c.hostId())
              ? "Server \"" + c.hostId() + "\" comes from configuration (meridian.scrape.servers)"
              : "The project has no registered server with hostId \"" + c.hostId() + "\"";
      return Effect()
          .reply(
              c.replyTo(), new IdReply(null, new Refusal(ResultCode.INVALID_HOST_OR_PROJECT, why)));
    }
    long users =
        state.targets().values().stream().filter(t -> t.hostId().equals(c.hostId())).count();
    if (users > 0) {
      return Effect()
          .reply(
              c.replyTo(),
              new IdReply(
                  null,
                  new Refusal(
                      ResultCode.BAD_INPUT_VALUE,
                      users + " targets use server \"" + c.hostId() + "\"; delete them first")));
    }
    return Effect()
        .persist(new ServerDeregistered(c.hostId()))
        .thenReply(c.replyTo(), s -> new IdReply(c.hostId(), null));
  }

  private ReplyEffect<Event, State> onReport(State state, Report c) {
    if (!state.targets().containsKey(c.targetId())) {
      // A scraper of a deleted target that has not yet heard of it.
      tell(c.targetId(), new TargetScraper.Stop());
      return Effect().noReply();
    }
    if (c.health().sameAs(state.health().get(c.targetId()))) {
      return Effect().noReply();
    }
    return Effect().persist(new HealthChanged(c.targetId(), c.health())).thenNoReply();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(JobCreated.class, (state, e) -> state.withJob(e.job()))
        .onEvent(JobUpdated.class, (state, e) -> state.withJob(e.job()))
        .onEvent(JobDeleted.class, (state, e) -> state.withoutJob(e.jobId()))
        .onEvent(TargetCreated.class, (state, e) -> state.withTarget(e.target()))
        .onEvent(TargetDeleted.class, (state, e) -> state.withoutTarget(e.targetId()))
        .onEvent(ServerRegistered.class, (state, e) -> state.withServer(e.server()))
        .onEvent(ServerDeregistered.class, (state, e) -> state.withoutServer(e.hostId()))
        .onEvent(HealthChanged.class, (state, e) -> state.withHealth(e.targetId(), e.health()))
        .build();
  }

  private void ensureScrapers(State state) {
    for (String targetId : state.targets().keySet()) {
      ensure(state, targetId);
    }
  }

  /**
   * Tells a target's scraper to run, with its current spec (a target without one is left alone).
   */
  private void ensure(State state, String targetId) {
    ScrapeSpec spec = spec(state, targetId);
    if (spec != null) {
      tell(targetId, new TargetScraper.Ensure(spec));
    }
  }

  private void tell(String targetId, TargetScraper.Command command) {
    scrapers.accept(new ScraperSignal(targetId, command));
  }

  /** Configured servers first, then registered ones. */
  private List<Server> servers(State state) {
    List<Server> all = new ArrayList<>(configuredServers.values());
    all.addAll(state.servers().values());
    return all;
  }

  private Server server(State state, String hostId) {
    Server configured = configuredServers.get(hostId);
    return configured != null ? configured : state.servers().get(hostId);
  }

  private TargetView view(State state, Target target) {
    Server server = server(state, target.hostId());
    return new TargetView(
        target,
        server == null ? null : server.hostNm(),
        server == null ? null : server.svrIp(),
        state.health().get(target.targetId()));
  }

  private ScrapeSpec spec(State state, String targetId) {
    Target target = state.targets().get(targetId);
    if (target == null) {
      return null;
    }
    Job job = state.jobs().get(target.jobId());
    Server server = server(state, target.hostId());
    if (job == null || server == null) {
      return null;
    }
    String host = server.svrIp().contains(":") ? "[" + server.svrIp() + "]" : server.svrIp();
    String instance = host + ":" + target.port();
    return new ScrapeSpec(
        tenant,
        targetId,
        job.jobId(),
        job.jobName(),
        "http://" + instance + job.metricsPath(),
        instance,
        job.scrapeIntervalSec(),
        job.scrapeTimeoutSec());
  }

  /** A create refused because the project holds {@code count} {@code what}, its limit. */
  private static Refusal limitReached(int count, String what, String setting) {
    return new Refusal(
        ResultCode.BAD_INPUT_VALUE,
        "The project has " + count + " " + what + ", its limit (meridian.scrape." + setting + ")");
  }

  private static Refusal noSuchJob(String jobId) {
    return new Refusal(ResultCode.NOT_FOUND_JOB, "The project has no job \"" + jobId + "\"");
  }

  private static Refusal targetRefusal(State state, String jobId, String targetId) {
    if (!state.jobs().containsKey(jobId)) {
      return noSuchJob(jobId);
    }
    Target target = state.targets().get(targetId);
    if (target == null || !target.jobId().equals(jobId)) {
      return new Refusal(ResultCode.NOT_FOUND_TARGET, "The job has no target \"" + targetId + "\"");
    }
    return null;
  }
}
