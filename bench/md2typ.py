#!/usr/bin/env python3
"""md2typ.py - the samples' Markdown as a Typst document, for the Typst side of `make bench`
(issue 16). Not a general converter: it knows what content/1917.md and
content/common-sense.md use (front matter, headings, paragraphs, emphasis, strong, links,
footnotes, images with captions, lists, block quotes, pipe tables, hard line breaks) and
sets them in a page design written to match layouts/a5.yaml roughly: A5 with its margins,
Libertine 10/13 justified and hyphenated with a 1.2em first-line indent, Biolinum bold
headings, the title on even pages' heads and the section on odd ones, page numbers in the
footer, a cover page from the front matter.

  python3 bench/md2typ.py SOURCE.md OUT.typ [--letter-2col]

--letter-2col: the page of layouts/letter-2col.yaml instead (US Letter, two columns 0.25in
apart, its margins), the same text settings, for comparing two-column word spacing.
"""
import re
import sys

PREAMBLE = r'''#set document(title: "%(title)s")
#set page(paper: "a5", margin: (top: 15mm, bottom: 20mm, inside: 17mm, outside: 15mm),
  header: context {
    let p = here().page()
    if p > 1 {
      set text(font: "Linux Biolinum O", size: 8pt)
      if calc.even(p) [%(title)s] else {
        let hs = query(selector(heading.where(level: 1)).before(here()))
        if hs.len() > 0 { h(1fr); hs.last().body }
      }
    }
  },
  footer: context {
    let p = here().page()
    if p > 1 {
      set text(font: "Linux Biolinum O", size: 8pt)
      if calc.even(p) [#p] else [#h(1fr)#p]
    }
  })
#set text(font: "Linux Libertine O", size: 10pt, lang: "en", region: "us", hyphenate: true,
  top-edge: 0.8em, bottom-edge: -0.2em)
#set par(justify: true, first-line-indent: 1.2em, leading: 3pt, spacing: 3pt)
#show heading: set text(font: "Linux Biolinum O", weight: "bold")
#show heading.where(level: 1): set text(size: 14pt)
#show heading.where(level: 1): set block(above: 2em, below: 0.8em)
#show heading.where(level: 2): set text(size: 11.5pt)
#show heading.where(level: 2): set block(above: 1.3em, below: 0.5em)
#show heading.where(level: 3): set block(above: 1em, below: 0.3em)
#show quote: set text(size: 9.5pt)
#show quote: set pad(x: 1.5em)
#show footnote.entry: set text(size: 8pt)
#show figure.caption: set text(size: 8.5pt, style: "italic")
#set list(indent: 0pt, body-indent: 0.5em)
'''

SPECIAL = set('\\#$*_`<>@[]~/=-+"\'')


def esc(s):
    out = []
    for c in s:
        out.append("\\" + c if c in SPECIAL else c)
    return "".join(out)


def inline(s, notes):
    """Markdown inline markup to Typst markup."""
    out, i, n = [], 0, len(s)
    while i < n:
        c = s[i]
        if c == "\\" and i + 1 < n:
            if s[i + 1] == "\n":
                out.append("\\\n")
                i += 2
                continue
            out.append(esc(s[i + 1]))
            i += 2
        elif s.startswith("**", i):
            j = s.find("**", i + 2)
            if j < 0:
                out.append(esc("**"))
                i += 2
                continue
            out.append("#strong[" + inline(s[i + 2:j], notes) + "]")
            i = j + 2
        elif c in "*_" and (i == 0 or not s[i - 1].isalnum()):
            j = s.find(c, i + 1)
            if j < 0 or (c == "_" and j + 1 < n and s[j + 1].isalnum()):
                out.append(esc(c))
                i += 1
                continue
            out.append("#emph[" + inline(s[i + 1:j], notes) + "]")
            i = j + 1
        elif s.startswith("[^", i):
            j = s.find("]", i)
            label = s[i + 2:j]
            out.append("#footnote[" + inline(notes.get(label, label), notes) + "]")
            i = j + 1
        elif c == "[":
            m = re.match(r"\[([^\]]*)\]\(([^)]*)\)", s[i:])
            if m:
                out.append('#link("' + m.group(2).replace('"', '\\"') + '")[' + inline(m.group(1), notes) + "]")
                i += m.end()
            else:
                out.append(esc(c))
                i += 1
        elif c == "<":
            j = s.find(">", i)
            if re.match(r"</?[a-zA-Z]", s[i:]) and j > 0:
                i = j + 1  # an HTML tag: left out, as pamphlet does
            else:
                out.append(esc(c))
                i += 1
        else:
            out.append(esc(c))
            i += 1
    return "".join(out)


