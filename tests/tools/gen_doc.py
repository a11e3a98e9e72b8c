#!/usr/bin/env python3
"""gen_doc.py: random structured pamphlets, one per seed (deterministic), to lay out and check.

    gen_doc.py SEED [-o DIR]     writes DIR/gen-SEED.md, DIR/gen-SEED.yaml (the layout) and
                                 the pictures it uses in DIR/images/ (default DIR: .)

A document mixes what real pamphlets hold: front matter (or none), headings of levels 1-3
(sometimes two in a row, some long enough to wrap), paragraphs of one line to a page of
real words (from the two sample texts), with long words, URLs, hyphenated compounds,
numbers, *emphasis*, **strong**, ~~strikethrough~~, `code`, links and footnote references;
figures of many shapes (from a sliver 12:1 wide to 1:5 tall, tiny and large, with and
without captions and {width=..} as a percentage or a length), runs of up to six figures
in a row (the issue's "\\newpage after five figures" case among them); \\newpage; bullet
and ordered lists nested up to three deep (loose and tight, ordered ones starting at 1, 7
or 98); block quotes, nested and several in a row, with "— Name" attribution lines; GFM
tables of 1-6 columns and 1-24 rows with aligned columns; footnotes (defined after their
paragraph or at the end, some long, some referenced twice); fenced code blocks (``` and
~~~, indented lines, lines longer than the measure); thematic breaks.

The layout is one of a5, half-letter or a small A6 page (gen-SEED.yaml says which).
Pictures are PNGs written with the standard library (zlib), one file per shape.

--script hebrew makes right-to-left pamphlets instead (gen-he-SEED.md): the same blocks
in Hebrew words (from content/intl/he-protections.md; Linux Libertine has the letters),
with English words, numbers, URLs and code among them as left-to-right runs, `lang: he`
in the front matter, and a third of the layouts in two columns (page.columns). The Latin
documents of a seed are the same with or without this option.

--columns sets a seed's document in two columns (page.columns: 2): gen-c-SEED.md (or
gen-he-c-SEED.md), the same text as without.

As a library: generate(seed, script="latin") -> (markdown, layout_yaml, [image names]);
write_images(names, folder).
"""
import argparse
import os
import random
import re
import struct
import sys
import zlib

_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.normpath(os.path.join(_HERE, "..", ".."))

# picture shapes: (name, width px, height px)
SHAPES = [
    ("square", 300, 300), ("photo", 600, 400), ("portrait", 400, 600), ("wide", 900, 300),
    ("banner", 1200, 100), ("sliver", 960, 80), ("tall", 200, 1000), ("pole", 120, 900),
    ("tiny", 16, 12), ("thumb", 64, 64), ("big", 1600, 1200), ("a4", 595, 842),
]

LONG_WORDS = ["internationalisation", "counterrevolutionaries", "institutionalisation",
              "Pneumonoultramicroscopicsilicovolcanoconiosis", "electroencephalographically",
              "Donaudampfschifffahrtsgesellschaftskapitän", "antidisestablishmentarianism",
              "incomprehensibilities", "Rechtsschutzversicherungsgesellschaften"]
COMPOUNDS = ["well-known", "long-standing", "working-class", "self-organisation", "twenty-five",
             "rank-and-file", "up-to-date", "mother-in-law", "state-of-the-art", "anti-war",
             "non-negotiable", "co-operative", "so-called", "first-ever", "half-hearted"]
URLS = ["https://example.org/", "https://www.example.com/rent/2024/report.pdf",
        "http://tenants.example.net/a/very/long/path/to/a/page/about/the/union/meeting.html",
        "https://example.org/search?q=rent+strike&lang=en", "www.example.org/union",
        "https://docs.example.com/manual/chapter-7/section_3.html#the-last-part"]
NAMES = ["Rosa", "Karl", "Emma Goldman", "Lucy Parsons", "Big Bill Haywood", "A. Tenant",
         "Mother Jones", "The Committee", "Joe Hill"]
