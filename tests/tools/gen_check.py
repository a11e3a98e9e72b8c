#!/usr/bin/env python3
"""gen_check.py: lay out many random pamphlets (gen_doc.py) and check each (layout_check.py).

    gen_check.py [--seeds 0-499] [-j 2] [--known FILE] [--update-known] [--script hebrew]
    gen_check.py --seed N [--keep DIR]     one seed, every problem, the files kept

--script hebrew checks the right-to-left documents of the seeds (gen_doc.py --script;
known defects keyed "he:SEED" instead of "gen:SEED"); --columns the documents set in two
columns (gen_doc.py --columns; keys "gen-c:SEED", "he-c:SEED").

Each seed's document is rendered with `pamphlet DOC -l LAYOUT --no-pdf --dump-layout`;
the run must end with exit 0 (the pictures all exist) and the dump must pass every
layout_check invariant with the source. Failures are keyed "gen:SEED CLASS" and compared
with the known-defects list (known_defects.py): the run fails on a failure not listed and
on a listed one that no longer happens ("now fixed: remove from the list").

Environment: PAMPHLET (default ./pamphlet), GEN_SEEDS (default 0-499, e.g. "0-99"),
GEN_SCRIPT (default latin).
The whole run's wall time is printed; a timed-out render (60 s) counts as "exit".
"""
import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
import gen_doc  # noqa: E402
import known_defects  # noqa: E402
from layout_check import check  # noqa: E402

ROOT = os.path.normpath(os.path.join(_HERE, "..", ".."))
KNOWN = os.path.join(ROOT, "tests", "generated", "KNOWN_DEFECTS")
TITLE = """Known defects of the random documents (tests/tools/gen_check.py, seeds of gen_doc.py).
Each line is a failure today's program shows; the fixes of issue 10 remove them. A failure
not listed fails `make check`, and so does a listed one that no longer happens."""


def parse_seeds(spec):
    out = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b) + 1)) if b else [int(a)]
    return out


def describe_exit(rc):
    if rc < 0:
        try:
            return "killed by %s" % signal.Signals(-rc).name
        except ValueError:
            return "killed by signal %d" % -rc
    return "exit %d" % rc


def _limit_memory():
    """A render that runs away (pages without end) fails at 4 GiB instead of filling the
    machine's memory within its minute; not under the sanitizers, whose shadow memory is
    terabytes of address space."""
    if not (os.environ.get("ASAN_OPTIONS") or os.environ.get("TSAN_OPTIONS")):
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def run_seed(seed, folder, pamphlet, keep=False, pdf=False, script="latin", columns=False):
    """[(class, message)] of one seed; the files are removed unless keep."""
    md, lay = gen_doc.write(seed, folder, script, columns)
    base = os.path.join(folder, gen_doc.name(seed, script, columns))
    dump = base + ".dump"
    cmd = [pamphlet, md, "-l", lay, "--dump-layout", dump, "-q"]
    cmd += ["-o", base + ".pdf"] if pdf else ["--no-pdf"]
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=60, preexec_fn=_limit_memory)
        rc, err = p.returncode, p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        rc, err = None, "timed out after 60 s"
    problems = []
    if rc != 0:
        last = err.strip().split("\n")[-1] if err.strip() else ""
        problems.append(("exit", "%s: %s" % ("timeout" if rc is None else describe_exit(rc), last[:200])))
    else:
        try:
            problems = [(p.cls, p.text()) for p in check(dump, md)]
        except Exception as e:  # a dump the checker cannot read is a failure too
            problems = [("exit", "layout_check could not read the dump: %s" % e)]
    if not keep:
        for f in (md, lay, dump):
            if os.path.exists(f):
                os.remove(f)
    return seed, problems


def _work(args):
    return run_seed(*args)


def one(seed, pamphlet, keep, script="latin", columns=False):
    n = gen_doc.name(seed, script, columns)
    folder = keep or os.path.join(tempfile.gettempdir(), "pm-" + n)
    os.makedirs(folder, exist_ok=True)
    _, problems = run_seed(seed, folder, pamphlet, keep=True, pdf=True, script=script, columns=columns)
    base = os.path.join(folder, n)
    print("seed %d: %s.md, layout %s.yaml" % (seed, base, base))
    print("  render: %s %s.md -l %s.yaml -o %s.pdf --dump-layout %s.dump" % (os.path.relpath(pamphlet), base, base, base, base))
    print("  check:  tests/tools/layout_check.py %s.dump --source %s.md" % (base, base))
    print("  look:   pdftoppm -r 50 -png %s.pdf %s/p" % (base, folder))
    for cls, msg in problems:
        print("  %s: %s" % (cls, msg))
    print("%d problem(s)" % len(problems))
    return 1 if problems else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description="Random pamphlets, laid out and checked (see the module docstring).")
    ap.add_argument("--seeds", default=os.environ.get("GEN_SEEDS", "0-499"))
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--known", default=KNOWN)
    ap.add_argument("--update-known", action="store_true", help="write the failures found as the known list")
    ap.add_argument("--seed", type=int, help="one seed: keep its files, render its PDF, print every problem")
    ap.add_argument("--keep", help="with --seed: the folder to write into (default /tmp/pm-gen-SEED)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every failure, known ones too")
    ap.add_argument("--script", choices=gen_doc.SCRIPTS, default=os.environ.get("GEN_SCRIPT", "latin"),
                    help="hebrew: the right-to-left documents of the seeds")
    ap.add_argument("--columns", action="store_true", default=os.environ.get("GEN_COLUMNS") == "1",
                    help="the documents set in two columns")
    a = ap.parse_args(argv)
    pamphlet = os.path.abspath(os.environ.get("PAMPHLET") or os.path.join(ROOT, "pamphlet"))
    if not os.access(pamphlet, os.X_OK):
        print("gen_check: no program at %s (run make)" % pamphlet)
        return 2
    if a.seed is not None:
        return one(a.seed, pamphlet, a.keep, a.script, a.columns)
    seeds = parse_seeds(a.seeds)
    t0 = time.time()
    tmp = tempfile.mkdtemp(prefix="pm-gen.")
    try:
        gen_doc.write_images(["%s.png" % s[0] for s in gen_doc.SHAPES], os.path.join(tmp, "images"))
        jobs = [(s, tmp, pamphlet, False, False, a.script, a.columns) for s in seeds]
        if a.jobs > 1:
            with ProcessPoolExecutor(max_workers=a.jobs) as ex:
                results = list(ex.map(_work, jobs, chunksize=4))
        else:
            results = [_work(j) for j in jobs]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.time() - t0
    print("gen_check: %d documents in %.1f s (%d jobs)" % (len(seeds), elapsed, a.jobs))
    prefix, opt = ("gen", "") if a.script == "latin" else ("he", " --script " + a.script)
    if a.columns:
        prefix, opt = prefix + "-c", opt + " --columns"
    return known_defects.report([("%s:%d" % (prefix, s), p) for s, p in results], a.known, TITLE,
                                lambda key: "tests/tools/gen_check.py%s --seed %s" % (opt, key.split(":")[1]),
                                update=a.update_known, verbose=a.verbose,
                                out=lambda m: print("gen_check: " + m if not m.startswith((" ", "NEW", "now")) else m))

if __name__ == "__main__":
    sys.exit(main())
