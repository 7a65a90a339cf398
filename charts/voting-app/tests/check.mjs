// Checks of the rendered chart and, when given, of the Argo CD manifests, offline (no API server): run by
// run.sh (beside this file) as
//   node check.mjs REPO_ROOT NAMESPACE CASES_JSON [ARGOCD_DIR]
// CASES_JSON lists {name, valuesFiles, rendered}: the chart rendered by `helm template` with those
// values files. Every object is validated against its schema (kubernetes-models and the CRD packages),
// then the assertions below run on it. Any failure is printed with the case and the object, and the
// exit status is 1.
import fs from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { readYaml, loadAll, id, component, podSpecs, labelsMatch, mountedItem } from "./lib.mjs";
import { walk, unmet, describe, MODES } from "./order.mjs";
import { contract, checkProducers, unproduced, producers } from "./producers.mjs";
import { checkPrivileges, passwordKeys, usedKeys } from "./privileges.mjs";
import { checkChartImages, checkRenderedImages } from "./images.mjs";

const [repo, namespace, casesFile, argocdDir] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(casesFile, "utf8"));
const failures = [];
let checks = 0;
const log = (message) => console.log(`[k8s] ${message}`);

function check(ok, where, message) {
  checks++;
  if (!ok) {
    failures.push(`${where}: ${message}`);
  }
  return ok;
}

// ---- Schemas: which package validates which apiVersion ----------------------------------------------
const MODEL_PACKAGES = {
  "keda.sh": "@kubernetes-models/keda",
  "networking.istio.io": "@kubernetes-models/istio",
  "security.istio.io": "@kubernetes-models/istio",
  "argoproj.io": "@kubernetes-models/argo-cd",
  "external-secrets.io": "@kubernetes-models/external-secrets",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

async function validateSchema(obj, where) {
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
  const pkg = MODEL_PACKAGES[group] ?? "kubernetes-models";
  const modulePath = group ? `${pkg}/${group}/${version}` : `${pkg}/${version}`;
  let models;
  try {
    models = await import(modulePath);
  } catch (missing) {
    return check(false, where, `no schema for apiVersion ${obj.apiVersion} (${modulePath})`);
  }
  const Model = models[obj.kind];
  if (!check(typeof Model === "function", where, `no schema for ${obj.apiVersion} ${obj.kind}`)) {
    return false;
  }
  try {
    new Model(obj).validate();
    return check(true, where, "");
  } catch (invalid) {
    return check(false, where, `does not match the ${obj.apiVersion} ${obj.kind} schema: ${invalid.message}`);
  }
}

// ---- Helpers ----------------------------------------------------------------------------------------
function deepMerge(base, over) {
  if (over === null || typeof over !== "object" || Array.isArray(over)) {
    return over === undefined ? base : over;
  }
  const out = { ...(base && typeof base === "object" && !Array.isArray(base) ? base : {}) };
  for (const [k, v] of Object.entries(over)) {
    out[k] = deepMerge(out[k], v);
  }
  return out;
}

function mebibytes(quantity) {
  const m = /^([0-9]+)(Ki|Mi|Gi|k|M|G)?$/.exec(String(quantity));
  if (!m) return NaN;
  const n = Number(m[1]);
  const factor = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1e3, M: 1e6, G: 1e9 }[m[2]] ?? 1;
  return (n * factor) / 1024 ** 2;
}

// The image's user, from the Dockerfile (USER uid:gid), and the dev databases' from compose.
const dockerfile = fs.readFileSync(path.join(repo, "docker/Dockerfile"), "utf8");
const imageUser = /^USER\s+(\d+):(\d+)/m.exec(dockerfile);
const APP_UID = Number(imageUser[1]);
const compose = readYaml(path.join(repo, "docker-compose.yml"));
const composeUid = (service) => Number(String(compose.services[service].user).split(":")[0]);
// The backup image's user (docker/backup/Dockerfile, USER uid:gid) runs both backup CronJobs.
const backupUser = /^USER\s+(\d+):(\d+)/m.exec(fs.readFileSync(path.join(repo, "docker/backup/Dockerfile"), "utf8"));
const BACKUP_UID = Number(backupUser[1]);
const BACKUP_COMPONENTS = ["backup", "restore-drill"];
const EXPECTED_UID = { redis: composeUid("redis"), postgresql: composeUid("db"), backup: BACKUP_UID, "restore-drill": BACKUP_UID,
  "redis-exporter": composeUid("redis-exporter"), "postgres-exporter": composeUid("postgres-exporter") };

// Every environment variable the app reads, from its sources (Java, and logback.xml's ${NAME}): the chart
// must pass nothing else.
function javaSources(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) javaSources(p, out);
    else if (/\.(java|xml)$/.test(entry.name)) out.push(fs.readFileSync(p, "utf8"));
  }
  return out;
}
const appSource = [
  ...javaSources(path.join(repo, "verticles/src/main")),
  ...javaSources(path.join(repo, "launcher/src/main")),
].join("\n");
// Env.secret(NAME) also reads NAME_FILE.
const SECRET_VARS = new Set([...appSource.matchAll(/secret\("([A-Z_]+)"\)/g)].map((m) => m[1]));
function appReads(name) {
  if (name.startsWith("OTEL_") || name === "JAVA_TOOL_OPTIONS") return true; // the OTel SDK; the JVM
  if (name.endsWith("_FILE") && SECRET_VARS.has(name.slice(0, -5))) return true;
  return appSource.includes(`"${name}"`) || appSource.includes("${" + name); // Java, or logback.xml
}

// ---- Pod security: the restricted Pod Security Standard, and the issue's extras ----------------------
const RESTRICTED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
function checkPodSecurity(caseName, pod) {
  const where = `${caseName}: ${id(pod.owner)}`;
  const s = pod.spec;
  const psc = s.securityContext ?? {};
  check(!s.hostNetwork && !s.hostPID && !s.hostIPC, where, "uses a host namespace");
  check(s.automountServiceAccountToken === false, where, "automountServiceAccountToken must be false");
  for (const v of s.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== "name");
    check(RESTRICTED_VOLUMES.includes(type), where, `volume ${v.name} is of type ${type}, not allowed by the restricted standard`);
  }
  const comp = component(pod.labels);
  const expectedUid = EXPECTED_UID[comp] ?? APP_UID;
  for (const c of [...(s.initContainers ?? []), ...s.containers]) {
    const w = `${where} container ${c.name}`;
    const sc = c.securityContext ?? {};
    check(sc.privileged !== true, w, "privileged");
    check(sc.allowPrivilegeEscalation === false, w, "allowPrivilegeEscalation must be false");
    const caps = sc.capabilities ?? {};
    check((caps.drop ?? []).includes("ALL"), w, "capabilities must drop ALL");
    check((caps.add ?? []).every((cap) => cap === "NET_BIND_SERVICE"), w, `adds capabilities ${caps.add}`);
    const nonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
    check(nonRoot === true, w, "runAsNonRoot must be true");
    const uid = sc.runAsUser ?? psc.runAsUser;
    check(uid !== 0, w, "runs as UID 0");
    check(uid === expectedUid, w, `runs as UID ${uid}, not the image's ${expectedUid}`);
    const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
    check(["RuntimeDefault", "Localhost"].includes(seccomp), w, `seccompProfile must be RuntimeDefault (is ${seccomp})`);
    check(sc.readOnlyRootFilesystem === true, w, "readOnlyRootFilesystem must be true");
    check(!(c.ports ?? []).some((p) => p.hostPort), w, "uses a hostPort");
    const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === "/tmp");
    const tmpVolume = tmp && (s.volumes ?? []).find((v) => v.name === tmp.name);
    check(Boolean(tmpVolume?.emptyDir), w, "/tmp must be an emptyDir (the root file system is read-only)");
  }
}

