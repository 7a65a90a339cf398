#!/usr/bin/python3
"""Checks the networks of a resolved compose file (stdin, from `docker compose config`); exit 1 naming
every problem.

1. Every network a service names is defined (`config -q` misses that).
2. Networks follow need: the vote service shares a network with Redis and none with PostgreSQL, the
   result service one with PostgreSQL and none with Redis, the worker one with each, the one-shots
   db-roles and migrate one with PostgreSQL and none with Redis, and the seed job one with the vote service. On the CI host network this cannot be seen at run time, so it is checked
   here, on the real compose file.
3. Redis and PostgreSQL sit only on internal networks and publish no port; no service publishes the
   management port (8081, or the service's MANAGEMENT_PORT).
4. The monitoring profile (when its services are in the file; --require-monitoring: they must be):
   Prometheus reaches the management ports of vote, worker and result, the exporters, cAdvisor and
   Alertmanager, but neither Redis nor PostgreSQL; redis-exporter reaches Redis only, postgres-exporter
   PostgreSQL only; Grafana reaches Prometheus, Loki and Alertmanager, Alloy reaches Loki, and none of
   them the data stores. Only the services that need them sit on the app's networks (queue: vote,
   worker, redis, redis-exporter; store: worker, result, db, postgres-exporter, loadtest; front-tier:
   vote, result, seed, loadtest). Monitoring services sit only on internal networks except Grafana and Jaeger (their
   published UIs) and Alertmanager (its receivers), and only Grafana and Jaeger's UI publish a port.
"""
import sys

import yaml

MANAGEMENT_DEFAULT = "8081"
# (service, service, must they share a network?)
REACH = [
    ("vote", "redis", True),
    ("vote", "db", False),
    ("result", "db", True),
    ("result", "redis", False),
    ("worker", "redis", True),
    ("worker", "db", True),
    # The one-shots before worker and result: the roles (as the superuser), then the schema (as its owner).
    ("db-roles", "db", True),
    ("db-roles", "redis", False),
    ("migrate", "db", True),
    ("migrate", "redis", False),
    ("seed", "vote", True),
    # The load-test kit (profile loadtest) reads the votes table to check the count, but never Redis.
    ("loadtest", "vote", True),
    ("loadtest", "result", True),
    ("loadtest", "db", True),
    ("loadtest", "redis", False),
    # Profile ops: the backup dumps PostgreSQL and reads the queue depth; the drill restores into PostgreSQL.
    ("backup", "db", True),
    ("backup", "redis", True),
    ("restore-drill", "db", True),
    ("restore-drill", "redis", False),
]
DATA_STORES = ("redis", "db")
MONITORING = ("prometheus", "alertmanager", "grafana", "loki", "alloy", "redis-exporter", "postgres-exporter",
              "cadvisor", "jaeger", "pushgateway")
MONITORING_REACH = (
    [("prometheus", target, True) for target in
     ("vote", "worker", "result", "redis-exporter", "postgres-exporter", "cadvisor", "alertmanager")]
    + [("redis-exporter", "redis", True), ("postgres-exporter", "db", True),
       ("grafana", "prometheus", True), ("grafana", "loki", True), ("grafana", "alertmanager", True),
       ("alloy", "loki", True), ("grafana", "jaeger", True),
       ("prometheus", "pushgateway", True), ("backup", "pushgateway", True), ("restore-drill", "pushgateway", True)]
    # The roles send their spans to Jaeger.
    + [(role, "jaeger", True) for role in ("vote", "worker", "result")]
    + [(name, store, False) for name in MONITORING for store in DATA_STORES
       if (name, store) not in (("redis-exporter", "redis"), ("postgres-exporter", "db"))]
)
# Who may sit on the app's own networks at all.
MEMBERS = {
    "queue": {"vote", "worker", "redis", "redis-exporter", "backup"},
    "store": {"worker", "result", "db", "db-roles", "migrate", "postgres-exporter", "loadtest", "backup", "restore-drill"},
    "front-tier": {"vote", "result", "seed", "loadtest"},
}
# Monitoring services with a network that is not internal, and the one that publishes a port.
MONITORING_OUTSIDE = {"grafana", "alertmanager", "jaeger"}
MONITORING_PUBLISHED = {"grafana", "jaeger"}

