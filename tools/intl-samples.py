#!/usr/bin/env python3
"""intl-samples.py DEB_DIR OUT_DIR: the international sample pamphlets in content/intl/,
made from freely licensed translations that Debian 12 packages ship (nothing here is
translated by us; see content/README.md for the sources and licences):

  es, ja, zh, vi: chapter 1 of the Debian Installation Guide (installation-guide-amd64,
                  GPL-2+), "What is Debian?" and the sections after it, from its HTML;
  ar, he:         the Firefox "Protections Dashboard" texts (firefox-esr-l10n-ar / -he,
                  MPL-2.0), from the language pack's protections.ftl.

DEB_DIR holds the packages unpacked: DEB_DIR/installation-guide (dpkg -x of
installation-guide-amd64) and DEB_DIR/firefox-ar, DEB_DIR/firefox-he (the .xpi of each
firefox-esr-l10n package unzipped). Get them with
  apt-get download installation-guide-amd64 firefox-esr-l10n-ar firefox-esr-l10n-he
"""
import html
import os
import re
import sys

GUIDE = {"es": "es", "ja": "ja", "zh": "zh_CN", "vi": "vi"}
GUIDE_PAGES = ["ch01s01.html", "ch01s02.html", "ch01s03.html"]


def guide_md(root, lang):
    d = os.path.join(root, "installation-guide/usr/share/doc/installation-guide-amd64", GUIDE[lang])
    out, title = [], None
    for page in GUIDE_PAGES:
        t = open(os.path.join(d, page), encoding="utf-8").read()
        body = t[t.find('<div class="sect1">'):t.rfind('<div class="navfooter">')]
        for m in re.finditer(r"<h2[^>]*>(.*?)</h2>|<p>(.*?)</p>|<li class=\"listitem\">(.*?)</li>", body, re.S):
            raw = next(g for g in m.groups() if g is not None)
            text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", raw))).strip()
            if not text:
                continue
            if m.group(1) is not None:
                text = re.sub(r"^[\d.]+\s*", "", text)
                title = title or text
                out.append("## " + text)
            elif m.group(3) is not None:
                out.append("- " + text)
            else:
                out.append(text)
    chap = re.search(r'<title>(.*?)</title>', open(os.path.join(d, "ch01.html"), encoding="utf-8").read(), re.S)
    t = chap.group(1).strip()
    t = re.sub(r"^第\s*\d+\s*章\s*", "", t) if t.startswith("第") else re.sub(r"^(?:\S+\s+)?\S*\d+\S*\s+", "", t)
    return html.unescape(t), out


FTL_KEYS = [("protection-report-page-summary-default", None), ("etp-card-content-description", None),
            ("social-tab-title", "social-tab-contant"), ("cookie-tab-title", "cookie-tab-content"),
            ("tracker-tab-title", "tracker-tab-description"), ("fingerprinter-tab-title", "fingerprinter-tab-content"),
            ("cryptominer-tab-title", "cryptominer-tab-content"), ("mobile-app-title", "mobile-app-card-content")]


def ftl(path):
    msgs = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^([a-zA-Z0-9-]+) = (.+)$", line.rstrip("\n"))
        if m:
            v = m.group(2)
            v = re.sub(r"\{ -brand-(?:short|product)-name \}", "Firefox", v)
            v = re.sub(r"<a [^>]*>.*?</a>", "", v)
            msgs[m.group(1)] = re.sub(r"\s+", " ", v).strip()
    return msgs


def firefox_md(root, lang):
    p = os.path.join(root, "firefox-" + lang, "browser/localization", lang, "browser/protections.ftl")
    m = ftl(p)
    out = []
    for head, body in FTL_KEYS:
        if body is None:
            out.append(m[head])
        elif head in m and body in m:  # (a section a language pack has not translated is left out)
            out += ["## " + m[head], m[body]]
    return m["protection-report-page-content-title"], out


SOURCES = {
    "guide": ("Debian Installation Guide for amd64, chapter 1 (Debian package installation-guide-amd64 "
              "20230508+deb12u1, /usr/share/doc/installation-guide-amd64/%s/ch01s01.html to ch01s03.html)",
              "GPL-2+ (the guide's licence: /usr/share/doc/installation-guide-amd64/copyright)"),
    "firefox": ("Firefox ESR language pack, protections.ftl (the Protections Dashboard), Debian package "
                "firefox-esr-l10n-%s", "MPL-2.0 (/usr/share/doc/firefox-esr-l10n-%s/copyright)"),
}


LAYOUT = {"ar": "a5-rtl", "he": "a5-rtl", "ja": "a5-cjk", "zh": "a5-cjk"}


def main():
    root, outdir = sys.argv[1], sys.argv[2]
    langs = {"es": "guide", "ja": "guide", "zh": "guide", "vi": "guide", "ar": "firefox", "he": "firefox"}
    bcp = {"zh": "zh-CN"}
    for lang, kind in langs.items():
        title, paras = guide_md(root, lang) if kind == "guide" else firefox_md(root, lang)
        src, lic = SOURCES[kind]
        key = GUIDE.get(lang, lang)
        name = "debian" if kind == "guide" else "protections"
        with open(os.path.join(outdir, "%s-%s.md" % (lang, name)), "w", encoding="utf-8") as fp:
            who = ("author: Mozilla\ndate: Firefox ESR 153.8.0\n" if kind == "firefox" else
                   "author: Debian\ndate: installation-guide 20230508\n")
            fp.write("---\ntitle: %s\n%slayout: %s\nlang: %s\nsubject: \"Source: %s. Licence: %s. Made by "
                     "tools/intl-samples.py.\"\n---\n\n"
                     % (title, who, LAYOUT.get(lang, "a5"), bcp.get(lang, lang), src % key, lic % key if "%s" in lic else lic))
            fp.write("\n\n".join(paras) + "\n")


if __name__ == "__main__":
    main()
