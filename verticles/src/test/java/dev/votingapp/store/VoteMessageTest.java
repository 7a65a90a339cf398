package dev.votingapp.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.VoteOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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

  /** Written by hand for the common case: the same text as the JSON encoder's, whatever the characters. */
  @Test
  void theMessageIsTheJsonEncodersTextForEveryKindOfId() {
    for (String id : List.of("4a7f9c2e1b3d5f60", "lt-1-2_x", "v\"1", "a\\b", "tab\there", "caf\u00e9", "\u007f~ !")) {
      String expected = new JsonObject().put("voter_id", id).put("vote", "a").encode();
      String message = VoteMessage.withoutTimestamp(id, "a");
      assertThat(message).isEqualTo(expected.substring(0, expected.length() - 1) + ",\"ts\":");
    }
  }

  /** Messages that are not votes, by the reason {@link VoteMessage#parse} must give. */
  private static final Map<VoteMessage.Invalid, List<String>> NOT_VOTES = Map.of(
      VoteMessage.Invalid.NOT_JSON, List.of("not json", "{\"voter_id\":\"v\",\"vote\":\"a\""),
      VoteMessage.Invalid.NOT_AN_OBJECT, List.of("[1,2]", "\"a string\"", "7"),
      VoteMessage.Invalid.MISSING_VOTER_ID, List.of("{\"vote\":\"a\"}", "{\"voter_id\":\"\",\"vote\":\"a\"}", "{\"voter_id\":7,\"vote\":\"a\"}"),
      VoteMessage.Invalid.BAD_VOTER_ID, List.of("{\"voter_id\":\"a\\u0007b\",\"vote\":\"a\"}"),
      VoteMessage.Invalid.MISSING_VOTE, List.of("{\"voter_id\":\"v\"}", "{\"voter_id\":\"v\",\"vote\":1}"),
      VoteMessage.Invalid.UNKNOWN_OPTION, List.of("{\"voter_id\":\"v\",\"vote\":\"Cats\"}"),
      VoteMessage.Invalid.BAD_TIMESTAMP, List.of("{\"voter_id\":\"v\",\"vote\":\"a\",\"ts\":-1}",
          "{\"voter_id\":\"v\",\"vote\":\"a\",\"ts\":1.5}", "{\"voter_id\":\"v\",\"vote\":\"a\",\"ts\":\"x\"}"),
      VoteMessage.Invalid.TOO_LARGE, List.of("{\"voter_id\":\"v\",\"vote\":\"a\",\"pad\":\"" + "p".repeat(5_000) + "\"}"));

  @Test
  void aMessageThatIsNotAVoteSaysWhyWhateverTheReason() {
    assertThat(NOT_VOTES.keySet()).as("an example of every reason").containsExactlyInAnyOrder(VoteMessage.Invalid.values());
    NOT_VOTES.forEach((reason, messages) -> messages.forEach(message -> {
      VoteMessage.Parsed parsed = VoteMessage.parse(message, OPTIONS);

      assertThat(parsed.isVote()).as(message).isFalse();
      assertThat(parsed.reason()).as(message).isEqualTo(reason.tag());
      assertThat(parsed.detail()).as(message).isNotBlank();
    }));
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
