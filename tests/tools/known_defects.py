#!/usr/bin/env python3
"""known_defects.py: the list of failures a stage expects today, and the comparison with a run.

A KNOWN_DEFECTS file holds one failure a line, "KEY CLASS" (KEY: a generator seed
"gen:17" or a corpus file "corpus:apt/README.md"; CLASS: a layout_check class, or "exit"
for a run that did not end as it must), grouped under comments that name the issue item
each class belongs to. Blank lines and lines starting with # are comments.

A run passes when the failures it finds are exactly the listed ones among the keys it ran:
- a failure not listed is new: the stage fails, printing it with the command that
  reproduces it;
- a listed failure that did not happen is fixed: the stage fails too, printing "now
  fixed: remove from the list" (the list only shrinks as fixes land; a fix that moves a
  known defect to other documents shows as both, and the list is regenerated with
  --update-known and its diff reviewed, as the goldens are).
"""
import os

# What each class is, and the item of issue 10 it is kept against (written above its
# entries when the list is regenerated).
ISSUE_ITEMS = {
    "exit": "issue 10 / the brief: a run ends with exit 0, or exit 1 and an error naming FILE:LINE; "
            "never a signal, a sanitizer report, exit 2 or 3",
    "page": "issue 10 \"nothing is ever placed outside the page\": figures pending at a \\newpage and "
            "what follows them set below the page; a running head longer than the line; table rows; a "
            "title too long for the cover runs off its foot",
    "area": "issue 10 \"body items inside the text area\": a figure's caption longer than a column "
            "runs off the foot of the text area",
    "overlap": "issue 10 \"no two items overlapping\": overfull cells over the next column",
    "measure": "issue 10 \"no line wider than its measure\"",
    "overfull": "issue 10 \"no line wider than its measure\": table cells narrower than a word or a number",
    "link": "issue 10 \"Link annotations are placed ... offset from the text\" (the layout's link areas)",
    "heading-end": "issue 10 \"A heading ends a page when the next thing after it is a figure that floats, "
                   "or another heading\"",
    "widow": "the layout's widows (paragraph: widows): a last line alone at the top, after a figure",
    "orphan": "the layout's orphans (paragraph: orphans): a first line alone at the foot",
    "figures": "issue 10 \"every figure of the source placed exactly once\": figures placed out of order",
    "captions": "issue 10 \"every source word in order\" (figure captions)",
    "words": "issue 10 \"every source word in order\" (prose): characters no font has are not drawn "
             "(a Persian name, a Korean syllable); a long word cut without a hyphen where it would fit",
    "code-words": "issue 10 \"Fenced code blocks lose their line breaks ... broken inside words\" "
                  "(raw HTML, set as code, too)",
    "tables": "issue 10 \"every source word in order\" (table cells): numbers cut into single digits in "
              "columns too narrow for them",
    "notes": "issue 10 \"every source word in order\" (footnotes)",
    "cover": "issue 10 the cover's words (title, subtitle, author, date)",
    "code-lines": "issue 10 \"Fenced code blocks lose their line breaks\": every line of a code block "
                  "must be a line of its own",
}


def load(path):
    """{(key, cls)} of a KNOWN_DEFECTS file (empty when there is none)."""
    known = set()
    if not os.path.exists(path):
        return known
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) != 2:
                raise ValueError("%s:%d: expected 'KEY CLASS', got %r" % (path, n, line))
            known.add((parts[0], parts[1]))
    return known


def compare(found, known, keys_run):
    """(new, fixed): found - known, and the known failures of the keys run that were not found."""
    keys_run = set(keys_run)
    new = sorted(found - known, key=_order)
    fixed = sorted((k for k in known - found if k[0] in keys_run), key=_order)
    return new, fixed


def _order(kc):
    key, cls = kc
    kind, _, name = key.partition(":")
    return (kind, int(name) if name.isdigit() else 0, name, cls)


def write(path, found, title, keep=()):
    """Write the failures found (plus keep: listed failures of keys not run) as a KNOWN_DEFECTS file."""
    entries = set(found) | set(keep)
    by_cls = {}
    for key, cls in entries:
        by_cls.setdefault(cls, []).append(key)
    lines = ["# " + l for l in title.strip().split("\n")]
    lines.append("#")
    lines.append("# One line per failure: KEY CLASS. Regenerate with --update-known, then review the diff.")
    for cls in sorted(by_cls, key=lambda c: (list(ISSUE_ITEMS).index(c) if c in ISSUE_ITEMS else 99, c)):
        lines.append("")
        lines.append("# %s: %s (%d)" % (cls, ISSUE_ITEMS.get(cls, "see layout_check.py"), len(by_cls[cls])))
        for key in sorted(by_cls[cls], key=lambda k: _order((k, cls))):
            lines.append("%s %s" % (key, cls))
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


def report(results, known_path, title, reproduce, update=False, verbose=False, out=print):
    """Compare a run with its list and print the outcome; returns the exit status.

    results: [(key, [(cls, message)])] for every key run, in order; reproduce(key) -> the
    command that shows one key's failures. With update, the list is rewritten instead."""
    found, first = set(), {}
    for key, problems in results:
        for cls, msg in problems:
            found.add((key, cls))
            first.setdefault((key, cls), msg)
    keys = [k for k, _ in results]
    known = load(known_path)
    rel = os.path.relpath(known_path)
    if update:
        keep = {k for k in known if k[0] not in set(keys)}
        write(known_path, found, title, keep)
        out("wrote %d failures to %s" % (len(found | keep), rel))
        return 0
    by_cls = {}
    for key, cls in found:
        by_cls.setdefault(cls, []).append(key)
    out("%d of %d with failures" % (len({k for k, _ in found}), len(keys)))
    for cls in sorted(by_cls):
        ks = sorted(by_cls[cls], key=lambda k: _order((k, cls)))
        out("  %-12s %4d, e.g. %s" % (cls, len(ks), " ".join(k.split(":", 1)[1] for k in ks[:5])))
    if verbose:
        for kc in sorted(found, key=_order):
            out("  %s %s: %s" % (kc[0], kc[1], first[kc]))
    new, fixed = compare(found, known, keys)
    for kc in new:
        out("NEW %s %s: %s\n    reproduce: %s" % (kc[0], kc[1], first[kc], reproduce(kc[0])))
    for kc in fixed:
        out("now fixed: remove from the list (%s): %s %s" % (rel, kc[0], kc[1]))
    if new or fixed:
        out("%d new failure(s), %d listed failure(s) now fixed; the list is %s (regenerate it with "
            "--update-known and review the diff)" % (len(new), len(fixed), rel))
        return 1
    out("every failure is a known defect (%d listed for these runs)" % len([k for k in known if k[0] in set(keys)]))
    return 0
