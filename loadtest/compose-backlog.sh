#!/usr/bin/env bash
# Prints how many votes the compose stack still holds in Redis: the queue `votes` plus every processing
# list of the worker registry. The kit's drain.command for a compose stack run from the host
# (LOADTEST_DRAIN_COMMAND='bash loadtest/compose-backlog.sh'); the password stays inside the container.
set -euo pipefail
cd "$(dirname "$0")/.."
docker compose exec -T redis sh -c '
  export REDISCLI_AUTH="$(cat /run/secrets/redis_password)"
  n=$(redis-cli llen votes)
  for list in $(redis-cli smembers votes:processing); do
    n=$((n + $(redis-cli llen "$list")))
  done
  echo "$n"'
