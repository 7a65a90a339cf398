package dev.votingapp.result;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How long a change waits after a push: short for a small audience, longer as a push costs more messages. */
class PushGapTest {

  @ParameterizedTest(name = "{0} viewers: {1} ms")
  @CsvSource({"0, 10", "200, 10", "1000, 50", "2000, 100", "5000, 250", "20000, 250", "1000000, 250"})
  void theGapGrowsWithTheViewers(int viewers, long gapMs) {
    assertThat(TallyFeed.pushGapMs(viewers)).isEqualTo(gapMs);
  }
}
