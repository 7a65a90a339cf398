package dev.votingapp.vote;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which voter ids a browser may bring back, and the cookie that carries them. */
class VoterIdTest {

  @ParameterizedTest
  @ValueSource(strings = {"4a7f9c2e1b3d5f60", "0123456789abcdef0123456789abcdef", "Abc_-123", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
  void idsOfOursAndOfTheReferenceAppAreKept(String id) {
    assertThat(VoterId.accepted(id)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "short", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1", "has space", "semi;colon", "quote\"", "ünïcode123"})
  void anythingElseIsReplaced(String id) {
    assertThat(VoterId.accepted(id)).isFalse();
  }

  @Test
  void newIdsAre128RandomBitsInHex() {
    assertThat(VoterId.fresh()).matches("[0-9a-f]{32}").isNotEqualTo(VoterId.fresh());
  }

  @Test
  void theCookieLastsAYearAndScriptsCannotReadItWrittenAsVertxWritesIt() {
    Cookie cookie = Cookie.cookie("voter_id", "4a7f9c2e1b3d5f60").setPath("/").setMaxAge(365L * 24 * 3600)
        .setHttpOnly(true).setSameSite(CookieSameSite.LAX);
    // Expires moves with the clock: the encoder's text from just before or just after ours.
    String before = cookie.encode();
    String ours = VoterId.setCookie("4a7f9c2e1b3d5f60");
    String after = cookie.encode();

    assertThat(ours).isIn(before, after);
    assertThat(ours).startsWith("voter_id=4a7f9c2e1b3d5f60; Max-Age=31536000; Expires=")
        .endsWith("; Path=/; HTTPOnly; SameSite=Lax");
  }

  @Test
  void theIdIsTheFirstVoterIdCookieOfTheHeader() {
    assertThat(VoterId.fromHeader("voter_id=4a7f9c2e1b3d5f60")).isEqualTo("4a7f9c2e1b3d5f60");
    assertThat(VoterId.fromHeader("theme=dark; voter_id=abcdefgh12; lang=en")).isEqualTo("abcdefgh12");
    assertThat(VoterId.fromHeader("theme=dark;voter_id=abcdefgh12")).isEqualTo("abcdefgh12");
    assertThat(VoterId.fromHeader("voter_id=\"abcdefgh12\"")).as("quoted").isEqualTo("abcdefgh12");
    assertThat(VoterId.fromHeader("voter_id=first1234; voter_id=second123")).isEqualTo("first1234");
  }

  @Test
  void aCookieWhoseNameOnlyLooksLikeTheIdsIsNotIt() {
    assertThat(VoterId.fromHeader("my_voter_id=abcdefgh12; voter_id=ours12345")).isEqualTo("ours12345");
    assertThat(VoterId.fromHeader("voter_idx=abcdefgh12")).isNull();
    assertThat(VoterId.fromHeader("theme=dark")).isNull();
    assertThat(VoterId.fromHeader("voter_id")).isNull();
  }

  @Test
  void noHeaderNoId() {
    assertThat(VoterId.fromHeader(null)).isNull();
    assertThat(VoterId.fromHeader("")).isNull();
  }
}
