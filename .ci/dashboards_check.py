#!/usr/bin/python3
"""Checks the Grafana dashboards in grafana/dashboards/*.json; exit 1 naming every problem.

1. Every file parses as JSON; dashboard uids and titles are unique; panel ids unique per dashboard, and
   no two panels overlap.
2. Data sources: every panel (rows aside) names one, and so does every target and query variable, always
   as {"type", "uid"} with a uid that grafana/provisioning/datasources/*.yml provisions (prometheus, loki,
   alertmanager) and the matching type. The only other reference allowed is Grafana's built-in
   "-- Grafana --" on the built-in "Annotations & Alerts" annotation (every dashboard has it; it shows
   annotations stored in Grafana). No "-- Mixed --" and no names or ${DS_...} inputs.
3. Every panel has a description; every variable has a query or custom values.
4. Prometheus queries use only the metrics and labels of docs/metrics.md (plus Prometheus's own `up` and
   `ALERTS`, and the target labels job and instance); Loki queries select on the labels Alloy sets
   (service, level, container, compose_project).
5. GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH in docker-compose.yml names one of the dashboards.

--queries prints every Prometheus query instead, one JSON object a line: {"dashboard", "panel", "expr"},
with the variables filled in (--var service=vote; a variable not given takes its "All" value or its first
custom value) and $__rate_interval and $__interval as 1m, $__range as 1h (their _s/_ms forms to match),
ready to run against a real Prometheus. Variable queries (label_values(selector, label)) are printed as
their selector, with the panel named after the variable.

Python standard library only.
"""
import argparse
import glob
import json
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DASHBOARDS = os.path.join(ROOT, "grafana", "dashboards")
DATASOURCES = os.path.join(ROOT, "grafana", "provisioning", "datasources")
CONTRACT = os.path.join(ROOT, "docs", "metrics.md")
COMPOSE = os.path.join(ROOT, "docker-compose.yml")

BUILTIN_GRAFANA = "-- Grafana --"
# Series Prometheus makes itself: `up` per target, ALERTS per pending or firing alert.
PROMETHEUS_SERIES = {"up", "ALERTS"}
# Labels every scraped series has (job, instance), and the labels of ALERTS.
PROMETHEUS_LABELS = {"job", "instance", "__name__", "alertname", "alertstate", "severity"}
# The labels Alloy (alloy/config.alloy) puts on log streams.
LOKI_LABELS = {"service", "level", "container", "compose_project"}
BUILTIN_VARIABLES = {
    "__rate_interval": "1m", "__interval": "1m", "__interval_ms": "60000", "__auto": "1m",
    "__range": "1h", "__range_s": "3600", "__range_ms": "3600000",
}
PROMQL_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
                "offset", "inf", "nan", "Inf", "NaN", "atan2"}
VARIABLE = re.compile(r"\$\{(\w+)(?::[\w-]+)?\}|\$(\w+)|\[\[(\w+)(?::[\w-]+)?\]\]")

problems = []


def problem(where, message):
    problems.append(f"{where}: {message}")


def provisioned_datasources():
    """uid -> type, read from the provisioning files (YAML, read line by line: the standard library has no
    YAML parser, and these files are a flat list of `- name:` items)."""
    found = {}
    for path in sorted(glob.glob(os.path.join(DATASOURCES, "*.yml")) + glob.glob(os.path.join(DATASOURCES, "*.yaml"))):
        item = {}
        for line in open(path, encoding="utf-8"):
            line = line.split("#", 1)[0].rstrip()
            if re.match(r"^\s*-\s+name:", line):
                if "uid" in item:
                    found[item["uid"]] = item.get("type")
                item = {}
            match = re.match(r"^\s{2,6}(?:-\s+)?(uid|type):\s*['\"]?([^'\"\s]+)", line)
            if match and match.group(1) not in item:
                item[match.group(1)] = match.group(2)
        if "uid" in item:
            found[item["uid"]] = item.get("type")
    return found