// ---- Resources and probes -----------------------------------------------------------------------------
function checkContainers(caseName, pod, values) {
  const where = `${caseName}: ${id(pod.owner)}`;
  // Jobs (the migration, the backup CronJobs) run to completion and serve nothing: no probes.
  const longRunning = !["Job", "CronJob"].includes(pod.owner.kind);
  for (const c of pod.spec.containers) {
    const w = `${where} container ${c.name}`;
    const r = c.resources ?? {};
    check(r.limits?.cpu && r.limits?.memory, w, "needs cpu and memory limits");
    check(r.requests?.cpu && r.requests?.memory, w, "needs cpu and memory requests");
    if (longRunning) {
      for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
        check(Boolean(c[probe]), w, `has no ${probe}`);
      }
    }
    // The backup image (<prefix>/backup) is shell and PostgreSQL's tools, not the JVM: checkBackups.
    const isApp = !BACKUP_COMPONENTS.includes(component(pod.labels))
      && (c.image.includes(values.image.repositoryPrefix) || ["vote", "worker", "result", "migrate"].includes(c.name));
    if (!isApp) continue;
    // The app's probes: liveness /health, readiness /ready, startup /health, all on the management port.
    if (longRunning) {
      const mgmt = (c.ports ?? []).find((p) => p.name === "management");
      check(mgmt?.containerPort === values.app.managementPort, w, "has no management port");
      const paths = { startupProbe: "/health", livenessProbe: "/health", readinessProbe: "/ready" };
      for (const [probe, p] of Object.entries(paths)) {
        check(c[probe]?.httpGet?.path === p && c[probe]?.httpGet?.port === "management", w, `${probe} must GET ${p} on the management port`);
      }
    }
    // The JVM follows the limit: -Xmx and direct memory inside it, with room for the rest.
    const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));
    const opts = env.JAVA_TOOL_OPTIONS?.value ?? "";
    const heap = Number(/-Xmx(\d+)m/.exec(opts)?.[1]);
    const direct = Number(/-XX:MaxDirectMemorySize=(\d+)m/.exec(opts)?.[1]);
    const limit = mebibytes(r.limits?.memory);
    check(heap > 0 && direct > 0, w, `JAVA_TOOL_OPTIONS must set -Xmx and -XX:MaxDirectMemorySize (is '${opts}')`);
    check(heap + direct <= 0.8 * limit && heap >= 0.4 * limit, w,
      `heap ${heap} MiB + direct ${direct} MiB do not follow the ${limit} MiB limit (40%-80%)`);
    // Only what the app reads; passwords as files.
    for (const e of c.env ?? []) {
      check(appReads(e.name), w, `passes ${e.name}, which the app never reads (verticles/, launcher/)`);
    }
  }
}

// ---- Passwords: files only, never a literal --------------------------------------------------------
const SECRETISH = /(PASSWORD|SECRET|TOKEN|PASSWD|AUTH|IDENTITY)/i;
function checkPasswords(caseName, objects, pods) {
  for (const o of objects.filter((x) => x.kind === "Secret")) {
    check(!o.data && !o.stringData, `${caseName}: ${id(o)}`, "the chart renders a Secret with data: a literal password in the manifests");
  }
  for (const o of objects.filter((x) => x.kind === "ConfigMap")) {
    for (const key of Object.keys(o.data ?? {})) {
      check(!SECRETISH.test(key), `${caseName}: ${id(o)}`, `ConfigMap key ${key} looks like a secret`);
    }
  }
  for (const pod of pods) {
    for (const c of pod.spec.containers) {
      const mounts = c.volumeMounts ?? [];
      for (const e of c.env ?? []) {
        const w = `${caseName}: ${id(pod.owner)} container ${c.name} env ${e.name}`;
        if (!SECRETISH.test(e.name)) continue;
        check(!e.valueFrom?.secretKeyRef, w, "a password in an environment value (mount it as a file: *_FILE)");
        if (e.value !== undefined) {
          check(e.name.endsWith("_FILE"), w, "a literal password in the manifest (use *_FILE)");
          // The file must be in a mounted Secret volume.
          const mount = mounts.find((m) => e.value.startsWith(m.mountPath + "/"));
          const volume = mount && (pod.spec.volumes ?? []).find((v) => v.name === mount.name);
          const item = volume?.secret?.items?.find((i) => `${mount.mountPath}/${i.path}` === e.value);
          check(Boolean(item), w, `${e.value} is not a key of a mounted Secret`);
        }
      }
    }
  }
}

