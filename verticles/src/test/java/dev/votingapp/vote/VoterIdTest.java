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
  void theCookieLastsAYearAndScriptsCannotReadIt() {
    Cookie cookie = VoterId.cookie("4a7f9c2e1b3d5f60");

    assertThat(cookie.getName()).isEqualTo("voter_id");
    assertThat(cookie.getMaxAge()).isEqualTo(365L * 24 * 3600);
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo(CookieSameSite.LAX);
    assertThat(cookie.getPath()).isEqualTo("/");
  }
}
