package io.meridian.ops.prometheus;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class its own {@link PrometheusServer} with the default configuration, started
 * before its first test and stopped when the class ends (the class-level store closes it), so a
 * failing test never leaves the process behind.
 *
 * <pre>{@code
 * @ExtendWith(PrometheusExtension.class)
 * class SomethingTest {
 *   @BeforeAll
 *   static void load(PrometheusServer prometheus) { ... }
 * }
 * }</pre>
 */
public final class PrometheusExtension implements BeforeAllCallback, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(PrometheusExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PrometheusServer.class;
  }

  @Override
  public PrometheusServer resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }

  private static PrometheusServer server(ExtensionContext context) {
    ExtensionContext classContext =
        context.getTestClass().isPresent() && context.getTestMethod().isPresent()
            ? context.getParent().orElseThrow()
            : context;
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            PrometheusServer.class.getName(),
            key -> new Running(PrometheusServer.start()),
            Running.class)
        .server();
  }

  /** Holds the server in the class-level store, which closes it when the class ends. */
  private record Running(PrometheusServer server)
      implements ExtensionContext.Store.CloseableResource {

    @Override
    public void close() {
      server.close();
    }
  }
}
