#!/usr/bin/env python3
"""run.py - the benchmark behind `make bench` (issue 5; issue 4 for paragraph layout).

Runs, side by side and interleaved so that load from other processes hits them alike:

  floor     build-bench/floor: the same paragraphs wrapped by Pango and written with Cairo
  reading   ./pamphlet SOURCE -o OUT.pdf
  booklet   ./pamphlet SOURCE -o OUT.pdf --booklet BOOKLET.pdf
  twocol    ./pamphlet SOURCE -l a5-2col.yaml -o OUT.pdf (a5 in two columns; not on the book)
  fit       ./pamphlet SOURCE -o OUT.pdf --booklet BOOKLET.pdf --pages fit (not on the book)

on content/1917.md and on a ~400-page book made of both samples repeated (written to
build-bench/book.md, images kept); reading and booklet also on content/common-sense.md, for
what imposing by reference adds to each sample. Each run is started by build-bench/rusage
(bench/rusage.c), which forks and execs the program and reports the wall time from fork
to wait4 (CLOCK_MONOTONIC), the CPU time and the peak memory (ru_maxrss, KiB) from wait4's
rusage. (Popen + os.wait4 from here would report Python's own peak memory for every child:
Linux counts the memory a process had before exec, and Python spawns with vfork.) Each
case gets one untimed warm-up run, then N timed runs; medians are reported with min and
max. Then build-bench/parabench (paragraph setting against Pango's own wrapping,
in-process) and build-bench/watchlat (watch mode latency). See docs/bench.md.

Prints a table and writes it as Markdown to bench/results.md (and the raw numbers to
build-bench/results.json). Standard library only.

  python3 bench/run.py [--runs 21] [--book-runs 7] [--edits 20] [--rounds 21] [--quick]
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOOK_PAGES = 400

# targets: a measured value at most the limit passes
T_READING = 1.0        # reading PDF / floor, content/1917.md
T_BOOKLET = 1.3        # reading + booklet / floor, content/1917.md
T_OVERHEAD = 1.10      # reading + booklet / reading alone, each sample (booklet imposed by reference)
T_MEM_1917 = 40.0      # MiB
T_PER_PAGE = 1.2       # book time per page / 1917 time per page
T_MEM_BOOK = 150.0     # MiB
T_PARA = 1.0           # paragraph setting / Pango's own wrapping
T_WATCH = 100.0        # ms
T_TWOCOL = 1.3         # a5 in two columns / a5, each sample (issue 12)
T_FIT = 2.0            # --pages fit / the same run without it, each sample (issue 13)


def sh(cmd, **kw):
    return subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


RUSAGE = None  # build-bench/rusage, set in main()


def run_once(cmd):
    """Wall seconds, CPU seconds (user + system), peak RSS in KiB and exit code of one run
    of cmd (output discarded). The command is started by build-bench/rusage (see
    bench/rusage.c: with Python's vfork the child's ru_maxrss would include Python's own
    memory), which reports wall time from fork to wait4, and the rusage of the command."""
    p = subprocess.Popen([RUSAGE] + cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    m = re.search(rb"RUSAGE wall_ms=(\S+) user_ms=(\S+) sys_ms=(\S+) maxrss_kib=(\d+) status=(-?\d+)", out)
    if p.returncode or not m:
        sys.exit(f"bench: {RUSAGE} failed: {err.decode(errors='replace')}")
    wall, user, system = (float(x) / 1e3 for x in m.groups()[:3])
    return wall, user + system, int(m.group(4)), int(m.group(5))


def check_run(name, cmd):
    """One run that must succeed (also the warm-up); shows the error if it does not."""
    r = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode:
        sys.exit(f"bench: {name} failed (exit {r.returncode}): {' '.join(cmd)}\n{r.stderr[-2000:]}")
    return r.stdout


def pdf_pages(path):
    r = sh(["pdfinfo", path])
    m = re.search(r"^Pages:\s+(\d+)", r.stdout, re.M)
    if not m:
        sys.exit(f"bench: pdfinfo {path} failed: {r.stderr}")
    return int(m.group(1))


def measure(groups):
    """groups: {group: (cases, runs)} with cases {name: cmd}. One warm-up run of every case,
    then rounds: each round runs every case of a group once, the order rotated by one each
    round; a group with fewer runs takes part in rounds spread evenly over the whole time,
    so that every group sees the same load. Returns {group: {name: stats}}."""
    for cases, _ in groups.values():
        for n, cmd in cases.items():
            check_run(n, cmd)
    res = {g: {n: {"t": [], "cpu": [], "rss": []} for n in cases} for g, (cases, _) in groups.items()}
    rounds = max(r for _, r in groups.values())
    for i in range(rounds):
        gs = list(groups.items())
        if i % 2:
            gs.reverse()
        for g, (cases, runs) in gs:
            if (i + 1) * runs // rounds == i * runs // rounds:
                continue
            names = list(cases)
            k = i % len(names)
            for n in names[k:] + names[:k]:
                t, cpu, rss, rc = run_once(cases[n])
                if rc:
                    sys.exit(f"bench: {n} failed (exit {rc}) in round {i + 1}: {' '.join(cases[n])}")
                res[g][n]["t"].append(t)
                res[g][n]["cpu"].append(cpu)
                res[g][n]["rss"].append(rss)
    for g in res.values():
        for r in g.values():
            t = r["t"]
            r.update(med=statistics.median(t), min=min(t), max=max(t), cpu_med=statistics.median(r["cpu"]),
                     peak_mib=max(r["rss"]) / 1024.0)
    return res


# ---- the 400-page book ----

def body_of(path):
    text = open(os.path.join(ROOT, path), encoding="utf-8").read()
    m = re.match(r"---\n.*?\n---\n", text, re.S)
    return text[m.end():] if m else text


def make_book(path, reps):
    """Both samples' bodies, reps times each, with a cover; image paths point at
    content/images (relative to build-bench/), footnote labels made unique per copy."""
    rel = os.path.relpath(os.path.join(ROOT, "content"), os.path.dirname(path))
    parts = ["---\n"
             'title: "The Bench Book"\n'
             'subtitle: "1917 and Common Sense, again and again"\n'
             'author: "pamphlet make bench"\n'
             'date: "2024"\n'
             "lang: en-US\n"
             f"cover: {rel}/images/common-sense-cover.jpg\n"
             "---\n"]
    for r in range(reps):
        for name in ("content/1917.md", "content/common-sense.md"):
            b = body_of(name)
            b = b.replace("](images/", f"]({rel}/images/")
            b = re.sub(r"\[\^([^\]\s]+)\]", lambda m: f"[^r{r}-{m.group(1)}]", b)
            parts.append(b.rstrip("\n") + "\n\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(parts))


def build_book(prog, outdir):
    path = os.path.join(outdir, "book.md")
    pdf = os.path.join(outdir, "book-probe.pdf")
    p1917 = pdf_pages(os.path.join(outdir, "pm-1917.pdf"))
    check_run("pamphlet common-sense", [prog, "content/common-sense.md", "-q", "-o", pdf])
    pcs = pdf_pages(pdf)
    reps = max(1, round(BOOK_PAGES / (p1917 + pcs)))
    for _ in range(4):
        make_book(path, reps)
        check_run("pamphlet book", [prog, path, "-q", "-o", pdf])
        pages = pdf_pages(pdf)
        per = pages / reps
        if abs(pages - BOOK_PAGES) <= per / 2 + 1:
            break
        reps = max(1, round(BOOK_PAGES / per))
    os.unlink(pdf)
    return path, reps, pages


# ---- helpers for the report ----

def kv(line):
    return dict(re.findall(r'(\w+)=("[^"]*"|\S+)', line))


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f", {int(line.split()[1]) / 1048576:.1f} GiB RAM"
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, Linux {platform.release()}"


def commit():
    r = sh(["git", "rev-parse", "--short", "HEAD"])
    c = r.stdout.strip() or "unknown"
    if sh(["git", "diff-index", "--quiet", "HEAD", "--"]).returncode == 1:
        c += " + uncommitted changes"
    return c


def ms(s):
    return f"{s * 1e3:.1f} ms"


def verdict(value, limit):
    return "PASS" if value <= limit else "FAIL"


# ---- Typst 0.14 side by side (issue 16) ----

TYPST_DOCS = (("1917", "content/1917.md", 1), ("common-sense", "content/common-sense.md", 1),
              ("cs8", "content/common-sense.md", 8))


def make_typst_inputs(out, name, src, reps):
    """build-bench/typst/NAME/NAME.md (Common Sense 8 times for cs8, footnotes renamed per
    copy) and NAME.typ (bench/md2typ.py), with the images beside them (watchlat and Typst
    both take them from there)."""
    d = os.path.join(out, "typst", name)
    os.makedirs(d, exist_ok=True)
    img = os.path.join(d, "images")
    if not os.path.isdir(img):
        import shutil
        shutil.copytree(os.path.join(ROOT, "content", "images"), img)
    md = os.path.join(d, name + ".md")
    if reps == 1:
        text = open(os.path.join(ROOT, src), encoding="utf-8").read()
    else:
        text = open(os.path.join(ROOT, src), encoding="utf-8").read()
        m = re.match(r"---\n.*?\n---\n", text, re.S)
        fm, b = text[:m.end()], text[m.end():]
        parts = [fm]
        for r in range(reps):
            parts.append(re.sub(r"\[\^([^\]\s]+)\]", lambda m: f"[^r{r}-{m.group(1)}]", b).rstrip("\n") + "\n\n")
        text = "".join(parts)
    with open(md, "w", encoding="utf-8") as f:
        f.write(text)
    typ = os.path.join(d, name + ".typ")
    r = sh(["python3", "bench/md2typ.py", md, typ])
    if r.returncode:
        sys.exit(f"bench: md2typ {md} failed: {r.stderr}")
    return md, typ


def typst_bench(a, prog, out):
    """First build and one-word-edit rebuild, Typst (in process, bench/typst.js) against
    pamphlet (first build: a whole run; rebuild: --watch, reading PDF + booklet, through
    watchlat), on 1917, Common Sense and Common Sense 8 times. Returns rows for the table,
    or None when the node binding is not installed."""
    mods = a.typst_modules
    if not os.path.isdir(os.path.join(mods, "@myriaddreamin", "typst-ts-node-compiler")):
        print(f"Typst: no node binding in {mods} (npm unreachable?): Typst comparison skipped", flush=True)
        return None, None
    rows, raw = [], {}
    for name, src, reps in TYPST_DOCS:
        md, typ = make_typst_inputs(out, name, src, reps)
        runs = a.typst_runs if reps == 1 else max(2, a.typst_runs // 2)
        pdf = os.path.join(out, "typst", name, name + "-typst.pdf")
        print(f"Typst vs pamphlet on {name}: {runs} first builds each, interleaved, "
              f"{a.typst_edits} edits per Typst run, {a.edits} pamphlet --watch edits ...", flush=True)
        ty_first, ty_lat, pm_first, pm_first_b, ty_pages = [], [], [], [], 0
        pm_cmd = [prog, md, "-q", "-o", os.path.join(out, "typst", name, name + ".pdf")]
        pm_cmd_b = pm_cmd + ["--booklet", os.path.join(out, "typst", name, name + "-booklet.pdf")]
        check_run("pamphlet " + name, pm_cmd_b)
        for i in range(runs + 1):  # run 0: warm-up
            order = [0, 1, 2] if i % 2 else [2, 1, 0]
            for k in order:
                if k == 0:
                    r = sh(["node", "bench/typst.js", mods, typ, "fonts", pdf, str(a.typst_edits)])
                    line = next((l for l in r.stdout.splitlines() if l.startswith("TYPST status=ok")), None)
                    if not line:
                        sys.exit(f"bench: Typst on {typ} failed:\n{r.stdout}\n{r.stderr[-3000:]}")
                    t = kv(line)
                    ty_pages = int(t["pages"])
                    if i:
                        ty_first.append(float(t["first_ms"]))
                        ty_lat += [float(x) for x in t["lat"].split(",")]
                else:
                    w, _, _, rc = run_once(pm_cmd if k == 1 else pm_cmd_b)
                    if rc:
                        sys.exit(f"bench: pamphlet {name} failed")
                    if i:
                        (pm_first if k == 1 else pm_first_b).append(w * 1e3)
        watch = {}
        for booklet in (False, True):
            cmd = [os.path.join(out, "watchlat"), "-n", str(a.edits), "-p", prog] + (["--booklet"] if booklet else []) + [md]
            r = sh(cmd)
            line = next((l for l in r.stdout.splitlines() if l.startswith("WATCHLAT")), "WATCHLAT status=error")
            watch[booklet] = kv(line)
            if watch[booklet].get("status") != "ok":
                sys.exit(f"bench: watchlat {name} failed: {line}\n{r.stderr[-2000:]}")
        pages = pdf_pages(os.path.join(out, "typst", name, name + ".pdf"))
        med = statistics.median
        tf, tl = med(ty_first), med(ty_lat)
        pf, pfb = med(pm_first), med(pm_first_b)
        wr, wb = float(watch[False]["median_ms"]), float(watch[True]["median_ms"])
        lim = 1.0 if reps > 1 else 0.8
        label = f"{name} ({pages} pages; Typst {ty_pages})"
        rows.append((f"{label}: first build, Typst / pamphlet / pamphlet + booklet",
                     f"{tf:.0f} / {pf:.0f} / {pfb:.0f} ms", f"{pf / tf:.2f} × Typst",
                     "≤ 0.25 × Typst", verdict(pf / tf, 0.25)))
        rows.append((f"{label}: one-word edit, Typst incremental / pamphlet --watch / + booklet",
                     f"{tl:.1f} / {wr:.1f} / {wb:.1f} ms", f"{wb / tl:.2f} × Typst (with booklet)",
                     f"≤ {lim} × Typst", verdict(wb / tl, lim)))
        raw[name] = {"typst_first_ms": ty_first, "typst_edit_ms": ty_lat, "pm_first_ms": pm_first,
                     "pm_first_booklet_ms": pm_first_b, "watch": watch[False], "watch_booklet": watch[True],
                     "pages": pages, "typst_pages": ty_pages}
        if reps == 1:
            rows.append(twocol_spacing(mods, out, name, md, prog))
    return rows, raw


def twocol_spacing(mods, out, name, md, prog):
    """Word spacing in two columns (issue 12): layouts/letter-2col.yaml against the same page
    and text settings in Typst (md2typ --letter-2col), tests/tools/spacing.py on both."""
    d = os.path.join(out, "typst", name)
    typ, ty_pdf, pm_pdf = (os.path.join(d, name + s) for s in ("-2col.typ", "-2col-typst.pdf", "-2col.pdf"))
    if sh(["python3", "bench/md2typ.py", md, typ, "--letter-2col"]).returncode:
        sys.exit(f"bench: md2typ --letter-2col {md} failed")
    r = sh(["node", "bench/typst.js", mods, typ, "fonts", ty_pdf, "0"])
    if "TYPST status=ok" not in r.stdout:
        sys.exit(f"bench: Typst on {typ} failed:\n{r.stdout}\n{r.stderr[-3000:]}")
    check_run("pamphlet " + name + " letter-2col", [prog, md, "-q", "-l", "layouts/letter-2col.yaml", "-o", pm_pdf])
    sp = {k: kv(sh(["python3", "tests/tools/spacing.py", f]).stdout) for k, f in (("ty", ty_pdf), ("pm", pm_pdf))}
    t, p = sp["ty"], sp["pm"]
    ok = float(p["p95_gap_em"]) <= float(t["p95_gap_em"]) and float(p["loose_share"]) <= float(t["loose_share"])
    return (f"{name} in two columns (letter-2col): word spacing p95 / loose lines, Typst / pamphlet",
            f"{t['p95_gap_em']} / {p['p95_gap_em']} em, {float(t['loose_share']):.1%} / {float(p['loose_share']):.1%}",
            f"{float(p['p95_gap_em']) / float(t['p95_gap_em']):.2f} × Typst (p95)",
            "≤ Typst's", "PASS" if ok else "FAIL")


def print_typst(rows):
    header = ("Typst 0.14 side by side (medians)", "Typst / pamphlet", "ratio", "target", "result")
    w = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    print()
    for r in [header] + rows:
        print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)).rstrip())
    print("Typst first build: in process, NodeCompiler.create() to the PDF in memory (node's start-up not "
          "counted); pamphlet's: the whole run, start-up included. Edits: Typst pdf() after addSource() of "
          "the edited text, in process; pamphlet: edit written to the PDF(s) renamed into place (watchlat).")
    return ["", "## Typst 0.14 side by side", "", "| " + " | ".join(header) + " |",
            "| " + " | ".join("---" for _ in header) + " |"] + ["| " + " | ".join(r) + " |" for r in rows]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pamphlet", default="./pamphlet")
    ap.add_argument("--bin", default="build-bench", help="folder of floor, parabench, watchlat; book and PDFs go here")
    ap.add_argument("--runs", type=int, default=21, help="timed runs of each program on content/1917.md")
    ap.add_argument("--book-runs", type=int, default=7, help="timed runs on the book")
    ap.add_argument("--rounds", type=int, default=21, help="rounds of the paragraph benchmark")
    ap.add_argument("--edits", type=int, default=20, help="edits in the watch mode benchmark")
    ap.add_argument("--results", default="bench/results.md")
    ap.add_argument("--quick", action="store_true", help="few runs, to try the benchmark out")
    ap.add_argument("--typst-modules", default="build/typst-node/node_modules",
                    help="node_modules holding @myriaddreamin/typst-ts-node-compiler (mk/bench.mk installs it)")
    ap.add_argument("--typst-runs", type=int, default=5, help="first builds of each program per document")
    ap.add_argument("--typst-edits", type=int, default=10, help="edits per Typst run")
    ap.add_argument("--typst-only", action="store_true", help="only the Typst comparison")
    a = ap.parse_args()
    if a.quick:
        a.runs, a.book_runs, a.rounds, a.edits, a.typst_runs, a.typst_edits = 3, 1, 3, 4, 2, 4
    os.chdir(ROOT)
    out = a.bin
    os.makedirs(out, exist_ok=True)
    global RUSAGE
    prog, floor, RUSAGE = a.pamphlet, os.path.join(out, "floor"), os.path.join(out, "rusage")
    for p in (prog, floor, RUSAGE, os.path.join(out, "parabench"), os.path.join(out, "watchlat")):
        if not os.access(p, os.X_OK):
            sys.exit(f"bench: no {p}: run `make bench`")

    started = datetime.datetime.now().astimezone()
    load0 = os.getloadavg()
    t_start = time.perf_counter()
    print(f"pamphlet benchmark, {started:%Y-%m-%d %H:%M %Z}")
    print(f"machine: {machine()}")
    print(f"commit:  {commit()}")
    print(f"load average at start: {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}")
    print()

    if a.typst_only:
        trows, _ = typst_bench(a, prog, out)
        if trows:
            print_typst(trows)
        return

    # the reference layout in two columns (issue 12's cost of columns): a5 with page.columns: 2
    twocol = os.path.join(out, "a5-2col.yaml")
    with open(twocol, "w", encoding="utf-8") as f:
        f.write("extends: a5\npage:\n  columns: 2\n")

    def cases(src, tag):
        o = os.path.join(out, tag)
        return {
            "floor": [floor, "--fonts", "fonts", src, f"{o}-floor.pdf"],
            "reading": [prog, src, "-o", f"{o}.pdf"],
            "raw": [prog, src, "-o", f"{o}-raw.pdf", "--no-finish"],
            "booklet": [prog, src, "-o", f"{o}.pdf", "--booklet", f"{o}-booklet.pdf"],
            "twocol": [prog, src, "-l", twocol, "-o", f"{o}-2col.pdf"],
            "fit": [prog, src, "-o", f"{o}-fit.pdf", "--booklet", f"{o}-fit-booklet.pdf", "--pages", "fit"],
        }

    # content/1917.md and the book, interleaved
    c1917 = cases("content/1917.md", "pm-1917")
    check_run("pamphlet 1917", c1917["reading"])
    pages1917 = pdf_pages(os.path.join(out, "pm-1917.pdf"))
    floor_pages1917 = int(check_run("floor", c1917["floor"]).strip() or 0)
    book, reps, pages_book = build_book(prog, out)
    print(f"book: {book}, both samples {reps} times, {pages_book} pages (pdfinfo)", flush=True)
    cbook = {k: v for k, v in cases(book, "pm-book").items() if k not in ("twocol", "fit")}
    floor_pages_book = int(check_run("floor", cbook["floor"]).strip() or 0)
    print(f"floor, reading PDF, reading PDF without finishing, reading PDF + booklet: {a.runs} runs each on content/1917.md (and, without the floor, "
          f"on content/common-sense.md), {a.book_runs} on the book, interleaved ...", flush=True)
    ccs = {k: v for k, v in cases("content/common-sense.md", "pm-cs").items() if k != "floor"}
    res = measure({"1917": (c1917, a.runs), "common-sense": (ccs, a.runs), "book": (cbook, a.book_runs)})
    r1917, rcs, rbook = res["1917"], res["common-sense"], res["book"]

    # paragraph layout
    para = {}
    for src, rounds in (("content/1917.md", a.rounds), ("content/common-sense.md", max(3, a.rounds // 2))):
        print(f"paragraphs of {src}: {rounds} rounds of pamphlet's setting and Pango's wrapping ...", flush=True)
        r = sh([os.path.join(out, "parabench"), "-r", str(rounds), src])
        line = next((l for l in r.stdout.splitlines() if l.startswith("PARABENCH")), None)
        if r.returncode or not line:
            sys.exit(f"bench: parabench {src} failed:\n{r.stderr}")
        sys.stdout.write(r.stderr)
        para[src] = kv(line)

    # watch mode
    print(f"watch mode: {a.edits} edits of one paragraph of content/1917.md ...", flush=True)
    r = sh([os.path.join(out, "watchlat"), "-n", str(a.edits), "-p", prog, "content/1917.md"])
    line = next((l for l in r.stdout.splitlines() if l.startswith("WATCHLAT")), "WATCHLAT status=error")
    watch = kv(line)
    sys.stdout.write(r.stderr)
    trows, traw = typst_bench(a, prog, out)
    load1 = os.getloadavg()
    elapsed = time.perf_counter() - t_start

    # ---- the table ----
    # columns: measure, median, min–max, CPU median, ratio of medians (what the target is
    # judged on), ratio of minima and ratio of CPU medians (less sensitive to other load),
    # target, result
    rows = []

    def row(what, value="", rng="", cpu="", ratio="", rmin="", rcpu="", target="", result=""):
        rows.append((what, value, rng, cpu, ratio, rmin, rcpu, target, result))

    def rng(r):
        return f"{r['min'] * 1e3:.1f}–{r['max'] * 1e3:.1f}"

    def vs(x, y, what, target="", limit=None, scale_x=1.0, scale_y=1.0):
        """A row comparing run stats x with y (optionally per page: scale = 1 / pages)."""
        r = x["med"] * scale_x / (y["med"] * scale_y)
        return dict(ratio=f"{r:.2f} × {what}", rmin=f"{x['min'] * scale_x / (y['min'] * scale_y):.2f}",
                    rcpu=f"{x['cpu_med'] * scale_x / (y['cpu_med'] * scale_y):.2f}", target=target,
                    result=verdict(r, limit) if limit is not None else "")

    def trow(what, r, **kw):
        row(what, ms(r["med"]), rng(r), ms(r["cpu_med"]), **kw)

    f1, p1, b1 = r1917["floor"], r1917["reading"], r1917["booklet"]
    fb, pb, bb = rbook["floor"], rbook["reading"], rbook["booklet"]
    trow(f"1917: floor (Pango wrapping + Cairo, {floor_pages1917} pages)", f1)
    trow(f"1917: pamphlet, reading PDF ({pages1917} pages)", p1, **vs(p1, f1, "floor", "≤ 1.0 × floor", T_READING))
    trow("1917: pamphlet, reading PDF + booklet", b1, **vs(b1, f1, "floor", "≤ 1.3 × floor", T_BOOKLET))
    r1 = r1917["raw"]
    trow("1917: pamphlet, reading PDF without the finishing pass (--no-finish)", r1, **vs(r1, f1, "floor"))
    row("1917: finishing pass (libqpdf) cost: reading PDF vs --no-finish", **vs(p1, r1, "--no-finish"))
    row("1917: booklet overhead (reading + --booklet vs reading alone)",
        **vs(b1, p1, "reading", "≤ 1.10 × reading", T_OVERHEAD))
    pcs, bcs = rcs["reading"], rcs["booklet"]
    trow("common-sense: pamphlet, reading PDF", pcs)
    trow("common-sense: pamphlet, reading PDF + booklet", bcs)
    row("common-sense: booklet overhead (reading + --booklet vs reading alone)",
        **vs(bcs, pcs, "reading", "≤ 1.10 × reading", T_OVERHEAD))
    for name, r, p in (("1917", r1917, p1), ("common-sense", rcs, pcs)):
        trow(f"{name}: a5 in two columns (page.columns: 2)", r["twocol"],
             **vs(r["twocol"], p, "one column", "≤ 1.3 × one column", T_TWOCOL))
    for name, r in (("1917", r1917), ("common-sense", rcs)):
        trow(f"{name}: reading PDF + booklet with --pages fit", r["fit"],
             **vs(r["fit"], r["booklet"], "without", "≤ 2 × without", T_FIT))
    row("1917: peak memory, floor", f"{f1['peak_mib']:.1f} MiB")
    row("1917: peak memory, reading PDF / + booklet", f"{p1['peak_mib']:.1f} / {b1['peak_mib']:.1f} MiB",
        target="≤ 40 MiB", result=verdict(max(p1["peak_mib"], b1["peak_mib"]), T_MEM_1917))
    trow(f"book: floor ({floor_pages_book} pages)", fb)
    trow(f"book: pamphlet, reading PDF ({pages_book} pages)", pb, **vs(pb, fb, "floor"))
    rb = rbook["raw"]
    trow("book: pamphlet, reading PDF without the finishing pass", rb, **vs(rb, fb, "floor"))
    row("book: finishing pass (libqpdf) cost: reading PDF vs --no-finish", **vs(pb, rb, "--no-finish"))
    row("book: time per page, reading PDF", f"{pb['med'] / pages_book * 1e3:.2f} ms", "",
        f"{pb['cpu_med'] / pages_book * 1e3:.2f} ms",
        **vs(pb, p1, f"1917's {p1['med'] / pages1917 * 1e3:.2f} ms", "≤ 1.2 × 1917's", T_PER_PAGE,
             1 / pages_book, 1 / pages1917))
    row("book: peak memory, reading PDF", f"{pb['peak_mib']:.1f} MiB", target="≤ 150 MiB",
        result=verdict(pb["peak_mib"], T_MEM_BOOK))
    trow("book: pamphlet, reading PDF + booklet", bb, **vs(bb, fb, "floor"))
    row("book: time per page, reading PDF + booklet", f"{bb['med'] / pages_book * 1e3:.2f} ms", "",
        f"{bb['cpu_med'] / pages_book * 1e3:.2f} ms",
        **vs(bb, b1, f"1917's {b1['med'] / pages1917 * 1e3:.2f} ms", "≤ 1.2 × 1917's", T_PER_PAGE,
             1 / pages_book, 1 / pages1917))
    row("book: peak memory, reading PDF + booklet", f"{bb['peak_mib']:.1f} MiB", target="≤ 150 MiB",
        result=verdict(bb["peak_mib"], T_MEM_BOOK))
    row("book: booklet overhead", **vs(bb, pb, "reading"))
    row("book: peak memory, floor", f"{fb['peak_mib']:.1f} MiB")
    for src, p in para.items():
        name = os.path.basename(src)
        ratio = float(p["ratio"])
        row(f"paragraphs of {name} ({p['paras']}): Pango's own wrapping", f"{float(p['pango_ms']):.2f} ms",
            f"{float(p['pango_min']):.2f}–{float(p['pango_max']):.2f}",
            ratio=f"{float(p['pango_us_para']):.0f} µs/paragraph")
        row(f"paragraphs of {name}: pamphlet's setting (shape + Knuth–Plass + lines)",
            f"{float(p['pm_ms']):.2f} ms", f"{float(p['pm_min']):.2f}–{float(p['pm_max']):.2f}",
            ratio=f"{ratio:.2f} × Pango", rmin=f"{float(p['pm_min']) / float(p['pango_min']):.2f}",
            target="≤ 1.0 × Pango", result=verdict(ratio, T_PARA))
    if watch.get("status") == "ok":
        med, mx = float(watch["median_ms"]), float(watch["max_ms"])
        extra = f"; {watch['extra']} extra rebuilds" if watch.get("extra", "0") != "0" else ""
        extra += f"; {watch['missed']} edits without a new PDF" if watch.get("missed", "0") != "0" else ""
        extra += f"; {watch['unchanged']} PDFs unchanged" if watch.get("unchanged", "0") != "0" else ""
        row(f"watch: edit → new PDF in place, median of {watch['measured']} edits{extra}", f"{med:.1f} ms",
            f"{float(watch['min_ms']):.1f}–{mx:.1f}", target="≤ 100 ms", result=verdict(med, T_WATCH))
        row("watch: edit → new PDF in place, slowest edit", f"{mx:.1f} ms", target="≤ 100 ms",
            result=verdict(mx, T_WATCH))
        if watch.get("missed", "0") != "0":
            row(f"watch: edits with no new PDF within 5 s: {watch['missed']}", target="0", result="FAIL")
        if watch.get("exit") != "0":
            row(f"watch: exit status on SIGTERM was {watch.get('exit')}", target="0", result="FAIL")
    elif watch.get("status") == "not-available":
        row("watch: edit → new PDF in place", "not measured", target="≤ 100 ms", result="n/a (no --watch yet)")
    else:
        row("watch: edit → new PDF in place", "error", target="≤ 100 ms",
            result=f"FAIL ({watch.get('reason', '?').strip(chr(34))[:80]})")

    spreads = [(r["max"] - r["min"]) / r["med"] for res in (r1917, rcs, rbook) for r in res.values() if r["med"] > 0]
    noise = statistics.median(spreads) * 100
    header = ("measure", "median", "min–max (ms)", "CPU", "ratio of medians", "of minima", "of CPU", "target",
              "result")
    npass = sum(1 for r in rows if r[-1] == "PASS")
    nfail = sum(1 for r in rows if r[-1].startswith("FAIL"))
    for r in trows or []:
        npass += r[-1] == "PASS"
        nfail += r[-1] == "FAIL"
    meta = [f"Date: {started:%Y-%m-%d %H:%M %Z}",
            f"Machine: {machine()}",
            f"Commit: {commit()}",
            f"Runs: {a.runs} of each program on 1917 and on Common Sense, {a.book_runs} on the book ({pages_book} pages: both samples "
            f"{reps} times), interleaved, after one warm-up run each; paragraphs: {a.rounds} rounds; "
            f"watch: {a.edits} edits",
            f"Noise: load average {load0[0]:.2f} at start, {load1[0]:.2f} at the end; the runs of one program "
            f"spread over a median {noise:.0f}% of their median (max − min)",
            f"Targets: {npass} PASS, {nfail} FAIL; the benchmark took {elapsed:.0f} s"]

    # plain text
    w = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    print()
    for r in [header] + rows:
        print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)).rstrip())
    print()
    for m in meta:
        print(m)

    # Markdown
    md = ["# `make bench` results", ""]
    md += [f"- {m}" for m in meta]
    md += ["", "| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    md += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    if trows:
        md += print_typst(trows)
    md += ["", "Floor: bench/floor.c, the same paragraphs (every block between blank lines, markup left in) "
           "wrapped by Pango (justified) on the A5 pages of layouts/a5.yaml and written with Cairo. Times are "
           "wall time from fork to wait4, start-up included; CPU is user + system time; peak memory is the "
           "program's ru_maxrss (see bench/rusage.c). Targets are judged on the ratio of medians; the ratios "
           "of minima and of CPU times are given because the machine is shared. Paragraphs: "
           "bench/parabench.c, in-process, start-up not timed. Watch: bench/watchlat.c, from the write of the "
           "source to the rename of the new PDF. See docs/bench.md.", ""]
    with open(a.results, "w", encoding="utf-8") as f:
        f.write("\n".join(md))
    print(f"\nwritten: {a.results}")
    raw = {"date": started.isoformat(), "machine": machine(), "commit": commit(), "load": [load0, load1],
           "1917": r1917, "common-sense": rcs, "book": rbook,
           "pages": {"1917": pages1917, "book": pages_book, "book_reps": reps}, "paragraphs": para, "watch": watch,
           "typst": traw}
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(raw, f, indent=1)


if __name__ == "__main__":
    main()
