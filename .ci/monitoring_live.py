#!/usr/bin/python3
"""The monitoring, live, on this machine's real binaries (run by .ci/monitoring-live.sh).

Starts the three roles from the jar, a Redis of its own, a database of its own on the machine's
PostgreSQL, Debian's redis_exporter, postgres_exporter (logged in as a pg_monitor role, the way Compose's
voting_monitor does, password from a file) and Pushgateway (with a backup's and a restore drill's
results pushed the way docker/backup pushes them), a real Prometheus with a configuration derived from
prometheus/prometheus.yml (same jobs, labels and rules; local targets; shorter intervals), the alert
inbox (alertmanager/inbox/inbox.py, Compose's out-of-the-box receiver) and a real Alertmanager with
alertmanager/alertmanager.yml, only the inbox's address changed to where it listens here. Every timing
the alerts wait for runs TIME_SCALE times faster: each rule's `for`, Prometheus's resend delay and
Alertmanager's group_wait, group_interval and repeat_interval (a minute becomes ten seconds). The expressions, routes, receivers
and inhibitions are the shipped ones; only the waiting is shorter.

It casts good votes only, waits until every target is scraped, and then, the stack healthy, proves:

1. No phantom series. Every dashboard query (grafana/dashboards/*.json, for service = vote, worker and
   result, other variables on "All", $__rate_interval as 1m) and every rule expression
   (prometheus/rules/*.yml, recording and alerting) is checked twice:
   a. every vector selector in it (metric name and label matchers) has series, so a counter that
      appears only on its first failure is caught even where the query hides it behind `or`;
   b. the query as a whole returns something. Dashboard and recording-rule queries run as written. An
      alert expression may rightly be empty when its condition is false, so it runs with every
      comparison made non-filtering (`a > 0.05` becomes `a > bool 0.05`, 0 or 1 for every series) and
      absent(x) read as x: what is left empty can only be a series that is missing or labels that do
      not match.
   Exceptions, each printed: selectors on HTTP status classes (code=~"5.."/"4..": Vert.x makes a code's
   series on its first such answer) and ALERTS without the Watchdog (a healthy stack fires no other
   alert). Their queries are run once more with those selectors made empty (a matcher that matches
   nothing added), and must still answer: an `or` fallback, as the SLO rules have. Left out, and said so:
   cAdvisor's container_* (no cAdvisor can run here) and LogQL panels (no Loki here).
2. The alerts reach the receiver a user gets out of the box: the Watchdog reaches the inbox on the dead
   man's switch path (/watchdog), alone, again after its repeat interval, and nowhere else; with Redis
   stopped, RedisDown reaches the inbox as a page within the rule's `for` plus the group wait plus a
   margin, and no alert that RedisDown inhibits arrives.

Every process it starts is stopped at the end; every wait has a deadline. Exit 1 names every problem.
"""
import glob
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.environ.get("VOTING_APP_JAR") or os.path.join(ROOT, "launcher", "target", "voting-app.jar")
# The PostgreSQL server its database is made on: the machine's, or the private one monitoring-live.sh
# starts when none answers on 5432.
PG_PORT = os.environ.get("MONITORING_PGPORT", "5432")
SCRAPE_S = 3
EVALUATE_S = 3
# The shipped rules' `for` and Alertmanager's waits, this many times shorter here.
TIME_SCALE = 6
# The address every out-of-the-box receiver posts to (alertmanager/alertmanager.yml).
INBOX_URL = "http://alert-inbox:8080"
# Queries left out, with why.
CADVISOR = re.compile(r"\bcontainer_\w+")
# Selectors allowed to be empty in a healthy stack, with why (their queries must still answer: check b).
EMPTY_WHEN_HEALTHY = [
    (re.compile(r'code\s*=~\s*"[45]\.\."'), "an HTTP status class not answered yet: Vert.x makes a code's series on "
                                            "its first such answer; the query must answer without it"),
    (re.compile(r'^ALERTS\{.*alertname\s*!=\s*"Watchdog"'), "alerts other than the Watchdog: none fires in a healthy stack"),
]

