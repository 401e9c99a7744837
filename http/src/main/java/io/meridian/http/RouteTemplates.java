package io.meridian.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The route template of a request path, the {@code route} label of the HTTP metrics: the path with
 * its ids, names, projects and versions replaced by placeholders ({@code
 * /prometheus/projects/{project}/api/v1/query_range}, {@code /api/put}, {@code
 * /v1/log_excerpts/{from}/{to}}), so that the label has a bounded number of values whatever clients
 * send. A path that matches no served endpoint is {@value #OTHER}.
 */
public final class RouteTemplates {

  /** The route of every path that is not one of the APIs' endpoints. */
  public static final String OTHER = "other";

  /** A placeholder matching any one non-empty segment. */
  private static final String ANY = "{";

  /** OpenTSDB's optional version segment ({@code /api/v1/put}). */
  private static final Pattern VERSION = Pattern.compile("v\\d+");

  private static final String[] OPENTSDB = {
    "put",
    "query",
    "query/last",
    "query/exp",
    "query/gexp",
    "suggest",
    "search/lookup",
    "search/{type}",
    "annotation",
    "annotation/bulk",
    "uid/assign",
    "uid/uidmeta",
    "uid/{endpoint}",
    "tree/{endpoint}",
    "histogram/{endpoint}",
    "aggregators",
    "serializers",
    "version",
    "dropcaches",
    "config",
    "config/filters",
    "stats",
    "stats/jvm",
    "stats/{endpoint}"
  };

  private static final String[] PROMETHEUS = {
    "query",
    "query_range",
    "series",
    "labels",
    "label/{name}/values",
    "metadata",
    "rules",
    "status/buildinfo",
    "query_exemplars",
    "write"
  };

  private static final String[] NATIVE = {
    "info",
    "metrics",
    "keys",
    "keys/{id}",
    "keys/{id}/rotate",
    "clients",
    "clients/{id}",
    "clients/{id}/rotate",
    "oauth2/token",
    "oauth2/revoke",
    "cluster/members",
    "cluster/members/{address}"
  };

  private static final String[] OPENMETRICS = {
    "jobs",
    "jobs/{job}",
    "jobs/{job}/targets",
    "jobs/{job}/targets/{target}",
    "servers",
    "servers/{server}"
  };

  /** Templates by their first segment, each as its label and segments, in matching order. */
  private static final Map<String, List<Template>> BY_FIRST_SEGMENT = new HashMap<>();

  static {
    List<String> labels = new ArrayList<>();
    for (String name : PROMETHEUS) {
      labels.add("/prometheus/api/v1/" + name);
      labels.add("/prometheus/projects/{project}/api/v1/" + name);
      labels.add("/api/v1/" + name);
    }
    for (String name : OPENTSDB) {
      labels.add("/api/" + name);
      labels.add("/api/{version}/" + name);
    }
    for (String name : NATIVE) {
      labels.add("/" + name);
      labels.add("/v1/" + name);
    }
    labels.add("/v1/log_excerpts");
    labels.add("/v1/log_excerpts/{from}/{to}");
    for (String name : OPENMETRICS) {
      labels.add("/v1.0/projects/{project}/" + name);
    }
    for (String label : labels) {
      Template template = Template.of(label);
      BY_FIRST_SEGMENT
          .computeIfAbsent(template.segments()[0], first -> new ArrayList<>())
          .add(template);
    }
  }

  private RouteTemplates() {}

  /** The template of {@code path} (a URI path without query), or {@value #OTHER}. */
  public static String of(String path) {
    if (path.equals("/")) {
      return "/";
    }
    if (path.isEmpty() || path.charAt(0) != '/') {
      return OTHER;
    }
    // Endpoints answer with and without a trailing slash alike.
    String trimmed = path.endsWith("/") ? path.substring(1, path.length() - 1) : path.substring(1);
    String[] segments = trimmed.split("/", -1);
    List<Template> candidates = BY_FIRST_SEGMENT.get(segments[0]);
    if (candidates == null) {
      return OTHER;
    }
    for (Template template : candidates) {
      if (template.matches(segments)) {
        return template.label();
      }
    }
    return OTHER;
  }

  /**
   * One template: its label and segments, a segment starting with {@code {} a placeholder. The
   * last placeholder of {@code /cluster/members/{address}} takes the rest of the path, since a
   * member's address ({@code pekko://meridian@host:port}) holds slashes.
   */
  private record Template(String label, String[] segments) {

    static Template of(String label) {
      return new Template(label, label.substring(1).split("/"));
    }

    boolean matches(String[] path) {
      boolean restMatches = label.endsWith("{address}");
      if (path.length != segments.length && !(restMatches && path.length > segments.length)) {
        return false;
      }
      for (int i = 0; i < segments.length; i++) {
        String segment = segments[i];
        String actual = path[i];
        if (segment.equals("{version}")) {
          if (!VERSION.matcher(actual).matches()) {
            return false;
          }
        } else if (segment.startsWith(ANY)) {
          if (actual.isEmpty()) {
            return false;
          }
        } else if (!segment.equals(actual)) {
          return false;
        }
      }
      return true;
    }
  }
}
