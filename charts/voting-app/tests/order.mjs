// The order in which Helm and Argo CD bring the rendered chart up, walked offline (no API server here).
//
// A release is a sequence of steps. Helm (3.17, pkg/action): `install` runs the pre-install hooks (by
// weight; within one weight by name in 3.17 and by kind then name later, so nothing here relies on the
// order inside a weight), each Job hook waited for until it completes; then creates every other object
// (the main manifests); then, with --wait, waits until the Deployments, StatefulSets, Services, PVCs
// (and Jobs, with --wait-for-jobs) of the main manifests are ready; then runs the post-install hooks.
// `upgrade` is the same with pre-upgrade and post-upgrade hooks, on top of the previous release's objects.
// Argo CD syncs in phases (PreSync, Sync, PostSync), each in waves; it applies one wave and waits until
// every object of it is healthy (a Job: complete) before the next. Helm's hook annotations map to
// PreSync/PostSync and hook-weight to the wave, unless Argo CD's own annotations are there.
//
// What each object needs to become ready (or to complete) is derived from the rendered objects, not
// named here: the Secrets, keys, ConfigMaps and ServiceAccounts its pods mount or use; the network
// policies that select its pods; and, for the app's processes, what the app waits for:
//   - vote, worker and result are ready (/ready) only with their stores reachable and their logins
//     accepted; worker and result also need the schema at their version (they never create it: only
//     `migrate` does, as the schema's owner);
//   - a Job completes only once its stores answer and its login works;
//   - a PostgreSQL login is made by the server itself (the dev database's POSTGRES_USER, and any
//     <X>_DB_USER/<X>_DB_PASSWORD_FILE its init scripts read) or by the `roles` Job (OWNER_DB_USER,
//     WORKER_DB_USER, RESULT_DB_USER, MONITOR_DB_USER, each with its *_PASSWORD_FILE), with the password
//     of one Secret key: a pod that logs in with another key is refused;
//   - the schema is made by the `migrate` Job against that server and database;
//   - a Secret key comes from a rendered Secret or ExternalSecret (ready once its SecretStore and that
//     store's ServiceAccount are), or, when nothing rendered makes that Secret, from the operator before
//     the install; a server the chart does not run (a managed one) is there before, with its master login.
// On an upgrade the previous release's objects exist (the same rendering), but logins and the schema
// are this run's work: a new version needs its schema, and a rotated password is set by this run's
// `roles` Job.
//
// It fails when an object Helm's --wait (or a hook, or an Argo CD wave) waits for needs something that
// only comes after that point, or that nothing makes at all.
import { id, podSpecs, labelsMatch, mountedItem, envOf } from "./lib.mjs";

// Helm 3.17 releaseutil.InstallOrder: the order of kinds inside a step (custom resources last). Helm
// creates a step's objects without waiting between them, so it matters only for the walk's listing.
const HELM_INSTALL_ORDER = [
  "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
  "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
  "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList",
  "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList",
  "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
  "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
];
// What `helm install --wait` waits for (pkg/kube/ready.go); Jobs only with --wait-for-jobs, which
// docs/kubernetes.md asks for (without it nothing waits for the Jobs, but the Deployments wait for
// what the Jobs make, so the same order must hold).
const HELM_WAITS_FOR = new Set(["Deployment", "StatefulSet", "DaemonSet", "Pod", "ReplicaSet", "ReplicationController",
  "PersistentVolumeClaim", "Service", "Job"]);
// The `roles` command's logins and their default names (the launcher's contract).
const ROLES_LOGINS = { OWNER: "voting_owner", WORKER: "worker", RESULT: "result", MONITOR: "voting_monitor" };
// The app's processes whose readiness waits for their stores and logins, and those that also wait for
// the schema.
const READY_WAITS_FOR_STORES = new Set(["vote", "worker", "result"]);
const READY_WAITS_FOR_SCHEMA = new Set(["worker", "result"]);
const PHASES = ["PreSync", "Sync", "PostSync"];
const HELM_TO_ARGO = { "pre-install": "PreSync", "pre-upgrade": "PreSync", "post-install": "PostSync", "post-upgrade": "PostSync" };

export const MODES = ["helm install", "helm upgrade", "argocd first sync", "argocd later sync"];