CODE = ["int main(void)", "{", "    return 0;", "}", "for (i = 0; i < n; i++) {",
        "        total += price[i] * quantity[i];  /* the running total of everything */",
        "if x > 10:", "    print(\"too many\", x)", "def rent(months, per_month=950):",
        "    return months * per_month", "$ ./configure --prefix=/usr/local && make -j2 && sudo make install",
        "SELECT name, rent FROM flats WHERE landlord = 'Acme Property Holdings Ltd' ORDER BY rent DESC;",
        "# a comment", "", "\tindented with a tab", "x = [1, 2, 3]",
        "very_long_identifier_name_without_any_spaces_at_all_that_cannot_be_broken_anywhere = 1",
        "echo \"$HOME\"", "    }", "    while (queue.length > 0) process(queue.shift());"]

SCRIPTS = ("latin", "hebrew")
_vocab = None
_hebrew = None


def hebrew_vocabulary():
    """Hebrew words of content/intl/he-protections.md (with their geresh and gershayim)."""
    global _hebrew
    if _hebrew is None:
        with open(os.path.join(_ROOT, "content", "intl", "he-protections.md"), encoding="utf-8") as f:
            text = f.read().split("---", 2)[-1]
        _hebrew = sorted(set(re.findall(r"[\u05d0-\u05ea]+(?:[\"\u05f3\u05f4'][\u05d0-\u05ea]+)?", text)))
    return _hebrew


def vocabulary():
    """Words of the two sample texts (real English, with its capitals and apostrophes)."""
    global _vocab
    if _vocab is None:
        words = []
        for name in ("1917.md", "common-sense.md"):
            p = os.path.join(_ROOT, "content", name)
            with open(p, encoding="utf-8") as f:
                text = f.read()
            text = text.split("---", 2)[-1]
            words += re.findall(r"[A-Za-z][a-z]+(?:'[a-z]+)?", text)
        _vocab = sorted(set(words))
    return _vocab