PROCESSES = []
WORK = tempfile.mkdtemp(prefix="voting-monitoring-")
DATABASE = "voting_monitoring_" + str(os.getpid())
MONITOR_ROLE = "voting_monitor_" + str(os.getpid())


def log(message):
    print(f"[monitoring] {message}", flush=True)


def fail(message):
    log(f"FAIL: {message}")
    raise SystemExit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(name, command, env=None):
    out = open(os.path.join(WORK, name + ".log"), "w")
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                               env={**os.environ, **(env or {})}, cwd=WORK)
    PROCESSES.append((name, process))
    return process


def wait_for(what, deadline_s, condition):
    end = time.time() + deadline_s
    while True:
        try:
            if condition():
                log(what)
                return
        except (OSError, ValueError, KeyError):
            pass
        if time.time() > end:
            fail(f"{what}: not within {deadline_s} s")
        time.sleep(0.5)


def call(url, data=None, headers=None, timeout=5):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def psql(sql, database="postgres"):
    """Runs SQL given on standard input (never on a command line: it may hold a password)."""
    return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", PG_PORT, "-U", "postgres",
                           "-d", database, "-At"], input=sql, check=True, capture_output=True, text=True).stdout.strip()


def query(prometheus, expr, at=None):
    params = {"query": expr, **({"time": f"{at:.3f}"} if at else {})}
    status, body = call(f"http://127.0.0.1:{prometheus}/api/v1/query?" + urllib.parse.urlencode(params))
    answer = json.loads(body)
    if answer.get("status") != "success":
        raise ValueError(f"{expr}: {answer.get('error')}")
    return answer["data"]["result"]


# --- PromQL, as text ------------------------------------------------------------------------------
GROUPING = {"by", "without", "on", "ignoring", "group_left", "group_right"}
KEYWORDS = GROUPING | {"bool", "and", "or", "unless", "offset", "inf", "nan", "atan2", "start", "end"}
TOKEN = re.compile(r"""
    (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)
  | (?P<matchers>\{(?:[^}"']|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')*\})
  | (?P<range>\[[^\]]*\])
  | (?P<number>(?<![\w:])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?:ms|[smhdwy])*)
  | (?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)
  | (?P<other>.)
""", re.X | re.S)


def selectors(expr):
    """The vector selectors of a PromQL expression, as text (name{matchers} or name), in order."""
    tokens = [(m.lastgroup, m.group(0)) for m in TOKEN.finditer(expr) if not m.group(0).isspace()]
    found, i = [], 0
    while i < len(tokens):
        kind, text = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else (None, None)
        if kind == "name" and text in GROUPING and following[1] == "(":
            depth, i = 0, i + 1  # skip the label list: by (service, le)
            while i < len(tokens):
                depth += {"(": 1, ")": -1}.get(tokens[i][1], 0)
                if depth == 0:
                    break
                i += 1
        elif kind == "name" and (following[1] == "(" or following[1] in GROUPING or text.lower() in KEYWORDS):
            pass  # a function, an aggregation followed by its by (...), or a keyword
        elif kind == "name":
            found.append(text + (following[1] if following[0] == "matchers" else ""))
        elif kind == "matchers" and (i == 0 or tokens[i - 1][0] != "name"):
            found.append(text)  # {__name__="..."} without a name in front
        i += 1
    return found


