#!/usr/bin/env python3
"""Every relative link (and its #anchor) in the repository's Markdown must resolve: docs moved between
rooms must not leave a reader at a dead end. Usage: doc_links.py (from the repository root)."""
import os
import re
import subprocess
import sys


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"`", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path):
    found, fence = set(), False
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("```"):
                fence = not fence
            if not fence and line.startswith("#"):
                base, n = slug(line.lstrip("#")), 0
                while (base if n == 0 else f"{base}-{n}") in found:
                    n += 1
                found.add(base if n == 0 else f"{base}-{n}")
    return found


def main():
    files = subprocess.run(["git", "ls-files", "*.md"], check=True, capture_output=True, text=True).stdout.split()
    broken = checked = 0
    for name in files:
        with open(name, encoding="utf-8") as source:
            text = re.sub(r"```.*?```", "", source.read(), flags=re.S)
        for match in re.finditer(r"\]\(([^)\s]+)\)", text):
            target = match.group(1)
            if re.match(r"[a-z]+:", target):
                continue
            checked += 1
            path, _, fragment = target.partition("#")
            full = os.path.normpath(os.path.join(os.path.dirname(name), path)) if path else name
            if not os.path.exists(full):
                print(f"{name}: {target}: no such file")
                broken += 1
            elif fragment and full.endswith(".md") and fragment not in anchors(full):
                print(f"{name}: {target}: no heading #{fragment}")
                broken += 1
    print(f"doc links: {checked} relative links in {len(files)} Markdown files, {broken} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
