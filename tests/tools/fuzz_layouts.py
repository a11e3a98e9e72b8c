#!/usr/bin/env python3
"""The layout invariants on fuzzed inputs (issue 10: "run it ... on the fuzz harnesses'
outputs").

Each input is rendered as fuzz/fuzz_render.c renders it: in a scratch folder holding the
images of fuzz/render-images.txt, with the fixed layout fuzz/render.yaml, through the
real program with --dump-layout. Then:
  exit 0  the dump must pass tests/tools/layout_check.py against the input (nothing off
          the page or overlapping, every word, figure and note, in order);
  exit 1  the input was refused: the message must name in.md and a line;
  other   (a signal, a sanitizer report, exit 2 or 3, a timeout) is a failure.

Inputs: every file of fuzz/regress/render/ and fuzz/regress/content/ (what libFuzzer
found), every file of fuzz/corpus-render/ when a fuzzing run has left one (`make fuzz`;
not in git; --max caps it), and --mutants N inputs made here by mutating the goldens'
inputs the way libFuzzer's mutators do (bytes changed, lines dropped, repeated, swapped,
a Markdown token inserted), seeded, so that the same inputs are tried every time.

    tests/tools/fuzz_layouts.py [--mutants 150] [--max 300] [-j 2] [--keep DIR] [--update-known]

Failures known today are listed in fuzz/KNOWN_DEFECTS (tests/tools/known_defects.py: a
failure not listed fails, and so does a listed one that no longer happens).
"""
import argparse
import glob
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import known_defects  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOKENS = ["# ", "## ", "> ", "- ", "1. ", "**", "*", "`", "```\n", "~~", "[^1]", "\n[^1]: a note\n",
          "![a figure](photo.jpg)\n", "![](rgb.png){width=150%}\n", "| a | b |\n|---|---|\n| 1 | 2 |\n",
          "\\newpage\n", "::: columns\n", ":::\n", "{.back-cover}", "<br>", "<div>x</div>\n",
          "https://example.org/a/b", "\u00a0", "\t", "\n\n"]
# (no scripts the fuzz layout has no font for: a character no font has is a warning, by
# design, and the checker would count its word as missing)


def scratch():
    d = tempfile.mkdtemp(prefix="pm-fuzzlay-")
    os.makedirs(os.path.join(d, "images"))
    with open(os.path.join(ROOT, "fuzz", "render-images.txt")) as f:
        for line in f:
            p = line.split()
            if len(p) == 2 and not line.startswith("#"):
                shutil.copy(os.path.join(ROOT, p[0]), os.path.join(d, p[1]))
    for f in glob.glob(os.path.join(ROOT, "tests", "data", "images", "*")):  # (the goldens' figures)
        if not os.path.exists(os.path.join(d, os.path.basename(f))):
            shutil.copy(f, d)
    shutil.copy(os.path.join(ROOT, "fuzz", "render.yaml"), os.path.join(d, "layout.yaml"))
    return d


def mutate(text, rng):
    lines = text.split("\n")
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(6)
        if not lines:
            lines = [""]
        k = rng.randrange(len(lines))
        if op == 0:
            del lines[k]
        elif op == 1:
            lines.insert(k, lines[rng.randrange(len(lines))])
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[k], lines[j] = lines[j], lines[k]
        elif op == 3:
            s = lines[k]
            i = rng.randint(0, len(s))
            lines[k] = s[:i] + rng.choice(TOKENS) + s[i:]
        elif op == 4 and lines[k]:
            s = lines[k]
            i = rng.randrange(len(s))
            lines[k] = s[:i] + chr(rng.choice([0x20, 0x2a, 0x5f, 0x7c, 0x5b, 0x5d, 0x23, rng.randint(0x21, 0x7e)])) + s[i + 1:]
        else:
            s = lines[k]
            i, j = sorted((rng.randint(0, len(s)), rng.randint(0, len(s))))
            lines[k] = s[:i] + s[j:]
    return "\n".join(lines)


def _read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


