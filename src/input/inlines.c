/* inlines.c - a paragraph's inline Markdown (emphasis, code, links, strikethrough, notes,
 * HTML, line breaks) to a pm_text: its characters, its spans and where its source lines
 * start (content-imp.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm-core-extensions.h>

#include "base/diag.h"
#include "input/content-imp.h"



static int is_space_end(const sbuf *b)
{
    if (!b->n) return 1;
    if (b->p[b->n - 1] == ' ') return 1;
    /* U+2028 is E2 80 A8 */
    return b->n >= 3 && (unsigned char)b->p[b->n - 3] == 0xE2 &&
           (unsigned char)b->p[b->n - 2] == 0x80 && (unsigned char)b->p[b->n - 1] == 0xA8;
}

static void tb_note_line(tbuild *t, int line)
{
    while (line > t->cur) {
        VEC_PUSH(t->lines, (uint32_t)t->s.n);
        t->cur++;
    }
}

/* Append text, collapsing runs of blanks to one space (none at the start or after a
 * line break). */
static void tb_text(tbuild *t, const char *s, int keep_spaces)
{
    for (; *s; s++) {
        char c = *s;
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
        if (c == ' ' && !keep_spaces && is_space_end(&t->s)) continue;
        sb_add(&t->s, &c, 1);
    }
}

static void tb_trim_end(tbuild *t)
{
    while (t->s.n && t->s.p[t->s.n - 1] == ' ') t->s.p[--t->s.n] = 0;
}

void pm_ct_tb_span(tbuild *t, size_t start, unsigned style, const char *url, int note)
{
    if (t->s.n == start) return;
    pm_span sp = {(uint32_t)start, (uint32_t)t->s.n, style, url, note};
    VEC_PUSH(t->spans, sp);
}

static int cmp_span(const void *a, const void *b)
{
    const pm_span *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end;
}

pm_text pm_ct_tb_finish(cstate *st, tbuild *t)
{
    tb_trim_end(t);
    pm_ct_check_block_size(st, t->s.n, t->line);
    pm_text out = {0};
    pm_arena *a = st->doc->arena;
    out.utf8 = pm_arena_strndup(a, t->s.p ? t->s.p : "", t->s.n);
    out.len = (uint32_t)t->s.n;
    /* trailing blanks were trimmed: spans over them shrink, and those left empty go (an
       inline code span of blanks at the end of a paragraph would otherwise start after
       the text's end, with start > end) */
    size_t kept = 0;
    for (size_t i = 0; i < t->spans.n; i++) {
        pm_span sp = t->spans.v[i];
        if (sp.end > out.len) sp.end = out.len;
        if (sp.start >= sp.end) continue;
        t->spans.v[kept++] = sp;
    }
    t->spans.n = kept;
    if (t->spans.n > 1) qsort(t->spans.v, t->spans.n, sizeof(pm_span), cmp_span); /* v is NULL when empty */
    out.spans = pm_arena_array(a, t->spans.n ? t->spans.n : 1, sizeof(pm_span));
    if (t->spans.n) memcpy(out.spans, t->spans.v, t->spans.n * sizeof(pm_span));
    out.nspans = (uint32_t)t->spans.n;
    out.line = t->line;
    for (size_t i = 0; i < t->lines.n; i++) /* and no line starts past the end */
        if (t->lines.v[i] > out.len) t->lines.v[i] = out.len;
    out.line_starts = pm_arena_array(a, t->lines.n ? t->lines.n : 1, sizeof(uint32_t));
    if (t->lines.n) memcpy(out.line_starts, t->lines.v, t->lines.n * sizeof(uint32_t));
    out.nline_starts = (uint32_t)t->lines.n;
    pm_ct_check_note_refs(st, &out);
    free(t->s.p);
    free(t->spans.v);
    free(t->lines.v);
    memset(t, 0, sizeof *t);
    return out;
}

int pm_ct_node_line(cstate *st, cmark_node *n)
{
    int l = cmark_node_get_start_line(n);
    return l > 0 ? l + st->line0 : 0;
}

const char *pm_ct_ext_type(cmark_node *n)
{
    return cmark_node_get_type_string(n);
}

static void inlines_in(cstate *st, tbuild *t, cmark_node *parent);

/* Whether an inline HTML tag is a line break: <br>, <br/>, <br />. */
static int is_br(const char *s)
{
    if (strncasecmp(s, "<br", 3)) return 0;
    s += 3;
    while (*s == ' ' || *s == '/') s++;
    return *s == '>';
}

/* Raw HTML is not interpreted: its tags are left out (once per file, a warning). */
void pm_ct_warn_html(cstate *st, int line, const char *lit)
{
    if (st->warned_html++) return;
    char tag[40];
    size_t n = strcspn(lit, "\n");
    snprintf(tag, sizeof tag, "%.*s%s", (int)(n < 30 ? n : 30), lit, n > 30 ? "..." : "");
    pm_warn(st->file, line, 0, "raw HTML is not interpreted: tags such as '%s' are left out, the text between them kept",
            tag);
}

/* The text of a block of HTML: tags and comments left out, <br> and block tags as spaces,
 * blanks collapsed, the common entities decoded. A new malloc'd string. */
