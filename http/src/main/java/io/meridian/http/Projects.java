package io.meridian.http;

import com.typesafe.config.Config;
import io.meridian.node.auth.AuthSettings;
import io.meridian.node.auth.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Which project (tenant) a request reads and writes.
 *
 * <p>With {@code meridian.auth.mode = enforced} every request has been authenticated before its
 * route ({@link Authentication}): the credential's project decides, a path naming another project
 * is 403, and a cluster administrator's credential (every project) uses the project the path names,
 * else {@code meridian.default-tenant}.
 *
 * <p>In {@code open} mode, for the Prometheus, log-excerpt and OpenMetrics APIs: with no appkeys
 * configured (development) a request belongs to the project its path names, else to {@code
 * meridian.default-tenant}; with {@code meridian.projects.appkeys}, the {@code X-TC-APP-KEY}
 * decides: a missing or unknown key is 401, and a path naming another project than the key's is
 * 403, so that no project ever sees another's data. OpenTSDB requests belong to the default tenant.
 */
public final class Projects {

  public static final String APP_KEY_HEADER = "X-TC-APP-KEY";

  private final Map<String, String> projectByAppKey;
  private final String defaultTenant;

  public Projects(Map<String, String> projectByAppKey, String defaultTenant) {
    this.projectByAppKey = Map.copyOf(projectByAppKey);
    this.defaultTenant = defaultTenant;
  }

  public static Projects fromConfig(Config config) {
    return new Projects(
        AuthSettings.fromConfig(config).appKeys(), config.getString("meridian.default-tenant"));
  }

  /**
   * The route {@code inner} builds for the tenant of the request (by its credential, or in open
   * mode its {@value #APP_KEY_HEADER} header, and the project its path names, if any), which is
   * noted for the access log.
   *
   * @throws ProjectAccessException 401 or 403 when the request may not proceed
   */
  public Route withTenant(Optional<String> project, Function<String, Route> inner) {
    return Directives.optionalAttribute(
        Authentication.PRINCIPAL,
        principal ->
            principal.isPresent()
                ? noted(tenant(principal.get(), project), inner)
                : Directives.optionalHeaderValueByName(
                    APP_KEY_HEADER, appKey -> noted(tenant(appKey, project), inner)));
  }

  /**
   * {@link #withTenant} for an API whose paths name no project and which, in open mode, belongs to
   * the default tenant whatever the appkeys (OpenTSDB's).
   */
  public Route withCredentialTenant(Function<String, Route> inner) {
    return Directives.optionalAttribute(
        Authentication.PRINCIPAL,
        principal ->
            noted(principal.map(p -> tenant(p, Optional.empty())).orElse(defaultTenant), inner));
  }

  private static Route noted(String tenant, Function<String, Route> inner) {
    return RequestLog.notingTenant(tenant, () -> inner.apply(tenant));
  }

  /**
   * The tenant of an authenticated request: its credential's project, or for a credential of every
   * project the one the path names, else the default tenant.
   *
   * @throws ProjectAccessException 403 when the path names a project the credential is not for
   */
  public String tenant(Principal principal, Optional<String> project) {
    if (project.isPresent() && !principal.mayUse(project.get())) {
      throw new ProjectAccessException(
          StatusCodes.FORBIDDEN,
          "forbidden",
          "Access to project \"" + project.get() + "\" is not allowed with this credential");
    }
    if (principal.allProjects()) {
      return project.orElse(defaultTenant);
    }
    return principal.project();
  }

  /**
   * The tenant of a request with the given app key and the project its path names, if any.
   *
   * @throws ProjectAccessException 401 or 403 when the request may not proceed
   */
  public String tenant(Optional<String> appKey, Optional<String> project) {
    if (projectByAppKey.isEmpty()) {
      return project.orElse(defaultTenant);
    }
    String keyProject = appKey.map(projectByAppKey::get).orElse(null);
    if (keyProject == null) {
      throw new ProjectAccessException(
          StatusCodes.UNAUTHORIZED,
          "unauthorized",
          "Appkey missing or invalid: send a valid project appkey in the "
              + APP_KEY_HEADER
              + " header");
    }
    if (project.isPresent() && !project.get().equals(keyProject)) {
      throw new ProjectAccessException(
          StatusCodes.FORBIDDEN,
          "forbidden",
          "Access to project \"" + project.get() + "\" is not allowed with this appkey");
    }
    return keyProject;
  }
}
