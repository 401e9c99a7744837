package io.meridian.node.scrape;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;
import io.meridian.protocol.scrape.Server;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The servers projects know from configuration ({@code meridian.scrape.servers}: per project, a
 * list of {@code {hostNm, svrIp, instanceId}}). A configured server's {@code hostId} is derived
 * from its project and name, so every node and every restart agree on it without storing it.
 */
public final class ConfiguredServers {

  private final Map<String, List<Server>> byProject;

  private ConfiguredServers(Map<String, List<Server>> byProject) {
    this.byProject = byProject;
  }

  public static ConfiguredServers none() {
    return new ConfiguredServers(Map.of());
  }

  /**
   * Reads and validates {@code meridian.scrape.servers}.
   *
   * @throws IllegalArgumentException naming the first invalid entry
   */
  public static ConfiguredServers fromConfig(Config config) {
    Config servers = config.getConfig("meridian.scrape.servers");
    Map<String, List<Server>> byProject = new TreeMap<>();
    for (String project : servers.root().keySet()) {
      List<Server> list = new ArrayList<>();
      List<? extends Config> entries;
      try {
        entries = servers.getConfigList(ConfigUtil.joinPath(project));
      } catch (ConfigException e) {
        throw new IllegalArgumentException(
            "meridian.scrape.servers." + project + " must be a list of {hostNm, svrIp, instanceId}",
            e);
      }
      for (Config entry : entries) {
        String hostNm = entry.hasPath("hostNm") ? entry.getString("hostNm") : null;
        String svrIp = entry.hasPath("svrIp") ? entry.getString("svrIp") : null;
        String instanceId = entry.hasPath("instanceId") ? entry.getString("instanceId") : null;
        ServerSpec spec;
        try {
          spec = CatalogInput.server(new ServerSpec(hostNm, svrIp, instanceId));
        } catch (ScrapeCatalogException e) {
          throw new IllegalArgumentException(
              "meridian.scrape.servers." + project + ": " + e.getMessage(), e);
        }
        for (Server other : list) {
          if (other.hostNm().equals(spec.hostNm())) {
            throw new IllegalArgumentException(
                "meridian.scrape.servers." + project + " names server " + hostNm + " twice");
          }
        }
        list.add(
            new Server(
                hostId(project, spec.hostNm()),
                spec.hostNm(),
                spec.svrIp(),
                project,
                spec.instanceId()));
      }
      byProject.put(project, List.copyOf(list));
    }
    return new ConfiguredServers(byProject);
  }

  /** The configured servers of {@code project}. */
  public List<Server> of(String project) {
    return byProject.getOrDefault(project, List.of());
  }

  static String hostId(String project, String hostNm) {
    return UUID.nameUUIDFromBytes(
            ("meridian-server\u0000" + project + "\u0000" + hostNm)
                .getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