def inputs(args):
    out = []
    for sub in ("render", "content"):
        for f in sorted(glob.glob(os.path.join(ROOT, "fuzz", "regress", sub, "*"))):
            with open(f, "rb") as fh:
                out.append(("regress/%s/%s" % (sub, os.path.basename(f)), fh.read()))
    corpus = sorted(glob.glob(os.path.join(ROOT, "fuzz", "corpus-render", "*")))
    if len(corpus) > args.max:
        corpus = random.Random(1).sample(corpus, args.max)
    for f in corpus:
        with open(f, "rb") as fh:
            out.append(("corpus-render/%s" % os.path.basename(f), fh.read()))
    # the goldens' inputs, but those whose own layout brings fonts for other scripts
    seeds = [f for f in sorted(glob.glob(os.path.join(ROOT, "tests", "golden", "*.md")))
             if not re.search(r"(fallback|family):", _read(f[:-3] + ".yaml"))]
    rng = random.Random(20261128)
    for n in range(args.mutants):
        f = seeds[n % len(seeds)]
        with open(f, encoding="utf-8") as fh:
            text = fh.read().replace("../data/images/", "")
        out.append(("mutant-%d" % n, mutate(text, rng).encode("utf-8")))
    return out


def run_one(name, data, binary, keep):
    """[(class, message)] of one input: empty when it passes."""
    d = scratch()
    try:
        src = os.path.join(d, "in.md")
        with open(src, "wb") as f:
            f.write(data)
        try:
            p = subprocess.run([binary, "in.md", "-l", "layout.yaml", "--no-pdf", "--dump-layout", "out.dump", "-q"],
                               cwd=d, capture_output=True, timeout=120)
        except subprocess.TimeoutExpired:
            return [("exit", "timeout after 120 s")]
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode == 1:
            if re.search(r"^in\.md:\d+(:\d+)?: error: ", err, re.M):
                return []
            return [("exit", "exit 1 without an error naming in.md and a line: " + err[:200])]
        if p.returncode != 0:
            return [("exit", "exit %d: %s" % (p.returncode, err[:300]))]
        c = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "tools", "layout_check.py"), "out.dump",
                            "--source", "in.md"], cwd=d, capture_output=True, timeout=300)
        if c.returncode == 0:
            return []
        probs = []
        for line in (c.stdout + c.stderr).decode("utf-8", "replace").strip().split("\n"):
            m = re.match(r"out\.dump: ([\w-]+): (.*)", line)
            probs.append((m.group(1), m.group(2)) if m else ("exit", "layout_check: " + line))
        if keep:
            shutil.copytree(d, os.path.join(keep, name.replace("/", "_")), dirs_exist_ok=True)
        return probs
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mutants", type=int, default=150)
    ap.add_argument("--max", type=int, default=300, help="at most this many files of fuzz/corpus-render/")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--keep", help="copy each failing case's folder here")
    ap.add_argument("--known", default=os.path.join(ROOT, "fuzz", "KNOWN_DEFECTS"))
    ap.add_argument("--update-known", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--bin", default=os.environ.get("PAMPHLET", os.path.join(ROOT, "pamphlet")))
    args = ap.parse_args()
    todo = inputs(args)
    with ThreadPoolExecutor(args.jobs) as ex:
        res = list(ex.map(lambda t: ("fuzz:" + t[0], run_one(t[0], t[1], args.bin, args.keep)), todo))
    title = ("Known defects of fuzzed inputs (tests/tools/fuzz_layouts.py: the fuzzers' regressions and\n"
             "seeded mutants of the goldens' inputs, rendered as fuzz_render does and checked).")
    rc = known_defects.report(res, args.known, title,
                              lambda key: "tests/tools/fuzz_layouts.py --keep /tmp/fz  (then /tmp/fz/%s)"
                              % key.split(":", 1)[1].replace("/", "_"),
                              update=args.update_known, verbose=args.verbose,
                              out=lambda m: print("fuzz_layouts: " + m))
    print("fuzz_layouts: %d inputs" % len(res))
    return rc


if __name__ == "__main__":
    sys.exit(main())
