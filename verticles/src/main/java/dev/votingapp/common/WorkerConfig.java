package dev.votingapp.common;

/**
 * The worker's settings.
 *
 * @param id          WORKER_ID: names this worker's processing lists and heartbeat in Redis. It must be
 *                    unique among live workers and stable across a restart for the worker to recover
 *                    its own lists first; the default, host name and process id, is stable in a
 *                    container (the JVM is process 1) and unique on a shared host
 * @param batchSize   WORKER_BATCH_SIZE: votes claimed and written per batch
 * @param concurrency WORKER_CONCURRENCY: batches in flight at once, each with its own processing list
 */
public record WorkerConfig(String id, int batchSize, int concurrency) {
}
