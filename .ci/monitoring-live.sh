#!/usr/bin/env bash
# The monitoring, live, on real binaries: the three roles from the jar, Debian's Prometheus,
# Alertmanager, Pushgateway, redis_exporter and postgres_exporter, and the alert inbox, with the shipped
# rules, dashboards and routes. See .ci/monitoring_live.py for what it proves: no phantom series in any
# dashboard query or rule expression of a healthy stack, and alerts (the Watchdog, RedisDown) reaching
# the out-of-the-box receiver. Needs launcher/target/voting-app.jar (./mvnw package), the machine's
# PostgreSQL on 127.0.0.1:5432 and redis-server; installs the Debian packages it needs. About 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v prometheus >/dev/null || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null || need+=(prometheus-alertmanager)
command -v prometheus-pushgateway >/dev/null || need+=(prometheus-pushgateway)
command -v prometheus-redis-exporter >/dev/null || need+=(prometheus-redis-exporter)
command -v prometheus-postgres-exporter >/dev/null || need+=(prometheus-postgres-exporter)
/usr/bin/python3 -c 'import yaml' 2>/dev/null || need+=(python3-yaml)
if [ "${#need[@]}" -gt 0 ]; then
  echo "[monitoring] installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Wait for another apt-get (a parallel job) rather than fail on its lock.
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The PromQL helpers first (no servers), then the stack.
/usr/bin/python3 .ci/monitoring_live.py --self-test
exec /usr/bin/python3 .ci/monitoring_live.py
