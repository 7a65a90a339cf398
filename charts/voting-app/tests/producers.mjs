// Every alert and recording rule the chart ships must be able to fire where it ships: each series a rule
// selects must have a producer in that rendering, that is, a scrape job of the chart's ServiceMonitors
// (or PodMonitors) whose targets export that metric under the job and service the selector names.
//
// What each target exports comes from docs/metrics.md, the metric contract (its sections: the app's
// HTTP, readiness and JVM metrics in every role; Vote, Worker, Result; the exporters; the backups), which
// .ci/monitoring-live.sh proves against the real jar and exporters (every metric a rule names has series
// in a healthy stack there). Which targets there are comes from the rendered objects:
//   - an app pod (args vote, worker or result) exports that role's metrics and every role's, with
//     service = the role (its own label, kept by honorLabels);
//   - a redis_exporter pod exports redis_*, a postgres_exporter pod pg_*;
//   - a Pushgateway (a ServiceMonitor on a Service outside the release) exports its own
//     process_start_time_seconds and pushgateway_build_info under the scrape's job, and what the backup CronJobs that push to it
//     (PUSHGATEWAY_URL in its namespace) push: with honorLabels under job and service = backup or
//     restore-drill, as docker/backup pushes them;
//   - every target adds up and the scrape_* series; every shipped recording rule adds its record.
// Nothing else is assumed: no kube-state-metrics, cAdvisor or kubelet series (the chart leaves out
// containers.yml, which reads compose's cAdvisor labels).
import fs from "node:fs";
import path from "node:path";
import { id, podSpecs, labelsMatch, envOf } from "./lib.mjs";

// ---- The metric contract, by producer ---------------------------------------------------------------
export function contract(repo) {
  const text = fs.readFileSync(path.join(repo, "docs/metrics.md"), "utf8");
  const sections = {};
  let current = null;
  const HEADERS = [["http", /^HTTP\b/], ["vote", /^Vote:/], ["worker", /^Worker:/], ["result", /^Result:/], ["readiness", /^Readiness\b/],
    ["jvm", /^JVM and process\b/], ["exporters", /^Exporters\b/], ["cadvisor", /^cAdvisor:/], ["backups", /^Backups\b/], ["slos", /^SLOs:/]];
  // A section runs from its header line to the next one.
  for (const line of text.split("\n")) {
    const header = HEADERS.find(([, re]) => re.test(line));
    if (header) current = header[0];
    if (current) sections[current] = (sections[current] ?? "") + "\n" + line;
  }
  const names = (s) => {
    const out = new Set();
    if (!s) return out;
    // worker_batch_size_{count,sum,max}: one name per suffix.
    for (const [, stem, suffixes] of s.matchAll(/\b([a-z][a-z0-9_]*_)\{([a-z,]+)\}/g)) suffixes.split(",").forEach((x) => out.add(stem + x));
    const rest = s.replace(/\b[a-z][a-z0-9_]*_\{[a-z,]+\}/g, " ").replace(/\{[^}]*\}/g, " ");
    for (const [name] of rest.matchAll(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g)) {
      if (!name.endsWith("_exporter") && !name.startsWith("container_label_")) out.add(name);
    }
    for (const name of [...out]) {
      if (name.endsWith("_bucket")) {
        out.add(name.slice(0, -7) + "_count");
        out.add(name.slice(0, -7) + "_sum");
      }
    }
    return out;
  };
  const union = (...sets) => new Set(sets.flatMap((s) => [...s]));
  const exporters = names(sections.exporters);
  const backups = names(sections.backups);
  const c = {
    every: union(names(sections.http), names(sections.readiness), names(sections.jvm)),
    vote: names(sections.vote),
    worker: names(sections.worker),
    result: names(sections.result),
    redis: new Set([...exporters].filter((n) => n.startsWith("redis_"))),
    postgres: new Set([...exporters].filter((n) => n.startsWith("pg_"))),
    backup: new Set([...backups].filter((n) => n.startsWith("voting_backup_") || n.startsWith("push_"))),
    "restore-drill": new Set([...backups].filter((n) => n.startsWith("voting_restore_drill_") || n.startsWith("push_"))),
    pushgateway: new Set([...backups].filter((n) => n === "process_start_time_seconds" || n === "pushgateway_build_info")),
  };
  const empty = Object.entries(c).filter(([, s]) => s.size === 0).map(([k]) => k);
  if (empty.length) throw new Error(`docs/metrics.md: no metric found for ${empty.join(", ")} (has its layout changed?)`);
  return c;
}

const SCRAPE_SERIES = ["up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added"];
const APP_ROLES = ["vote", "worker", "result"];