// ---- CA files: every pod that reaches a store over TLS with its own CA mounts it -------------------------
function checkCas(caseName, values, pods) {
  const redisCa = values.redis.tls.enabled && !values.dev.enabled && (values.redis.tls.ca.secretName || values.redis.tls.ca.configMapName);
  const pgCa = !values.dev.enabled && (values.postgresql.sslRootCert.secretName || values.postgresql.sslRootCert.configMapName);
  const uses = { REDIS_CA_CERT: ["vote", "worker", "backup"], PGSSLROOTCERT: ["worker", "result", "roles", "migrate", "backup", "restore-drill"] };
  for (const pod of pods) {
    const comp = component(pod.labels);
    for (const c of pod.spec.containers) {
      const w = `${caseName}: ${id(pod.owner)} container ${c.name}`;
      const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
      for (const [name, configured] of [["REDIS_CA_CERT", redisCa], ["PGSSLROOTCERT", pgCa]]) {
        const wanted = Boolean(configured) && uses[name].includes(comp);
        check(wanted === (env[name] !== undefined), w, wanted ? `needs ${name} (the CA is configured)` : `sets ${name}, which it does not need`);
        if (env[name] !== undefined) check(Boolean(mountedItem(pod, c, env[name])), w, `${name}=${env[name]} is not a file of a mounted Secret or ConfigMap`);
      }
      // The exporters: the same TLS, in their own variables.
      if (comp === "postgres-exporter") {
        const uri = env.DATA_SOURCE_URI ?? "";
        const mode = values.dev.enabled ? "disable" : values.postgresql.sslMode;
        check(new URLSearchParams(uri.split("?")[1] ?? "").get("sslmode") === mode, w, `DATA_SOURCE_URI must say sslmode=${mode} (is ${uri})`);
        const root = new URLSearchParams(uri.split("?")[1] ?? "").get("sslrootcert");
        check(Boolean(pgCa) === Boolean(root), w, pgCa ? "DATA_SOURCE_URI needs sslrootcert (the CA is configured)" : "DATA_SOURCE_URI sets sslrootcert, which it does not need");
        if (root) check(Boolean(mountedItem(pod, c, root)), w, `sslrootcert=${root} is not a file of a mounted Secret or ConfigMap`);
      }
      if (comp === "redis-exporter") {
        const tls = values.redis.tls.enabled && !values.dev.enabled;
        check((env.REDIS_ADDR ?? "").startsWith(tls ? "rediss://" : "redis://"), w, `REDIS_ADDR must be ${tls ? "rediss" : "redis"}:// (is ${env.REDIS_ADDR})`);
        const ca = env.REDIS_EXPORTER_TLS_CA_CERT_FILE;
        check(Boolean(redisCa) === Boolean(ca), w, redisCa ? "needs REDIS_EXPORTER_TLS_CA_CERT_FILE (the CA is configured)" : "sets REDIS_EXPORTER_TLS_CA_CERT_FILE, which it does not need");
        if (ca) check(Boolean(mountedItem(pod, c, ca)), w, `REDIS_EXPORTER_TLS_CA_CERT_FILE=${ca} is not a file of a mounted Secret or ConfigMap`);
      }
    }
  }
}

// ---- Backups: the CronJobs of docker/backup ------------------------------------------------------------
function checkBackups(caseName, values, objects, pods) {
  const b = values.backup;
  const cronJobs = objects.filter((o) => o.kind === "CronJob");
  const wanted = b.enabled ? (b.drill.enabled ? ["backup", "restore-drill"] : ["backup"]) : [];
  check(isDeepStrictEqual(cronJobs.map((o) => component(o.metadata.labels)).sort(), wanted), `${caseName}: backup`,
    `CronJobs ${cronJobs.map(id)} rendered, expected the components ${wanted}`);
  const identity = b.drill.identitySecret.name;
  for (const cj of cronJobs) {
    const w = `${caseName}: ${id(cj)}`;
    const comp = component(cj.metadata.labels);
    const job = cj.spec.jobTemplate.spec;
    check(cj.spec.concurrencyPolicy === "Forbid", w, `concurrencyPolicy must be Forbid (is ${cj.spec.concurrencyPolicy}): two runs must never overlap`);
    check(Number.isInteger(cj.spec.startingDeadlineSeconds) && cj.spec.startingDeadlineSeconds > 0, w,
      "needs startingDeadlineSeconds: a start missed by longer waits for the next schedule");
    check(Number.isInteger(job.backoffLimit) && job.backoffLimit >= 0, w, "needs backoffLimit in its jobTemplate");
    check(Number.isInteger(job.activeDeadlineSeconds) && job.activeDeadlineSeconds > 0, w, "needs activeDeadlineSeconds in its jobTemplate: a hung run must end");
    const pod = pods.find((p) => p.owner === cj);
    for (const c of pod.spec.containers) {
      const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));
      const wc = `${w} container ${c.name}`;
      check(Boolean(env.PGPASSWORD_FILE) && Boolean(mountedItem(pod, c, env.PGPASSWORD_FILE.value ?? "")?.volume.secret), wc, "needs PGPASSWORD_FILE, a file of a mounted Secret");
      check(!env.PGPASSWORD && !env.REDIS_PASSWORD, wc, "passes a password as an environment value");
      if (comp === "backup") {
        if (values.redis.auth.enabled) {
          check(Boolean(mountedItem(pod, c, env.REDIS_PASSWORD_FILE?.value ?? "")?.volume.secret), wc, "needs REDIS_PASSWORD_FILE, a file of a mounted Secret");
        }
        const recipients = mountedItem(pod, c, env.BACKUP_AGE_RECIPIENTS_FILE?.value ?? "");
        const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === recipients?.volume.configMap?.name);
        const keys = cm?.data?.[recipients?.item.key] ?? "";
        check(Boolean(cm) && /^age1[a-z0-9]{58}$/m.test(keys) && !/AGE-SECRET-KEY/i.test(keys), wc,
          "BACKUP_AGE_RECIPIENTS_FILE must be a mounted ConfigMap of age public keys (age1...), never a private key");
        check(!env.BACKUP_AGE_IDENTITY_FILE, wc, "the backup must never get the age private key (BACKUP_AGE_IDENTITY_FILE)");
      } else {
        const key = mountedItem(pod, c, env.BACKUP_AGE_IDENTITY_FILE?.value ?? "");
        check(key?.volume.secret?.secretName === identity, wc, `BACKUP_AGE_IDENTITY_FILE must be a file of the mounted Secret ${identity}`);
        check(!Object.keys(env).some((n) => n.startsWith("REDIS_")), wc, "the drill never talks to Redis: no REDIS_* variable");
      }
    }
  }
  // Only the drill's pod mounts the age identity: no other pod of the release, not even in another volume.
  for (const pod of pods) {
    const mounts = (pod.spec.volumes ?? []).filter((v) => identity && v.secret?.secretName === identity);
    check(mounts.length === 0 || component(pod.labels) === "restore-drill", `${caseName}: ${id(pod.owner)}`,
      `mounts the age identity Secret ${identity}: only the restore drill may`);
  }
}

// ---- Network policies, evaluated as Kubernetes does, and compared as a matrix --------------------------
function ipToInt(ip) {
  return ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}
function inCidr(ip, cidr) {
  const [net, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipToInt(ip) / size) === Math.floor(ipToInt(net) / size);
}

function peerMatches(peer, policyNs, endpoint) {
  if (peer.ipBlock) {
    return Boolean(endpoint.ip) && inCidr(endpoint.ip, peer.ipBlock.cidr)
      && !(peer.ipBlock.except ?? []).some((c) => inCidr(endpoint.ip, c));
  }
  if (!endpoint.namespace) return false; // an address outside the cluster: only ipBlock matches it
  const nsOk = peer.namespaceSelector
    ? labelsMatch(peer.namespaceSelector, { "kubernetes.io/metadata.name": endpoint.namespace })
    : endpoint.namespace === policyNs;
  return nsOk && labelsMatch(peer.podSelector, endpoint.labels);
}

