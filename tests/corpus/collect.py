#!/usr/bin/env python3
"""collect.py: how tests/corpus/ was gathered (run once on a Debian 12 machine; kept so the
corpus can be checked and rebuilt).

The corpus is real Markdown nobody here wrote: the .md / .md.gz / .markdown files that
Debian packages install under /usr/share/doc (all of them, one copy of each text), and a
chosen set of the Node.js documentation (NodeSource's nodejs package puts it there too;
Node.js is MIT-licensed). Each is copied, decompressed, to tests/corpus/PACKAGE/NAME.md
(NAME: its path under the package's doc folder, "/" -> "__") and listed in MANIFEST with
its package, version, source path and licence. The licence is the package's, from
/usr/share/doc/PACKAGE/copyright: the "License:" of its "Files: *" stanza (DEP-5), else the
one the file states in prose (OVERRIDES, read by hand). Only free licences (every package
here is from Debian main, apart from nodejs: MIT).

    tests/corpus/collect.py [--dry-run]
"""
import argparse
import gzip
import hashlib
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = "/usr/share/doc"

# copyright files in prose, read by hand
OVERRIDES = {
    "libcrypt-dev": "LGPL-2.1+",
    "libgnutls30": "LGPL-2.1+",
    "libjpeg-dev": "BSD-3-clause and IJG and Zlib",
    "libjpeg62-turbo-dev": "BSD-3-clause and IJG and Zlib",
    "libqpdf-dev": "Apache-2.0",
    "libtasn1-6": "LGPL-2.1+ (library), GPL-3+ (tools)",
    "libxmlsec1": "MIT",
    "libxmlsec1-dev": "MIT",
    "libxmlsec1-gcrypt": "MIT",
    "libxmlsec1-gnutls": "MIT",
    "libxmlsec1-nss": "MIT",
    "libxmlsec1-openssl": "MIT",
    "polkitd": "LGPL-2.0+",
    "python3-yaml": "MIT",
    "shared-mime-info": "GPL-2+",
    "tcl8.6": "TCL (BSD-style)",
    "tk8.6": "TCL (BSD-style)",
    "nodejs": "MIT",
}

# the Node.js documents taken (of 148): API references with tables and code, guides with
# nested lists, long ones and short ones
NODE = """BUILDING.md CODE_OF_CONDUCT.md CONTRIBUTING.md GOVERNANCE.md README.md SECURITY.md
api/async_context.md api/cluster.md api/console.md api/corepack.md api/debugger.md
api/documentation.md api/domain.md api/embedding.md api/globals.md api/https.md api/index.md
api/intl.md api/path.md api/punycode.md api/querystring.md api/report.md api/string_decoder.md
api/synopsis.md api/timers.md api/tracing.md api/tty.md api/wasi.md
contributing/api-documentation.md contributing/commit-queue.md contributing/cpp-style-guide.md
contributing/issues.md contributing/pull-requests.md contributing/writing-tests.md
contributing/maintaining/maintaining-dependencies.md contributing/technical-priorities.md
glossary.md onboarding.md""".split()

FREE = re.compile(r"GPL|LGPL|MIT|Expat|BSD|Apache|ISC|OFL|bitstream|TCL|IJG|Zlib|CC0|public", re.I)


def licence(pkg):
    if pkg in OVERRIDES:
        return OVERRIDES[pkg]
    path = os.path.join(DOC, pkg, "copyright")
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    m = re.search(r"^Files:\s*\*\s*$(?:\n(?!\n).*)*?\nLicense:\s*(\S.*)$", text, re.M)
    if m:
        return m.group(1).strip()
    m = re.search(r"^License:\s*(\S.*)$", text, re.M)
    if m:
        return m.group(1).strip()
    raise SystemExit("collect: no licence found for %s; read %s and add it to OVERRIDES" % (pkg, path))


def package_of(path):
    real = os.path.realpath(path)
    for p in (path, real):
        r = subprocess.run(["dpkg", "-S", p], capture_output=True, text=True)
        if r.returncode == 0:
            return r.stdout.split(":")[0].split(",")[0].strip()
    return path[len(DOC) + 1:].split("/")[0]


def version_of(pkg):
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True)
    return r.stdout.strip() or "?"


def read(path):
    if path.endswith(".gz"):
        with gzip.open(path, "rb") as f:
            return f.read()
    with open(path, "rb") as f:
        return f.read()


def sources():
    out = []
    for root, dirs, files in os.walk(DOC):
        dirs.sort()
        for fn in sorted(files):
            if not re.search(r"\.(md|markdown)(\.gz)?$", fn):
                continue
            path = os.path.join(root, fn)
            rel = os.path.relpath(path, DOC)
            pkg_dir = rel.split("/")[0]
            inner = rel[len(pkg_dir) + 1:]
            if pkg_dir == "nodejs" and inner not in NODE:
                continue
            out.append((path, pkg_dir, inner))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args()
    seen = {}
    rows = []
    for path, pkg_dir, inner in sources():
        data = read(path)
        h = hashlib.sha1(data).hexdigest()
        if h in seen:
            continue
        seen[h] = path
        pkg = package_of(path)
        lic = licence(pkg_dir if pkg_dir in OVERRIDES else pkg)
        if not FREE.search(lic):
            print("collect: skipping %s (licence %r)" % (path, lic))
            continue
        name = re.sub(r"\.(md|markdown)(\.gz)?$", "", inner).replace("/", "__") + ".md"
        dest = os.path.join(pkg_dir, name)
        rows.append((dest, pkg, version_of(pkg), path, lic))
        if not a.dry_run:
            os.makedirs(os.path.join(HERE, pkg_dir), exist_ok=True)
            with open(os.path.join(HERE, dest), "wb") as f:
                f.write(data)
    if not a.dry_run:
        with open(os.path.join(HERE, "MANIFEST"), "w", encoding="utf-8") as f:
            f.write("# The corpus: real Markdown from Debian 12 packages' documentation (tests/corpus/collect.py).\n")
            f.write("# FILE<TAB>PACKAGE<TAB>VERSION<TAB>INSTALLED AS<TAB>LICENCE (the package's, from its copyright file)\n")
            for r in rows:
                f.write("\t".join(r) + "\n")
    print("collect: %d documents" % len(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