def contract():
    """(metric names, label names) of docs/metrics.md."""
    text = open(CONTRACT, encoding="utf-8").read()
    metrics, labels = set(), set()
    # worker_batch_size_{count,sum,max}: one name per suffix.
    for stem, suffixes in re.findall(r"\b([a-z][a-z0-9_]*_)\{([a-z,]+)\}", text):
        metrics.update(stem + suffix for suffix in suffixes.split(","))
    text_without = re.sub(r"\b[a-z][a-z0-9_]*_\{[a-z,]+\}", " ", text)
    metrics.update(name for name in re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", text_without)
                   if not name.endswith("_exporter"))
    # A histogram's _bucket comes with _count and _sum.
    for name in list(metrics):
        if name.endswith("_bucket"):
            metrics.update({name[:-7] + "_count", name[:-7] + "_sum"})
    # Label lists after a metric name: {route, method, code}, {kind="error"|"timeout"}, {le}...
    for group in re.findall(r"(?<![_{])\{([^{}]*)\}", text):
        for part in group.split(","):
            match = re.match(r"\s*([a-z_][a-z0-9_]*)\s*(?:=|$)", part)
            if match:
                labels.add(match.group(1))
    labels.update({"application", "service", "le"})
    # The cAdvisor label the contract names in prose.
    labels.update(name for name in metrics if name.startswith("container_label_"))
    return metrics, labels


def substitute(expr, values, where):
    def replace(match):
        name = match.group(1) or match.group(2) or match.group(3)
        if name in BUILTIN_VARIABLES:
            return BUILTIN_VARIABLES[name]
        if name in values:
            return values[name]
        problem(where, f"unknown variable ${name}")
        return match.group(0)
    result = VARIABLE.sub(replace, expr)
    if "$" in result:
        problem(where, f"a variable is left after substitution: {result!r}")
    return result


