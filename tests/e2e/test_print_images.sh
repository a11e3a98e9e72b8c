#!/usr/bin/env bash
# End-to-end: images in the reading PDF are ready for print (src/output/finish_images.c,
# src/image/image.c), and --gray is ready for a black-and-white copier:
#   - a CMYK JPEG, an Adobe-inverted CMYK JPEG, a gray JPEG and an Adobe RGB JPEG (its ICC
#     profile in two APP2 chunks) are embedded byte for byte (DCTDecode), as DeviceCMYK
#     (with /Decode [1 0 1 0 1 0 1 0] for the Adobe file only), DeviceGray and ICCBased
#     holding the joined profile; a PNG's iCCP profile becomes ICCBased too;
#   - the CMYK photos are not shown as negatives (pdftoppm and Ghostscript);
#   - --gray: Ghostscript's inkcov finds no cyan, magenta or yellow on any page of a
#     document with colour images, of Know Your Rights in a colour layout, of a heading
#     in a cmyk() colour and of 1917 (and finds them without --gray); images become
#     DeviceGray; two runs byte-identical.
# The test images are made here with python3-pil. PAMPHLET=path overrides ./pamphlet.
# Needs ghostscript, poppler-utils, qpdf, python3 with PIL (Debian python3-pil).
. "$(dirname "$0")/harness.sh" # PAMPHLET, T, check (tests/e2e/harness.sh)

# a python3 with PIL (Debian's; a python3 earlier on PATH may lack it)
PY=
for p in python3 /usr/bin/python3; do
    if "$p" -c 'import PIL' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || { echo "FAIL python3 with PIL (Debian python3-pil) not found"; exit 1; }

