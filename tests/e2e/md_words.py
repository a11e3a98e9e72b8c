#!/usr/bin/env python3
"""Words of a pamphlet, as a reader would see them.

One normalisation shared by every checker that compares texts word by word:

* ``md_words(path)`` turns a content ``.md`` file (YAML front matter + the
  CommonMark/GFM subset pamphlet supports) into its sequence of words:
  front matter title, subtitle, author, date first, then the body with the
  markup removed (headings, emphasis, link and image syntax -- an image keeps
  its alt text, which is its caption --, footnote markers, backslash escapes,
  list and quote markers, thematic breaks, ``\\newpage``).
* ``text_words(text)`` does the same for plain text (a seed text, or what
  ``pdftotext`` extracts from the rendered PDF): it can drop page-number lines
  and rejoins words hyphenated across line breaks.
* ``tokenize(text)`` is the word splitter both use: Unicode NFKC, curly and
  straight apostrophes made the same, a word is a run of letters/digits
  (an apostrophe between two such runs stays inside the word: "didn't").
  Dashes, hyphens, slashes and all other punctuation separate words.

Each word is a ``Word`` (a ``str`` subclass) with two extra attributes:
``heading`` (True for words of a Markdown heading, where a case change is
acceptable) and ``parts`` (for a word rejoined across a hyphenated line break:
the two halves, so a checker may also accept them as two words).

CLI: ``md_words.py FILE.md`` prints one word per line.
"""

import argparse
import html
import re
import sys
import unicodedata

__all__ = ["Word", "tokenize", "md_words", "md_words_from_text",
           "text_words", "split_front_matter", "FRONT_MATTER_WORD_KEYS"]

# Front matter keys whose values a reader sees, in the order they are read.
FRONT_MATTER_WORD_KEYS = ("title", "subtitle", "author", "date")


class Word(str):
    """A word; ``heading`` marks heading words, ``parts`` rejoined halves."""

    heading = False
    parts = None

    def __new__(cls, text, heading=False, parts=None):
        w = str.__new__(cls, text)
        w.heading = heading
        w.parts = parts
        return w


_APOSTROPHES = dict.fromkeys(map(ord, "\u2019\u2018\u02bc\u2032\uff07"), "'")
# Unicode superscript digits are footnote markers in the seed texts
# ("Massanello \u00b9 may"); NFKC would turn them into ordinary digits.
_SUPERSCRIPTS = dict.fromkeys(map(ord, "\u00b9\u00b2\u00b3\u2070\u2074\u2075"
                                  "\u2076\u2077\u2078\u2079"), " ")
# Chinese and Japanese characters (ideographs, kana) are words of one character each:
# those scripts put no spaces between words and lines break between any two characters.
_CJK = "\u2e80-\u2fff\u3005-\u3007\u3021-\u3029\u3031-\u303c\u3040-\u30ff\u3190-\u31ff\u3400-\u4dbf" \
       "\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003ffff"
_WORD_RE = re.compile(r"[%s]|(?:(?![%s])[^\W_])+(?:'(?:(?![%s])[^\W_])+)*" % (_CJK, _CJK, _CJK))


def tokenize(text, heading=False):
    """Split text into Words (see the module docstring for the rules)."""
    text = text.translate(_SUPERSCRIPTS)
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_APOSTROPHES)
    return [Word(m.group(0), heading) for m in _WORD_RE.finditer(text)]


# ---------------------------------------------------------------- plain text

_NUMBER_LINE_RE = re.compile(r"^\s*\d+\s*$")
_HYPHEN_END_RE = re.compile(r"([^\W\d_]+)[-\u00ad\u2010]$")
_LOWER_START_RE = re.compile(r"^([^\W\d_]+(?:['\u2019][^\W_]+)*)")


