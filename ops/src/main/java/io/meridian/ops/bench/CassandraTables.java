package io.meridian.ops.bench;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The tables of a Cassandra reached over JMX ({@link LocalJvm}), as {@code nodetool flush} and
 * {@code nodetool tablestats} see them: flushes a keyspace's memtables to SSTables and reads each
 * table's disk space from its metrics.
 */
final class CassandraTables {

  private static final ObjectName STORAGE_SERVICE =
      LocalJvm.name("org.apache.cassandra.db:type=StorageService");

  private static final ObjectName PENDING_COMPACTIONS =
      LocalJvm.name("org.apache.cassandra.metrics:type=Compaction,name=PendingTasks");

  private static final ObjectName COMPACTION_MANAGER =
      LocalJvm.name("org.apache.cassandra.db:type=CompactionManager");

  /** Bytes of one table's SSTables: live (still referenced) and total (with obsolete ones). */
  record Size(long liveBytes, long totalBytes) {}

  private final LocalJvm cassandra;

  CassandraTables(LocalJvm cassandra) {
    this.cassandra = cassandra;
  }

  /**
   * Writes every memtable of {@code keyspace} to disk and returns once that is done: {@code
   * StorageServiceMBean.forceKeyspaceFlush(String keyspace, String... tables)} of Cassandra 5.0,
   * with no tables meaning all of them.
   */
  void flush(String keyspace) throws IOException {
    try {
      cassandra
          .mbeans()
          .invoke(
              STORAGE_SERVICE,
              "forceKeyspaceFlush",
              new Object[] {keyspace, new String[0]},
              new String[] {String.class.getName(), String[].class.getName()});
    } catch (JMException e) {
      throw new IOException("flushing keyspace " + keyspace + " failed: " + e, e);
    }
  }

  /**
   * Compactions running or waiting, as {@code nodetool compactionstats} counts them: the {@code
   * Compactions} of the {@code CompactionManager} MBean plus the {@code Value} of the metric {@code
   * Compaction.PendingTasks} (Cassandra's estimate of the compactions still to do).
   */
  int compactions() throws IOException {
    try {
      List<?> running =
          (List<?>) cassandra.mbeans().getAttribute(COMPACTION_MANAGER, "Compactions");
      Number pending = (Number) cassandra.mbeans().getAttribute(PENDING_COMPACTIONS, "Value");
      return running.size() + pending.intValue();
    } catch (JMException e) {
      throw new IOException("reading Cassandra's compactions failed: " + e, e);
    }
  }

  /**
   * The size of each table of {@code keyspace}, by table name (empty when the keyspace does not
   * exist): the {@code Count} of the table metrics {@code LiveDiskSpaceUsed} and {@code
   * TotalDiskSpaceUsed}.
   */
  Map<String, Size> sizes(String keyspace) throws IOException {
    Map<String, Size> sizes = new TreeMap<>();
    try {
      Set<ObjectName> live =
          cassandra
              .mbeans()
              .queryNames(
                  LocalJvm.name(
                      "org.apache.cassandra.metrics:type=Table,keyspace="
                          + keyspace
                          + ",name=LiveDiskSpaceUsed,*"),
                  null);
      for (ObjectName name : live) {
        String table = name.getKeyProperty("scope");
        ObjectName total =
            LocalJvm.name(
                name.getCanonicalName()
                    .replace("name=LiveDiskSpaceUsed", "name=TotalDiskSpaceUsed"));
        sizes.put(table, new Size(count(name), count(total)));
      }
    } catch (JMException e) {
      throw new IOException("reading the table sizes of " + keyspace + " failed: " + e, e);
    }
    return sizes;
  }

  private long count(ObjectName counter) throws JMException, IOException {
    return ((Number) cassandra.mbeans().getAttribute(counter, "Count")).longValue();
  }
}
