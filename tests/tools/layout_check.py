#!/usr/bin/env python3
"""layout_check.py: the layout invariants of issue 10, over a --dump-layout file and its source.

    layout_check.py LAYOUT.dump [--source CONTENT.md] [--widows N] [--orphans N]

Exit 0 when every invariant holds, 1 with one line per problem ("CLASS: page N: what"),
2 on a bad command line or an unreadable dump. As a library: check(dump_path, source_path)
returns a list of Problem(cls, page, msg); parse_dump() and Source() are reusable.

Geometry (read from src/output/dev_dump.c and src/layout/flow.c)
  A line's y is its baseline. Its box is the ink a reader sees: from 0.75 em above the
  baseline to 0.25 em below it (em = the largest font size of its runs; every layout's
  slot, baseline at h/2 + 0.35 em, holds that box), and horizontally from the left end
  of its first run to the right end of its last. Lines with no visible text are not
  boxes. Images are their rectangles (a cropped image, `clip=`, its clip); a rule is its
  rectangle (y .. y + thickness), a column rule (`vrule`) too; a QR code (`qr`, its module
  rows under it) is its symbol, and for overlaps its symbol with the quiet zone of 4
  modules around it. A colour field (`fill`) is under what is on it: not a box.
  Margin kerning: punctuation may hang past the measure by the line's declared
  hang=LEFT,RIGHT, each at most 0.5 em.

Zones
  - every item (lines, images, rules, links, destinations) lies inside the page;
  - body and back-cover pages: body lines, markers, captions, table cells, images and
    body rules lie inside the text area (area=); running heads (`running`) and the rule
    that goes with them (0.4 pt thick, as wide as the text area) lie inside the page but
    outside the text area; footnote lines (`note`) lie inside the text area, below the
    footnote rule (0.4 pt, a quarter of the text width), and nothing of the body lies
    below that rule;
  - the cover: everything inside the text area, but colour fields and pictures cropped
    to the whole page (backdrops: under everything, no boxes), which only must lie inside
    the page; the cover's own lines
    (`cover`) may lie over a picture (a title set over it).

Invariants, one class each (the class names the KNOWN_DEFECTS lists use)
  page        an item outside the page
  area        an item outside its zone (see Zones)
  overlap     two boxes overlap by more than 0.1 pt both ways (lines, images, rules; a
              line's link areas and destinations are not boxes)
  measure     a line wider than its measure: a hang over 0.5 em, or a line of a
              justified paragraph wider than that paragraph's justified lines
  overfull    a line the program itself marked overfull
  link        a link area that lies on no line of text
  heading-end the last body line or figure of a page is a heading (not on the last page,
              nor on the page before the back cover, nor one the source follows with
              \\newpage: the program warns of that one, nor on a page of headings alone
              whose run goes on at the next page's top: taller than a page, it ends one
              with a heading wherever it breaks); nor may a column end with a heading
              while the text goes on in the next column
  widow/orphan fewer than --widows/--orphans lines of a paragraph alone at the top/foot
  figures     a figure of the source not placed, placed twice, or placed out of order
  captions    a figure's caption (the caption lines under it) is not its description
  words       the body's words (headings, paragraphs, lists, quotes, code, footnote
              marks) are not the source's, in order, each once. A word cut at a line end
              without a hyphen counts as whole only when it is wider than its measure
              (the program breaks such a word where it must, with a warning; its width
              is estimated from its pieces' share of their lines, to within 15 %)
  code-words  the same, where the difference lies wholly inside a code block (or raw
              HTML, which is set as code): code broken inside its words, kept apart from
              prose lost or changed
  tables      a table's words differ: each column is read top to bottom (cells in row
              order), a header repeated on a following page read once
  notes       the footnotes' words (number, then text) differ. Order: each note where it
              is first referenced, so in the order of first reference (cmark-gfm numbers
              notes that way); a note split over pages goes on at the top of the next
              page's notes; a note printed again, whole, on a later page that refers to
              it again is a repeat, not extra words (a page shows the notes of its marks);
              a note may be held over from the page of its mark (which had no room for
              it) to the next foot that has room, before that page's own notes (TeX)
  cover       the cover's words are not the front matter's issue, title, subtitle, author,
              date (title: else the first heading, else "Untitled"; the issue line may
              also come last, at the foot)
  qr          a QR code whose text is not the front matter's url: (or qr:), one not on
              the back cover, none on a back cover when the front matter has one, or the
              line under it (`qr`) not its text
  code-lines  a line of a fenced or indented code block is not a line of its own in the
              dump: each code line must equal one dump line (whitespace aside), or a run
              of dump lines each ending with a continuation mark (one of ↩ ↪ ⤶ ↵ ⏎ \\,
              or the next starting with ↪ → ⤷)

Words are md_words.tokenize()'s (NFKC, apostrophes unified, punctuation separates, soft
hyphens dropped). The source is read with libcmark-gfm itself (md_ast.py), as the program
reads it: raw HTML by the text between its tags (<br> a line break), an image inside a paragraph by its
description, a footnote reference by its number. On the page side a run the program drew
no glyphs for (no font has its characters) is not there; right-to-left runs, which the
dump gives from the left (each with its text in reading order), are read from the right; a footnote mark (a run of digits at
most 0.8 of the line's size) is a word of its own.
"""
import argparse
import html
import bisect
import difflib
import os
import re
import sys
import unicodedata

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, "..", "e2e"))
sys.path.insert(0, _HERE)
from md_words import tokenize as _tokenize  # noqa: E402


def tokenize(text):
    """md_words.tokenize, soft hyphens dropped (a break opportunity, not a letter)."""
    return _tokenize(text.replace("\u00ad", ""))


__all__ = ["Problem", "parse_dump", "Source", "check", "CLASSES"]

CLASSES = ("page", "area", "overlap", "measure", "overfull", "link", "heading-end", "widow", "orphan",
           "figures", "captions", "words", "code-words", "tables", "notes", "cover", "code-lines", "qr")

EPS = 0.05          # rounding of the dump's 4 decimals and of the layout's sums
OVERLAP = 0.1       # boxes must overlap more than this both ways to count
ASC, DESC = 0.75, 0.25
HANG_EM = 0.5
CAP = 0.7           # a drop cap's ink above its baseline, in em (capitals and a quote mark)
BOX_PAST = 6.0      # how far a box open at a page break may reach past the text area
BOX_EPS = 1.0       # a line's slot (0.25 em below its baseline) may graze its box's edge
# a heading's number from the layout ("I.", "I.1", "a)", "2.3"): not a word of the source;
# taken off headings on both sides
_HEADNUM = re.compile(r"^\s*(?:(?:[0-9]+|[IVXLCDM]+|[a-z])(?:[.)][0-9.)]*)?\s+)+")
CONT_END = "↩↪⤶↵⏎\\"
CONT_START = "↪→⤷"
SHY = "\u00ad"
CUT_SLACK = 0.85    # a cut word's width is estimated from its pieces' share of their lines


class Problem:
    __slots__ = ("cls", "page", "msg")

    def __init__(self, cls, page, msg):
        self.cls, self.page, self.msg = cls, page, msg

    def text(self):
        """The problem without its class: "page N: what"."""
        return "%s%s" % ("page %d: " % self.page if self.page else "", self.msg)

    def __str__(self):
        return "%s: %s" % (self.cls, self.text())

    __repr__ = __str__


# ------------------------------------------------------------------------- the dump

class Run:
    __slots__ = ("size", "x0", "x1", "glyphs", "text", "at")


