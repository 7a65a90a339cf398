package dev.votingapp.ops;

import java.time.Duration;

/** Histogram buckets for Micrometer, given in seconds as operators read them. */
public final class Buckets {

  private Buckets() {
  }

  /** For Timer.builder(...).serviceLevelObjectives(...). */
  public static Duration[] durations(double... seconds) {
    Duration[] durations = new Duration[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      durations[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
    }
    return durations;
  }

  /** For a DistributionStatisticConfig of a timer, whose values are nanoseconds. */
  static double[] seconds(double... seconds) {
    double[] nanos = new double[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      nanos[i] = seconds[i] * 1e9;
    }
    return nanos;
  }
}
