#!/usr/bin/env bash
# Checks of the alerting configuration that need no running app: Prometheus's configuration and rules
# (promtool 2.42), the rules' unit tests and their coverage (a firing and a silent case per alert; the
# always-firing Watchdog has no silent case, it must have no `for` instead), Alertmanager's configuration
# (amtool 0.25), the receiver of every severity and service, the Watchdog's own route to the dead man's
# switch, and the inhibition rules (the Watchdog never inhibited), on a real Alertmanager started on
# loopback for a few seconds. Installs Debian's prometheus, prometheus-alertmanager and python3-yaml when
# missing. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

LOG_TAG=monitoring
# shellcheck source=.ci/lib.sh
source .ci/lib.sh

need_packages prometheus prometheus-alertmanager python3-yaml
log "$(promtool --version 2>&1 | head -n 1)"
log "$(amtool --version 2>&1 | head -n 1)"

prom_config=prometheus/prometheus.yml
am_config=alertmanager/alertmanager.yml
rule_files=(prometheus/rules/*.yml)
test_files=(prometheus/tests/*.yml)

# --- Prometheus -------------------------------------------------------------------------------------
# check config also checks every rule file it names (rule_files: rules/*.yml).
promtool check config "$prom_config" >/dev/null || { promtool check config "$prom_config"; fail "promtool check config $prom_config"; }
log "promtool check config $prom_config: valid, with ${#rule_files[@]} rule files"
promtool check rules "${rule_files[@]}" >/dev/null || { promtool check rules "${rule_files[@]}"; fail "promtool check rules"; }
alerts=$(sed -n 's/^ *- alert: *\([A-Za-z0-9_]*\).*/\1/p' "${rule_files[@]}" | sort -u)
records=$(awk '/^ *- record:/ { n++ } END { print n + 0 }' "${rule_files[@]}")
log "promtool check rules: $(wc -w <<<"$alerts") alerts, $records recording rules"

# Alerts that always fire (expr vector(1): the Watchdog) have no silent case; they must have no `for`
# either, or a fresh stack would keep the dead man's switch waiting.
always_firing=$(/usr/bin/python3 - "${rule_files[@]}" <<'EOF'
import sys
import yaml

for path in sys.argv[1:]:
    for group in yaml.safe_load(open(path))["groups"]:
        for rule in group["rules"]:
            if "alert" in rule and str(rule["expr"]).strip() == "vector(1)":
                if "for" in rule:
                    sys.exit(f"{path}: {rule['alert']} always fires: it must have no `for`")
                print(rule["alert"])
EOF
) || fail "always-firing alerts"
grep -qx Watchdog <<<"$always_firing" || fail "no always-firing Watchdog alert (expr: vector(1)) in prometheus/rules/"
log "always firing, no \`for\`: $(tr '\n' ' ' <<<"$always_firing")"

# One test file per rule file, and every alert tested both firing (exp_labels) and silent
# (exp_alerts: []), the always-firing ones firing only. The awk reads each test's alertname, then what
# is expected of it.
for rules in "${rule_files[@]}"; do
  [ -f "prometheus/tests/$(basename "$rules")" ] || fail "$rules has no test file prometheus/tests/$(basename "$rules")"
done
cases=$(awk '
  /alertname:/ { match($0, /alertname: *[A-Za-z0-9_]+/); name = substr($0, RSTART, RLENGTH); sub(/alertname: */, "", name) }
  /exp_alerts: *\[\]/ { print name " silent" }
  /exp_labels:/ { print name " firing" }
' "${test_files[@]}" | sort -u)
for alert in $alerts; do
  kinds="firing silent"
  grep -qx "$alert" <<<"$always_firing" && kinds=firing
  for kind in $kinds; do
    grep -qx "$alert $kind" <<<"$cases" || fail "alert $alert has no $kind test case in prometheus/tests/"
  done
done
log "coverage: every alert has a firing and a silent test case (the always-firing ones: firing)"

# One promtool per test file, as many at once as there are cores (the Watchdog's month of evaluations
# is most of the time); on a failure all of them run again, one after the other, to show why.
if ! printf '%s\0' "${test_files[@]}" | xargs -0 -n 1 -P "$(nproc)" promtool test rules >/dev/null 2>&1; then
  promtool test rules "${test_files[@]}"
  fail "promtool test rules"
fi
log "promtool test rules: ${#test_files[@]} test files pass"

# --- Alertmanager -----------------------------------------------------------------------------------
amtool check-config "$am_config" >/dev/null || { amtool check-config "$am_config"; fail "amtool check-config $am_config"; }
log "amtool check-config $am_config: valid"

# Routing: every severity the rules use (and none at all) for every service an alert can name (the
# app's and the exporters' jobs, and any compose service cAdvisor reports).
services=(vote worker result redis postgres cadvisor prometheus alertmanager grafana loki alloy redis-exporter postgres-exporter seed backup restore-drill pushgateway)
routes=(page:page ticket:ticket none:ticket)
routed=0
for route in "${routes[@]}"; do
  severity=${route%%:*} expected=${route#*:}
  for service in "${services[@]}"; do
    labels=(alertname=RoutingTest "service=$service")
    [ "$severity" = none ] || labels+=("severity=$severity")
    got=$(amtool config routes test --config.file="$am_config" "${labels[@]}" 2>/dev/null) ||
      fail "amtool config routes test ${labels[*]}: amtool failed"
    [ "$got" = "$expected" ] || fail "route of ${labels[*]}: got receiver '$got', expected '$expected'"
    routed=$((routed + 1))
  done
done
log "routing: $routed severity x service pairs reach the expected receiver (page -> page, ticket -> ticket, none -> ticket)"

# The Watchdog: whatever its labels say, to the dead man's switch only; and nothing else goes there.
for severity in none page ticket; do
  for service in monitoring vote redis; do
    got=$(amtool config routes test --config.file="$am_config" alertname=Watchdog "severity=$severity" "service=$service" 2>/dev/null) ||
      fail "amtool config routes test alertname=Watchdog: amtool failed"
    [ "$got" = deadmansswitch ] || fail "route of alertname=Watchdog severity=$severity service=$service: got '$got', expected 'deadmansswitch' only"
  done
done
/usr/bin/python3 - "$am_config" <<'EOF' || fail "the Watchdog's route in $am_config"
import sys
import yaml

config = yaml.safe_load(open(sys.argv[1]))
routes = config["route"].get("routes", [])
to_switch = [route for route in routes if route.get("receiver") == "deadmansswitch"]
if len(to_switch) != 1 or to_switch[0].get("matchers") != ['alertname="Watchdog"']:
    sys.exit(f"exactly one route may reach deadmansswitch, matching alertname=\"Watchdog\" alone: {to_switch}")
route = to_switch[0]
if route.get("continue") or route.get("group_by") != ["alertname"]:
    sys.exit("the Watchdog's route must stop there (no continue) and group by alertname alone")


def seconds(text):
    return sum(int(n) * {"s": 1, "m": 60, "h": 3600}[u] for n, u in __import__("re").findall(r"(\d+)([smh])", text))


if not 60 <= seconds(route.get("repeat_interval", "4h")) <= 300:
    sys.exit(f"the Watchdog's repeat_interval {route.get('repeat_interval')} is not between 1m and 5m")
for rule in config.get("inhibit_rules", []):
    if any("Watchdog" in matcher for matcher in rule.get("target_matchers", [])):
        sys.exit(f"an inhibition rule targets the Watchdog: {rule}")
EOF
log "watchdog: alertname=Watchdog (any severity or service) -> deadmansswitch only, alone in its group, repeated every 1-5 minutes"

# The out-of-the-box receiver, the alert inbox: its unit tests (the live check posts to it for real).
(cd alertmanager/inbox && PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -m unittest -q test_inbox >/dev/null 2>&1) ||
  { (cd alertmanager/inbox && PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -m unittest test_inbox); fail "alertmanager/inbox unit tests"; }
log "alert inbox: unit tests pass"

# Inhibition, for real: a throwaway Alertmanager on a free loopback port, fed alerts with amtool, asked
# which are suppressed. Nothing leaves the machine (its receivers' addresses do not resolve here).
tmp=$(mktemp -d)
trap 'stop_background; rm -rf "$tmp"' EXIT
port=$(free_port 19093)
am_url=http://127.0.0.1:$port
background "$tmp/alertmanager.log" prometheus-alertmanager --config.file="$am_config" --storage.path="$tmp" \
  --web.listen-address="127.0.0.1:$port" --cluster.listen-address=
WAIT_PID=$! WAIT_LOG=$tmp/alertmanager.log WAIT_INTERVAL=0.2 \
  wait_for "Alertmanager on $am_url" 15 amtool config show --alertmanager.url="$am_url"

fire() { amtool alert add --alertmanager.url="$am_url" "alertname=$1" "service=$2" "severity=$3" >/dev/null; }
# Waits (up to 5 s: the inhibitor learns of new alerts asynchronously) for an alert's state.
expect() {
  local alertname=$1 service=$2 severity=$3 want=$4 state='' until=$((SECONDS + 5))
  while :; do
    state=$(amtool alert query --alertmanager.url="$am_url" --active --inhibited -o extended \
      "alertname=$alertname" "service=$service" "severity=$severity" | awk 'NR == 2 { print $NF }')
    [ "$state" = "$want" ] && return 0
    ((SECONDS < until)) || fail "inhibition: $alertname{service=$service, severity=$severity} is '${state:-absent}', expected '$want'"
    sleep 0.2
  done
}
inhibition_cases=0
check() { expect "$@"; inhibition_cases=$((inhibition_cases + 1)); }

# Redis down, with its symptoms and unrelated alerts around it.
fire RedisDown redis page
fire RedisNearMaxmemory redis ticket
fire WorkerNotReady worker ticket
fire QueueGrowing worker ticket
fire QueueOld worker page
fire QueueOld worker ticket
fire Http5xxRatioHigh vote ticket
fire Http5xxRatioHigh result ticket
fire ResultDatabaseDisconnected result ticket
fire VoteAvailabilityBudgetBurn vote page
fire VoteAvailabilityBudgetBurn vote ticket
fire VoteFreshnessBudgetBurn worker ticket
fire ServiceDown worker page
fire TargetDown worker ticket
fire TargetDown vote ticket
fire Watchdog monitoring none
check RedisDown redis page active
check RedisNearMaxmemory redis ticket suppressed
check WorkerNotReady worker ticket suppressed
check QueueGrowing worker ticket suppressed
check QueueOld worker page suppressed
check QueueOld worker ticket suppressed
check Http5xxRatioHigh vote ticket suppressed
check Http5xxRatioHigh result ticket active
check ResultDatabaseDisconnected result ticket active
check VoteAvailabilityBudgetBurn vote page active
check VoteAvailabilityBudgetBurn vote ticket suppressed
check VoteFreshnessBudgetBurn worker ticket active
check ServiceDown worker page active
check TargetDown worker ticket suppressed
check TargetDown vote ticket active
# Then PostgreSQL goes down too.
fire PostgresDown postgres page
fire PostgresNearMaxConnections postgres ticket
check PostgresDown postgres page active
check PostgresNearMaxConnections postgres ticket suppressed
check ResultDatabaseDisconnected result ticket suppressed
check Http5xxRatioHigh result ticket suppressed
check VoteFreshnessBudgetBurn worker ticket active
# With every page and dependency alert above firing, the Watchdog still goes out.
check Watchdog monitoring none active
log "inhibition: $inhibition_cases alert states as expected on Alertmanager $(amtool --version 2>&1 | awk 'NR == 1 { print $3 }') at $am_url"

log "all monitoring checks passed"
