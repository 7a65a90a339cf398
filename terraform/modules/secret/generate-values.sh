#!/usr/bin/env bash
# Writes generated passwords into a Secrets Manager secret as a JSON object, one key each; run by the
# secret module's provisioners, on the machine that runs `terraform apply` (needs the aws CLI and
# python3, and the same credentials as Terraform). The values exist only in this script's pipes and
# variables: never in an argument list, the environment, Terraform's plan or state, or the output
# (which names keys only).
#   SECRET_ID        the secret's ARN (its region is taken from it)
#   SECRET_KEYS      the JSON keys, separated by spaces
#   PASSWORD_LENGTH  length of each password (letters and digits)
#   MODE             all: every key gets a new value (creation, a new secret_version: a rotation);
#                    missing: only keys without a value get one, the others are kept (keys added)
# VOTING_SECRETS_ENDPOINT_URL exists for tests (a loopback stand-in of Secrets Manager).
set -euo pipefail

: "${SECRET_ID:?}" "${SECRET_KEYS:?}" "${PASSWORD_LENGTH:?}" "${MODE:?}"
case "$MODE" in all | missing) ;; *)
  echo "generate-values: MODE must be all or missing, not $MODE" >&2
  exit 2
  ;;
esac
region=$(cut -d: -f4 <<<"$SECRET_ID")
endpoint=()
if [ -n "${VOTING_SECRETS_ENDPOINT_URL:-}" ]; then
  endpoint=(--endpoint-url "$VOTING_SECRETS_ENDPOINT_URL")
fi
sm() { aws secretsmanager --region "$region" "${endpoint[@]}" "$@"; }

# The current value, when keys are only added: a new secret has none yet (ResourceNotFoundException).
current=
if [ "$MODE" = missing ]; then
  err=$(mktemp)
  trap 'rm -f "$err"' EXIT
  if ! current=$(sm get-secret-value --secret-id "$SECRET_ID" --query SecretString --output text 2>"$err"); then
    if ! grep -q ResourceNotFoundException "$err"; then
      cat "$err" >&2
      exit 1
    fi
    current=
  fi
fi

# shellcheck disable=SC2086 # SECRET_KEYS is a list of words
new=$(printf '%s' "$current" | python3 -c '
import json, secrets, string, sys
mode, length, keys = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
raw = sys.stdin.read().strip()
current = json.loads(raw) if raw else {}
if not isinstance(current, dict):
    sys.exit("generate-values: the secret holds something other than a JSON object")
alphabet = string.ascii_letters + string.digits
made = [k for k in keys if mode == "all" or not (isinstance(current.get(k), str) and current[k])]
value = {} if mode == "all" else dict(current)
for k in made:
    value[k] = "".join(secrets.choice(alphabet) for _ in range(length))
if made:
    sys.stdout.write(json.dumps(value, separators=(",", ":")))
print("generate-values: " + ("new values for " + " ".join(made) if made else "every key has a value already"),
      file=sys.stderr)
' "$MODE" "$PASSWORD_LENGTH" $SECRET_KEYS)

if [ -n "$new" ]; then
  # printf is a shell builtin: the value reaches the CLI on its standard input, not in its arguments.
  printf '%s' "$new" | sm put-secret-value --secret-id "$SECRET_ID" --secret-string file:///dev/stdin \
    --query VersionId --output text >/dev/null
  echo "generate-values: $SECRET_ID has a new version"
fi