char *pm_ct_html_text(const char *s)
{
    static const struct { const char *ent, *utf8; } ents[] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"},
        {"&apos;", "'"}, {"&nbsp;", "\xC2\xA0"}, {"&mdash;", "\xE2\x80\x94"}, {"&ndash;", "\xE2\x80\x93"},
        {"&copy;", "\xC2\xA9"}};
    char *out = pm_xmalloc(strlen(s) + 1), *o = out;
    while (*s) {
        if (*s == '<') {
            const char *e = !strncmp(s, "<!--", 4) ? strstr(s, "-->") : strchr(s, '>');
            if (!e) break;
            s = e + (*e == '-' ? 3 : 1);
            if (o > out && o[-1] != ' ') *o++ = ' ';
            continue;
        }
        if (*s == '&') {
            size_t k = 0;
            while (k < sizeof ents / sizeof *ents && strncmp(s, ents[k].ent, strlen(ents[k].ent))) k++;
            if (k < sizeof ents / sizeof *ents) {
                size_t n = strlen(ents[k].utf8);
                memcpy(o, ents[k].utf8, n); /* (never longer than the entity) */
                o += n;
                s += strlen(ents[k].ent);
                continue;
            }
        }
        char ch = *s++;
        if (isspace((unsigned char)ch)) {
            if (o > out && o[-1] != ' ') *o++ = ' ';
        } else {
            *o++ = ch;
        }
    }
    while (o > out && o[-1] == ' ') o--;
    *o = 0;
    char *start = out;
    while (*start == ' ') start++;
    memmove(out, start, strlen(start) + 1);
    return out;
}

/* The walks below recurse as deep as the markup nests: beyond these depths the input is
 * refused (it would overflow the stack, and each level of inline markup is one more style
 * over the whole of the text inside it). */
#define PM_MAX_INLINE_DEPTH 32

void pm_ct_inlines(cstate *st, tbuild *t, cmark_node *parent)
{
    if (st->idepth >= PM_MAX_INLINE_DEPTH) {
        st->rc = PM_EINPUT;
        if (!st->warned_deep++)
            pm_error(st->file, t->cur, 0, "emphasis, links and other inline markup are nested more than %d deep",
                     PM_MAX_INLINE_DEPTH);
        return;
    }
    st->idepth++;
    inlines_in(st, t, parent);
    st->idepth--;
}

static void inlines_in(cstate *st, tbuild *t, cmark_node *parent)
{
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        int line = pm_ct_node_line(st, n);
        if (line) tb_note_line(t, line);
        size_t start = t->s.n;
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT: tb_text(t, cmark_node_get_literal(n), 0); break;
        case CMARK_NODE_SOFTBREAK: /* inline source positions are unreliable: count lines */
            tb_text(t, " ", 0);
            tb_note_line(t, t->cur + 1);
            break;
        case CMARK_NODE_LINEBREAK:
            tb_trim_end(t);
            sb_add(&t->s, "\xE2\x80\xA8", 3);
            tb_note_line(t, t->cur + 1);
            break;
        case CMARK_NODE_CODE:
            tb_text(t, cmark_node_get_literal(n), 1);
            pm_ct_tb_span(t, start, PM_ST_CODE, NULL, 0);
            break;
        case CMARK_NODE_HTML_INLINE: {
            const char *lit = cmark_node_get_literal(n);
            if (!strncmp(lit, "<!--", 4)) break; /* a comment: not text */
            if (is_br(lit)) { /* <br>: a line break, as Markdown's own */
                tb_trim_end(t);
                sb_add(&t->s, "\xE2\x80\xA8", 3);
                break;
            }
            pm_ct_warn_html(st, line, lit);
            break; /* any other tag is left out; the text between tags stays */
        }
        case CMARK_NODE_EMPH:
            pm_ct_inlines(st, t, n);
            pm_ct_tb_span(t, start, PM_ST_ITALIC, NULL, 0);
            break;
        case CMARK_NODE_STRONG:
            pm_ct_inlines(st, t, n);
            pm_ct_tb_span(t, start, PM_ST_BOLD, NULL, 0);
            break;
        case CMARK_NODE_LINK: {
            pm_ct_inlines(st, t, n);
            const char *url = cmark_node_get_url(n);
            if (!url || !*url) {
                pm_warn(st->file, line, cmark_node_get_start_column(n), "a link with no target; it is set as plain text");
                break;
            }
            url = pm_arena_strdup(st->doc->arena, url);
            if (url[0] == '#') VEC_PUSH(st->inner, ((inner_link){url + 1, line, cmark_node_get_start_column(n)}));
            pm_ct_tb_span(t, start, PM_ST_LINK, url, 0);
            break;
        }
        case CMARK_NODE_IMAGE:
            if (!st->warned_image++) {
                pm_warn(st->file, line, 0,
                        "an image inside a paragraph is not placed; its description is set as text");
                pm_hint("put the image in a paragraph of its own to make it a figure");
            }
            pm_ct_inlines(st, t, n);
            break;
        case CMARK_NODE_FOOTNOTE_REFERENCE: {
            const char *num = cmark_node_get_literal(n);
            tb_text(t, num, 1);
            pm_ct_tb_span(t, start, PM_ST_SUPER, NULL, atoi(num));
            break;
        }
        default:
            if (!strcmp(pm_ct_ext_type(n), "strikethrough")) {
                pm_ct_inlines(st, t, n);
                pm_ct_tb_span(t, start, PM_ST_STRIKE, NULL, 0);
            } else {
                pm_ct_inlines(st, t, n);
            }
        }
    }
}

pm_text pm_ct_text_of(cstate *st, cmark_node *n)
{
    tbuild t = {0};
    t.line = t.cur = pm_ct_node_line(st, n);
    pm_ct_inlines(st, &t, n);
    return pm_ct_tb_finish(st, &t);
}