const annotations = (o) => o.metadata?.annotations ?? {};
const helmEvents = (o) => (annotations(o)["helm.sh/hook"] ?? "").split(",").map((s) => s.trim()).filter(Boolean);

// Where an object runs in a mode: {rank: [..], label, hook} or null when the mode never applies it.
function placement(o, mode) {
  const a = annotations(o);
  const events = helmEvents(o);
  if (mode.startsWith("helm")) {
    const op = mode === "helm install" ? "install" : "upgrade";
    if (events.length === 0) return { rank: [1, 0], label: "the main manifests", hook: false };
    const weight = Number(a["helm.sh/hook-weight"] ?? 0);
    if (events.includes(`pre-${op}`)) return { rank: [0, weight], label: `a pre-${op} hook (weight ${weight})`, hook: true };
    if (events.includes(`post-${op}`)) return { rank: [2, weight], label: `a post-${op} hook (weight ${weight}), which Helm runs after --wait`, hook: true };
    return null;
  }
  const argoHook = a["argocd.argoproj.io/hook"];
  // Argo CD's own hook annotation replaces Helm's (gitops-engine pkg/sync/hook).
  const phases = argoHook ? argoHook.split(",").map((s) => s.trim())
    : events.length ? events.map((e) => HELM_TO_ARGO[e]).filter(Boolean) : ["Sync"];
  const phase = PHASES.find((p) => phases.includes(p));
  if (!phase) return null;
  const wave = Number(a["argocd.argoproj.io/sync-wave"] ?? a["helm.sh/hook-weight"] ?? 0);
  return { rank: [PHASES.indexOf(phase), wave], label: `${phase} wave ${wave}`, hook: Boolean(argoHook || events.length) };
}