# ---- the test images: a 720 x 480 "photo" (gradient, a red disc top left, a yellow box
# bottom right, a black bar top right) in five files
"$PY" - "$T" <<'EOF' || { echo "FAIL cannot make the test images"; exit 1; }
import io, struct, sys
from PIL import Image, ImageChops, ImageDraw
out, W, H = sys.argv[1], 720, 480
im = Image.new("RGB", (W, H))
im.putdata([(255 * x // (W - 1), 255 * y // (H - 1), 160) for y in range(H) for x in range(W)])
d = ImageDraw.Draw(im)
d.ellipse((60, 60, 300, 300), fill=(220, 30, 30))
d.rectangle((450, 270, 675, 450), fill=(250, 235, 40))
d.rectangle((390, 30, 690, 120), fill=(10, 10, 10))
def without_app14(b):  # the JPEG's marker segments but the Adobe one
    o, i = bytearray(b[:2]), 2
    while True:
        m, n = b[i + 1], struct.unpack(">H", b[i + 2:i + 4])[0]
        if m == 0xDA:
            return bytes(o + b[i:])
        if m != 0xEE:
            o += b[i:i + 2 + n]
        i += 2 + n
cmyk = im.convert("CMYK")
cmyk.save(out + "/cmyk-adobe.jpg", quality=90)  # libjpeg: Adobe APP14, samples inverted
b = io.BytesIO()
ImageChops.invert(cmyk).save(b, "JPEG", quality=90)
open(out + "/cmyk-plain.jpg", "wb").write(without_app14(b.getvalue()))  # 0 = no ink
assert b"Adobe" not in open(out + "/cmyk-plain.jpg", "rb").read()[:200]
im.convert("L").save(out + "/gray.jpg", quality=90)
icc = open("/usr/share/color/icc/ghostscript/a98.icc", "rb").read()  # Adobe RGB (1998)
big = bytearray(icc + bytes(70000))  # > 65519 bytes: two APP2 chunks, joined in order
big[0:4] = struct.pack(">I", len(big))
open(out + "/adobergb.icc", "wb").write(big)
im.save(out + "/adobergb.jpg", quality=90, icc_profile=bytes(big))
assert open(out + "/adobergb.jpg", "rb").read().count(b"ICC_PROFILE\0") == 2
open(out + "/srgb.icc", "wb").write(icc)
im.save(out + "/iccp.png", icc_profile=icc)
EOF
{
    printf -- '---\ntitle: Images\n---\n# Images\n\n'
    for f in cmyk-adobe.jpg cmyk-plain.jpg gray.jpg adobergb.jpg iccp.png; do
        printf '![%s](%s)\n\n' "$f" "$f"
    done
} >"$T/doc.md"
for f in cmyk-adobe cmyk-plain; do printf '![%s](%s.jpg)\n' "$f" "$f" >"$T/$f.md"; done

"$PAMPHLET" "$T/doc.md" -l layouts/a5.yaml -o "$T/doc.pdf" -q || { echo "FAIL cannot render the images"; exit 1; }
"$PAMPHLET" "$T/doc.md" -l layouts/a5.yaml -o "$T/doc-raw.pdf" --no-finish -q || exit 1

# Each test image's XObject, found by its bytes, against what it must be. "raw": what
# cairo writes alone must fail the checks cairo cannot meet (so the checks can fail).
images_ok() { # pdf, finished|raw
    "$PY" - "$1" "$2" "$T" <<'EOF'
import json, subprocess, sys
pdf, mode, d = sys.argv[1:4]
objs = json.loads(subprocess.check_output(["qpdf", "--json", "--json-key=qpdf", pdf]))["qpdf"][1]
def data(ref, how):
    n = ref.split()[0].split(":")[-1]
    return subprocess.check_output(["qpdf", "--show-object=" + n, "--" + how + "-stream-data", pdf])
imgs = {k: v["stream"]["dict"] for k, v in objs.items()
        if isinstance(v, dict) and v.get("stream", {}).get("dict", {}).get("/Subtype") == "/Image"}
def find(name):
    want = open(d + "/" + name, "rb").read()
    hits = [k for k, dic in imgs.items() if dic.get("/Filter") == "/DCTDecode" and data(k, "raw") == want]
    assert len(hits) == 1, "%s: %d XObjects hold its bytes" % (name, len(hits))
    return imgs[hits[0]]
def iccbased(dic, profile, n, alt):
    cs = dic.get("/ColorSpace")
    assert isinstance(cs, list) and cs[0] == "/ICCBased", "colour space %r, not ICCBased" % (cs,)
    s = objs["obj:" + cs[1]]["stream"]["dict"]
    assert s.get("/N") == n and s.get("/Alternate") == alt, "ICC stream %r" % (s,)
    assert data(cs[1], "filtered") == open(d + "/" + profile, "rb").read(), "profile bytes differ"
bad = []
def assert_(cond, msg):
    assert cond, msg
def expect(name, f):
    try:
        f()
    except AssertionError as e:
        bad.append("%s: %s" % (name, e))
ad = find("cmyk-adobe.jpg")
expect("cmyk-adobe", lambda: (assert_(ad.get("/ColorSpace") == "/DeviceCMYK", ad),
                              assert_(ad.get("/Decode") == [1, 0] * 4, "Decode %r" % ad.get("/Decode"))))
pl = find("cmyk-plain.jpg")
expect("cmyk-plain", lambda: assert_(pl.get("/ColorSpace") == "/DeviceCMYK" and "/Decode" not in pl, pl))
gr = find("gray.jpg")
expect("gray", lambda: assert_(gr.get("/ColorSpace") == "/DeviceGray", gr))
expect("adobergb", lambda: iccbased(find("adobergb.jpg"), "adobergb.icc", 3, "/DeviceRGB"))
flate = [k for k, v in imgs.items() if v.get("/Filter") == "/FlateDecode" and v.get("/Width") == 720]
expect("png", lambda: (assert_(len(flate) == 1, flate), iccbased(imgs[flate[0]], "srgb.icc", 3, "/DeviceRGB")))
print("\n".join(bad) or "all as expected")
if mode == "finished":
    sys.exit(1 if bad else 0)
sys.exit(0 if len(bad) == 3 else 1)  # cairo alone: no Decode, no profiles (the rest is cairo's)
EOF
}
check "CMYK, Adobe CMYK, gray and Adobe RGB JPEGs byte for byte, described right; PNG iCCP kept" \
    images_ok "$T/doc.pdf" finished
check "without the finishing pass: no /Decode, no ICC profiles (the check can fail)" images_ok "$T/doc-raw.pdf" raw
check "qpdf --check clean" qpdf --check "$T/doc.pdf"

# A CMYK photo is not shown as its negative: its page is mostly light (the negative
# is mostly dark), in poppler and in Ghostscript.
light_page() { # pdf, want (light|dark): the page with the picture
    local pg
    pg=$(pdfimages -list "$1" | awk 'NR == 3 {print $1}')
    [ -n "$pg" ] || { echo "no picture"; return 1; }
    pdftoppm -r 20 -f "$pg" -l "$pg" -gray "$1" "$T/lp" &&
        gs -q -o "$T/lg.pgm" -sDEVICE=pgmraw -r20 -dFirstPage="$pg" -dLastPage="$pg" "$1" || return 1
    "$PY" - "$2" "$T"/lp-*.pgm "$T/lg.pgm" <<'EOF'
import sys
from PIL import Image
want, files = sys.argv[1], sys.argv[2:]
for f in files:
    px = list(Image.open(f).getdata())
    dark = sum(1 for p in px if p < 64) / len(px)
    print("%s: %.1f %% dark" % (f.split("/")[-1], 100 * dark))
    if (dark < 0.12) != (want == "light"):
        sys.exit(1)
EOF
    local rc=$?
    rm -f "$T"/lp-*.pgm "$T/lg.pgm"
    return $rc
}
for f in cmyk-adobe cmyk-plain; do
    "$PAMPHLET" "$T/$f.md" -l layouts/a5.yaml -o "$T/$f.pdf" -q || exit 1
    check "$f.jpg: the photo as it is, not its negative (pdftoppm, gs)" light_page "$T/$f.pdf" light
done
"$PAMPHLET" "$T/cmyk-adobe.md" -l layouts/a5.yaml -o "$T/cmyk-adobe-raw.pdf" --no-finish -q || exit 1
check "cmyk-adobe.jpg without the finishing pass: a negative (the check can fail)" \
    light_page "$T/cmyk-adobe-raw.pdf" dark

# ---- --gray
k_only() { # pdf, want (k-only|colour)
    gs -q -o - -sDEVICE=inkcov "$1" | awk -v want="$2" '
        { n++; if ($1 + 0 > 0 || $2 + 0 > 0 || $3 + 0 > 0) { bad++; if (bad < 4) print "page " n ": " $0 } }
        END { print n " pages, " bad + 0 " with colour ink"; if (!n) exit 1
              exit want == "k-only" ? bad > 0 : bad == 0 }'
}
"$PAMPHLET" "$T/doc.md" -l layouts/a5.yaml -o "$T/gray.pdf" --gray -q || { echo "FAIL --gray"; exit 1; }
"$PAMPHLET" "$T/doc.md" -l layouts/a5.yaml -o "$T/gray2.pdf" --gray -q || exit 1
check "--gray: every page of the colour images K-only (inkcov)" k_only "$T/gray.pdf" k-only
check "without --gray the same pages carry colour (the check can fail)" k_only "$T/doc.pdf" colour
check "--gray: two runs byte-identical" cmp "$T/gray.pdf" "$T/gray2.pdf"
gray_images() {
    "$PY" - "$1" <<'EOF'
import json, subprocess, sys
objs = json.loads(subprocess.check_output(["qpdf", "--json", "--json-key=qpdf", sys.argv[1]]))["qpdf"][1]
imgs = [v["stream"]["dict"] for v in objs.values()
        if isinstance(v, dict) and v.get("stream", {}).get("dict", {}).get("/Subtype") == "/Image"]
print(len(imgs), "images:", sorted(set((i.get("/ColorSpace"), i.get("/Filter")) for i in imgs)))
sys.exit(0 if len(imgs) == 5 and all(i.get("/ColorSpace") == "/DeviceGray" and i.get("/Filter") == "/FlateDecode"
                                     for i in imgs) else 1)
EOF
}
check "--gray: the five images decoded and DeviceGray (no passthrough)" gray_images "$T/gray.pdf"

"$PAMPHLET" content/tenants/know-your-rights.md -l layouts/a5-modern.yaml -o "$T/kyr.pdf" --gray -q || exit 1
"$PAMPHLET" content/tenants/know-your-rights.md -l layouts/a5-modern.yaml -o "$T/kyr-colour.pdf" -q || exit 1
check "--gray: Know Your Rights in a5-modern (layout colours, tints, rules) K-only" k_only "$T/kyr.pdf" k-only
check "Know Your Rights in a5-modern without --gray has colour (the check can fail)" k_only "$T/kyr-colour.pdf" colour
printf 'extends: a5\nheadings:\n  h1: {color: "cmyk(100%%, 50%%, 0, 0)"}\n' >"$T/cmyk.yaml"
printf -- '---\ntitle: CMYK\n---\n# A heading in cmyk()\n\nText.\n' >"$T/cmyk.md"
"$PAMPHLET" "$T/cmyk.md" -l "$T/cmyk.yaml" -o "$T/cmyk.pdf" --gray -q || exit 1
"$PAMPHLET" "$T/cmyk.md" -l "$T/cmyk.yaml" -o "$T/cmyk-colour.pdf" -q || exit 1
check "--gray: a cmyk() layout colour is grey (K-only)" k_only "$T/cmyk.pdf" k-only
check "the cmyk() colour without --gray is cyan and magenta ink (the check can fail)" k_only "$T/cmyk-colour.pdf" colour
"$PAMPHLET" content/1917.md -l layouts/a5.yaml -o "$T/1917.pdf" --gray -q || exit 1
check "--gray: every page of 1917 K-only, its photos too" k_only "$T/1917.pdf" k-only

echo "print images e2e: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
