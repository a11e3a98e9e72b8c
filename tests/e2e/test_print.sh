#!/usr/bin/env bash
# End-to-end: the reading PDF after the finishing pass (src/output/finish.c) is ready for
# a print shop and a black-and-white copier:
#   - Ghostscript's inkcov finds no cyan, magenta or yellow on any page of 1917 without a
#     picture (and does find them without the pass, so the check can fail);
#   - the pages look the same as cairo drew them (PNGs compared pixel for pixel);
#   - TrimBox on every page; with `page: bleed: 3mm` the MediaBox and BleedBox hold the
#     bleed on every side, the TrimBox is the A5 page, links still lie over their words;
#   - /Lang from the front matter, XMP metadata saying what the Info dictionary says, a
#     trailer /ID, and two runs byte-identical; qpdf --check clean.
# PAMPHLET=path overrides ./pamphlet. Needs ghostscript, poppler-utils, qpdf, python3.
. "$(dirname "$0")/harness.sh" # PAMPHLET, T, check (tests/e2e/harness.sh)

"$PAMPHLET" content/1917.md -l layouts/a5.yaml -o "$T/1917.pdf" -q || { echo "FAIL cannot render 1917"; exit 1; }
"$PAMPHLET" content/1917.md -l layouts/a5.yaml -o "$T/1917-raw.pdf" --no-finish -q || exit 1

# pages without a picture: C = M = Y = 0 (K-only); prints "colour pages: N" otherwise
text_pages_k_only() { # pdf, expect (k-only|colour)
    local pics
    pics=$(pdfimages -list "$1" | awk 'NR > 2 {print $1}' | sort -u | tr '\n' ' ')
    gs -q -o - -sDEVICE=inkcov "$1" | awk -v pics=" $pics" -v want="$2" '
        { n++; if (index(pics, " " n " ")) next; text++
          if ($1 + 0 > 0 || $2 + 0 > 0 || $3 + 0 > 0) { bad++; if (bad < 4) print "page " n ": " $0 } }
        END { print text " pages without pictures, " bad + 0 " with colour ink"
              if (!text) exit 1
              exit want == "k-only" ? bad > 0 : bad != text }'
}
check "1917: every page without a picture is K-only (inkcov)" text_pages_k_only "$T/1917.pdf" k-only
# the control: cairo's PDF as it drew it (RGB black; pamphlet's own writer sets grey
# itself, finished or not)
PAMPHLET_WRITER=cairo "$PAMPHLET" content/1917.md -l layouts/a5.yaml -o "$T/1917-cairo-raw.pdf" --no-finish -q || exit 1
check "1917 as cairo draws it, unfinished: the same pages are four-colour (the check can fail)" \
    text_pages_k_only "$T/1917-cairo-raw.pdf" colour
check "1917 without the finishing pass: still K-only (pamphlet's own writer sets grey)" \
    text_pages_k_only "$T/1917-raw.pdf" k-only

same_pixels() { # pdf-a pdf-b: every page rasterised alike
    pdftoppm -r 40 "$1" "$T/pa" && pdftoppm -r 40 "$2" "$T/pb" || return 1
    local a n=0
    for a in "$T"/pa-*.ppm; do
        cmp -s "$a" "$T/pb-${a##*/pa-}" || { echo "page ${a##*/pa-} differs"; return 1; }
        n=$((n + 1))
    done
    [ "$n" -gt 10 ] || { echo "only $n pages"; return 1; }
    rm -f "$T"/pa-*.ppm "$T"/pb-*.ppm
}
check "1917: the finished pages look as cairo drew them (pixel for pixel)" same_pixels "$T/1917.pdf" "$T/1917-raw.pdf"
check "1917: qpdf --check clean" qpdf --check "$T/1917.pdf"

boxes() { # pdf, then expected MediaBox, TrimBox and BleedBox (or -) as "x0 y0 x1 y1"
    python3 - "$@" <<'EOF'
import json, subprocess, sys
pdf, want = sys.argv[1], dict(zip(["/MediaBox", "/TrimBox", "/BleedBox"], sys.argv[2:5]))
j = json.loads(subprocess.run(["qpdf", "--json", "--json-key=qpdf", pdf], capture_output=True, check=True).stdout)
objs = j["qpdf"][1]
pages = [o["value"] for o in objs.values() if isinstance(o.get("value"), dict) and o["value"].get("/Type") == "/Page"]
assert pages, "no pages"
for n, p in enumerate(pages):
    for key, w in want.items():
        got = p.get(key)
        if w == "-":
            assert got is None, f"page {n + 1}: {key} {got}, expected none"
            continue
        w = [float(x) for x in w.split()]
        assert got and all(abs(a - b) < 0.01 for a, b in zip(got, w)), f"page {n + 1}: {key} {got}, expected {w}"
print(f"{len(pages)} pages")
EOF
}
check "1917 (no bleed): TrimBox = MediaBox on every page, no BleedBox" \
    boxes "$T/1917.pdf" "0 0 419.5276 595.2756" "0 0 419.5276 595.2756" -
