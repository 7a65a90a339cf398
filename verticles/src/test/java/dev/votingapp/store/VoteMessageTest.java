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

  /**
   * The plain reader (the vote service's own format, without a JSON parser) answers exactly as the JSON
   * parser does, or leaves the message to it: checked on our format and on thousands of mutations of it
   * (characters inserted, dropped, replaced; escapes, spaces, quotes, digits), seeded so a failure repeats.
   */
  @Test
  void thePlainReaderAgreesWithTheJsonParserOnEveryMessage() {
    java.util.Random random = new java.util.Random(42);
    String alphabet = "\"\\{}:,. 0123456789abAB-_tsvoeridé\u0007\ud83d\ude00";
    java.util.List<String> messages = new java.util.ArrayList<>(java.util.List.of(
        "{\"voter_id\":\"v1\",\"vote\":\"a\",\"ts\":1700000000000001}",
        "{\"voter_id\":\"v1\",\"vote\":\"b\",\"ts\":0}",
        "{\"voter_id\":\"v1\",\"vote\":\"a\",\"ts\":01}",
        "{\"voter_id\":\"v1\",\"vote\":\"a\",\"ts\":1234567890123456789}",
        "{\"voter_id\":\"v\\\"1\",\"vote\":\"a\",\"ts\":5}",
        "{\"voter_id\":\"" + "x".repeat(256) + "\",\"vote\":\"a\",\"ts\":5}",
        "{\"voter_id\":\"" + "x".repeat(255) + "\",\"vote\":\"a\",\"ts\":5}",
        "{\"voter_id\":\"\",\"vote\":\"a\",\"ts\":5}",
        "{\"voter_id\":\"v1\",\"vote\":\"Cats\",\"ts\":5}"));
    for (int n = 0; n < 20_000; n++) {
      StringBuilder message = new StringBuilder(VoteMessage.withoutTimestamp("voter-" + random.nextInt(1000), random.nextBoolean() ? "a" : "b")
          + (1_700_000_000_000_000L + random.nextInt(1_000_000)) + "}");
      for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
        int at = random.nextInt(message.length());
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(3)) {
          case 0 -> message.insert(at, c);
          case 1 -> message.deleteCharAt(at);
          default -> message.setCharAt(at, c);
        }
      }
      messages.add(message.toString());
    }
    int plain = 0;
    for (String message : messages) {
      VoteMessage fast = VoteMessage.plain(message, OPTIONS);
      VoteMessage.Parsed json = VoteMessage.parseJson(message, OPTIONS);
      if (fast != null) {
        plain++;
        assertThat(json.vote()).as(message).isEqualTo(fast);
      }
      assertThat(VoteMessage.parse(message, OPTIONS)).as(message).isEqualTo(json);
    }
    assertThat(plain).as("messages the plain reader took").isGreaterThan(1_000);
  }
}
