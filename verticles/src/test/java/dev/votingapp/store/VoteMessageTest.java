package dev.votingapp.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.VoteOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The queue message's format, read and written in one place. */
class VoteMessageTest {

  private static final VoteOptions OPTIONS = new VoteOptions("Cats", "Dogs");

  @Test
  void aMessageOfOursReadsBackAsItWasWritten() {
    VoteMessage vote = new VoteMessage("voter-1", "b", 1_732_900_000_123_456L);

    VoteMessage.Parsed parsed = VoteMessage.parse(vote.toJson(), OPTIONS);

    assertThat(parsed.isVote()).isTrue();
    assertThat(parsed.vote()).isEqualTo(vote);
  }

  @Test
  void theReferenceFormatHasNoTimestamp() {
    VoteMessage.Parsed parsed = VoteMessage.parse("{\"voter_id\":\"4a7f9c2e1b3d5f60\",\"vote\":\"a\"}", OPTIONS);

    assertThat(parsed.vote()).isEqualTo(new VoteMessage("4a7f9c2e1b3d5f60", "a", VoteMessage.NO_TIMESTAMP));
    assertThat(parsed.vote().hasTimestamp()).isFalse();
  }

  @Test
  void thePushScriptCompletesTheMessageWithTheClocksInstant() {
    String message = VoteMessage.withoutTimestamp("v\"1", "a") + 1_700_000_000_000_001L + "}";

    assertThat(new JsonObject(message).getString("voter_id")).isEqualTo("v\"1");
    assertThat(VoteMessage.parse(message, OPTIONS).vote()).isEqualTo(new VoteMessage("v\"1", "a", 1_700_000_000_000_001L));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @CsvSource(delimiter = '|', value = {
      "not json                                       | not_json",
      "[1,2]                                          | not_an_object",
      "\"a string\"                                   | not_an_object",
      "{\"vote\":\"a\"}                               | missing_voter_id",
      "{\"voter_id\":\"\",\"vote\":\"a\"}             | missing_voter_id",
      "{\"voter_id\":7,\"vote\":\"a\"}                | missing_voter_id",
      "{\"voter_id\":\"a\\u0007b\",\"vote\":\"a\"}    | bad_voter_id",
      "{\"voter_id\":\"v\"}                           | missing_vote",
      "{\"voter_id\":\"v\",\"vote\":1}                | missing_vote",
      "{\"voter_id\":\"v\",\"vote\":\"Cats\"}         | unknown_option",
      "{\"voter_id\":\"v\",\"vote\":\"a\",\"ts\":-1}  | bad_timestamp",
      "{\"voter_id\":\"v\",\"vote\":\"a\",\"ts\":1.5} | bad_timestamp",
      "{\"voter_id\":\"v\",\"vote\":\"a\",\"ts\":\"x\"} | bad_timestamp",
  })
  void aMessageThatIsNotAVoteSaysWhy(String message, String reason) {
    VoteMessage.Parsed parsed = VoteMessage.parse(message, OPTIONS);

    assertThat(parsed.isVote()).isFalse();
    assertThat(parsed.reason()).isEqualTo(reason);
    assertThat(parsed.detail()).isNotBlank();
  }

  @Test
  void voterIdsAndMessagesHaveALimit() {
    String longId = new JsonObject().put("voter_id", "x".repeat(256)).put("vote", "a").encode();
    String huge = new JsonObject().put("voter_id", "v").put("vote", "a").put("pad", "p".repeat(5_000)).encode();

    assertThat(VoteMessage.parse(longId, OPTIONS).reason()).isEqualTo("bad_voter_id");
    assertThat(VoteMessage.parse(huge, OPTIONS).reason()).isEqualTo("too_large");
  }
}
