#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks (or, with --write, rewrites) the figures that docs/ and README quote
against what the measuring scripts measured (docs/packaging.md, "Figures").

Measurements, each "key value" a line, keys prefixed by their source:
  cross:  build-cross/figures.txt      scripts/cross-build.sh (object sizes, sizeof, stack)
  qemu:   build-ports/figures.txt      scripts/qemu-tests.sh (firmware flash/RAM, guest instructions)
  bench:  bench/results.md             bench/run.sh's table (callgrind instructions per run)
  tree:   counted here                 conformance programs, standard helpers
Claims: scripts/figures.claims, one a line: DOC | KEYS | TEXT [| TOLERANCE%]. TEXT is the
doc's words with {} where each figure stands (whitespace runs match any whitespace);
KEYS are comma-separated, one per {}, each a key, KEY/KEY (a ratio) or a sum
(KEY+KEY+N, N a constant: a figure the doc derives).
A figure is written as the doc writes it: thousands commas kept, as many decimals.
Exit 1 when a claim's text is missing, a measurement is missing, or a figure differs.
usage: check-figures.py [--write] [ROOT]
"""
import os
import re
import sys


def load_pairs(path, prefix, out):
    try:
        with open(path) as f:
            for line in f:
                key, _, value = line.strip().partition(" ")
                if key and value not in ("", "?"):
                    out[prefix + key] = value.strip()
    except FileNotFoundError:
        pass


def load_bench(path, out):
    cols = ["native", "vm", "vm_ratio", "spec", "spec_ratio", "slots", "startup", "per_slot",
            "startup_spec", "native_ns", "vm_ns", "spec_ns", "jit", "jit_ratio", "jit_compile",
            "jit_compile_per_slot", "jit_bytes", "jit_bytes_per_slot"]
    try:
        text = open(path).read()
    except FileNotFoundError:
        return
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 10 and re.fullmatch(r"[a-z0-9_]+", cells[0]) and cells[1].isdigit():
            for name, value in zip(cols, cells[1:]):
                out["bench:%s.%s" % (cells[0], name)] = value.rstrip("x")
    m = re.search(r"Geometric mean: VM ([0-9.]+)x, specialised ([0-9.]+)x", text)
    if m:
        out["bench:geomean.vm"], out["bench:geomean.spec"] = m.group(1), m.group(2)
    m = re.search(r"JIT: geometric mean ([0-9.]+)x native instructions; compile ([0-9.]+) "
                  r"instructions and ([0-9.]+) code bytes", text)
    if m:
        out["bench:geomean.jit"], out["bench:jit.compile_per_slot"], out["bench:jit.bytes_per_slot"] = \
            m.group(1), m.group(2), m.group(3)


def load_tree(root, shared, out):
    conf = os.path.join(shared, "conformance", "tests")
    if os.path.isdir(conf):
        out["tree:conformance.programs"] = str(
            sum(1 for n in os.listdir(conf) if n.endswith(".test")))
    ids = os.path.join(root, "include", "fc", "helper_ids.h")
    if os.path.exists(ids):
        out["tree:helpers.standard"] = str(
            sum(1 for l in open(ids) if re.match(r"\s*X\([a-z_0-9]+, [A-Z_0-9]+, [0-9]+,", l)))


def dangling_names(root):
    """fc_x() named in a comment of include/fc or in docs/README but defined nowhere"""
    import glob
    decl = set()
    code_files = []
    for pat in ("include/fc/*.h", "src/*/*.[ch]", "sdk/include/femto/*.h", "tools/femto/*.[ch]",
                "daemon/*.[ch]"):
        code_files += glob.glob(os.path.join(root, pat))
    for path in code_files:
        s = open(path).read()
        code = re.sub(r"/\*.*?\*/", "", s, flags=re.S)
        decl |= set(re.findall(r"\b(fc_[a-z0-9_]+)\s*\(", code))
        decl |= set(re.findall(r"#define\s+(fc_[a-z0-9_]+)", code))
        decl |= set("fc_" + n for n in re.findall(r"X\(([a-z0-9_]+), [A-Z_0-9]+, ", s))
    texts = []
    for path in glob.glob(os.path.join(root, "include/fc/*.h")):
        texts += [(path, c) for c in re.findall(r"/\*.*?\*/", open(path).read(), flags=re.S)]
    for path in glob.glob(os.path.join(root, "docs/*.md")) + [os.path.join(root, "README.md")]:
        texts.append((path, open(path).read()))
    return sorted({(os.path.relpath(p, root), n) for p, t in texts
                   for n in re.findall(r"\b(fc_[a-z0-9_]+)\(\)", t) if n not in decl})


def value_of(expr, fig):
    if "+" in expr:
        parts = [value_of(e.strip(), fig) for e in expr.split("+")]
        return None if None in parts else sum(parts)
    if re.fullmatch(r"[0-9]+", expr):
        return float(expr)
    if "/" in expr:
        a, b = (value_of(e.strip(), fig) for e in expr.split("/", 1))
        return None if a is None or b in (None, 0) else a / b
    v = fig.get(expr)
    try:
        return None if v is None else float(v)
    except ValueError:
        return None


def render(value, like):
    """value written the way the doc's current token `like` is written"""
    decimals = len(like.split(".")[1]) if "." in like else 0
    s = "%.*f" % (decimals, value)
    if "," in like or (decimals == 0 and abs(value) >= 1000):
        whole, _, frac = s.partition(".")
        s = "{:,}".format(int(whole)) + ("." + frac if frac else "")
    return s


