#!/usr/bin/env python3
"""Fails on a floating image reference anywhere in the repository.

Where images are named:
  - the compose files (image: lines; a service built without a name is tagged <project>-<service>:latest),
    and the image variables of the env files (.env.example, .env.staging: TAG, *_IMAGE);
  - every Dockerfile: FROM lines, with the defaults of the ARGs they use;
  - docker/docker-bake.hcl: the TAG default;
  - the Helm chart: Chart.yaml's appVersion, every image of values.yaml (repository/tag/digest, image
    strings), and every image of the rendered templates (helm template with the default values, each
    charts/*/ci/*.yaml and each argocd/values/*.yaml);
  - the GitHub workflows: image:, container:, uses: docker://, docker run;
  - every shell script: docker run/pull/tag, docker build -t (the stand-ins: their tags are the names the
    Dockerfiles and compose use), FROM in generated Dockerfiles, kubectl run --image;
  - Java: Testcontainers images (new GenericContainer<>("..."), DockerImageName.parse("...")).

Pinned: an exact version (x.y.z with an optional suffix, e.g. 7.0.15-alpine, v3.13.2, 25.0.3_9-jdk-noble;
PostgreSQL numbers releases MAJOR.MINOR: 15.20-alpine), or a digest (@sha256:...), or an entry of ALLOWED
below with its reason. Floating: no tag, latest, a major or minor line (7-alpine, 15-alpine, 17-jdk, 7.4),
a word (stable, staging, nonroot). A reference computed at run time (a shell or workflow variable with
no default) cannot be judged here and is counted as such.

Consistent: each third-party image has one tag everywhere (CONSISTENT_PER_MAJOR names the exceptions),
and the project's own version is the same in pom.xml (without -SNAPSHOT), the compose TAG defaults,
.env.example, docker-bake.hcl and the chart's appVersion.

Kept current: every third-party reference found is one that the Renovate configuration
(.github/renovate.json) updates: its built-in managers (docker-compose, dockerfile, helm-values,
github-actions) as they read these files, or one of its custom regex managers, matched here against the
same files; an image pinned by digest updates only (distroless) must have pinDigests.

Usage: image_tags.py [--helm PATH]   (without --helm, a helm on the PATH or none: the rendering is
then skipped with a message; .ci/static-checks.sh provides one)
"""
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
# x.y.z, then an optional suffix after . _ + or - (alpine, _9-jdk-noble, -alpine3.21).
EXACT = re.compile(r"^v?\d+\.\d+\.\d+(?:[._+-][0-9A-Za-z][0-9A-Za-z._+-]*)?$")
EXACT_TWO_PART = re.compile(r"^v?\d+\.\d+(?:[._+-][0-9A-Za-z][0-9A-Za-z._+-]*)?$")
MOVING_WORD = re.compile(r"(?:^|[._+-])(latest|edge|nightly|snapshot|main|master|stable|lts|current|rolling)(?:$|[._+-])",
                         re.IGNORECASE)
GIT_SHA = re.compile(r"^[0-9a-f]{7,40}$")

# Repositories whose releases have two numbers.
TWO_PART_VERSIONS = {
    "postgres": "PostgreSQL 10 and later number its releases MAJOR.MINOR: 15.20 is one release, 15 the moving line",
}

# Explicit exceptions, each with its reason: (pattern of the whole reference, reason).
ALLOWED = [
    (re.compile(r"^gcr\.io/distroless/[a-z0-9-]+:nonroot$"),
     "distroless publishes no version tags, only moving ones (nonroot, latest): it is pinned by digest, "
     "written by Renovate (pinDigests in .github/renovate.json) from the registry; no digest is written "
     "by hand because none can be read from a registry here"),
    (re.compile(r"^voting-ci/[a-z0-9-]+:[a-z0-9.-]+$"),
     "a stand-in base the CI scripts make on the machine (a Debian root file system, .ci/standins): never "
     "pulled, never pushed"),
    (re.compile(r"^voting-app/[a-z0-9-]+:ci$"),
     "an image the CI scripts build and run locally under the tag ci: never pulled, never pushed"),
]

# Third-party images that are on two major lines on purpose; within a major line the tag is still one.
CONSISTENT_PER_MAJOR = {
    "eclipse-temurin": "25 builds the role images (the AOT cache needs Java 25); 17 runs the load-test kit in "
                       "compose, on the same Java as CI's loadtest-smoke job and the jar's release (17)",
}

RENOVATE_CONFIG = ".github/renovate.json"
# The project's own images, <prefix>/<role>.
PROJECT_ROLES = {"vote", "worker", "result", "backup"}


