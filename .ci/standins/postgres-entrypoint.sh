#!/bin/sh
# What the stand-in needs of the official image's entrypoint. On first start (an empty data directory):
# initialise it with the user, password and database from POSTGRES_USER, POSTGRES_PASSWORD(_FILE) and
# POSTGRES_DB; then, like the official image, run /docker-entrypoint-initdb.d/* in name order against a
# temporary server that listens on its Unix socket only (*.sh executed when executable, else sourced;
# *.sql through psql; anything else ignored), as the user the container runs as (postgres, 70), and stop
# it. A data directory already initialised skips all that, init scripts included. Then run the server
# on all addresses.
set -eu
if [ "${1:-postgres}" = postgres ]; then
  [ $# -gt 0 ] && shift
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    export POSTGRES_USER="${POSTGRES_USER:-postgres}"
    export POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
    password=${POSTGRES_PASSWORD:-}
    if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then password=$(cat "$POSTGRES_PASSWORD_FILE"); fi
    pwfile=$(mktemp)
    printf '%s\n' "$password" > "$pwfile"
    initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    rm -f "$pwfile"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"

    # The temporary server: no TCP, the default socket and port, so a plain `psql` in a script reaches it.
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p ${PGPORT:-5432}" -w start >/dev/null
    psql_init() { psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username "$POSTGRES_USER" "$@"; }
    if [ "$POSTGRES_DB" != postgres ]; then
      psql_init --dbname postgres --set db="$POSTGRES_DB" <<'EOSQL'
CREATE DATABASE :"db";
EOSQL
    fi
    for f in /docker-entrypoint-initdb.d/*; do
      [ -e "$f" ] || continue
      case $f in
        *.sh)
          echo "init: running $f"
          # shellcheck disable=SC1090 # whatever the compose file mounts there
          if [ -x "$f" ]; then "$f"; else . "$f"; fi
          ;;
        *.sql)
          echo "init: running $f"
          psql_init --dbname "$POSTGRES_DB" -f "$f"
          ;;
        *) echo "init: ignoring $f" ;;
      esac
    done
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    echo "init: done, starting the server"
  fi
  exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
fi
exec "$@"
