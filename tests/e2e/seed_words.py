#!/usr/bin/env python3
"""Check that a content .md file keeps every word of its seed text, in order.

    seed_words.py [options] SEED.txt CONTENT.md

The seed (plain text, e.g. extracted from a print PDF, or a Project Gutenberg
text) and the content are both turned into word sequences by md_words.py's
shared normalisation:

* seed: lines holding only a number (old page numbers) are dropped; a word
  hyphenated across a line break (line ending in letter + "-", next line
  starting with a lowercase letter) is rejoined -- each rejoined word is
  printed, and the content may have it either joined or as two words (a real
  compound like "twenty-\\nfive");
* content: front matter title/subtitle/author/date, then the body with the
  Markdown syntax removed (image alt texts kept where the figure is,
  footnote texts where their definitions stand);
* words are runs of letters/digits, compared case-sensitively (curly and
  straight apostrophes are the same); a word of a content heading may differ
  in case only (an ALL-CAPS seed heading set in title case).

Every seed word must be matched, in order; the content may have words the
seed lacks (they are counted, and listed with -v).  A run of at least three
seed words found word for word a little further on (a photo caption the
content moved out of the paragraph it interrupted) is reported as moved,
not missing.  --from/--until cut the
seed first (e.g. a Gutenberg text at "INTRODUCTION." and at its "*** END OF"
line; a Gutenberg "*** END OF" line is cut at automatically).

Exit 0 when every seed word is found in order; 1 with the first mismatches
and their context otherwise; 2 on usage errors.
"""

import argparse
import difflib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from md_words import md_words, text_words  # noqa: E402

GUTENBERG_END = ("*** END OF THE PROJECT GUTENBERG",
                 "*** END OF THIS PROJECT GUTENBERG")