require_monitoring = "--require-monitoring" in sys.argv[1:]
config = yaml.safe_load(sys.stdin)
services = config["services"]
defined = config.get("networks") or {}
problems = []


def networks_of(name):
    """The networks a service is attached to; `network_mode: X` counts as one network named after X."""
    service = services[name]
    if "network_mode" in service:
        return {"network_mode:" + str(service["network_mode"])}
    networks = service.get("networks")
    if networks is None:
        return {"default"}
    return set(networks if isinstance(networks, list) else networks.keys())


def container_ports(service):
    """The container side of each published port, short or long syntax."""
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            yield str(port.get("target"))
        else:
            yield str(port).split("/")[0].rsplit(":", 1)[-1]


for name in services:
    for network in sorted(networks_of(name)):
        if network != "default" and not network.startswith("network_mode:") and network not in defined:
            problems.append(f"undefined network: {name} -> {network}")

def check_reach(a, b, share):
    """A problem when a and b share a network and must not, or share none and must."""
    common = networks_of(a) & networks_of(b)
    if share and not common:
        problems.append(f"{a} shares no network with {b}, but needs to reach it")
    if not share and common:
        problems.append(f"{a} shares {sorted(common)} with {b}: it must not reach {b}")


for a, b, share in REACH:
    if a not in services or b not in services:
        problems.append(f"service missing: {a if a not in services else b}")
        continue
    check_reach(a, b, share)

for name in DATA_STORES:
    if name not in services:
        continue
    for network in sorted(networks_of(name)):
        settings = defined.get(network) or {}
        if not settings.get("internal"):
            problems.append(f"{name} is on {network}, which is not internal: true")
    if services[name].get("ports"):
        problems.append(f"{name} publishes ports {services[name]['ports']}: it must not be reachable from the host")

for name, service in services.items():
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    management = str(environment.get("MANAGEMENT_PORT") or MANAGEMENT_DEFAULT)
    for target in container_ports(service):
        if target == management:
            problems.append(f"{name} publishes its management port {management} (/health, /ready, /metrics)")

monitoring = [name for name in MONITORING if name in services]
if require_monitoring and len(monitoring) < len(MONITORING):
    problems.append(f"monitoring services missing: {sorted(set(MONITORING) - set(monitoring))}")
if monitoring:
    for a, b, share in MONITORING_REACH:
        if a in services and b in services:
            check_reach(a, b, share)
    for name in monitoring:
        for network in sorted(networks_of(name)):
            settings = defined.get(network) or {}
            if not settings.get("internal") and name not in MONITORING_OUTSIDE:
                problems.append(f"{name} is on {network}, which is not internal: true")
        if services[name].get("ports") and name not in MONITORING_PUBLISHED:
            problems.append(f"{name} publishes ports {services[name]['ports']}: only Grafana and Jaeger's UI may")
for network, members in MEMBERS.items():
    for name in services:
        if network in networks_of(name) and name not in members:
            problems.append(f"{name} is on {network}, which is only for {', '.join(sorted(members))}")

if problems:
    print("network check failed:\n  " + "\n  ".join(problems))
    sys.exit(1)
summary = (f"networks ok: {sorted(defined)}; vote reaches redis only, result db only, worker both;"
           f" {', '.join(DATA_STORES)} internal and unpublished; no management port published")
if monitoring:
    summary += ("; monitoring: Prometheus reaches the app, exporters, cAdvisor and Alertmanager but no data"
                " store, each exporter only its own store, the roles reach Jaeger, only Grafana and Jaeger's UI published")
else:
    summary += "; monitoring profile not in this file (no --profile monitoring)"
print(summary)
