package dev.votingapp.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The ramp's levels and its knee: the highest arrival rate whose level stayed within the SLO before one did not. */
final class Knee {

  /** One level of the ramp, measured after its first seconds. */
  record Level(double arrivals, double postsPerSecond, long p50, long p99, double failedPercent, Sampler.Stretch app) {

    boolean within(double p99Limit, double failedLimit) {
      return p99 >= 0 && p99 < p99Limit && failedPercent < failedLimit;
    }

    String describe() {
      return String.format(Locale.ROOT, "%.0f voters/s: %.0f vote POSTs/s, p50 %d ms, p99 %d ms, failed %.2f%%, %s",
          arrivals, postsPerSecond, p50, p99, failedPercent, app.describe());
    }
  }

  private final List<Level> levels;
  private final Level knee;
  private final Level past;

  Knee(List<Level> levels, double p99Limit, double failedLimit) {
    this.levels = levels;
    Level within = null;
    Level beyond = null;
    for (Level level : levels) {
      if (level.within(p99Limit, failedLimit)) {
        within = level;
      } else {
        beyond = level;
        break;
      }
    }
    this.knee = within;
    this.past = beyond;
  }

  String headline() {
    if (knee == null) {
      return past == null ? "no level measured" : "even the first level missed the SLO (" + past.describe() + ")";
    }
    return String.format(Locale.ROOT, "knee at %.0f voters/s (%.0f vote POSTs/s, p99 %d ms)%s", knee.arrivals(),
        knee.postsPerSecond(), knee.p99(), past == null ? ", the SLO held up to the last level" : "");
  }

  List<String> table() {
    List<String> lines = new ArrayList<>();
    lines.add("| voters/s | vote POSTs/s | p50 ms | p99 ms | failed % | heap max MiB | GC pause ms | longest GC ms | queue max |");
    lines.add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Level level : levels) {
      lines.add(row(level) + (level == knee ? " ← knee" : level == past ? " ← past the SLO" : ""));
    }
    return lines;
  }

  private static String row(Level level) {
    Sampler.Stretch app = level.app();
    return String.format(Locale.ROOT, "| %.0f | %.0f | %d | %d | %.2f | %s | %s | %s | %s |", level.arrivals(), level.postsPerSecond(),
        level.p50(), level.p99(), level.failedPercent(), number(app.heapMaxBytes() / 1048576), number(app.gcPauseSeconds() * 1000),
        number(app.gcMaxSeconds() * 1000), number(app.queueMax()));
  }

  private static String number(double value) {
    return Double.isNaN(value) ? "n/a" : String.valueOf(Math.round(value));
  }

  /** Appends one section per run: date, machine, target, the knee and its neighbour. */
  void append(Path file, Run run) throws IOException {
    List<String> lines = new ArrayList<>();
    if (!Files.exists(file)) {
      lines.add("# Ramp results");
      lines.add("");
      lines.add("Appended by the `ramp` scenario (loadtest/run.sh ramp). The knee is the highest arrival rate of voters");
      lines.add("whose level kept the vote POST's p99 under " + (long) run.sloP99Ms + " ms and failures under "
          + run.sloFailedPercent + "%.");
      lines.add("");
    } else {
      lines.add("");
    }
    lines.add("## " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")) + ": " + headline());
    lines.add("");
    lines.add("- Machine: " + Machine.describe());
    lines.add("- Target: " + (run.config.isSet("stack") ? run.config.string("stack") + ", " : "") + run.voteUrl + " and " + run.resultUrl);
    lines.add(String.format(Locale.ROOT, "- Ramp: from %s voters/s, +%s every %s s; voters: %d%% change, %d%% repeat, %s POSTs at most each",
        run.config.string("ramp.start"), run.config.string("ramp.step"), run.config.string("ramp.level"),
        Math.round(run.changers * 100), Math.round(run.repeaters * 100), run.maxVotes));
    if (knee != null) {
      lines.add("- At the knee: " + knee.describe());
    }
    if (past != null) {
      lines.add("- Next level: " + past.describe());
    }
    lines.add("");
    lines.addAll(table());
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
