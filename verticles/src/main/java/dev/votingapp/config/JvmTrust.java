package dev.votingapp.config;

import io.vertx.core.net.JksOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JVM's own trusted CAs (its cacerts), for servers with a publicly signed certificate. */
final class JvmTrust {

  private JvmTrust() {
  }

  static TrustOptions options() {
    Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    if (!Files.isReadable(cacerts)) {
      throw new IllegalStateException("no CA file given and the JVM has no readable cacerts at " + cacerts);
    }
    return new JksOptions().setPath(cacerts.toString()).setPassword("changeit");
  }
}
