package io.meridian.node.auth;

import java.util.Set;

/**
 * Who a request acts as, once its credential is verified: the credential's kind and id (never its
 * secret), the project it may use ({@link #ALL_PROJECTS} for a cluster-wide administrator) and its
 * scopes there.
 */
public record Principal(String kind, String id, String project, Set<Scope> scopes) {

  /** The project of a credential valid for every project. */
  public static final String ALL_PROJECTS = "*";

  public Principal {
    scopes = Set.copyOf(scopes);
  }

  public boolean allProjects() {
    return ALL_PROJECTS.equals(project);
  }

  public boolean has(Scope scope) {
    return scopes.contains(scope);
  }

  /** Whether this principal may act on {@code project}. */
  public boolean mayUse(String project) {
    return allProjects() || this.project.equals(project);
  }
}