function portMatches(rulePorts, endpoint, port) {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some((p) => {
    if ((p.protocol ?? "TCP") !== port.protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === "string") return p.port === port.name;
    return p.endPort ? port.port >= p.port && port.port <= p.endPort : p.port === port.port;
  });
}

function allowedBy(policies, self, other, port, direction) {
  // Policies of our namespace that select `self` for this direction. None: everything is allowed.
  if (!self.ours) return true;
  const selecting = policies.filter((p) =>
    labelsMatch(p.spec.podSelector, self.labels)
    && (p.spec.policyTypes ?? ["Ingress"]).includes(direction));
  if (selecting.length === 0) return true;
  const field = direction === "Ingress" ? "ingress" : "egress";
  const peers = direction === "Ingress" ? "from" : "to";
  return selecting.some((p) => (p.spec[field] ?? []).some((rule) =>
    (!rule[peers] || rule[peers].length === 0 || rule[peers].some((peer) => peerMatches(peer, namespace, other)))
    && portMatches(rule.ports, direction === "Ingress" ? self : other, port)));
}

// The restore drill's PostgreSQL port (backup.drill.pgPort; empty: postgresql.port).
const drillPgPort = (values) => Number(values.backup.drill.pgPort || values.postgresql.port);

function endpoints(values, pods) {
  const np = values.networkPolicy;
  const ext = [];
  const peer = (name, cfg, ports) => ext.push({ name, namespace: cfg.namespace, labels: cfg.podLabels, ports });
  peer("ingress-controller", np.ingressController, [{ port: 80, protocol: "TCP" }]);
  peer("istio-gateway", np.istioGateway, [{ port: 8080, protocol: "TCP" }]);
  peer("istiod", np.istiod, [{ port: 15012, protocol: "TCP" }]);
  peer("prometheus", np.monitoring, [{ port: 9090, protocol: "TCP" }]);
  peer("kube-dns", np.dns, [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }]);
  peer("keda-operator", np.keda, [{ port: 8080, protocol: "TCP" }]);
  const pg = values.backup.networkPolicy.pushgateway;
  peer("pushgateway", pg, [{ port: pg.port, protocol: "TCP" }]);
  const t = values.tracing.networkPolicy;
  ext.push({ name: "otel-collector", namespace: t.namespace, labels: t.podLabels, ports: [{ port: t.port, protocol: "TCP" }] });
  // Pods that must get nothing: another app in our namespace, a pod in another namespace.
  ext.push({ name: "other-pod", namespace, labels: { app: "other" }, ports: [{ port: 8080, protocol: "TCP" }] });
  ext.push({ name: "other-namespace", namespace: "default", labels: { app: "other" }, ports: [{ port: 8080, protocol: "TCP" }] });
  // Addresses outside the cluster: the managed Redis and PostgreSQL (inside their CIDRs when given),
  // and anywhere else on the internet, which listens on every port the app uses.
  const firstIp = (cidrs, fallback) => (cidrs.length ? cidrs[0].split("/")[0].replace(/\.0$/, ".10") : fallback);
  const redisPort = values.redis.port;
  const pgPort = values.postgresql.port;
  const pgPorts = [...new Set([pgPort, drillPgPort(values)])].map((port) => ({ port, protocol: "TCP" }));
  const allPorts = [redisPort, pgPort, 443, 80, 53, values.tracing.networkPolicy.port].map((port) => ({ port, protocol: "TCP" }));
  ext.push({ name: "external-redis", ip: firstIp(values.redis.cidrs, "10.200.0.10"), ports: [{ port: redisPort, protocol: "TCP" }] });
  ext.push({ name: "external-postgresql", ip: firstIp(values.postgresql.cidrs, "10.201.0.10"), ports: pgPorts });
  ext.push({ name: "internet", ip: "203.0.113.10", ports: allPorts });
  // An address inside the cluster (backup.networkPolicy.clusterCidrs): HTTPS "outside the cluster" must
  // not reach it.
  const clusterCidrs = values.backup.networkPolicy.clusterCidrs;
  if (clusterCidrs.length) ext.push({ name: "cluster-address", ip: firstIp(clusterCidrs, ""), ports: allPorts });
  // Ours: one endpoint per rendered pod template, listening on its container ports.
  const ours = pods.map((pod) => ({
    name: pod.labels["app.kubernetes.io/track"] === "canary" ? "vote-canary" : component(pod.labels),
    namespace, labels: pod.labels, ours: true,
    // Plus a port no container declares: a rule open on every port shows there, and a pod that serves
    // nothing (the Jobs) is still probed for ingress.
    ports: [...pod.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol ?? "TCP", name: p.name }))),
      { port: 65000, protocol: "TCP", name: "undeclared" }],
  }));
  return [...ours, ...ext];
}

function actualFlows(policies, all) {
  const flows = new Set();
  for (const src of all) {
    for (const dst of all) {
      if (src === dst || (!src.ours && !dst.ours)) continue;
      for (const port of dst.ports) {
        if (allowedBy(policies, src, dst, port, "Egress") && allowedBy(policies, dst, src, port, "Ingress")) {
          flows.add(`${src.name} -> ${dst.name}:${port.port}/${port.protocol}`);
        }
      }
    }
  }
  return flows;
}

