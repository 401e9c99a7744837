package io.meridian.http.admin;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.put;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.http.ApiFamilies;
import io.meridian.http.ProjectAccessException;
import io.meridian.node.ClusterOverview;
import io.meridian.node.ClusterOverview.MemberView;
import io.meridian.node.ClusterOverview.Outcome;
import io.meridian.node.ClusterOverview.Snapshot;
import io.meridian.node.auth.Principal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The native cluster API: {@code GET /v1/cluster/members} (members, their status and reachability,
 * shards and entities per member), {@code PUT /v1/cluster/members/<address>} with {@code
 * {"operation":"leave"}} or {@code {"operation":"down"}}, and {@code DELETE} of a member (leave),
 * as Pekko Management's cluster HTTP does on the management port, but behind the API's credentials:
 * only a cluster administrator (admin scope, every project) may use it.
 */
final class ClusterRoutes {

  /** How long the shard regions are given to report their shards. */
  private static final Duration STATS_TIMEOUT = Duration.ofSeconds(3);

  private final ClusterOverview overview;
  private final Function<String, JsonNode> parse;
  private final Function<Supplier<CompletionStage<HttpResponse>>, Route> guarded;

  ClusterRoutes(
      ClusterOverview overview,
      Function<String, JsonNode> parse,
      Function<Supplier<CompletionStage<HttpResponse>>, Route> guarded) {
    this.overview = overview;
    this.parse = parse;
    this.guarded = guarded;
  }

  Route route(Principal principal, HttpRequest request) {
    if (!principal.allProjects()) {
      throw new ProjectAccessException(
          StatusCodes.FORBIDDEN,
          "forbidden",
          "The cluster API needs a cluster administrator's credential (admin scope, every"
              + " project)");
    }
    return pathPrefix(
        "members",
        () ->
            concat(
                pathEndOrSingleSlash(() -> get(() -> guarded.apply(() -> members(request)))),
                path(
                    segment(),
                    address ->
                        concat(
                            put(
                                () ->
                                    entity(
                                        Unmarshaller.entityToString(),
                                        body ->
                                            guarded.apply(() -> act(address, operation(body))))),
                            delete(() -> guarded.apply(() -> act(address, "leave")))))));
  }

  private CompletionStage<HttpResponse> members(HttpRequest request) {
    return overview
        .snapshot(STATS_TIMEOUT)
        .thenApply(snapshot -> NativeRoutes.answer(request, "members", json(snapshot)));
  }

  private String operation(String body) {
    JsonNode operation = parse.apply(body).get("operation");
    if (operation == null || !operation.isTextual()) {
      throw NativeRoutes.badRequest(
          "\"operation\" is required: \"leave\" or \"down\" (join is done by the joining node)");
    }
    return operation.asText().toLowerCase(Locale.ROOT);
  }

  private CompletionStage<HttpResponse> act(String text, String operation) {
    Address address = address(text);
    Outcome outcome;
    String doing;
    if (operation.equals("leave")) {
      outcome = overview.leave(address);
      doing = "Leaving ";
    } else if (operation.equals("down")) {
      outcome = overview.down(address);
      doing = "Downing ";
    } else {
      throw NativeRoutes.badRequest(
          "Unknown operation \"" + operation + "\": \"leave\" or \"down\" are known");
    }
    if (outcome == Outcome.NO_SUCH_MEMBER) {
      return CompletableFuture.completedFuture(
          ApiFamilies.error(StatusCodes.NOT_FOUND, "No member " + address, null));
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("message", doing + address);
    return CompletableFuture.completedFuture(
        HttpResponse.create()
            .withStatus(StatusCodes.OK)
            .withEntity(
                org.apache.pekko.http.javadsl.model.ContentTypes.APPLICATION_JSON,
                body.toString()));
  }

  private static Address address(String text) {
    try {
      Address address = AddressFromURIString.parse(text);
      if (address.host().isEmpty() || address.port().isEmpty()) {
        throw new IllegalArgumentException("no host or port");
      }
      return address;
    } catch (Exception e) { // Scala's parser throws the checked MalformedURLException
      throw NativeRoutes.badRequest(
          "\""
              + text
              + "\" is not a member address such as pekko://meridian@10.0.0.1:25520 (URL-encode"
              + " it in the path)");
    }
  }

  static ObjectNode json(Snapshot snapshot) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("self", snapshot.self().toString());
    snapshot.leader().ifPresent(leader -> body.put("leader", leader.toString()));
    snapshot.oldest().ifPresent(oldest -> body.put("oldest", oldest.toString()));
    ArrayNode members = body.putArray("members");
    ArrayNode unreachable = body.putArray("unreachable");
    for (MemberView member : snapshot.members()) {
      ObjectNode item = members.addObject();
      item.put("address", member.address().toString());
      item.put("status", member.status());
      ArrayNode roles = item.putArray("roles");
      member.roles().forEach(roles::add);
      item.put("dataCenter", member.dataCenter());
      item.put("reachable", member.reachable());
      item.put("self", member.self());
      counts(item.putObject("shards"), member.shards());
      counts(item.putObject("entities"), member.entities());
      if (!member.reachable()) {
        unreachable.add(member.address().toString());
      }
    }
    ArrayNode incomplete = body.putArray("incompleteTypes");
    snapshot.incompleteTypes().forEach(incomplete::add);
    return body;
  }

  private static void counts(ObjectNode target, Map<String, Integer> counts) {
    counts.forEach(target::put);
  }
}