// ---- What the rendered objects make, and what each needs -------------------------------------------
function model(objects, namespace) {
  const services = objects.filter((o) => o.kind === "Service");
  const workloads = objects.filter((o) => ["Deployment", "StatefulSet", "DaemonSet"].includes(o.kind));
  const pods = podSpecs(objects);
  const podOf = new Map(pods.map((p) => [p.owner, p]));
  const providers = new Map(); // product -> [{obj, ready: whether obj must be ready/complete, passwordKey}]
  const provide = (product, obj, ready, passwordKey) => {
    if (!providers.has(product)) providers.set(product, []);
    providers.get(product).push({ obj, ready, passwordKey });
  };
  const renderedSecretNames = new Set();

  // A host is a rendered Service (by its name, or name.namespace[.svc...]) or somewhere outside.
  const serviceFor = (host) => services.find((s) => host === s.metadata.name || host.startsWith(`${s.metadata.name}.${namespace}.`)
    || host === `${s.metadata.name}.${namespace}`);
  const server = (kind, host, port) => {
    const svc = serviceFor(host);
    return svc ? { key: `${kind}://${svc.metadata.name}:${port}`, rendered: true, svc } : { key: `${kind}://${host}:${port}`, rendered: false };
  };
  const fileKey = (pod, c, file) => {
    const m = file && mountedItem(pod, c, file);
    return m?.volume.secret ? `secret ${m.volume.secret.secretName} key ${m.item.key}` : undefined;
  };

  for (const o of objects) {
    if (o.kind === "Secret") {
      renderedSecretNames.add(o.metadata.name);
      provide(`secret ${o.metadata.name}`, o, false);
      for (const k of [...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {})]) provide(`secret ${o.metadata.name} key ${k}`, o, false);
    } else if (o.kind === "ExternalSecret") {
      const target = o.spec.target?.name ?? o.metadata.name;
      renderedSecretNames.add(target);
      provide(`secret ${target}`, o, true);
      for (const d of o.spec.data ?? []) provide(`secret ${target} key ${d.secretKey}`, o, true);
      if (o.spec.dataFrom?.length) provide(`secret ${target} key *`, o, true);
    } else if (["ConfigMap", "ServiceAccount", "Deployment"].includes(o.kind)) {
      provide(`${o.kind} ${o.metadata.name}`, o, false);
    } else if (["SecretStore", "ClusterSecretStore", "TriggerAuthentication"].includes(o.kind)) {
      // Usable once what they read is there.
      provide(`${o.kind} ${o.metadata.name}`, o, true);
    }
  }

  // Servers the chart runs: the workloads behind a Service answer on its ports once ready.
  for (const svc of services) {
    for (const w of workloads.filter((x) => labelsMatch({ matchLabels: svc.spec.selector ?? { none: "none" } }, x.spec.template.metadata?.labels))) {
      const pod = podOf.get(w);
      for (const port of svc.spec.ports ?? []) {
        for (const kind of ["postgresql", "redis"]) {
          const srv = `${kind}://${svc.metadata.name}:${port.port}`;
          provide(`${srv} answers`, w, true);
          for (const c of pod.spec.containers) {
            const env = envOf(c);
            if (kind === "postgresql" && env.POSTGRES_PASSWORD_FILE) {
              provide(`${srv} login ${env.POSTGRES_USER ?? "postgres"}`, w, true, fileKey(pod, c, env.POSTGRES_PASSWORD_FILE));
              for (const [name, value] of Object.entries(env)) {
                const m = /^([A-Z]+)_DB_USER$/.exec(name);
                if (m && env[`${m[1]}_DB_PASSWORD_FILE`]) provide(`${srv} login ${value}`, w, true, fileKey(pod, c, env[`${m[1]}_DB_PASSWORD_FILE`]));
              }
            }
            const requirepass = /--requirepass\s+"?\$\(cat\s+([^)\s]+)\)/.exec([...(c.command ?? []), ...(c.args ?? [])].join(" "));
            if (kind === "redis" && requirepass) provide(`${srv} login default`, w, true, fileKey(pod, c, requirepass[1]));
          }
        }
      }
    }
  }

  // Logins made by `roles`, the schema made by `migrate`.
  for (const pod of pods.filter((p) => p.owner.kind === "Job")) {
    for (const c of pod.spec.containers) {
      const env = envOf(c);
      if (!env.PGHOST) continue;
      const srv = server("postgresql", env.PGHOST, env.PGPORT ?? "5432");
      if (c.args?.[0] === "roles") {
        for (const [x, fallback] of Object.entries(ROLES_LOGINS)) {
          const file = env[`${x}_DB_PASSWORD_FILE`];
          if (file) provide(`${srv.key} login ${env[`${x}_DB_USER`] ?? fallback}`, pod.owner, true, fileKey(pod, c, file));
        }
      } else if (c.args?.[0] === "migrate") {
        provide(`${srv.key}/${env.PGDATABASE ?? "postgres"} schema at this version`, pod.owner, true);
      }
    }
  }

  // What an object needs: [{product, gating, passwordKey, why}]. Gating: it is not ready (or does not
  // complete) without it; the others must merely exist some day.
  function needsOf(o) {
    const out = [];
    const need = (product, gating, why, passwordKey) => out.push({ product, gating, why, passwordKey });
    if (o.kind === "ExternalSecret") need(`${o.spec.secretStoreRef?.kind ?? "SecretStore"} ${o.spec.secretStoreRef?.name}`, true, "its store");
    if (o.kind === "SecretStore") {
      const sa = o.spec.provider?.aws?.auth?.jwt?.serviceAccountRef?.name;
      if (sa) need(`ServiceAccount ${sa}`, true, "the ServiceAccount it logs in with (IRSA)");
    }
    if (o.kind === "TriggerAuthentication") {
      for (const r of o.spec.secretTargetRef ?? []) need(`secret ${r.name} key ${r.key}`, true, `its ${r.parameter}`);
    }
    if (o.kind === "ScaledObject") {
      need(`Deployment ${o.spec.scaleTargetRef.name}`, true, "its target");
      for (const t of o.spec.triggers ?? []) {
        if (t.authenticationRef) need(`TriggerAuthentication ${t.authenticationRef.name}`, true, "its trigger's authentication");
      }
    }
    const pod = podOf.get(o);
    if (!pod) return out;
    const s = pod.spec;
    for (const v of s.volumes ?? []) {
      const sources = v.projected ? v.projected.sources : [v];
      for (const src of sources) {
        if (src.secret && !src.secret.optional) {
          const name = src.secret.secretName ?? src.secret.name;
          for (const i of src.secret.items ?? [{ key: null }]) need(i.key ? `secret ${name} key ${i.key}` : `secret ${name}`, true, `volume ${v.name}`);
        }
        if (src.configMap && !src.configMap.optional) need(`ConfigMap ${src.configMap.name}`, true, `volume ${v.name}`);
      }
    }
    if (s.serviceAccountName && s.serviceAccountName !== "default") need(`ServiceAccount ${s.serviceAccountName}`, true, "its ServiceAccount");
    const runsNow = o.kind !== "CronJob"; // a CronJob's Jobs run on their schedule, long after any install
    for (const c of [...(s.initContainers ?? []), ...s.containers]) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && !ref.optional) need(`secret ${ref.name} key ${ref.key}`, true, `env ${e.name}`);
        const cm = e.valueFrom?.configMapKeyRef;
        if (cm && !cm.optional) need(`ConfigMap ${cm.name}`, true, `env ${e.name}`);
      }
      for (const f of c.envFrom ?? []) {
        if (f.secretRef && !f.secretRef.optional) need(`secret ${f.secretRef.name}`, true, "envFrom");
        if (f.configMapRef && !f.configMapRef.optional) need(`ConfigMap ${f.configMapRef.name}`, true, "envFrom");
      }
      const env = envOf(c);
      const role = c.args?.[0];
      // A Job is done only when its stores answered; the app's roles are ready only then.
      const gating = runsNow && (o.kind === "Job" || READY_WAITS_FOR_STORES.has(role));
      if (env.PGHOST) {
        const srv = server("postgresql", env.PGHOST, env.PGPORT ?? "5432");
        const user = env.PGUSER ?? "postgres";
        need(`${srv.key} answers`, gating, `PGHOST of container ${c.name}`);
        need(`${srv.key} login ${user}`, gating, `PGUSER of container ${c.name}`, fileKey(pod, c, env.PGPASSWORD_FILE));
        if (READY_WAITS_FOR_SCHEMA.has(role)) need(`${srv.key}/${env.PGDATABASE ?? "postgres"} schema at this version`, gating, `${role} is ready only with the schema in place`);
      }
      if (env.DATA_SOURCE_URI) {
        // postgres_exporter: its /metrics answers without PostgreSQL (pg_up says whether it can log in).
        const m = /^([^:/?]+)(?::(\d+))?/.exec(env.DATA_SOURCE_URI);
        const srv = server("postgresql", m[1], m[2] ?? "5432");
        need(`${srv.key} login ${env.DATA_SOURCE_USER}`, false, `DATA_SOURCE_USER of container ${c.name}`, fileKey(pod, c, env.DATA_SOURCE_PASS_FILE));
      }
      const redisUrl = env.REDIS_URL ?? (env.REDIS_ADDR && /^rediss?:\/\//.test(env.REDIS_ADDR) ? env.REDIS_ADDR : undefined);
      if (redisUrl) {
        const u = new URL(redisUrl);
        const srv = server("redis", u.hostname, u.port || "6379");
        const redisGating = gating && Boolean(env.REDIS_URL);
        need(`${srv.key} answers`, redisGating, `Redis of container ${c.name}`);
        if (env.REDIS_PASSWORD_FILE && env.REDIS_URL) {
          need(`${srv.key} login ${env.REDIS_USER || "default"}`, redisGating, `REDIS_PASSWORD_FILE of container ${c.name}`, fileKey(pod, c, env.REDIS_PASSWORD_FILE));
        }
      }
    }
    // Its traffic matters only when it must reach a store to be ready or done.
    if (out.some((n) => n.gating && / (answers|login |schema )/.test(n.product))) need(`network policies of ${id(o)}`, true, "its pods' traffic");
    return out;
  }

  // Who makes a product: [{obj, ready, passwordKey}], or undefined (a Secret filled whole by dataFrom
  // makes every key).
  const providersOf = (product) => providers.get(product)
    ?? (product.startsWith("secret ") ? providers.get(product.replace(/ key [^ ]+$/, " key *")) : undefined);

  // Why nothing may stand in for a product no rendered object makes, or null when it is the operator's:
  // a Secret made before the install, a managed server (it answers, its master login exists; with no
  // `migrate` Job for it the operator migrates, with no `roles` Job the operator made the logins), a
  // ConfigMap, ServiceAccount or store of theirs.
  function missing(product) {
    if (product.startsWith("secret ")) {
      const name = product.split(" ")[1];
      return renderedSecretNames.has(name) ? `the chart makes Secret ${name}, but without that key` : null;
    }
    const srv = /^\w+:\/\/([^ /:]+)/.exec(product)?.[1];
    if (srv) return serviceFor(srv) ? "nothing the chart runs makes it, and the server is the chart's own" : null;
    if (product.startsWith("Deployment ") || product.startsWith("TriggerAuthentication ")) return "not rendered";
    return null;
  }

  return { pods, podOf, providersOf, missing, needsOf };
}

