package dev.votingapp.config;

/**
 * The worker's settings.
 *
 * @param id          WORKER_ID: names this worker's processing lists and heartbeat in Redis. While a
 *                    live process holds it, another process with the same id waits; the default, host
 *                    name and process id, is unique on a shared host
 * @param batchSize   WORKER_BATCH_SIZE: votes claimed and written per batch
 * @param concurrency WORKER_CONCURRENCY: batches in flight at once, each with its own processing list
 * @param timeoutMs   WORKER_TIMEOUT_MS: the deadline of every Redis command and PostgreSQL write; a
 *                    connection that misses it is closed and the batch retried, so a black-holed
 *                    connection cannot hang a lane
 * @param lingerMs    WORKER_LINGER_MS: after committing a batch, a lane claims again no sooner than this
 *                    long after its last claim, so votes arriving meanwhile share one transaction; another
 *                    lane waiting on an empty queue still takes a vote at once (0: back to back)
 */
public record WorkerConfig(String id, int batchSize, int concurrency, int timeoutMs, int lingerMs) {
}
