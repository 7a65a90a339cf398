#!/usr/bin/env python3
"""The policy module's secret_readers (which UIDs may read each compose secret file on the host)
must match docker-compose.yml: for every secret, the UIDs of exactly the services that mount it (the
app's services and the monitoring profile's, which the host starts; a secret only other profiles use,
such as ops's backup keys, is not written on the host). A service that mounts a secret must name its user.

usage: compose_secret_readers.py docker-compose.yml READERS_JSON
"""
import json
import sys

import yaml

compose = yaml.safe_load(open(sys.argv[1]))
readers = {k: sorted(v) for k, v in json.load(open(sys.argv[2])).items()}

defined = set(compose.get("secrets", {}))
expected, problems = {}, []
for svc, spec in compose["services"].items():
    profiles = spec.get("profiles", [])
    if profiles and "monitoring" not in profiles:
        continue
    for s in spec.get("secrets", []):
        name = s if isinstance(s, str) else s["source"]
        user = str(spec.get("user", ""))
        if not user.split(":")[0].isdigit():
            problems.append(f"service {svc} mounts secret {name} but has no numeric user: its UID is unknown")
            continue
        expected.setdefault(name, set()).add(int(user.split(":")[0]))

for name in sorted(set(expected) | set(readers)):
    want, got = sorted(expected.get(name, set())), readers.get(name)
    if got is None:
        problems.append(f"secret {name}: in docker-compose.yml, but the policy module writes no file for it")
    elif name not in defined:
        problems.append(f"secret {name}: written by the policy module, but docker-compose.yml defines no such secret")
    elif name not in expected:
        problems.append(f"secret {name}: written by the policy module, but no service the host starts mounts it")
    elif want != got:
        problems.append(f"secret {name}: docker-compose.yml mounts it for UIDs {want}, the policy module grants {got}")

for p in problems:
    print(p)
print(f"{len(readers)} secrets compared with docker-compose.yml, {len(problems)} problems")
sys.exit(1 if problems else 0)
