package dev.votingapp.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which page sent a request, from the headers browsers set and pages cannot: the rules of {@link Origins}. */
class OriginsTest {

  private final Origins origins = new Origins(List.of("https://vote.example.com"));

  @ParameterizedTest(name = "Origin {0}, Sec-Fetch-Site {1}, Host {2}: {3}")
  @CsvSource(nullValues = "-", value = {
      // Origin decides when present: this host[:port], whatever the scheme (TLS may end at a proxy)
      "http://127.0.0.1:5000,    same-origin, 127.0.0.1:5000,   true",
      "HTTPS://Vote.Example.COM, same-origin, vote.example.com, true",
      "https://ballot.example,   same-origin, Ballot.Example,   true",
      "http://127.0.0.1:5001,    same-site,   127.0.0.1:5000,   false",
      "https://evil.example,     cross-site,  127.0.0.1:5000,   false",
      "https://evil.example,     -,           -,                false",
      "null,                     cross-site,  127.0.0.1:5000,   false",
      "null,                     same-origin, 127.0.0.1:5000,   false",
      "not an origin,            -,           127.0.0.1:5000,   false",
      // or an allowed origin, from any host
      "https://vote.example.com, cross-site,  10.0.0.7:5000,    true",
      // no Origin: Sec-Fetch-Site, when there is one
      "-,                        cross-site,  127.0.0.1:5000,   false",
      "-,                        same-site,   127.0.0.1:5000,   false",
      "-,                        same-origin, 127.0.0.1:5000,   true",
      "-,                        none,        127.0.0.1:5000,   true",
      // neither: no browser sent it (curl, the load-test kit, the reference seed)
      "-,                        -,           127.0.0.1:5000,   true",
  })
  void aRequestIsAllowedOnlyFromThisSiteOrAnAllowedOrigin(String origin, String fetchSite, String host, boolean allowed) {
    assertThat(origins.allows(origin, fetchSite, host)).isEqualTo(allowed);
  }
}