class Ref:
    """One image reference, where it stands, and what it is."""

    def __init__(self, text, where, project=False, origin=None):
        self.text = text
        self.where = where
        self.project = project
        self.origin = origin  # how Renovate would find it: (manager, file) or None
        self.name, self.tag, self.digest = split_ref(text)


def split_ref(ref):
    digest = None
    if "@" in ref:
        ref, digest = ref.split("@", 1)
    name, tag = ref, None
    last = ref.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = ref.rsplit(":", 1)
    return name, tag, digest


def normal_name(name):
    for prefix in ("docker.io/", "index.docker.io/", "registry-1.docker.io/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    if name.startswith("library/"):
        name = name[len("library/"):]
    return name


def verdict(ref):
    """None when pinned, else why it floats; ('allowed', reason) for an allow-list entry."""
    if ref.digest is not None:
        return None if DIGEST.match(ref.digest) else f"digest '{ref.digest}' is not sha256:<64 hex>"
    tag = ref.tag
    if tag is None or tag == "":
        return "no tag (Docker reads it as latest)"
    if MOVING_WORD.search(tag):
        return f"tag '{tag}' names a moving line, not a release"
    for pattern, reason in ALLOWED:
        if pattern.match(ref.text):
            return ("allowed", reason)
    if EXACT.match(tag):
        return None
    if normal_name(ref.name) in TWO_PART_VERSIONS and EXACT_TWO_PART.match(tag):
        return None
    return f"tag '{tag}' is not an exact version (x.y.z) or a digest"


def rel(path):
    return str(Path(path).relative_to(ROOT))


def git_files():
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return [ROOT / line for line in out.splitlines() if line and (ROOT / line).is_file()]


# ---- ${VAR:-default} as compose and shells read them --------------------------------------------------
VAR = re.compile(r"\$\{(\w+)(?:(:?-)([^}]*)|(:?\?)([^}]*))?\}|\$(\w+)")


def resolve(text, known=None):
    """(resolved text, problem): defaults substituted; a variable with no default is a problem."""
    problems = []

    def sub(m):
        name = m.group(1) or m.group(6)
        if known and name in known:
            return known[name]
        if m.group(2) is not None:
            return m.group(3)
        if m.group(4) is not None:
            problems.append(f"${{{name}}} is required (no default)")
            return "\0" + name + "\0"
        problems.append(f"${name} has no default")
        return "\0" + name + "\0"

    return VAR.sub(sub, text), problems


# ---- Collectors ---------------------------------------------------------------------------------------
class Inventory:
    def __init__(self):
        self.refs = []
        self.failures = []
        self.runtime = []  # references computed at run time (cannot be judged statically)
        self.versions = []  # (source, value, where): the project's version as each place states it
        self.notes = []

    def add(self, text, where, project=False, origin=None):
        ref = Ref(text, where, project, origin)
        self.refs.append(ref)
        return ref

    def fail(self, where, message):
        self.failures.append(f"{where}: {message}")


def strip_quotes(value):
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def scan_compose(inv, path):
    text = path.read_text()
    for n, line in enumerate(text.splitlines(), 1):
        m = re.match(r"^\s*image:\s*(.+?)\s*(?:#.*)?$", line)
        if not m:
            continue
        raw = strip_quotes(m.group(1))
        where = f"{rel(path)}:{n}"
        resolved, problems = resolve(raw)
        project = "$" in raw
        for tag_var in re.finditer(r"\$\{TAG:-([^}]*)\}", raw):
            inv.versions.append(("compose TAG default", tag_var.group(1), where))
        if problems and all("required" in p for p in problems):
            # Required at start (compose refuses without it): judged where it is given (env files).
            names = sorted({p.split("}")[0].lstrip("${") for p in problems})
            inv.notes.append(f"{where}: {', '.join(names)} required, no default: compose refuses to start without it")
            continue
        if problems:
            inv.fail(where, f"image {raw}: {'; '.join(problems)}")
            continue
        inv.add(resolved, where, project=project, origin=None if project else ("docker-compose", rel(path)))
    # A service that is built but has no image name is tagged <project>-<service>:latest.
    data = yaml.safe_load(text) or {}
    for name, service in (data.get("services") or {}).items():
        if isinstance(service, dict) and "build" in service and "image" not in service:
            inv.fail(rel(path), f"service {name} is built with no image name: Compose tags it "
                                f"<project>-{name}:latest")


def scan_env(inv, path):
    for n, line in enumerate(path.read_text().splitlines(), 1):
        m = re.match(r"^\s*(TAG|\w*_IMAGE)=(.*)$", line)
        if not m:
            continue
        where, value = f"{rel(path)}:{n}", strip_quotes(m.group(2))
        if m.group(1) == "TAG":
            inv.versions.append((f"{rel(path)} TAG", value, where))
            if not (EXACT.match(value) or GIT_SHA.match(value)) or MOVING_WORD.search(value):
                inv.fail(where, f"TAG={value}: the project's images are a release (x.y.z) or a commit SHA, "
                                "never a moving tag")
        else:
            inv.add(value, where, origin=None)


def logical_lines(text):
    """(line number, line) with continuations (a trailing backslash) joined; comment lines dropped, as
    Dockerfiles and shells read them."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        start, line = i + 1, lines[i]
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        while line.rstrip().endswith("\\") and i < len(lines):
            nxt = lines[i]
            i += 1
            if nxt.lstrip().startswith("#"):
                continue
            line = line.rstrip()[:-1] + " " + nxt.strip()
        yield start, line.strip()


def scan_dockerfile(inv, path):
    args, arg_lines, stages = {}, {}, set()
    for n, instr in logical_lines(path.read_text()):
        word = instr.split(None, 1)
        keyword = word[0].upper()
        rest = word[1] if len(word) > 1 else ""
        if keyword == "ARG":
            for item in shlex.split(rest):
                if "=" in item:
                    key, value = item.split("=", 1)
                    args[key], arg_lines[key] = value, n
        elif keyword == "FROM":
            parts = [p for p in rest.split() if not p.startswith("--platform")]
            image = parts[0]
            if len(parts) >= 3 and parts[1].lower() == "as":
                stages.add(parts[2])
            if image in stages or image == "scratch":
                continue
            used = [m.group(1) or m.group(6) for m in VAR.finditer(image)]
            resolved, problems = resolve(image, {k: v for k, v in args.items()})
            where = f"{rel(path)}:{n}"
            if used:
                where = f"{rel(path)}:{arg_lines.get(used[0], n)} (ARG {used[0]}, FROM at line {n})"
            if problems:
                inv.fail(where, f"FROM {image}: {'; '.join(problems)}")
                continue
            inv.add(resolved, where, origin=("dockerfile", rel(path)))


def scan_bake(inv, path):
    for n, line in enumerate(path.read_text().splitlines(), 1):
        m = re.match(r'^\s*variable\s+"TAG"\s*\{\s*default\s*=\s*"([^"]*)"', line)
        if m:
            inv.versions.append(("docker-bake.hcl TAG default", m.group(1), f"{rel(path)}:{n}"))


def yaml_nodes(path):
    """PyYAML nodes, for line numbers."""
    with open(path) as f:
        return list(yaml.compose_all(f, Loader=yaml.SafeLoader))


def scalar(node):
    return node.value if isinstance(node, yaml.ScalarNode) else None


def scan_chart_values(inv, path):
    for doc in yaml_nodes(path):
        walk_values(inv, path, doc, [])


def walk_values(inv, path, node, keys):
    if isinstance(node, yaml.MappingNode):
        fields = {scalar(k): v for k, v in node.value}
        if "repository" in fields and isinstance(fields["repository"], yaml.ScalarNode):
            repository = scalar(fields["repository"]) or ""
            tag = scalar(fields.get("tag")) if fields.get("tag") is not None else ""
            digest = scalar(fields.get("digest")) if fields.get("digest") is not None else ""
            registry = scalar(fields.get("registry")) if fields.get("registry") is not None else ""
            line = (fields.get("tag") or fields["repository"]).start_mark.line + 1
            where = f"{rel(path)}:{line} ({'.'.join(keys)})"
            if not repository or repository.rsplit("/", 1)[-1] in PROJECT_ROLES:
                # One of the project's images: <repositoryPrefix>/<role> (or this repository), tag: this,
                # else image.tag, else the chart's appVersion (checked above and in the rendering).
                if digest:
                    inv.add(f"project/{keys[-2] if len(keys) > 1 else 'image'}@{digest}", where, project=True)
                elif tag:
                    inv.add(f"project/{'.'.join(keys)}:{tag}", where, project=True)
            else:
                ref = (f"{registry}/" if registry else "") + repository
                ref += f":{tag}" if tag else ""
                ref += f"@{digest}" if digest else ""
                origin = ("helm-values", rel(path)) if keys and keys[-1].lower().endswith("image") and "tag" in fields else None
                inv.add(ref, where, origin=origin)
            return
        if "repositoryPrefix" in fields and "tag" in fields:
            tag = scalar(fields["tag"]) or ""
            if tag:
                where = f"{rel(path)}:{fields['tag'].start_mark.line + 1} ({'.'.join(keys + ['tag'])})"
                inv.add(f"project/image:{tag}", where, project=True)
        for k, v in node.value:
            key = scalar(k)
            if key and key.lower().endswith("image") and isinstance(v, yaml.ScalarNode) and v.value:
                where = f"{rel(path)}:{v.start_mark.line + 1} ({'.'.join(keys + [key])})"
                inv.add(v.value, where, origin=("helm-values", rel(path)))
            else:
                walk_values(inv, path, v, keys + [str(key)])
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            walk_values(inv, path, item, keys + [str(i)])


def scan_chart_yaml(inv, path):
    for n, line in enumerate(path.read_text().splitlines(), 1):
        m = re.match(r"^appVersion:\s*(.+?)\s*(?:#.*)?$", line)
        if m:
            value = strip_quotes(m.group(1))
            where = f"{rel(path)}:{n}"
            inv.versions.append(("chart appVersion", value, where))
            if not EXACT.match(value) or MOVING_WORD.search(value):
                inv.fail(where, f"appVersion '{value}': the default tag of the project's images must be a "
                                "release (x.y.z)")


def render_chart(inv, chart, helm):
    cases = [("default values", [])]
    cases += [(rel(f), [f]) for f in sorted((chart / "ci").glob("*.yaml"))]
    cases += [(rel(f), [f]) for f in sorted((ROOT / "argocd" / "values").glob("*.yaml"))]
    for name, files in cases:
        cmd = [helm, "template", "voting-app", str(chart), "--namespace", "voting"]
        for f in files:
            cmd += ["-f", str(f)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            inv.fail(f"{rel(chart)} ({name})", "helm template failed: " + done.stderr.strip().splitlines()[-1])
            continue
        for doc in yaml.safe_load_all(done.stdout):
            if not isinstance(doc, dict):
                continue
            label = f"{rel(chart)} rendered with {name}: {doc.get('kind')}/{(doc.get('metadata') or {}).get('name')}"
            for image, path in find_images(doc, []):
                role = split_ref(image)[0].rsplit("/", 1)[-1]
                inv.add(image, f"{label} {'.'.join(path)}", project=role in PROJECT_ROLES,
                        origin=("rendered", rel(chart)))


def find_images(node, path):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "image" and isinstance(v, str):
                yield v, path + [k]
            else:
                yield from find_images(v, path + [str(k)])
    elif isinstance(node, list):
        for i, v in enumerate(node):
            name = v.get("name") if isinstance(v, dict) else None
            yield from find_images(v, path + [name or str(i)])


# docker run options that take a value (the image is the first word that is not an option or its value).
RUN_VALUE_OPTIONS = {
    "-e", "--env", "-v", "--volume", "--network", "--net", "--memory", "-m", "--entrypoint", "-w", "--workdir",
    "--tmpfs", "--security-opt", "-p", "--publish", "--name", "-u", "--user", "--env-file", "--mount",
    "--platform", "--cpus", "--ulimit", "-l", "--label", "--add-host", "--cap-add", "--cap-drop",
    "--pid", "--ipc", "--hostname", "-h", "--restart", "--log-driver", "--log-opt", "--device",
    "--health-cmd", "--pull", "--shm-size", "--gpus", "--group-add", "--stop-signal", "--stop-timeout",
}


def run_image(words):
    i = 0
    while i < len(words):
        w = words[i]
        if w.startswith("-"):
            if "=" not in w and w in RUN_VALUE_OPTIONS:
                i += 1
            i += 1
            continue
        return w
    return None


def without_substitutions(text):
    """The text with each $( ... ) (nested too) replaced by one word: its pipes are not the line's."""
    out, i, depth = "", 0, 0
    while i < len(text):
        if text.startswith("$(", i):
            if depth == 0:
                out += "SUBSTITUTION"
            depth += 1
            i += 2
            continue
        if depth and text[i] == "(":
            depth += 1
        elif depth and text[i] == ")":
            depth -= 1
        elif not depth:
            out += text[i]
        i += 1
    return out


def split_words(command):
    """The words of one command: up to the first |, ;, && or ||."""
    try:
        lexer = shlex.shlex(without_substitutions(command), posix=True, punctuation_chars="|;&()")
        lexer.whitespace_split = True
        words = []
        for word in lexer:
            if word and set(word) <= set("|;&()"):
                break
            words.append(word)
        return words
    except ValueError:
        return command.split()


def shell_refs(line):
    """Image references a shell line names (literal words, before variable resolution)."""
    found = []
    for m in re.finditer(r"\b(?:docker|podman)\s+(?:container\s+)?run\s+(.*)", line):
        words = split_words(m.group(1))
        image = run_image(words)
        if image:
            found.append(("docker run", image))
    for m in re.finditer(r"\bdocker\s+(?:image\s+)?pull\s+(?:-q\s+|--quiet\s+|--platform[= ]\S+\s+)*([^\s;|&)]+)", line):
        found.append(("docker pull", m.group(1)))
    for m in re.finditer(r"\bdocker\s+(?:image\s+)?tag\s+([^\s;|&)]+)\s+([^\s;|&)]+)", line):
        found.append(("docker tag", m.group(2)))
    # docker build (or a script's own build wrapper) -t NAME
    if re.search(r"(?:^|[\s;&|(])(?:docker\s+(?:image\s+)?)?build\b", line):
        for m in re.finditer(r"\s(?:-t|--tag)(?:=|\s+)([^\s;|&)]+)", line):
            found.append(("build -t", m.group(1)))
    # FROM starting a generated Dockerfile (a line, or a printf/echo string): the image, then the end of
    # the instruction. SQL's FROM (a table, a subquery, more words after it) does not look like that.
    for m in re.finditer(r"(?:^|['\"]|\\n)\s*FROM\s+([A-Za-z0-9$][\w./:@${}-]*)(?=\\n|['\"]|\s*$|\s+AS\s)", line):
        found.append(("FROM", m.group(1)))
    for m in re.finditer(r"\bkubectl\b.*?\s--image(?:=|\s+)([^\s;|&)]+)", line):
        found.append(("kubectl --image", m.group(1)))
    return found


def scan_script(inv, path, origin_manager=None):
    for n, line in logical_lines(path.read_text(errors="replace")):
        for how, word in shell_refs(line):
            word = strip_quotes(word)
            where = f"{rel(path)}:{n} ({how})"
            if "${{" in word:
                inv.runtime.append(f"{where}: {word}")
                continue
            resolved, problems = resolve(word)
            if problems:
                inv.runtime.append(f"{where}: {word}")
                continue
            inv.add(resolved, where, project=resolved.startswith("voting-app/"),
                    origin=(origin_manager, rel(path)) if origin_manager else None)


def scan_workflow(inv, path):
    text = path.read_text()
    for n, line in enumerate(text.splitlines(), 1):
        m = re.match(r"^\s*(?:-\s+)?(?:image|container):\s*(\S.*?)\s*(?:#.*)?$", line)
        if m and not m.group(1).endswith(":") and m.group(1) not in ("|", ">"):
            value = strip_quotes(m.group(1))
            where = f"{rel(path)}:{n}"
            if "${{" in value:
                inv.runtime.append(f"{where}: {value}")
            elif value and not value.startswith("{"):
                inv.add(value, where, origin=("github-actions", rel(path)))
        m = re.match(r"^\s*(?:-\s+)?uses:\s*docker://(\S+)", line)
        if m:
            inv.add(m.group(1), f"{rel(path)}:{n}", origin=("github-actions", rel(path)))
    # docker run and the like inside run: steps
    for n, line in logical_lines(text):
        for how, word in shell_refs(line):
            word = strip_quotes(word)
            where = f"{rel(path)}:{n} ({how})"
            if "$" in word:
                inv.runtime.append(f"{where}: {word}")
            else:
                inv.add(word, where)


JAVA_IMAGE = re.compile(r'(?:\bnew\s+\w*Container(?:<[^>]*>)?|DockerImageName\.parse)\(\s*"([^"]+)"')


def scan_java(inv, path):
    for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
        for m in JAVA_IMAGE.finditer(line):
            inv.add(m.group(1), f"{rel(path)}:{n} (Testcontainers)")


def is_shell_script(path, rp):
    if rp.endswith(".sh") or rp == ".ci/run":
        return True
    if path.suffix == "" and path.stat().st_size < 1_000_000:
        try:
            first = path.open("rb").readline()
        except OSError:
            return False
        return first.startswith(b"#!") and (b"sh" in first.split(b"/")[-1])
    return False


# ---- Renovate: would it find and update what is pinned here? -------------------------------------------
def js_regex(pattern):
    """A Renovate (JavaScript) regex for Python's re: named groups, and /.../flags around it."""
    flags = 0
    m = re.match(r"^/(.*)/([a-z]*)$", pattern, re.S)
    if m:
        pattern = m.group(1)
        if "i" in m.group(2):
            flags |= re.I
        if "s" in m.group(2):
            flags |= re.S
    return re.compile(pattern.replace("(?<", "(?P<").replace("(?P<=", "(?<=").replace("(?P<!", "(?<!"), flags)


def renovate_findings(inv, files):
    """Checks the Renovate configuration against the references found; returns its own failures."""
    failures = []
    path = ROOT / RENOVATE_CONFIG
    if not path.exists():
        return [f"{RENOVATE_CONFIG}: missing: nothing keeps the pinned tags and digests current"]
    try:
        config = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        return [f"{RENOVATE_CONFIG}: not valid JSON: {e}"]
    ignore = [re.compile(glob_to_re(p)) for p in config.get("ignorePaths", [])]

    def ignored(rp):
        return any(p.match(rp) for p in ignore)

    enabled = config.get("enabledManagers")
    for manager in ("docker-compose", "dockerfile", "helm-values", "github-actions"):
        if enabled is not None and manager not in enabled:
            failures.append(f"{RENOVATE_CONFIG}: enabledManagers leaves out {manager}")
    # What the custom regex managers extract, from the files they name.
    custom = []
    for i, manager in enumerate(config.get("customManagers", [])):
        patterns = [js_regex(p) for p in manager.get("managerFilePatterns", [])]
        targets = [f for f in files if any(p.search(rel(f)) for p in patterns) and not ignored(rel(f))]
        if not targets:
            failures.append(f"{RENOVATE_CONFIG}: customManagers[{i}] ({manager.get('description', '')[:60]}) matches no file")
        matched = 0
        for f in targets:
            text = f.read_text(errors="replace")
            for rx in manager.get("matchStrings", []):
                for m in js_regex(rx).finditer(text):
                    groups = m.groupdict()
                    dep = manager.get("depNameTemplate") or groups.get("depName")
                    custom.append((rel(f), normal_name(dep or ""), groups.get("currentValue"), groups.get("currentDigest")))
                    matched += 1
        if targets and not matched:
            failures.append(f"{RENOVATE_CONFIG}: customManagers[{i}] ({manager.get('description', '')[:60]}) "
                            f"extracts nothing from {', '.join(rel(f) for f in targets)}")
    builtin_patterns = {
        "docker-compose": re.compile(r"(^|/)(?:docker-)?compose[^/]*\.ya?ml$"),
        "dockerfile": re.compile(r"(^|/|\.)([Dd]ocker|[Cc]ontainer)file$|(^|/)([Dd]ocker|[Cc]ontainer)file[^/]*$"),
        "helm-values": re.compile(r"(^|/)values\.ya?ml$"),
        "github-actions": re.compile(r"(^|/)(workflow-templates|\.(?:github|gitea|forgejo)/(?:workflows|actions))/.+\.ya?ml$"),
    }
    digest_only = [r for r in inv.refs if not r.project and r.tag and not r.digest
                   and isinstance(verdict(r), tuple) and r.text.startswith("gcr.io/distroless/")]
    # A rendered third-party image must come from values.yaml, where the helm-values manager reads it.
    from_values = {(normal_name(r.name), r.tag, r.digest) for r in inv.refs
                   if r.origin and r.origin[0] == "helm-values"}
    in_templates = {}
    for ref in inv.refs:
        if ref.origin and ref.origin[0] == "rendered":
            if not ref.project and (normal_name(ref.name), ref.tag, ref.digest) not in from_values:
                in_templates.setdefault(ref.text, []).append(ref.where)
            continue
        if ref.project:
            continue
        v = verdict(ref)
        if isinstance(v, tuple) and not ref.text.startswith("gcr.io/distroless/"):
            continue  # local CI names
        name = normal_name(ref.name)
        file = ref.where.split(":", 1)[0]
        covered = False
        if ref.origin and not ignored(file):
            manager, f = ref.origin
            covered = bool(manager and builtin_patterns.get(manager, re.compile("^$")).search(f))
        if not covered:
            covered = any(c[0] == file and c[1] == name and (c[2] == ref.tag or (ref.digest and c[3] == ref.digest))
                          for c in custom)
        if not covered:
            failures.append(f"{ref.where}: {ref.text}: no Renovate manager updates it "
                            f"({RENOVATE_CONFIG}: add a custom regex manager or move it where one reads it)")
    for text, wheres in in_templates.items():
        more = f" (and {len(wheres) - 1} more objects or value sets)" if len(wheres) > 1 else ""
        failures.append(f"{wheres[0]}{more}: {text}: written in a template, not in values.yaml as "
                        "repository/tag under an *image key, so no Renovate manager updates it")
    # An image pinned by digest updates only must have pinDigests in a rule that matches it.
    for ref in digest_only:
        rules = [r for r in config.get("packageRules", []) if r.get("pinDigests")
                 and any(name_matches(p, normal_name(ref.name)) for p in r.get("matchPackageNames", []) + r.get("matchDepNames", []))]
        if not rules and not config.get("pinDigests"):
            failures.append(f"{ref.where}: {ref.text}: publishes no version tags, but no Renovate rule pins its digest (pinDigests)")
    return failures


def name_matches(pattern, name):
    if pattern.startswith("/") and pattern.rstrip("i").endswith("/"):
        return bool(js_regex(pattern).search(name))
    return re.fullmatch(glob_to_re(pattern), name) is not None


def glob_to_re(glob):
    out, i = "", 0
    while i < len(glob):
        c = glob[i]
        if glob.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
            continue
        if glob.startswith("**", i):
            out += ".*"
            i += 2
            continue
        out += "[^/]*" if c == "*" else re.escape(c)
        i += 1
    return "^" + out + "$"


# ---- The rules themselves, on examples (run first: a check that passes everything proves nothing) ----------
def self_test():
    floating = ["redis", "redis:latest", "redis:7-alpine", "postgres:15-alpine", "postgres:15",
                "eclipse-temurin:17-jdk", "eclipse-temurin:25-jdk-noble", "redis:7.4", "redis:7.4-alpine",
                "nginx:stable", "nginx:stable-alpine", "node:lts", "gcr.io/distroless/base-debian12:latest",
                "gcr.io/distroless/base-debian12", "ghcr.io/o/r/vote:staging", "ghcr.io/o/r/vote:main",
                "alpine:edge", "redis@sha256:abc", "voting-ci/debian-minbase:latest"]
    pinned = ["redis:7.0.15-alpine", "postgres:15.20-alpine", "eclipse-temurin:25.0.3_9-jdk-noble",
              "eclipse-temurin:17.0.15_6-jdk-noble", "prom/prometheus:v3.13.2", "grafana/grafana:12.4.3",
              "oliver006/redis_exporter:v1.88.0-alpine", "localhost:5000/x/y:1.2.3",
              "gcr.io/distroless/base-debian12:nonroot@sha256:" + "0" * 64, "ghcr.io/o/r/vote@sha256:" + "a" * 64,
              "docker.io/library/postgres:15.20"]
    allowed = ["gcr.io/distroless/base-debian12:nonroot", "voting-ci/debian-minbase:bookworm", "voting-app/vote:ci"]
    wrong = [r for r in floating if verdict(Ref(r, "")) is None or isinstance(verdict(Ref(r, "")), tuple)]
    wrong += [r for r in pinned if verdict(Ref(r, "")) is not None]
    wrong += [r for r in allowed if not isinstance(verdict(Ref(r, "")), tuple)]
    shell = {
        'docker run --rm --network "container:$(compose ps -q "$1" | head -n 1)" --entrypoint sh redis:7-alpine -c x':
            [("docker run", "redis:7-alpine")],
        "docker run --rm -e X -v \"$PWD:/d\" -w /d ghcr.io/a/b:v1.2.3 sh -c 'y | z'": [("docker run", "ghcr.io/a/b:v1.2.3")],
        "printf 'FROM eclipse-temurin:25-jdk\\nCOPY a b\\n' >f": [("FROM", "eclipse-temurin:25-jdk")],
        "build -q --network host -t redis:7-alpine -f redis.Dockerfile .": [("build -t", "redis:7-alpine")],
        "kubectl run psql --rm -it --image=postgres:15-alpine -- psql": [("kubectl --image", "postgres:15-alpine")],
        "late=\"INSERT INTO votes SELECT 'late-' || i, 'a' FROM generate_series(1, 7) AS i\"": [],
        "    FROM votes)": [],
        "  FROM v;": [],
    }
    for line, expected in shell.items():
        if shell_refs(line) != expected:
            wrong.append(f"{line!r} -> {shell_refs(line)}, expected {expected}")
    java = 'new GenericContainer<>("redis:7-alpine") DockerImageName.parse("postgres:16") waitForContainer("x")'
    if [m.group(1) for m in JAVA_IMAGE.finditer(java)] != ["redis:7-alpine", "postgres:16"]:
        wrong.append(f"Java: {[m.group(1) for m in JAVA_IMAGE.finditer(java)]}")
    if wrong:
        print("[images] FAIL: the rules misjudge: " + "; ".join(wrong), file=sys.stderr)
        return 1
    print(f"[images] rules: {len(floating)} floating, {len(pinned)} pinned, {len(allowed)} allow-listed examples "
          f"and {len(shell) + 1} script and Java lines judged as expected")
    return 0


# ---- Main -------------------------------------------------------------------------------------------------
def main(argv):
    if self_test():
        return 1
    helm = None
    if "--helm" in argv:
        helm = argv[argv.index("--helm") + 1]
    inv = Inventory()
    files = git_files()
    counts = {}

    def count(kind):
        counts[kind] = counts.get(kind, 0) + 1

    for f in files:
        rp = rel(f)
        name = f.name
        if re.search(r"(^|/)(?:docker-)?compose[^/]*\.ya?ml$", rp):
            scan_compose(inv, f)
            count("compose files")
        elif re.match(r"^\.env(\.[\w-]+)?$", name) and "/" not in rp:
            scan_env(inv, f)
            count("env files")
        elif name == "Dockerfile" or name.endswith(".Dockerfile") or name.startswith("Dockerfile."):
            scan_dockerfile(inv, f)
            count("Dockerfiles")
        elif name.endswith(".hcl") and "bake" in name:
            scan_bake(inv, f)
            count("bake files")
        elif rp.startswith(".github/workflows/") and name.endswith((".yml", ".yaml")):
            scan_workflow(inv, f)
            count("workflows")
        elif name.endswith(".java"):
            if "Container" in f.read_text(errors="replace"):
                scan_java(inv, f)
                count("Java files with containers")
        elif is_shell_script(f, rp):
            scan_script(inv, f)
            count("scripts")
    for chart_yaml in sorted(ROOT.glob("charts/*/Chart.yaml")):
        chart = chart_yaml.parent
        scan_chart_yaml(inv, chart_yaml)
        scan_chart_values(inv, chart / "values.yaml")
        count("charts")
        if helm:
            render_chart(inv, chart, helm)
        else:
            inv.notes.append(f"{rel(chart)}: not rendered (no helm given): values.yaml and Chart.yaml checked only")

    # Pinned?
    allowed = {}
    pinned_by = {"exact tag": 0, "digest": 0}
    rendered = {}  # the same rendered reference in many objects and value sets: one line
    for ref in inv.refs:
        v = verdict(ref)
        if isinstance(v, tuple):
            allowed.setdefault(v[1], set()).add(ref.text)
        elif v and ref.origin and ref.origin[0] == "rendered":
            rendered.setdefault((ref.text, v), []).append(ref.where)
        elif v:
            inv.fail(ref.where, f"{ref.text}: {v}")
        else:
            pinned_by["digest" if ref.digest else "exact tag"] += 1
    for (text, v), wheres in rendered.items():
        more = f" (and {len(wheres) - 1} more objects or value sets)" if len(wheres) > 1 else ""
        inv.fail(wheres[0] + more, f"{text}: {v}")

    # One tag per third-party image (per major line where CONSISTENT_PER_MAJOR says so).
    by_name = {}
    for ref in inv.refs:
        if ref.project or ref.tag is None or isinstance(verdict(ref), tuple):
            continue
        name = normal_name(ref.name)
        line = re.match(r"v?(\d*)", ref.tag).group(1) if name in CONSISTENT_PER_MAJOR else ""
        by_name.setdefault((name, line), {}).setdefault(ref.tag, []).append(ref.where)
    for (name, _), tags in sorted(by_name.items()):
        if len(tags) > 1:
            detail = "; ".join(f"{t} at {', '.join(w)}" for t, w in sorted(tags.items()))
            inv.failures.append(f"{name}: {len(tags)} different tags, must be one: {detail}")

    # The project's version, the same everywhere.
    pom = re.search(r"<artifactId>voting-app-parent</artifactId>\s*<version>([^<]+)</version>",
                    (ROOT / "pom.xml").read_text())
    version = pom.group(1).removesuffix("-SNAPSHOT") if pom else None
    for source, value, where in inv.versions:
        if (source.endswith("TAG") and GIT_SHA.match(value)) or not EXACT.match(value) or MOVING_WORD.search(value):
            continue  # a commit SHA; or floating, which is said above
        if value != version:
            inv.fail(where, f"{source} is '{value}', the project's version is {version} (pom.xml without -SNAPSHOT)")
    for ref in inv.refs:
        if (ref.project and ref.tag and not ref.digest and " rendered with default values" in ref.where
                and ref.tag != version and not verdict(ref)):
            inv.fail(ref.where, f"{ref.text}: the chart's default tag is not the project's version {version}")

    renovate = renovate_findings(inv, files)
    inv.failures += renovate

    third = {normal_name(r.name) + (":" + r.tag if r.tag else "") + ("@" + r.digest if r.digest else "")
             for r in inv.refs if not r.project and not isinstance(verdict(r), tuple) and not verdict(r)}
    print(f"[images] scanned {', '.join(f'{v} {k}' for k, v in sorted(counts.items()))}: "
          f"{len(inv.refs)} image references ({pinned_by['exact tag']} exact tags, {pinned_by['digest']} digests, "
          f"{sum(len(v) for v in allowed.values())} allow-listed)")
    if third:
        print(f"[images] third-party images: {' '.join(sorted(third))}")
    if version:
        print(f"[images] project version {version}: " + ", ".join(sorted({s for s, _, _ in inv.versions})))
    for reason, refs in allowed.items():
        print(f"[images] allowed {' '.join(sorted(refs))}: {reason}")
    for note in inv.notes:
        print(f"[images] note: {note}")
    if inv.runtime:
        print(f"[images] {len(inv.runtime)} references computed at run time (variables; not judged here): "
              + "; ".join(sorted(set(r.split(': ', 1)[1] for r in inv.runtime))))
    if inv.failures:
        print(f"[images] FAIL: {len(inv.failures)} floating or inconsistent image references:", file=sys.stderr)
        for failure in inv.failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print("[images] every image reference is pinned and consistent, and Renovate updates each one")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
