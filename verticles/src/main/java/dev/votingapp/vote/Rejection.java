package dev.votingapp.vote;

/** Why a POST was refused as bad input (400): the voter sees the message, Prometheus the tag. */
enum Rejection {
  MISSING_VOTE("missing_vote", "Your vote was not recorded: the form did not say which option you chose."),
  UNKNOWN_OPTION("unknown_option", "Your vote was not recorded: that option is not on this ballot."),
  SEVERAL_VOTES("several_votes", "Your vote was not recorded: choose exactly one option."),
  BODY_TOO_LARGE("body_too_large", "Your vote was not recorded: the request was too large.");

  private final String metricTag;
  private final String message;

  Rejection(String metricTag, String message) {
    this.metricTag = metricTag;
    this.message = message;
  }

  String metricTag() {
    return metricTag;
  }

  String message() {
    return message;
  }
}
