package dev.votingapp.loadtest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The correctness check: the tally expected from what the clients were told against /api/results and
 * against the votes table. Pure: {@link #compute} takes what was read and returns the differences.
 *
 * <p>A voter is <em>certain</em> when its last POST got a 200: its row must hold exactly that option.
 * A voter whose last POST got no 200 (after the retries) is <em>uncertain</em>: it is left out of the
 * exact per-voter comparison and reported; its row must still be one of the options it may hold (the
 * last acknowledged one, or one sent after it), and no row is allowed only if nothing was acknowledged.
 * The expected tally counts the certain voters' options plus the uncertain voters as PostgreSQL holds
 * them (once their rows passed that check). Without PostgreSQL the tally of /api/results must equal the
 * expectation exactly when no voter is uncertain, and lie between the bounds the uncertain voters allow
 * otherwise.
 */
final class Verdict {

  static final int EXAMPLES = 10;

  /** What the check read. {@code pgRows} and {@code pgCounts} are null when PostgreSQL is not checked. */
  record Inputs(Map<String, Ledger.Voter> voters, String prefix, Tally resultsBaseline, Tally results,
                Tally pgBaseline, Map<String, String> pgRows, Tally pgCounts) {
  }

  record Outcome(boolean passed, long certain, long uncertain, long uncertainAbsent,
                 Tally expected, List<String> problems, List<String> notes) {

    String line() {
      return passed ? "PASS" : "FAIL: " + String.join("; ", problems);
    }
  }

  private Verdict() {
  }

  static Outcome compute(Inputs in) {
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<String, Long> certainCounts = new LinkedHashMap<>();
    in.resultsBaseline().votes().keySet().forEach(option -> certainCounts.put(option, 0L));
    Map<String, Long> uncertainPresent = new LinkedHashMap<>();
    Map<String, Long> uncertainMax = new LinkedHashMap<>();
    long certain = 0;
    long uncertain = 0;
    long uncertainAbsent = 0;
    long uncertainMayBeAbsent = 0;
    List<String> missing = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    List<String> implausible = new ArrayList<>();
    long missingCount = 0;
    long wrongCount = 0;
    long implausibleCount = 0;
    boolean pg = in.pgRows() != null;

    for (Map.Entry<String, Ledger.Voter> entry : in.voters().entrySet()) {
      String id = entry.getKey();
      Ledger.Voter voter = entry.getValue();
      if (voter.attempts() == 0) {
        continue;
      }
      String stored = pg ? in.pgRows().get(id) : null;
      if (voter.certain()) {
        certain++;
        String expected = voter.ackedOption();
        certainCounts.merge(expected, 1L, Long::sum);
        if (pg && stored == null) {
          missingCount++;
          if (missing.size() < EXAMPLES) {
            missing.add(id + " (told " + expected + ")");
          }
        } else if (pg && !stored.equals(expected)) {
          wrongCount++;
          if (wrong.size() < EXAMPLES) {
            wrong.add(id + " (told " + expected + ", stored " + stored + ")");
          }
        }
      } else {
        uncertain++;
        Set<String> allowed = voter.allowed();
        if (allowed.contains(null)) {
          uncertainMayBeAbsent++;
        }
        allowed.stream().filter(java.util.Objects::nonNull)
            .forEach(option -> uncertainMax.merge(option, 1L, Long::sum));
        if (pg) {
          if (stored == null) {
            uncertainAbsent++;
          } else {
            uncertainPresent.merge(stored, 1L, Long::sum);
          }
          if (!allowed.contains(stored)) {
            implausibleCount++;
            if (implausible.size() < EXAMPLES) {
              implausible.add(id + " (may hold " + describe(allowed) + ", stored " + (stored == null ? "nothing" : stored) + ")");
            }
          }
        }
      }
    }
    if (missingCount > 0) {
      problems.add("missing voters: " + missingCount + " acknowledged voters have no row, e.g. " + String.join(", ", missing));
    }
    if (wrongCount > 0) {
      problems.add("wrong choices: " + wrongCount + " rows differ from the last acknowledged vote, e.g. " + String.join(", ", wrong));
    }
    if (implausibleCount > 0) {
      problems.add("impossible rows: " + implausibleCount + " voters whose last vote was not acknowledged hold an option they never sent since their last acknowledged one, e.g. "
          + String.join(", ", implausible));
    }
    if (pg) {
      List<String> extra = new ArrayList<>();
      long extraCount = 0;
      for (Map.Entry<String, String> row : in.pgRows().entrySet()) {
        Ledger.Voter voter = in.voters().get(row.getKey());
        if (voter == null || voter.attempts() == 0) {
          extraCount++;
          if (extra.size() < EXAMPLES) {
            extra.add(row.getKey() + " (" + row.getValue() + ")");
          }
        }
      }
      if (extraCount > 0) {
        problems.add("extra voters: " + extraCount + " rows of this run's voters that no client sent, e.g. " + String.join(", ", extra));
      }
    }

    Tally expectedResults;
    if (pg) {
      Map<String, Long> ours = new LinkedHashMap<>(certainCounts);
      uncertainPresent.forEach((option, count) -> ours.merge(option, count, Long::sum));
      expectedResults = in.resultsBaseline().plus(ours).withLabels(in.results().labels());
      if (!in.results().sameCounts(expectedResults)) {
        problems.add("/api/results differs from the expected tally: " + in.results().minus(expectedResults)
            + " (got " + in.results() + ", expected " + expectedResults + ")");
      }
      if (in.pgCounts() != null && in.pgBaseline() != null) {
        Tally expectedPg = in.pgBaseline().plus(ours);
        if (!in.pgCounts().sameCounts(expectedPg)) {
          problems.add("PostgreSQL's count differs from the expected tally: " + in.pgCounts().minus(expectedPg)
              + " (counted " + in.pgCounts() + ", expected " + expectedPg + ")");
        }
        if (!in.pgCounts().sameCounts(in.results())) {
          problems.add("/api/results differs from PostgreSQL's count: " + in.results().minus(in.pgCounts()));
        }
      }
    } else {
      expectedResults = in.resultsBaseline().plus(certainCounts).withLabels(in.results().labels());
      if (uncertain == 0) {
        if (!in.results().sameCounts(expectedResults)) {
          problems.add("/api/results differs from the expected tally: " + in.results().minus(expectedResults)
              + " (got " + in.results() + ", expected " + expectedResults + ")");
        }
      } else {
        // Each option may gain at most the uncertain voters that may hold it; the total at least those that must exist.
        long low = expectedResults.total() + (uncertain - uncertainMayBeAbsent);
        long high = expectedResults.total() + uncertain;
        for (String option : in.results().votes().keySet()) {
          long least = expectedResults.get(option);
          long most = least + uncertainMax.getOrDefault(option, 0L);
          long got = in.results().get(option);
          if (got < least || got > most) {
            problems.add("/api/results " + option + " = " + got + ", outside " + least + ".." + most);
          }
        }
        if (in.results().total() < low || in.results().total() > high) {
          problems.add("/api/results total = " + in.results().total() + ", outside " + low + ".." + high);
        }
        notes.add("without PostgreSQL, " + uncertain + " uncertain voters make the /api/results check a range");
      }
      notes.add("PostgreSQL not checked (no pg.url, pg.host, pg.devlog or pg.command): /api/results only");
    }
    if (uncertain > 0) {
      notes.add(uncertain + " voters' last POST got no 200 after the retries: left out of the exact comparison"
          + (pg ? " (" + uncertainAbsent + " have no row, " + (uncertain - uncertainAbsent) + " have one; every row checked against what they sent)" : ""));
    }
    return new Outcome(problems.isEmpty(), certain, uncertain, uncertainAbsent, expectedResults, problems, notes);
  }

  private static String describe(Set<String> allowed) {
    List<String> names = new ArrayList<>();
    allowed.forEach(option -> names.add(option == null ? "nothing" : option));
    return String.join(" or ", names);
  }
}
