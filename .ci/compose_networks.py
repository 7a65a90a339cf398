#!/usr/bin/python3
"""Fails when a service names a network the compose files do not define (`config -q` misses that)."""
import sys

import yaml

config = yaml.safe_load(sys.stdin)
defined = set((config.get("networks") or {}).keys())
missing = []
for name, service in config["services"].items():
    networks = service.get("networks") or []
    for network in networks if isinstance(networks, list) else networks.keys():
        if network not in defined:
            missing.append(f"{name} -> {network}")
if missing:
    print("undefined networks: " + ", ".join(missing))
    sys.exit(1)
print(f"networks ok: {sorted(defined)}")
