package dev.votingapp.result;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.VoteOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tally's text, as the reference result page words it, and its JSON. */
class TallyTest {

  @Test
  void theTotalReadsLikeTheReferencePage() {
    assertThat(Tally.votesText(0)).isEqualTo("No votes yet");
    assertThat(Tally.votesText(1)).isEqualTo("1 vote");
    assertThat(Tally.votesText(2)).isEqualTo("2 votes");
    assertThat(Tally.votesText(1_000_000)).isEqualTo("1000000 votes");
  }

  @Test
  void percentagesHaveOneDecimalRoundedHalfUp() {
    assertThat(Tally.percent(0, 0)).isEqualTo("0.0");
    assertThat(Tally.percent(1, 3)).isEqualTo("33.3");
    assertThat(Tally.percent(2, 3)).isEqualTo("66.7");
    assertThat(Tally.percent(1, 8)).isEqualTo("12.5");
    assertThat(Tally.percent(1, 1)).isEqualTo("100.0");
  }

  @Test
  void optionsWithoutVotesCountZeroAndOthersAreLeftOut() {
    Tally tally = Tally.of(new VoteOptions("Cats", "Dogs"), Map.of("b", 3L, "zzz", 9L));

    assertThat(tally.total()).isEqualTo(3);
    assertThat(tally.toJson()).isEqualTo(
        "{\"options\":[{\"id\":\"a\",\"label\":\"Cats\",\"votes\":0},{\"id\":\"b\",\"label\":\"Dogs\",\"votes\":3}],\"total\":3}");
    assertThat(Tally.fromJson(tally.toJson())).isEqualTo(tally);
  }
}
