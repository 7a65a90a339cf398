#!/usr/bin/python3
"""The monitoring, live, on this machine's real binaries (run by .ci/monitoring-live.sh).

Starts the three roles from the jar, a Redis of its own, a database of its own on the machine's
PostgreSQL, Debian's redis_exporter and postgres_exporter, a real Prometheus with a configuration derived
from prometheus/prometheus.yml (same jobs, labels and rules; local targets; shorter intervals) and a real
Alertmanager with alertmanager/alertmanager.yml whose receivers all point at a webhook of this script.
It casts votes, good and bad, then proves:

1. no phantom metrics: every metric named in a rule or a dashboard has series in Prometheus;
2. every dashboard query, with its variables filled in, returns data;
3. with Redis stopped, the RedisDown alert reaches the webhook within the rule's `for` plus the group
   wait plus a margin, and no alert that RedisDown inhibits reaches it.

What cannot run here is left out and said so: cAdvisor (container_* metrics), Loki (log panels).
Every process it starts is stopped at the end; every wait has a deadline.
"""
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "launcher", "target", "voting-app.jar")
SCRAPE_S = 5
EVALUATE_S = 5
# Metrics that need a program this machine cannot run (cAdvisor), or that the backup jobs push, which
# .ci/backup-drill.sh proves are scraped.
UNAVAILABLE = re.compile(r"^(container_|voting_backup_|voting_restore_drill_)")

PROCESSES = []
WORK = tempfile.mkdtemp(prefix="voting-monitoring-")
DATABASE = "voting_monitoring_" + str(os.getpid())


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
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-Atc", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def query(prometheus, expr, at=None):
    params = {"query": expr, **({"time": f"{at:.3f}"} if at else {})}
    status, body = call(f"http://127.0.0.1:{prometheus}/api/v1/query?" + urllib.parse.urlencode(params))
    answer = json.loads(body)
    if answer.get("status") != "success":
        raise ValueError(f"{expr}: {answer.get('error')}")
    return answer["data"]["result"]


# --- the webhook every receiver points at -------------------------------------------------------
RECEIVED = []


class Webhook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        for alert in body.get("alerts", []):
            RECEIVED.append({"at": time.time(), "receiver": self.path.strip("/"), "status": alert["status"],
                             "labels": alert["labels"]})
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


# --- metric names in PromQL ---------------------------------------------------------------------
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
            "offset", "inf", "nan", "le", "atan2"}