def text_words(text, drop_number_lines=True, dehyphenate=True, rejoined=None):
    """Words of a plain text.

    drop_number_lines: lines holding only a number (old page numbers) are
    dropped.  dehyphenate: a line ending in letter + "-" followed by a line
    starting with a lowercase letter is taken as one word hyphenated by the
    line break; the word is rejoined (its ``parts`` keep both halves, since
    a real compound like "twenty-\\nfive" can't be told apart).  If
    ``rejoined`` is a list, (joined, first_half, second_half, line_number)
    tuples are appended to it.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = []
    for n, line in enumerate(lines, 1):
        if drop_number_lines and _NUMBER_LINE_RE.match(line):
            continue
        kept.append((n, line.rstrip()))
    words = []
    carry = None  # (first half, line number) waiting for its second half
    for idx, (n, line) in enumerate(kept):
        body = line
        if carry is not None:
            head, hn = carry
            carry = None
            m = _LOWER_START_RE.match(body.lstrip())
            tail = m.group(1).translate(_APOSTROPHES)
            joined = head + tail
            words.append(Word(joined, parts=(head, tail)))
            if rejoined is not None:
                rejoined.append((joined, head, tail, hn))
            body = body.lstrip()[len(tail):]
        if dehyphenate:
            m = _HYPHEN_END_RE.search(body)
            nxt = _next_text_line(kept, idx)
            if (m and not body.endswith("--") and nxt is not None
                    and nxt[:1].islower()
                    and _LOWER_START_RE.match(nxt)):
                # the first half must be a word of its own (not "x--y-")
                before = body[:m.start(1)]
                words.extend(tokenize(before))
                carry = (m.group(1), n)
                continue
        words.extend(tokenize(body))
    if carry is not None:  # hyphen at the very end: keep the half
        words.append(Word(carry[0]))
    return words


def _next_text_line(kept, idx):
    if idx + 1 < len(kept):
        return kept[idx + 1][1].lstrip()
    return None


# ---------------------------------------------------------------- front matter

def _yaml_scalar(value):
    value = value.strip()
    if not value:
        return ""
    if value[0] == '"':
        m = re.match(r'"((?:[^"\\]|\\.)*)"', value)
        if m:
            s = m.group(1)
            s = re.sub(r'\\u([0-9a-fA-F]{4})',
                       lambda mm: chr(int(mm.group(1), 16)), s)
            return re.sub(r'\\(.)', r'\1', s)
    if value[0] == "'":
        m = re.match(r"'((?:[^']|'')*)'", value)
        if m:
            return m.group(1).replace("''", "'")
    return re.sub(r"\s+#.*$", "", value).strip()


def split_front_matter(text):
    """Return (dict of top-level scalar keys, body text, body start line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    # as input/frontmatter.c reads it: "---" at the start of the first line (spaces after
    # it), closed by "---" or "..." at the start of a line
    if not lines or not re.match(r"---[ \t]*$", lines[0]):
        return {}, text, 1
    meta = {}
    for i in range(1, len(lines)):
        line = lines[i]
        if re.match(r"(---|\.\.\.) *$", line):
            return meta, "\n".join(lines[i + 1:]), i + 2
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:(.*)$", line)
        if m:
            meta[m.group(1)] = _yaml_scalar(m.group(2))
    return {}, text, 1  # unterminated: not front matter


# ---------------------------------------------------------------- Markdown

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_THEMATIC_RE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|"
                          r"(?:_[ \t]*){3,})$")
_SETEXT_EQ_RE = re.compile(r"^ {0,3}=+[ \t]*$")
_QUOTE_RE = re.compile(r"^ {0,3}> ?")
_LIST_RE = re.compile(r"^ {0,3}(?:[-+*]|(\d{1,9})[.)])(?:[ \t]+|$)")
_FOOTDEF_RE = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]*")
_NEWPAGE_RE = re.compile(r"^[ \t]*\\newpage[ \t]*$")
_LINKDEF_RE = re.compile(r"^ {0,3}\[[^\]^][^\]]*\]:\s*\S+.*$")

_IMAGE_RE = re.compile(r"!\[((?:[^\]\\]|\\.)*)\]\((?:[^()\s]|\([^()]*\))*"
                       r"(?:\s+\"[^\"]*\")?\)(?:\{[^}]*\})?")
_LINK_RE = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\((?:[^()\s]|\([^()]*\))*"
                      r"(?:\s+\"[^\"]*\")?\)")
_AUTOLINK_RE = re.compile(r"<((?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)|"
                          r"(?:[^<>\s@]+@[^<>\s@]+))>")
_FOOTREF_RE = re.compile(r"\[\^([^\]\s]+)\]")
_ESCAPABLE = r"!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~"
_ESCAPE_RE = re.compile(r"\\([" + _ESCAPABLE + r"])")
_HTML_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
# pandoc's fenced divs (::: box) and attribute blocks ({#id .class key=value}) at the end
# of a heading or paragraph are markup, not text
_DIV_FENCE_RE = re.compile(r"^[ \t]*:{3,}")
_ATTR_TOKEN = r"(?:[.#][\w:-]+|[\w:-]+=(?:\"[^\"]*\"|'[^']*'|[^\s}]+))"
_TRAILING_ATTRS_RE = re.compile(r"[ \t]+\{[ \t]*" + _ATTR_TOKEN + r"(?:[ \t]+" + _ATTR_TOKEN
                                + r")*[ \t]*\}[ \t]*$")


def _inline_text(s, footnote_marks):
    """Visible text of one block's inline Markdown."""
    # protect escaped characters from the markup regexes
    stash = []

    def protect(m):
        stash.append(m.group(1))
        return "\x00%d\x01" % (len(stash) - 1)

    s = _ESCAPE_RE.sub(protect, s)
    s = _TRAILING_ATTRS_RE.sub("", s)
    s = re.sub(r"\\$", "", s, flags=re.M)         # hard line breaks
    s = re.sub(r"`+", "", s)                       # code spans
    s = _IMAGE_RE.sub(lambda m: " %s " % m.group(1), s)
    s = _LINK_RE.sub(lambda m: m.group(1), s)
    s = _AUTOLINK_RE.sub(lambda m: m.group(1), s)  # shown as written
    s = _FOOTREF_RE.sub(
        (lambda m: " %s " % m.group(1)) if footnote_marks else "", s)
    s = _HTML_TAG_RE.sub("", s)
    s = s.replace("*", "")
    s = s.replace("_", " ")
    s = s.replace("~~", "")
    s = html.unescape(s)
    s = re.sub("\x00(\\d+)\x01", lambda m: stash[int(m.group(1))], s)
    return s


