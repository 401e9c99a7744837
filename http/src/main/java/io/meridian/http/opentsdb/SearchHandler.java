package io.meridian.http.opentsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.node.MeridianNode;
import io.meridian.node.series.SeriesGroup;
import io.meridian.protocol.SeriesKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code /api/search/lookup}: the series of a metric, tag keys, tag values or tag pairs, each with
 * its TSUID (UIDs are assigned as needed). GET takes {@code m=metric{tagk=tagv,…}}, POST {@code
 * {"metric":…,"tags":[{"key":…,"value":…}],"limit":…}}; {@code *} stands for any metric, key or
 * value, and {@code limit} (default 25) caps the results, which are sorted by series.
 *
 * <p>The matching rules are OpenTSDB's: different tag keys must all match; several pairs with the
 * same key match any of their values, and {@code key=*} among them wins; several {@code *=value}
 * pairs match any of their values. A query that finds nothing and names a metric, tag key or tag
 * value no series has answers 404, as OpenTSDB does for names without a UID.
 */
final class SearchHandler {

  private static final int DEFAULT_LIMIT = 25;

  /**
   * The most store lookups one request may fan out to: the product of the alternatives per tag key
   * (and of the value-only alternatives), each one lookup across the tenant's series groups.
   */
  private static final int MAX_ALTERNATIVES = 64;

  private static final String ANY = "*";

  private final MeridianNode node;
  private final ObjectMapper mapper;
  private final TsdbResponses responses;

  SearchHandler(MeridianNode node, ObjectMapper mapper, TsdbResponses responses) {
    this.node = node;
    this.mapper = mapper;
    this.responses = responses;
  }

  /** A tag pair as requested, {@code *} kept as given for the echo. */
  private record Pair(String key, String value) {}

  /** A name of a lookup, with OpenTSDB's name of its kind for messages. */
  private record Name(SeriesGroup.NameKind kind, String qualifier, String name) {}

  /** A parsed lookup: metric ({@code *} when any) and tag pairs as requested. */
  private record Lookup(String metric, List<Pair> tags, int limit) {}

  CompletionStage<HttpResponse> lookup(
      String tenant, HttpMethod method, Map<String, List<String>> params, byte[] body) {
    if (!method.equals(HttpMethods.GET) && !method.equals(HttpMethods.POST)) {
      throw TsdbException.badRequest("Unsupported method: " + method.name(), null);
    }
    long started = System.currentTimeMillis();
    Lookup lookup = body.length > 0 ? fromJson(body) : fromQueryString(params);
    if (lookup.metric().equals(ANY) && lookup.tags().isEmpty()) {
      throw TsdbException.badRequest(
          "Missing metric and tags. Please supply at least one value.", null);
    }
    String metric = lookup.metric().equals(ANY) ? null : lookup.metric();
    List<List<SeriesGroup.TagPair>> alternatives = alternatives(lookup.tags());
    List<CompletableFuture<List<SeriesKey>>> found = new ArrayList<>(alternatives.size());
    for (List<SeriesGroup.TagPair> pairs : alternatives) {
      found.add(node.series().lookup(tenant, metric, pairs, lookup.limit()).toCompletableFuture());
    }
    return CompletableFuture.allOf(found.toArray(CompletableFuture[]::new))
        .thenCompose(
            ignored -> {
              TreeSet<SeriesKey> keys = new TreeSet<>(Comparator.comparing(SeriesKey::toString));
              found.forEach(f -> keys.addAll(f.join()));
              List<SeriesKey> limited = keys.stream().limit(lookup.limit()).toList();
              if (limited.isEmpty()) {
                return requireKnownNames(tenant, lookup).thenApply(known -> limited);
              }
              return CompletableFuture.completedFuture(limited);
            })
        .thenCompose(
            keys ->
                node.uids()
                    .tsuids(tenant, keys)
                    .thenApply(
                        tsuids ->
                            responses.json(
                                StatusCodes.OK,
                                write(
                                    lookup, keys, tsuids, System.currentTimeMillis() - started))));
  }

