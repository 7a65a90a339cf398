package dev.votingapp.web;

/** A port the process must listen on is taken, said in terms of the variable that moves it. */
public final class PortInUse extends RuntimeException {

  public PortInUse(int port, String variable) {
    super("port " + port + " (" + variable + ") is already in use, by another copy of the app or another program;"
        + " stop it, or set " + variable + " to a free port (0 picks any)", null, false, false);
  }
}
