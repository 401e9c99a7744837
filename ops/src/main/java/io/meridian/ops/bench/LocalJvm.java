package io.meridian.ops.bench;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The MBeans of a JVM on this machine, reached through the JDK's Attach API even when it opened no
 * JMX port (the embedded Cassandra opens none): attaching starts the JVM's local management agent,
 * which listens on the loopback interface for processes of the same user only. This JVM's own
 * MBeans are used directly, as the JDK refuses to attach a JVM to itself.
 */
final class LocalJvm implements AutoCloseable {

  private static final ObjectName MEMORY = name("java.lang:type=Memory");

  private final long pid;
  private final MBeanServerConnection mbeans;
  private final JMXConnector connector;

  private LocalJvm(long pid, MBeanServerConnection mbeans, JMXConnector connector) {
    this.pid = pid;
    this.mbeans = mbeans;
    this.connector = connector;
  }

  /**
   * Connects to the JVM with process id {@code pid}.
   *
   * @throws IOException saying why not: not a JVM, another user's, attach disabled
   *     (-XX:+DisableAttachMechanism), no such process
   */
  static LocalJvm attach(long pid) throws IOException {
    if (pid == ProcessHandle.current().pid()) {
      return new LocalJvm(pid, ManagementFactory.getPlatformMBeanServer(), null);
    }
    // Attaching signals the process (SIGQUIT), which ends most programs that are not a JVM.
    String command =
        ProcessHandle.of(pid)
            .orElseThrow(() -> new IOException("no process with pid " + pid))
            .info()
            .command()
            .orElseThrow(
                () ->
                    new IOException("cannot see the program of pid " + pid + " (another user's?)"));
    if (!Path.of(command).getFileName().toString().equals("java")) {
      throw new IOException("pid " + pid + " is not a Java VM but " + command);
    }
    String address;
    try {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        address = vm.startLocalManagementAgent();
      } finally {
        vm.detach();
      }
    } catch (AttachNotSupportedException e) {
      throw new IOException("cannot attach to pid " + pid + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException(
          "cannot attach to pid "
              + pid
              + " ("
              + e.getClass().getSimpleName()
              + "): "
              + e.getMessage(),
          e);
    }
    JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
    return new LocalJvm(pid, connector.getMBeanServerConnection(), connector);
  }

  long pid() {
    return pid;
  }

  MBeanServerConnection mbeans() {
    return mbeans;
  }

  /**
   * The heap in use after a full collection (what the JVM's live objects take): runs {@code
   * java.lang:type=Memory gc}, then reads {@code HeapMemoryUsage.used}.
   */
  long liveHeapBytes() throws IOException {
    try {
      mbeans.invoke(MEMORY, "gc", new Object[0], new String[0]);
      CompositeData heap = (CompositeData) mbeans.getAttribute(MEMORY, "HeapMemoryUsage");
      return (Long) heap.get("used");
    } catch (JMException e) {
      throw new IOException("cannot read the heap of pid " + pid + ": " + e, e);
    }
  }

  static ObjectName name(String name) {
    try {
      return new ObjectName(name);
    } catch (JMException e) {
      throw new IllegalArgumentException(name, e);
    }
  }

  @Override
  public void close() throws IOException {
    if (connector != null) {
      connector.close();
    }
  }
}
