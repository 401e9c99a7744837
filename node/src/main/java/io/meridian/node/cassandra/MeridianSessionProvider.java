package io.meridian.node.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.CqlSessionProvider;
import org.apache.pekko.stream.connectors.cassandra.DriverConfigLoaderFromConfig;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/**
 * Creates the journal's and snapshot store's Cassandra session like the plugin's default provider,
 * and adds the driver's {@code PlainTextAuthProvider} when {@code meridian.cassandra.username} is
 * set. HOCON cannot make the driver's {@code advanced.auth-provider.class} depend on whether a
 * username was given, and configuring the provider without credentials would make the driver warn
 * on every connection to a Cassandra that does not authenticate (the development default).
 *
 * <p>pekko-persistence-cassandra instantiates this class reflectively through {@code
 * pekko.persistence.cassandra.session-provider}, with the actor system and the plugin's section.
 */
public final class MeridianSessionProvider implements CqlSessionProvider {

  static final String SETTINGS_PATH = "meridian.cassandra";
  static final String AUTH_PROVIDER = "advanced.auth-provider";

  private final ActorSystem system;
  private final Config pluginConfig;

  public MeridianSessionProvider(ActorSystem system, Config pluginConfig) {
    this.system = system;
    this.pluginConfig = pluginConfig;
  }

  @Override
  public Future<CqlSession> connect(ExecutionContext executionContext) {
    Config driver =
        withCredentials(
            CqlSessionProvider.driverConfig(system, pluginConfig), system.settings().config());
    return FutureConverters.asScala(
        CqlSession.builder()
            .withConfigLoader(DriverConfigLoaderFromConfig.fromConfig(driver))
            .buildAsync());
  }

  /**
   * The driver configuration {@code driver}, with a {@code PlainTextAuthProvider} for {@code
   * meridian.cassandra.username}/{@code password} of {@code config} if the username is not empty;
   * otherwise {@code driver} unchanged, so an auth provider configured directly under {@code
   * datastax-java-driver.advanced.auth-provider} still applies.
   */
  static Config withCredentials(Config driver, Config config) {
    if (!config.hasPath(SETTINGS_PATH + ".username")) {
      return driver;
    }
    String username = config.getString(SETTINGS_PATH + ".username");
    if (username.isEmpty()) {
      return driver;
    }
    String password =
        config.hasPath(SETTINGS_PATH + ".password")
            ? config.getString(SETTINGS_PATH + ".password")
            : "";
    return driver
        .withValue(AUTH_PROVIDER + ".class", ConfigValueFactory.fromAnyRef("PlainTextAuthProvider"))
        .withValue(AUTH_PROVIDER + ".username", ConfigValueFactory.fromAnyRef(username))
        .withValue(AUTH_PROVIDER + ".password", ConfigValueFactory.fromAnyRef(password));
  }
}