class Item:
    __slots__ = ("kind", "x", "y", "w", "h", "r", "flags", "para", "hang", "runs", "src", "uri", "lineno",
                 "strikes", "clip", "modules", "rows", "qtext", "_size", "_text", "_box")

    def __init__(self, kind):
        self.kind = kind
        self.r = 0.0
        self.flags = ()
        self.para = None
        self.hang = (0.0, 0.0)
        self.runs = []
        self.strikes = []  # (x0, x1, y, thickness) of a line's strikethrough
        self.src = self.uri = self.clip = self.qtext = None
        self.modules = 0
        self.rows = []
        self._size = self._text = self._box = None

    # --- lines
    @property
    def size(self):
        if self._size is None:
            self._size = max((r.size for r in self.runs), default=0.0)
        return self._size

    @property
    def text(self):
        if self._text is None:
            self._text = self._join_runs()
        return self._text

    def _join_runs(self):
        out = []
        big = self.size
        prev = prev_mark = None
        rtl = "rtl" in self.flags
        apart = rtl or any(r.at is not None for r in self.runs)  # (runs read out of visual order)
        for r in _logical(self.runs, rtl):
            if r.glyphs == 0:   # nothing drawn (no font has these characters): not on the page
                continue
            mark = _is_mark(r, big)
            gap = abs(r.x0 - prev.x1) if prev is not None and not apart else \
                max(r.x0 - prev.x1, prev.x0 - r.x1) if prev is not None else 0
            if prev is not None and (mark or gap > 0.5 or prev_mark):
                out.append(" ")
            out.append(r.text)
            prev, prev_mark = r, mark
        return "".join(out)

    def visible(self):
        return any(r.text.strip() and r.glyphs for r in self.runs)

    def box(self):
        if self._box is None:
            self._box = self._make_box()
        return self._box

    def _make_box(self):
        if self.kind == "line" and "initial" in self.flags:
            # a drop cap: a capital, whose ink stands on the baseline and reaches its cap
            # height (not the ascender a line's slot allows for)
            s = self.size
            x0 = min((r.x0 for r in self.runs), default=0.0)
            x1 = max((r.x1 for r in self.runs), default=0.0)
            return (self.x + x0, self.y - CAP * s, self.x + x1, self.y + 0.02 * s)
        if self.kind == "line":
            s = self.size
            x0 = min((r.x0 for r in self.runs), default=0.0)
            x1 = max((r.x1 for r in self.runs), default=0.0)
            return (self.x + x0, self.y - ASC * s, self.x + x1, self.y + DESC * s)
        if self.kind == "image" and self.clip:
            x, y, w, h = self.clip
            return (x, y, x + w, y + h)
        if self.kind in ("image", "rule", "link", "vrule", "fill", "qr", "box"):
            return (self.x, self.y, self.x + self.w, self.y + self.h)
        return (self.x, self.y, self.x, self.y)

    def overlap_box(self):
        """The box that nothing may overlap: a QR code's takes in its quiet zone."""
        b = self.box()
        if self.kind == "qr" and self.modules:
            q = 4 * self.w / self.modules
            return (b[0] - q, b[1] - q, b[2] + q, b[3] + q)
        return b

    def has(self, flag):
        return flag in self.flags

    def describe(self):
        if self.kind == "line":
            t = self.text.strip()
            t = t if len(t) <= 40 else t[:37] + "..."
            what = next((f for f in ("heading", "caption", "note", "marker", "running", "cover", "cell", "qr")
                         if f in self.flags), "line")
            return '%s "%s" (y=%.1f, dump line %d)' % (what, t, self.y, self.lineno)
        if self.kind == "image":
            return "image %s (y=%.1f, dump line %d)" % (self.src, self.y, self.lineno)
        return "%s at x=%.1f y=%.1f w=%.1f (dump line %d)" % (self.kind, self.x, self.y, self.w, self.lineno)


def _is_mark(run, size):
    """A footnote mark: a run of digits set at most 0.8 of the line's largest size (the
    program sets marks at 0.68 em; code in a smaller font is not a mark)."""
    return run.size <= 0.8 * size and run.text.strip().isdigit()


def _is_rtl(text):
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def _turned(r):
    return r  # (the dump gives each run's text in reading order)


def _logical(runs, rtl=False):
    """Runs in reading order. The dump gives a line's runs in visual order (each run's text
    in reading order). When they are out of reading order, each says where its text
    starts in the paragraph's (at=): the order is that. A dump without (an older program's,
    or a made-up one) is read by the look of the text: a stretch of right-to-left runs is
    turned round; in a right-to-left line (flag rtl) the line is read from the right, its
    stretches of left-to-right runs (with the spaces between them) keeping their order."""
    if runs and all(r.at is not None for r in runs):
        return sorted(runs, key=lambda r: r.at)
    if rtl:
        groups, i = [], 0
        while i < len(runs):
            if _is_rtl(runs[i].text) or not runs[i].text.strip():
                groups.append([_turned(runs[i]) if _is_rtl(runs[i].text) else runs[i]])
                i += 1
                continue
            j = i + 1
            while j < len(runs) and not _is_rtl(runs[j].text):
                j += 1
            while j > i + 1 and not runs[j - 1].text.strip():
                j -= 1
            groups.append(runs[i:j])
            i = j
        return [r for g in reversed(groups) for r in g]
    if not any(_is_rtl(r.text) for r in runs):
        return runs
    out, i = [], 0
    while i < len(runs):
        if _is_rtl(runs[i].text):
            j = i
            while j < len(runs) and (_is_rtl(runs[j].text) or not runs[j].text.strip()):
                j += 1
            while j > i and not runs[j - 1].text.strip():
                j -= 1
            out.extend(reversed(runs[i:j]))
            i = j
        else:
            out.append(runs[i])
            i += 1
    return out


class Page:
    __slots__ = ("n", "kind", "w", "h", "label", "area", "items")


_PAGE = re.compile(r"^page (\d+) (\w+) ([\d.]+)x([\d.]+) label=(.*) area=([\d.-]+),([\d.-]+),([\d.-]+),([\d.-]+)$")
_LINE = re.compile(r"^  line x=(\S+) y=(\S+) w=(\S+) h=(\S+) r=(\S+)(.*)$")
_STRIKE = re.compile(r'^    (?:strike|mark) x=(\S+)\.\.(\S+) y=(\S+) t=(\S+)$')
_RUN = re.compile(r'^    run font="(.*)" x=(\S+)\.\.(\S+) glyphs=(\d+)(?: at=(\d+))? text="(.*)"$')
_BOX = re.compile(r"^  (image|rule|link|vrule|fill|qr|box) x=(\S+) y=(\S+) w=(\S+) h=(\S+)(?: (.*))?$")
_QR_REST = re.compile(r'^modules=(\d+) text="(.*)"$')
_ROW = re.compile(r"^    row ([#.]+)$")
_CLIP = re.compile(r" clip=([\d.-]+),([\d.-]+),([\d.-]+),([\d.-]+)$")
_DEST = re.compile(r"^  dest x=(\S+) y=(\S+) name=(.*) level=(\d+)$")
_IMG_REST = re.compile(r"^src=(.*) (\S+) (\d+)x(\d+)$")
_PARA = re.compile(r"para=(\d+):(\d+)/(\d+)")
_HANG = re.compile(r"hang=([\d.]+),([\d.]+)")
_ESC = re.compile(r'\\(x[0-9a-fA-F]{2}|.)')


def _unescape(s):
    def rep(m):
        e = m.group(1)
        if e == "-":
            return SHY
        if len(e) == 3 and e[0] == "x":
            return chr(int(e[1:], 16))
        return e
    return _ESC.sub(rep, s)


def _font_size(desc):
    m = re.search(r"([\d.]+)(?:px)?$", desc)
    return float(m.group(1)) if m else 10.0


def parse_dump(text):
    """[Page]; raises ValueError on a line it cannot read."""
    pages = []
    page = None
    line_item = qr_item = None
    for n, raw in enumerate(text.split("\n"), 1):
        if not raw or raw.startswith("document "):
            continue
        m = _PAGE.match(raw)
        if m:
            page = Page()
            page.n, page.kind = int(m.group(1)), m.group(2)
            page.w, page.h = float(m.group(3)), float(m.group(4))
            page.label = m.group(5)
            page.area = tuple(map(float, m.group(6, 7, 8, 9)))
            page.items = []
            pages.append(page)
            line_item = None
            continue
        if page is None:
            raise ValueError("dump line %d: an item before the first page" % n)
        m = _ROW.match(raw)
        if m:
            if qr_item is None:
                raise ValueError("dump line %d: a row of modules outside a QR code" % n)
            qr_item.rows.append(m.group(1))
            continue
        qr_item = None
        m = _RUN.match(raw)
        if m:
            if line_item is None:
                raise ValueError("dump line %d: a run outside a line" % n)
            r = Run()
            r.size = _font_size(m.group(1))
            r.x0, r.x1 = float(m.group(2)), float(m.group(3))
            r.glyphs = int(m.group(4))
            r.at = int(m.group(5)) if m.group(5) is not None else None
            r.text = _unescape(m.group(6))
            line_item.runs.append(r)
            continue
        m = _STRIKE.match(raw)
        if m:
            if line_item is None:
                raise ValueError("dump line %d: a strikethrough outside a line" % n)
            line_item.strikes.append(tuple(map(float, m.group(1, 2, 3, 4))))
            continue
        m = _LINE.match(raw)
        if m:
            it = Item("line")
            it.x, it.y, it.w, it.h, it.r = map(float, m.group(1, 2, 3, 4, 5))
            rest = m.group(6)
            pm = _PARA.search(rest)
            if pm:
                it.para = tuple(map(int, pm.groups()))
            hm = _HANG.search(rest)
            if hm:
                it.hang = (float(hm.group(1)), float(hm.group(2)))
            it.flags = frozenset(w for w in rest.split() if "=" not in w)
            line_item = it
        else:
            line_item = None
            m = _BOX.match(raw)
            if m:
                it = Item(m.group(1))
                it.x, it.y, it.w, it.h = map(float, m.group(2, 3, 4, 5))
                rest = m.group(6) or ""
                if it.kind == "image":
                    cm = _CLIP.search(rest)
                    if cm:
                        it.clip = tuple(map(float, cm.groups()))
                        rest = rest[:cm.start()]
                    im = _IMG_REST.match(rest)
                    it.src = im.group(1) if im else rest
                elif it.kind == "link":
                    it.uri = rest[4:] if rest.startswith("uri=") else rest
                elif it.kind == "qr":
                    qm = _QR_REST.match(rest)
                    if not qm:
                        raise ValueError("dump line %d: cannot read the QR code %r" % (n, raw[:60]))
                    it.modules, it.qtext = int(qm.group(1)), _unescape(qm.group(2))
                    qr_item = it
                elif it.kind == "box":  # open=SIDES: drawn open where a page broke it
                    om = re.search(r"open=([trbl]+)", rest)
                    it.flags = frozenset(om.group(1)) if om else frozenset()
            else:
                m = _DEST.match(raw)
                if not m:
                    raise ValueError("dump line %d: cannot read %r" % (n, raw[:60]))
                it = Item("dest")
                it.x, it.y = float(m.group(1)), float(m.group(2))
                it.w = it.h = 0.0
        it.lineno = n
        page.items.append(it)
    return pages