  /**
   * The store lookups that together answer the pairs: one per combination of the alternatives of
   * each tag key and of the value-only pairs; a null key or value in a pair matches any.
   */
  private static List<List<SeriesGroup.TagPair>> alternatives(List<Pair> tags) {
    Map<String, Set<String>> byKey = new LinkedHashMap<>();
    Set<String> valuesOnly = new LinkedHashSet<>();
    boolean anyTag = false;
    for (Pair pair : tags) {
      boolean anyKey = pair.key().equals(ANY);
      boolean anyValue = pair.value().equals(ANY);
      if (anyKey && anyValue) {
        anyTag = true;
      } else if (anyKey) {
        valuesOnly.add(pair.value());
      } else {
        Set<String> values = byKey.computeIfAbsent(pair.key(), k -> new LinkedHashSet<>());
        values.add(anyValue ? null : pair.value());
      }
    }
    List<List<SeriesGroup.TagPair>> combinations = new ArrayList<>();
    combinations.add(anyTag ? List.of(new SeriesGroup.TagPair(null, null)) : List.of());
    for (Map.Entry<String, Set<String>> key : byKey.entrySet()) {
      Set<String> values = key.getValue().contains(null) ? nullOnly() : key.getValue();
      List<List<SeriesGroup.TagPair>> next = new ArrayList<>();
      for (List<SeriesGroup.TagPair> combination : combinations) {
        for (String value : values) {
          next.add(append(combination, new SeriesGroup.TagPair(key.getKey(), value)));
        }
      }
      combinations = limited(next);
    }
    if (!valuesOnly.isEmpty()) {
      List<List<SeriesGroup.TagPair>> next = new ArrayList<>();
      for (List<SeriesGroup.TagPair> combination : combinations) {
        for (String value : valuesOnly) {
          next.add(append(combination, new SeriesGroup.TagPair(null, value)));
        }
      }
      combinations = limited(next);
    }
    return combinations;
  }

  private static Set<String> nullOnly() {
    Set<String> any = new LinkedHashSet<>();
    any.add(null);
    return any;
  }

  private static List<SeriesGroup.TagPair> append(
      List<SeriesGroup.TagPair> combination, SeriesGroup.TagPair pair) {
    List<SeriesGroup.TagPair> longer = new ArrayList<>(combination);
    longer.add(pair);
    return longer;
  }

  private static List<List<SeriesGroup.TagPair>> limited(List<List<SeriesGroup.TagPair>> list) {
    if (list.size() > MAX_ALTERNATIVES) {
      throw TsdbException.badRequest(
          "Too many tag alternatives in the lookup",
          "The tag values combine into more than "
              + MAX_ALTERNATIVES
              + " alternatives; narrow the query");
    }
    return list;
  }

