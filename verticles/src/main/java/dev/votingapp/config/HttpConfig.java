package dev.votingapp.config;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports and connection timing of the HTTP servers.
 *
 * @param votePort           VOTE_PORT: the ballot (public)
 * @param resultPort         RESULT_PORT: the results page and its WebSocket (public)
 * @param managementPort     MANAGEMENT_PORT: /health, /ready and /metrics of the whole process; never
 *                           published, only for probes and Prometheus
 * @param idleTimeoutSeconds HTTP_IDLE_TIMEOUT_SECONDS: a connection with no traffic for this long is
 *                           closed; WebSocket clients are pinged well within it, so they stay
 * @param drainSeconds       SHUTDOWN_DRAIN_SECONDS: on SIGTERM, how long /ready answers 503 while the
 *                           public ports still serve, so load balancers stop sending traffic first
 * @param warmUpSeconds      WARMUP_SECONDS: before a vote or result process reports ready, how long it
 *                           drives its own request path on loopback so the JIT has compiled it; a worker
 *                           on an empty queue runs rolled-back batches, at most 5 s (0: off)
 */
public record HttpConfig(int votePort, int resultPort, int managementPort, int idleTimeoutSeconds, int drainSeconds,
    int warmUpSeconds) {

  public static final int DEFAULT_MANAGEMENT_PORT = 8081;

  private static final AtomicInteger SHARED_RANDOM_PORTS = new AtomicInteger();

  /**
   * For a role deployed as several instances (one per core): a public port of 0, "any free port", becomes
   * one random port that all of them share (Vert.x shares a negative port among the servers that name
   * it), instead of one random port each.
   */
  public HttpConfig sharedAcrossInstances() {
    int shared = -SHARED_RANDOM_PORTS.incrementAndGet();
    return new HttpConfig(votePort == 0 ? shared : votePort, resultPort == 0 ? shared : resultPort,
        managementPort, idleTimeoutSeconds, drainSeconds, warmUpSeconds);
  }
}