def metric_names(expr):
    """The metric names a PromQL expression selects (functions, keywords, labels and strings left out)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    text = re.sub(r"\{[^}]*\}", "", text)                  # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)                 # ranges and subqueries
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)
    names = set()
    for match in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", text):
        name = match.group(0)
        rest = text[match.end():].lstrip()
        if rest.startswith("(") or name in KEYWORDS or re.fullmatch(r"\d+[smhdwy]", name):
            continue
        names.add(name)
    return names


def rule_exprs():
    exprs = []
    for name in sorted(os.listdir(os.path.join(ROOT, "prometheus", "rules"))):
        with open(os.path.join(ROOT, "prometheus", "rules", name)) as file:
            for group in yaml.safe_load(file)["groups"]:
                for rule in group["rules"]:
                    exprs.append((name, rule.get("alert") or rule.get("record"), str(rule["expr"])))
    return exprs


def dashboard_queries(services):
    queries = []
    for service in services:
        out = subprocess.run([sys.executable, os.path.join(ROOT, ".ci", "dashboards_check.py"), "--queries",
                              "--var", f"service={service}"], check=True, capture_output=True, text=True).stdout
        queries += [json.loads(line) for line in out.splitlines() if line.strip()]
    unique = {}
    for item in queries:
        unique[(item["dashboard"], item["panel"], item["expr"])] = item
    return list(unique.values())


# --- the derived configurations -----------------------------------------------------------------
def prometheus_config(ports):
    with open(os.path.join(ROOT, "prometheus", "prometheus.yml")) as file:
        config = yaml.safe_load(file)
    config["global"]["scrape_interval"] = f"{SCRAPE_S}s"
    config["global"]["scrape_timeout"] = f"{SCRAPE_S - 1}s"
    config["global"]["evaluation_interval"] = f"{EVALUATE_S}s"
    config["rule_files"] = [os.path.join(ROOT, "prometheus", rules) for rules in config["rule_files"]]
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


def alertmanager_config(webhook_port):
    with open(os.path.join(ROOT, "alertmanager", "alertmanager.yml")) as file:
        config = yaml.safe_load(file)
    for receiver in config["receivers"]:
        name = receiver["name"]
        for key in list(receiver):
            if key.endswith("_configs"):
                del receiver[key]
        receiver["webhook_configs"] = [{"url": f"http://127.0.0.1:{webhook_port}/{name}", "send_resolved": True}]
    config.get("global", {}).pop("slack_api_url_file", None)
    config.get("global", {}).pop("smtp_auth_password_file", None)
    return config


def duration_s(text):
    seconds = 0
    for amount, unit in re.findall(r"(\d+)(ms|s|m|h|d)", str(text)):
        seconds += int(amount) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
    return seconds


def routes(route):
    yield route
    for child in route.get("routes", []):
        yield from routes(child)


# --- the run -------------------------------------------------------------------------------------
def main():
    if not os.path.exists(JAR):
        fail(f"{JAR} is missing: build it first (./mvnw package)")
    ports = {name: free_port() for name in ("redis_server", "vote_http", "result_http", "vote", "worker",
                                            "result", "redis", "postgres", "prometheus", "alertmanager", "webhook")}

    webhook = http.server.ThreadingHTTPServer(("127.0.0.1", ports["webhook"]), Webhook)
    threading.Thread(target=webhook.serve_forever, daemon=True).start()

    log(f"Redis on {ports['redis_server']}, database {DATABASE}, work folder {WORK}")
    redis = start("redis", ["redis-server", "--port", str(ports["redis_server"]), "--bind", "127.0.0.1",
                            "--save", "", "--appendonly", "no", "--maxmemory", "64mb",
                            "--maxmemory-policy", "noeviction", "--dir", WORK])
    psql(f"CREATE DATABASE {DATABASE}")
    app_env = {"REDIS_URL": f"redis://127.0.0.1:{ports['redis_server']}", "PGHOST": "127.0.0.1", "PGPORT": "5432",
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
    for role in ("worker", "vote", "result"):
        wait_for(f"{role} ready", 90, lambda role=role: call(f"http://127.0.0.1:{ports[role]}/ready")[0] == 200)

    start("redis-exporter", ["prometheus-redis-exporter", f"--redis.addr=redis://127.0.0.1:{ports['redis_server']}",
                             f"--web.listen-address=127.0.0.1:{ports['redis']}"])
    start("postgres-exporter", ["prometheus-postgres-exporter", f"--web.listen-address=127.0.0.1:{ports['postgres']}"],
          {"DATA_SOURCE_NAME": f"postgresql://postgres@127.0.0.1:5432/{DATABASE}?sslmode=disable"})

    with open(os.path.join(WORK, "alertmanager.yml"), "w") as file:
        yaml.safe_dump(alertmanager_config(ports["webhook"]), file)
    start("alertmanager", ["prometheus-alertmanager", f"--config.file={WORK}/alertmanager.yml",
                           f"--storage.path={WORK}/alertmanager", f"--web.listen-address=127.0.0.1:{ports['alertmanager']}",
                           "--cluster.listen-address="])
    with open(os.path.join(WORK, "prometheus.yml"), "w") as file:
        yaml.safe_dump(prometheus_config(ports), file)
    start("prometheus", ["prometheus", f"--config.file={WORK}/prometheus.yml", f"--storage.tsdb.path={WORK}/prometheus",
                         f"--web.listen-address=127.0.0.1:{ports['prometheus']}"])
    log("left out: job cadvisor (no cAdvisor can run on this machine)")
    wait_for("Prometheus and Alertmanager up", 60, lambda: call(f"http://127.0.0.1:{ports['prometheus']}/-/ready")[0] == 200
             and call(f"http://127.0.0.1:{ports['alertmanager']}/-/ready")[0] == 200)

    log("casting votes, good and bad")
    vote = f"http://127.0.0.1:{ports['vote_http']}/"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for i in range(60):
        status, _ = call(vote, f"vote={'ab'[i % 3 == 0]}".encode(), form)
        if status != 200:
            fail(f"vote {i}: {status}")
    for body in (b"vote=zzz", b"name=cats"):
        call(vote, body, form)
    call(vote)
    call(f"http://127.0.0.1:{ports['result_http']}/")
    call(f"http://127.0.0.1:{ports['result_http']}/api/results")
    websocket_with_foreign_origin(ports["result_http"])
    subprocess.run(["redis-cli", "-p", str(ports["redis_server"]), "rpush", "votes", "not a vote"], check=True,
                   capture_output=True)
    wait_for("every vote written", 60, lambda: psql("SELECT count(*) FROM votes", DATABASE) == "60")

    prometheus = ports["prometheus"]
    jobs = len(prometheus_config(ports)["scrape_configs"])
    # Three scrapes of every target at least, so rates over the dashboards' windows have data.
    wait_for("every target up and scraped three times", 120, lambda: len(query(prometheus, "up == 1")) == jobs
             and len(query(prometheus, "count_over_time(up[1m]) >= 3")) == jobs
             and query(prometheus, "worker_votes_written_total > 0") and query(prometheus, "worker_dead_letters_total > 0"))

    # Everything is up and has traffic: the moment the dashboards are looked at first.
    healthy_at = time.time()

    # Redis goes away: the alert must come through, and what it inhibits must not.
    with open(os.path.join(ROOT, "alertmanager", "alertmanager.yml")) as file:
        shipped_am = yaml.safe_load(file)
    group_wait = max(duration_s(route.get("group_wait", "30s")) for route in routes(shipped_am["route"]))
    redis_down_for = next(duration_s(rule.get("for", "0s")) for group in load_rules() for rule in group["rules"]
                          if rule.get("alert") == "RedisDown")
    deadline = redis_down_for + group_wait + 2 * (SCRAPE_S + EVALUATE_S) + 30
    log(f"stopping Redis: RedisDown must arrive within {deadline:.0f} s (for {redis_down_for:.0f} s + group wait "
        f"{group_wait:.0f} s + margin)")
    redis.terminate()
    redis.wait(10)
    stopped = time.time()
    for i in range(5):
        call(vote, b"vote=a", form)  # answered 503: 5xx series and Redis failures
    wait_for("RedisDown received by the webhook", deadline, lambda: any(
        alert["labels"].get("alertname") == "RedisDown" and alert["status"] == "firing" for alert in RECEIVED))
    arrived = next(alert for alert in RECEIVED if alert["labels"].get("alertname") == "RedisDown")
    log(f"RedisDown arrived after {arrived['at'] - stopped:.1f} s at receiver {arrived['receiver']}")

    problems = []
    # 1. No phantom metrics.
    recorded = {name for _, name, _ in rule_exprs() if name and ":" in name}
    queries = dashboard_queries(["vote", "worker", "result"])
    named = {}
    for source, rule, expr in rule_exprs():
        for name in metric_names(expr):
            named.setdefault(name, f"rule {rule} ({source})")
    for item in queries:
        if item.get("datasource", "prometheus") == "prometheus":
            for name in metric_names(item["expr"]):
                named.setdefault(name, f"dashboard {item['dashboard']}, panel {item['panel']}")
    left_out = sorted(name for name in named if UNAVAILABLE.match(name))
    for name, where in sorted(named.items()):
        if UNAVAILABLE.match(name):
            continue
        if not query(prometheus, f'count(last_over_time({{__name__="{name}"}}[30m]))'):
            problems.append(f"no series for {name} (named in {where})" + (" [a recording rule]" if name in recorded else ""))
    log(f"{len(named) - len(left_out)} metric names checked for series; left out (cAdvisor, cannot run here): {', '.join(left_out) or 'none'}")

    # 2. Every dashboard query returns data: while all is well, or now, with Redis down (5xx, failures).
    checked = 0
    for item in queries:
        if item.get("datasource", "prometheus") != "prometheus" or any(UNAVAILABLE.match(n) for n in metric_names(item["expr"])):
            continue
        checked += 1
        try:
            if not query(prometheus, item["expr"], healthy_at) and not query(prometheus, item["expr"]):
                samples = {name: len(query(prometheus, f'{name}[10m]', healthy_at)) for name in metric_names(item["expr"])}
                problems.append(f"no data: {item['dashboard']} / {item['panel']}: {item['expr']} (series with samples "
                                f"in the 10 minutes before all was well: {samples})")
        except ValueError as invalid:
            problems.append(f"query refused: {item['dashboard']} / {item['panel']}: {invalid}")
    log(f"{checked} dashboard queries run, with service = vote, worker and result, while healthy and with Redis down")

    # 3. Nothing RedisDown inhibits got through.
    inhibited = []
    for rule in shipped_am.get("inhibit_rules", []):
        if matches({"alertname": "RedisDown", "service": "redis"}, rule.get("source_matchers", [])):
            inhibited.append(rule)
    for alert in RECEIVED:
        for rule in inhibited:
            if alert["labels"].get("alertname") != "RedisDown" and matches(alert["labels"], rule.get("target_matchers", [])) \
                    and all(alert["labels"].get(label) == arrived["labels"].get(label) for label in rule.get("equal", [])):
                problems.append(f"{alert['labels'].get('alertname')} reached the webhook though RedisDown inhibits it")
    log("alerts received: " + ", ".join(sorted({f"{a['labels'].get('alertname')}({a['status']}, {a['receiver']})" for a in RECEIVED})))

    if problems:
        for problem in problems:
            log("  " + problem)
        fail(f"{len(problems)} problem(s)")
    log("PASS: no phantom metrics, every dashboard query has data, RedisDown reached the webhook and nothing it inhibits did")


def load_rules():
    groups = []
    for name in sorted(os.listdir(os.path.join(ROOT, "prometheus", "rules"))):
        with open(os.path.join(ROOT, "prometheus", "rules", name)) as file:
            groups += yaml.safe_load(file)["groups"]
    return groups


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


def websocket_with_foreign_origin(port):
    """An upgrade from another site's page: refused with 403 (result_clients_refused_total{reason="origin"})."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  b"Origin: https://evil.example\r\n\r\n")
        answer = s.recv(200).decode("latin1")
        if " 403 " not in answer.split("\r\n")[0]:
            fail(f"a foreign origin's upgrade: {answer.splitlines()[0] if answer else 'no answer'}")


def cleanup():
    for name, process in reversed(PROCESSES):
        if process.poll() is None:
            process.terminate()
    for name, process in PROCESSES:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
    try:
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    except subprocess.CalledProcessError as failed:
        log(f"could not drop {DATABASE}: {failed.stderr}")


if __name__ == "__main__":
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
