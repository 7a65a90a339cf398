package dev.votingapp.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Runs after the last test of the JVM (registered in META-INF/services): drops the test database and
 * stops embedded servers and containers, while the JVM is still fully alive (a shutdown hook is too late).
 */
public final class ReleaseTestServers implements LauncherSessionListener {

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    TestServers.releaseAll();
  }
}
