package io.meridian.node.scrape;

import io.meridian.protocol.scrape.Job;
import io.meridian.protocol.scrape.Server;
import io.meridian.protocol.scrape.TargetHealth;
import io.meridian.protocol.scrape.TargetView;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The node's entry to OpenMetrics jobs, targets and servers of every project (tenant), kept by one
 * {@link ScrapeCatalog} entity per project. Inputs are validated here; a refused request fails its
 * stage with {@link ScrapeCatalogException} (the API's result code and a message), a catalog that
 * does not answer within {@code meridian.scrape.ask-timeout} with {@link
 * io.meridian.node.series.StoreUnavailableException}.
 */
public interface ScrapeService {

  /** The project's jobs, in creation order. */
  CompletionStage<List<Job>> jobs(String tenant);

  /** Creates a job; ALREADY_EXIST if the project has a job of that name. */
  CompletionStage<Job> createJob(String tenant, JobSpec spec, String modifier);

  /** One job; NOT_FOUND_JOB if there is none. */
  CompletionStage<Job> job(String tenant, String jobId);

  /** Changes a job's path, description, interval or timeout; its scrapers follow at once. */
  CompletionStage<Job> updateJob(String tenant, String jobId, JobChange change, String modifier);

  /** Deletes a job and its targets (whose scrapers stop); answers the job id. */
  CompletionStage<String> deleteJob(String tenant, String jobId, String memberId);

  /** A job's targets with their servers and last scrape; NOT_FOUND_JOB if there is no such job. */
  CompletionStage<List<TargetView>> targets(String tenant, String jobId);

  /**
   * Creates a target and starts its scraper; answers the target id. NOT_FOUND_JOB, or
   * INVALID_HOST_OR_PROJECT if the project has no server {@code spec.hostId()}, or ALREADY_EXIST if
   * the job already scrapes that host and port.
   */
  CompletionStage<String> createTarget(
      String tenant, String jobId, TargetSpec spec, String modifier);

  /** One target; NOT_FOUND_JOB or NOT_FOUND_TARGET. */
  CompletionStage<TargetView> target(String tenant, String jobId, String targetId);

  /** Deletes a target (its scraper stops); answers the target id. */
  CompletionStage<String> deleteTarget(
      String tenant, String jobId, String targetId, String memberId);

  /** The servers known to the project: configured ones and registered ones. */
  CompletionStage<List<Server>> servers(String tenant);

  /** Registers a server; ALREADY_EXIST if the project has a server of that name. */
  CompletionStage<Server> registerServer(String tenant, ServerSpec spec);

  /**
   * Removes a registered server; INVALID_HOST_OR_PROJECT if there is none (or it comes from
   * configuration), BAD_INPUT_VALUE while targets use it. Answers the host id.
   */
  CompletionStage<String> deregisterServer(String tenant, String hostId);

  /** What the scraper of a target needs; empty if the target (or its job or server) is gone. */
  CompletionStage<Optional<ScrapeSpec>> spec(String tenant, String targetId);

  /** Records a target's last scrape (fire and forget: the next scrape reports again). */
  void report(String tenant, String targetId, TargetHealth health);
}
