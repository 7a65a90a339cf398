#!/usr/bin/env python3
"""Every Terraform variable under the given folders has a description, a type, and a validation
unless it is a bool or its block says why not with a comment `# no validation: <reason>`.

A small reader of HCL, enough for variable blocks: it finds `variable "name" {` at the start of a
line and its matching brace, skipping braces inside strings and comments.

usage: check_variables.py DIR...
"""
import pathlib
import re
import sys


def blocks(text):
    for m in re.finditer(r'^variable\s+"([^"]+)"\s*\{', text, re.M):
        depth, i, in_str = 1, m.end(), False
        while depth and i < len(text):
            c = text[i]
            if in_str:
                if c == "\\":
                    i += 1
                elif c == '"':
                    in_str = False
            elif c == '"':
                in_str = True
            elif c == "#":
                i = text.index("\n", i)
                continue
            elif c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            i += 1
        yield m.group(1), text[m.end():i - 1], text.count("\n", 0, m.start()) + 1


problems, count = [], 0
for root in sys.argv[1:]:
    for path in sorted(pathlib.Path(root).rglob("*.tf")):
        if ".terraform" in path.parts:
            continue
        for name, body, line in blocks(path.read_text()):
            count += 1
            where = f"{path}:{line}: variable {name}"
            desc = re.search(r'^\s*description\s*=\s*"(.*)"\s*$', body, re.M)
            if not desc or len(desc.group(1).strip()) < 10:
                problems.append(f"{where}: no description (or shorter than 10 characters)")
            type_ = re.search(r'^\s*type\s*=\s*(\S+)', body, re.M)
            if not type_:
                problems.append(f"{where}: no type")
            elif type_.group(1) != "bool" and not re.search(r'^\s*validation\s*\{', body, re.M) \
                    and not re.search(r'#\s*no validation:\s*\S', body):
                problems.append(f"{where}: no validation (add one, or a comment '# no validation: <reason>')")

for p in problems:
    print(p)
print(f"{count} variables checked, {len(problems)} problems")
sys.exit(1 if problems or count == 0 else 0)
