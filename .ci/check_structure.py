#!/usr/bin/env python3
"""Structure checks for the Rust workspace (issue 9, "no god files"; standard library only).

1. Long files: every `.rs` file over 800 lines outside test code must be on the allow list
   `.ci/long-files.txt` ("path  # reason", one per line). An entry that is no longer over the
   limit, or no longer exists, is an error too, so the list stays true.
2. Mutual imports: no two `.rs` files under a crate's `src/` may import each other. A file
   imports another when it names it through a `crate::a::b` path (resolved to src/a/b.rs,
   src/a/b/mod.rs, or the longest prefix that is a file, down to lib.rs/main.rs) or a
   `super::` path, in a `use` declaration or anywhere in the code. Test code (`#[cfg(test)]`
   items, files named tests.rs / *_tests.rs / testdata.rs, and tests/ directories) is left out:
   it does not shape the module graph. A parent naming its own child module by its bare name
   (`pub use store::enqueue;` in mod.rs) is the ordinary facade and is not counted.

Usage: .ci/check_structure.py [CRATE ...]
  Without arguments every crate under crates/ is checked for mutual imports; with arguments
  only the named crates (e.g. `web db`). The long-file check always covers the whole workspace.
Exit status 1 when a check fails.
"""

import os
import re
import sys

LIMIT = 800
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
ALLOW_LIST = os.path.join(ROOT, ".ci", "long-files.txt")


def rel(path):
    return os.path.relpath(path, ROOT).replace(os.sep, "/")


def is_test_file(path):
    parts = rel(path).split("/")
    name = parts[-1]
    return (
        "tests" in parts[:-1]
        or name == "tests.rs"
        or name.endswith("_tests.rs")
        or name == "testdata.rs"
    )


def rust_files(base):
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if d not in ("target", "node_modules", ".git"))
        for name in sorted(filenames):
            if name.endswith(".rs"):
                yield os.path.join(dirpath, name)


