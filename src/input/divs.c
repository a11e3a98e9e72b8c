/* divs.c - pandoc's fenced divs in a CommonMark text (divs.h).
 *
 * cmark-gfm does not know fenced divs, so before parsing each fence line (::: box,
 * ::: {.box #id}, and the closing :::) is replaced by an HTML comment on the same line,
 * which CommonMark keeps as a block of its own wherever it stands (it also ends a
 * paragraph). The parser then gathers the blocks between an opening and its closing
 * marker into a div. Lines inside fenced code blocks are left alone; line numbers do not
 * change. */
#include "input/divs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "input/attrs.h"

#define MARK_OPEN "<!--pamphlet:div "
#define MARK_CLOSE "<!--pamphlet:/div "

int pm_code_fence(const char *s, size_t n, char *ch, size_t *len)
{
    size_t i = 0;
    while (i < n && i < 3 && s[i] == ' ') i++;
    if (i >= n || (s[i] != '`' && s[i] != '~')) return 0;
    size_t k = i;
    while (k < n && s[k] == s[i]) k++;
    if (k - i < 3) return 0;
    *ch = s[i];
    *len = k - i;
    return 1;
}

/* The colons of a div fence: returns the offset after them (at least three), or 0. */
static size_t colons(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
    size_t k = i;
    while (k < n && s[k] == ':') k++;
    return k - i >= 3 ? k : 0;
}

static void add_fence(pm_div_fences *f, pm_div_fence d)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->v = pm_xrealloc(f->v, (size_t)f->cap * sizeof *f->v);
    }
    f->v[f->n++] = d;
}

/* What follows the colons of an opening fence: a class name, or an attribute block,
 * optionally followed by more colons. Returns 0 if it is neither. */
static int open_attrs(pm_arena *a, const char *s, size_t n, pm_attrs *out)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
    if (i >= n) return 0;
    if (s[i] == '{') {
        size_t used = pm_attrs_parse(a, s + i, n - i, out);
        if (!used) return 0;
        i += used;
    } else {
        size_t b = i;
        while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != ':' && s[i] != '{') i++;
        char *cls = pm_arena_strndup(a, s + b, i - b);
        pm_attrs_add_class(a, out, cls);
        while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
        if (i < n && s[i] == '{') {
            size_t used = pm_attrs_parse(a, s + i, n - i, out);
            if (!used) return 0;
            i += used;
        }
    }
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == ':')) i++;
    return i == n;
}

char *pm_divs_mark(pm_arena *a, const char *file, int line0, const char *text, size_t len, size_t *out_len,
                   pm_div_fences *fences)
{
    memset(fences, 0, sizeof *fences);
    char *out = NULL;
    size_t on = 0, ocap = 0;
    char fence_ch = 0;
    size_t fence_len = 0;
    int depth = 0;
    int line = line0;
    for (size_t p = 0; p < len; line++) {
        const char *nl = memchr(text + p, '\n', len - p);
        size_t e = nl ? (size_t)(nl - text) : len, n = e - p;
        const char *s = text + p;
        size_t ln = n;
        while (ln && s[ln - 1] == '\r') ln--;
        char ch;
        size_t fl;
        char mark[96];
        const char *put = s;
        size_t putn = n;
        if (pm_code_fence(s, ln, &ch, &fl)) {
            if (!fence_ch) {
                fence_ch = ch;
                fence_len = fl;
            } else if (ch == fence_ch && fl >= fence_len) {
                fence_ch = 0;
            }
        } else if (!fence_ch) {
            size_t k = colons(s, ln);
            if (k) {
                size_t lead = 0;
                while (lead < ln && (s[lead] == ' ' || s[lead] == '\t')) lead++;
                pm_div_fence d = {.line = line, .col = (int)lead + 1};
                size_t rest = ln - k;
                const char *r = s + k;
                size_t ws = 0;
                while (ws < rest && (r[ws] == ' ' || r[ws] == '\t' || r[ws] == ':')) ws++;
                /* the marker keeps the fence's indent: a div indented under a list item
                   is in the item */
                int ind = lead < 40 ? (int)lead : 40;
                if (ws == rest && depth > 0) { /* a closing fence */
                    depth--;
                    d.open = 0;
                    snprintf(mark, sizeof mark, "%.*s" MARK_CLOSE "%d-->", ind, s, fences->n);
                    add_fence(fences, d);
                    put = mark;
                    putn = strlen(mark);
                } else if (ws < rest && open_attrs(a, r, rest, &d.attrs)) {
                    depth++;
                    d.open = 1;
                    snprintf(mark, sizeof mark, "%.*s" MARK_OPEN "%d-->", ind, s, fences->n);
                    add_fence(fences, d);
                    put = mark;
                    putn = strlen(mark);
                } else if (ws == rest) {
                    pm_warn(file, line, d.col, "a closing ':::' with no div open; it is set as text");
                }
            }
        }
        if (on + putn + 2 > ocap) {
            ocap = (on + putn + 2) * 2;
            out = pm_xrealloc(out, ocap);
        }
        memcpy(out + on, put, putn);
        on += putn;
        if (nl) out[on++] = '\n';
        p = nl ? e + 1 : len;
    }
    if (!out) out = pm_xmalloc(1);
    out[on] = 0;
    *out_len = on;
    return out;
}

int pm_divs_marker(const char *lit, int *index)
{
    const char *s = lit;
    while (*s == ' ' || *s == '\t') s++;
    int open = !strncmp(s, MARK_OPEN, strlen(MARK_OPEN));
    if (!open && strncmp(s, MARK_CLOSE, strlen(MARK_CLOSE))) return 0;
    s += open ? strlen(MARK_OPEN) : strlen(MARK_CLOSE);
    char *end;
    long k = strtol(s, &end, 10);
    if (end == s || strncmp(end, "-->", 3)) return 0;
    *index = (int)k;
    return open ? 1 : -1;
}
