// Least privilege in the database and in the Secret: each pod logs in with its own login and mounts only
// the password keys it needs. The PostgreSQL master user (RDS's master; `postgres` in dev mode) is for the
// `roles` Job and the dev database alone: no app pod, no migration, no backup uses it.
import { id, component, envOf, mountedItem } from "./lib.mjs";

// The keys of the credentials Secret each component mounts, from the values (secrets.keys); none for a
// component the values turn off.
export function passwordKeys(values) {
  const k = values.secrets.keys;
  const redis = values.redis.auth.enabled ? [k.redisPassword] : [];
  const pgExporter = values.exporters?.postgres?.enabled;
  const redisExporterKey = values.exporters?.redis?.user ? k.redisMonitorPassword : k.redisPassword;
  const on = (enabled, keys) => (enabled ? keys : []);
  return {
    roles: on(values.migrations.roles?.enabled, [k.postgresPassword, k.ownerDbPassword, k.workerDbPassword, k.resultDbPassword, ...(pgExporter ? [k.monitorDbPassword] : [])]),
    migrate: on(values.migrations.job.enabled, [k.ownerDbPassword]),
    vote: redis,
    worker: [k.workerDbPassword, ...redis],
    result: [k.resultDbPassword],
    // pg_dump as the schema's owner (it owns every table, today's and a later migration's).
    backup: on(values.backup.enabled, [k.ownerDbPassword, ...redis]),
    // The drill's login (CREATEDB, nothing else) is in its own Secret with the age identity.
    "restore-drill": [],
    "postgres-exporter": pgExporter ? [k.monitorDbPassword] : [],
    "redis-exporter": values.exporters?.redis?.enabled && values.redis.auth.enabled ? [redisExporterKey] : [],
    postgresql: values.dev.enabled ? [k.postgresPassword] : [],
    redis: values.dev.enabled ? [k.redisPassword] : [],
  };
}

// The login each component's pod uses (PGUSER, or the exporter's DATA_SOURCE_USER).
export function logins(values) {
  const pg = values.postgresql;
  return {
    roles: pg.masterUser,
    migrate: pg.ownerUser,
    worker: values.worker.databaseUser,
    result: values.result.databaseUser,
    backup: pg.ownerUser,
    "restore-drill": values.backup.drill.pgUser,
    "postgres-exporter": values.exporters?.postgres?.databaseUser,
  };
}

export function checkPrivileges(values, secretName, pods) {
  const failures = [];
  const keys = passwordKeys(values);
  const users = logins(values);
  const master = values.secrets.keys.postgresPassword;
  const seen = new Set();
  for (const pod of pods) {
    const comp = component(pod.labels);
    const where = id(pod.owner);
    const mounted = (pod.spec.volumes ?? []).filter((v) => v.secret?.secretName === secretName)
      .flatMap((v) => (v.secret.items ?? [{ key: "<every key>" }]).map((i) => i.key)).sort();
    if (mounted.includes(master) && !["roles", "postgresql"].includes(comp)) {
      failures.push(`${where}: mounts the PostgreSQL master's password (${master}): only the roles Job and the dev database may`);
    }
    if (!(comp in keys)) {
      if (mounted.length) failures.push(`${where}: mounts ${mounted} of ${secretName}, but no component ${comp} is expected to`);
      continue;
    }
    seen.add(comp);
    const wanted = [...new Set(keys[comp])].sort();
    if (JSON.stringify(mounted) !== JSON.stringify(wanted)) {
      failures.push(`${where}: mounts the keys [${mounted}] of ${secretName}, it needs exactly [${wanted}]`);
    }
    for (const c of pod.spec.containers) {
      const env = envOf(c);
      const user = env.PGUSER ?? env.DATA_SOURCE_USER;
      if (comp in users && user !== users[comp]) failures.push(`${where} container ${c.name}: logs in as ${user}, not ${users[comp]}`);
      if (comp !== "roles" && user !== undefined && user === values.postgresql.masterUser) {
        failures.push(`${where} container ${c.name}: logs in as the master user ${user}`);
      }
      // The password file it logs in with is the key of its own login.
      const file = env.PGPASSWORD_FILE ?? env.DATA_SOURCE_PASS_FILE;
      const item = file && mountedItem(pod, c, file);
      if (item?.volume.secret?.secretName === secretName) {
        const own = { roles: master, migrate: values.secrets.keys.ownerDbPassword, backup: values.secrets.keys.ownerDbPassword,
          worker: values.secrets.keys.workerDbPassword, result: values.secrets.keys.resultDbPassword,
          "postgres-exporter": values.secrets.keys.monitorDbPassword }[comp];
        if (item.item.key !== own) failures.push(`${where} container ${c.name}: its password file is ${item.item.key}, not its login's ${own}`);
      }
    }
  }
  // The roles Job makes every login the others use.
  if (values.migrations.roles?.enabled && !seen.has("roles")) failures.push("no roles Job, though migrations.roles.enabled");
  return failures;
}

// Every key some pod or KEDA reads from the credentials Secret: what External Secrets must fill, and no more
// (a remote secret that is not needed may not exist, and one missing key fails the whole ExternalSecret).
export function usedKeys(secretName, objects, pods) {
  const used = new Set();
  for (const pod of pods) {
    for (const v of pod.spec.volumes ?? []) {
      if (v.secret?.secretName === secretName) (v.secret.items ?? []).forEach((i) => used.add(i.key));
    }
  }
  for (const ta of objects.filter((o) => o.kind === "TriggerAuthentication")) {
    for (const r of ta.spec.secretTargetRef ?? []) if (r.name === secretName) used.add(r.key);
  }
  return used;
}
