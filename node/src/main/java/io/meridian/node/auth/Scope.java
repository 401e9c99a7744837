package io.meridian.node.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a credential lets a request do in its project: read (queries, listings), write (samples, log
 * entries, jobs and targets, deletions) or administer credentials (keys, clients, tokens). Scopes
 * do not imply each other: a key for writing only cannot read back.
 */
public enum Scope {
  READ,
  WRITE,
  ADMIN;

  /** The scope's name in requests and answers: {@code read}, {@code write}, {@code admin}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A scope by its label. */
  public static Scope of(String label) {
    for (Scope scope : values()) {
      if (scope.label().equals(label)) {
        return scope;
      }
    }
    throw new IllegalArgumentException(
        "Unknown scope \"" + label + "\": scopes are read, write and admin");
  }

  /** Scopes from OAuth 2's space-separated list ({@code "read write"}); blank: none. */
  public static Set<Scope> parse(String list) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String label : list.trim().split("\\s+")) {
      if (!label.isEmpty()) {
        scopes.add(of(label));
      }
    }
    return scopes;
  }

  /** OAuth 2's space-separated list of {@code scopes}, in a stable order. */
  public static String format(Set<Scope> scopes) {
    return scopes.stream().sorted().map(Scope::label).collect(Collectors.joining(" "));
  }
}