class Gen:
    def __init__(self, seed, script="latin", columns=False):
        self.r = random.Random(seed)
        self.seed = seed
        self.columns = columns
        self.hebrew = script == "hebrew"
        self.latin = vocabulary()
        self.images = set()
        self.notes = []          # (label, text)
        self.note_no = 0
        self.pending_defs = []   # definitions to write after the current block
        self.nested_ok = True    # a note's text may refer to a note (rarely: see note_ref)
        self.vocab = hebrew_vocabulary() if self.hebrew else self.latin

    def word(self):
        r = self.r
        x = r.random()
        if self.hebrew and x < 0.08:  # an English word in the Hebrew text: a left-to-right run
            return r.choice(self.latin)
        if self.hebrew and x < 0.6:  # (long words and compounds less often than in English)
            x = r.random()
        if x < 0.012:
            return r.choice(LONG_WORDS)
        if x < 0.03:
            return r.choice(COMPOUNDS)
        if x < 0.04:
            return str(r.choice([1917, 42, 3, 1905, 2024, 100000, 7]))
        w = r.choice(self.vocab)
        return w.lower() if r.random() < 0.8 else w

    def phrase(self, lo, hi):
        return " ".join(self.word() for _ in range(self.r.randint(lo, hi)))

    def inline(self, lo, hi, notes=True):
        """A run of words with inline markup sprinkled in."""
        r = self.r
        parts = []
        n = r.randint(lo, hi)
        i = 0
        while i < n:
            x = r.random()
            if x < 0.04:
                parts.append("*%s*" % self.phrase(1, 3))
            elif x < 0.07:
                parts.append("**%s**" % self.phrase(1, 3))
            elif x < 0.085:
                parts.append("~~%s~~" % self.phrase(1, 2))
            elif x < 0.10:
                parts.append("`%s`" % r.choice(["make", "x = 1", "--help", "README.md", "git pull"]))
            elif x < 0.115:
                parts.append("[%s](%s)" % (self.phrase(1, 4), r.choice(URLS)))
            elif x < 0.125:
                u = r.choice(URLS)
                parts.append("<%s>" % u if u.startswith("http") else u)
            elif x < 0.135 and notes and self.nested_ok:
                parts[-1:] = [(parts[-1] if parts else self.word()) + self.note_ref()]
            else:
                parts.append(self.word())
            i += 1
        return " ".join(parts)

    def note_ref(self):
        r = self.r
        if self.notes and r.random() < 0.1:  # the same note again
            return "[^%s]" % r.choice(self.notes)[0]
        self.note_no += 1
        label = "n%d" % self.note_no if r.random() < 0.7 else str(self.note_no)
        x = r.random()
        outer, self.nested_ok = self.nested_ok, r.random() < 0.02  # a note in a note: rare
        text = self.sentences(1, 1) if x < 0.6 else self.sentences(2, 6) if x < 0.95 else self.sentences(12, 20)
        self.nested_ok = outer
        self.notes.append((label, text))
        if r.random() < 0.5:
            self.pending_defs.append(label)
        return "[^%s]" % label

    def sentence(self):
        s = self.inline(4, 22)
        s = s[0].upper() + s[1:] if s[:1].isalpha() else s
        return s + self.r.choice([".", ".", ".", "?", "!", ":", ";"]).replace(":", ".").replace(";", ".")

    def sentences(self, lo, hi):
        return " ".join(self.sentence() for _ in range(self.r.randint(lo, hi)))

    def paragraph(self):
        x = self.r.random()
        if x < 0.15:
            return self.sentences(1, 1)
        if x < 0.85:
            return self.sentences(2, 7)
        return self.sentences(8, 18)

    def heading(self, level=None):
        r = self.r
        level = level or r.choice([1, 2, 2, 3, 3])
        t = self.phrase(1, 5) if r.random() < 0.9 else self.phrase(10, 18)
        return "%s %s" % ("#" * level, t[0].upper() + t[1:])

    def figure(self):
        r = self.r
        name, w, h = r.choice(SHAPES)
        fn = "%s.png" % name
        self.images.add(fn)
        cap = "" if r.random() < 0.2 else self.inline(2, 14, notes=False) if r.random() < 0.9 else self.sentences(3, 5)
        attr = ""
        x = r.random()
        if x < 0.25:
            attr = "{width=%d%%}" % r.choice([10, 25, 40, 50, 75, 100])
        elif x < 0.35:
            attr = "{width=%s}" % r.choice(["3cm", "120pt", "2in", "40mm"])
        return "![%s](images/%s)%s" % (cap, fn, attr)

    def list_block(self, depth=0, ordered=None, indent=""):
        r = self.r
        ordered = r.random() < 0.4 if ordered is None else ordered
        start = r.choice([1, 1, 1, 7, 98]) if ordered else 0
        loose = r.random() < 0.3
        out = []
        for k in range(r.randint(1, 6)):
            mark = "%d." % (start + k) if ordered else r.choice("-*+") if k == 0 else out_mark
            if k == 0 and not ordered:
                out_mark = mark
            pad = indent + " " * (len(mark) + 1)
            text = self.sentences(1, 1) if r.random() < 0.6 else self.sentences(2, 4)
            out.append("%s%s %s" % (indent, mark, text))
            if loose and r.random() < 0.3:
                out.append("")
                out.append(pad + self.sentences(1, 3))
            if depth < 2 and r.random() < 0.25:
                if loose:
                    out.append("")
                out.append(self.list_block(depth + 1, None, pad))
            if loose:
                out.append("")
        return "\n".join(out).rstrip("\n")

    def quote(self, depth=0):
        r = self.r
        paras = []
        for _ in range(r.randint(1, 3)):
            paras.append(self.paragraph() if r.random() < 0.7 else self.sentences(1, 2))
        if depth < 2 and r.random() < 0.15:
            paras.append(self.quote(depth + 1))
        if r.random() < 0.35:
            paras.append("— %s" % r.choice(NAMES))
        body = "\n\n".join(paras)
        return "\n".join(("> " + l) if l else ">" for l in body.split("\n"))

    def table(self):
        r = self.r
        cols = r.randint(1, 6)
        rows = r.choice([1, 2, 3, 4, 5, 6, 8, 12, 18, 24])
        kinds = [r.choice(["word", "num", "phrase", "long"]) for _ in range(cols)]

        def cell(k):
            if k == "num":
                return r.choice(["%d" % r.randint(0, 99999), "£%d" % r.randint(100, 2000), "%.1f%%" % (r.random() * 100)])
            if k == "word":
                return self.word()
            if k == "phrase":
                return self.inline(1, 5, notes=False)
            return self.inline(4, 16, notes=False)
        head = "| " + " | ".join(self.phrase(1, 3) for _ in range(cols)) + " |"
        delim = "|" + "|".join(r.choice(["---", ":---", "---:", ":---:"]) for _ in range(cols)) + "|"
        lines = [head, delim]
        for _ in range(rows):
            lines.append("| " + " | ".join(cell(k) for k in kinds) + " |")
        return "\n".join(lines)

    def code(self):
        r = self.r
        fence = r.choice(["```", "```", "~~~"])
        lang = r.choice(["", "c", "sh", "python", "sql"])
        n = r.choice([1, 2, 3, 5, 8, 12, 25])
        lines = [r.choice(CODE) for _ in range(n)]
        while lines and not lines[0].strip():
            lines.pop(0)
        lines = lines or ["true"]
        return "%s%s\n%s\n%s" % (fence, lang, "\n".join(lines), fence)

    def document(self):
        r = self.r
        out = []
        if self.hebrew or r.random() < 0.8:
            fm = ["---", "title: \"%s\"" % self.phrase(1, 4).title()]
            if self.hebrew:
                fm.append("lang: he")
            if r.random() < 0.5:
                fm.append("subtitle: \"%s\"" % self.phrase(2, 8))
            if r.random() < 0.7:
                fm.append("author: \"%s\"" % r.choice(NAMES))
            if r.random() < 0.3:
                fm.append("date: \"%s %d\"" % (r.choice(["May", "October", "March"]), r.randint(1900, 2030)))
            fm.append("---")
            out.append("\n".join(fm))
        nblocks = r.randint(6, 45)
        prev = None
        for i in range(nblocks):
            x = r.random()
            if x < 0.14 or i == 0:
                kind = "heading"
            elif x < 0.52:
                kind = "para"
            elif x < 0.62:
                kind = "figures"
            elif x < 0.655:
                kind = "newpage"
            elif x < 0.73:
                kind = "list"
            elif x < 0.79:
                kind = "quote"
            elif x < 0.86:
                kind = "table"
            elif x < 0.93:
                kind = "code"
            elif x < 0.95:
                kind = "rule"
            else:
                kind = "para"
            if kind == "newpage" and prev in (None, "heading", "newpage"):
                kind = "para"   # a heading the author ends a page with is the author's choice
            if kind == "heading":
                out.append(self.heading())
                if r.random() < 0.15:
                    out.append(self.heading(r.choice([2, 3])))
            elif kind == "para":
                out.append(self.paragraph())
            elif kind == "figures":
                n = r.choice([1, 1, 1, 2, 3, 5, 6])
                for _ in range(n):
                    out.append(self.figure())
            elif kind == "newpage":
                out.append("\\newpage")
            elif kind == "list":
                out.append(self.list_block())
            elif kind == "quote":
                out.append(self.quote())
                if r.random() < 0.2:
                    out.append(self.quote())
            elif kind == "table":
                out.append(self.table())
            elif kind == "code":
                out.append(self.code())
            elif kind == "rule":
                out.append(r.choice(["---", "***", "* * *"]))
            prev = kind
            for label in self.pending_defs:
                out.append("[^%s]: %s" % (label, dict(self.notes)[label]))
            self.pending_defs = []
        defined = set()
        for block in out:
            for m in re.finditer(r"^\[\^([^\]]+)\]:", block, re.M):
                defined.add(m.group(1))
        for label, text in self.notes:
            if label not in defined:
                out.append("[^%s]: %s" % (label, text))
        return "\n\n".join(out) + "\n"

    def layout(self):
        """The layout: a shipped one (by path, so that any build finds it), or a small A6 page."""
        r = self.r.random()
        base = os.path.join(_ROOT, "layouts", "half-letter.yaml" if 0.5 <= r < 0.75 else "a5.yaml")
        lay = "extends: \"%s\"\n" % base
        page = []
        if r >= 0.75:
            page += ["  size: A6", "  margins: {top: 10mm, bottom: 14mm, inside: 10mm, outside: 10mm}"]
        if self.hebrew and self.r.random() < 0.35:
            page += ["  columns: 2"] + (["  column-rule: true"] if self.r.random() < 0.5 else [])
        if self.columns and "  columns: 2" not in page:
            page.append("  columns: 2")
        if page:
            lay += "page:\n" + "".join(l + "\n" for l in page)
        return lay


