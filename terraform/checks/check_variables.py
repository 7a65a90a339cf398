#!/usr/bin/env python3
"""Every Terraform variable under the given folders has a description, a type, and a validation
unless it is a bool or its block says why not with a comment `# no validation: <reason>`.

The variable blocks are read with hcl.py (beside this file).

usage: check_variables.py DIR...
"""
import pathlib
import re
import sys

from hcl import blocks

problems, count = [], 0
for root in sys.argv[1:]:
    for path in sorted(pathlib.Path(root).rglob("*.tf")):
        if ".terraform" in path.parts:
            continue
        for name, body, line in blocks(path.read_text(), "variable"):
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
