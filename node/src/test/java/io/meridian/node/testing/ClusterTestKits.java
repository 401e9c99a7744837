package io.meridian.node.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;

/**
 * Actor systems of one cluster for tests across nodes: each on a free remoting port with the node's
 * cluster settings and its own in-memory journal and snapshot store.
 */
public final class ClusterTestKits {

  private ClusterTestKits() {}

  /** The first node: seeds itself (an application starting it joins it to itself). */
  public static ActorTestKit seed() {
    return ActorTestKit.create("meridian", config("[]"));
  }

  /** A node that joins the cluster of {@code seed}. */
  public static ActorTestKit joining(ActorTestKit seed) {
    String address = Cluster.get(seed.system()).selfMember().address().toString();
    return ActorTestKit.create("meridian", config("[\"" + address + "\"]"));
  }

  /** Waits until {@code node} sees {@code members} members, all up. */
  public static void awaitUp(ActorTestKit node, int members, Duration patience) {
    node.createTestProbe()
        .awaitAssert(
            patience,
            () -> {
              assertThat(Cluster.get(node.system()).state().getMembers())
                  .hasSize(members)
                  .allMatch(member -> member.status() == MemberStatus.up());
              return null;
            });
  }

  private static Config config(String seedNodes) {
    return ConfigFactory.parseString(
            "pekko.remote.artery.canonical.port = 0\n"
                + "pekko.cluster.seed-nodes = "
                + seedNodes
                + "\n")
        .withFallback(PersistenceTestKitPlugin.getInstance().config())
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(ConfigFactory.parseResources("cluster.conf"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }
}