def line_count(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return sum(1 for _ in f)


# --- 1. long files --------------------------------------------------------------------------


def check_long_files():
    long_files = {}
    crates = os.path.join(ROOT, "crates")
    for path in rust_files(crates):
        if is_test_file(path):
            continue
        n = line_count(path)
        if n > LIMIT:
            long_files[rel(path)] = n

    allowed = {}
    errors = []
    if os.path.exists(ALLOW_LIST):
        with open(ALLOW_LIST, encoding="utf-8") as f:
            for number, raw in enumerate(f, 1):
                line = raw.strip()
                if not line or line.startswith("#"):
                    continue
                path, sep, reason = line.partition("#")
                path = path.strip()
                if not sep or not reason.strip():
                    errors.append(f"{rel(ALLOW_LIST)}:{number}: {path} has no reason (path  # reason)")
                allowed[path] = reason.strip()

    print(f"Files over {LIMIT} lines outside test code: {len(long_files)}")
    for path, n in sorted(long_files.items(), key=lambda item: -item[1]):
        mark = "allowed" if path in allowed else "NOT ON THE ALLOW LIST"
        print(f"  {n:5d}  {path}  ({mark})")
        if path not in allowed:
            errors.append(
                f"{path} has {n} lines: split it along its concerns, or add it to "
                f"{rel(ALLOW_LIST)} with the reason"
            )
    for path in sorted(allowed):
        full = os.path.join(ROOT, path)
        if not os.path.exists(full):
            errors.append(f"{rel(ALLOW_LIST)}: {path} no longer exists: remove the entry")
        elif path not in long_files:
            errors.append(
                f"{rel(ALLOW_LIST)}: {path} is no longer over {LIMIT} lines "
                f"({line_count(full)}): remove the entry"
            )
    return errors


# --- 2. mutual imports ----------------------------------------------------------------------

TOKEN = re.compile(
    r"""
      (?P<line_comment>//[^\n]*)
    | (?P<block_comment>/\*)
    | (?P<raw_string>b?r(?P<hashes>\#*)")
    | (?P<string>b?")
    | (?P<char>b?'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|.)|[^\\'\n])')
    """,
    re.VERBOSE,
)


def strip_literals(text):
    """Replaces comments, strings and character literals by spaces (newlines kept)."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        m = TOKEN.search(text, i)
        if not m:
            out.append(text[i:])
            break
        start = m.start()
        # An identifier character before `r"`/`b"` means this is not a literal prefix.
        if (m.group("raw_string") or m.group("string")) and start > 0 and (
            text[start - 1].isalnum() or text[start - 1] == "_"
        ) and text[start] in "br":
            out.append(text[i : start + 1])
            i = start + 1
            continue
        out.append(text[i:start])
        if m.group("line_comment"):
            end = m.end()
        elif m.group("block_comment"):
            depth, end = 1, m.end()
            while depth and end < n:
                if text.startswith("/*", end):
                    depth, end = depth + 1, end + 2
                elif text.startswith("*/", end):
                    depth, end = depth - 1, end + 2
                else:
                    end += 1
        elif m.group("raw_string"):
            close = '"' + m.group("hashes")
            end = text.find(close, m.end())
            end = n if end < 0 else end + len(close)
        elif m.group("string"):
            end = m.end()
            while end < n and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            end += 1
        else:
            end = m.end()
        out.append(re.sub(r"[^\n]", " ", text[start:end]))
        i = end
    return "".join(out)


def blank_span(text, start, end):
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def matching_brace(text, open_at):
    depth = 0
    for j in range(open_at, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(text) - 1


CFG_TEST = re.compile(r"#\[cfg\((?:test|all\(test[^\]]*)\)\]")


def strip_test_items(text):
    """Blanks `#[cfg(test)]` items (inline test modules, `mod tests;`, test-only functions)."""
    while True:
        m = CFG_TEST.search(text)
        if not m:
            return text
        j = m.end()
        # The item ends at its first `;` or at the brace that closes its first `{`.
        while j < len(text) and text[j] not in "{;":
            j += 1
        end = matching_brace(text, j) if j < len(text) and text[j] == "{" else j
        text = blank_span(text, m.start(), end + 1)


def split_top(s):
    parts, depth, cur = [], 0, []
    for ch in s:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def expand_use_tree(tree, prefix=()):
    """`crate::a::{b, c::{D, E as F}}` -> [(crate, a, b), (crate, a, c, D), (crate, a, c, E)]."""
    tree = re.sub(r"\s+as\s+\w+", "", tree)
    tree = re.sub(r"\s+", "", tree)
    brace = tree.find("{")
    if brace < 0:
        return [prefix + tuple(s for s in tree.split("::") if s)]
    head = [s for s in tree[:brace].split("::") if s]
    inner = tree[brace + 1 : tree.rfind("}")]
    paths = []
    for part in split_top(inner):
        paths.extend(expand_use_tree(part, prefix + tuple(head)))
    return paths


USE_DECL = re.compile(r"\buse\s+([^;]+);")
PATH = re.compile(r"(?<![\w$:])((?:crate|super|self)(?:\s*::\s*\w+)+)")
INLINE_MOD = re.compile(r"\bmod\s+(\w+)\s*\{")


def module_of(src, path):
    """Module path of a file: src/lib.rs -> (), src/a/b.rs -> (a, b), src/a/mod.rs -> (a,)."""
    parts = os.path.relpath(path, src).replace(os.sep, "/")[: -len(".rs")].split("/")
    if parts[-1] == "mod" or (len(parts) == 1 and parts[0] in ("lib", "main")):
        parts = parts[:-1]
    return tuple(parts)


def inline_modules(text):
    """(start, end, name) of each inline `mod x { … }` block, for resolving `super::` inside."""
    spans = []
    for m in INLINE_MOD.finditer(text):
        open_at = m.end() - 1
        spans.append((open_at, matching_brace(text, open_at), m.group(1)))
    return spans


def references(text, module, spans):
    """Absolute module paths (tuples) named by `crate::`/`super::`/`self::` paths in a file."""
    found = []

    def absolute(segs, at):
        inner = [name for start, end, name in spans if start < at < end]
        here = list(module) + inner
        if segs[0] == "crate":
            return tuple(segs[1:])
        base = list(here)
        i = 0
        while i < len(segs) and segs[i] in ("super", "self"):
            if segs[i] == "super":
                base = base[:-1]
            i += 1
        # An item of an inline module of this file stays in this file.
        return tuple(base + segs[i:])

    taken = []
    for m in USE_DECL.finditer(text):
        tree = m.group(1)
        if not re.match(r"\s*(::)?\s*(crate|super|self)\b|\s*\{", tree):
            taken.append((m.start(), m.end()))
            continue
        for segs in expand_use_tree(tree.lstrip(":")):
            segs = [s for s in segs if s != "self" or segs.index(s) == 0]
            if segs and segs[0] in ("crate", "super", "self"):
                found.append(absolute(list(segs), m.start()))
        taken.append((m.start(), m.end()))
    for m in PATH.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        if re.search(r"\bin\s*$", text[max(0, m.start() - 8) : m.start()]):
            continue  # pub(in crate::x) is a visibility, not a use
        segs = [s.strip() for s in m.group(1).split("::")]
        found.append(absolute(segs, m.start()))
    return found


def resolve(files_by_module, segs):
    for k in range(len(segs), -1, -1):
        if segs[:k] in files_by_module:
            return files_by_module[segs[:k]]
    return None


def check_mutual_imports(crates):
    errors = []
    total = 0
    for crate in crates:
        src = os.path.join(ROOT, "crates", crate, "src")
        if not os.path.isdir(src):
            errors.append(f"crates/{crate}/src does not exist")
            continue
        files = [p for p in rust_files(src) if not is_test_file(p)]
        files_by_module = {module_of(src, p): p for p in files}
        edges = {}
        for path in files:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = strip_test_items(strip_literals(f.read()))
            module = module_of(src, path)
            spans = inline_modules(text)
            targets = set()
            for segs in references(text, module, spans):
                target = resolve(files_by_module, segs)
                if target and target != path:
                    targets.add(target)
            edges[path] = targets
        pairs = sorted(
            {tuple(sorted((a, b))) for a, ts in edges.items() for b in ts if a in edges.get(b, ())}
        )
        total += len(pairs)
        print(f"Mutual imports in crates/{crate}: {len(pairs)}")
        for a, b in pairs:
            print(f"  {rel(a)}  <->  {rel(b)}")
            errors.append(f"{rel(a)} and {rel(b)} import each other")
    return errors


def main(argv):
    names = argv[1:]
    crates_dir = os.path.join(ROOT, "crates")
    all_crates = sorted(
        d for d in os.listdir(crates_dir) if os.path.isdir(os.path.join(crates_dir, d, "src"))
    )
    unknown = [n for n in names if n not in all_crates]
    if unknown:
        print(f"unknown crate(s): {', '.join(unknown)}; known: {', '.join(all_crates)}")
        return 2
    errors = check_long_files()
    print()
    errors += check_mutual_imports(names or all_crates)
    print()
    if errors:
        print(f"Structure check FAILED ({len(errors)}):")
        for e in errors:
            print(f"  - {e}")
        return 1
    print("Structure check passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
