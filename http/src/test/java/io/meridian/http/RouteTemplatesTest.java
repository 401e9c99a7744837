package io.meridian.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Request paths become a bounded set of route templates: ids, names, projects and versions are
 * replaced by placeholders, and every path no API serves is "other".
 */
class RouteTemplatesTest {

  @Test
  void openTsdbEndpointsWithAndWithoutTheirVersion() {
    assertThat(RouteTemplates.of("/api/put")).isEqualTo("/api/put");
    assertThat(RouteTemplates.of("/api/put/")).isEqualTo("/api/put");
    assertThat(RouteTemplates.of("/api/v2/put")).isEqualTo("/api/{version}/put");
    assertThat(RouteTemplates.of("/api/query/last")).isEqualTo("/api/query/last");
    assertThat(RouteTemplates.of("/api/uid/assign")).isEqualTo("/api/uid/assign");
    assertThat(RouteTemplates.of("/api/uid/tsmeta")).isEqualTo("/api/uid/{endpoint}");
    assertThat(RouteTemplates.of("/api/search/lookup")).isEqualTo("/api/search/lookup");
    assertThat(RouteTemplates.of("/api/search/tsmeta")).isEqualTo("/api/search/{type}");
  }

  @Test
  void prometheusEndpointsAtEveryPrefixWithTheProjectReplaced() {
    assertThat(RouteTemplates.of("/prometheus/api/v1/query_range"))
        .isEqualTo("/prometheus/api/v1/query_range");
    assertThat(RouteTemplates.of("/prometheus/projects/internal/api/v1/query"))
        .isEqualTo("/prometheus/projects/{project}/api/v1/query");
    assertThat(RouteTemplates.of("/api/v1/write")).isEqualTo("/api/v1/write");
    assertThat(RouteTemplates.of("/api/v1/query")).isEqualTo("/api/v1/query");
    assertThat(RouteTemplates.of("/prometheus/api/v1/label/job/values"))
        .isEqualTo("/prometheus/api/v1/label/{name}/values");
  }

  @Test
  void nativeLogAndOpenMetricsResourcesWithTheirIdsReplaced() {
    assertThat(RouteTemplates.of("/metrics")).isEqualTo("/metrics");
    assertThat(RouteTemplates.of("/v1/keys/key_123/rotate")).isEqualTo("/v1/keys/{id}/rotate");
    assertThat(RouteTemplates.of("/clients/mc_9")).isEqualTo("/clients/{id}");
    assertThat(RouteTemplates.of("/v1/cluster/members")).isEqualTo("/v1/cluster/members");
    assertThat(RouteTemplates.of("/v1/cluster/members/pekko://meridian@10.0.0.5:25520"))
        .isEqualTo("/v1/cluster/members/{address}");
    assertThat(RouteTemplates.of("/v1/log_excerpts/2024-01-01T00:00:00Z/now"))
        .isEqualTo("/v1/log_excerpts/{from}/{to}");
    assertThat(RouteTemplates.of("/v1.0/projects/p1/jobs/j-1/targets/t-2"))
        .isEqualTo("/v1.0/projects/{project}/jobs/{job}/targets/{target}");
    assertThat(RouteTemplates.of("/")).isEqualTo("/");
  }

  @Test
  void pathsNoApiServesAreOther() {
    for (String path :
        new String[] {
          "",
          "/nowhere",
          "/api",
          "/api/nowhere",
          "/api/vx/put",
          "/api/put/extra",
          "/prometheus/projects//api/v1/query",
          "/prometheus/api/v2/query",
          "/v1/keys/a/b/c",
          "//api/put",
          "/wp-login.php"
        }) {
      assertThat(RouteTemplates.of(path)).as(path).isEqualTo(RouteTemplates.OTHER);
    }
  }
}