// ---- The scrape jobs of a rendering ---------------------------------------------------------------
// [{job, service, metrics: Set, via}]: one entry per (job, service) a target's series carry.
export function producers(objects, namespace, metrics) {
  const out = [];
  const pods = podSpecs(objects);
  const services = objects.filter((o) => o.kind === "Service");
  const relabeled = (endpoint, label) => (endpoint.relabelings ?? [])
    .filter((r) => (r.targetLabel === label) && (r.action ?? "replace") === "replace" && !r.sourceLabels && r.replacement !== undefined)
    .map((r) => r.replacement).at(-1);
  const podMetrics = (pod) => {
    const found = [];
    for (const c of pod.spec.containers) {
      const role = c.args?.[0];
      if (APP_ROLES.includes(role)) found.push({ service: role, metrics: new Set([...metrics.every, ...metrics[role]]) });
      if (/redis_exporter/.test(c.image)) found.push({ metrics: metrics.redis });
      if (/postgres[-_]exporter/.test(c.image)) found.push({ metrics: metrics.postgres });
    }
    return found;
  };
  const add = (job, service, names, via) => out.push({ job, service, metrics: new Set(names), via });

  for (const sm of objects.filter((o) => o.kind === "ServiceMonitor" || o.kind === "PodMonitor")) {
    const names = sm.spec.namespaceSelector?.matchNames;
    const local = !sm.spec.namespaceSelector?.any && (!names || names.includes(sm.metadata.namespace ?? namespace));
    const endpoints = sm.spec.endpoints ?? sm.spec.podMetricsEndpoints ?? [];
    if (local) {
      const targets = sm.kind === "ServiceMonitor"
        ? services.filter((s) => labelsMatch(sm.spec.selector, s.metadata.labels))
        : [null];
      for (const svc of targets) {
        const selected = pods.filter((p) => ["Deployment", "StatefulSet", "DaemonSet"].includes(p.owner.kind)
          && (svc ? labelsMatch({ matchLabels: svc.spec.selector ?? { none: "none" } }, p.labels) : labelsMatch(sm.spec.selector, p.labels)));
        for (const e of endpoints) {
          const portOk = svc ? (svc.spec.ports ?? []).some((p) => p.name === e.port) : true;
          if (!portOk) continue;
          const job = relabeled(e, "job") ?? (svc ? (sm.spec.jobLabel ? svc.metadata.labels?.[sm.spec.jobLabel] : svc.metadata.name) : `${sm.metadata.namespace ?? namespace}/${sm.metadata.name}`);
          const service = relabeled(e, "service");
          for (const pod of selected) {
            for (const found of podMetrics(pod)) {
              // The app's own service label wins with honorLabels; the target's otherwise.
              const svcLabel = e.honorLabels && found.service ? found.service : service ?? found.service;
              add(job, svcLabel, [...found.metrics, ...SCRAPE_SERIES], `${id(sm)} -> ${id(pod.owner)}`);
            }
            if (podMetrics(pod).length === 0) add(job, service, SCRAPE_SERIES, `${id(sm)} -> ${id(pod.owner)}`);
          }
        }
      }
    } else {
      // A Service outside the release: the Pushgateway the backup CronJobs push to, when it is in that namespace.
      for (const e of endpoints) {
        const job = relabeled(e, "job") ?? (sm.spec.jobLabel ? `<label ${sm.spec.jobLabel} of a Service outside the release>` : "<the name of a Service outside the release>");
        const service = relabeled(e, "service");
        // http://<service>.<namespace>[.svc...]:<port>
        const pushesThere = (c) => {
          const url = envOf(c).PUSHGATEWAY_URL;
          const ns = url && new URL(url).hostname.split(".")[1];
          return Boolean(ns) && (Boolean(sm.spec.namespaceSelector?.any) || (names ?? []).includes(ns));
        };
        const pushers = pods.filter((p) => p.owner.kind === "CronJob" && p.spec.containers.some(pushesThere));
        if (pushers.length === 0) continue;
        add(job, service, [...metrics.pushgateway, ...SCRAPE_SERIES], `${id(sm)} (the Pushgateway)`);
        for (const p of pushers) {
          const pushedJob = p.spec.containers[0].args?.[0];
          const pushed = metrics[pushedJob] ?? new Set();
          if (e.honorLabels) add(pushedJob, pushedJob, pushed, `${id(p.owner)} pushing to ${id(sm)}`);
          else add(job, service, pushed, `${id(p.owner)} pushing to ${id(sm)} (without honorLabels: exported_job)`);
        }
      }
    }
  }
  return out;
}