printf 'extends: a5\npage:\n  bleed: 3mm\n' >"$T/bleed.yaml"
"$PAMPHLET" content/1917.md -l "$T/bleed.yaml" -o "$T/bleed.pdf" -q || exit 1
# 3 mm = 8.5039 pt on every side of 419.5276 x 595.2756
check "bleed 3mm: MediaBox = BleedBox = trim + 3 mm a side, TrimBox = the A5 page" \
    boxes "$T/bleed.pdf" "0 0 436.5354 612.2834" "8.5039 8.5039 428.0315 603.7795" "0 0 436.5354 612.2834"
check "bleed 3mm: the text where it was inside the trim (pdftotext -bbox, page 2)" python3 - "$T/1917.pdf" "$T/bleed.pdf" <<'EOF'
import re, subprocess, sys
def words(pdf):
    out = subprocess.run(["pdftotext", "-bbox", "-f", "2", "-l", "2", pdf, "-"], capture_output=True, text=True, check=True).stdout
    return [(float(a), float(b), w) for a, b, w in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" [^>]*>(.*)</word>', out)]
a, b = words(sys.argv[1]), words(sys.argv[2])
assert len(a) == len(b) > 50, (len(a), len(b))
for (x0, y0, w0), (x1, y1, w1) in zip(a, b):
    assert w0 == w1 and abs(x1 - x0 - 8.5039) < 0.01 and abs(y1 - y0 - 8.5039) < 0.01, (w0, x0, y0, x1, y1)
EOF
check "bleed 3mm: outline entries point where their headings are (trim origin moved by 3 mm)" python3 - "$T/1917.pdf" "$T/bleed.pdf" <<'EOF'
import json, subprocess, sys
def dests(pdf):
    j = json.loads(subprocess.run(["qpdf", "--json", "--json-key=pages", pdf], capture_output=True, check=True).stdout)
    return [(o["dest"][2], o["dest"][3]) for p in j["pages"] for o in p["outlines"]]
a, b = dests(sys.argv[1]), dests(sys.argv[2])
assert len(a) == len(b) > 5, (len(a), len(b))
for (x0, y0), (x1, y1) in zip(a, b):
    assert abs(x1 - x0 - 8.5039) < 0.01 and abs(y1 - y0 - 8.5039) < 0.01, ((x0, y0), (x1, y1))
EOF
"$PAMPHLET" tests/data/print/links.md -l "$T/bleed.yaml" -o "$T/links.pdf" -q || exit 1
check "bleed 3mm: links still over their words" \
    python3 tests/e2e/link_rects.py "$T/links.pdf" Zebra Quokka Ocelot Wombat Narwhal Axolotl Pangolin
check "bleed 3mm: text pages K-only too" text_pages_k_only "$T/bleed.pdf" k-only

# a figure {.bleed} / {width=page}: edge to edge of the MediaBox (through the bleed); the
# text above it stays white to the edge
"$PAMPHLET" tests/data/print/bleed.md -l "$T/bleed.yaml" -o "$T/fig.pdf" --dump-layout "$T/fig.dump" -q || exit 1
"$PAMPHLET" tests/data/print/bleed.md -l layouts/a5.yaml -o "$T/fig-nobleed.pdf" -q || exit 1
reaches_edges() { # pdf bleed-pt: page 2's figure (the first in the dump) reaches both edges
    rm -f "$T"/edge-*.pgm
    pdftoppm -r 72 -gray -f 2 -l 2 "$1" "$T/edge" || return 1
    python3 - "$T"/edge-*2.pgm "$T/fig.dump" "$2" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read()
m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
w, h = int(m.group(1)), int(m.group(2))
px = data[m.end():]
b = float(sys.argv[3])
img = [l for l in open(sys.argv[2]) if l.strip().startswith("image ")][0]
y0, ih = (float(re.search(k + r"=([\d.]+)", img).group(1)) for k in ("y", "h"))
row = lambda y: px[int(y) * w:(int(y) + 1) * w]
mid = row(b + y0 + ih / 2)      # through the picture
above = row(b + y0 - 30)        # a line of text above it
edges = lambda r: [r[0], r[1], r[-2], r[-1]]
assert max(edges(mid)) < 250, f"picture row at the edges: {edges(mid)} (white: it stops short of the edge)"
assert min(edges(above)) > 250, f"text row at the edges: {edges(above)} (not white)"
print(f"{w}x{h}: picture row edges {edges(mid)}, text row edges {edges(above)}")
EOF
}
check "a figure {.bleed}: through the bleed to both edges of the MediaBox (PNG)" reaches_edges "$T/fig.pdf" 8.5039
check "without bleed: edge to edge of the page" reaches_edges "$T/fig-nobleed.pdf" 0
check "a figure width=page: placed at the page's full width" \
    test "$(grep -Ec "^  image x=0\.0000 y=[0-9.]+ w=419\.5276 .*1917-putilov" "$T/fig.dump")" = 2
check "bleed figures: qpdf --check clean" qpdf --check "$T/fig.pdf"

catalog_and_xmp() { # pdf lang title
    python3 - "$@" <<'EOF'
import json, re, subprocess, sys
pdf, lang, title = sys.argv[1:4]
j = json.loads(subprocess.run(["qpdf", "--json", "--json-key=qpdf", "--json-stream-data=inline", "--decode-level=generalized", pdf],
                              capture_output=True, check=True).stdout)
trailer, objs = j["qpdf"][1]["trailer"]["value"], j["qpdf"][1]
root = objs["obj:" + trailer["/Root"]]["value"]
assert root.get("/Lang") == "u:" + lang, f"/Lang {root.get('/Lang')}, expected {lang}"
ids = trailer.get("/ID")
assert ids and len(ids) == 2, f"trailer /ID {ids}"
info = objs["obj:" + trailer["/Info"]]["value"]
import base64
meta = objs["obj:" + root["/Metadata"]]["stream"]
xmp = base64.b64decode(meta["data"]).decode("utf-8")
assert meta["dict"].get("/Subtype") == "/XML" and meta["dict"].get("/Type") == "/Metadata", meta["dict"]
def xmp_val(tag):
    m = re.search(rf"<{tag}>(?:<rdf:\w+>)?(?:<rdf:li[^>]*>)?([^<]*)<", xmp)
    return m and m.group(1)
def info_val(k):
    v = info.get(k, "")
    return v[2:] if v.startswith(("u:", "b:")) else v
assert xmp_val("dc:title") == info_val("/Title") == title, (xmp_val("dc:title"), info_val("/Title"))
assert (xmp_val("dc:creator") or "") == info_val("/Author"), (xmp_val("dc:creator"), info_val("/Author"))
assert xmp_val("dc:language") == lang
assert xmp_val("xmp:CreatorTool") == info_val("/Creator")
d = info_val("/CreationDate")  # D:20231114221320Z
assert d.startswith("D:"), f"/CreationDate {d}: without the D: the standard asks for"
assert xmp_val("xmp:CreateDate") == f"{d[2:6]}-{d[6:8]}-{d[8:10]}T{d[10:12]}:{d[12:14]}:{d[14:16]}Z", (xmp_val("xmp:CreateDate"), d)
EOF
}
check "1917: /Lang en-US (the default), XMP matching the Info dictionary, a trailer /ID" \
    catalog_and_xmp "$T/1917.pdf" en-US 1917
check "links.md: /Lang en-GB from its front matter" catalog_and_xmp "$T/links.pdf" en-GB "Links where their words are"
check "1917: a structure tree: H1/H2 in reading order as in the Markdown, paragraphs, figures, captions, links" \
    python3 - "$T/1917.pdf" content/1917.md <<'EOF'
import re, subprocess, sys
tree = subprocess.run(["pdfinfo", "-struct-text", sys.argv[1]], capture_output=True, text=True, check=True).stdout.splitlines()
kinds, heads = {}, []
for i, l in enumerate(tree):
    m = re.match(r"^( +)([A-Z]\w*)\b", l)
    if not m or m.group(2) == "Object":
        continue
    kinds[m.group(2)] = kinds.get(m.group(2), 0) + 1
    if m.group(2) in ("H1", "H2") and len(m.group(1)) == 2:
        heads.append(re.sub(r"\s", "", tree[i + 1].strip().strip('"')))
md = [re.sub(r"\s|\{.*\}", "", l.lstrip("#")) for l in open(sys.argv[2], encoding="utf-8") if re.match(r"^##? ", l)]
assert heads == md, f"headings in the tree {heads}\n  in the Markdown {md}"
for k, n in (("P", 50), ("Figure", 1), ("Caption", 2), ("Link", 1)):
    assert kinds.get(k, 0) >= n, f"{kinds.get(k, 0)} {k}, expected at least {n}: {kinds}"
print(kinds)
EOF
check "1917: a Figure element carries its description as /Alt" \
    sh -c "qpdf --json --json-key=qpdf '$T/1917.pdf' | grep -q '\"/Alt\": \"u:Leaders of the League of Struggle for the Emancipation of the Working Class Lenin in the center (1895)\"'"
# both pictures, the one at the top of page 15 too (the first thing drawn on a page cannot
# be tagged with cairo 1.16: the running head is drawn before it)
check "1917: every picture is a Figure with its /Alt (one at a page's top too)" \
    sh -c "[ \$(qpdf --json --json-key=qpdf '$T/1917.pdf' | grep -c '\"/Alt\": \"u:') = 2 ] &&
           [ \$(pdfinfo -struct '$T/1917.pdf' | grep -c 'Figure') = 2 ]"
"$PAMPHLET" content/1917.md -l layouts/a5.yaml -o "$T/1917-again.pdf" -q || exit 1
check "1917: two runs byte-identical (the /ID too)" cmp "$T/1917.pdf" "$T/1917-again.pdf"

echo "print e2e: $npass passed, $nfail failed"
[ "$nfail" = 0 ]
