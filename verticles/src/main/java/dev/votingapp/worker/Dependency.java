package dev.votingapp.worker;

import java.util.Locale;

/** What the worker depends on; every failure names one, for readiness, logs and metrics. */
enum Dependency {
  REDIS,
  POSTGRES;

  /** The metric tag and readiness name: "redis", "postgres". */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