# ------------------------------------------------------------------------- the source

def _inline(node, out):
    for c in node.children:
        t = c.type
        if t in ("text", "code"):
            out.append(c.literal)
        elif t == "softbreak":
            out.append(" ")
        elif t == "linebreak":
            out.append("\n")
        elif t == "html_inline":  # a tag is left out (content.c); <br> is a line break
            if re.match(r"(?i)<br[ /]*>", c.literal):
                out.append("\n")
        elif t == "footnote_reference":
            out.append(" %s " % _ref(c.literal))
        else:
            _inline(c, out)
    return out


def _all_text(node, out):
    """Every word under a node (a footnote's non-paragraph parts, set as plain text)."""
    if node.literal is not None and node.type not in ("footnote_reference",):
        if not (node.type in ("html_inline", "html_block") and node.literal.lstrip().startswith("<!--")):
            out.append(node.literal)
    elif node.type == "footnote_reference":
        out.append(" %s " % _ref(node.literal))
    elif node.type in ("softbreak", "linebreak"):
        out.append(" ")
    for c in node.children:
        _all_text(c, out)
        if c.children and c.type in ("paragraph", "item", "heading"):
            out.append(" ")
    return out


# Footnote numbers as the program printed them, when it numbered the notes by the order of
# their first printing (app/render.c: a figure's caption notes, notes named in notes):
# cmark-gfm's number (a string) -> the printed one; set while a Source is built.
_RENUM = {}
# cmark-gfm's number -> the note's among the notes kept (see _named_notes), a string.
_KEPT = {}


def _ref(literal):
    n = _KEPT.get(literal, literal)
    return _RENUM.get(n, n)


def _named_notes(doc):
    """The numbers of the notes the text names, or notes it names name: cmark-gfm drops a
    definition nothing names but keeps numbering the notes it names, which the program
    leaves out with a warning (input/notecheck.c), numbering the rest 1, 2, ... (the k-th
    footnote definition is cmark-gfm's note k)."""
    defs = [c for c in doc.children if c.type == "footnote_definition"]

    def refs(node, out, top):
        for c in node.children:
            if c.type == "footnote_definition" and top:
                continue
            if c.type == "footnote_reference" and c.literal.isdigit():
                out.add(int(c.literal))
            refs(c, out, False)
        return out
    named, todo = set(), sorted(refs(doc, set(), True))
    while todo:
        k = todo.pop()
        if k in named or not 1 <= k <= len(defs):
            continue
        named.add(k)
        todo += sorted(refs(defs[k - 1], set(), False))
    return named


def _text(node):
    return "".join(_inline(node, []))


_ATTR_TOKEN = r"(?:[.#][\w:-]+|[\w:-]+=(?:\"[^\"]*\"|'[^']*'|\u201c[^\u201d]*\u201d|[^\s}]+))"
_TRAILING_ATTRS = re.compile(r"(?:^|[ \t\n]+)\{[ \t]*" + _ATTR_TOKEN + r"(?:[ \t]+" + _ATTR_TOKEN + r")*[ \t]*\}[ \t]*$")


def _strip_attrs(s):
    """A heading's or paragraph's text without the {#id .class} block that ends it
    (input/attrs.c takes it off)."""
    return _TRAILING_ATTRS.sub("", s)


class Figure:
    __slots__ = ("src", "line", "caption")


def _file_title(path):
    """The title of a document with neither a title nor a heading to take it from: its file's
    name, or for a README or an index, its folder's (content.c default_title)."""
    base = os.path.basename(path).split(".")[0]
    if base.lower() in ("readme", "index"):
        d = os.path.basename(os.path.dirname(path))
        if d and d != ".":
            base = d
    return base or "Untitled"


_RTL_LANGS = ("ar", "he", "fa", "ur", "yi", "ps", "dv", "ckb")


def _rtl_of(dir_, lang, rtl):
    """The direction a dir: and a lang: give (input/doc.c pm_lang_dir), else rtl's."""
    if dir_ in ("rtl", "ltr"):
        return dir_ == "rtl"
    if lang:
        return lang.split("-")[0].lower() in _RTL_LANGS
    return rtl


def _div_rtl(div, rtl):
    """A div's direction: its {dir=} or {lang=}, else its container's."""
    attrs = dict(c.split("=", 1) for c in div.classes if "=" in c)
    return _rtl_of(attrs.get("dir"), attrs.get("lang"), rtl)


def _parallel_ok(div):
    """A '::: parallel' div set side by side (doc.c pm_parallel_problem): two parts, each only
    paragraphs and headings (at most 512); else it is read as an ordinary div."""
    if len(div.children) != 2:
        return False
    for part in div.children:
        leaves = []

        def walk(n):
            if n.type == "div":
                for k in n.children:
                    walk(k)
            else:
                leaves.append(n)
        walk(part)
        if any(x.type not in ("paragraph", "heading") for x in leaves) or len(leaves) > 512:
            return False
    return True


class Source:
    """What the reader must find, from a content .md file (see the module docstring).

    cover: words; body: words and one ("\\0table", k) token per table; tables: per
    table, per column, words; figures: [Figure]; notes: per note, words (numbered from
    1 in this order); code: [(line, [code lines])]."""

    def __init__(self, path, renum=None):
        from md_ast import parse_file
        global _RENUM, _KEPT
        meta, doc, _ = parse_file(path)
        _RENUM = {str(k): str(v) for k, v in (renum or {}).items()}
        named = _named_notes(doc)
        _KEPT = {str(k): str(i + 1) for i, k in enumerate(sorted(named))}
        self._ndefs, self._named = 0, named
        try:
            self._build(path, meta, doc)
        finally:
            _RENUM, _KEPT = {}, {}
        if renum:  # the notes in their printed order
            order = sorted(range(len(self.notes)), key=lambda i: renum.get(i + 1, i + 1))
            self.notes = [self.notes[i] for i in order]

    def _build(self, path, meta, doc):
        self.path = path
        self.body, self.tables, self.figures, self.notes, self.code = [], [], [], [], []
        self.table_rtl = []       # per table: its columns run right to left (its direction)
        self.code_words = set()   # indexes in body of the words of code blocks
        self._first_heading = self._first_h1 = None
        self._heading_words = 0
        self._blocks(doc, _rtl_of(meta.get("dir"), meta.get("lang"), False))
        title = meta.get("title") or self._first_h1 or self._first_heading or _file_title(path)
        self.qr = meta.get("url") or meta.get("qr")
        self.cover = []
        self.issue = tokenize(meta["issue"]) if meta.get("issue") else []
        for v in (meta.get("issue"), title, meta.get("subtitle"), meta.get("author"), meta.get("date")):
            if v:
                self.cover += tokenize(v)

    def _blocks(self, node, rtl=False):
        for c in node.children:
            t = c.type
            if t == "paragraph":
                kids = c.children
                if len(kids) == 1 and kids[0].type == "text" and kids[0].literal in ("\\newpage", "\\pagebreak"):
                    continue
                if kids and kids[0].type == "image" and (
                        len(kids) == 1 or (len(kids) == 2 and kids[1].type == "text"
                                           and kids[1].literal.lstrip().startswith("{"))):
                    f = Figure()
                    f.src, f.line, f.caption = kids[0].url, c.line, tokenize(_text(kids[0]))
                    self.figures.append(f)
                    continue
                if _text(c).strip() == "[[toc]]":  # the contents list: made by the program
                    continue
                self.body += tokenize(_strip_attrs(_text(c)))
            elif t == "div" and "parallel" in c.classes and _parallel_ok(c):
                # set side by side, row by row (layout/collect.c): read like a table, one
                # column after the other
                self.body.append(("\0table", len(self.tables)))
                self.tables.append([tokenize(_strip_attrs("".join(_all_text(part, [])))) for part in c.children])
                self.table_rtl.append(_div_rtl(c, rtl))
            elif t == "heading":
                s = _strip_attrs(_text(c))
                # the title when the front matter has none (content.c default_title): the
                # first level-1 heading, else the first heading after at most 12 words
                if s.strip() and c.level == 1 and self._first_h1 is None:
                    self._first_h1 = s
                if s.strip() and self._first_heading is None and len(self.body) - self._heading_words <= 12:
                    self._first_heading = s
                ws = tokenize(_HEADNUM.sub("", s))
                self._heading_words += len(ws)
                self.body += ws
            elif t == "code_block":
                lit = c.literal.rstrip("\n")
                self.code.append((c.line, lit.split("\n")))
                ws = tokenize(lit)
                self.code_words.update(range(len(self.body), len(self.body) + len(ws)))
                self.body += ws
            elif t == "html_block":  # the text between its tags, as a paragraph (content.c)
                if not c.literal.lstrip().startswith("<!--"):
                    self.body += tokenize(html.unescape(re.sub(r"<!--.*?-->|<[^>]*>", " ", c.literal, flags=re.S)))
            elif t == "footnote_definition":
                self._ndefs += 1
                if self._ndefs in self._named:  # (else left out, as the program does)
                    self.notes.append(tokenize("".join(_all_text(c, []))))
            elif t == "table":
                self.body.append(("\0table", len(self.tables)))
                cols = []
                for row in c.children:
                    for k, cell in enumerate(row.children):
                        while len(cols) <= k:
                            cols.append([])
                        cols[k] += tokenize(_text(cell))
                self.tables.append(cols)
                self.table_rtl.append(rtl)
            elif t == "thematic_break":
                continue
            else:
                self._blocks(c, _div_rtl(c, rtl) if t == "div" else rtl)