  /**
   * Fails with 404 if the lookup names a metric, tag key or tag value no series has. Only asked
   * when nothing matched, as any match proves every name exists.
   */
  private CompletionStage<Void> requireKnownNames(String tenant, Lookup lookup) {
    Set<Name> names = new LinkedHashSet<>();
    if (!lookup.metric().equals(ANY)) {
      names.add(new Name(SeriesGroup.NameKind.METRICS, "metrics", lookup.metric()));
    }
    for (Pair pair : lookup.tags()) {
      if (!pair.key().equals(ANY)) {
        names.add(new Name(SeriesGroup.NameKind.TAGK, "tagk", pair.key()));
      }
      if (!pair.value().equals(ANY)) {
        names.add(new Name(SeriesGroup.NameKind.TAGV, "tagv", pair.value()));
      }
    }
    List<CompletableFuture<String>> missing = new ArrayList<>();
    for (Name name : names) {
      // The first name starting with the name itself is the name, if it exists.
      missing.add(
          node.series()
              .suggest(tenant, name.kind(), name.name(), 1)
              .thenApply(
                  first ->
                      first.contains(name.name())
                          ? null
                          : "No such name for '" + name.qualifier() + "': '" + name.name() + "'")
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(missing.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              for (CompletableFuture<String> name : missing) {
                if (name.join() != null) {
                  throw new TsdbException(
                      StatusCodes.NOT_FOUND, "Unable to resolve one or more UIDs", name.join());
                }
              }
              return null;
            });
  }

  private byte[] write(
      Lookup lookup, List<SeriesKey> keys, Map<SeriesKey, String> tsuids, long elapsedMs) {
    ObjectNode json = mapper.createObjectNode();
    json.put("type", "LOOKUP");
    json.put("metric", lookup.metric());
    ArrayNode tags = json.putArray("tags");
    for (Pair pair : lookup.tags()) {
      tags.addObject().put("key", pair.key()).put("value", pair.value());
    }
    json.put("limit", lookup.limit());
    json.put("time", elapsedMs);
    ArrayNode results = json.putArray("results");
    for (SeriesKey key : keys) {
      ObjectNode result = results.addObject();
      result.put("tsuid", tsuids.get(key));
      result.put("metric", key.metric());
      ObjectNode resultTags = result.putObject("tags");
      key.tags().forEach(resultTags::put);
    }
    json.put("startIndex", 0);
    json.put("totalResults", keys.size());
    try {
      return mapper.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot serialize response", e);
    }
  }

  /** {@code m=metric{tagk=tagv,…}}, where the metric may be left out; {@code limit}. */
  private static Lookup fromQueryString(Map<String, List<String>> params) {
    String m = first(params, "m");
    if (m == null || m.isEmpty()) {
      throw TsdbException.badRequest("Missing parameter 'm'", null);
    }
    List<Pair> tags = new ArrayList<>();
    String metric;
    int curly = m.indexOf('{');
    if (curly < 0) {
      metric = m;
    } else {
      if (!m.endsWith("}")) {
        throw TsdbException.badRequest("Unable to parse query", "Missing '}' at the end of: " + m);
      }
      metric = m.substring(0, curly);
      String inner = m.substring(curly + 1, m.length() - 1);
      if (inner.isEmpty() && metric.isEmpty()) {
        throw TsdbException.badRequest("Unable to parse query", "Missing metric and tags: " + m);
      }
      if (!inner.isEmpty()) {
        for (String tag : inner.split(",", -1)) {
          String[] kv = tag.split("=", -1);
          if (kv.length != 2 || kv[0].isEmpty() || kv[1].isEmpty()) {
            throw TsdbException.badRequest(
                "Unable to parse query", "When parsing tag '" + tag + "': invalid tag: " + tag);
          }
          tags.add(new Pair(kv[0], kv[1]));
        }
      }
    }
    return new Lookup(metric.isEmpty() ? ANY : metric, tags, limit(first(params, "limit")));
  }

  /** {@code {"metric":…,"tags":[{"key":…,"value":…}],"limit":…}}; {@code useMeta} is ignored. */
  private Lookup fromJson(byte[] body) {
    JsonNode json = JsonBodies.readObject(mapper, body);
    List<Pair> tags = new ArrayList<>();
    JsonNode tagNodes = json.path("tags");
    if (!tagNodes.isMissingNode() && !tagNodes.isNull() && !tagNodes.isArray()) {
      throw TsdbException.badRequest(
          "Unable to parse the given JSON", "tags must be a list of {\"key\",\"value\"} objects");
    }
    for (JsonNode tag : tagNodes) {
      String key = text(tag, "key");
      String value = text(tag, "value");
      tags.add(
          new Pair(
              key == null || key.isEmpty() ? ANY : key,
              value == null || value.isEmpty() ? ANY : value));
    }
    String metric = text(json, "metric");
    JsonNode limit = json.get("limit");
    return new Lookup(
        metric == null || metric.isEmpty() ? ANY : metric,
        tags,
        limit(limit == null || limit.isNull() ? null : limit.asText()));
  }

  private static int limit(String text) {
    if (text == null || text.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    int limit;
    try {
      limit = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw TsdbException.badRequest("Unable to convert 'limit' to a valid number", text);
    }
    if (limit < 1) {
      throw TsdbException.badRequest("'limit' must be at least 1", text);
    }
    return limit;
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
