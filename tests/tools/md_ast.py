#!/usr/bin/env python3
"""md_ast.py: a content file's Markdown as pamphlet's parser sees it.

pamphlet parses Markdown with libcmark-gfm (CMARK_OPT_SMART | CMARK_OPT_FOOTNOTES, the
strikethrough, table, autolink and tasklist extensions; src/input/content.c). Checkers that compare
what the program set with what was written must read the source the same way: a regular
expression reader of real-world Markdown (setext headings, lazy continuation lines,
indented code, HTML blocks, link reference definitions) reports its own mistakes as the
program's. So this module calls the same library through ctypes (no new dependency: it is
the library the program links) and returns a small tree of Python objects.

    parse(text, line_offset=0) -> Node      (the document)
    parse_file(path) -> (front matter dict, Node, body start line)

Node: type (cmark's type string: "paragraph", "heading", "code_block", "html_block",
"block_quote", "list", "item", "table", "table_row", "table_cell", "footnote_definition",
"text", "softbreak", "linebreak", "code", "html_inline", "emph", "strong", "link",
"image", "strikethrough", "footnote_reference", "thematic_break"), literal, url, line
(source line in the file), level (headings), header (table rows), fenced (code blocks),
children. Footnote definitions come last, in the order of their first reference, and
unreferenced ones are gone (cmark-gfm's footnote processing, which pamphlet relies on).

CLI: md_ast.py FILE.md prints the tree.
"""
import ctypes
import ctypes.util
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from md_words import split_front_matter  # noqa: E402

__all__ = ["Node", "parse", "parse_file", "front_matter_lines"]

OPT_SOURCEPOS = 1 << 1
OPT_SMART = 1 << 10
OPT_FOOTNOTES = 1 << 13

_lib = None


def _load():
    global _lib
    if _lib is not None:
        return _lib
    names = ["libcmark-gfm.so.0.29.0.gfm.6", ctypes.util.find_library("cmark-gfm") or "libcmark-gfm.so"]
    enames = ["libcmark-gfm-extensions.so.0.29.0.gfm.6",
              ctypes.util.find_library("cmark-gfm-extensions") or "libcmark-gfm-extensions.so"]
    core = ext = None
    for n in names:
        try:
            core = ctypes.CDLL(n)
            break
        except OSError:
            pass
    for n in enames:
        try:
            ext = ctypes.CDLL(n)
            break
        except OSError:
            pass
    if core is None or ext is None:
        raise RuntimeError("md_ast: libcmark-gfm (and its extensions) not found; "
                           "tools/install-deps.sh installs libcmark-gfm-dev")
    vp, cp, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    sig = {
        "cmark_parser_new": (vp, [i]),
        "cmark_find_syntax_extension": (vp, [cp]),
        "cmark_parser_attach_syntax_extension": (i, [vp, vp]),
        "cmark_parser_feed": (None, [vp, cp, ctypes.c_size_t]),
        "cmark_parser_finish": (vp, [vp]),
        "cmark_parser_free": (None, [vp]),
        "cmark_node_free": (None, [vp]),
        "cmark_node_first_child": (vp, [vp]),
        "cmark_node_next": (vp, [vp]),
        "cmark_node_get_type_string": (cp, [vp]),
        "cmark_node_get_type": (i, [vp]),
        "cmark_node_get_literal": (cp, [vp]),
        "cmark_node_get_url": (cp, [vp]),
        "cmark_node_get_start_line": (i, [vp]),
        "cmark_node_get_heading_level": (i, [vp]),
        "cmark_node_get_fence_info": (cp, [vp]),
    }
    for name, (res, args) in sig.items():
        f = getattr(core, name)
        f.restype = res
        f.argtypes = args
    ext.cmark_gfm_core_extensions_ensure_registered.restype = None
    ext.cmark_gfm_extensions_get_table_row_is_header.restype = i
    ext.cmark_gfm_extensions_get_table_row_is_header.argtypes = [vp]
    ext.cmark_gfm_core_extensions_ensure_registered()
    _lib = (core, ext)
    return _lib


class Node:
    __slots__ = ("type", "literal", "url", "line", "level", "header", "fenced", "children", "classes")

    def __init__(self, type_):
        self.type = type_
        self.literal = None
        self.url = None
        self.line = 0
        self.level = 0
        self.header = False
        self.fenced = False
        self.children = []
        self.classes = []

    def __repr__(self):
        return "Node(%s line=%d%s)" % (self.type, self.line, " %r" % self.literal if self.literal else "")

    def dump(self, out, depth=0):
        extra = []
        if self.literal is not None:
            extra.append(repr(self.literal[:60]))
        if self.url:
            extra.append("url=" + self.url)
        if self.level:
            extra.append("level=%d" % self.level)
        if self.header:
            extra.append("header")
        out.write("%s%s @%d %s\n" % ("  " * depth, self.type, self.line, " ".join(extra)))
        for c in self.children:
            c.dump(out, depth + 1)


# (cmark_node_get_type_string does not name these two: "<unknown>")
_FOOTNOTE_TYPES = {0x8000 | 0x000b: "footnote_definition", 0xc000 | 0x000b: "footnote_reference"}
_LITERAL = {"text", "code", "code_block", "html_block", "html_inline", "footnote_reference"}


