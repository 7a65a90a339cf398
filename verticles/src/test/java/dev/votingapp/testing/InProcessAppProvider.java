package dev.votingapp.testing;

import io.vertx.junit5.ParameterClosingConsumer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxExtensionParameterProvider;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;

/**
 * Lets {@link VertxExtension} inject an {@link InProcessApp} as it injects a {@code Vertx}: one per test
 * when a {@code @BeforeEach} or {@code @Test} method asks for it, one per class when a {@code @BeforeAll}
 * method does, closed when that scope ends (registered in META-INF/services).
 */
public final class InProcessAppProvider implements VertxExtensionParameterProvider<InProcessApp> {

  @Override
  public Class<InProcessApp> type() {
    return InProcessApp.class;
  }

  @Override
  public String key() {
    return InProcessApp.class.getName();
  }

  @Override
  public InProcessApp newInstance(ExtensionContext extensionContext, ParameterContext parameterContext) {
    return Await.result(InProcessApp.start());
  }

  @Override
  public ParameterClosingConsumer<InProcessApp> parameterClosingConsumer() {
    return app -> Await.result(app.close());
  }
}