// ---- The walk -------------------------------------------------------------------------------------------
export function walk(objects, namespace, mode) {
  const m = model(objects, namespace);
  const argo = mode.startsWith("argocd");
  const upgrade = mode === "helm upgrade" || mode === "argocd later sync";
  const placed = new Map();
  for (const o of objects) {
    const p = placement(o, mode);
    if (p) placed.set(o, p);
  }
  const ranks = [...new Set([...placed.values()].map((p) => JSON.stringify(p.rank)))].map((r) => JSON.parse(r))
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const stepOf = (o) => {
    const p = placed.get(o);
    return p ? ranks.findIndex((r) => r[0] === p.rank[0] && r[1] === p.rank[1]) : undefined;
  };
  const mainStep = argo ? undefined : ranks.findIndex((r) => r[0] === 1);
  const labelOf = (o) => placed.get(o)?.label ?? "never (not applied in this mode)";
  // On an upgrade the previous release's objects are there, except its Jobs (one-shot, made anew).
  const previous = (o) => upgrade && placed.get(o) && !placed.get(o).hook && o.kind !== "Job";
  const policies = objects.filter((o) => o.kind === "NetworkPolicy");
  const failures = [];

  // Whether a product is there by `deadline` ({step, sameStep: allowed at that same step, self}); a
  // reason when it is not.
  function available(need, deadline, seen) {
    if (need.product.startsWith("network policies of ")) return policiesReady(need.product.slice(20), deadline);
    const list = m.providersOf(need.product);
    if (!list) {
      const why = m.missing(need.product);
      return why && `${need.product} (${need.why}): ${why}`;
    }
    const keyed = need.passwordKey ? list.filter((p) => p.passwordKey === need.passwordKey) : list;
    if (keyed.length === 0) {
      return `${need.product} is made by ${list.map((p) => `${id(p.obj)} with the password of ${p.passwordKey}`).join(", ")}, but ${need.why} uses ${need.passwordKey}`;
    }
    const reasons = [];
    for (const p of keyed) {
      const step = previous(p.obj) ? -1 : stepOf(p.obj);
      if (step === undefined) {
        reasons.push(`${id(p.obj)} makes it but is never applied in this mode`);
        continue;
      }
      if (step > deadline.step || (step === deadline.step && !deadline.sameStep && p.obj !== deadline.self)) {
        const same = step === deadline.step ? " (the same weight: Helm's order inside one weight differs between versions)" : "";
        reasons.push(`${id(p.obj)}, which makes it, comes only at ${labelOf(p.obj)}${same}`);
        continue;
      }
      if (!p.ready || step === -1) return null;
      const key = `${id(p.obj)}@${deadline.step}`;
      if (seen.has(key)) return null;
      const inner = readyBy(p.obj, blockingDeadline(p.obj, deadline), new Set([...seen, key]));
      if (!inner) return null;
      reasons.push(`${id(p.obj)}, which makes it, ${inner}`);
    }
    return `${need.product} (${need.why}): ${reasons.join("; ")}`;
  }

  // Pods selected by a network policy at that point are denied what the later policies allow.
  function policiesReady(ownerId, deadline) {
    const owner = objects.find((o) => id(o) === ownerId);
    const labels = m.podOf.get(owner)?.labels ?? {};
    const selecting = policies.filter((p) => labelsMatch(p.spec.podSelector, labels));
    const at = (p) => (previous(p) ? -1 : stepOf(p));
    const present = selecting.filter((p) => at(p) !== undefined && (at(p) < deadline.step || (at(p) === deadline.step && deadline.sameStep)));
    const missing = selecting.filter((p) => !present.includes(p));
    if (present.length === 0 || missing.length === 0) return null;
    return `its pods are already selected by ${present.map(id).join(", ")}, but ${missing.map((p) => `${id(p)} comes only at ${labelOf(p)}`).join(", ")}`;
  }

  // The deadline of what an object needs: a Helm hook and every Argo CD wave block until it is done.
  function blockingDeadline(o, outer) {
    const step = previous(o) ? -1 : stepOf(o);
    if (argo) return { step, sameStep: true, self: o };
    if (placed.get(o)?.hook) return { step, sameStep: false, self: o };
    return outer.step === undefined || outer.step < mainStep ? { step: mainStep, sameStep: true, self: o } : outer;
  }

  function readyBy(o, deadline, seen) {
    const reasons = [];
    for (const need of m.needsOf(o).filter((n) => n.gating)) {
      const r = available(need, deadline, seen);
      if (r) reasons.push(`needs ${r}`);
    }
    return reasons.length ? reasons.join("; ") : null;
  }

  // Everything that must be ready at its point.
  for (const o of objects) {
    const p = placed.get(o);
    if (!p) continue;
    let deadline;
    if (argo || p.hook) deadline = { step: stepOf(o), sameStep: argo, self: o };
    else if (HELM_WAITS_FOR.has(o.kind)) deadline = { step: mainStep, sameStep: true, self: o };
    else continue;
    const r = readyBy(o, deadline, new Set([`${id(o)}@${deadline.step}`]));
    if (r) {
      const what = argo ? `at ${p.label}` : p.hook ? `as ${p.label}` : "under --wait";
      failures.push(`${mode}: ${id(o)} ${what} ${r}`);
    }
  }

  // A Job among Helm's main manifests is patched by the next upgrade, and a Job's pod template cannot
  // change: each revision needs Jobs of its own name (`helm template` renders revision 1).
  if (!argo) {
    for (const o of objects.filter((x) => x.kind === "Job" && placed.get(x) && !placed.get(x).hook)) {
      if (!o.metadata.name.endsWith("-1")) failures.push(`${mode}: ${id(o)} is a Job of the main manifests without the revision in its name: the next upgrade that changes its image fails (a Job's pod template is immutable)`);
    }
  }

  // Inside a step, in the order of Helm's kinds, then names (custom resources last, by kind).
  const kindRank = (o) => (HELM_INSTALL_ORDER.includes(o.kind) ? HELM_INSTALL_ORDER.indexOf(o.kind) : HELM_INSTALL_ORDER.length);
  const inOrder = (a, b) => kindRank(a) - kindRank(b) || a.kind.localeCompare(b.kind) || a.metadata.name.localeCompare(b.metadata.name);
  const steps = ranks.map((r, i) => ({ label: placed.get(objects.find((o) => stepOf(o) === i)).label, objects: objects.filter((o) => stepOf(o) === i).sort(inOrder) }));
  if (!argo) {
    // Helm's --wait, right after the main manifests.
    const waited = objects.filter((o) => placed.get(o) && !placed.get(o).hook && HELM_WAITS_FOR.has(o.kind));
    steps.splice(mainStep + 1, 0, { label: "--wait (--wait-for-jobs)", objects: waited });
  }
  return { steps, failures };
}

