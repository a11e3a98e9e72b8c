#!/usr/bin/env python3
"""The include rule of src/: a file may include project headers only from its own folder
or from folders below it, in the order of the pipeline:

    base < input < image < text < layout < output < impose < app

Project includes are the quoted ones ("text/line.h"); they must name their folder. System
headers (<cairo.h>) are not checked.

usage: check_includes.py [--root DIR] [--allow FILE]

Prints FILE:LINE: error: ... for every violation not in the allow-list, and for every
allow-list entry that matches no violation any more (the list only shrinks); exits 1 if
there is any, else 0. --root is the repository (default: the one this file is in);
--allow the allow-list (default tests/tools/include-allow.txt under the root; each line
"FILE INCLUDED # why", # comments and blank lines ignored). The self-test is
tests/tools/test_check_includes.py.
"""
import argparse
import os
import re
import sys

LAYERS = ["base", "input", "image", "text", "layout", "output", "impose", "app"]
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def violations(root):
    """(file, line, included, message) for each include that breaks the rule, in file
    order. file is relative to root."""
    out = []
    src = os.path.join(root, "src")
    for folder in sorted(os.listdir(src)):
        fdir = os.path.join(src, folder)
        if not os.path.isdir(fdir):
            continue
        for name in sorted(os.listdir(fdir)):
            if not name.endswith((".c", ".h")):
                continue
            rel = f"src/{folder}/{name}"
            with open(os.path.join(fdir, name), encoding="utf-8", errors="replace") as f:
                for n, text in enumerate(f, 1):
                    m = INCLUDE.match(text)
                    if m:
                        why = check(folder, m.group(1))
                        if why:
                            out.append((rel, n, m.group(1), why))
    return out


def check(folder, included):
    """Why folder may not include included, or None."""
    order = " < ".join(LAYERS)
    if folder not in LAYERS:
        return f"src/{folder}/ is not a known stage folder ({order})"
    if "/" not in included:
        return f'"{included}" does not name its folder (write "{folder}/{included}")'
    target = included.split("/", 1)[0]
    if target not in LAYERS:
        return f'"{included}": {target}/ is not a stage folder of src/ ({order})'
    if LAYERS.index(target) > LAYERS.index(folder):
        return f'{folder}/ may not include "{included}": {target}/ comes after {folder}/ ({order})'
    return None


def read_allow(path):
    """{(file, included): line number in the allow-list}"""
    allow = {}
    if not os.path.exists(path):
        return allow
    with open(path, encoding="utf-8") as f:
        for n, text in enumerate(f, 1):
            text = text.split("#", 1)[0].strip()
            if not text:
                continue
            parts = text.split()
            if len(parts) != 2:
                raise SystemExit(f"{path}:{n}: error: want 'FILE INCLUDED  # why', got '{text}'")
            allow[(parts[0], parts[1])] = n
    return allow


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(here)))
    ap.add_argument("--allow")
    a = ap.parse_args(argv)
    allow_path = a.allow or os.path.join(a.root, "tests/tools/include-allow.txt")
    allow = read_allow(allow_path)
    found = violations(a.root)
    bad = 0
    used = set()
    for rel, n, inc, why in found:
        if (rel, inc) in allow:
            used.add((rel, inc))
            print(f"{rel}:{n}: note: allowed for now ({os.path.relpath(allow_path, a.root)}:{allow[(rel, inc)]}): {why}")
            continue
        print(f"{rel}:{n}: error: {why}")
        bad += 1
    for key, n in sorted(allow.items(), key=lambda kv: kv[1]):
        if key not in used:
            print(f"{os.path.relpath(allow_path, a.root)}:{n}: error: '{key[0]} {key[1]}' is allowed "
                  "but no longer happens: remove it from the list")
            bad += 1
    nfiles = sum(1 for d in LAYERS if os.path.isdir(os.path.join(a.root, "src", d))
                 for f in os.listdir(os.path.join(a.root, "src", d)) if f.endswith((".c", ".h")))
    print(f"include rule: {nfiles} files, {bad} violation{'s' if bad != 1 else ''}, "
          f"{len(used)} allowed for now")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