# ------------------------------------------------------------------------- checks

def _inside(b, zone, eps=EPS):
    return b[0] >= zone[0] - eps and b[1] >= zone[1] - eps and b[2] <= zone[2] + eps and b[3] <= zone[3] + eps


def _area_box(pg):
    tx, ty, tw, th = pg.area
    return (tx, ty, tx + tw, ty + th)


def _is_running_rule(pg, it):
    tx, ty, tw, th = pg.area
    return (it.kind == "rule" and abs(it.h - 0.4) < 0.01 and abs(it.w - tw) < 0.01 and abs(it.x - tx) < 0.01
            and (it.y + it.h <= ty + EPS or it.y >= ty + th - EPS))


def _is_note_rule(pg, it):
    tx, ty, tw, th = pg.area
    return (it.kind == "rule" and abs(it.h - 0.4) < 0.01 and abs(it.w - tw / 4) < 0.01 and abs(it.x - tx) < 0.01
            and ty <= it.y <= ty + th)


def _check_zones(pg, out):
    page_box = (0.0, 0.0, pg.w, pg.h)
    area = _area_box(pg)
    note_rule = next((it for it in pg.items if _is_note_rule(pg, it)), None)
    for it in pg.items:
        if it.kind == "line" and not it.visible():
            continue
        b = it.box()
        if not _inside(b, page_box):
            out.append(Problem("page", pg.n, "%s lies outside the %.1f x %.1f page (box %.1f,%.1f..%.1f,%.1f)"
                               % (it.describe(), pg.w, pg.h, *b)))
            continue
        if it.kind in ("link", "dest"):
            continue
        if pg.kind == "cover" and (it.kind == "fill" or _is_backdrop(pg, it)):
            continue  # a colour field, a full-page picture (cropped to the page): anywhere on the page
        if it.kind == "line":
            hl, hr = it.hang
            lim = HANG_EM * it.size + EPS
            if hl > lim or hr > lim:
                out.append(Problem("measure", pg.n, "%s hangs %.1f/%.1f pt into the margins (at most %.1f)"
                                   % (it.describe(), hl, hr, lim)))
            # the measure: glyphs from the area's left edge (less the left hang) to its right
            # edge (plus the right hang)
            zb = (b[0] + hl, b[1], b[2] - hr, b[3])
        elif it.kind == "box":
            # a box broken by a page reaches past the text there (open=t/b), by at most 6 pt
            zb = (b[0], b[1] + (BOX_PAST if "t" in it.flags else 0), b[2],
                  b[3] - (BOX_PAST if "b" in it.flags else 0))
            zb = (zb[0], min(zb[1], zb[3]), zb[2], max(zb[1], zb[3]))
        else:
            zb = b
        running = it.has("running") if it.kind == "line" else _is_running_rule(pg, it)
        if pg.kind == "cover" or not running:
            if not _inside(zb, area):
                out.append(Problem("area", pg.n, "%s lies outside the text area %.1f,%.1f..%.1f,%.1f"
                                   % (it.describe(), *area)))
                continue
        if running:
            if b[3] > area[1] + EPS and b[1] < area[3] - EPS:
                out.append(Problem("area", pg.n, "running head %s reaches into the text area" % it.describe()))
            continue
        if note_rule is not None and it is not note_rule and pg.kind != "cover":
            if it.kind == "line" and it.has("note"):
                if b[1] < note_rule.y - EPS:
                    out.append(Problem("area", pg.n, "footnote %s is above the footnote rule (y=%.1f)"
                                       % (it.describe(), note_rule.y)))
            elif b[3] > note_rule.y + EPS:
                out.append(Problem("area", pg.n, "%s reaches below the footnote rule (y=%.1f)"
                                   % (it.describe(), note_rule.y)))
        elif it.kind == "line" and it.has("note") and pg.kind != "cover":
            out.append(Problem("area", pg.n, "footnote %s but no footnote rule on the page" % it.describe()))


def _is_backdrop(pg, it):
    """A cover's picture cropped to the whole page: under everything, like a colour field."""
    return pg.kind == "cover" and it.kind == "image" and it.clip is not None and \
        _inside((0.0, 0.0, pg.w, pg.h), it.box())


def _contains(outer, inner, eps=EPS):
    return _inside(inner, outer, eps)


def _check_boxes(pg, out):
    """A box (a tinted or ruled panel) holds what overlaps it: every line, image or rule
    that touches it lies wholly inside it, and two boxes are apart or one holds the other."""
    frames = [it for it in pg.items if it.kind == "box"]
    for bx in frames:
        fb = bx.box()
        for it in pg.items:
            if it is bx or it.kind in ("link", "dest", "fill") or (it.kind == "line" and not it.visible()):
                continue
            b = it.box()
            ox = min(fb[2], b[2]) - max(fb[0], b[0])
            oy = min(fb[3], b[3]) - max(fb[1], b[1])
            if ox <= OVERLAP or oy <= OVERLAP:
                continue
            if it.kind == "line" and it.has("running"):
                out.append(Problem("overlap", pg.n, "%s overlaps the running head %s" % (bx.describe(), it.describe())))
            elif not _contains(fb, b, BOX_EPS):
                if it.kind == "box" and _contains(b, fb, BOX_EPS):
                    continue  # (it holds this one: seen from the other side)
                out.append(Problem("overlap", pg.n, "%s reaches out of %s by %.1f x %.1f pt"
                                   % (it.describe(), bx.describe(), ox, oy)))


def _check_overlaps(pg, out):
    _check_boxes(pg, out)
    boxes = []
    for it in pg.items:
        if it.kind in ("link", "dest", "fill", "box") or (it.kind == "line" and not it.visible()) or _is_backdrop(pg, it):
            continue
        boxes.append((it.overlap_box(), it))
    boxes.sort(key=lambda t: t[0][1])
    active = []
    for b, it in boxes:
        active = [(ab, ai) for ab, ai in active if ab[3] > b[1] + OVERLAP]
        for ab, ai in active:
            ox = min(ab[2], b[2]) - max(ab[0], b[0])
            oy = min(ab[3], b[3]) - max(ab[1], b[1])
            over_picture = pg.kind == "cover" and {ai.kind, it.kind} == {"line", "image"} and \
                (ai if ai.kind == "line" else it).has("cover")
            if ox > OVERLAP and oy > OVERLAP and not over_picture:
                out.append(Problem("overlap", pg.n, "%s overlaps %s by %.1f x %.1f pt"
                                   % (ai.describe(), it.describe(), ox, oy)))
        active.append((b, it))


def _check_lines(pg, out):
    paras = {}
    for it in pg.items:
        if it.kind != "line":
            continue
        if it.has("overfull"):
            out.append(Problem("overfull", pg.n, "%s is overfull" % it.describe()))
        if it.para:
            paras.setdefault(it.para[0], []).append(it)
    return paras


def _check_measure(all_paras, out):
    for lines in all_paras.values():
        just = [it.w - it.hang[1] for _, it in lines if it.para[1] < it.para[2] and it.r != 0.0]
        if not just:
            continue
        m = max(just)
        for pn, it in lines:
            if it.w - it.hang[1] > m + EPS and not it.has("overfull"):
                out.append(Problem("measure", pn, "%s is %.1f pt wide, its paragraph's measure %.1f"
                                   % (it.describe(), it.w - it.hang[1], m)))


def _check_links(pg, out):
    lines = [it.box() for it in pg.items if it.kind == "line" and it.visible()]
    for it in pg.items:
        if it.kind != "link":
            continue
        b = it.box()
        ok = any(min(lb[2], b[2]) - max(lb[0], b[0]) > 0 and min(lb[3], b[3]) - max(lb[1], b[1]) > 0 for lb in lines)
        if not ok:
            out.append(Problem("link", pg.n, "link to %s at x=%.1f y=%.1f %.1fx%.1f lies on no line of text"
                               % (it.uri, it.x, it.y, it.w, it.h)))


def _flow(pg):
    """Body lines and figures of a page in reading order (no notes, running heads, markers)."""
    return [it for it in pg.items
            if (it.kind == "line" and it.visible() and not (it.flags & {"note", "running", "marker", "cover", "qr"}))
            or it.kind == "image"]


def _opens_heading(pg, line):
    """Whether a heading line is its heading's first: its destination is drawn just before it."""
    k = next(i for i, it in enumerate(pg.items) if it is line)
    return k > 0 and pg.items[k - 1].kind == "dest"


def _plain(node):
    return "".join(c.literal if c.literal is not None else _plain(c) for c in node.children)


