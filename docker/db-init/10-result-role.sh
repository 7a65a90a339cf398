#!/bin/sh
# The result service's read-only database role, made when PostgreSQL first initialises its data
# directory: the official postgres image (and CI's stand-in) runs this from /docker-entrypoint-initdb.d
# as the postgres user against a temporary server, once. Safe to run again by hand, for a database
# initialised before this script existed or to set a new password from the secret:
#   docker compose exec db sh /docker-entrypoint-initdb.d/10-result-role.sh
#
# - voting_reader: NOLOGIN group role. The worker's migration (version 2) grants it SELECT on votes,
#   vote_tally and voting_schema once those exist; made here too so the login role can join it now.
# - RESULT_DB_USER (default result): LOGIN role in voting_reader, nothing else; its password is the
#   content of RESULT_DB_PASSWORD_FILE (default /run/secrets/result_db_password, the Compose secret).
#
# Sourced (not executed) by the official entrypoint when not executable: so no exit and no set -e here,
# and ON_ERROR_STOP makes psql fail, which stops the entrypoint.
result_db_user=${RESULT_DB_USER:-result}
result_db_password_file=${RESULT_DB_PASSWORD_FILE:-/run/secrets/result_db_password}
if [ ! -s "$result_db_password_file" ]; then
  echo "10-result-role.sh: $result_db_password_file is missing or empty: the $result_db_user role needs a password" >&2
  false
else
  # The password goes from the file to psql's variable (a backquoted command of psql's, which drops the
  # trailing newline), never onto a command line; :'name' quotes it as an SQL literal.
  psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username "${POSTGRES_USER:-postgres}" \
    --dbname "${POSTGRES_DB:-postgres}" -v login="$result_db_user" -v password_file="$result_db_password_file" <<'EOSQL'
\set password `cat :'password_file'`
SELECT 'CREATE ROLE voting_reader NOLOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'voting_reader') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'login')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'login') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
              :'login', :'password') \gexec
SELECT format('GRANT voting_reader TO %I', :'login') \gexec
\unset password
EOSQL
fi
