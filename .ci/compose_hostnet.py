#!/usr/bin/python3
"""Turns the resolved docker-compose.yml (stdin, from `docker-compose config`) into the CI variant (stdout).

This machine's Docker engine runs without bridge networking, so CI runs the real compose file's services,
images, healthchecks, secrets, volumes and limits on the host network: each service loses `networks`
and `ports`, listens on a port that cannot clash with the machine's own Redis/PostgreSQL, and the
containers reach each other on 127.0.0.1. Which service may reach which (the networks) cannot be seen
here: .ci/compose_networks.py checks it on the real file. The worker gets two more replicas (worker2, worker3, under the
profile "scale") with their own health ports and ids, because --scale cannot give replicas different
ports on one host network.
"""
import copy
import sys

import yaml

PORTS = {"vote": 15000, "result": 15001, "redis": 16379, "db": 15432}
# Management ports (/health, /ready, /metrics), one per process on the shared host network.
MANAGEMENT = {"vote": 15080, "result": 15081, "worker": 15082}
REDIS_URL = f"redis://127.0.0.1:{PORTS['redis']}"

config = yaml.safe_load(sys.stdin)
services = config["services"]
for name, service in services.items():
    service.pop("networks", None)
    service.pop("ports", None)
    service.pop("build", None)
    service["network_mode"] = "host"

# The compose file starts Redis through `sh -c '... exec redis-server ... "$@"' redis-server`: arguments
# added to its command go on to redis-server. The healthcheck (a shell line that authenticates) gets the port.
services["redis"]["command"] += ["--port", str(PORTS["redis"]), "--bind", "127.0.0.1"]
health = services["redis"]["healthcheck"]["test"]
assert health[0] == "CMD-SHELL" and health[1].count("redis-cli ping") == 1, f"unexpected Redis healthcheck: {health}"
health[1] = health[1].replace("redis-cli ping", f"redis-cli -p {PORTS['redis']} ping")
services["db"]["command"] = ["postgres", "-p", str(PORTS["db"]), "-c", "listen_addresses=127.0.0.1"]
services["db"]["healthcheck"]["test"] = ["CMD", "pg_isready", "-U", "postgres", "-h", "127.0.0.1", "-p", str(PORTS["db"])]

services["vote"]["environment"].update(VOTE_PORT=str(PORTS["vote"]), MANAGEMENT_PORT=str(MANAGEMENT["vote"]),
                                       REDIS_URL=REDIS_URL)
services["result"]["environment"].update(RESULT_PORT=str(PORTS["result"]), MANAGEMENT_PORT=str(MANAGEMENT["result"]),
                                         PGHOST="127.0.0.1", PGPORT=str(PORTS["db"]))
services["worker"]["environment"].update(MANAGEMENT_PORT=str(MANAGEMENT["worker"]), WORKER_ID="worker-1",
                                         REDIS_URL=REDIS_URL, PGHOST="127.0.0.1", PGPORT=str(PORTS["db"]))
for one_shot in ("db-roles", "migrate"):
    services[one_shot]["environment"].update(PGHOST="127.0.0.1", PGPORT=str(PORTS["db"]))
services["seed"]["environment"]["VOTE_URL"] = f"http://127.0.0.1:{PORTS['vote']}/"

for replica in (2, 3):
    worker = copy.deepcopy(services["worker"])
    worker["environment"].update(MANAGEMENT_PORT=str(MANAGEMENT["worker"] + replica - 1), WORKER_ID=f"worker-{replica}")
    worker["profiles"] = ["scale"]
    services[f"worker{replica}"] = worker

config.pop("networks", None)
yaml.safe_dump(config, sys.stdout, sort_keys=False)