def main():
    args = sys.argv[1:]
    write = "--write" in args
    args = [a for a in args if a != "--write"]
    root = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(__file__), ".."))
    shared = os.environ.get("FC_SHARED_DIR", os.path.join(root, "..", "shared"))
    fig = {}
    load_pairs(os.environ.get("FC_CROSS_FIGURES", os.path.join(root, "build-cross", "figures.txt")), "cross:", fig)
    load_pairs(os.environ.get("FC_QEMU_FIGURES", os.path.join(root, "build-ports", "figures.txt")), "qemu:", fig)
    load_bench(os.path.join(root, "bench", "results.md"), fig)
    load_tree(root, shared, fig)

    docs, bad, checked, rewritten = {}, 0, 0, 0
    for lineno, line in enumerate(open(os.path.join(root, "scripts", "figures.claims")), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split(" | ")
        tol = 0.0
        if len(parts) > 3 and re.fullmatch(r"\s*[0-9.]+%\s*", parts[-1]):
            tol = float(parts.pop().strip().rstrip("%")) / 100
        if len(parts) < 3:
            print("figures.claims:%d: want DOC | KEYS | TEXT [| TOL%%]" % lineno)
            bad += 1
            continue
        doc, keys, text = parts[0].strip(), parts[1].strip(), " | ".join(parts[2:]).strip()
        keys = [k.strip() for k in keys.split(",")]
        if doc not in docs:
            docs[doc] = open(os.path.join(root, doc)).read()
        pieces = [re.escape(p) for p in text.split("{}")]
        pieces = [re.sub(r"(\\\s|\s)+", r"\\s+", p) for p in pieces]
        if len(pieces) - 1 != len(keys):
            print("figures.claims:%d: %d {} but %d keys" % (lineno, len(pieces) - 1, len(keys)))
            bad += 1
            continue
        rx = re.compile(r"([0-9][0-9,]*(?:\.[0-9]+)?)".join(pieces))
        m = rx.search(docs[doc])
        if not m:
            print("FAIL %s: no text '%s' (figures.claims:%d): reworded? update the claim" % (doc, text, lineno))
            bad += 1
            continue
        edits = []
        for i, key in enumerate(keys):
            token = m.group(i + 1)
            quoted = float(token.replace(",", ""))
            measured = value_of(key, fig)
            checked += 1
            if measured is None:
                print("FAIL %s: '%s': no measurement %s (run the script that writes it)" % (doc, text, key))
                bad += 1
                continue
            want = render(measured, token)
            if tol:
                ok = abs(quoted - measured) <= tol * measured
            else:
                ok = quoted == float(want.replace(",", ""))
            if ok:
                continue
            if write:
                edits.append((m.span(i + 1), want))
                rewritten += 1
                print("wrote %s: %s -> %s (%s)" % (doc, token, want, key))
            else:
                print("FAIL %s: says %s where '%s' is, measured %s (%s)" % (doc, token, text, want, key))
                bad += 1
        if edits:
            new_text = docs[doc]
            for (start, end), want in reversed(edits):
                new_text = new_text[:start] + want + new_text[end:]
            docs[doc] = new_text
            with open(os.path.join(root, doc), "w") as f:
                f.write(new_text)
    for doc, name in dangling_names(root):
        print("FAIL %s: names %s(), which nothing declares" % (doc, name))
        bad += 1
    if write:
        print("figures: %d checked, %d rewritten" % (checked, rewritten))
    print("figures: %d figures checked, %d stale or missing" % (checked, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