def _headings_before_breaks(path):
    """The text of every heading of the source that a \\newpage follows (thematic breaks
    between them aside): the author ends its page there (a part's title page), and the
    program says so with a warning; such a heading may end a page."""
    from md_ast import parse_file
    _, doc, _ = parse_file(path)
    out, open_heading = set(), None
    for c in doc.children:
        if c.type == "heading":
            open_heading = " ".join(_plain(c).split())
        elif c.type == "thematic_break":
            continue
        else:
            kids = c.children
            if (open_heading and c.type == "paragraph" and len(kids) == 1 and kids[0].type == "text"
                    and kids[0].literal in ("\\newpage", "\\pagebreak")):
                out.add(open_heading)
            open_heading = None
    return out


def _check_pages(pages, widows, orphans, out, before_break=frozenset()):
    body = [pg for pg in pages if pg.kind in ("body", "back") and _flow(pg)]
    last = body[-1].n if body else 0
    for k, pg in enumerate(body):
        flow = _flow(pg)
        tail = flow[-1]
        # (a heading that ends the text before the back cover has nothing to keep with)
        ends_part = pg.kind == "body" and k + 1 < len(body) and body[k + 1].kind == "back"
        as_written = any(h.endswith(" ".join(tail.text.split())) for h in before_break)
        # (a page of headings alone that the next page's goes on, with a heading's first
        # line: a run of headings taller than a page, which ends a page with a heading
        # wherever it is broken between two; between a heading's lines is no such break)
        nxt = _flow(body[k + 1]) if k + 1 < len(body) else []
        run = (all(it.kind == "line" and it.has("heading") for it in flow) and nxt and nxt[0].kind == "line"
               and nxt[0].has("heading") and _opens_heading(body[k + 1], nxt[0]))
        if (tail.kind == "line" and tail.has("heading") and pg.n != last and not ends_part and not as_written
                and not run):
            out.append(Problem("heading-end", pg.n, "the page ends with %s" % tail.describe()))
        for a, b in zip(flow, flow[1:]):  # a column that ends with a heading, the text beside it
            if (a.kind == "line" and a.has("heading") and b.kind == "line" and b.y < a.y - EPS
                    and abs(b.x - a.x) > EPS):
                out.append(Problem("heading-end", pg.n, "a column ends with %s" % a.describe()))
        paras = [it for it in flow if it.kind == "line" and it.para]
        if not paras or pg.kind != "body":
            continue
        first, lastp = paras[0].para, paras[-1].para
        n_first = sum(1 for it in paras if it.para[0] == first[0])
        if first[1] > 1 and first[1] + n_first - 1 == first[2] and n_first < widows:
            out.append(Problem("widow", pg.n, "the last %d line(s) of paragraph %d stand alone at the top"
                               % (n_first, first[0])))
        n_last = sum(1 for it in paras if it.para[0] == lastp[0])
        if lastp[1] < lastp[2] and lastp[1] == n_last and n_last < orphans:
            out.append(Problem("orphan", pg.n, "the first %d line(s) of paragraph %d stand alone at the foot"
                               % (n_last, lastp[0])))


# ---- words

class _Stream:
    """Lines of one kind in reading order, joined into words with their pages."""

    def __init__(self):
        self.lines = []  # (item, page number)

    def words(self, known=None, measure=None):
        """(words, pages). A line ending in a hyphen the setter added runs on into the
        next. With known (a _Known of the source's words) and measure(item, page) -> the
        width the line was set in: a word cut at a line end with no hyphen is taken whole
        when it is a source word too wide for that measure (the program breaks such a word
        where it must, with a warning); an ordinary word cut so is a fault."""
        words, pages = [], []
        carry, carry_page, first = "", None, None
        prev_text, cut_w = "", 0.0
        for it, pn in self.lines:
            own = it.text
            t = own
            if it.has("hyphen"):
                t = t.rstrip()
                if t.endswith(SHY) or t.endswith("-") or t.endswith("\u2010"):
                    t = t[:-1]
                carry += t
                carry_page = carry_page or pn
                first = first or (own, it)
                continue
            t = carry + t
            p0 = carry_page or pn
            head_text, head_it = first or (own, it)   # the line the text's first word is on
            carry, carry_page, first = "", None, None
            ws = tokenize(t)
            if ws and words and known is not None and t[:1].isalnum() and prev_text[-1:].isalnum():
                joined = words[-1] + ws[0]
                longest = 0 if known.pair(words[-1], ws[0]) else known.longest(joined)
                # the word's width: its pieces' (the runs of non-space characters at the
                # cut; one that is a whole line: that line's width)
                wide = cut_w + _piece_width(head_text.split()[0], head_text, head_it)
                if longest and wide * longest / len(joined) > CUT_SLACK * measure(it, pn):
                    words[-1] = type(ws[0])(joined)
                    cut_w = wide
                    ws = ws[1:]
                    p0 = pn
            if ws and own.split():
                cut_w = _piece_width(own.split()[-1], own, it)
            words += ws
            pages += ([p0] + [pn] * (len(ws) - 1)) if ws else []
            # a wrapped code line's continuation mark is not part of a word cut there
            prev_text = t[:-1] if t[-1:] in CONT_END else t
        if carry:
            ws = tokenize(carry)
            words += ws
            pages += [carry_page] * len(ws)
        return words, pages


def _para_measure(lines):
    """The width a paragraph was set in, as far as its lines show it: its justified lines'
    width; else, when its lines are centred on one axis, twice the distance from their
    left edge to it (a quote's right indent is not in the dump); else its widest line."""
    just = [it.w - it.hang[1] for it in lines if it.r != 0.0]
    if just:
        return max(just)
    spans = [(min(r.x0 for r in it.runs), max(r.x1 for r in it.runs)) for it in lines if it.runs]
    centres = [(a + b) / 2 for a, b in spans]
    if len(centres) > 1 and max(centres) - min(centres) < 0.5 and max(b - a for a, b in spans) > 0:
        return 2 * sum(centres) / len(centres)
    return max((b for _, b in spans), default=0.0)


def _piece_width(piece, text, it):
    """Width of a word at an end of line it (whose text is text): the line's own width when
    the word is all of it, else its share of the line by characters."""
    if text.strip() == piece:
        return it.w
    return it.w * len(piece) / max(len(text.strip()), 1)


class _Known:
    """The source's words, for telling a word cut where it must be from one cut wrongly."""

    def __init__(self, words):
        self._longest = {}
        ws = [w for w in words if isinstance(w, str)]
        for w in set(ws):
            for i in range(2, len(w) + 1):
                if self._longest.get(w[:i], 0) < len(w):
                    self._longest[w[:i]] = len(w)
        self._pairs = set(zip(ws, ws[1:]))

    def longest(self, prefix):
        """Length of the longest source word that starts with prefix (0: none)."""
        return self._longest.get(prefix, 0)

    def pair(self, a, b):
        """Whether the source has word a followed by word b (a line may end between them)."""
        return (a, b) in self._pairs


def _fmt(ws):
    return " ".join(w if isinstance(w, str) else "[table %d]" % (w[1] + 1) for w in ws)


def _compare(cls, what, want, got, got_pages, out, limit=3, code=None, code_cls="code-words"):
    """Problems for the differences between two word sequences. With code (a set of the
    indexes of want that are words of code blocks), a difference wholly inside a code
    block is of class code_cls: a code block broken inside its words, kept apart from
    words lost or changed in the prose."""
    if list(want) == list(got):
        return
    sm = difflib.SequenceMatcher(None, want, got, autojunk=False)
    counts = {}
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        span = range(i1, i2) if i2 > i1 else range(max(i1 - 1, 0), min(i1 + 1, len(want)))
        c = code_cls if code is not None and span and all(i in code for i in span) else cls
        counts[c] = counts.get(c, 0) + 1
        if counts[c] > limit:
            continue
        page = got_pages[min(j1, len(got_pages) - 1)] if got_pages else None
        before = _fmt(want[max(0, i1 - 6):i1])
        if op == "delete":
            msg = "%s: missing after \"...%s\": \"%s\"" % (what, before, _fmt(want[i1:min(i2, i1 + 12)]))
        elif op == "insert":
            msg = "%s: not in the source, after \"...%s\": \"%s\"" % (what, before, _fmt(got[j1:min(j2, j1 + 12)]))
        else:
            msg = "%s: after \"...%s\" the source has \"%s\", the page \"%s\"" % (
                what, before, _fmt(want[i1:min(i2, i1 + 12)]), _fmt(got[j1:min(j2, j1 + 12)]))
        out.append(Problem(c, page, msg))
    for c, n in counts.items():
        if n > limit:
            out.append(Problem(c, None, "%s: %d differences in all" % (what, n)))


