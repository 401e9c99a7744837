package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's first credentials: the development profile creates one administrator key for the
 * cluster, prints it once and writes it to a file only its owner reads; the production profile
 * refuses to start without credentials configured.
 */
@ExtendWith(CassandraExtension.class)
class FirstAdminKeyOnCassandraTest {

  @TempDir Path dir;

  private static Config profile(String profile, String mode, String adminToken) {
    return ConfigFactory.parseString(
            "meridian.profile = "
                + profile
                + "\nmeridian.auth.mode = "
                + mode
                + "\nmeridian.auth.admin-token = \""
                + adminToken
                + "\"")
        .withFallback(ConfigFactory.load());
  }

  @Test
  void productionRefusesToStartWithoutCredentials() {
    assertThatThrownBy(() -> FirstAdminKey.check(profile("production", "enforced", "")))
        .hasMessageContaining("MERIDIAN_ADMIN_TOKEN");
    assertThatThrownBy(
            () ->
                FirstAdminKey.check(
                    profile("production", "open", "a-long-enough-admin-token-0123456789")))
        .hasMessageContaining("open");
    assertThatThrownBy(() -> FirstAdminKey.check(profile("staging", "enforced", "")))
        .hasMessageContaining("development or production");
    FirstAdminKey.check(profile("production", "enforced", "a-long-enough-admin-token-0123456789"));
    FirstAdminKey.check(profile("development", "enforced", ""));
  }

  @Test
  void developmentCreatesPrintsAndWritesOneAdministratorKey(CassandraServer cassandra)
      throws Exception {
    Path file = dir.resolve("data/admin-key");
    String settings =
        "meridian.auth.mode = enforced\nmeridian.auth.first-admin-key-file = \"" + file + "\"\n";
    try (TestNode node = TestNode.start(cassandra, "it_first_admin_key", settings)) {
      Config config = node.system().settings().config();
      ByteArrayOutputStream first = new ByteArrayOutputStream();
      FirstAdminKey.ensure(
          node.node(), config, new PrintStream(first, true, StandardCharsets.UTF_8));

      String key = Files.readString(file).trim();
      assertThat(key).startsWith("mk_");
      assertThat(first.toString(StandardCharsets.UTF_8)).contains(key);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      Http api = new Http(node.url());
      assertThat(api.get("/api/version").status()).isEqualTo(401);
      assertThat(api.withBearer(key).get("/api/version").status()).isEqualTo(200);

      ByteArrayOutputStream second = new ByteArrayOutputStream();
      FirstAdminKey.ensure(
          node.node(), config, new PrintStream(second, true, StandardCharsets.UTF_8));
      assertThat(second.toString(StandardCharsets.UTF_8))
          .doesNotContain("mk_")
          .contains(file.toAbsolutePath().toString());
      assertThat(Files.readString(file).trim()).isEqualTo(key);
    }
  }
}
