package dev.votingapp.launcher;

/**
 * A word the launcher takes, {@code java -jar voting-app.jar WORD}: a {@link Role}, which serves until
 * it is stopped, or a {@link Task}, which runs once and exits with its status. {@link Main} finds the
 * command a word names and lists them all in its usage.
 */
interface Command {

  /** The word on the command line: "vote", "migrate". */
  String word();

  /** What it does, in one line of the usage. */
  String description();
}