def non_filtering(expr):
    """An alert expression that keeps every series: comparisons get `bool`, absent(x) becomes (x)."""
    out, depth, position = [], 0, 0
    text = re.sub(r"\babsent\s*\(", "(", expr)
    while position < len(text):
        string = re.match(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', text[position:])
        if string:
            out.append(string.group(0))
            position += len(string.group(0))
            continue
        char = text[position]
        depth += {"{": 1, "}": -1}.get(char, 0)
        comparison = re.match(r"==|!=|>=|<=|>|<", text[position:]) if depth == 0 else None
        if comparison:
            out.append(comparison.group(0))
            position += len(comparison.group(0))
            if not re.match(r"\s*bool\b", text[position:]):
                out.append(" bool")
            continue
        out.append(char)
        position += 1
    return "".join(out)


def without_allowed_empty(expr):
    """The expression with every selector of EMPTY_WHEN_HEALTHY made to select nothing."""
    for selector in set(selectors(expr)):
        if "{" in selector and any(pattern.search(selector) for pattern, _ in EMPTY_WHEN_HEALTHY):
            expr = expr.replace(selector, selector[:-1] + ', __never__="1"}')
    return expr


# --- what is checked ------------------------------------------------------------------------------
def rule_queries():
    queries = []
    for path in sorted(glob.glob(os.path.join(ROOT, "prometheus", "rules", "*.yml"))):
        for group in yaml.safe_load(open(path))["groups"]:
            for rule in group["rules"]:
                expr = str(rule["expr"]).strip()
                if "alert" in rule:
                    queries.append({"where": f"alert {rule['alert']} ({os.path.basename(path)})", "expr": expr,
                                    "as_run": non_filtering(expr)})
                else:
                    queries.append({"where": f"record {rule['record']} ({os.path.basename(path)})", "expr": expr,
                                    "as_run": expr})
    return queries


def dashboard_queries():
    """Every Prometheus query of the dashboards, for each service; and the titles of the LogQL panels."""
    unique = {}
    for service in ("vote", "worker", "result"):
        out = subprocess.run([sys.executable, os.path.join(ROOT, ".ci", "dashboards_check.py"), "--queries",
                              "--var", f"service={service}"], check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            item = json.loads(line)
            unique.setdefault(item["expr"], {"where": f"dashboard {item['dashboard']} / {item['panel']}",
                                             "expr": item["expr"], "as_run": item["expr"]})
    logql = []
    for path in sorted(glob.glob(os.path.join(ROOT, "grafana", "dashboards", "*.json"))):
        dashboard = json.load(open(path))
        stack = list(dashboard.get("panels", []))
        while stack:
            panel = stack.pop(0)
            stack += panel.get("panels") or []
            if any((t.get("datasource") or {}).get("type") == "loki" for t in panel.get("targets") or []):
                logql.append(f"{dashboard['uid']} / {panel.get('title')}")
    return list(unique.values()), logql


def check_phantoms(prometheus, at):
    """Problems (one line each) with the queries of the dashboards and rules, at the healthy moment."""
    dashboards, logql = dashboard_queries()
    queries = dashboards + rule_queries()
    problems, skipped, allowed_empty, checked, selector_cache = [], [], {}, 0, {}
    for item in queries:
        if CADVISOR.search(item["expr"]):
            skipped.append(item["where"])
            continue
        checked += 1
        for selector in selectors(item["expr"]):
            if selector not in selector_cache:
                selector_cache[selector] = bool(query(prometheus, f"count(last_over_time({selector}[1m]))", at))
            if selector_cache[selector]:
                continue
            reason = next((why for pattern, why in EMPTY_WHEN_HEALTHY if pattern.search(selector)), None)
            if reason:
                allowed_empty.setdefault(selector, reason)
            else:
                problems.append(f"no series for {selector}: {item['where']}")
        try:
            how = "as written" if item["as_run"] == item["expr"] else "with its comparisons made non-filtering"
            if not query(prometheus, item["as_run"], at):
                problems.append(f"no data {how}: {item['where']}: {' '.join(item['as_run'].split())}")
            # The selectors allowed to be empty, made empty for sure (whatever this run happened to
            # answer): the query must still answer.
            without = without_allowed_empty(item["as_run"])
            if without != item["as_run"] and not query(prometheus, without, at):
                problems.append(f"no data {how} once its HTTP status class or alert series are gone (add an `or` "
                                f"fallback): {item['where']}: {' '.join(without.split())}")
        except ValueError as invalid:
            problems.append(f"query refused: {item['where']}: {invalid}")
    log(f"{checked} queries checked ({len(dashboards)} distinct dashboard queries for service = vote, worker, result; "
        f"{len(queries) - len(dashboards)} rule expressions), {len(selector_cache)} distinct selectors")
    log(f"skipped, cAdvisor's container_* (no cAdvisor can run here): {len(skipped)}: " + "; ".join(skipped))
    log(f"skipped, LogQL (no Loki here): {len(logql)} panels: " + "; ".join(logql))
    for selector, reason in sorted(allowed_empty.items()):
        log(f"empty while healthy, allowed ({reason}): {selector}")
    return problems


# --- the derived configurations -----------------------------------------------------------------
def prometheus_config(ports, rules_folder):
    with open(os.path.join(ROOT, "prometheus", "prometheus.yml")) as file:
        config = yaml.safe_load(file)
    config["global"]["scrape_interval"] = f"{SCRAPE_S}s"
    config["global"]["scrape_timeout"] = f"{SCRAPE_S}s"
    config["global"]["evaluation_interval"] = f"{EVALUATE_S}s"
    # The shipped files (rules/*.yml) as copied by scaled_rules.
    config["rule_files"] = [os.path.join(rules_folder, os.path.relpath(rules, "rules")) for rules in config["rule_files"]]
    config["alerting"]["alertmanagers"] = [{"static_configs": [{"targets": [f"127.0.0.1:{ports['alertmanager']}"]}]}]
    jobs = []
    for job in config["scrape_configs"]:
        name = job["job_name"]
        if name not in ports:
            continue
        labels = {}
        for static in job.get("static_configs", []):
            labels.update(static.get("labels", {}))
        job.pop("dns_sd_configs", None)
        job["static_configs"] = [{"targets": [f"127.0.0.1:{ports[name]}"], **({"labels": labels} if labels else {})}]
        jobs.append(job)
    config["scrape_configs"] = jobs
    return config


def alertmanager_config(inbox_port):
    """The shipped file, with the inbox's address changed and its waits TIME_SCALE times shorter; the Slack
    and e-mail receivers, not routed to out of the box, lose what needs their secret files."""
    with open(os.path.join(ROOT, "alertmanager", "alertmanager.yml")) as file:
        config = yaml.safe_load(file)
    for route in routes(config["route"]):
        for wait in ("group_wait", "group_interval", "repeat_interval"):
            if wait in route:
                route[wait] = scaled(route[wait])
    routed = {route.get("receiver") for route in routes(config["route"])}
    for receiver in config["receivers"]:
        hooks = [hook["url"] for hook in receiver.get("webhook_configs", [])]
        if receiver["name"] in routed and not any(url.startswith(INBOX_URL + "/") for url in hooks):
            fail(f"receiver {receiver['name']} is routed to out of the box but does not post to {INBOX_URL}/")
        for hook in receiver.get("webhook_configs", []):
            hook["url"] = hook["url"].replace(INBOX_URL, f"http://127.0.0.1:{inbox_port}")
        if receiver["name"] not in routed:
            receiver.pop("slack_configs", None)
            receiver.pop("email_configs", None)
    return config


def duration_s(text):
    seconds = 0
    for amount, unit in re.findall(r"(\d+)(ms|s|m|h|d)", str(text)):
        seconds += int(amount) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
    return seconds


def scaled(duration):
    """A Prometheus or Alertmanager duration TIME_SCALE times shorter, in milliseconds (both read ms)."""
    seconds = duration_s(duration)
    return f"{max(1, round(seconds * 1000 / TIME_SCALE)) if seconds else 0}ms"


def scaled_rules():
    """Copies of the shipped rule files in WORK with every `for` TIME_SCALE times shorter; their folder."""
    folder = os.path.join(WORK, "rules")
    os.makedirs(folder, exist_ok=True)
    for path in sorted(glob.glob(os.path.join(ROOT, "prometheus", "rules", "*.yml"))):
        with open(path) as file:
            rules = yaml.safe_load(file)
        for group in rules["groups"]:
            for rule in group["rules"]:
                if "for" in rule:
                    rule["for"] = scaled(rule["for"])
        with open(os.path.join(folder, os.path.basename(path)), "w") as file:
            yaml.safe_dump(rules, file)
    return folder


def routes(route):
    yield route
    for child in route.get("routes", []):
        yield from routes(child)


def push_backup_results(pushgateway):
    """A backup's and a restore drill's success, as docker/backup's push_metrics sends them."""
    now = int(time.time())
    pushes = {
        "backup": {"voting_backup_last_success_timestamp_seconds": now - 3600, "voting_backup_duration_seconds": 12.5,
                   "voting_backup_size_bytes": 1048576, "voting_backup_previous_size_bytes": 1040000,
                   "voting_backup_votes": 60, "voting_backup_queue_depth": 0},
        "restore-drill": {"voting_restore_drill_last_success_timestamp_seconds": now - 1800,
                          "voting_restore_drill_duration_seconds": 30.0, "voting_restore_drill_backup_age_seconds": 1800,
                          "voting_restore_drill_votes": 60},
    }
    for job, metrics in pushes.items():
        body = "".join(f"# TYPE {name} gauge\n{name} {value}\n" for name, value in metrics.items()).encode()
        status, answer = call(f"http://127.0.0.1:{pushgateway}/metrics/job/{job}/service/{job}", body)
        if status not in (200, 202):
            fail(f"push to the Pushgateway: {status} {answer}")


def received(inbox):
    return json.loads(call(f"http://127.0.0.1:{inbox}/api/notifications")[1])


# --- the run -------------------------------------------------------------------------------------
def main():
    if not os.path.exists(JAR):
        fail(f"{JAR} is missing: build it first (./mvnw package)")
    ports = {name: free_port() for name in ("redis_server", "vote_http", "result_http", "vote", "worker", "result",
                                            "redis", "postgres", "pushgateway", "prometheus", "alertmanager", "inbox")}

    log(f"Redis on {ports['redis_server']}, database {DATABASE}, work folder {WORK}")
    redis = start("redis", ["redis-server", "--port", str(ports["redis_server"]), "--bind", "127.0.0.1",
                            "--save", "", "--appendonly", "no", "--maxmemory", "64mb",
                            "--maxmemory-policy", "noeviction", "--dir", WORK])
    psql(f"CREATE DATABASE {DATABASE}")
    # The exporter's login, as Compose's voting_monitor: pg_monitor and nothing else, password from a file.
    password_file = os.path.join(WORK, "monitor-db-password")
    with open(os.open(password_file, os.O_WRONLY | os.O_CREAT, 0o600), "w") as file:
        file.write(secrets.token_urlsafe(24))
    psql(f"CREATE ROLE {MONITOR_ROLE} LOGIN PASSWORD '{open(password_file).read()}' IN ROLE pg_monitor")

    app_env = {"REDIS_URL": f"redis://127.0.0.1:{ports['redis_server']}", "PGHOST": "127.0.0.1", "PGPORT": PG_PORT,
               "PGUSER": "postgres", "PGDATABASE": DATABASE, "SHUTDOWN_DRAIN_SECONDS": "0", "WORKER_TIMEOUT_MS": "2000"}
    for name in ("PGPASSWORD", "PGPASSWORD_FILE", "REDIS_PASSWORD", "REDIS_PASSWORD_FILE", "REDIS_QUEUE"):
        os.environ.pop(name, None)
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "java")
    start("worker", [java, "-jar", JAR, "worker"], {**app_env, "MANAGEMENT_PORT": str(ports["worker"]),
                                                    "WORKER_ID": "monitoring"})
    start("vote", [java, "-jar", JAR, "vote"], {**app_env, "MANAGEMENT_PORT": str(ports["vote"]),
                                                "VOTE_PORT": str(ports["vote_http"])})
    start("result", [java, "-jar", JAR, "result"], {**app_env, "MANAGEMENT_PORT": str(ports["result"]),
                                                    "RESULT_PORT": str(ports["result_http"])})

    # The exporters, the Pushgateway, the inbox and Alertmanager start while the roles do (none needs a
    # role); Prometheus last, once the roles answer and Alertmanager is ready: the alerts of its first
    # evaluation (the Watchdog) reach Alertmanager then, not at the next resend, a minute later.
    start("redis-exporter", ["prometheus-redis-exporter", f"--redis.addr=redis://127.0.0.1:{ports['redis_server']}",
                             f"--web.listen-address=127.0.0.1:{ports['redis']}"])
    start("postgres-exporter", ["prometheus-postgres-exporter", f"--web.listen-address=127.0.0.1:{ports['postgres']}"],
          {"DATA_SOURCE_URI": f"127.0.0.1:{PG_PORT}/{DATABASE}?sslmode=disable", "DATA_SOURCE_USER": MONITOR_ROLE,
           "DATA_SOURCE_PASS_FILE": password_file})
    start("pushgateway", ["prometheus-pushgateway", f"--web.listen-address=127.0.0.1:{ports['pushgateway']}",
                          f"--persistence.file={WORK}/pushgateway.metrics"])
    start("alert-inbox", [sys.executable, "-u", os.path.join(ROOT, "alertmanager", "inbox", "inbox.py"),
                          f"--listen=127.0.0.1:{ports['inbox']}"], {"PYTHONDONTWRITEBYTECODE": "1"})

    served = alertmanager_config(ports["inbox"])
    with open(os.path.join(WORK, "alertmanager.yml"), "w") as file:
        yaml.safe_dump(served, file)
    start("alertmanager", ["prometheus-alertmanager", f"--config.file={WORK}/alertmanager.yml",
                           f"--storage.path={WORK}/alertmanager", f"--web.listen-address=127.0.0.1:{ports['alertmanager']}",
                           "--cluster.listen-address="])
    for role in ("worker", "vote", "result"):
        wait_for(f"{role} ready", 90, lambda role=role: call(f"http://127.0.0.1:{ports[role]}/ready")[0] == 200)
    wait_for("Alertmanager, the Pushgateway and the alert inbox up", 60, lambda:
             all(call(f"http://127.0.0.1:{ports[name]}/{path}")[0] == 200 for name, path in
                 (("alertmanager", "-/ready"), ("pushgateway", "-/ready"), ("inbox", "-/healthy"))))
    push_backup_results(ports["pushgateway"])

    rules_folder = scaled_rules()
    with open(os.path.join(WORK, "prometheus.yml"), "w") as file:
        yaml.safe_dump(prometheus_config(ports, rules_folder), file)
    # Firing alerts are sent again every resend delay (1m by default, scaled like the rest): the first
    # evaluation's may go before Prometheus has found Alertmanager, so they would only arrive a minute later.
    start("prometheus", ["prometheus", f"--config.file={WORK}/prometheus.yml", f"--storage.tsdb.path={WORK}/prometheus",
                         f"--web.listen-address=127.0.0.1:{ports['prometheus']}", f"--rules.alert.resend-delay={scaled('1m')}"])
    log("left out: job cadvisor (no cAdvisor can run on this machine)")
    wait_for("Prometheus up", 60, lambda: call(f"http://127.0.0.1:{ports['prometheus']}/-/ready")[0] == 200)

    log("casting good votes, reading the pages")
    vote = f"http://127.0.0.1:{ports['vote_http']}/"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for i in range(60):
        status, _ = call(vote, f"vote={'ab'[i % 3 == 0]}".encode(), {**form, "Cookie": f"voter_id=monitoring-{i}"})
        if status != 200:
            fail(f"vote {i}: {status}")
    call(vote)
    call(f"http://127.0.0.1:{ports['result_http']}/")
    call(f"http://127.0.0.1:{ports['result_http']}/api/results")
    wait_for("every vote written", 60, lambda: psql("SELECT count(*) FROM votes", DATABASE) == "60")

    prometheus = ports["prometheus"]
    jobs = len(prometheus_config(ports, rules_folder)["scrape_configs"])
    # Three scrapes of every target at least, so rates have data; the rules evaluated since.
    wait_for("every target up and scraped three times, the rules evaluated", 120, lambda:
             len(query(prometheus, "up == 1")) == jobs and len(query(prometheus, "count_over_time(up[1m]) >= 3")) == jobs
             and query(prometheus, "worker_votes_written_total > 0") and query(prometheus, "slo:vote_freshness:votes_rate5m")
             and query(prometheus, 'ALERTS{alertname="Watchdog", alertstate="firing"}'))
    healthy_at = time.time()
    others = sorted({f"{a['metric']['alertname']} ({a['metric']['alertstate']})" for a in
                     query(prometheus, 'ALERTS{alertname!="Watchdog"}', healthy_at)})
    log("alerts firing or pending besides the Watchdog at that moment: " + (", ".join(others) or "none"))

    # 1. No phantom series, in the healthy stack.
    problems = check_phantoms(prometheus, healthy_at)

    # 2. Alerts out of the box: the Watchdog to the dead man's switch path; with Redis stopped, RedisDown.
    with open(os.path.join(ROOT, "alertmanager", "alertmanager.yml")) as file:
        shipped = yaml.safe_load(file)
    watchdog_path = next(h["url"] for r in shipped["receivers"] if r["name"] == "deadmansswitch"
                         for h in r["webhook_configs"] if h["url"].startswith(INBOX_URL)).rsplit("/", 1)[1]
    # The waits as Prometheus and Alertmanager run them here (the shipped ones, TIME_SCALE times shorter).
    watchdog_route = next(r for r in routes(served["route"]) if r.get("receiver") == "deadmansswitch")
    group_wait = max(duration_s(route.get("group_wait", served["route"].get("group_wait", "30s")))
                     for route in routes(served["route"]))
    redis_down_for = next(duration_s(rule.get("for", "0s")) for path in glob.glob(os.path.join(rules_folder, "*.yml"))
                          for group in yaml.safe_load(open(path))["groups"] for rule in group["rules"]
                          if rule.get("alert") == "RedisDown")
    deadline = redis_down_for + group_wait + 2 * (SCRAPE_S + EVALUATE_S) + 30
    log(f"stopping Redis: RedisDown must reach the inbox within {deadline:.0f} s (for {redis_down_for:.0f} s + group "
        f"wait {group_wait:.0f} s + margin; the shipped timings / {TIME_SCALE})")
    redis.terminate()
    redis.wait(10)
    stopped = time.time()
    for _ in range(5):
        call(vote, b"vote=a", form)  # answered 503
    wait_for("RedisDown received by the inbox", deadline, lambda: any(
        a["labels"].get("alertname") == "RedisDown" and a["status"] == "firing"
        for n in received(ports["inbox"]) for a in n["alerts"]))
    notifications = received(ports["inbox"])
    arrived = next(n for n in notifications if any(a["labels"].get("alertname") == "RedisDown" for a in n["alerts"]))
    log(f"RedisDown arrived after {arrived['received_at'] - stopped:.1f} s at receiver {arrived['receiver']}")
    if arrived["receiver"] != "page":
        problems.append(f"RedisDown reached the inbox as {arrived['receiver']}, not page")

    # The Watchdog: first within a minute of Prometheus's start, then again after repeat_interval.
    repeat = duration_s(watchdog_route["repeat_interval"]) + duration_s(watchdog_route.get("group_interval", "5m"))
    heartbeats = lambda: [n for n in received(ports["inbox"]) if n["receiver"] == watchdog_path]
    wait_for(f"two Watchdog notifications at /{watchdog_path} (repeat interval {watchdog_route['repeat_interval']})",
             repeat + 15, lambda: len(heartbeats()) >= 2)
    beats = heartbeats()
    log(f"Watchdog heartbeats {beats[-1]['received_at'] - beats[-2]['received_at']:.0f} s apart")
    for notification in received(ports["inbox"]):
        names = {a["labels"].get("alertname") for a in notification["alerts"]}
        if notification["receiver"] == watchdog_path and names != {"Watchdog"}:
            problems.append(f"the dead man's switch got {sorted(names)}: the Watchdog must be alone there")
        if notification["receiver"] != watchdog_path and "Watchdog" in names:
            problems.append(f"the Watchdog reached {notification['receiver']}: it must page nobody")

    # Nothing RedisDown inhibits got through.
    inhibited = [rule for rule in shipped.get("inhibit_rules", [])
                 if matches({"alertname": "RedisDown", "service": "redis"}, rule.get("source_matchers", []))]
    redis_down = next(a for a in arrived["alerts"] if a["labels"].get("alertname") == "RedisDown")
    for notification in received(ports["inbox"]):
        for alert in notification["alerts"]:
            for rule in inhibited:
                if alert["labels"].get("alertname") != "RedisDown" and matches(alert["labels"], rule.get("target_matchers", [])) \
                        and all(alert["labels"].get(l) == redis_down["labels"].get(l) for l in rule.get("equal", [])):
                    problems.append(f"{alert['labels'].get('alertname')} reached the inbox though RedisDown inhibits it")
    log("alerts received: " + ", ".join(sorted({f"{a['labels'].get('alertname')}({a['status']}, {n['receiver']})"
                                                for n in received(ports["inbox"]) for a in n["alerts"]})))

    if problems:
        for problem in problems:
            log("  " + problem)
        fail(f"{len(problems)} problem(s)")
    log("PASS: no phantom series in dashboards or rules; the Watchdog reached the dead man's switch path, alone and "
        "repeated; RedisDown reached the inbox as a page and nothing it inhibits did")


def matches(labels, matchers):
    """Alertmanager matchers such as 'alertname = "RedisDown"', 'severity=~"page|ticket"', 'service!=vote'."""
    for matcher in matchers:
        found = re.fullmatch(r'\s*(\w+)\s*(=~|!~|!=|=)\s*"?(.*?)"?\s*', matcher)
        if not found:
            raise ValueError(f"matcher not understood: {matcher}")
        name, op, value = found.groups()
        actual = labels.get(name, "")
        if op == "=" and actual != value or op == "!=" and actual == value:
            return False
        if op == "=~" and not re.fullmatch(value, actual) or op == "!~" and re.fullmatch(value, actual):
            return False
    return True


def cleanup():
    for name, process in reversed(PROCESSES):
        if process.poll() is None:
            process.terminate()
    for name, process in PROCESSES:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
    for sql in (f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", f"DROP ROLE IF EXISTS {MONITOR_ROLE}"):
        try:
            psql(sql)
        except subprocess.CalledProcessError as failed:
            log(f"could not {sql}: {failed.stderr}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        # The PromQL helpers on examples from the rules (no servers).
        try:
            assert selectors('sum by (service) (rate(a_total{code=~"5..", x="}"}[5m])) or b * 0 > bool 1') == \
                ['a_total{code=~"5..", x="}"}', "b"], selectors('sum by (service) (rate(a_total{code=~"5.."}[5m])) or b')
            assert selectors("histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m]))) offset 5m") == ["h_bucket"]
            assert selectors("time() - max(x and on (job, instance) y) > 26 * 3600") == ["x", "y"]
            assert non_filtering('absent(up{job="vote"} == 1)') == '(up{job="vote"} == bool 1)'
            assert without_allowed_empty('sum(rate(r{code=~"5.."}[1m])) or sum(rate(r[1m])) * 0') == \
                'sum(rate(r{code=~"5..", __never__="1"}[1m])) or sum(rate(r[1m])) * 0'
            assert non_filtering('a{code!~"5.."} / b > 0.9 and c >= bool 2') == 'a{code!~"5.."} / b > bool 0.9 and c >= bool 2'
            print("self-test ok")
        finally:
            shutil.rmtree(WORK, ignore_errors=True)
        sys.exit(0)
    status = 0
    try:
        main()
    except SystemExit as exit:
        status = exit.code or 0
    finally:
        cleanup()
        if status:
            for name, _ in PROCESSES:
                log(f"--- last lines of {name}.log")
                with open(os.path.join(WORK, name + ".log")) as file:
                    for line in file.readlines()[-15:]:
                        print("    " + line.rstrip()[:300])
        shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(status)
