package io.meridian.ops;

import com.typesafe.config.Config;
import io.meridian.node.MeridianNode;
import io.meridian.node.auth.AuthService;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The credentials a node starts with. In the {@code development} profile (the default) the
 * cluster's first start creates an administrator API key, prints it once and writes it to {@code
 * meridian.auth.first-admin-key-file} (readable by the owner only), so that the quickstart is one
 * command and a curl. In the {@code production} profile nothing is created or printed: a node
 * refuses to start unless credentials are enforced and {@code meridian.auth.admin-token} is set.
 */
final class FirstAdminKey {

  private FirstAdminKey() {}

  /**
   * Refuses to start a production node without credentials.
   *
   * @throws IllegalStateException saying what to set
   */
  static void check(Config config) {
    String profile = config.getString("meridian.profile");
    if (!profile.equals("production") && !profile.equals("development")) {
      throw new IllegalStateException(
          "meridian.profile (MERIDIAN_PROFILE) must be development or production, not \""
              + profile
              + "\"");
    }
    if (!profile.equals("production")) {
      return;
    }
    if (!config.getString("meridian.auth.mode").equals("enforced")) {
      throw new IllegalStateException(
          "meridian.profile = production refuses meridian.auth.mode = open: every API request"
              + " must need a credential");
    }
    if (config.getString("meridian.auth.admin-token").isEmpty()) {
      throw new IllegalStateException(
          "meridian.profile = production needs credentials configured: set"
              + " meridian.auth.admin-token (MERIDIAN_ADMIN_TOKEN) to a secret of at least 32"
              + " characters, e.g. `openssl rand -base64 32`; create API keys and clients with it");
    }
  }

  /**
   * In development with credentials enforced and no admin token configured: makes sure the cluster
   * has an administrator key, printing it on {@code out} if this start created it.
   */
  static void ensure(MeridianNode node, Config config, PrintStream out) throws Exception {
    AuthService auth = node.auth();
    if (!config.getString("meridian.profile").equals("development")
        || !auth.enforced()
        || auth.settings().adminToken().isPresent()) {
      return;
    }
    auth.ready().toCompletableFuture().get(60, TimeUnit.SECONDS);
    CompletionStage<Optional<AuthService.Issued>> created = auth.createFirstAdminKey();
    Optional<AuthService.Issued> key = created.toCompletableFuture().get(60, TimeUnit.SECONDS);
    Path file = Path.of(config.getString("meridian.auth.first-admin-key-file"));
    if (key.isEmpty()) {
      out.printf(
          "meridian: API requests need a credential; the administrator key made on the cluster's"
              + " first start is in %s (if this node made it)%n",
          file.toAbsolutePath());
      return;
    }
    String secret = key.get().secret();
    write(file, secret);
    out.printf(
        "meridian: created the cluster's first administrator key (shown once, also in %s):%n"
            + "  %s%n"
            + "  e.g. curl -H \"Authorization: Bearer $(cat %s)\" http://%s/api/version%n",
        file.toAbsolutePath(),
        secret,
        file,
        config.getString("meridian.http.host") + ":" + config.getInt("meridian.http.port"));
  }

  private static void write(Path file, String secret) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, secret + "\n");
  }
}
