#!/usr/bin/python3
"""Checks the networks of a resolved compose file (stdin, from `docker compose config`); exit 1 naming
every problem.

1. Every network a service names is defined (`config -q` misses that).
2. Networks follow need: the vote service shares a network with Redis and none with PostgreSQL, the
   result service one with PostgreSQL and none with Redis, the worker one with each, and the seed job
   one with the vote service. On the CI host network this cannot be seen at run time, so it is checked
   here, on the real compose file.
3. Redis and PostgreSQL sit only on internal networks and publish no port; no service publishes the
   management port (8081, or the service's MANAGEMENT_PORT).
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
    ("seed", "vote", True),
]
DATA_STORES = ("redis", "db")

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

for a, b, share in REACH:
    if a not in services or b not in services:
        problems.append(f"service missing: {a if a not in services else b}")
        continue
    common = networks_of(a) & networks_of(b)
    if share and not common:
        problems.append(f"{a} shares no network with {b}, but needs to reach it")
    if not share and common:
        problems.append(f"{a} shares {sorted(common)} with {b}: it must not reach {b}")

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

if problems:
    print("network check failed:\n  " + "\n  ".join(problems))
    sys.exit(1)
print(f"networks ok: {sorted(defined)}; vote reaches redis only, result db only, worker both;"
      f" {', '.join(DATA_STORES)} internal and unpublished; no management port published")
