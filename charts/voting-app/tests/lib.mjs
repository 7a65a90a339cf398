// What the chart's checks (tests/) share: reading rendered objects, their pod templates, label selectors.
import fs from "node:fs";
import YAML from "yaml";

export const readYaml = (file) => YAML.parse(fs.readFileSync(file, "utf8"));
export const loadAll = (file) =>
  YAML.parseAllDocuments(fs.readFileSync(file, "utf8")).map((d) => d.toJS()).filter((o) => o && o.kind);
export const id = (o) => `${o.kind}/${o.metadata?.name}`;
export const component = (labels) => labels?.["app.kubernetes.io/component"];

// Every pod template of the rendered objects: {owner, spec, labels}.
export function podSpecs(objects) {
  const out = [];
  for (const o of objects) {
    if (["Deployment", "StatefulSet", "Job", "DaemonSet"].includes(o.kind)) {
      out.push({ owner: o, spec: o.spec.template.spec, labels: o.spec.template.metadata?.labels ?? {} });
    } else if (o.kind === "CronJob") {
      const template = o.spec.jobTemplate.spec.template;
      out.push({ owner: o, spec: template.spec, labels: template.metadata?.labels ?? {} });
    } else if (o.kind === "Pod") {
      out.push({ owner: o, spec: o.spec, labels: o.metadata.labels ?? {} });
    }
  }
  return out;
}

// A Kubernetes label selector (matchLabels, matchExpressions) against a set of labels; no selector matches all.
export function labelsMatch(selector, labels) {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels?.[k] !== v) return false;
  }
  for (const expr of selector.matchExpressions ?? []) {
    const has = labels && expr.key in labels;
    const value = labels?.[expr.key];
    if (expr.operator === "In" && !(has && expr.values.includes(value))) return false;
    if (expr.operator === "NotIn" && has && expr.values.includes(value)) return false;
    if (expr.operator === "Exists" && !has) return false;
    if (expr.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

// The file an environment value names, as the item of a mounted Secret or ConfigMap volume: {volume, item}.
export function mountedItem(pod, c, file) {
  const mount = (c.volumeMounts ?? []).find((m) => file.startsWith(m.mountPath + "/"));
  const volume = mount && (pod.spec.volumes ?? []).find((v) => v.name === mount.name);
  const source = volume?.secret ?? volume?.configMap;
  const name = mount && file.slice(mount.mountPath.length + 1);
  // Without items every key is a file of the same name.
  const item = source?.items ? source.items.find((i) => i.path === name) : source && !name.includes("/") && { key: name, path: name };
  return item && { volume, item };
}

// A container's environment values by name (valueFrom entries are left out).
export const envOf = (c) => Object.fromEntries((c.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
