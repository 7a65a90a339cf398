#!/usr/bin/env python3
"""The EKS environment (terraform/eks/environments/<env>.tfvars) and the chart's values Argo CD deploys
(argocd/values/<env>.yaml) must agree where one sizes or names the other:
- the worker's and result's autoscaler maxima and WORKER_CONCURRENCY, from which max_connections is
  computed, are at most what the tfvars budget for (more pods than budgeted could exhaust PostgreSQL);
- redis.cidrs and postgresql.cidrs are the cache and database tiers of the VPC (10.x.32.0/20, 10.x.48.0/20);
- externalSecrets.roleArn names the role Terraform makes (voting-app-<env>-secrets), in the tfvars' account;
- externalSecrets.remoteRefs name the secrets Terraform writes: voting-app/<env>/redis (auth-token) and
  one per app login, voting-app/<env>/postgres-{owner,worker,result,monitor} (password); the master's
  (postgresPassword) is RDS's own secret, whose ARN is known after the apply only.
Skips, with a message, when argocd/values/ does not exist.

usage: check_eks_chart_values.py REPO_ROOT
"""
import ipaddress
import pathlib
import re
import sys

import yaml

root = pathlib.Path(sys.argv[1])
values_dir = root / "argocd" / "values"
if not values_dir.is_dir():
    print("argocd/values/ not found: skipped")
    sys.exit(0)


def tfvars(path):
    """Scalar keys of a tfvars file (strings and numbers), enough for the keys compared here."""
    out = {}
    for line in path.read_text().splitlines():
        m = re.match(r'\s*([a-z_]+)\s*=\s*("([^"]*)"|[0-9]+)', line)
        if m:
            out[m.group(1)] = m.group(3) if m.group(3) is not None else int(m.group(2))
    return out


def get(d, dotted, default=None):
    for part in dotted.split("."):
        if not isinstance(d, dict) or part not in d:
            return default
        d = d[part]
    return d


chart_defaults = yaml.safe_load((root / "charts" / "voting-app" / "values.yaml").read_text())
problems, checked = [], 0
for env in ("staging", "production"):
    tf_path = root / "terraform" / "eks" / "environments" / f"{env}.tfvars"
    values_path = values_dir / f"{env}.yaml"
    if not tf_path.exists() or not values_path.exists():
        problems.append(f"{env}: {tf_path} or {values_path} is missing")
        continue
    tf = tfvars(tf_path)
    values = yaml.safe_load(values_path.read_text()) or {}

    def value(key):
        v = get(values, key)
        return get(chart_defaults, key) if v is None else v

    checked += 1
    where = f"{values_path.relative_to(root)} vs {tf_path.relative_to(root)}"
    for chart_key, tf_key in (("worker.keda.maxReplicaCount", "worker_max_replicas"),
                              ("result.autoscaling.maxReplicas", "result_max_replicas")):
        if value(chart_key) > tf.get(tf_key, 0):
            problems.append(f"{where}: {chart_key} = {value(chart_key)} exceeds {tf_key} = {tf.get(tf_key)}, "
                            "which max_connections is computed from")
    if value("worker.concurrency") != tf.get("worker_concurrency", 2):
        problems.append(f"{where}: worker.concurrency = {value('worker.concurrency')} but worker_concurrency = "
                        f"{tf.get('worker_concurrency', 2)} (max_connections counts 1 + concurrency per worker)")
    vpc = ipaddress.ip_network(tf["vpc_cidr"])
    tiers = {"redis.cidrs": list(vpc.subnets(new_prefix=20))[2], "postgresql.cidrs": list(vpc.subnets(new_prefix=20))[3]}
    for key, block in tiers.items():
        if [str(block)] != [str(c) for c in (value(key) or [])]:
            problems.append(f"{where}: {key} = {value(key)}, but that tier of {vpc} is [{block}]")
    role = f"arn:aws:iam::{tf['aws_account_id']}:role/voting-app-{env}-secrets"
    if value("externalSecrets.roleArn") != role:
        problems.append(f"{where}: externalSecrets.roleArn = {value('externalSecrets.roleArn')}, Terraform makes {role}")
    refs = [("redisPassword", f"voting-app/{env}/redis", "auth-token")] + [
        (f"{login}DbPassword", f"voting-app/{env}/postgres-{login}", "password")
        for login in ("owner", "worker", "result", "monitor")]
    for ref, name, prop in refs:
        got = (get(values, f"externalSecrets.remoteRefs.{ref}.key"), get(values, f"externalSecrets.remoteRefs.{ref}.property"))
        if got != (name, prop):
            problems.append(f"{where}: externalSecrets.remoteRefs.{ref} = {got}, Terraform writes ({name!r}, {prop!r})")

for p in problems:
    print(p)
print(f"{checked} environments compared, {len(problems)} problems")
sys.exit(1 if problems else 0)
