#!/usr/bin/env python3
"""corpus_check.py: render every document of tests/corpus/ and check what comes out.

    corpus_check.py [-j 2] [--known FILE] [--update-known] [-v] [--only PATTERN]
    corpus_check.py --doc PKG/NAME.md        one document: its PDF and every problem

Each document listed in tests/corpus/MANIFEST is rendered as a new user would, with the
a5 layout and again in two columns (letter-2col): `pamphlet DOC -l LAYOUT --no-pdf
--dump-layout DUMP`. The run must end
- with exit 0: then the dump must pass every layout_check invariant with the source
  (words, figures, notes, tables, code lines kept as lines, nothing off the page or
  overlapping, no heading ending a page, ...);
- or with exit 1 and an error naming the document's FILE:LINE (the outcome issue 10
  accepts for input the program refuses, such as a picture that is not there: the
  corpus keeps the documents as their packages ship them, so a README's screenshot or
  badge is missing, and that must be a clear error, not a crash or an empty page).
Anything else (a signal, a sanitizer's abort, exit 2 or 3, an error without FILE:LINE, a
timeout of 60 s) is class "exit". Failures are keyed "corpus:PKG/NAME.md CLASS" (a5) or
"corpus:PKG/NAME.md@letter-2col CLASS" and compared with tests/corpus/KNOWN_DEFECTS
(known_defects.py).
Environment: PAMPHLET (default ./pamphlet).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
import known_defects  # noqa: E402
from gen_check import describe_exit  # noqa: E402
from layout_check import check  # noqa: E402

ROOT = os.path.normpath(os.path.join(_HERE, "..", ".."))
CORPUS = os.path.join(ROOT, "tests", "corpus")
KNOWN = os.path.join(CORPUS, "KNOWN_DEFECTS")
TITLE = """Known defects of the corpus (tests/tools/corpus_check.py over tests/corpus/MANIFEST).
Each line is a failure today's program shows on a real document; the fixes of issue 10
remove them. A failure not listed fails `make check`, and so does a listed one that no
longer happens."""


def documents():
    out = []
    with open(os.path.join(CORPUS, "MANIFEST"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                out.append(line.split("\t")[0])
    return out


LAYOUTS = ("a5", "letter-2col")  # (the first is the default: its keys name no layout)


def split_key(key):
    """(document, layout) of a key "PKG/NAME.md" or "PKG/NAME.md@LAYOUT"."""
    name, _, layout = key.partition("@")
    return name, layout or LAYOUTS[0]


def run_doc(key, tmp, pamphlet, pdf=None):
    """(key, outcome, [(class, message)]); outcome: "ok", "input error: ..." or "failed"."""
    name, layout = split_key(key)
    src = os.path.join(CORPUS, name)
    rel = os.path.relpath(src, ROOT)
    dump = os.path.join(tmp, key.replace("/", "__") + ".dump")
    cmd = [pamphlet, rel, "-l", layout, "--dump-layout", dump]
    cmd += ["-o", pdf] if pdf else ["--no-pdf"]
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=60, cwd=ROOT)
        rc, err = p.returncode, p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        rc, err = None, ""
    problems = []
    if rc == 0:
        try:
            problems = [(p.cls, p.text()) for p in check(dump, src)]
        except Exception as e:
            problems = [("exit", "layout_check could not read the dump: %s" % e)]
        outcome = "ok"
    elif rc == 1:
        m = re.search(r"^%s:(\d+)(?::\d+)?: error: (.*)$" % re.escape(rel), err, re.M)
        if m:
            outcome = "input error: line %s: %s" % (m.group(1), m.group(2)[:100])
        else:
            outcome = "failed"
            first = err.strip().split("\n")[0] if err.strip() else "(nothing on standard error)"
            problems = [("exit", "exit 1 without an error naming %s:LINE: %s" % (rel, first[:160]))]
    else:
        outcome = "failed"
        last = err.strip().split("\n")[-1] if err.strip() else ""
        problems = [("exit", "%s: %s" % ("timeout after 60 s" if rc is None else describe_exit(rc), last[:160]))]
    if os.path.exists(dump) and not pdf:
        os.remove(dump)
    return key, outcome, problems


def _work(args):
    return run_doc(*args)


def one(key, pamphlet):
    name, layout = split_key(key)
    folder = os.path.join(tempfile.gettempdir(), "pm-corpus")
    os.makedirs(folder, exist_ok=True)
    base = os.path.join(folder, key.replace("/", "__").replace(".md", ""))
    dump = os.path.join(folder, key.replace("/", "__")) + ".dump"
    _, outcome, problems = run_doc(key, folder, pamphlet, pdf=base + ".pdf")
    rel = os.path.relpath(os.path.join(CORPUS, name), ROOT)
    print("%s (%s): %s" % (rel, layout, outcome))
    print("  render: %s %s -l %s -o %s.pdf --dump-layout %s" % (os.path.relpath(pamphlet, ROOT), rel, layout, base, dump))
    print("  check:  tests/tools/layout_check.py %s --source %s" % (dump, rel))
    print("  look:   pdftoppm -r 50 -png %s.pdf %s" % (base, base))
    for cls, msg in problems:
        print("  %s: %s" % (cls, msg))
    print("%d problem(s)" % len(problems))
    return 1 if problems else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description="The corpus, rendered and checked (see the module docstring).")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--known", default=KNOWN)
    ap.add_argument("--update-known", action="store_true")
    ap.add_argument("--doc", help="one document (PKG/NAME.md as in MANIFEST, @LAYOUT after it for another layout "
                                  "than a5): keep its PDF, print every problem")
    ap.add_argument("--only", help="only the documents whose name contains this")
    ap.add_argument("--every", type=int, default=1, help="every N-th document only (the sanitized runs)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    pamphlet = os.path.abspath(os.environ.get("PAMPHLET") or os.path.join(ROOT, "pamphlet"))
    if not os.access(pamphlet, os.X_OK):
        print("corpus_check: no program at %s (run make)" % pamphlet)
        return 2
    if a.doc:
        return one(a.doc, pamphlet)
    docs = [d for d in documents() if not a.only or a.only in d][::max(1, a.every)]
    t0 = time.time()
    tmp = tempfile.mkdtemp(prefix="pm-corpus.")
    try:
        jobs = [(d if layout == LAYOUTS[0] else d + "@" + layout, tmp, pamphlet) for d in docs for layout in LAYOUTS]
        if a.jobs > 1:
            with ProcessPoolExecutor(max_workers=a.jobs) as ex:
                results = list(ex.map(_work, jobs, chunksize=2))
        else:
            results = [_work(j) for j in jobs]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    n_ok = sum(1 for _, o, _ in results if o == "ok")
    n_in = sum(1 for _, o, _ in results if o.startswith("input error"))
    print("corpus_check: %d documents in %d layouts in %.1f s (%d jobs): %d rendered, %d refused with FILE:LINE, "
          "%d failed to run" % (len(docs), len(LAYOUTS), time.time() - t0, a.jobs, n_ok, n_in, len(results) - n_ok - n_in))
    if a.verbose:
        for name, outcome, _ in results:
            if outcome != "ok":
                print("  %s: %s" % (name, outcome))
    return known_defects.report([("corpus:" + n, p) for n, _, p in results], a.known, TITLE,
                                lambda key: "tests/tools/corpus_check.py --doc %s" % key[7:],
                                update=a.update_known, verbose=a.verbose,
                                out=lambda m: print("corpus_check: " + m if not m.startswith((" ", "NEW", "now")) else m))


if __name__ == "__main__":
    sys.exit(main())
