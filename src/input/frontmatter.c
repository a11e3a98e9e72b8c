/* frontmatter.c - what comes before the Markdown: a YAML front matter block of known
 * keys, and the checks every content text passes first (UTF-8, no control characters). */
#include "input/frontmatter.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/yamltree.h"

/* ---- front matter ---- */

static const char *const fm_keys[] = {"title", "subtitle", "author", "date", "lang", "layout", "cover",
                                      "keywords", "subject", "dir", "issue", "logo", "url", "qr", "toc"};

int pm_front_matter(pm_doc *doc, const char *file, const char *text, size_t len, size_t *body_off, int *line0)
{
    struct {
        pm_doc *doc;
        const char *file;
        int rc;
    } state = {doc, file, PM_OK}, *st = &state;
    *body_off = 0;
    if (len < 3 || strncmp(text, "---", 3)) return PM_OK;
    size_t i = 3;
    while (i < len && (text[i] == ' ' || text[i] == '\t')) i++;
    if (i < len && text[i] == '\r') i++;
    if (i < len && text[i] != '\n') return PM_OK; /* "---x": not front matter */
    if (i >= len) return PM_OK;
    size_t ystart = i + 1;
    int line = 2;
    size_t p = ystart;
    while (p < len) {
        const char *nl = memchr(text + p, '\n', len - p);
        size_t e = nl ? (size_t)(nl - text) : len;
        size_t l = e - p;
        while (l && (text[p + l - 1] == '\r' || text[p + l - 1] == ' ')) l--;
        if ((l == 3 && !strncmp(text + p, "---", 3)) || (l == 3 && !strncmp(text + p, "...", 3))) {
            pm_ynode *root = NULL;
            int rc = pm_yaml_parse(st->file, text + ystart, p - ystart, 1, st->doc->arena, &root);
            if (rc) return rc;
            *body_off = nl ? e + 1 : len;
            *line0 = line;
            if (!root) return PM_OK;
            if (root->kind != PM_Y_MAP) {
                pm_error(st->file, root->line, root->col, "front matter must be a list of 'key: value' lines");
                return PM_EINPUT;
            }
            pm_meta *m = &st->doc->meta;
            for (size_t k = 0; k < root->n; k++) {
                pm_ynode *key = root->pairs[k].key, *val = root->pairs[k].val;
                const char **slot = NULL;
                if (!strcmp(key->str, "title")) slot = &m->title;
                else if (!strcmp(key->str, "subtitle")) slot = &m->subtitle;
                else if (!strcmp(key->str, "author")) slot = &m->author;
                else if (!strcmp(key->str, "date")) slot = &m->date;
                else if (!strcmp(key->str, "lang")) slot = &m->lang;
                else if (!strcmp(key->str, "layout")) slot = &m->layout;
                else if (!strcmp(key->str, "cover")) slot = &m->cover_src;
                else if (!strcmp(key->str, "keywords")) slot = &m->keywords;
                else if (!strcmp(key->str, "subject")) slot = &m->subject;
                else if (!strcmp(key->str, "toc")) {
                    const char *v = val->kind == PM_Y_SCALAR ? val->str : "";
                    if (!strcmp(v, "true") || !strcmp(v, "yes")) m->toc = 1;
                    else if (!strcmp(v, "false") || !strcmp(v, "no")) m->toc = 0;
                    else {
                        pm_error(st->file, val->line, val->col, "toc: '%s' is not true or false", v);
                        st->rc = PM_EINPUT;
                    }
                    continue;
                }
                else if (!strcmp(key->str, "dir")) slot = &m->dir_src;
                else if (!strcmp(key->str, "issue")) slot = &m->issue;
                else if (!strcmp(key->str, "logo")) slot = &m->logo_src;
                else if (!strcmp(key->str, "url") || !strcmp(key->str, "qr")) {
                    if (m->qr) {
                        pm_error(st->file, key->line, key->col, "'%s': the front matter already gave url: or qr:",
                                 key->str);
                        pm_hint("give one of them: what the back cover's QR code encodes");
                        st->rc = PM_EINPUT;
                        continue;
                    }
                    slot = &m->qr;
                }
                if (!slot) {
                    pm_error(st->file, key->line, key->col, "unknown front matter key '%s'", key->str);
                    const char *near = pm_nearest(key->str, fm_keys, (int)(sizeof fm_keys / sizeof *fm_keys));
                    if (near) pm_hint("did you mean '%s'?", near);
                    else pm_hint("known keys: title, subtitle, author, date, issue, lang, dir, layout, cover, logo, "
                                 "url (or qr), keywords, subject, toc");
                    st->rc = PM_EINPUT;
                    continue;
                }
                if (val->kind != PM_Y_SCALAR) {
                    pm_error(st->file, val->line, val->col, "'%s' must be text, not %s", key->str,
                             pm_yaml_kind_name(val->kind));
                    st->rc = PM_EINPUT;
                    continue;
                }
                *slot = val->str;
                if (slot == &m->cover_src) m->cover_line = val->line;
                if (slot == &m->layout) m->layout_line = val->line;
                if (slot == &m->logo_src) m->logo_line = val->line;
                if (slot == &m->qr) m->qr_line = val->line;
                if (slot == &m->dir_src && strcmp(val->str, "rtl") && strcmp(val->str, "ltr")) {
                    pm_error(st->file, val->line, val->col, "dir: '%s' is not a direction", val->str);
                    pm_hint("write 'dir: rtl' (right to left: Arabic, Hebrew, Persian, Urdu) or 'dir: ltr'");
                    st->rc = PM_EINPUT;
                }
            }
            return st->rc;
        }
        line++;
        if (!nl) break;
        p = e + 1;
    }
    pm_error(st->file, 1, 1, "front matter is not closed: add a line '---' after it");
    return PM_EINPUT;
}

/* ---- input checks ---- */

int pm_content_check_text(const char *file, const char *s, size_t len)
{
    int line = 1, col = 1;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0) {
            pm_error(file, line, col, "the file contains NUL bytes; is it a text file?");
            return PM_EINPUT;
        }
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        int ok = n && i + n <= len;
        uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (size_t k = 1; ok && k < n; k++) {
            unsigned char d = (unsigned char)s[i + k];
            if ((d & 0xC0) != 0x80) ok = 0;
            cp = (cp << 6) | (d & 0x3F);
        }
        if (ok && ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
                   cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)))
            ok = 0;
        if (!ok) {
            pm_error(file, line, col, "invalid UTF-8 (byte 0x%02X); save the file as UTF-8", c);
            return PM_EINPUT;
        }
        if (c == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        i += n;
    }
    return PM_OK;
}

