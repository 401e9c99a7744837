package io.meridian.node.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.meridian.protocol.scrape.ResultCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CatalogInputTest {

  private static final ScrapeSettings SETTINGS = ScrapeSettings.fromConfig(ConfigFactory.load());

  private static void assertBadInput(Runnable call, String fieldInMessage) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            ScrapeCatalogException.class,
            e -> assertThat(e.resultCode()).isEqualTo(ResultCode.BAD_INPUT_VALUE))
        .hasMessageContaining(fieldInMessage);
  }

  @Test
  void aJobGetsTheDefaultPathIntervalAndTimeout() {
    JobSpec job = CatalogInput.job(new JobSpec("node", null, null, 5, null), SETTINGS);

    assertThat(job).isEqualTo(new JobSpec("node", "/metrics", "", 5, 5));
  }

  @Test
  void badJobsNameTheirField() {
    assertBadInput(
        () -> CatalogInput.job(new JobSpec(null, null, null, null, null), SETTINGS), "jobName");
    assertBadInput(
        () -> CatalogInput.job(new JobSpec("  ", null, null, null, null), SETTINGS), "jobName");
    assertBadInput(
        () -> CatalogInput.job(new JobSpec("a\u0000b", null, null, null, null), SETTINGS),
        "jobName");
    assertBadInput(
        () -> CatalogInput.job(new JobSpec("x".repeat(101), null, null, null, null), SETTINGS),
        "jobName");
    assertBadInput(
        () -> CatalogInput.job(new JobSpec("n", "metrics", null, null, null), SETTINGS),
        "metricsPath");
    assertBadInput(
        () -> CatalogInput.job(new JobSpec("n", "/a b", null, null, null), SETTINGS),
        "metricsPath");
    assertBadInput(
        () -> CatalogInput.job(new JobSpec("n", null, null, 0, null), SETTINGS),
        "scrapeIntervalSec");
    assertBadInput(
        () -> CatalogInput.job(new JobSpec("n", null, null, 10, 11), SETTINGS), "scrapeTimeoutSec");
  }

  @Test
  void aQueryStringMayFollowThePath() {
    assertThat(
            CatalogInput.job(new JobSpec("n", "/federate?match[]=up", null, null, null), SETTINGS)
                .metricsPath())
        .isEqualTo("/federate?match[]=up");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.5", "::1", "fe80::1", "web-1.example.com", "localhost"})
  void serversTakeAddressesAndDnsNames(String address) {
    assertThat(CatalogInput.server(new ServerSpec("s", address, null)).svrIp()).isEqualTo(address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.256", "http://x", "a b", "-x", "1:2:3:zz::", ""})
  void badAddressesAreRefused(String address) {
    assertBadInput(() -> CatalogInput.server(new ServerSpec("s", address, null)), "svrIp");
  }

  @Test
  void portsAndMemberIdsAreChecked() {
    assertBadInput(() -> CatalogInput.target(new TargetSpec("h", 0, null)), "port");
    assertBadInput(() -> CatalogInput.target(new TargetSpec("h", 65536, null)), "port");
    assertBadInput(() -> CatalogInput.memberId("memberId", null, true), "memberId");
    assertBadInput(() -> CatalogInput.memberId("memberId", "not-a-uuid", true), "memberId");
    assertThat(CatalogInput.memberId("memberId", "6F9619FF-8B86-D011-B42D-00C04FC964FF", true))
        .isEqualTo("6f9619ff-8b86-d011-b42d-00c04fc964ff");
  }
}
