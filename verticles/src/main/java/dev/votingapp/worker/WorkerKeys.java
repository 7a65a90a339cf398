package dev.votingapp.worker;

import dev.votingapp.store.VoteClock;
import java.util.UUID;

/**
 * What the worker as a whole ({@link WorkQueue}) and each of its lanes ({@link LaneQueue}) share: the
 * names of the worker's keys in Redis, and the token that proves to the scripts that this process holds
 * the worker id. Key names: {@code <queue>:processing:<worker>:<lane>}, {@code <queue>:worker:<worker>}
 * (heartbeat), {@code <queue>:processing} (the registry), {@code <queue>:dead}, {@code <queue>:clock}.
 *
 * @param token random per process: a second process started with the same WORKER_ID has another one
 */
record WorkerKeys(String queue, String workerId, String token) {

  WorkerKeys(String queue, String workerId) {
    this(queue, workerId, UUID.randomUUID().toString());
  }

  String processingList(int lane) {
    return processingPrefix() + workerId + ":" + lane;
  }

  /** Every processing list's name starts with this, then the owner's worker id. */
  String processingPrefix() {
    return queue + ":processing:";
  }

  String heartbeat() {
    return heartbeatOf(workerId);
  }

  String heartbeatOf(String worker) {
    return queue + ":worker:" + worker;
  }

  String registry() {
    return queue + ":processing";
  }

  String deadLetters() {
    return queue + ":dead";
  }

  String clock() {
    return VoteClock.key(queue);
  }
}