def _convert(core, ext, n, off):
    t = _FOOTNOTE_TYPES.get(core.cmark_node_get_type(n)) or core.cmark_node_get_type_string(n).decode()
    node = Node(t)
    node.line = core.cmark_node_get_start_line(n) + off
    if t in _LITERAL:
        lit = core.cmark_node_get_literal(n)
        node.literal = lit.decode("utf-8", "replace") if lit is not None else ""
    if t in ("link", "image"):
        u = core.cmark_node_get_url(n)
        node.url = u.decode("utf-8", "replace") if u is not None else ""
    if t == "heading":
        node.level = core.cmark_node_get_heading_level(n)
    if t == "code_block":
        info = core.cmark_node_get_fence_info(n)
        node.fenced = info is not None and len(info) > 0  # (an info-less fence looks indented)
    if t in ("table_row", "table_header"):
        node.header = bool(ext.cmark_gfm_extensions_get_table_row_is_header(n))
        node.type = "table_row"
    c = core.cmark_node_first_child(n)
    while c:
        node.children.append(_convert(core, ext, c, off))
        c = core.cmark_node_next(c)
    return node


# pandoc's fenced divs, as src/input/divs.c reads them: a fence line (outside fenced
# code) becomes a marker comment, and the blocks between an opening marker and its
# closing one become a "div" node with the fence's classes.
_CODE_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DIV_RE = re.compile(r"^[ \t]*(:{3,})(.*)$")
_MARK_RE = re.compile(r"^<!--pamphlet:(/?)div (\d+)-->")


def _div_classes(rest):
    """What follows a fence's colons (input/divs.c open_attrs): None for a closing fence,
    False when the line is not a fence (text), else the classes, and its dir= and lang=
    attributes as "dir=rtl", "lang=ar". An opening fence is a class name or an attribute
    block (or a name then a block), then only colons."""
    rest = rest.strip()
    if not rest.strip(":").strip():
        return None
    m = re.match(r"(?:([^\s:{]+)[ \t]*)?(\{[^}]*\})?[ \t:]*$", rest)
    if not m or not (m.group(1) or m.group(2)):
        return False
    classes = [m.group(1)] if m.group(1) else []
    classes += re.findall(r"\.([\w:-]+)", m.group(2) or "")
    classes += ["%s=%s" % kv for kv in re.findall(r"\b(dir|lang)=\"?([\w-]+)", m.group(2) or "")]
    return classes


def _mark_divs(text):
    out, classes, fence, depth = [], [], None, 0
    for line in text.split("\n"):
        m = _CODE_FENCE_RE.match(line)
        if m:
            ch, n = m.group(1)[0], len(m.group(1))
            if fence is None:
                fence = (ch, n)
            elif ch == fence[0] and n >= fence[1]:
                fence = None
        elif fence is None:
            d = _DIV_RE.match(line)
            if d:
                cls = _div_classes(d.group(2))
                if cls is None and depth > 0:
                    depth -= 1
                    out.append("<!--pamphlet:/div %d-->" % len(classes))
                    classes.append(None)
                    continue
                if cls is not False and cls is not None:
                    depth += 1
                    out.append("<!--pamphlet:div %d-->" % len(classes))
                    classes.append(cls)
                    continue
        out.append(line)
    return "\n".join(out), classes


def _group_divs(node, classes):
    kids, stack = [], []
    for c in node.children:
        _group_divs(c, classes)
        m = _MARK_RE.match(c.literal.lstrip()) if c.type == "html_block" and c.literal else None
        if m and not m.group(1):
            d = Node("div")
            d.line, d.classes = c.line, classes[int(m.group(2))] or []
            (stack[-1].children if stack else kids).append(d)
            stack.append(d)
        elif m:
            if stack:
                stack.pop()
        else:
            (stack[-1].children if stack else kids).append(c)
    node.children = kids


def parse(text, line_offset=0):
    """The document tree of Markdown text (no front matter), lines shifted by line_offset."""
    text, classes = _mark_divs(text)
    doc = _parse(text, line_offset)
    _group_divs(doc, classes)
    return doc


def _parse(text, line_offset=0):
    core, ext = _load()
    p = core.cmark_parser_new(OPT_SMART | OPT_FOOTNOTES | OPT_SOURCEPOS)
    for e in (b"strikethrough", b"table", b"autolink", b"tasklist"):
        x = core.cmark_find_syntax_extension(e)
        if x:
            core.cmark_parser_attach_syntax_extension(p, x)
    data = text.encode("utf-8", "surrogateescape")
    core.cmark_parser_feed(p, data, len(data))
    root = core.cmark_parser_finish(p)
    try:
        return _convert(core, ext, root, line_offset)
    finally:
        core.cmark_node_free(root)
        core.cmark_parser_free(p)


def front_matter_lines(text):
    """Number of lines the front matter takes (0 when there is none)."""
    meta, body, start = split_front_matter(text)
    return start - 1


def parse_file(path):
    """(front matter dict, document Node, line of the body's first line)."""
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    meta, body, start = split_front_matter(text)
    return meta, parse(body, start - 1), start


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: md_ast.py FILE.md\n")
        return 2
    meta, doc, _ = parse_file(argv[1])
    for k, v in meta.items():
        sys.stdout.write("front matter %s: %s\n" % (k, v))
    doc.dump(sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
