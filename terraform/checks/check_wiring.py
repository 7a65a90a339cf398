#!/usr/bin/env python3
"""What `terraform validate` would catch in the configurations that need the AWS provider (which
cannot be downloaded here), as far as plain reading can:
- every argument of a `module` block is a variable of that module, and every variable of the module
  without a default is given (the meta-arguments source, count, for_each, depends_on, providers aside);
- every `var.X` used in a folder is declared there, every variable is used (beyond its own validation),
  and every `module.M.O` names an output of M;
- every key of environments/*.tfvars (and release.tfvars.example) is a root variable, and staging and
  production set the same keys (they differ only in values);
- the same for the EKS root (TERRAFORM_DIR/eks, issue 17) and its environments/*.tfvars;
- an ephemeral module output is passed only to an ephemeral variable (a write-only argument's way in).

usage: check_wiring.py TERRAFORM_DIR
"""
import pathlib
import re
import sys

from hcl import blocks as hcl_blocks, strip_comments, top_level_args

META = {"source", "count", "for_each", "depends_on", "providers", "version"}


def blocks(text, kind):
    """(name, body) of each top-level `kind "name" {` block."""
    return ((name, body) for name, body, _ in hcl_blocks(text, kind))


def folder(path):
    text = "\n".join(strip_comments(p.read_text()) for p in sorted(path.glob("*.tf")))
    variables = {n: ("default" in top_level_args(b)) for n, b in blocks(text, "variable")}
    outputs = {n for n, _ in blocks(text, "output")}
    return text, variables, outputs


def ephemeral_names(text, kind):
    return {n for n, b in blocks(text, kind) if re.search(r'^\s*ephemeral\s*=\s*true', b, re.M)}


root = pathlib.Path(sys.argv[1])
roots = [root] + ([root / "eks"] if (root / "eks").is_dir() else [])
problems, modules_checked = [], 0
for cfg in roots + [root / "bootstrap"] + sorted(p for p in (root / "modules").iterdir() if p.is_dir()):
    text, variables, _ = folder(cfg)
    for used in sorted(set(re.findall(r'\bvar\.([A-Za-z_][A-Za-z0-9_]*)', text)) - set(variables)):
        problems.append(f"{cfg}: var.{used} is used but not declared")
    outside_variables = text
    for _, b in blocks(text, "variable"):
        outside_variables = outside_variables.replace(b, "")
    for v in sorted(v for v in variables if not re.search(r'\bvar\.%s\b' % re.escape(v), outside_variables)):
        problems.append(f"{cfg}: variable {v} is declared but never used (outside validations)")
    called = {}
    for name, body in blocks(text, "module"):
        src = re.search(r'^\s*source\s*=\s*"([^"]+)"', body, re.M).group(1)
        if not src.startswith("."):
            continue
        _, mvars, mouts = folder((cfg / src).resolve())
        called[name] = mouts
        modules_checked += 1
        given = set(top_level_args(body)) - META
        mtext = folder((cfg / src).resolve())[0]
        for arg, m, o in re.findall(r'^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*module\.([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_]*)', body, re.M):
            src_m = next((b for n, b in blocks(text, "module") if n == m), None)
            if src_m is None:
                continue
            m_src = re.search(r'^\s*source\s*=\s*"([^"]+)"', src_m, re.M).group(1)
            if o in ephemeral_names(folder((cfg / m_src).resolve())[0], "output") and arg not in ephemeral_names(mtext, "variable"):
                problems.append(f"{cfg}: module {name} ({src}): {arg} takes the ephemeral module.{m}.{o} but is not an ephemeral variable")
        for a in sorted(given - set(mvars)):
            problems.append(f"{cfg}: module {name} ({src}) has no variable {a}")
        for v in sorted(n for n, has_default in mvars.items() if not has_default and n not in given):
            problems.append(f"{cfg}: module {name} ({src}) needs {v}, not given")
    # Addresses in moved blocks name resources inside modules, not outputs.
    without_moves = re.sub(r'^moved\s*\{.*?^\}', '', text, flags=re.M | re.S)
    for m, o in sorted(set(re.findall(r'\bmodule\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?\.([A-Za-z_][A-Za-z0-9_]*)', without_moves))):
        if m not in called:
            problems.append(f"{cfg}: module.{m} is used but not called")
        elif o not in called[m]:
            problems.append(f"{cfg}: module.{m}.{o}: the module has no such output")

files_checked = 0
for cfg in roots:
    _, root_vars, _ = folder(cfg)
    keysets = {}
    for tfvars in sorted((cfg / "environments").glob("*.tfvars*")):
        keys = set(top_level_args(strip_comments(tfvars.read_text())))
        keysets[tfvars.name] = keys
        for k in sorted(keys - set(root_vars)):
            problems.append(f"{tfvars}: {k} is not a variable of {cfg}")
    files_checked += len(keysets)
    if keysets.get("staging.tfvars") != keysets.get("production.tfvars"):
        problems.append(f"{cfg}/environments/staging.tfvars and production.tfvars must set the same variables: "
                        f"{sorted((keysets.get('staging.tfvars') or set()) ^ (keysets.get('production.tfvars') or set()))}")
    given = set().union(*keysets.values()) if keysets else set()
    for v in sorted(n for n, has_default in root_vars.items() if not has_default and n not in given):
        problems.append(f"{cfg}: variable {v} has no default and no tfvars file sets it")

for p in problems:
    print(p)
print(f"{len(roots)} root configurations, {modules_checked} module calls and {files_checked} variable files checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