def generate(seed, script="latin", columns=False):
    """(markdown text, layout YAML text, sorted picture file names) for a seed."""
    g = Gen(seed, script, columns)
    md = g.document()
    lay = g.layout()
    return md, lay, sorted(g.images)


def _png(w, h, seed):
    """A w x h RGB PNG: a gradient with a dark frame (the frame shows where a picture is cut)."""
    red = bytes((x * 255 // w + seed * 40) % 256 for x in range(w))
    rows = []
    for y in range(h):
        row = bytearray(3 * w)
        row[0::3] = red
        row[1::3] = bytes([y * 255 // h]) * w
        row[2::3] = b"\xa0" * w
        if y < 2 or y >= h - 2:
            row[:] = b"\x20" * (3 * w)
        else:
            row[0:6] = row[-6:] = b"\x20" * 6
        rows.append(b"\x00" + bytes(row))
    raw = b"".join(rows)

    def chunk(t, data):
        c = t + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def write_images(names, folder):
    """Write the named pictures (shape.png) into folder, unless they are there already."""
    os.makedirs(folder, exist_ok=True)
    shapes = {"%s.png" % n: (w, h, k) for k, (n, w, h) in enumerate(SHAPES)}
    for name in names:
        p = os.path.join(folder, name)
        if os.path.exists(p):
            continue
        w, h, k = shapes[name]
        tmp = p + ".%d.tmp" % os.getpid()
        with open(tmp, "wb") as f:
            f.write(_png(w, h, k))
        os.replace(tmp, p)


def name(seed, script="latin", columns=False):
    """The file name (no extension) of a seed's document: gen-SEED, gen-he-SEED, gen-c-SEED,
    gen-he-c-SEED."""
    return "gen-%s%s%d" % ("" if script == "latin" else "he-", "c-" if columns else "", seed)


def write(seed, folder, script="latin", columns=False):
    """Write gen-SEED.md (see name), its .yaml and its pictures into folder; returns
    (md, yaml) paths."""
    md, lay, imgs = generate(seed, script, columns)
    os.makedirs(folder, exist_ok=True)
    write_images(imgs, os.path.join(folder, "images"))
    mp = os.path.join(folder, name(seed, script, columns) + ".md")
    lp = os.path.join(folder, name(seed, script, columns) + ".yaml")
    with open(mp, "w", encoding="utf-8") as f:
        f.write(md)
    with open(lp, "w", encoding="utf-8") as f:
        f.write(lay)
    return mp, lp


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write the random pamphlet of a seed (see the module docstring).")
    ap.add_argument("seed", type=int)
    ap.add_argument("-o", "--out", default=".", help="folder to write into (default .)")
    ap.add_argument("--script", choices=SCRIPTS, default="latin", help="hebrew: a right-to-left pamphlet")
    ap.add_argument("--columns", action="store_true", help="in two columns")
    a = ap.parse_args(argv)
    mp, lp = write(a.seed, a.out, a.script, a.columns)
    print("%s %s" % (mp, lp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
