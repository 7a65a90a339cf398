package dev.votingapp.worker;

/** A valid vote, ready for the database: the voter, the option id, and when it was cast. */
record Vote(String voterId, String option, long votedAtMicros) {
}
