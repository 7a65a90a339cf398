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

/**
 * The ramp's levels and its knee: the highest arrival rate whose level stayed within the SLO before one
 * did not. A level where the kit itself fell behind ({@link KitHealth#bottleneck}) ends the ramp
 * without a knee: what it measured was the kit's limit, not the app's.
 */
final class Knee {

  /** One level of the ramp, measured after its first seconds. */
  record Level(double arrivals, double started, double postsPerSecond, long p50, long p99, double failedPercent,
               Sampler.Stretch app, long lagP99, KitHealth.Stretch kit, String kitBound, String loadAverage) {

    boolean within(double p99Limit, double failedLimit) {
      return kitBound == null && p99 >= 0 && p99 < p99Limit && failedPercent < failedLimit;
    }

    String describe() {
      return String.format(Locale.ROOT, "%.0f voters/s: %.0f vote POSTs/s, p50 %d ms, p99 %d ms, failed %.2f%%; app: %s; "
              + "kit: arrival lag p99 %d ms, %s%s",
          arrivals, postsPerSecond, p50, p99, failedPercent, app.describe(), lagP99, kit.describe(),
          kitBound == null ? "" : "; THE KIT WAS THE BOTTLENECK: " + kitBound);
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

  /** True when the ramp ended because the kit could not keep up: the knee, if any, is a lower bound. */
  boolean kitBound() {
    return past != null && past.kitBound() != null;
  }

  String headline() {
    if (kitBound()) {
      return String.format(Locale.ROOT, "no knee: the kit could not keep up at %.0f voters/s (%s)%s", past.arrivals(), past.kitBound(),
          knee == null ? "" : String.format(Locale.ROOT, "; the app held the SLO up to %.0f voters/s (%.0f vote POSTs/s, p99 %d ms) at least",
              knee.arrivals(), knee.postsPerSecond(), knee.p99()));
    }
    if (knee == null) {
      return past == null ? "no level measured" : "even the first level missed the SLO (" + past.describe() + ")";
    }
    return String.format(Locale.ROOT, "knee at %.0f voters/s (%.0f vote POSTs/s, p99 %d ms, kit CPU %.2f cores)%s", knee.arrivals(),
        knee.postsPerSecond(), knee.p99(), knee.kit().cores(), past == null ? ", the SLO held up to the last level" : "");
  }

  List<String> table() {
    List<String> lines = new ArrayList<>();
    lines.add("| voters/s | started/s | vote POSTs/s | p50 ms | p99 ms | failed % | app CPU cores | heap max MiB | GC pause ms "
        + "| queue max | kit CPU cores | kit GC ms | arrival lag p99 ms | connection errors | load average | |");
    lines.add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for (Level level : levels) {
      String mark = level == knee ? (kitBound() ? " held (a lower bound) |" : " knee |")
          : level == past ? (level.kitBound() != null ? " kit-bound |" : " past the SLO |") : " |";
      lines.add(row(level) + mark);
    }
    return lines;
  }

  private static String row(Level level) {
    Sampler.Stretch app = level.app();
    KitHealth.Stretch kit = level.kit();
    return String.format(Locale.ROOT, "| %.0f | %.0f | %.0f | %d | %d | %.2f | %s | %s | %s | %s | %s | %d | %d | %d | %s |", level.arrivals(),
        level.started(), level.postsPerSecond(), level.p50(), level.p99(), level.failedPercent(), cores(app.cores()),
        number(app.heapMaxBytes() / 1048576), number(app.gcPauseSeconds() * 1000), number(app.queueMax()), cores(kit.cores()),
        kit.gcMillis(), level.lagP99(), kit.connectErrors(), level.loadAverage());
  }

  private static String cores(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String number(double value) {
    return Double.isNaN(value) ? "n/a" : String.valueOf(Math.round(value));
  }

  /** Appends one section per run: date, machine, target, the knee and its neighbour. */
  void append(Path file, Run run, String command) throws IOException {
    List<String> lines = new ArrayList<>();
    if (!Files.exists(file)) {
      lines.add("# Ramp results");
      lines.add("");
      lines.add("Appended by the `ramp` scenario (loadtest/run.sh ramp). The knee is the highest arrival rate of voters");
      lines.add("whose level kept the vote POST's p99 under " + (long) run.sloP99Ms + " ms and failures under "
          + run.sloFailedPercent + "%, with the kit keeping its schedule.");
      lines.add("");
    } else {
      lines.add("");
    }
    lines.add("## " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")) + ": " + headline());
    lines.add("");
    lines.add("- Command: `" + command + "`");
    lines.add("- Machine: " + Machine.describe());
    lines.add("- Target: " + (run.config.isSet("stack") ? run.config.string("stack") + ", " : "") + run.voteUrl + " and " + run.resultUrl);
    lines.add(String.format(Locale.ROOT, "- Ramp: from %s voters/s, +%s every %s s; voters: %d%% change, %d%% repeat, %s POSTs at most each,"
            + " each with its own connection and cookie, %s; %d injector(s)",
        run.config.string("ramp.start"), run.config.string("ramp.step"), run.config.string("ramp.level"),
        Math.round(run.changers * 100), Math.round(run.repeaters * 100), run.maxVotes,
        run.ballot ? "loading the ballot first" : "without the ballot", run.injectorCount));
    if (knee != null) {
      lines.add((kitBound() ? "- Last level the kit drove within its limits: " : "- At the knee: ") + knee.describe());
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
