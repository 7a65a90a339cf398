package dev.votingapp.worker;

import io.vertx.core.Future;
import java.util.function.Function;

/** A step failed because a dependency did; the batch stays claimed and is retried. */
final class DependencyFailure extends RuntimeException {

  final Dependency dependency;

  private DependencyFailure(Dependency dependency, Throwable cause) {
    super(dependency.label() + ": " + cause.getMessage(), cause, false, false);
    this.dependency = dependency;
  }

  /** For {@code future.recover(...)}: tags an untagged failure with the dependency. */
  static <T> Function<Throwable, Future<T>> of(Dependency dependency) {
    return failure -> Future.failedFuture(failure instanceof DependencyFailure || failure instanceof LostHeartbeat
        ? failure : new DependencyFailure(dependency, failure));
  }
}
