"""Just enough of an HCL reader for the checks here: comments stripped, top-level blocks by kind with
their bodies and lines, and the argument names at the top level of a body. Strings are skipped, so a
brace or a `#` inside one does not count."""
import re


def strip_comments(text):
    """The text without its `#` and `//` comments (line breaks kept, so line numbers stay)."""
    out, in_str, i = [], False, 0
    while i < len(text):
        c = text[i]
        if in_str:
            if c == "\\":
                out.append(text[i:i + 2])
                i += 2
                continue
            if c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c == "#" or text.startswith("//", i):
            i = text.find("\n", i)
            if i < 0:
                break
            continue
        out.append(c)
        i += 1
    return "".join(out)


def blocks(text, kind):
    """(name, body, line) of each top-level `kind "name" {` block; comments in the body are kept."""
    for m in re.finditer(r'^%s\s+"([^"]+)"\s*\{' % re.escape(kind), text, re.M):
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
                i = text.find("\n", i)
                if i < 0:
                    break
                continue
            elif c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            i += 1
        yield m.group(1), text[m.end():i - 1], text.count("\n", 0, m.start()) + 1


def top_level_args(body):
    """Argument names at depth 0 of a block body."""
    names, depth = [], 0
    for line in body.splitlines():
        if depth == 0:
            m = re.match(r'\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=(?!=)', line)
            if m:
                names.append(m.group(1))
        depth += line.count("{") + line.count("[") + line.count("(") - line.count("}") - line.count("]") - line.count(")")
    return names
