package dev.votingapp.result;

import dev.votingapp.config.Config;
import dev.votingapp.ops.Management;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Deploys the result service in a process: its one {@link TallyFeed}, then {@code instances}
 * {@link ResultVerticle}s (one per core in production), which share the port, the viewers' cap, the
 * meters and the tally's status as the feed judged it last.
 */
public final class ResultService {

  private final List<ResultVerticle> verticles = new ArrayList<>();

  private ResultService() {
  }

  public static Future<ResultService> deploy(Vertx vertx, Config config, Management management, int instances) {
    Config shared = config.with(config.http().sharedAcrossInstances());
    ClientSlots slots = new ClientSlots(config.result().maxClients());
    AtomicReference<Freshness.Status> status = new AtomicReference<>();
    ResultMetrics metrics = new ResultMetrics(management.registry(), slots, status);
    ResultService service = new ResultService();
    return vertx.deployVerticle(new TallyFeed(config, management, metrics, slots, status))
        .compose(feed -> vertx.deployVerticle(() -> {
          ResultVerticle verticle = new ResultVerticle(shared, metrics, slots, status);
          synchronized (service.verticles) {
            service.verticles.add(verticle);
          }
          return verticle;
        }, new DeploymentOptions().setInstances(instances)))
        .map(deployed -> service);
  }

  /**
   * The push path without a change, for the launcher's warm-up on its throwaway Vert.x: the current
   * tally handed to every event loop's viewers as a change would be (a real change is what a warm-up
   * cannot make). Fails until the feed has read a tally.
   */
  public static Future<Void> pushAgain(Vertx vertx) {
    return vertx.eventBus().<String>request(TallyFeed.CURRENT, "").map(current -> {
      vertx.eventBus().publish(TallyFeed.ADDRESS, current.body());
      return null;
    });
  }

  /** The port the instances share (differs from RESULT_PORT when that is 0). */
  public int port() {
    synchronized (verticles) {
      return verticles.get(0).actualPort();
    }
  }
}