// Needs nothing makes, in any mode: a login no `roles` Job makes on the chart's own server, a key the
// chart's ExternalSecret does not fill, a password key that differs from the one the login was made with.
export function unmet(objects, namespace) {
  const failures = [];
  const m = model(objects, namespace);
  for (const o of objects) {
    for (const need of m.needsOf(o).filter((n) => !n.product.startsWith("network policies of "))) {
      const list = m.providersOf(need.product);
      const why = !list && m.missing(need.product);
      if (why) failures.push(`${id(o)} needs ${need.product} (${need.why}): ${why}`);
      if (list && need.passwordKey && !list.some((p) => p.passwordKey === need.passwordKey)) {
        failures.push(`${id(o)} logs in for ${need.product} with ${need.passwordKey}, but ${list.map((p) => `${id(p.obj)} sets it from ${p.passwordKey}`).join(", ")}`);
      }
    }
  }
  return failures;
}

// A one-line summary of a walk: the steps, with the Jobs, hooks and what is waited for.
export function describe(mode, steps, fullname) {
  const shown = (o) => o.kind === "Job" || (HELM_WAITS_FOR.has(o.kind) && o.kind !== "Service");
  return `${mode}: ` + steps.map((s) => {
    const names = s.objects.filter(shown).map((o) => o.metadata.name.replace(`${fullname}-`, ""));
    const label = s.label.replace(/, which Helm runs after --wait/, "");
    return s.label.startsWith("--wait") ? `${label} [${names.join(" ")}]` : `${label} [${s.objects.length} objects${names.length ? ": " + names.join(" ") : ""}]`;
  }).join(" -> ");
}