// The flows the issue asks for, from the values alone.
function expectedFlows(values, all) {
  const flows = new Set();
  const add = (src, dst, port, protocol = "TCP") => flows.add(`${src} -> ${dst}:${port}/${protocol}`);
  const names = new Set(all.filter((e) => e.ours).map((e) => e.name));
  const votes = ["vote", "vote-canary"].filter((n) => names.has(n));
  const apps = [...votes, "worker", "result"];
  const edge = values.istio.enabled ? "istio-gateway" : "ingress-controller";
  votes.forEach((v) => add(edge, v, 5000));
  add(edge, "result", 5001);
  apps.forEach((a) => add("prometheus", a, values.app.managementPort));
  // The exporters: Prometheus to their metrics port.
  const exporters = { "postgres-exporter": 9187, "redis-exporter": 9121 };
  Object.entries(exporters).filter(([n]) => names.has(n)).forEach(([n, port]) => add("prometheus", n, port));
  [...apps, ...["roles", "migrate", ...Object.keys(exporters)].filter((n) => names.has(n))].forEach((a) => {
    add(a, "kube-dns", 53, "UDP");
    add(a, "kube-dns", 53, "TCP");
  });
  // A store is reached at its own address; with no CIDRs given, at any address outside the cluster
  // on its port (values.yaml says so), which the internet endpoint stands for.
  const store = (clients, devName, external, cfg, port) => {
    for (const c of clients.filter((n) => names.has(n))) {
      if (values.dev.enabled) {
        add(c, devName, port);
      } else {
        add(c, external, cfg.port);
        if (cfg.cidrs.length === 0) add(c, "internet", cfg.port);
      }
    }
  };
  store([...votes, "worker", "redis-exporter"], "redis", "external-redis", values.redis, 6379);
  store(["worker", "result", "roles", "migrate", "postgres-exporter"], "postgresql", "external-postgresql", values.postgresql, 5432);
  if (values.dev.enabled) add("keda-operator", "redis", 6379);
  // The backup CronJobs: DNS, PostgreSQL (the drill on its own port), Redis for the backup's queue
  // depth, HTTPS outside the cluster (S3, STS), the Pushgateway when results are pushed; nothing in.
  const jobs = BACKUP_COMPONENTS.filter((n) => names.has(n));
  jobs.forEach((j) => {
    add(j, "kube-dns", 53, "UDP");
    add(j, "kube-dns", 53, "TCP");
    add(j, "internet", 443);
    if (values.backup.pushgatewayUrl) add(j, "pushgateway", values.backup.networkPolicy.pushgateway.port);
  });
  store(["backup"], "redis", "external-redis", values.redis, 6379);
  store(["backup"], "postgresql", "external-postgresql", values.postgresql, 5432);
  store(["restore-drill"], "postgresql", "external-postgresql", { ...values.postgresql, port: drillPgPort(values) }, 5432);
  if (values.tracing.enabled) {
    apps.forEach((a) => add(a, "otel-collector", values.tracing.networkPolicy.port));
  }
  if (values.istio.enabled) apps.forEach((a) => add(a, "istiod", 15012));
  return flows;
}

function checkNetworkPolicies(caseName, values, objects, pods) {
  if (!values.networkPolicy.enabled) return;
  const policies = objects.filter((o) => o.kind === "NetworkPolicy");
  for (const pod of pods) {
    check(policies.some((p) => labelsMatch(p.spec.podSelector, pod.labels) && p.spec.policyTypes?.includes("Ingress") && p.spec.policyTypes?.includes("Egress")),
      `${caseName}: ${id(pod.owner)}`, "no network policy selects it for both ingress and egress (default deny)");
  }
  const all = endpoints(values, pods);
  const actual = actualFlows(policies, all);
  const expected = expectedFlows(values, all);
  const extra = [...actual].filter((f) => !expected.has(f)).sort();
  const missing = [...expected].filter((f) => !actual.has(f)).sort();
  check(extra.length === 0, `${caseName}: network policies`, `allow flows that are not needed:\n    ${extra.join("\n    ")}`);
  check(missing.length === 0, `${caseName}: network policies`, `block flows the app needs:\n    ${missing.join("\n    ")}`);
  return [...actual].sort();
}

// ---- Scaling ----------------------------------------------------------------------------------------
function checkScaling(caseName, values, objects, fullname) {
  const byKind = (k) => objects.filter((o) => o.kind === k);
  const deployment = (c) => byKind("Deployment").find((d) => d.metadata.name === `${fullname}-${c}`);
  const worker = deployment("worker");
  const hpas = byKind("HorizontalPodAutoscaler");
  check(!hpas.some((h) => h.spec.scaleTargetRef.name === worker.metadata.name), `${caseName}: worker`, "has an HPA of its own (KEDA makes one)");
  for (const role of ["vote", "result"]) {
    const hpa = hpas.find((h) => h.spec.scaleTargetRef.name === `${fullname}-${role}`);
    const d = deployment(role);
    if (values[role].autoscaling.enabled) {
      check(Boolean(hpa) && hpa.spec.metrics.some((m) => m.resource?.name === "cpu"), `${caseName}: ${role}`, "has no CPU HPA");
      check(d.spec.replicas === undefined, `${caseName}: ${id(d)}`, "sets replicas while an HPA owns them");
    } else {
      check(!hpa, `${caseName}: ${role}`, "has an HPA though autoscaling is off");
    }
  }
  const scaled = byKind("ScaledObject");
  if (values.worker.keda.enabled) {
    const so = scaled.find((s) => s.spec.scaleTargetRef.name === worker.metadata.name);
    if (check(Boolean(so), `${caseName}: worker`, "has no ScaledObject")) {
      const trigger = so.spec.triggers.find((t) => t.type === "redis");
      check(trigger?.metadata.listName === values.redis.queue, `${caseName}: ${id(so)}`, "must watch the queue (redis listName = redis.queue)");
      check(Number(trigger?.metadata.listLength) > 0 && trigger?.metadata.activationListLength !== undefined, `${caseName}: ${id(so)}`, "needs listLength and activationListLength");
      check(so.spec.minReplicaCount >= 1, `${caseName}: ${id(so)}`, "minReplicaCount must be at least 1 (a live worker recovers crashed workers' batches)");
      if (values.redis.auth.enabled) {
        const auth = byKind("TriggerAuthentication").find((a) => a.metadata.name === trigger?.authenticationRef?.name);
        const ref = auth?.spec.secretTargetRef?.find((r) => r.parameter === "password");
        check(ref?.key === values.secrets.keys.redisPassword, `${caseName}: ${id(so)}`, "needs a TriggerAuthentication with the Redis password from the Secret");
      }
    }
    check(worker.spec.replicas === undefined, `${caseName}: ${id(worker)}`, "sets replicas while KEDA owns them");
  } else {
    check(scaled.length === 0, `${caseName}: worker`, "has a ScaledObject though worker.keda.enabled is false");
  }
  // Scale-in loses no vote: time to commit the batch in flight (each step bounded by WORKER_TIMEOUT_MS,
  // and the process's own 30 s cap on closing) before SIGKILL.
  const grace = worker.spec.template.spec.terminationGracePeriodSeconds;
  check(grace > 30 && grace >= (2 * values.worker.timeoutMs) / 1000 + 10, `${caseName}: ${id(worker)}`,
    `terminationGracePeriodSeconds ${grace} is too short for a batch in flight (> 30 s and >= 2 x WORKER_TIMEOUT_MS + 10 s)`);
  for (const role of ["vote", "result"]) {
    const g = deployment(role).spec.template.spec.terminationGracePeriodSeconds;
    check(g > values.app.shutdownDrainSeconds + 5, `${caseName}: ${role}`, `terminationGracePeriodSeconds ${g} leaves no time after the ${values.app.shutdownDrainSeconds} s drain`);
  }
}

