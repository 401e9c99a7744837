package io.meridian.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.junit.jupiter.api.Test;

/** The first registered family serving a path answers for it; other paths get the plain one. */
class ApiFamiliesTest {

  private record Prefix(String prefix) implements ApiFamily {
    @Override
    public boolean serves(String path) {
      return path.startsWith(prefix);
    }

    @Override
    public HttpResponse unavailable(String message, String details) {
      return HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE).withEntity(prefix);
    }

    @Override
    public HttpResponse refused(ProjectAccessException refusal) {
      return HttpResponse.create().withStatus(refusal.status()).withEntity(prefix);
    }
  }

  private final ApiFamily prometheus = new Prefix("/api/v1/query");
  private final ApiFamily openTsdb = new Prefix("/api");
  private final ApiFamilies families =
      new ApiFamilies(List.of(prometheus, openTsdb), Duration.ofSeconds(2));

  @Test
  void theFirstFamilyServingAPathAnswersForIt() {
    assertThat(families.forPath("/api/v1/query_range")).isSameAs(prometheus);
    assertThat(families.forPath("/api/put")).isSameAs(openTsdb);
  }

  @Test
  void aPathOfNoFamilyGetsPlainJsonWithRetryAfter() {
    HttpResponse response = families.forPath("/metrics").unavailable("busy", null);

    assertThat(response.status()).isEqualTo(StatusCodes.SERVICE_UNAVAILABLE);
    assertThat(response.getHeader("Retry-After").map(h -> h.value())).hasValue("2");
    assertThat(response.entity().getContentType().toString()).isEqualTo("application/json");
    assertThat(((HttpEntity.Strict) response.entity()).getData().utf8String())
        .isEqualTo("{\"error\":{\"code\":503,\"message\":\"busy\"}}");
  }
}
