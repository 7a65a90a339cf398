package dev.votingapp.launcher;

import dev.votingapp.config.Env;
import dev.votingapp.config.Secret;
import dev.votingapp.store.Sql;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the {@code roles} command provisions: a login role for each {@code *_DB_PASSWORD_FILE} given,
 * named by its {@code *_DB_USER}. Checked before anything connects, so bad input changes nothing.
 *
 * @param logins      the logins to create or update, the owner first
 * @param waitSeconds ROLES_WAIT_SECONDS: how long to retry while PostgreSQL cannot be reached yet
 */
public record RolesConfig(List<Login> logins, int waitSeconds) {

  /** The schema's owner by default: the migrate command logs in with it. */
  public static final String OWNER = "voting_owner";
  /** PostgreSQL's built-in group for monitoring (pg_stat_activity of every session, and more). */
  public static final String MONITOR_GROUP = "pg_monitor";

  /**
   * One login role.
   *
   * @param userVariable     the variable naming it, for messages ("WORKER_DB_USER")
   * @param passwordVariable the variable naming its password file ("WORKER_DB_PASSWORD_FILE")
   * @param group            the group it joins; null for the owner, which joins none and owns the schema
   */
  public record Login(String userVariable, String passwordVariable, String user, String group, Secret password) {

    public boolean owner() {
      return group == null;
    }
  }

  /** {@code masterUser}: PGUSER, the role the command logs in as, which no application login may be. */
  public static RolesConfig fromEnv(Map<String, String> vars, String masterUser) {
    Env env = new Env(vars);
    List<Login> logins = new ArrayList<>();
    login(env, logins, "OWNER_DB_USER", "OWNER_DB_PASSWORD_FILE", OWNER, null);
    login(env, logins, "WORKER_DB_USER", "WORKER_DB_PASSWORD_FILE", "worker", Sql.WRITER_ROLE);
    login(env, logins, "RESULT_DB_USER", "RESULT_DB_PASSWORD_FILE", "result", Sql.READER_ROLE);
    login(env, logins, "MONITOR_DB_USER", "MONITOR_DB_PASSWORD_FILE", "voting_monitor", MONITOR_GROUP);
    Set<String> seen = new HashSet<>();
    Set<String> groups = Set.of(Sql.WRITER_ROLE, Sql.READER_ROLE, MONITOR_GROUP);
    for (Login login : logins) {
      env.check(!login.user().equals(masterUser), login.userVariable() + " must not be PGUSER (" + masterUser
          + "), the master user roles logs in as: the master stays the operator's");
      env.check(!groups.contains(login.user()), login.userVariable() + " must not be a group role (" + login.user() + ")");
      env.check(seen.add(login.user()), login.userVariable() + " names " + login.user() + ", which another *_DB_USER names too");
    }
    int waitSeconds = env.intIn("ROLES_WAIT_SECONDS", 60, 1, 3_600);
    env.throwIfInvalid();
    return new RolesConfig(List.copyOf(logins), waitSeconds);
  }

  /**
   * A login named by {@code userVariable}, with the password file {@code passwordVariable}; nothing when
   * the file is not given. The names are written out in full so that a search (and the chart's check of
   * the variables it passes) finds them.
   */
  private static void login(Env env, List<Login> logins, String userVariable, String passwordVariable,
                            String defaultUser, String group) {
    String user = env.string(userVariable, defaultUser);
    env.check(user.matches("[a-z_][a-z0-9_]{0,62}") && !user.startsWith("pg_"), userVariable
        + " must be a PostgreSQL role name: a lower-case letter or _, then letters, digits or _, at most 63, not pg_*; got '"
        + user + "'");
    Secret password = env.passwordFile(passwordVariable);
    if (password == null) {
      return;
    }
    String value = password.value();
    env.check(!value.isEmpty(), passwordVariable + " names an empty file");
    // Outside ASCII, the server's SASLprep and the client's could disagree on the password's bytes.
    env.check(value.chars().allMatch(c -> c >= 0x20 && c < 0x7f), passwordVariable
        + " must hold printable ASCII only (a generated password does)");
    logins.add(new Login(userVariable, passwordVariable, user, group, password));
  }
}