// ---- Monitoring: the rules and dashboards are the repository's, not copies ------------------------
function checkMonitoring(caseName, values, objects) {
  const m = values.monitoring;
  const rules = objects.filter((o) => o.kind === "PrometheusRule");
  const ruleDir = path.join(repo, "prometheus/rules");
  if (m.prometheusRule.enabled) {
    const files = fs.readdirSync(ruleDir).filter((f) => f.endsWith(".yml")).sort();
    for (const excluded of m.prometheusRule.excludeFiles) {
      check(files.includes(excluded), `${caseName}: monitoring.prometheusRule.excludeFiles`, `${excluded} is not in prometheus/rules`);
    }
    const wanted = files.filter((f) => !m.prometheusRule.excludeFiles.includes(f));
    // Each file's groups exactly, less the rules that cannot fire here (no producer of a series they
    // select: producers.mjs), and nothing else; a file left with no rule is not shipped.
    const jobs = producers(objects, namespace, METRICS);
    const records = new Set(rules.flatMap((r) => r.spec.groups.flatMap((g) => g.rules.filter((x) => x.record).map((x) => x.record))));
    let shipped = 0;
    for (const file of wanted) {
      const groups = readYaml(path.join(ruleDir, file)).groups;
      const expected = groups.map((g) => ({ ...g, rules: g.rules.filter((r) => unproduced(r.expr, jobs, records).length === 0) }))
        .filter((g) => g.rules.length > 0);
      const dropped = groups.flatMap((g) => g.rules).filter((r) => unproduced(r.expr, jobs, records).length > 0).map((r) => r.alert ?? r.record);
      const rule = rules.find((r) => r.metadata.annotations?.["voting-app/source"] === `prometheus/rules/${file}`);
      if (expected.length === 0) {
        check(!rule, `${caseName}: ${rule && id(rule)}`, `ships prometheus/rules/${file}, though none of its rules has a producer in this rendering`);
        continue;
      }
      shipped++;
      if (check(Boolean(rule), `${caseName}: PrometheusRule`, `none for prometheus/rules/${file}`)) {
        check(isDeepStrictEqual(rule.spec.groups, expected), `${caseName}: ${id(rule)}`,
          `its groups differ from prometheus/rules/${file}${dropped.length ? ` less ${dropped.join(", ")} (no producer here)` : ""}`);
      }
    }
    check(rules.length === shipped, `${caseName}: PrometheusRule`, `${rules.length} rendered for ${shipped} rule files with rules that can fire here`);
  } else {
    check(rules.length === 0, `${caseName}: PrometheusRule`, "rendered though monitoring.prometheusRule.enabled is false");
  }
  const dashDir = path.join(repo, "grafana/dashboards");
  const maps = objects.filter((o) => o.kind === "ConfigMap" && o.metadata.annotations?.["voting-app/source"]?.startsWith("grafana/"));
  if (m.dashboards.enabled) {
    const files = fs.readdirSync(dashDir).filter((f) => f.endsWith(".json")).sort();
    for (const file of files) {
      const cm = maps.find((c) => c.metadata.annotations["voting-app/source"] === `grafana/dashboards/${file}`);
      if (check(Boolean(cm), `${caseName}: dashboards`, `no ConfigMap for grafana/dashboards/${file}`)) {
        check(cm.data[file] === fs.readFileSync(path.join(dashDir, file), "utf8").replace(/\n$/, ""), `${caseName}: ${id(cm)}`, `differs from grafana/dashboards/${file}`);
        check(Object.entries(m.dashboards.labels).every(([k, v]) => cm.metadata.labels[k] === v), `${caseName}: ${id(cm)}`, "lacks the Grafana sidecar's label");
      }
    }
  }
  const monitors = objects.filter((o) => o.kind === "ServiceMonitor");
  if (m.serviceMonitor.enabled) {
    for (const role of ["vote", "worker", "result"]) {
      const sm = monitors.find((s) => s.spec.selector.matchLabels["app.kubernetes.io/component"] === role);
      const service = objects.find((o) => o.kind === "Service" && labelsMatch(sm?.spec.selector, o.metadata.labels));
      check(Boolean(sm && service), `${caseName}: ServiceMonitor`, `none (or no Service) for ${role}`);
      if (!sm || !service) continue;
      check(service.metadata.labels[sm.spec.jobLabel] === role, `${caseName}: ${id(sm)}`, `job label must be "${role}", as the rules expect (job="${role}")`);
      check(sm.spec.endpoints.every((e) => e.port === "management" && e.path === "/metrics"), `${caseName}: ${id(sm)}`, "must scrape /metrics on the management port");
      check(service.spec.ports.some((p) => p.name === "management"), `${caseName}: ${id(service)}`, "has no management port to scrape");
    }
    // The exporters and the Pushgateway under compose's job and service labels (prometheus/prometheus.yml),
    // which the rules and dashboards read (job="redis", service="postgres", job="pushgateway").
    const jobs = producers(objects, namespace, METRICS);
    const scraped = [
      ["redis-exporter", Boolean(values.exporters?.redis?.enabled), (j) => j.metrics.has("redis_up")],
      ["postgres-exporter", Boolean(values.exporters?.postgres?.enabled), (j) => j.metrics.has("pg_up")],
      ["pushgateway", values.backup.enabled && Boolean(values.backup.pushgatewayUrl) && Boolean(m.serviceMonitor.pushgateway?.enabled),
        (j) => j.via.endsWith("(the Pushgateway)")],
    ];
    for (const [host, enabled, isIt] of scraped) {
      const theirs = composeJob(host);
      const mine = jobs.filter(isIt);
      check(enabled ? mine.length > 0 : mine.length === 0, `${caseName}: ServiceMonitor`, enabled ? `nothing scrapes the ${host}` : `scrapes a ${host} it does not run`);
      for (const j of mine) {
        check(j.job === theirs.job_name && j.service === theirs.static_configs[0].labels?.service, `${caseName}: ${j.via}`,
          `job "${j.job}" and service "${j.service}", but prometheus/prometheus.yml scrapes ${host} as job "${theirs.job_name}", service "${theirs.static_configs[0].labels?.service}"`);
      }
    }
  }
  // Ingress and Gateway never route the management port.
  for (const ing of objects.filter((o) => o.kind === "Ingress")) {
    for (const rule of ing.spec.rules) {
      for (const p of rule.http.paths) {
        check(p.backend.service.port.name === "http", `${caseName}: ${id(ing)}`, "routes a port other than http");
      }
    }
  }
}

// compose's Prometheus job of a target host (prometheus/prometheus.yml).
const promConfig = readYaml(path.join(repo, "prometheus/prometheus.yml"));
function composeJob(host) {
  return promConfig.scrape_configs.find((sc) => (sc.static_configs ?? []).some((s) => s.targets.some((t) => t.startsWith(`${host}:`))));
}
const METRICS = contract(repo);