def _blocks(body):
    """Yield (kind, text) in source order.

    kind is "text", "heading" or ("footnote", label) for the lines of a
    footnote definition (including its continuation lines).
    """
    in_fence = None
    footnote = None  # label while inside a footnote definition
    prev_blank = True
    starts_block, prev_item = True, False
    for line in body.split("\n"):
        blank = not line.strip()
        if in_fence:
            if re.match(r"^ {0,3}" + re.escape(in_fence[0]) + "{%d,}\\s*$"
                        % len(in_fence), line):
                in_fence = None
            else:
                yield ("footnote", footnote) if footnote else "text", line
            continue
        if footnote is not None and not blank and prev_blank and \
                not line.startswith(("    ", "\t")):
            footnote = None  # a new unindented block ends the definition
        prev_blank = blank
        if blank:
            starts_block, prev_item = True, False
            continue
        m = _FENCE_RE.match(line)
        if m:
            in_fence = m.group(1)
            starts_block, prev_item = True, False
            continue
        if _NEWPAGE_RE.match(line) or _THEMATIC_RE.match(line) \
                or _SETEXT_EQ_RE.match(line) or _LINKDEF_RE.match(line) \
                or _DIV_FENCE_RE.match(line):
            starts_block, prev_item = True, False
            continue
        m = _FOOTDEF_RE.match(line)
        if m:
            footnote = m.group(1)
            line = line[m.end():]
        kind = ("footnote", footnote) if footnote is not None else "text"
        stripped = line
        item = False
        while True:  # block quote and list markers, possibly nested
            m = _QUOTE_RE.match(stripped)
            if not m:
                m = _LIST_RE.match(stripped)
                # an ordered list interrupts a paragraph only when it
                # starts at 1 ("1905. was a year" inside one is text)
                if m and m.group(1) and not (starts_block or prev_item
                                             or int(m.group(1)) == 1):
                    m = None
                item = item or bool(m)
            if not m:
                break
            stripped = stripped[m.end():]
        prev_item, starts_block = item, False
        m = _ATX_RE.match(stripped)
        if m and footnote is None:
            starts_block = True
            yield "heading", m.group(2) or ""
            continue
        yield kind, stripped


def md_words_from_text(text, footnotes="source", footnote_marks=False,
                       front_matter=True):
    """Words of Markdown source text; see md_words."""
    if footnotes not in ("source", "end", "omit"):
        raise ValueError("footnotes must be source, end or omit")
    meta, body, _ = split_front_matter(text)
    words = []
    if front_matter:
        for key in FRONT_MATTER_WORD_KEYS:
            if meta.get(key):
                words.extend(tokenize(meta[key]))
    notes = {}
    order = []
    # join consecutive lines of one kind so inline markup spanning lines
    # (an emphasis or link across a line break) is handled
    run_kind, run = None, []

    def flush():
        if not run:
            return
        joined = _inline_text("\n".join(run), footnote_marks)
        if run_kind == "heading":
            words.extend(tokenize(joined, heading=True))
        elif isinstance(run_kind, tuple):
            label = run_kind[1]
            ws = tokenize(joined)
            if footnotes == "source":
                words.extend(ws)
            elif footnotes == "end":
                if label not in notes:
                    notes[label] = []
                    order.append(label)
                notes[label].extend(ws)
        else:
            words.extend(tokenize(joined))

    for kind, line in _blocks(body):
        if kind != run_kind or kind == "heading":
            flush()
            run_kind, run = kind, []
        run.append(line)
    flush()
    if footnotes == "end":
        for label in order:
            words.extend(notes[label])
    return words


def md_words(path, footnotes="source", footnote_marks=False,
             front_matter=True):
    """Words of a content .md file, in reading order.

    footnotes: "source" -- a footnote's text where its definition stands in
    the file (the content files put each definition right after the
    paragraph that refers to it); "end" -- all footnote texts at the end, in
    the order they are defined; "omit" -- left out.
    footnote_marks: also emit each footnote reference's label (e.g. "1")
    where the reference is.  front_matter: start with the title, subtitle,
    author and date from the front matter.
    """
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return md_words_from_text(text, footnotes=footnotes,
                              footnote_marks=footnote_marks,
                              front_matter=front_matter)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", help="content .md file")
    ap.add_argument("--footnotes", choices=("source", "end", "omit"),
                    default="source")
    ap.add_argument("--footnote-marks", action="store_true")
    ap.add_argument("--no-front-matter", action="store_true")
    args = ap.parse_args(argv)
    words = md_words(args.file, footnotes=args.footnotes,
                     footnote_marks=args.footnote_marks,
                     front_matter=not args.no_front_matter)
    try:
        sys.stdout.write("".join(w + "\n" for w in words))
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
