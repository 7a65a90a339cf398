package dev.votingapp.e2e;

import static dev.votingapp.testing.Await.LATER;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.votingapp.config.PgConfig;
import dev.votingapp.result.ResultService;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Ballots;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.RedisProcess;
import dev.votingapp.testing.ScramPostgres;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.vote.VoteService;
import dev.votingapp.worker.WorkerVerticle;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Passwords rotate under load with no restart and no vote lost. A PostgreSQL that checks passwords
 * (scram-sha-256) and a Redis whose default user is off, the app logging in as ACL user {@code voting};
 * vote, worker and result each in a process of its own, with password files. While voters keep voting
 * over HTTP, each password is changed on the server and in its file, in both orders, and the app's
 * connections are killed: new connections log in with the file's new content. While the server has the
 * new password and the file still the old one, the roles retry and say why on /ready, and recover once
 * the file changes. Every acknowledged vote ends up in the table; no password is ever logged.
 */
@ExtendWith(VertxExtension.class)
class PasswordRotationIT {

  @TempDir
  Path dir;

  @Test
  void newConnectionsUseTheRotatedPasswordsAndNoAcknowledgedVoteIsLost(InProcessApp voteApp) throws Exception {
    ListAppender<ILoggingEvent> logs = captureLogs();
    List<String> passwords = new ArrayList<>();
    String adminPassword = password(passwords);
    String redisPassword = password(passwords);
    InProcessApp workerApp = voteApp.another();
    InProcessApp resultApp = voteApp.another();
    try (ScramPostgres postgres = ScramPostgres.start();
         RedisProcess redis = RedisProcess.start(dir, "--user", "default", "off",
             "--user", "admin", "on", ">" + adminPassword, "~*", "&*", "+@all",
             "--user", "voting", "on", ">" + redisPassword, "~*", "&*", "+@all").loggedInAs("admin", adminPassword);
         Db admin = new Db(voteApp.vertx, postgres.superuser())) {
      admin.migrate();
      Path workerFile = dir.resolve("worker_db_password");
      Path resultFile = dir.resolve("result_db_password");
      Path redisFile = Files.writeString(dir.resolve("redis_password"), redisPassword + "\n");
      setPassword(admin, "worker", "voting_writer", workerFile, password(passwords));
      setPassword(admin, "result", "voting_reader", resultFile, password(passwords));

      Map<String, String> redisEnv = Map.of("REDIS_URL", redis.url(), "REDIS_USERNAME", "voting",
          "REDIS_PASSWORD_FILE", redisFile.toString());
      int votePort = Await.result(VoteService.deploy(voteApp.vertx, TestConfig.of(redisEnv), voteApp.management, 1)).port();
      Map<String, String> workerEnv = new HashMap<>(redisEnv);
      workerEnv.putAll(pgEnv(postgres, "worker", workerFile));
      workerEnv.put("WORKER_ID", "rotation");
      workerEnv.put("WORKER_TIMEOUT_MS", "2000");
      Await.result(workerApp.vertx.deployVerticle(new WorkerVerticle(TestConfig.of(workerEnv), workerApp.management)));
      Map<String, String> resultEnv = new HashMap<>(pgEnv(postgres, "result", resultFile));
      resultEnv.put("RESULT_POLL_MS", "200");
      int resultPort = Await.result(ResultService.deploy(resultApp.vertx, TestConfig.of(resultEnv), resultApp.management, 1)).port();
      Browser vote = voteApp.managementPort();
      Browser worker = workerApp.managementPort();
      Browser result = resultApp.managementPort();
      Await.until("every role ready", LATER, () -> ready(vote) && ready(worker) && ready(result));

      Voters voters = new Voters(votePort);
      try {
        voters.awaitMore(50);
        awaitWritten(admin, voters);

        // PostgreSQL first, the files later (a rotation whose secret has not reached the pods yet).
        String workerNext = password(passwords);
        String resultNext = password(passwords);
        alterPassword(admin, "worker", workerNext);
        alterPassword(admin, "result", resultNext);
        terminateBackends(admin);
        Await.until("the worker says why it cannot write", LATER, () -> says(worker,
            "password authentication failed for user \\\"worker\\\"", "PGPASSWORD_FILE", "read again at the next attempt"));
        Await.until("the result service says why it cannot read", LATER, () -> says(result,
            "password authentication failed for user \\\"result\\\"", "PGPASSWORD_FILE", "read again at the next attempt"));
        Await.until("the log says why too", LATER, () -> logged(logs,
            "password authentication failed for user \"worker\"", "PGPASSWORD_FILE", "read again at the next attempt"));
        voters.awaitMore(50); // votes are still taken meanwhile: they wait in Redis
        writeFile(workerFile, workerNext);
        writeFile(resultFile, resultNext);
        Await.until("worker and result ready again with the new files", LATER, () -> ready(worker) && ready(result));
        awaitWritten(admin, voters);

        // Server and file together, then the connections killed: the next ones log in with the new password.
        setPassword(admin, "worker", "voting_writer", workerFile, password(passwords));
        setPassword(admin, "result", "voting_reader", resultFile, password(passwords));
        terminateBackends(admin);
        voters.awaitMore(50);
        awaitWritten(admin, voters);

        // Redis first, the file later.
        String redisNext = password(passwords);
        redis.command("ACL", "SETUSER", "voting", "resetpass", ">" + redisNext);
        redis.command("CLIENT", "KILL", "USER", "voting");
        Await.until("the vote service says why it cannot queue votes", LATER, () -> says(vote,
            "WRONGPASS", "user voting", "REDIS_PASSWORD_FILE", "read again at the next attempt"));
        Await.until("the log says why too", LATER, () -> logged(logs,
            "WRONGPASS", "user voting", "REDIS_PASSWORD_FILE", "read again at the next attempt"));
        writeFile(redisFile, redisNext);
        Await.until("vote and worker ready again with the new file", LATER, () -> ready(vote) && ready(worker));
        voters.awaitMore(50);

        // Redis and its file together, then the connections killed.
        redisNext = password(passwords);
        redis.command("ACL", "SETUSER", "voting", "resetpass", ">" + redisNext);
        writeFile(redisFile, redisNext);
        redis.command("CLIENT", "KILL", "USER", "voting");
        voters.awaitMore(50);
        awaitWritten(admin, voters);
      } finally {
        voters.close();
      }

      Map<String, String> acknowledged = voters.acknowledged;
      Await.until("the worker drained the queue", Duration.ofSeconds(60), () -> redis.command("LLEN", "votes").startsWith(":0")
          && redis.command("KEYS", "votes:processing:*").startsWith("*0"));
      assertThat(admin.missing(acknowledged)).as("acknowledged votes missing or wrong in the table, of " + acknowledged.size()
          + "; dead letters: " + redis.command("LRANGE", "votes:dead", "0", "-1")
          + "; processing lists: " + redis.command("KEYS", "votes:processing:*")).isEmpty();
      long written = admin.count("SELECT count(*) FROM votes");
      Browser page = new Browser(resultPort);
      Await.until("the results page counts every vote", LATER,
          () -> new JsonObject(page.get("/api/results").body()).getLong("total") == written);
      List<String> leaks = new ArrayList<>();
      for (String line : lines(logs)) {
        passwords.stream().filter(line::contains).forEach(leaked -> leaks.add(line));
      }
      assertThat(leaks).as("log lines with a password").isEmpty();
    } finally {
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }
  }

