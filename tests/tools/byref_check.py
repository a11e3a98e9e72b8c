#!/usr/bin/env python3
"""Check that an imposed PDF placed its pages by reference (qpdf's JSON of both files).

usage: byref_check.py same READING.pdf IMPOSED.pdf [--base14]
       byref_check.py ops IMPOSED.pdf --has OP [--has OP ...] --not OP [--not OP ...]
       byref_check.py bbox IMPOSED.pdf X0 Y0 X1 Y1

same: every page's content stream of READING is, byte for byte as stored (filters and
      all), the stream of exactly one Form XObject of IMPOSED; the font files and images
      of both are the same bytes, each stored once (--base14: READING may embed no font).
ops:  the content of every Form XObject of IMPOSED (decoded) has each --has operator and
      none of the --not ones (e.g. a K-only page: --has g --not rg).
bbox: every Form XObject of IMPOSED has this /BBox (the box its page was placed by).
Prints one line; exits 0 when the check holds, 1 otherwise.
"""
import base64, hashlib, json, re, subprocess, sys


def objects(pdf, decode):
    out = subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline", "--decode-level=" + decode, pdf],
                         capture_output=True, check=True).stdout
    return json.loads(out)["qpdf"][1]


def data(obj):
    return base64.b64decode(obj["stream"].get("data", ""))


def forms(objs):
    return {k: v for k, v in objs.items() if "stream" in v and v["stream"]["dict"].get("/Subtype") == "/Form"}


def page_contents(objs):
    """Content stream objects of the pages, in page order (one stream per page here)."""
    pages = [v["value"] for v in objs.values() if isinstance(v.get("value"), dict) and v["value"].get("/Type") == "/Page"]
    out = []
    for p in pages:
        c = p.get("/Contents")
        refs = c if isinstance(c, list) else [c]
        out.append(b"".join(data(objs["obj:" + r]) for r in refs))
    return out


def resources(objs):
    files = {v["value"][k] for v in objs.values() if isinstance(v.get("value"), dict)
             for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in v["value"]}
    res = {"font": [], "image": []}
    for k, v in objs.items():
        s = v.get("stream")
        if not s:
            continue
        kind = "image" if s["dict"].get("/Subtype") == "/Image" else "font" if k[4:] in files else None
        if kind:
            res[kind].append(hashlib.md5(data(v)).hexdigest())
    return res


def same(reading, imposed, base14=False):
    r, b = objects(reading, "none"), objects(imposed, "none")
    pages = page_contents(r)
    fbytes = [data(v) for v in forms(b).values()]
    bad = [i + 1 for i, p in enumerate(pages) if fbytes.count(p) != 1]
    if bad or len(fbytes) != len(pages):
        return f"FAIL: pages {bad[:10]} not placed as exactly one Form of the same bytes ({len(fbytes)} Forms, {len(pages)} pages)"
    ra, rb = resources(r), resources(b)
    for kind in ra:
        if sorted(ra[kind]) != sorted(rb[kind]) or len(set(rb[kind])) != len(rb[kind]):
            return f"FAIL: the {kind}s differ or are stored twice ({len(ra[kind])} in the reading PDF, {len(rb[kind])} imposed)"
    if not ra["font"] and not base14:
        return "FAIL: the reading PDF has no font files"
    return f"PASS: {len(pages)} pages as Forms of the same bytes; {len(rb['font'])} fonts, {len(rb['image'])} images, each once"


TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|<[^>]*>|/[^\s/\[\]()<>]+|[A-Za-z'\"*]+|[-+.\d]+|\S")


def ops(imposed, has, hasnot):
    b = objects(imposed, "generalized")
    fs = forms(b)
    if not fs:
        return "FAIL: no Form XObjects"
    for k, v in fs.items():
        toks = {t.decode("latin-1") for t in TOKEN.findall(data(v))}
        missing = [o for o in has if o not in toks]
        found = [o for o in hasnot if o in toks]
        if missing or found:
            return f"FAIL: Form {k}: lacks {missing}, has {found}"
    return f"PASS: {len(fs)} Forms, each with {has} and without {hasnot}"


def bbox(imposed, want):
    fs = forms(objects(imposed, "none"))
    for k, v in fs.items():
        got = [float(x) for x in v["stream"]["dict"].get("/BBox", [])]
        if len(got) != 4 or any(abs(a - b) > 0.01 for a, b in zip(got, want)):
            return f"FAIL: Form {k} has /BBox {got}, not {want}"
    return f"PASS: {len(fs)} Forms placed by the box {want}" if fs else "FAIL: no Form XObjects"


def main(a):
    if len(a) >= 3 and a[0] == "same":
        msg = same(a[1], a[2], "--base14" in a[3:])
    elif len(a) >= 2 and a[0] == "ops":
        has = [a[i + 1] for i in range(2, len(a) - 1) if a[i] == "--has"]
        hasnot = [a[i + 1] for i in range(2, len(a) - 1) if a[i] == "--not"]
        msg = ops(a[1], has, hasnot)
    elif len(a) == 6 and a[0] == "bbox":
        msg = bbox(a[1], [float(x) for x in a[2:]])
    else:
        print(__doc__)
        return 2
    print(msg)
    return 0 if msg.startswith("PASS") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
