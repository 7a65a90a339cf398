#!/usr/bin/env bash
# Sends the AUTH token from Secrets Manager to an ElastiCache replication group; run by the module's
# provisioner on the machine that runs `terraform apply` (aws CLI and python3, Terraform's
# credentials). The token goes from one CLI to the other through a pipe: never in an argument list,
# the environment, Terraform's plan or state, or the output.
#   REPLICATION_GROUP_ID  the group
#   SECRET_ID             the secret's ARN (its region is the group's)
#   SECRET_KEY            the token's JSON key in the secret
# ElastiCache's strategies: ROTATE adds the token and keeps the previous one valid (a rollover without
# refused connections); SET, allowed only after a ROTATE, leaves the new token alone. A group without
# AUTH yet (just created) gets ROTATE then SET, so nothing connects without the token afterwards.
set -euo pipefail

: "${REPLICATION_GROUP_ID:?}" "${SECRET_ID:?}" "${SECRET_KEY:?}"
region=$(cut -d: -f4 <<<"$SECRET_ID")
ec() { aws elasticache --region "$region" "$@"; }

send() {
  aws secretsmanager get-secret-value --region "$region" --secret-id "$SECRET_ID" \
    --query SecretString --output text |
    python3 -c '
import json, sys
group, key, strategy = sys.argv[1:4]
token = json.loads(sys.stdin.read()).get(key)
if not isinstance(token, str) or not token:
    sys.exit("set-auth-token: key %s is missing or empty in the secret" % key)
json.dump({"ReplicationGroupId": group, "AuthToken": token, "AuthTokenUpdateStrategy": strategy,
           "ApplyImmediately": True}, sys.stdout)
' "$REPLICATION_GROUP_ID" "$SECRET_KEY" "$1" |
    ec modify-replication-group --cli-input-json file:///dev/stdin --query ReplicationGroup.Status --output text >/dev/null
  ec wait replication-group-available --replication-group-id "$REPLICATION_GROUP_ID"
  echo "set-auth-token: $REPLICATION_GROUP_ID: $1 done"
}

enabled=$(ec describe-replication-groups --replication-group-id "$REPLICATION_GROUP_ID" \
  --query 'ReplicationGroups[0].AuthTokenEnabled' --output text)
send ROTATE
if [ "$enabled" != True ]; then
  send SET
fi