def blocks(lines):
    """Blocks between blank lines (footnote definitions and their indented lines kept)."""
    cur = []
    for line in lines:
        if line.strip() == "":
            if cur:
                yield cur
                cur = []
        else:
            cur.append(line)
    if cur:
        yield cur


def table(block, notes):
    rows = [r.strip().strip("|").split("|") for r in block if not re.match(r"^\|?\s*:?-", r.strip())]
    cols = max(len(r) for r in rows)
    cells = []
    for r in rows:
        r = r + [""] * (cols - len(r))
        cells += ["[" + inline(c.strip(), notes) + "]" for c in r]
    return f"#table(columns: {cols}, stroke: none, inset: 2pt, " + ", ".join(cells) + ")"


def convert(text):
    fm = {}
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if m:
        for line in m.group(1).splitlines():
            k, _, v = line.partition(":")
            fm[k.strip()] = v.strip().strip('"')
        text = text[m.end():]
    lines = text.split("\n")
    # footnote definitions: "[^x]: text" and the indented lines after it
    notes, body, i = {}, [], 0
    while i < len(lines):
        m = re.match(r"\[\^([^\]]+)\]:\s*(.*)", lines[i])
        if m:
            parts = [m.group(2)]
            i += 1
            while i < len(lines) and (lines[i].startswith("    ") or lines[i] == ""):
                if lines[i] == "" and not (i + 1 < len(lines) and lines[i + 1].startswith("    ")):
                    break
                parts.append(lines[i].strip())
                i += 1
            notes[m.group(1)] = "\n".join(parts)
        else:
            body.append(lines[i])
            i += 1
    title = esc(fm.get("title", ""))
    out = [PREAMBLE % {"title": title}]
    # the cover
    out.append("#page(header: none, footer: none)[")
    out.append('#align(center)[#v(2cm)#text(font: "Linux Biolinum O", size: 30pt, weight: "bold")[%s]' % title)
    for key, size, style in (("subtitle", 15, "italic"), ("author", 11, "normal"), ("date", 10, "normal")):
        if fm.get(key):
            out.append('\n\n#text(size: %dpt, style: "%s")[%s]' % (size, style, esc(fm[key])))
    if fm.get("cover"):
        out.append('\n\n#image("%s", height: 45%%)' % fm["cover"])
    out.append("]]\n")
    for b in blocks(body):
        first = b[0]
        if first.startswith(":::"):
            continue
        m = re.match(r"(#{1,6})\s+(.*?)(\s*\{[^}]*\})?$", first)
        if m and len(b) == 1:
            out.append("=" * len(m.group(1)) + " " + inline(m.group(2), notes) + "\n")
            continue
        m = re.match(r"!\[([^\]]*)\]\(([^)]*)\)", first)
        if m:
            out.append('#figure(image("%s", width: 100%%), caption: [%s])\n' % (m.group(2), inline(m.group(1), notes)))
            continue
        if first.startswith(">"):
            inner = [re.sub(r"^>\s?", "", l) for l in b]
            paras = "\n\n".join(inline("\n".join(p), notes) for p in blocks(inner))
            out.append("#quote(block: true)[" + paras + "]\n")
            continue
        if first.startswith("|"):
            out.append(table(b, notes) + "\n")
            continue
        if re.match(r"([-*+]|\d+[.)])\s", first):
            items, cur = [], []
            for l in b:
                m = re.match(r"([-*+]|\d+[.)])\s+(.*)", l)
                if m:
                    if cur:
                        items.append(cur)
                    cur = [m.group(1), m.group(2)]
                else:
                    cur[1] += "\n" + l.strip()
            items.append(cur)
            for mark, t in items:
                lead = "+" if mark[0].isdigit() else "-"
                out.append(lead + " " + inline(t, notes).replace("\n", " "))
            out.append("")
            continue
        out.append(inline("\n".join(l.strip() if not l.endswith("\\") else l.strip() for l in b), notes) + "\n")
    return "\n".join(out)


LETTER_2COL = ('#set columns(gutter: 0.25in)\n#set page(paper: "us-letter", columns: 2, '
               'margin: (top: 0.7in, bottom: 0.8in, inside: 0.7in, outside: 0.7in),')


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        typ = convert(f.read())
    if "--letter-2col" in sys.argv[3:]:
        a5 = '#set page(paper: "a5", margin: (top: 15mm, bottom: 20mm, inside: 17mm, outside: 15mm),'
        assert a5 in typ
        typ = typ.replace(a5, LETTER_2COL, 1)
    with open(dst, "w", encoding="utf-8") as f:
        f.write(typ)


if __name__ == "__main__":
    main()
