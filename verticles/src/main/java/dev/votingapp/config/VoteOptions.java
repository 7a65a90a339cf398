package dev.votingapp.config;

import java.util.List;
import java.util.Optional;

/** The two options on the ballot: ids "a" and "b" (fixed by the reference app), labels from OPTION_A/OPTION_B. */
public record VoteOptions(String labelA, String labelB) {

  public record Option(String id, String label) {
  }

  public List<Option> all() {
    return List.of(new Option("a", labelA), new Option("b", labelB));
  }

  public Optional<Option> byId(String id) {
    return all().stream().filter(option -> option.id().equals(id)).findFirst();
  }

  /** "Cats vs Dogs!", the title of both pages. */
  public String title() {
    return labelA + " vs " + labelB + "!";
  }
}
