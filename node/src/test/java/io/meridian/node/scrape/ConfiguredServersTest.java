package io.meridian.node.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.meridian.protocol.scrape.Server;
import org.junit.jupiter.api.Test;

class ConfiguredServersTest {

  @Test
  void serversGetAStableHostIdPerProjectAndName() {
    ConfiguredServers servers =
        ConfiguredServers.fromConfig(
            ConfigFactory.parseString(
                    "meridian.scrape.servers { \"team.a\" = [ { hostNm = web-1, svrIp ="
                        + " \"10.0.0.5\", instanceId = i-1 } ], b = [ { hostNm = web-1, svrIp ="
                        + " \"::1\" } ] }")
                .withFallback(ConfigFactory.load()));

    Server a = servers.of("team.a").get(0);
    assertThat(a.hostNm()).isEqualTo("web-1");
    assertThat(a.instanceId()).isEqualTo("i-1");
    assertThat(a.hostId()).isEqualTo(ConfiguredServers.hostId("team.a", "web-1"));
    assertThat(servers.of("b").get(0).hostId()).isNotEqualTo(a.hostId());
    assertThat(servers.of("c")).isEmpty();
  }

  @Test
  void aBadEntryStopsTheNodeFromStartingWithItsPath() {
    assertThatThrownBy(
            () ->
                ConfiguredServers.fromConfig(
                    ConfigFactory.parseString(
                            "meridian.scrape.servers { p = [ { hostNm = web-1, svrIp = \"a b\" } ]"
                                + " }")
                        .withFallback(ConfigFactory.load())))
        .hasMessageContaining("meridian.scrape.servers.p")
        .hasMessageContaining("svrIp");
  }
}
