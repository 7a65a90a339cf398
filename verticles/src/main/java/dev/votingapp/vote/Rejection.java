package dev.votingapp.vote;

/** Why a POST was refused without queuing anything: the voter sees the message, Prometheus the tag. */
enum Rejection {
  MISSING_VOTE("missing_vote", 400, "Your vote was not recorded: the form did not say which option you chose."),
  UNKNOWN_OPTION("unknown_option", 400, "Your vote was not recorded: that option is not on this ballot."),
  SEVERAL_VOTES("several_votes", 400, "Your vote was not recorded: choose exactly one option."),
  BODY_TOO_LARGE("body_too_large", 400, "Your vote was not recorded: the request was too large."),
  /** Another site's page made the browser post here (see {@code Origins}): not the voter's own choice. */
  CROSS_SITE("cross_site", 403, "Your vote was not recorded: it was sent from a page of another site. "
      + "To vote, choose below.");

  private final String metricTag;
  private final int status;
  private final String message;

  Rejection(String metricTag, int status, String message) {
    this.metricTag = metricTag;
    this.status = status;
    this.message = message;
  }

  String metricTag() {
    return metricTag;
  }

  int status() {
    return status;
  }

  String message() {
    return message;
  }
}
