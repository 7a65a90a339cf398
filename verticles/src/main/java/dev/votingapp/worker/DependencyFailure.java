package dev.votingapp.worker;

import io.vertx.core.Future;
import java.util.function.Function;

/** Marks which dependency a failure came from, for metrics, logs and readiness. */
final class DependencyFailure extends RuntimeException {

  final String dependency;

  private DependencyFailure(String dependency, Throwable cause) {
    super(dependency + ": " + cause.getMessage(), cause, false, false);
    this.dependency = dependency;
  }

  /** For {@code future.recover(...)}: tags an untagged failure with the dependency. */
  static <T> Function<Throwable, Future<T>> of(String dependency) {
    return failure -> Future.failedFuture(
        failure instanceof DependencyFailure ? failure : new DependencyFailure(dependency, failure));
  }
}