// ---- PromQL: the vector selectors of an expression ----------------------------------------------------
const KEYWORDS = new Set(["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset",
  "atan2", "inf", "nan", "Inf", "NaN"]);
const LABEL_LISTS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right"]);

function tokenize(expr) {
  const tokens = [];
  const re = /\s+|#[^\n]*|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?:ms|[smhdwy])?(?:\d+(?:ms|[smhdwy]))*|[a-zA-Z_:][a-zA-Z0-9_:]*|=~|!~|!=|==|>=|<=|[{}()[\],=<>+\-*/%^@:]/gy;
  let m;
  while (re.lastIndex < expr.length && (m = re.exec(expr))) {
    const t = m[0];
    if (/^\s|^#/.test(t)) continue;
    tokens.push(t);
  }
  if (re.lastIndex < expr.length) throw new Error(`cannot read PromQL at: ${expr.slice(re.lastIndex, re.lastIndex + 20)}`);
  return tokens;
}

// [{name, matchers: [{label, op, value}]}]
export function selectors(expr) {
  const t = tokenize(expr);
  const out = [];
  const unquote = (s) => s.slice(1, -1).replace(/\\(.)/g, "$1");
  const readMatchers = (i) => {
    const matchers = [];
    i++; // {
    while (i < t.length && t[i] !== "}") {
      if (t[i] === ",") { i++; continue; }
      matchers.push({ label: t[i], op: t[i + 1], value: unquote(t[i + 2]) });
      i += 3;
    }
    return [matchers, i + 1];
  };
  for (let i = 0; i < t.length;) {
    const tok = t[i];
    if (tok === "[") { // a range or subquery: durations only
      while (i < t.length && t[i] !== "]") i++;
      i++;
    } else if (LABEL_LISTS.has(tok) && t[i + 1] === "(") {
      while (i < t.length && t[i] !== ")") i++;
      i++;
    } else if (tok === "offset" || tok === "@") {
      i += 2;
    } else if (/^[a-zA-Z_:]/.test(tok) && !KEYWORDS.has(tok)) {
      // A function or an aggregation (`sum(...)`, `sum by (x) (...)`).
      if (t[i + 1] === "(" || t[i + 1] === "by" || t[i + 1] === "without") { i++; continue; }
      if (t[i + 1] === "{") {
        const [matchers, next] = readMatchers(i + 1);
        out.push({ name: tok, matchers });
        i = next;
      } else {
        out.push({ name: tok, matchers: [] });
        i++;
      }
    } else if (tok === "{") {
      const [matchers, next] = readMatchers(i);
      const name = matchers.find((m) => m.label === "__name__" && m.op === "=")?.value;
      out.push({ name, matchers: matchers.filter((m) => m.label !== "__name__") });
      i = next;
    } else {
      i++;
    }
  }
  return out;
}

const matches = (m, value) => {
  const v = value ?? "";
  if (m.op === "=") return v === m.value;
  if (m.op === "!=") return v !== m.value;
  const re = new RegExp(`^(?:${m.value})$`);
  return m.op === "=~" ? re.test(v) : !re.test(v);
};

export const describeSelector = (s) => `${s.name ?? ""}{${s.matchers.map((m) => `${m.label}${m.op}"${m.value}"`).join(", ")}}`.replace(/\{\}$/, "");

// The selectors of an expression that no producer (nor a shipped recording rule) satisfies.
export function unproduced(expr, jobs, recorded) {
  return selectors(expr).filter((s) => {
    if (recorded.has(s.name) || s.name === "ALERTS" || s.name === "ALERTS_FOR_STATE") return false;
    const target = s.matchers.filter((m) => m.label === "job" || m.label === "service");
    return !jobs.some((p) => p.metrics.has(s.name) && target.every((m) => matches(m, m.label === "job" ? p.job : p.service)));
  });
}

// Every shipped rule against the producers of its rendering: a message per rule that cannot fire.
export function checkProducers(objects, namespace, metrics) {
  const jobs = producers(objects, namespace, metrics);
  const rules = objects.filter((o) => o.kind === "PrometheusRule")
    .flatMap((pr) => pr.spec.groups.flatMap((g) => g.rules.map((r) => ({ pr, group: g.name, rule: r }))));
  const recorded = new Set(rules.filter((r) => r.rule.record).map((r) => r.rule.record));
  const failures = [];
  for (const { pr, rule } of rules) {
    const missing = unproduced(rule.expr, jobs, recorded);
    if (missing.length) {
      failures.push(`${id(pr)} ${rule.alert ? `alert ${rule.alert}` : `record ${rule.record}`}: no producer of ${missing.map(describeSelector).join(", ")} in this rendering`);
    }
  }
  return { jobs, rules: rules.length, failures };
}