  /** Voters voting over HTTP, 8 requests in flight, each a new voter; bounded (2 minutes, 50,000 votes). */
  private static final class Voters implements AutoCloseable {
    final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stopped;

    Voters(int port) {
      Semaphore inFlight = new Semaphore(8);
      AtomicInteger next = new AtomicInteger();
      long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      thread = new Thread(() -> {
        while (!stopped && System.nanoTime() < end && next.get() < 50_000) {
          try {
            inFlight.acquire();
          } catch (InterruptedException interrupted) {
            return;
          }
          int i = next.getAndIncrement();
          String voter = String.format("voter-%06d", i); // the vote service keeps ids of 8 characters or more
          String choice = i % 3 == 0 ? "a" : "b";
          Ballots.HTTP.sendAsync(Ballots.request(port, voter, choice), HttpResponse.BodyHandlers.discarding())
              .whenComplete((response, failed) -> {
                if (failed == null && response.statusCode() == 200) {
                  acknowledged.put(voter, choice);
                }
                inFlight.release();
              });
        }
        inFlight.acquireUninterruptibly(8);
      }, "voters");
      thread.start();
    }

    /** Waits until {@code more} votes more than now were acknowledged. */
    void awaitMore(int more) {
      int target = acknowledged.size() + more;
      Await.until(target + " acknowledged votes", LATER, () -> acknowledged.size() >= target);
    }