def cut_seed(text, start=None, until=None):
    """Cut the seed text: from the first line starting with ``start``
    (inclusive) to the first later line containing ``until`` (exclusive)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = 0
    if start:
        for i, line in enumerate(lines):
            if line.strip().startswith(start):
                first = i
                break
        else:
            raise SystemExit("seed_words: --from %r not found" % start)
    last = len(lines)
    marks = [until] if until else list(GUTENBERG_END)
    for i in range(first, len(lines)):
        if any(m in lines[i] for m in marks):
            last = i
            break
    else:
        if until:
            raise SystemExit("seed_words: --until %r not found" % until)
    return "\n".join(lines[first:last])


def _choose_rejoined(seed, content_keys):
    """Expand rejoined seed words the content has as two words."""
    joined_in_content = set(content_keys)
    pairs = set(zip(content_keys, content_keys[1:]))
    out = []
    for w in seed:
        if w.parts and w.casefold() not in joined_in_content and \
                (w.parts[0].casefold(), w.parts[1].casefold()) in pairs:
            out.extend(type(w)(p) for p in w.parts)
        else:
            out.append(w)
    return out


def _context(words, i, n=6):
    lo, hi = max(0, i - n), min(len(words), i + n)
    return " ".join(words[lo:i]) + " [[" + " ".join(words[i:i + 1]) + \
        "]] " + " ".join(words[i + 1:hi])


def _find_run(keys, run, spans):
    """Start of ``run`` as a contiguous slice inside one of ``spans``."""
    n = len(run)
    for j1, j2 in spans:
        for j in range(j1, j2 - n + 1):
            if keys[j:j + n] == run:
                return j
    return None


def compare(seed, content, max_report=10, verbose=False, out=sys.stdout,
            move_window=600):
    """Return a list of problems (str); print a report to ``out``.

    A run of seed words missing at its place but present word for word
    among the content's extra words within ``move_window`` words (a photo
    caption the content moved from mid-paragraph to after the paragraph)
    counts as moved, not missing; moves are reported as notes.
    """
    ckeys = [w.casefold() for w in content]
    seed = _choose_rejoined(seed, ckeys)
    skeys = [w.casefold() for w in seed]
    sm = difflib.SequenceMatcher(None, skeys, ckeys, autojunk=False)
    opcodes = sm.get_opcodes()
    problems = []
    notes = []
    inserted = [(j1, j2) for op, i1, i2, j1, j2 in opcodes
                if op in ("replace", "insert")]
    extra = sum(j2 - j1 for j1, j2 in inserted)
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            for k in range(i2 - i1):
                s, c = seed[i1 + k], content[j1 + k]
                if s != c and not c.heading:
                    problems.append(
                        "case differs: seed %r, content %r\n    seed:    %s\n"
                        "    content: %s" % (str(s), str(c),
                                             _context(seed, i1 + k),
                                             _context(content, j1 + k)))
            continue
        if op in ("replace", "insert") and verbose:
            out.write("extra content words at %d: %s\n"
                      % (j1 + 1, _short(" ".join(content[j1:j2]))))
        if op not in ("replace", "delete"):
            continue
        run = skeys[i1:i2]
        near = [(max(a, j1 - move_window), min(b, j1 + move_window))
                for a, b in inserted]
        at = _find_run(ckeys, run, near) if len(run) >= 3 else None
        if at is not None:
            exact = [str(w) for w in seed[i1:i2]] == \
                [str(w) for w in content[at:at + len(run)]]
            if exact:
                notes.append("moved: seed words %d-%d %r found %+d words "
                             "away in the content"
                             % (i1 + 1, i2, _short(" ".join(seed[i1:i2])),
                                at - j1))
                extra -= len(run)
                continue
        missing = " ".join(seed[i1:i2])
        got = " ".join(content[j1:j2]) if op == "replace" else ""
        problems.append(
            "seed word(s) %d-%d missing: %r%s\n    seed:    %s\n"
            "    content: %s" % (i1 + 1, i2, _short(missing),
                                 (" (content has %r)" % _short(got))
                                 if got else "",
                                 _context(seed, i1),
                                 _context(content, j1)))
    out.write("seed: %d words, content: %d words, %d extra content words\n"
              % (len(seed), len(content), extra))
    for n in notes:
        out.write("NOTE " + n + "\n")
    for p in problems[:max_report]:
        out.write("MISMATCH " + p + "\n")
    if len(problems) > max_report:
        out.write("... and %d more mismatches\n" % (len(problems) - max_report))
    return problems


def _short(s, n=120):
    return s if len(s) <= n else s[:n] + " ..."


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Check that CONTENT.md keeps every word of SEED.txt in "
                    "order.")
    ap.add_argument("seed")
    ap.add_argument("content")
    ap.add_argument("--from", dest="start", metavar="TEXT",
                    help="cut the seed before the first line starting with "
                         "TEXT (e.g. INTRODUCTION.)")
    ap.add_argument("--until", metavar="TEXT",
                    help="cut the seed at the first line containing TEXT "
                         "(default: a Gutenberg '*** END OF' line)")
    ap.add_argument("--keep-number-lines", action="store_true",
                    help="do not drop lines holding only a number")
    ap.add_argument("--no-dehyphenate", action="store_true")
    ap.add_argument("--max", type=int, default=10,
                    help="mismatches to report (default 10)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="also list the content's extra words")
    args = ap.parse_args(argv)
    with open(args.seed, encoding="utf-8") as f:
        text = cut_seed(f.read(), args.start, args.until)
    rejoined = []
    seed = text_words(text, drop_number_lines=not args.keep_number_lines,
                      dehyphenate=not args.no_dehyphenate, rejoined=rejoined)
    for joined, a, b, line in rejoined:
        print("rejoined: %s-|%s -> %s (seed line %d of the cut text)"
              % (a, b, joined, line))
    if not rejoined:
        print("rejoined: none")
    content = md_words(args.content)
    problems = compare(seed, content, max_report=args.max,
                       verbose=args.verbose)
    if problems:
        print("FAIL: %d mismatch(es)" % len(problems))
        return 1
    print("OK: every seed word is in the content, in order")
    return 0


if __name__ == "__main__":
    sys.exit(main())
