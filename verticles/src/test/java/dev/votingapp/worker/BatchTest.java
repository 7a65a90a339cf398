package dev.votingapp.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.store.VoteMessage;
import dev.votingapp.config.VoteOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worker's policy for a claimed batch: the latest vote per voter, on the one clock, bad messages aside. */
class BatchTest {

  private static final VoteOptions OPTIONS = new VoteOptions("Cats", "Dogs");
  private static final long CLAIMED_AT = 1_700_000_000_000_000L;

  @Test
  void onlyTheLatestVoteOfEachVoterIsWrittenAndTiesGoToTheLaterMessage() {
    Batch batch = Batch.parse(new Claim(CLAIMED_AT, List.of(
        json("v1", "a", 10), json("v1", "b", 30), json("v1", "a", 20),
        json("v2", "a", 5), json("v2", "b", 5))), OPTIONS);

    assertThat(batch.votes()).containsExactly(new VoteMessage("v1", "b", 30), new VoteMessage("v2", "b", 5));
    assertThat(batch.valid()).isEqualTo(5);
    assertThat(batch.messages()).isEqualTo(5);
    assertThat(batch.dead()).isEmpty();
  }

  @Test
  void aTimeLaterThanTheClaimIsSetBackToTheClaim() {
    Batch batch = Batch.parse(new Claim(CLAIMED_AT, List.of(json("v1", "a", CLAIMED_AT + 360_000_000L))), OPTIONS);

    assertThat(batch.votes()).containsExactly(new VoteMessage("v1", "a", CLAIMED_AT));
    assertThat(batch.clamped()).isEqualTo(1);
  }

  @Test
  void aMessageWithoutTimeGetsTheClaimsInstant() {
    Batch batch = Batch.parse(new Claim(CLAIMED_AT, List.of("{\"voter_id\":\"v1\",\"vote\":\"a\"}")), OPTIONS);

    assertThat(batch.votes()).containsExactly(new VoteMessage("v1", "a", CLAIMED_AT));
    assertThat(batch.clamped()).isZero();
  }

  @Test
  void badMessagesBecomeDeadLettersWithTheirReasonAndTheRestIsWritten() {
    Batch batch = Batch.parse(new Claim(CLAIMED_AT, List.of("oops", json("v1", "c", 1), json("v2", "a", 1))), OPTIONS);

    assertThat(batch.votes()).containsExactly(new VoteMessage("v2", "a", 1));
    assertThat(batch.dead()).extracting(Batch.DeadLetter::reason).containsExactly("not_json", "unknown_option");
    assertThat(batch.dead().get(0).toJson("w1")).contains("\"worker\":\"w1\"", "\"message\":\"oops\"");
  }

  private static String json(String voter, String vote, long ts) {
    return new VoteMessage(voter, vote, ts).toJson();
  }
}
