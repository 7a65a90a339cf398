#!/usr/bin/env bash
# The monitoring, live, on real binaries: the three roles from the jar, Debian's Prometheus,
# Alertmanager, Pushgateway, redis_exporter and postgres_exporter, and the alert inbox, with the shipped
# rules, dashboards and routes. See .ci/monitoring_live.py for what it proves: no phantom series in any
# dashboard query or rule expression of a healthy stack, and alerts (the Watchdog, RedisDown) reaching
# the out-of-the-box receiver. Needs the jar (built when missing; VOTING_APP_JAR names another),
# redis-server and a PostgreSQL: the machine's on 127.0.0.1:5432, else a private one started here.
# Installs the Debian packages it needs. About a minute (the alerts' waits run six times faster here).
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=monitoring
# shellcheck source=.ci/lib.sh
source .ci/lib.sh

need_packages prometheus prometheus-alertmanager prometheus-pushgateway prometheus-redis-exporter \
  prometheus-postgres-exporter python3-yaml redis-server postgresql
VOTING_APP_JAR=$(app_jar)
export VOTING_APP_JAR

# The PromQL helpers first (no servers), then the stack.
/usr/bin/python3 .ci/monitoring_live.py --self-test
if pg_isready -q -h 127.0.0.1 -p 5432; then
  exec /usr/bin/python3 .ci/monitoring_live.py
fi
pg=$(mktemp -d /tmp/monitoring-pg.XXXXXX)
trap 'stop_private_postgres "$pg"; rm -rf "$pg"' EXIT
MONITORING_PGPORT=$(free_port 15490)
export MONITORING_PGPORT
log "no PostgreSQL on 127.0.0.1:5432: a private one on $MONITORING_PGPORT"
start_private_postgres "$pg" "$MONITORING_PGPORT"
/usr/bin/python3 .ci/monitoring_live.py