// ---- Secrets from AWS, Istio ------------------------------------------------------------------------
function checkSecretsAndMesh(caseName, values, objects, pods) {
  const mountedSecrets = new Set(pods.flatMap((p) => (p.spec.volumes ?? []).filter((v) => v.secret).map((v) => v.secret.secretName)));
  if (values.externalSecrets.enabled) {
    const es = objects.find((o) => o.kind === "ExternalSecret");
    const store = objects.find((o) => o.kind === "SecretStore");
    if (check(Boolean(es && store), `${caseName}: external secrets`, "needs an ExternalSecret and a SecretStore")) {
      const identity = values.backup.enabled && values.backup.drill.enabled ? 1 : 0;
      check(mountedSecrets.has(es.spec.target.name) && mountedSecrets.size <= 1 + identity + (values.redis.tls.ca.secretName ? 1 : 0) + (values.postgresql.sslRootCert.secretName ? 1 : 0),
        `${caseName}: ${id(es)}`, `makes ${es.spec.target.name}, but the pods mount ${[...mountedSecrets]}`);
      const keys = es.spec.data.map((d) => d.secretKey);
      // Every key the enabled parts of the chart read, and no other: a remote secret nothing needs may
      // not exist, and one missing remote secret fails the whole ExternalSecret.
      const needed = new Set(Object.values(passwordKeys(values)).flat());
      for (const k of needed) check(keys.includes(k), `${caseName}: ${id(es)}`, `does not fill the key ${k}`);
      const used = usedKeys(es.spec.target.name, objects, pods);
      check(isDeepStrictEqual([...used].sort(), [...needed].sort()), `${caseName}: ${id(es)}`, `the pods and KEDA read [${[...used].sort()}], the values need [${[...needed].sort()}]`);
      for (const k of keys) check(needed.has(k), `${caseName}: ${id(es)}`, `fills ${k}, which nothing here reads`);
      check(store.spec.provider.aws?.service === "SecretsManager", `${caseName}: ${id(store)}`, "must read AWS Secrets Manager");
      const saName = store.spec.provider.aws?.auth?.jwt?.serviceAccountRef?.name;
      const sa = objects.find((o) => o.kind === "ServiceAccount" && o.metadata.name === saName);
      check(Boolean(sa?.metadata.annotations?.["eks.amazonaws.com/role-arn"]), `${caseName}: ${id(store)}`, "must log in with IRSA (a ServiceAccount with eks.amazonaws.com/role-arn)");
    }
  }
  if (values.istio.enabled) {
    const pa = objects.find((o) => o.kind === "PeerAuthentication");
    check(pa?.spec.mtls?.mode === "STRICT", `${caseName}: PeerAuthentication`, "mutual TLS must be STRICT");
    const rules = objects.filter((o) => o.kind === "DestinationRule");
    for (const role of ["vote", "worker", "result"]) {
      check(rules.some((r) => r.spec.host.startsWith(`${values._fullname}-${role}.`)), `${caseName}: DestinationRule`, `none for ${role}`);
    }
    check(!objects.some((o) => o.kind === "Ingress"), `${caseName}: istio`, "an Ingress is rendered beside the Gateway");
    const vs = objects.find((o) => o.kind === "VirtualService" && o.metadata.name === `${values._fullname}-vote`);
    const routes = vs?.spec.http[0].route ?? [];
    const total = routes.reduce((sum, r) => sum + (r.weight ?? 100), 0);
    check(total === 100, `${caseName}: ${vs && id(vs)}`, `route weights add up to ${total}`);
    if (values.vote.canary.enabled) {
      const canary = routes.find((r) => r.destination.subset === "canary");
      check(canary?.weight === values.vote.canary.weight, `${caseName}: ${vs && id(vs)}`, "the canary does not get vote.canary.weight");
      const dr = rules.find((r) => r.spec.host.startsWith(`${values._fullname}-vote.`));
      const subset = dr?.spec.subsets?.find((s) => s.name === "canary");
      const canaryPods = pods.filter((p) => labelsMatch({ matchLabels: subset?.labels ?? { none: "none" } }, p.labels));
      check(canaryPods.length === 1 && canaryPods[0].owner.metadata.name.endsWith("vote-canary"), `${caseName}: ${dr && id(dr)}`, "the canary subset does not select the canary's pods alone");
    }
  }
}

// ---- Argo CD ----------------------------------------------------------------------------------------
// ARGOCD_DIR (argocd/ in this repository) holds the Applications; their values files were rendered as cases.
async function checkArgo(renderedByValuesFile) {
  const dir = path.resolve(repo, argocdDir);
  const rel = path.relative(repo, dir);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yaml"));
  const apps = [];
  for (const f of files) {
    for (const o of loadAll(path.join(dir, f))) {
      await validateSchema(o, `${rel}/${f}: ${id(o)}`);
      if (o.kind === "Application") apps.push({ file: f, app: o });
    }
  }
  const envs = apps.map((a) => a.app.metadata.labels?.environment).sort();
  check(isDeepStrictEqual(envs, ["production", "staging"]), `${rel}/`, `Applications for staging and production expected, found ${envs}`);
  for (const { file, app } of apps) {
    const where = `${rel}/${file}`;
    const sp = app.spec.syncPolicy ?? {};
    check(sp.automated?.prune === true && sp.automated?.selfHeal === true, where, "automated sync needs prune and selfHeal");
    check((sp.syncOptions ?? []).includes("CreateNamespace=true"), where, "needs CreateNamespace=true");
    check(sp.managedNamespaceMetadata?.labels?.["pod-security.kubernetes.io/enforce"] === "restricted", where, "the namespace must enforce the restricted Pod Security Standard");
    check(app.spec.source.path === "charts/voting-app", where, "must deploy charts/voting-app");
    const valueFiles = app.spec.source.helm?.valueFiles ?? [];
    check(valueFiles.length === 1, where, "needs exactly one values file of its own");
    const valuesPath = path.normalize(path.join(repo, app.spec.source.path, valueFiles[0] ?? ""));
    if (!check(fs.existsSync(valuesPath) && valuesPath.startsWith(dir + path.sep), where, `values file ${valueFiles[0]} is not in ${rel}/`)) continue;
    const envValues = readYaml(valuesPath);
    for (const role of ["vote", "worker", "result"]) {
      check(/^sha256:[a-f0-9]{64}$/.test(envValues[role]?.image?.digest ?? ""), path.relative(repo, valuesPath), `${role}.image.digest must pin the image by digest`);
    }
    // The rendered chart with this environment's values, under this Application's release name.
    const rendered = renderedByValuesFile.get(path.relative(repo, valuesPath));
    if (!check(Boolean(rendered), where, "its values were not rendered (run.sh --argocd renders every values file there)")) continue;
    const release = app.spec.source.helm?.releaseName ?? app.metadata.name;
    const worker = rendered.objects.find((o) => o.kind === "Deployment" && o.metadata.labels["app.kubernetes.io/component"] === "worker");
    check(release === rendered.release, where, `releaseName ${release} is not the one rendered (${rendered.release})`);
    const ignored = (app.spec.ignoreDifferences ?? []).some((d) => d.kind === "Deployment" && d.group === "apps"
      && d.name === worker.metadata.name && (d.jsonPointers ?? []).includes("/spec/replicas"));
    check(ignored, where, `ignoreDifferences must cover /spec/replicas of Deployment ${worker.metadata.name} (KEDA owns it)`);
    check((sp.syncOptions ?? []).includes("RespectIgnoreDifferences=true"), where, "needs RespectIgnoreDifferences=true so a sync leaves KEDA's replicas alone");
  }
}