class _Table:
    def __init__(self, k, rule=None, pg=None):
        self.k = k
        self.cols = {}      # x in the text area -> _Stream
        self.phase = "head"
        self.expect_repeat = False
        self.last = None  # (x, y) of its last cell line: a top rule above it and right of the
                          # table starts the next column, where the header is repeated
        self.pitch = None  # from one column to the next, from that rule: the table's own
                           # measure of it, taken before the page's guess from its other lines
                           # (which indented lines alone in a column mislead)
        self.at = None     # left and right ends in the text area of the column it is in now
                           # (its last top rule's)
        # left and right ends in the text area (from the top rule), the text width
        self.span = (rule.x - pg.area[0], rule.x - pg.area[0] + rule.w) if rule else None
        self.tw = pg.area[2] if pg else 0.0
        self.folded = None  # the column pitch its cells' x were taken back by (in a column
                            # but the first): its span is taken back by as much
        self.order = {}     # id of a cell's line -> its place in reading order

    def fold(self, p):
        """Its cells' x taken back by the column pitch p, as a later column's are: a table
        that goes on in the column on its left (columns that run right to left) began in
        a column but the first, before the pitch was known."""
        cols, self.cols = self.cols, {}
        for x in sorted(cols):
            k = _column_key(self.cols, x - p * int((x + EPS) // p) if x >= p - EPS else x)
            self.cols.setdefault(k, _Stream()).lines.extend(cols[x].lines)
        for st in self.cols.values():  # (two columns' lines merged: in the order read)
            st.lines.sort(key=lambda line: self.order[id(line[0])])
        self.folded = p

    def add(self, dx, it, pn):
        """A cell's line, dx from the text area's left (taken back to the first column)."""
        self.order[id(it)] = len(self.order)
        self.cols.setdefault(_column_key(self.cols, dx), _Stream()).lines.append((it, pn))

    def widths(self):
        """Each column's measure: to the next column less the gap between columns
        (flow.c: the cell font size, at most a quarter of the text width per column), the
        last to the table's right end."""
        xs = sorted(self.cols)
        size = max((it.size for x in xs for it, _ in self.cols[x].lines), default=10.0)
        gap = min(size, self.tw / (4.0 * max(len(xs), 1)))
        right = self.span[1] if self.span else xs[-1] + max(it.w for it, _ in self.cols[xs[-1]].lines)
        if self.span and self.folded:
            right -= self.folded * int((self.span[0] + EPS) // self.folded)
        return [(xs[i + 1] - xs[i] - gap) if i + 1 < len(xs) else right - xs[i] for i in range(len(xs))]


def _column_key(cols, dx):
    """The key of the column a cell at dx (from the text area's left) is in: a column
    already seen at it (one x taken from two rounded numbers of the dump, say
    154.1390 - 48.1890 on a recto and 148.4697 - 42.5197 on a verso, may fall either side
    of a .x5 when rounded to 0.1), else dx to 0.1. Keys are dx rounded, and a cell in a
    column but the first is taken back by a column pitch that may be rounded to 0.1 too
    (_column_pitch), so "within" is up to a rounding step and a half (columns of a table
    are a gap apart, several points)."""
    near = [x for x in cols if abs(x - dx) <= 0.15 + 1e-6]
    return min(near, key=lambda x: abs(x - dx)) if near else round(dx, 1)


def _column_pitch(pg, lines):
    """On a page set in columns, how far one column is from the next (from where the body's
    lines that are not table cells start); None on a page of one column.

    A column's lines start at its left edge or indented (a quotation, a list): the pitch is
    the one that puts the most lines of the right column where lines of the left one start
    (the same indents), and no line of the left column across it (its hang aside); of two
    as good, the shorter (a right column of quoted lines alone at 142.6, beside a left one
    with lines at 0 and 15, is at 127.6 with a gap of 14, not at 142.6 with one of 44)."""
    ax, _, aw, _ = pg.area
    count, spans = {}, []
    for it in lines:
        if it.visible() and not it.has("cell") and not it.has("running") and not it.has("marker") \
                and it.w < 0.55 * aw:
            x = round(it.x - ax, 1)
            count[x] = count.get(x, 0) + 1
            spans.append((it.x - ax, it.x - ax + it.w - it.hang[1]))
    starts = sorted(count)
    # (a column's lines start at one x; a right-set line alone does not make a column)
    far = [x for x in starts if x > 0.4 * aw and count[x] >= 3]
    if not far or not any(x < 0.05 * aw for x in starts):
        return None
    near = [x for x in starts if x <= 0.4 * aw]
    best, best_n = far[0], -1
    # (of two columns, as far is looked for: the gap between them, 2 p - aw, is not negative)
    for p in sorted({round(x - y, 1) for x in far for y in near if x - y > 0.5 * aw - 0.5}):
        if any(a < p - 1 and b > p + 0.5 for a, b in spans):
            continue
        n = sum(count[x] for x in starts if x > p - 1 and any(abs(x - p - y) <= 0.15 for y in near))
        if n > best_n:
            best, best_n = p, n
    return best


def _collect(pages):
    """Streams of the dump: cover, body (with table tokens), notes per page, captions per
    image, tables."""
    cover, body = _Stream(), _Stream()
    body_tokens = []          # ("stream", start line index) | ("table", k): the body's order
    notes = []                # (page, [note lines])
    captions = []             # (page, image item, _Stream)
    tables = []
    tbl = None
    for pg in pages:
        if tbl is not None:
            tbl.expect_repeat = True
        page_notes = []
        cap = None
        lines = [it for it in pg.items if it.kind == "line"]
        # a heading's first line: the first heading line after its destination (the outline's)
        firsts, dest = set(), False
        for it in pg.items:
            if it.kind == "dest":
                dest = True
            elif it.kind == "line" and it.has("heading") and dest:
                firsts.add(id(it))
                dest = False
            elif it.kind == "line" and it.visible():
                dest = False
        pitch = _column_pitch(pg, lines)
        for k, it in enumerate(lines):
            # the contents list's title and entries, made by the program from the headings
            # (tests/tools/toc_check.py checks them): not words of the source
            if it.has("heading") and k + 1 < len(lines) and lines[k + 1].has("toc"):
                it.flags = it.flags | {"toc"}
            # a heading's number from the layout
            if it.has("heading") and id(it) in firsts:
                t = _HEADNUM.sub("", it.text)
                goes_on = k + 1 < len(lines) and lines[k + 1].has("heading") and id(lines[k + 1]) not in firsts
                if t == it.text and goes_on and _HEADNUM.fullmatch(it.text + " "):
                    t = ""  # (the number alone on the first line: the heading goes on below it)
                it._text = t
            # a drop cap: the first letters of its paragraph's first line, read with it
            if it.has("initial"):
                first = next((l for l in lines[:k][::-1] if l.para and l.para[1] == 1), None)
                if first is not None:
                    first._text = it.text.strip() + first.text
                it.flags = it.flags | {"toc"}
        for it in pg.items:
            if it.kind == "line" and it.has("toc"):
                continue
            if it.kind == "image":
                cap = None
                if pg.kind != "cover":
                    cap = (pg.n, it, _Stream())
                    captions.append(cap)
                continue
            if it.kind == "rule":
                if tbl is not None and abs(it.h - 0.8) < 0.01:
                    # the table goes on in the next column: higher up, beside the table (on
                    # its right, or on its left in columns that run right to left) of the
                    # column it is in now (which, in a table begun in a column but the first
                    # and gone on over a page, is not the one it began in)
                    rx, at = it.x - pg.area[0], tbl.at or tbl.span
                    next_col = tbl.last and at and it.y < tbl.last[1] - EPS and \
                        (rx >= at[1] - EPS or rx + it.w <= at[0] + EPS)
                    if next_col:
                        tbl.pitch = abs(rx - at[0])
                        if not tbl.folded and rx < at[0]:
                            tbl.fold(tbl.pitch)
                    elif next_col:
                        # (the rule measures the pitch exactly; the page's lines may not: an
                        # indented list or quote all that the next column holds besides it)
                        tbl.pitch = abs(it.x - pg.area[0] - tbl.span[0])
                    if tbl.expect_repeat and not tbl.folded and tbl.span and \
                            it.x - pg.area[0] < tbl.span[0] - EPS:
                        # on the next page it goes on in a column left of the one it began
                        # in (a table begun in the right column): that column's x
                        tbl.fold(tbl.span[0] - (it.x - pg.area[0]))
                    if tbl.expect_repeat or next_col:
                        tbl.phase, tbl.expect_repeat = "repeat", False
                        tbl.at = (rx, rx + it.w)
                    else:
                        tbl = None
                elif tbl is not None and abs(it.h - 0.5) < 0.01 and tbl.phase in ("head", "repeat"):
                    tbl.phase = "body"
                elif tbl is None and abs(it.h - 0.8) < 0.01 and pg.kind != "cover":
                    tbl = _Table(len(tables), it, pg)
                    tables.append(tbl)
                    body_tokens.append(("table", tbl.k))
                continue
            if it.kind != "line" or not it.visible():
                continue
            if it.has("caption"):
                if cap is not None:
                    cap[2].lines.append((it, pg.n))
                continue
            cap = None
            if it.has("running") or it.has("marker") or it.has("qr"):
                continue
            if pg.kind == "cover" or it.has("cover"):
                cover.lines.append((it, pg.n))
            elif it.has("note"):
                page_notes.append(it)
            elif it.has("cell"):
                if tbl is None:
                    tbl = _Table(len(tables), None, pg)
                    tables.append(tbl)
                    body_tokens.append(("table", tbl.k))
                if tbl.phase == "repeat":
                    continue
                tbl.expect_repeat = False
                tbl.last = (it.x, it.y)
                dx = it.x - pg.area[0]
                p = tbl.pitch or pitch
                if p and dx >= p - EPS and not it.has("across"):  # carried to the next column
                    dx -= p * int((dx + EPS) // p)
                    tbl.folded = p
                tbl.add(dx, it, pg.n)
            else:
                tbl = None          # a table holds cells only: this line is after it
                if not body_tokens or body_tokens[-1][0] != "stream":
                    body_tokens.append(("stream", len(body.lines)))
                body.lines.append((it, pg.n))
        notes.append((pg.n, page_notes))
    for t in tables:
        # cells set in a column but the first on a page that did not tell the pitch (no
        # lines of text in the left column, no header repeated), the table's own rules
        # told it later
        if t.pitch and any(x >= t.pitch - EPS for x in t.cols):
            t.fold(t.pitch)
    return cover, body, body_tokens, notes, captions, tables


def _body_words(body, body_tokens, known, measure):
    """The body's words with ("\\0table", k) tokens where the tables are, and their pages."""
    words, pages = [], []
    bounds = [t for t in body_tokens]
    for i, (kind, v) in enumerate(bounds):
        if kind == "table":
            words.append(("\0table", v))
            pages.append(None)
            continue
        end = next((bv for bk, bv in bounds[i + 1:] if bk == "stream"), len(body.lines))
        s = _Stream()
        s.lines = body.lines[v:end]
        w, p = s.words(known, measure)
        words += w
        pages += p
    for i, p in enumerate(pages):  # a table's page: the page of the words after it
        if p is None:
            pages[i] = next((q for q in pages[i:] if q is not None), None)
    return words, pages


def _printed_numbers(src, notes):
    """When the notes at the feet of the pages are the source's in another numbering (the
    program numbers them by the order they are first printed when that differs from the
    order of first reference): {source number: printed number}, else None. A printed note
    is known by the number that opens it (at the start of a note's first line, an en space
    after it) followed by the first words of a source note (numbers left out: the notes a
    note names are numbered anew too); a mark inside a note's text is no note's number,
    even when the words after it are another note's first ones."""
    def head(ws):
        return [w for w in ws if not w.isdigit()][:16]

    def common(a, b):
        k = 0
        while k < len(a) and k < len(b) and a[k] == b[k]:
            k += 1
        return k
    heads = [head(nt[:48]) for nt in src.notes]
    known = _Known([w for nt in src.notes for w in nt])
    found, n = {}, len(src.notes)
    for pn, lines in notes:
        for j, it in enumerate(lines):
            m = re.match(r"\s*(\d+)\u2002", it.text)
            if not (m and 1 <= int(m.group(1)) <= n and int(m.group(1)) not in found):
                continue
            w = m.group(1)
            st = _Stream()
            st.lines = [(x, pn) for x in lines[j:j + 8]]
            ws, _ = st.words(known, lambda it, p: 1e9)
            h, best, at = head(ws[1:49]), 0, None
            for k, sh in enumerate(heads):  # the note whose first words the page shows most of
                c = common(h, sh)
                if k + 1 not in found.values() and sh and (c == len(sh) or c >= 4) and c > best:
                    best, at = c, k + 1
            if at:
                found[int(w)] = at
    if sorted(found) != list(range(1, n + 1)) or sorted(found.values()) != list(range(1, n + 1)):
        return None
    if all(p == s for p, s in found.items()):
        return None
    return {s: p for p, s in found.items()}


def _check_notes(src, notes, pages, out, measure):
    want = src.notes
    known = _Known([w for n in want for w in n])
    # the marks on each page: footnote numbers set small in its lines (a note's own lines
    # too: a note may refer to another, which then goes on the same page)
    marks = {}
    for pg in pages:
        s = set()
        for it in pg.items:
            if it.kind == "line":
                big = it.size
                for r in it.runs:
                    if _is_mark(r, big):
                        s.add(int(r.text.strip()))
        marks[pg.n] = s
    printed = []             # first printings, in order
    carry = None             # (note number, words still to come)
    cut = set()              # pages whose notes end with a note that goes on
    pages_with_notes = []

    by_n = {pg.n: pg for pg in pages}

    def held_over(no, pn, lines):
        """Whether note no, first printed on page pn without its mark there, was held over
        (TeX holds over the insertions that do not fit, or follow a split one): its mark is
        on an earlier page, and that page and every page of notes since ended their notes
        with a note that goes on or had no room left for this one (a page filled with the
        rest of a carried note and the notes held over before this one)."""
        p0 = max((p for p in marks if p < pn and no in marks[p]), default=None)
        if p0 is None:
            return False
        return all(q in cut or _room_left(by_n[q]) < _note_height(lines, no)
                   for q in [p0] + [q for q in pages_with_notes if p0 < q < pn])

    for pn, lines in notes:
        if not lines:
            continue
        pages_with_notes.append(pn)
        own = False          # a note that this page refers to was printed: none held over after it
        st = _Stream()
        st.lines = [(it, pn) for it in lines]
        ws, _ = st.words(known, measure)
        i = 0
        if carry is not None:
            no, rest = carry
            take = ws[i:i + len(rest)]
            if take != rest[:len(take)]:
                k = _common(take, rest)
                out.append(Problem("notes", pn, "note %d goes on here, but after \"%s\" the page has \"%s\", "
                                   "the source \"%s\"" % (no, _fmt(take[max(0, k - 6):k]), _fmt(take[k:k + 8]),
                                                          _fmt(rest[k:k + 8]))))
                return
            i += len(take)
            carry = None if len(take) == len(rest) else (no, rest[len(take):])
            if carry is not None:
                cut.add(pn)
        while i < len(ws):
            w = ws[i]
            no = int(w) if w.isdigit() else 0
            if not 1 <= no <= len(want):
                out.append(Problem("notes", pn, "the page's notes go on with \"%s\", not a note's number"
                                   % _fmt(ws[i:i + 12])))
                return
            body = want[no - 1]
            take = ws[i + 1:i + 1 + len(body)]
            if take != body[:len(take)]:
                k = _common(take, body)
                nxt = take[k] if k < len(take) else ""
                if nxt.isdigit() and 1 <= int(nxt) <= len(want) and take[k + 1:k + 3] == want[int(nxt) - 1][:2]:
                    out.append(Problem("notes", pn, "note %d is cut after \"%s\" and note %s follows it on the "
                                       "page (only the last note of a page may go on over it)"
                                       % (no, _fmt(take[max(0, k - 6):k]), nxt)))
                else:
                    out.append(Problem("notes", pn, "note %d: after \"%s\" the page has \"%s\", the source \"%s\""
                                       % (no, _fmt(take[max(0, k - 6):k]), _fmt(take[k:k + 8]), _fmt(body[k:k + 8]))))
                return
            i += 1 + len(take)
            whole = len(take) == len(body)
            if no in printed:
                if no not in marks.get(pn, ()):
                    out.append(Problem("notes", pn, "note %d printed again on a page without its mark" % no))
            else:
                printed.append(no)
                if no in marks.get(pn, ()):
                    own = True
                elif own or not held_over(no, pn, lines):
                    out.append(Problem("notes", pn, "note %d is at the foot of a page that does not refer to it"
                                       % no))
            if not whole:
                if i < len(ws):
                    out.append(Problem("notes", pn, "note %d is cut short and another follows it" % no))
                    return
                carry = (no, body[len(take):])
                cut.add(pn)
    if carry is not None:
        out.append(Problem("notes", None, "note %d never goes on: missing \"%s\"" % (carry[0], _fmt(carry[1][:12]))))
    if printed != list(range(1, len(printed) + 1)) or len(printed) != len(want):
        missing = [k for k in range(1, len(want) + 1) if k not in printed]
        if missing:
            out.append(Problem("notes", None, "notes %s never printed" % ", ".join(map(str, missing[:10]))))
        else:
            out.append(Problem("notes", None, "notes printed in the order %s, not by first reference"
                               % ", ".join(map(str, printed[:40]))))


def _note_height(lines, no):
    """Height of note no's lines among a page's note lines (each note's first line opens
    with its number and an en space)."""
    h, inside = 0.0, False
    for it in lines:
        m = re.match(r"\s*(\d+)\u2002", it.text)
        if m:
            inside = int(m.group(1)) == no
        if inside:
            h += it.h
    return h


def _room_left(pg):
    """Room a page leaves between its body and its notes (or the text area's foot), less a
    line of its text: the program counts the notes' height in whole lines of text, and the
    body by its slots, not its ink."""
    tx, ty, tw, th = pg.area
    rule = next((it for it in pg.items if _is_note_rule(pg, it)), None)
    if not any(it.kind == "line" and it.has("note") for it in pg.items):
        rule = None
    body = [it for it in pg.items if not _is_note_rule(pg, it) and it.kind in ("line", "image", "rule", "box") and
            not (it.kind == "line" and (not it.visible() or it.flags & {"note", "running", "marker"}))]
    bottom = max((it.box()[3] for it in body), default=ty)
    line = max((it.h for it in body if it.kind == "line"), default=0.0)
    return (rule.y if rule is not None else ty + th) - bottom - line


def _common(a, b):
    """Length of the common start of two word lists."""
    k = 0
    while k < len(a) and k < len(b) and a[k] == b[k]:
        k += 1
    return k


def _check_figures(src, captions, out, measure):
    placed = [(pn, im) for pn, im, _ in captions]
    want = [f.src for f in src.figures]
    got = [im.src for _, im in placed]
    if sorted(want) != sorted(got):
        from collections import Counter
        wc, gc = Counter(want), Counter(got)
        for s in wc:
            if gc[s] < wc[s]:
                f = next(f for f in src.figures if f.src == s)
                out.append(Problem("figures", None, "figure %s (%s:%d) placed %d time(s), written %d"
                                   % (s, os.path.basename(src.path), f.line, gc[s], wc[s])))
        for s in gc:
            if gc[s] > wc[s]:
                pn = next(pn for pn, im in placed if im.src == s)
                out.append(Problem("figures", pn, "figure %s placed %d time(s), written %d" % (s, gc[s], wc[s])))
    elif want != got:
        k = next(i for i in range(len(want)) if want[i] != got[i])
        out.append(Problem("figures", placed[k][0], "figures out of order: %s placed before %s"
                           % (got[k], want[k])))
    # captions: each placed picture's caption is the description of one figure of that
    # picture not matched yet (the same picture may be a figure twice, with two captions)
    unused = list(src.figures)
    for pn, im, st in captions:
        figs = [f for f in unused if f.src == im.src]
        if not figs:
            continue
        w, p = st.words(_Known([x for f in figs for x in f.caption]), measure)
        f = next((f for f in figs if list(f.caption) == list(w)), figs[0])
        unused.remove(f)
        _compare("captions", "caption of %s (line %d)" % (im.src, f.line), f.caption, w, p or [pn], out, limit=1)


def _check_code(src, body, out):
    def key(s):
        return "".join(s.split())
    lines = [(key(it.text), it, pn) for it, pn in body.lines if not it.has("heading")]
    at = {}
    for j, (k, _, _) in enumerate(lines):
        at.setdefault(k, []).append(j)
    # lines that go on in the next (a continuation mark at the end, or at the next's start)
    conts = [j for j in range(len(lines))
             if lines[j][0][-1:] in CONT_END or (j + 1 < len(lines) and lines[j + 1][0][:1] in CONT_START)]
    pos = 0
    for line0, code in src.code:
        bad = []
        for k, cl in enumerate(code):
            want = key(cl)
            if not want:
                continue
            cands = [j for j in at.get(want, ()) if j >= pos][:1]
            cands += [j for j in conts[bisect.bisect_left(conts, pos):] if want.startswith(_strip_marks(lines[j][0]))][:50]
            found = None
            for j in sorted(cands):
                if lines[j][0] == want:
                    found = j + 1
                    break
                acc, q = "", j
                while q < len(lines):
                    g = lines[q][0]
                    nxt = lines[q + 1][0] if q + 1 < len(lines) else ""
                    cont = g[-1:] in CONT_END or nxt[:1] in CONT_START
                    g = g[1:] if q > j and g[:1] in CONT_START else g
                    if q > j and acc + g == want:  # (the code line itself ends in a backslash)
                        acc += g
                        break
                    g = g[:-1] if g[-1:] in CONT_END else g
                    acc += g
                    if not cont or not want.startswith(acc) or acc == want:
                        break
                    q += 1
                if acc == want and q > j:
                    found = q + 1
                    break
            if found is None:
                bad.append((k, cl))
            else:
                pos = found
        if bad:
            k, cl = bad[0]
            where = _locate(lines, pos, cl)
            out.append(Problem("code-lines", where,
                               "code block at %s:%d: %d of its %d lines are not lines of their own, the first "
                               "line %d \"%s\"" % (os.path.basename(src.path), line0, len(bad),
                                                   sum(1 for c in code if c.strip()), line0 + 1 + k,
                                                   cl.strip()[:50])))


def _strip_marks(g):
    g = g[:-1] if g[-1:] in CONT_END else g
    return g[1:] if g[:1] in CONT_START else g


def _locate(lines, pos, cl):
    ws = cl.split()
    if not ws:
        return None
    for j in range(pos, len(lines)):
        if ws[0] in lines[j][1].text:
            return lines[j][2]
    return None


def _check_qr(src, pages, out):
    """The QR codes: on the back cover only, encoding the front matter's url: (or qr:),
    each with its module rows, and the line under it its text."""
    back = [pg for pg in pages if pg.kind == "back"]
    for pg in pages:
        codes = [it for it in pg.items if it.kind == "qr"]
        for it in codes:
            if pg.kind != "back":
                out.append(Problem("qr", pg.n, "a QR code on a %s page, not the back cover" % pg.kind))
            if len(it.rows) != it.modules or any(len(r) != it.modules for r in it.rows):
                out.append(Problem("qr", pg.n, "the QR code's rows are not %d modules square" % it.modules))
            if src.qr is None or it.qtext != src.qr:
                out.append(Problem("qr", pg.n, "the QR code encodes %r, the front matter says %r" % (it.qtext, src.qr)))
            under = " ".join(t.text for t in pg.items if t.kind == "line" and t.has("qr"))
            if tokenize(under) != tokenize(it.qtext):
                out.append(Problem("qr", pg.n, "the line under the QR code reads %r, not its text %r"
                                   % (under, it.qtext)))
        if len(codes) > 1:
            out.append(Problem("qr", pg.n, "%d QR codes on one page" % len(codes)))
    if src.qr and back and not any(it.kind == "qr" for it in back[-1].items):
        out.append(Problem("qr", back[-1].n, "the front matter's url %r is not on the back cover as a QR code" % src.qr))


def check(dump_path, source_path=None, widows=2, orphans=2, dump_text=None):
    """Every problem of a layout dump (and its source, when given) as [Problem]."""
    if dump_text is None:
        with open(dump_path, encoding="utf-8", errors="surrogateescape") as f:
            dump_text = f.read()
    pages = parse_dump(dump_text)
    out = []
    all_paras = {}
    for pg in pages:
        _check_zones(pg, out)
        _check_overlaps(pg, out)
        for k, v in _check_lines(pg, out).items():
            all_paras.setdefault(k, []).extend((pg.n, it) for it in v)
        _check_links(pg, out)
    _check_measure(all_paras, out)
    _check_pages(pages, widows, orphans, out, _headings_before_breaks(source_path) if source_path else frozenset())
    if source_path:
        src = Source(source_path)
        cover, body, tokens, notes, captions, tables = _collect(pages)
        renum = _printed_numbers(src, notes)
        if renum:
            src = Source(source_path, renum)
        widths = {pg.n: pg.area[2] for pg in pages}
        rights = {pg.n: pg.area[0] + pg.area[2] for pg in pages}
        para_measure = {k: _para_measure([it for _, it in lines]) for k, lines in all_paras.items()}

        def text_width(it, pn):
            return widths[pn]

        def body_measure(it, pn):
            return para_measure[it.para[0]] if it.para else rights[pn] - it.x
        if any(pg.kind == "cover" for pg in pages):
            w, p = cover.words(_Known(src.cover), text_width)
            want = src.cover
            if src.issue and list(w) == src.cover[len(src.issue):] + src.issue:
                want = list(w)  # the issue line at the foot (cover.issue: bottom), read last
            _compare("cover", "cover", want, w, p, out, limit=1)
        w, p = _body_words(body, tokens, _Known(src.body), body_measure)
        _compare("words", "body", src.body, w, p, out, code=src.code_words)
        for k, t in enumerate(tables):
            if k >= len(src.tables):
                break
            # a right-to-left table's first column is on the right (the table's direction:
            # its document's or div's, as the source says)
            rtl = src.table_rtl[k]
            cols = [t.cols[x] for x in sorted(t.cols, reverse=rtl)]
            colws = t.widths() if cols else []
            colws = colws[::-1] if rtl else colws
            want = src.tables[k]
            for c in range(max(len(cols), len(want))):
                wc = want[c] if c < len(want) else []
                if c < len(cols):
                    gw, gp = cols[c].words(_Known(wc), lambda it, pn, w=colws[c]: w)
                else:
                    gw, gp = [], []
                _compare("tables", "table %d column %d" % (k + 1, c + 1), wc, gw, gp, out, limit=1)
        _check_notes(src, notes, pages, out, text_width)
        _check_figures(src, captions, out, text_width)
        _check_code(src, body, out)
        _check_qr(src, pages, out)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="Layout invariants of a --dump-layout file (see the module docstring).")
    ap.add_argument("dump")
    ap.add_argument("--source", help="the content .md the dump was made from: adds the figure, word, note, "
                                     "table, cover and code-line checks")
    ap.add_argument("--widows", type=int, default=2)
    ap.add_argument("--orphans", type=int, default=2)
    ap.add_argument("--only", help="comma-separated classes to report (default: all)")
    a = ap.parse_args(argv)
    try:
        problems = check(a.dump, a.source, a.widows, a.orphans)
    except (OSError, ValueError, RuntimeError) as e:
        print("layout_check: %s: %s" % (a.dump, e), file=sys.stderr)
        return 2
    if a.only:
        keep = set(a.only.split(","))
        problems = [p for p in problems if p.cls in keep]
    for p in problems:
        print("%s: %s" % (a.dump, p))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
