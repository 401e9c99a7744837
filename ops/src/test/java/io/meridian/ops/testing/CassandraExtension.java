package io.meridian.ops.testing;

import io.meridian.ops.cassandra.CassandraServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real Cassandra: one {@link CassandraServer} per test JVM, started by the first test
 * class that uses this extension and stopped once, when the whole run ends. Starting Cassandra
 * takes about ten seconds, so it is shared rather than started per class or test.
 *
 * <pre>{@code
 * @ExtendWith(CassandraExtension.class)
 * class JournalIT {
 *   @Test
 *   void writes(CassandraServer cassandra) {  // or CassandraExtension.server()
 *     ... cassandra.contactPoint() ...
 *   }
 * }
 * }</pre>
 *
 * <p>The server listens on free ports on 127.0.0.1 and keeps its data under the directory named by
 * the system property {@value #WORK_DIR_PROPERTY} (surefire sets it to {@code ops/target/it}), in a
 * fresh subdirectory per run. Tests may stop and start it to test restarts; if one leaves it
 * stopped, the next test class using the extension starts it again. Tests share its keyspaces, so
 * each should use its own keyspace or table names.
 */
public final class CassandraExtension implements BeforeAllCallback, ParameterResolver {

  /** System property naming the directory for test data; a temp directory if unset. */
  public static final String WORK_DIR_PROPERTY = "meridian.test.work-dir";

  private static final String STORE_KEY = CassandraExtension.class.getName();
  private static final DateTimeFormatter RUN_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private static volatile CassandraServer shared;

  @Override
  public void beforeAll(ExtensionContext context) {
    ensureRunning(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == CassandraServer.class;
  }

  @Override
  public CassandraServer resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return ensureRunning(context);
  }

  /**
   * The shared server, started by this extension.
   *
   * @throws IllegalStateException if no test class using the extension has started yet
   */
  public static CassandraServer server() {
    CassandraServer server = shared;
    if (server == null) {
      throw new IllegalStateException(
          "No shared Cassandra: annotate the test class with"
              + " @ExtendWith(CassandraExtension.class)");
    }
    return server;
  }

  /**
   * Settings for a server of its own: two free ports on 127.0.0.1 and a new data directory under
   * {@value #WORK_DIR_PROPERTY} whose name starts with {@code label}. For tests that must not
   * disturb the shared server.
   */
  public static CassandraServer.Settings freshSettings(String label) {
    int[] ports = freePorts(2);
    return CassandraServer.Settings.defaults()
        .withDataDir(freshDirectory(label))
        .withCqlPort(ports[0])
        .withStoragePort(ports[1]);
  }

  private static CassandraServer ensureRunning(ExtensionContext context) {
    // The root store outlives every test class and closes its resources when the run ends.
    SharedServer resource =
        context
            .getRoot()
            .getStore(Namespace.GLOBAL)
            .getOrComputeIfAbsent(STORE_KEY, key -> SharedServer.launch(), SharedServer.class);
    CassandraServer server = resource.server();
    if (!server.isRunning()) {
      server.start();
    }
    return server;
  }

  /** A new directory under {@value #WORK_DIR_PROPERTY} whose name starts with {@code label}. */
  public static Path freshDirectory(String label) {
    String name =
        label
            + "-"
            + LocalDateTime.now().format(RUN_STAMP)
            + "-"
            + ProcessHandle.current().pid()
            + "-"
            + SEQUENCE.incrementAndGet();
    try {
      String workDir = System.getProperty(WORK_DIR_PROPERTY);
      Path base =
          workDir == null || workDir.isBlank()
              ? Files.createTempDirectory("meridian-it-")
              : Files.createDirectories(Path.of(workDir));
      return Files.createDirectories(base.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a directory for Cassandra", e);
    }
  }

  private static int[] freePorts(int count) {
    // All sockets stay open until every port is picked, so the ports are distinct.
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find free ports", e);
    } finally {
      for (ServerSocket socket : sockets) {
        if (socket != null) {
          try {
            socket.close();
          } catch (IOException e) {
            // The port is still free for our purpose.
          }
        }
      }
    }
  }

  /** Holds the shared server in the root store, which stops it when the run ends. */
  private record SharedServer(CassandraServer server)
      implements ExtensionContext.Store.CloseableResource {

    static SharedServer launch() {
      CassandraServer server = new CassandraServer(freshSettings("cassandra-shared"));
      server.start();
      shared = server;
      return new SharedServer(server);
    }

    @Override
    public void close() {
      shared = null;
      server.stop();
    }
  }
}