    @Override
    public void close() {
      stopped = true;
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits until the table holds at least every vote acknowledged so far. */
  private static void awaitWritten(Db admin, Voters voters) {
    int target = voters.acknowledged.size();
    Await.until(target + " votes written", LATER, () -> admin.count("SELECT count(*) FROM votes") >= target);
  }

  private static String password(List<String> all) {
    String password = UUID.randomUUID().toString().replace("-", "");
    all.add(password);
    return password;
  }

  /** Creates the login if needed, gives it the password on the server and in its file. */
  private static void setPassword(Db admin, String login, String group, Path file, String password) throws Exception {
    if (admin.count("SELECT count(*) FROM pg_roles WHERE rolname = $1", login) == 0) {
      admin.execute("CREATE ROLE " + login + " LOGIN IN ROLE " + group);
    }
    alterPassword(admin, login, password);
    writeFile(file, password);
  }

  private static void alterPassword(Db admin, String login, String password) {
    admin.execute("ALTER ROLE " + login + " PASSWORD '" + password + "'");
  }

  /** Rewritten in place, as an operator rewrites a Compose secret (a mounted file keeps its inode). */
  private static void writeFile(Path file, String password) throws Exception {
    Files.writeString(file, password + "\n");
  }

  private static void terminateBackends(Db admin) {
    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename IN ('worker', 'result')");
  }

  private static Map<String, String> pgEnv(ScramPostgres postgres, String user, Path file) {
    PgConfig server = postgres.superuser();
    return Map.of("PGHOST", server.host(), "PGPORT", String.valueOf(server.port()), "PGDATABASE", server.database(),
        "PGUSER", user, "PGPASSWORD_FILE", file.toString());
  }

  private static boolean ready(Browser management) {
    return management.get("/ready").statusCode() == 200;
  }

  /** /ready answers 503, and its reasons contain every one of {@code parts}. */
  private static boolean says(Browser management, String... parts) {
    HttpResponse<String> ready = management.get("/ready");
    if (ready.statusCode() != 503) {
      return false;
    }
    for (String part : parts) {
      if (!ready.body().contains(part)) {
        return false;
      }
    }
    return true;
  }

  /** Every line logged so far, with its exception's message. */
  private static List<String> lines(ListAppender<ILoggingEvent> logs) {
    List<ILoggingEvent> events;
    synchronized (logs) { // the appender appends under this lock
      events = List.copyOf(logs.list);
    }
    return events.stream().map(event -> event.getFormattedMessage()
        + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getMessage())).toList();
  }

  /** A line logged so far contains every one of {@code parts}. */
  private static boolean logged(ListAppender<ILoggingEvent> logs, String... parts) {
    return lines(logs).stream().anyMatch(line -> java.util.Arrays.stream(parts).allMatch(line::contains));
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
    return appender;
  }
}