// ---- The order of install, upgrade and Argo CD syncs (order.mjs) -----------------------------------------
function checkOrder(caseName, objects, fullname) {
  let failed = false;
  const walks = [];
  for (const mode of MODES) {
    const { steps, failures: f } = walk(objects, namespace, mode);
    walks.push(describe(mode, steps, fullname));
    for (const x of f) failed = !check(false, `${caseName}: order`, x) || failed;
  }
  for (const x of unmet(objects, namespace)) failed = !check(false, `${caseName}: order`, x) || failed;
  check(true, `${caseName}: order`, "");
  if (failed || process.env.K8S_CHECKS_VERBOSE) walks.forEach((w) => log(`    ${caseName}: ${w}`));
}

// ---- Every shipped rule can fire where it ships (producers.mjs) -------------------------------------------
function checkRuleProducers(caseName, objects) {
  const result = checkProducers(objects, namespace, METRICS);
  for (const f of result.failures) check(false, `${caseName}: rules`, f);
  check(true, `${caseName}: rules`, "");
  return result;
}

for (const f of checkChartImages(repo)) check(false, "charts/voting-app: images", f);

// ---- The values schema refuses unknown keys at every level, not only at the top ------------------------
function checkSchemaStrict(node, where) {
  if (node && typeof node === "object") {
    if (node.properties) {
      check(node.additionalProperties === false, `values.schema.json ${where}`, "must set additionalProperties: false (unknown keys would pass)");
      for (const [k, v] of Object.entries(node.properties)) checkSchemaStrict(v, `${where}.${k}`);
    }
    for (const k of ["items", "additionalProperties"]) {
      if (node[k] && typeof node[k] === "object") checkSchemaStrict(node[k], `${where}[]`);
    }
    for (const k of ["anyOf", "oneOf", "allOf"]) (node[k] ?? []).forEach((n) => checkSchemaStrict(n, where));
  }
}
checkSchemaStrict(JSON.parse(fs.readFileSync(path.join(repo, "charts/voting-app/values.schema.json"), "utf8")), "(root)");

// ---- Run -------------------------------------------------------------------------------------------
const chartValues = readYaml(path.join(repo, "charts/voting-app/values.yaml"));
const renderedByValuesFile = new Map();
for (const c of cases) {
  const values = c.valuesFiles.reduce((v, f) => deepMerge(v, readYaml(path.join(repo, f)) ?? {}), chartValues);
  values._fullname = c.fullname;
  const objects = loadAll(c.rendered);
  let valid = 0;
  for (const o of objects) {
    if (await validateSchema(o, `${c.name}: ${id(o)}`)) valid++;
  }
  const pods = podSpecs(objects);
  for (const pod of pods) {
    checkPodSecurity(c.name, pod);
    checkContainers(c.name, pod, values);
  }
  for (const role of ["vote", "worker", "result"]) {
    const kinds = ["Deployment", "Service", "ServiceAccount", "PodDisruptionBudget"];
    for (const kind of kinds) {
      check(objects.some((o) => o.kind === kind && o.metadata.name === `${c.fullname}-${role}`), `${c.name}: ${role}`, `has no ${kind}`);
    }
    const d = objects.find((o) => o.kind === "Deployment" && o.metadata.name === `${c.fullname}-${role}`);
    const sa = d?.spec.template.spec.serviceAccountName;
    check(sa === `${c.fullname}-${role}`, `${c.name}: ${role}`, `runs as ServiceAccount ${sa}, not its own`);
    const spread = (d?.spec.template.spec.topologySpreadConstraints ?? []).map((t) => t.topologyKey).sort();
    check(isDeepStrictEqual(spread, ["kubernetes.io/hostname", "topology.kubernetes.io/zone"]), `${c.name}: ${role}`, "must spread across zones and nodes");
  }
  const result = objects.find((o) => o.kind === "Deployment" && o.metadata.name === `${c.fullname}-result`);
  const resultUser = result.spec.template.spec.containers[0].env.find((e) => e.name === "PGUSER")?.value;
  check(resultUser === values.result.databaseUser && ![values.postgresql.masterUser, values.postgresql.ownerUser].includes(resultUser), `${c.name}: result`,
    `must log in with the read-only role ${values.result.databaseUser}, not ${resultUser}`);
  const secretName = values.secrets.existingSecret || `${c.fullname}-credentials`;
  for (const f of checkPrivileges(values, secretName, pods)) check(false, `${c.name}: least privilege`, f);
  for (const f of checkRenderedImages(pods)) check(false, `${c.name}: images`, f);
  checkOrder(c.name, objects, c.fullname);
  const { jobs, rules } = checkRuleProducers(c.name, objects);
  checkPasswords(c.name, objects, pods);
  checkCas(c.name, values, pods);
  checkBackups(c.name, values, objects, pods);
  const matrix = checkNetworkPolicies(c.name, values, objects, pods);
  checkScaling(c.name, values, objects, c.fullname);
  checkMonitoring(c.name, values, objects);
  checkSecretsAndMesh(c.name, values, objects, pods);
  renderedByValuesFile.set(c.valuesFiles.at(-1) ?? "", { objects, release: c.release });
  log(`${c.name}: ${objects.length} objects, ${valid} valid against their schemas; ${matrix ? matrix.length : 0} network flows allowed; `
    + `${rules} rules, each with a producer among ${new Set(jobs.map((j) => j.job)).size} scrape jobs`);
  if (matrix && process.env.K8S_CHECKS_VERBOSE) matrix.forEach((f) => log(`    ${f}`));
}
if (argocdDir) await checkArgo(renderedByValuesFile);

if (failures.length) {
  for (const f of failures) console.error(`[k8s] FAIL ${f}`);
  console.error(`k8s: ${checks - failures.length} passed, ${failures.length} failed`);
  process.exit(1);
}
console.log(`k8s: ${checks} passed, 0 failed`);
