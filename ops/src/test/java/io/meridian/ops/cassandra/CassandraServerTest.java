package io.meridian.ops.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.meridian.ops.cassandra.CassandraServer.StartException;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Cql;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

class CassandraServerTest {

  @Test
  void dataSurvivesAStopAndStartOnTheSameDataDirectory() {
    try (CassandraServer cassandra =
        new CassandraServer(CassandraExtension.freshSettings("cassandra-restart"))) {
      cassandra.start();
      assertThat(cassandra.isRunning()).isTrue();
      assertThat(cassandra.releaseVersion())
          .hasValueSatisfying(v -> assertThat(v).startsWith("5."));
      try (CqlSession session = connect(cassandra)) {
        session.execute(
            "CREATE KEYSPACE restart_test WITH replication ="
                + " {'class': 'SimpleStrategy', 'replication_factor': 1}");
        session.execute("CREATE TABLE restart_test.notes (id int PRIMARY KEY, body text)");
        session.execute("INSERT INTO restart_test.notes (id, body) VALUES (1, 'still here')");
      }
      long pid = cassandra.pid().orElseThrow();

      cassandra.stop();

      assertThat(cassandra.isRunning()).isFalse();
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(accepts(cassandra.contactPoint())).isFalse();
      cassandra.stop();

      cassandra.start();

      assertThat(cassandra.pid().orElseThrow()).isNotEqualTo(pid);
      try (CqlSession session = connect(cassandra)) {
        Row row = session.execute("SELECT body FROM restart_test.notes WHERE id = 1").one();
        assertThat(row).isNotNull();
        assertThat(row.getString("body")).isEqualTo("still here");
      }
      cassandra.stop();
      assertThat(accepts(cassandra.contactPoint())).isFalse();
    }
  }

  @Test
  void refusesToStartWhenTheCqlPortIsTaken() throws IOException {
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CassandraServer cassandra =
          new CassandraServer(
              CassandraExtension.freshSettings("cassandra-port-taken")
                  .withCqlPort(squatter.getLocalPort()));

      assertThatThrownBy(cassandra::start)
          .isInstanceOf(StartException.class)
          .hasMessageContaining("CQL port")
          .hasMessageContaining(":" + squatter.getLocalPort())
          .hasMessageContaining("already in use");
      assertThat(cassandra.isRunning()).isFalse();
    }
  }

  @Test
  void reportsTheConsoleWhenTheChildJvmDiesDuringStart() {
    // A heap too small for any JVM: the child exits at once, long before the start timeout.
    CassandraServer cassandra =
        new CassandraServer(
            CassandraExtension.freshSettings("cassandra-dies")
                .withHeap("1k")
                .withStartTimeout(Duration.ofSeconds(60)));

    assertThatThrownBy(cassandra::start)
        .isInstanceOf(StartException.class)
        .hasMessageContaining("exited with code")
        .hasMessageContaining("lines of JVM console")
        .hasMessageContaining("heap");
    assertThat(cassandra.isRunning()).isFalse();
    assertThat(cassandra.settings().dataDir().resolve("cassandra.pid")).doesNotExist();
  }

  @Test
  void aMissingClasspathFileNamedByThePropertyIsAnErrorNotAGuess(@TempDir Path dir) {
    Path missing = dir.resolve("nope.classpath");

    assertThatThrownBy(
            () ->
                CassandraServer.locateClasspathFile(
                    Map.of(CassandraServer.CLASSPATH_FILE_PROPERTY, missing.toString())::get,
                    name -> null,
                    dir,
                    Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(CassandraServer.CLASSPATH_FILE_PROPERTY)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("mvn -DskipTests package");
  }

  @Test
  void theEnvironmentVariableIsUsedWhenThePropertyIsUnset(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("cp.txt"), "/x.jar");

    Path found =
        CassandraServer.locateClasspathFile(
            name -> null,
            Map.of(CassandraServer.CLASSPATH_FILE_ENV, file.toString())::get,
            dir,
            Optional.empty());

    assertThat(found).isEqualTo(file);
  }

  @Test
  void theClasspathFileIsFoundAboveTheDirectoryOfTheClasses(@TempDir Path project)
      throws IOException {
    Path file = project.resolve("ops/cassandra/target/cassandra.classpath");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "/x.jar");
    Path classes = Files.createDirectories(project.resolve("ops/target/classes"));
    Path elsewhere = Files.createDirectories(project.resolve("elsewhere"));

    Path found =
        CassandraServer.locateClasspathFile(
            name -> null, name -> null, elsewhere, Optional.of(classes));

    assertThat(found).isEqualTo(file);
  }

  @Test
  void withoutAnyClasspathFileTheErrorListsWhatWasTried(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                CassandraServer.locateClasspathFile(
                    name -> null, name -> null, dir, Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mvn -DskipTests package")
        .hasMessageContaining(dir.resolve("ops/cassandra/target/cassandra.classpath").toString())
        .hasMessageContaining(dir.resolve("cassandra/target/cassandra.classpath").toString());
  }

  @Test
  void templatesRejectPlaceholdersWithoutValues() {
    assertThat(CassandraServer.render("a ${X} b", Map.of("X", "$1\\"))).isEqualTo("a $1\\ b");
    assertThatThrownBy(() -> CassandraServer.render("${Y}", Map.of())).hasMessageContaining("${Y}");
  }

  @Test
  void jvmOptionsChoosingACollectorReplaceG1AndBadOnesAreRefused() {
    assertThat(CassandraServer.defaultCollector(List.of("-XX:+AlwaysPreTouch")))
        .containsExactly("-XX:+UseG1GC");
    assertThat(CassandraServer.defaultCollector(List.of("-XX:+UseParallelGC"))).isEmpty();
    CassandraServer.Settings settings = CassandraServer.Settings.defaults();
    assertThatThrownBy(() -> settings.withJvmOptions(List.of("-Xmx1g -Xms1g")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'-Xmx1g -Xms1g'");
    assertThatThrownBy(() -> settings.withJvmOptions(List.of("Xmx1g")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The shared server of {@link CassandraExtension}, as other test classes get it. */
  @Nested
  @ExtendWith(CassandraExtension.class)
  class SharedServer {

    @Test
    void answersQueries(CassandraServer cassandra) {
      assertThat(cassandra).isSameAs(CassandraExtension.server());
      assertThat(cassandra.isRunning()).isTrue();
      try (CqlSession session = connect(cassandra)) {
        Row row = session.execute("SELECT release_version FROM system.local").one();
        assertThat(row).isNotNull();
        assertThat(row.getString("release_version")).startsWith("5.");
      }
    }

    @Test
    void runsOneWriteAndRequestThreadPerCore(CassandraServer cassandra) {
      String threads = Integer.toString(CassandraServer.workerThreads());
      try (CqlSession session = connect(cassandra)) {
        for (String setting : List.of("concurrent_writes", "native_transport_max_threads")) {
          Row row =
              session
                  .execute("SELECT value FROM system_views.settings WHERE name = ?", setting)
                  .one();
          assertThat(row).as(setting).isNotNull();
          assertThat(row.getString("value")).as(setting).isEqualTo(threads);
        }
      }
    }
  }

  private static CqlSession connect(CassandraServer cassandra) {
    return Cql.connect(cassandra);
  }

  private static boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