def promql_names(expr):
    """(metric names, label names) an expression uses; a small tokenizer, enough for dashboards."""
    text = re.sub(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|`[^`]*`', '""', expr)
    labels = set()
    for group in re.findall(r"\{([^{}]*)\}", text):
        labels.update(re.findall(r"([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)", group))
    text = re.sub(r"\{[^{}]*\}", " ", text)
    for _, group in re.findall(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^()]*)\)", text):
        labels.update(re.findall(r"[a-zA-Z_]\w*", group))
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"(?<![\w:.])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?:ms|[smhdwy])?", " ", text)
    metrics = set()
    for match in re.finditer(r"[a-zA-Z_:][\w:]*", text):
        name = match.group(0)
        if name in PROMQL_WORDS or re.match(r"\s*\(", text[match.end():]):
            continue
        metrics.add(name)
    return metrics, labels


def check_datasource(ref, where, allowed, expected_type=None):
    if ref is None:
        problem(where, "no datasource")
        return None
    if not isinstance(ref, dict):
        problem(where, f"datasource {ref!r} is a name or an input, not {{\"type\", \"uid\"}}")
        return None
    uid, kind = ref.get("uid"), ref.get("type")
    if uid not in allowed:
        problem(where, f"datasource uid {uid!r} is not provisioned ({', '.join(sorted(allowed))})")
        return None
    if kind != allowed[uid]:
        problem(where, f"datasource {uid!r} has type {kind!r}, provisioned as {allowed[uid]!r}")
    if expected_type and kind != expected_type:
        problem(where, f"datasource type {kind!r} differs from the panel's {expected_type!r}")
    return kind


def variable_values(dashboard, given, where):
    values = {}
    for variable in dashboard.get("templating", {}).get("list", []):
        name, kind = variable.get("name"), variable.get("type")
        vwhere = f"{where} variable ${name}"
        query = variable.get("query")
        query_text = query.get("query") if isinstance(query, dict) else query
        if kind in ("query", "custom") and not (query_text or "").strip():
            problem(vwhere, f"a {kind} variable without a query")
        if kind == "custom" and not (query_text or "").split(","):
            problem(vwhere, "a custom variable without values")
        if kind not in ("query", "custom", "interval", "constant", "textbox"):
            problem(vwhere, f"variable type {kind!r}: give it a query or custom values")
        if name in given:
            values[name] = given[name]
        elif variable.get("includeAll"):
            values[name] = variable.get("allValue") or ".*"
        elif kind in ("custom", "interval", "constant", "textbox") and query_text:
            values[name] = query_text.split(",")[0].strip()
        else:
            current = (variable.get("current") or {}).get("value")
            if isinstance(current, list):
                current = current[0] if current else None
            if current and current != "$__all":
                values[name] = current
            else:
                problem(vwhere, "no value: pass --var " + name + "=VALUE")
    return values


def walk_panels(panels):
    for panel in panels:
        yield panel
        yield from walk_panels(panel.get("panels") or [])


def overlaps(a, b):
    return (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and
            a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", action="store_true", help="print every Prometheus query, variables filled in")
    parser.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                        help="a dashboard variable's value for --queries (repeatable), e.g. service=vote")
    args = parser.parse_args()
    given = {}
    for item in args.var:
        if "=" not in item:
            parser.error(f"--var {item}: expected NAME=VALUE")
        name, value = item.split("=", 1)
        given[name.lstrip("$")] = value

    allowed = provisioned_datasources()
    if set(allowed) != {"prometheus", "loki", "alertmanager", "jaeger"}:
        problem("grafana/provisioning/datasources", f"provisions uids {sorted(allowed)}, expected alertmanager, jaeger, loki, prometheus")
    metrics, labels = contract()
    files = sorted(glob.glob(os.path.join(DASHBOARDS, "*.json")))
    if not files:
        problem("grafana/dashboards", "no dashboards")
    uids, titles, queries = {}, {}, []
    panel_count = loki_count = 0
    for path in files:
        name = os.path.relpath(path, ROOT)
        try:
            dashboard = json.load(open(path, encoding="utf-8"))
        except ValueError as error:
            problem(name, f"not JSON: {error}")
            continue
        uid, title = dashboard.get("uid"), dashboard.get("title")
        if not uid or not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", uid):
            problem(name, f"uid {uid!r}: a fixed uid of at most 40 letters, digits, - or _ is needed")
        elif uid in uids:
            problem(name, f"uid {uid!r} is also the uid of {uids[uid]}")
        uids.setdefault(uid, name)
        if title in titles:
            problem(name, f"title {title!r} is also the title of {titles[title]}")
        titles.setdefault(title, name)
        if dashboard.get("id") is not None:
            problem(name, "has an id: provisioned dashboards carry none (\"id\": null)")
        where = f"{name} ({uid})"
        for annotation in dashboard.get("annotations", {}).get("list", []):
            ref = annotation.get("datasource")
            if annotation.get("builtIn") == 1 and isinstance(ref, dict) and ref.get("uid") == BUILTIN_GRAFANA:
                continue
            check_datasource(ref, f"{where} annotation {annotation.get('name')!r}", allowed)
        values = variable_values(dashboard, given, where)
        for variable in dashboard.get("templating", {}).get("list", []):
            if variable.get("type") != "query":
                continue
            vwhere = f"{where} variable ${variable.get('name')}"
            kind = check_datasource(variable.get("datasource"), vwhere, allowed)
            query = variable.get("query")
            query_text = query.get("query") if isinstance(query, dict) else query
            match = re.fullmatch(r"\s*label_values\((.*),\s*(\w+)\s*\)\s*", query_text or "", re.S)
            if kind == "prometheus" and match:
                expr = substitute(match.group(1), values, vwhere)
                check_promql(expr, vwhere, metrics, labels | {match.group(2)})
                queries.append({"dashboard": uid, "panel": f"${variable.get('name')} (variable)", "expr": expr})
        seen_ids, boxes = {}, []
        for panel in walk_panels(dashboard.get("panels", [])):
            kind = panel.get("type")
            pwhere = f"{where} panel {panel.get('id')} {panel.get('title')!r}"
            if panel.get("id") in seen_ids:
                problem(pwhere, f"id {panel.get('id')} also used by {seen_ids[panel.get('id')]!r}")
            seen_ids.setdefault(panel.get("id"), panel.get("title"))
            grid = panel.get("gridPos")
            if not grid or not all(isinstance(grid.get(k), int) for k in "xywh") or grid["x"] + grid["w"] > 24:
                problem(pwhere, f"gridPos {grid!r}: x, y, w, h within 24 columns")
            else:
                for other_title, other in boxes:
                    if overlaps(grid, other):
                        problem(pwhere, f"overlaps {other_title!r}")
                boxes.append((panel.get("title"), grid))
            if kind == "row":
                continue
            panel_count += 1
            if "libraryPanel" in panel:
                problem(pwhere, "a library panel: keep every panel in the dashboard's JSON")
            if not (panel.get("description") or "").strip():
                problem(pwhere, "no description")
            panel_type = check_datasource(panel.get("datasource"), pwhere, allowed)
            targets = panel.get("targets") or []
            if not targets:
                problem(pwhere, "no query")
            for target in targets:
                twhere = f"{pwhere} target {target.get('refId')}"
                target_type = check_datasource(target.get("datasource"), twhere, allowed, panel_type)
                expr = target.get("expr")
                if not (expr or "").strip():
                    problem(twhere, "no expr")
                    continue
                if target_type == "prometheus":
                    expr = substitute(expr, values, twhere)
                    check_promql(expr, twhere, metrics, labels)
                    queries.append({"dashboard": uid, "panel": panel.get("title"), "expr": expr})
                elif target_type == "loki":
                    loki_count += 1
                    check_logql(substitute(expr, values, twhere), twhere)
    check_home_dashboard(files)
    if problems:
        print("dashboard check failed:\n  " + "\n  ".join(problems))
        sys.exit(1)
    if args.queries:
        for query in queries:
            print(json.dumps(query, ensure_ascii=False))
        return
    print(f"dashboards ok: {', '.join(sorted(uids))} ({panel_count} panels, every one described);"
          f" {len(queries)} Prometheus queries on docs/metrics.md's metrics, {loki_count} Loki;"
          f" datasources only {', '.join(sorted(allowed))} (+ the built-in annotation)")


def check_promql(expr, where, metrics, labels):
    if expr.count("(") != expr.count(")") or expr.count("{") != expr.count("}") or expr.count("[") != expr.count("]"):
        problem(where, f"unbalanced brackets: {expr!r}")
    used_metrics, used_labels = promql_names(expr)
    for name in sorted(used_metrics - metrics - PROMETHEUS_SERIES):
        problem(where, f"metric {name} is not in docs/metrics.md")
    for name in sorted(used_labels - labels - PROMETHEUS_LABELS):
        problem(where, f"label {name} is not in docs/metrics.md")
    if not used_metrics:
        problem(where, f"no metric in {expr!r}")


def check_logql(expr, where):
    selectors = re.findall(r"\{([^{}]*)\}", re.sub(r'"(?:\\.|[^"\\])*"', '""', expr))
    if not selectors:
        problem(where, f"no stream selector in {expr!r}")
    for selector in selectors:
        for name in re.findall(r"([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)", selector):
            if name not in LOKI_LABELS:
                problem(where, f"log label {name} is not one Alloy sets ({', '.join(sorted(LOKI_LABELS))})")


def check_home_dashboard(files):
    text = open(COMPOSE, encoding="utf-8").read()
    match = re.search(r"GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH:\s*(\S+)", text)
    if not match:
        problem("docker-compose.yml", "Grafana has no GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
    elif os.path.basename(match.group(1)) not in {os.path.basename(f) for f in files}:
        problem("docker-compose.yml", f"home dashboard {match.group(1)} is not in grafana/dashboards/")


if __name__ == "__main__":
    main()
