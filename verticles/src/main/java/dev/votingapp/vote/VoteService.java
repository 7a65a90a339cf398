package dev.votingapp.vote;

import dev.votingapp.config.Config;
import dev.votingapp.ops.Management;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** Deploys the vote service in a process: {@code instances} {@link VoteVerticle}s (one per core) sharing the port. */
public final class VoteService {

  private final List<VoteVerticle> verticles = new ArrayList<>();

  private VoteService() {
  }

  public static Future<VoteService> deploy(Vertx vertx, Config config, Management management, int instances) {
    Config shared = config.with(config.http().sharedAcrossInstances());
    VoteService service = new VoteService();
    return vertx.deployVerticle(() -> {
      VoteVerticle verticle = new VoteVerticle(shared, management);
      synchronized (service.verticles) {
        service.verticles.add(verticle);
      }
      return verticle;
    }, new DeploymentOptions().setInstances(instances)).map(deployed -> service);
  }

  /** The port the instances share (differs from VOTE_PORT when that is 0). */
  public int port() {
    synchronized (verticles) {
      return verticles.get(0).actualPort();
    }
  }
}
