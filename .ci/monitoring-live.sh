#!/usr/bin/env bash
# The monitoring, live, on real binaries: the three roles from the jar, Debian's Prometheus,
# Alertmanager, redis_exporter and postgres_exporter, with the shipped rules, dashboards and routes.
# See .ci/monitoring_live.py for what it proves. Needs launcher/target/voting-app.jar (./mvnw package),
# the machine's PostgreSQL on 127.0.0.1:5432 and redis-server; installs the Debian packages it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v prometheus >/dev/null || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null || need+=(prometheus-alertmanager)
command -v prometheus-redis-exporter >/dev/null || need+=(prometheus-redis-exporter)
command -v prometheus-postgres-exporter >/dev/null || need+=(prometheus-postgres-exporter)
/usr/bin/python3 -c 'import yaml' 2>/dev/null || need+=(python3-yaml)
if [ "${#need[@]}" -gt 0 ]; then
  echo "[monitoring] installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
exec /usr/bin/python3 .ci/monitoring_live.py
