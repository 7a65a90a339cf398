package dev.votingapp.vote;

import java.util.Locale;

/** Why a POST was refused without queuing anything: the voter sees the message, Prometheus the tag. */
enum Rejection {
  MISSING_VOTE(400, "Your vote was not recorded: the form did not say which option you chose."),
  UNKNOWN_OPTION(400, "Your vote was not recorded: that option is not on this ballot."),
  SEVERAL_VOTES(400, "Your vote was not recorded: choose exactly one option."),
  BODY_TOO_LARGE(400, "Your vote was not recorded: the request was too large."),
  /** Another site's page made the browser post here (see {@code Origins}): not the voter's own choice. */
  CROSS_SITE(403, "Your vote was not recorded: it was sent from a page of another site. To vote, choose below.");

  private final int status;
  private final String message;

  Rejection(int status, String message) {
    this.status = status;
    this.message = message;
  }

  /** The reason label of votes_rejected_total: the name in lower case, "missing_vote". */
  String metricTag() {
    return name().toLowerCase(Locale.ROOT);
  }

  int status() {
    return status;
  }

  String message() {
    return message;
  }
}
