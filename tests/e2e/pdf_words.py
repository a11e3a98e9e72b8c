#!/usr/bin/env python3
"""pdf_words.py CONTENT.md OUT.pdf: every word of the content is in the PDF, in order.

The content's words (md_words: front matter, body, figure captions; footnotes apart)
must be a subsequence of the words pdftotext extracts; the PDF may hold more words
(running heads, page numbers, footnote marks). Footnote texts are checked the same way
on their own, since they move to the foot of their page; so are figure captions, and the
words of each table (all there, in any order: pdftotext reads a table's columns in an
order of its own). Words broken by a hyphen at a line end are rejoined.
Exit 0 = every word found; 1 = the first missing words are shown.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from collections import Counter  # noqa: E402

from md_words import Word, _inline_text, md_words, md_words_from_text, text_words, tokenize  # noqa: E402

FIGURE = re.compile(r"^!\[(.*)\]\([^)]*\)(\{[^}]*\})?\s*$", re.M)
GLUED_MARK = re.compile(r"^([^\W\d_]{2,})(\d{1,3})$")
TABLE_DELIM = re.compile(r"^ {0,3}\|? *:?-+:? *(\| *:?-+:? *)*\|? *$")


def split_tables(src):
    """(src without its GFM tables, [words of each table]). pdftotext reads a table's
    columns in an order of its own, so a table's words are checked as a whole, not in
    order."""
    lines, out, tables = src.split("\n"), [], []
    i = 0
    while i < len(lines):
        if "|" in lines[i] and i + 1 < len(lines) and TABLE_DELIM.match(lines[i + 1]):
            rows = [lines[i]]
            i += 2
            while i < len(lines) and lines[i].strip() and "|" in lines[i]:
                rows.append(lines[i])
                i += 1
            cells = [c for r in rows for c in r.strip().strip("|").split("|")]
            tables.append(tokenize(_inline_text(" ".join(cells), False)))
            out.append("")
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out), tables


def split_marks(words):
    """'Massanello1' (a footnote mark set right after its word) -> 'Massanello', '1'."""
    out = []
    for w in words:
        m = GLUED_MARK.match(w)
        if m:
            out += [Word(m.group(1), heading=w.heading), Word(m.group(2))]
        else:
            out.append(w)
    return out


def same(a, b):
    if a == b:
        return True
    return (getattr(a, "heading", False) or getattr(b, "heading", False)) and a.lower() == b.lower()


def subsequence(want, have):
    """Index in want of the first word that cannot be matched in order, or None."""
    j = 0
    i = 0
    while i < len(want):
        w = want[i]
        found = False
        while j < len(have):
            h = have[j]
            j += 1
            if same(w, h):
                found = True
                break
            parts = getattr(h, "parts", None)
            if parts and i + 1 < len(want) and same(w, parts[0]) and same(want[i + 1], parts[1]):
                i += 1
                found = True
                break
            # "war-" / "mongering": pdftotext joins a line-end hyphen's halves itself
            if i + 1 < len(want) and h == w + want[i + 1]:
                i += 1
                found = True
                break
            # a word hyphenated across a page break: its halves are apart, with the
            # page's foot and the next page's running head between them
            if len(h) >= 2 and len(h) < len(w) and w.startswith(h):
                for k in range(j, min(j + 150, len(have))):  # a page foot (notes, number) and head between
                    if h + have[k] == w:
                        j = k + 1
                        found = True
                        break
                if found:
                    break
        if not found:
            return i
        i += 1
    return None


def main():
    md, pdf = sys.argv[1], sys.argv[2]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, check=True).stdout.decode()
    have = split_marks(text_words(text, drop_number_lines=False))
    src, tables = split_tables(open(md, encoding="utf-8").read())
    # figures float to where they fit: their captions are checked on their own
    captions = [tokenize(m.group(1)) for m in FIGURE.finditer(src)]
    body = md_words_from_text(FIGURE.sub("", src), footnotes="omit")
    every = md_words_from_text(FIGURE.sub("", src), footnotes="end")
    notes = every[len(body):]
    ok = True
    checks = [("body", body), ("footnotes", notes)] + [(f"caption {k + 1}", c) for k, c in enumerate(captions)]
    for name, want in checks:
        miss = subsequence(want, have)
        if miss is not None:
            ok = False
            print(f"{md}: {name} word {miss + 1} of {len(want)} not found in order in {pdf}: "
                  f"...{' '.join(want[max(0, miss - 8):miss])} [{want[miss]}] {' '.join(want[miss + 1:miss + 8])}...")
    have_count = Counter(have)
    for k, want in enumerate(tables):
        lack = Counter(want) - have_count
        if lack:
            ok = False
            print(f"{md}: table {k + 1}: words not in {pdf}: {' '.join(sorted(lack))}")
    if ok:
        extra = f", and {sum(len(t) for t in tables)} in {len(tables)} tables" if tables else ""
        print(f"{md}: all {len(body)} words (and {len(notes)} footnote words) in order in {pdf}{extra}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
