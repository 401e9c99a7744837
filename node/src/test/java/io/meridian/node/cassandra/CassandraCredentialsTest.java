package io.meridian.node.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class CassandraCredentialsTest {

  private final Config driver =
      ConfigFactory.parseString("basic.request.timeout = 5s, advanced.reconnect-on-init = true");

  @Test
  void aUsernameAddsThePlainTextAuthProvider() {
    Config config =
        ConfigFactory.parseString(
            "meridian.cassandra { username = meridian, password = \"s3cret\" }");

    Config withAuth = MeridianSessionProvider.withCredentials(driver, config);

    assertThat(withAuth.getString("advanced.auth-provider.class"))
        .isEqualTo("PlainTextAuthProvider");
    assertThat(withAuth.getString("advanced.auth-provider.username")).isEqualTo("meridian");
    assertThat(withAuth.getString("advanced.auth-provider.password")).isEqualTo("s3cret");
    assertThat(withAuth.getDuration("basic.request.timeout")).hasSeconds(5);
  }

  @Test
  void anEmptyOrMissingUsernameLeavesTheDriverWithoutAuthentication() {
    Config empty =
        ConfigFactory.parseString("meridian.cassandra { username = \"\", password = x }");

    assertThat(MeridianSessionProvider.withCredentials(driver, empty)).isEqualTo(driver);
    assertThat(MeridianSessionProvider.withCredentials(driver, ConfigFactory.empty()))
        .isEqualTo(driver);
  }
}
