package io.meridian.node.auth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code meridian.auth} and the static appkeys of {@code meridian.projects.appkeys}.
 *
 * @param enforced whether every API request needs a credential ({@code mode = enforced}); with
 *     {@code open} (tests, trusted networks) requests need none and belong to the default tenant or
 *     the project the path names, unless the static appkeys are configured
 * @param adminToken a cluster administrator's bearer secret from the configuration, if any
 * @param appKeys static project appkeys: key → project, with read and write scopes
 * @param tokenTtl how long an issued access token is valid
 * @param refreshInterval how often a node asks the registry for its state, besides hearing every
 *     change at once: the bound on how long a revocation takes on a node that missed the news
 * @param askTimeout how long a change of the registry may take before it is answered 503
 */
public record AuthSettings(
    boolean enforced,
    Optional<String> adminToken,
    Map<String, String> appKeys,
    Duration tokenTtl,
    Duration refreshInterval,
    Duration askTimeout) {

  /** An administrator secret shorter than this is refused: it could be guessed. */
  public static final int MIN_SECRET_LENGTH = 32;

  public AuthSettings {
    appKeys = Map.copyOf(appKeys);
    if (adminToken.isPresent() && adminToken.get().length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException(
          "meridian.auth.admin-token must be at least "
              + MIN_SECRET_LENGTH
              + " characters (e.g. `openssl rand -base64 32`)");
    }
  }

  public static AuthSettings fromConfig(Config config) {
    Config auth = config.getConfig("meridian.auth");
    String mode = auth.getString("mode");
    if (!mode.equals("enforced") && !mode.equals("open")) {
      throw new IllegalArgumentException(
          "meridian.auth.mode must be \"enforced\" or \"open\", was \"" + mode + "\"");
    }
    Map<String, String> appKeys = new HashMap<>();
    if (config.hasPath("meridian.projects.appkeys")) {
      for (Map.Entry<String, ConfigValue> entry :
          config.getConfig("meridian.projects.appkeys").root().entrySet()) {
        appKeys.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped()));
      }
    }
    String adminToken = auth.getString("admin-token");
    return new AuthSettings(
        mode.equals("enforced"),
        adminToken.isEmpty() ? Optional.empty() : Optional.of(adminToken),
        appKeys,
        auth.getDuration("token-ttl"),
        auth.getDuration("refresh-interval"),
        auth.getDuration("ask-timeout"));
  }
}
