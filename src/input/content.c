/* content.c - front matter and CommonMark (cmark-gfm) to the document tree of doc.h: the
 * blocks (inlines.c sets the text of each, content-imp.h is between the two). */
#include "input/content.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <ctype.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/diag.h"
#include "base/fileio.h"
#include "base/units.h"
#include "base/yamltree.h"
#include "input/attrs.h"
#include "input/content-imp.h"
#include "input/divs.h"
#include "input/frontmatter.h"

/* A block's text longer than PM_BLOCK_MAX_BYTES is an error (see content.h). */
void pm_ct_check_block_size(cstate *st, size_t len, int line)
{
    if (len <= PM_BLOCK_MAX_BYTES) return;
    st->rc = PM_EINPUT;
    if (st->warned_long++) return;
    pm_error(st->file, line, 0, "this paragraph is %zu bytes long; one paragraph may be at most %u bytes",
             len, PM_BLOCK_MAX_BYTES);
    pm_hint("are blank lines missing between paragraphs? Lines with no blank line between them "
            "make one paragraph");
}

/* A code block's text: lit[0..len) with each tab expanded to spaces up to the next
 * column that is a multiple of 4 (columns counted in characters), in the arena. */
static void code_text(cstate *st, const char *lit, size_t len, pm_text *t)
{
    size_t tabs = 0;
    for (size_t i = 0; i < len; i++) tabs += lit[i] == '\t';
    char *out = pm_arena_alloc(st->doc->arena, len + 3 * tabs + 1);
    size_t n = 0, col = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = lit[i];
        if (ch == '\t') {
            do out[n++] = ' '; while (++col % 4);
            continue;
        }
        out[n++] = ch;
        if (ch == '\n') col = 0;
        else if (((unsigned char)ch & 0xC0) != 0x80) col++;
    }
    out[n] = 0;
    t->utf8 = out;
    t->len = (uint32_t)n;
    size_t nl = 0; /* where its lines begin, for warnings that name a line */
    for (size_t i = 0; i < n; i++) nl += out[i] == '\n';
    t->line_starts = pm_arena_array(st->doc->arena, nl ? nl : 1, sizeof(uint32_t));
    for (size_t i = 0; i < n; i++)
        if (out[i] == '\n') t->line_starts[t->nline_starts++] = (uint32_t)i + 1;
}

/* ---- blocks ---- */

typedef VEC(pm_block) blkvec;

/* Nesting: quotes, lists and divs around the blocks being read (list items do not count:
 * each comes with its list). */
typedef struct {
    int depth;
} ctx;

/* A new block at the end of the current container (valid until the next one is added). */
static pm_block *add_block(cstate *st, pm_block_kind kind, int line, const ctx *c)
{
    (void)c;
    blkvec *out = st->out;
    pm_block b = {.kind = kind, .line = line};
    VEC_PUSH(*out, b);
    return &out->v[out->n - 1];
}

static void blocks(cstate *st, cmark_node *parent, ctx c);
static void list_items(cstate *st, cmark_node *list, ctx c);

/* A container of kind k holding the blocks read from node n (a list: its items). An item
 * with nothing in it holds an empty paragraph, which keeps its marker. */
static pm_block *add_container(cstate *st, pm_block_kind kind, int line, cmark_node *n, ctx c)
{
    blkvec kids = {0};
    void *outer = st->out;
    st->out = &kids;
    if (kind == PM_BLK_LIST) list_items(st, n, c);
    else blocks(st, n, c);
    if (kind == PM_BLK_ITEM && !kids.n) {
        pm_block *e = add_block(st, PM_BLK_PARA, line, &c);
        e->text.utf8 = "";
        e->text.line = line;
    }
    st->out = outer;
    pm_block *b = add_block(st, kind, line, &c);
    b->nkids = kids.n;
    b->kids = pm_arena_array(st->doc->arena, kids.n ? kids.n : 1, sizeof(pm_block));
    if (kids.n) memcpy(b->kids, kids.v, kids.n * sizeof(pm_block));
    free(kids.v);
    return b;
}

/* Whether s has something besides white space (ASCII or U+00A0): a heading such as
 * "# &nbsp;" makes no title. */
static int has_visible(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isspace(*p)) continue;
        if (p[0] == 0xc2 && p[1] == 0xa0) { p++; continue; }
        return 1;
    }
    return 0;
}

/* A '::: parallel' div that cannot be set side by side is set one part after the other:
 * say so, once, where it is. */
static void warn_parallel(const pm_doc *doc, const char *path)
{
    pm_walk w;
    pm_walk_init(&w, doc->blocks, doc->nblocks);
    const pm_block *b, *at;
    for (pm_walk_event ev; (ev = pm_walk_next(&w, &b)) != PM_WALK_END;) {
        if (ev != PM_WALK_ENTER || b->kind != PM_BLK_DIV || !pm_attrs_has(&b->attrs, "parallel")) continue;
        const char *why = pm_parallel_problem(b, &at);
        if (why) pm_warn(path, at->line, at->col, "a '::: parallel' div %s, so it is set one part after the other", why);
    }
}

static size_t count_words(const char *s)
{
    size_t n = 0;
    for (int in = 0; *s; s++) {
        int sp = isspace((unsigned char)*s);
        if (!sp && !in) n++;
        in = !sp;
    }
    return n;
}

/* A document without a title in its front matter is titled by its first level-1 heading;
 * else by its first heading when no more than a line of text comes before it; else by the
 * file's name (a README's or an index's folder: "zstd" for zstd/README.md). */
static void default_title(pm_doc *doc, const char *path, pm_meta *m)
{
    const char *first = NULL, *h1 = NULL;
    size_t before = 0;
    pm_walk w;
    pm_walk_init(&w, doc->blocks, doc->nblocks);
    const pm_block *b;
    for (pm_walk_event ev; !h1 && (ev = pm_walk_next(&w, &b)) != PM_WALK_END;) {
        if (ev != PM_WALK_LEAF || !b->text.utf8) continue;
        if (b->kind != PM_BLK_HEADING) before += count_words(b->text.utf8);
        else if (has_visible(b->text.utf8)) {
            if (b->level == 1) h1 = b->text.utf8;
            else if (!first && before <= 12) first = b->text.utf8;
        }
    }
    if (h1 || first) {
        m->title = h1 ? h1 : first;
        pm_warn(path, 1, 0, "no title in the front matter; using the first %sheading, \"%s\"", h1 ? "level-1 " : "",
                m->title);
    } else {
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        size_t n = strcspn(base, ".");
        if ((n == 6 && !strncasecmp(base, "readme", 6)) || (n == 5 && !strncasecmp(base, "index", 5))) {
            const char *end = base > path ? base - 1 : path, *dir = end; /* the folder's name */
            while (dir > path && dir[-1] != '/') dir--;
            if (end > dir && !(end - dir == 1 && *dir == '.')) base = dir, n = (size_t)(end - dir);
        }
        m->title = n ? pm_arena_strndup(doc->arena, base, n) : "Untitled";
        pm_warn(path, 1, 0, "no title in the front matter; using the file's name, \"%s\"", m->title);
    }
    pm_hint("give the pamphlet its title in the front matter: a line 'title: ...' between '---' lines");
}

/* Attributes written at the end of a heading's or a paragraph's text ("Contact
 * {.back-cover}"): read into attrs and cut off the text (and its spans). */
/* The column (in characters) of the last '{' on content line `line`, or 0. */
static int brace_col(cstate *st, int line)
{
    if (!st->src_lines) { /* the first attributes: index the lines once */
        size_t n = 1;
        for (size_t i = 0; i < st->srclen; i++) n += st->src[i] == '\n';
        st->src_lines = pm_xmalloc(n * sizeof *st->src_lines);
        st->src_lines[st->nsrc_lines++] = 0;
        for (size_t i = 0; i < st->srclen; i++)
            if (st->src[i] == '\n') st->src_lines[st->nsrc_lines++] = (uint32_t)(i + 1);
    }
    long k = (long)line - st->line0 - 1;
    if (k < 0 || (size_t)k >= st->nsrc_lines) return 0;
    const char *s = st->src + st->src_lines[k], *end = st->src + st->srclen;
    int col = 0, at = 0;
    for (; s < end && *s != '\n'; s++) {
        if (((unsigned char)*s & 0xC0) != 0x80) col++;
        if (*s == '{') at = col;
    }
    return at;
}

static void take_attrs(cstate *st, pm_text *t, pm_attrs *attrs)
{
    if (!t->len) return;
    size_t keep = pm_attrs_trailing(st->doc->arena, t->utf8, t->len, attrs);
    if (keep == t->len) return;
    attrs->line = pm_text_line_at(t, (uint32_t)t->len - 1);
    attrs->col = brace_col(st, attrs->line);
    ((char *)t->utf8)[keep] = 0; /* (the text is the document's, in its arena) */
    t->len = (uint32_t)keep;
    uint32_t n = 0;
    for (uint32_t i = 0; i < t->nspans; i++) {
        if (t->spans[i].start >= keep) continue;
        t->spans[n] = t->spans[i];
        if (t->spans[n].end > keep) t->spans[n].end = (uint32_t)keep;
        n++;
    }
    t->nspans = n;
    while (t->nline_starts && t->line_starts[t->nline_starts - 1] >= keep) t->nline_starts--;
}

/* Register an id given in attributes ({#id}); a second use of it is a warning. */
static const char *given_id(cstate *st, const char *id, int line)
{
    for (size_t i = 0; i < st->ids.n; i++)
        if (!strcmp(st->ids.v[i], id)) {
            pm_warn(st->file, line, 0, "the id '#%s' is given twice; links go to the first", id);
            return id;
        }
    VEC_PUSH(st->ids, id);
    return id;
}

/* A heading's id as GitHub makes it (github-slugger), so that the links people write for
 * a README on GitHub ('[see](#whats-new)') work here too: lower case; letters, numbers
 * and marks (any script) kept, '-' and '_' kept, each space a '-', everything else
 * dropped; a second heading of the same text gets "-1", a third "-2". */
static const char *make_id(cstate *st, const pm_text *t)
{
    char slug[256];
    size_t n = 0;
    const char *p = t->utf8, *end = t->utf8 + t->len;
    while (p < end) {
        gunichar c = g_utf8_get_char_validated(p, end - p);
        if (c == (gunichar)-1 || c == (gunichar)-2) { /* (not UTF-8: skipped) */
            p++;
            continue;
        }
        p = g_utf8_next_char(p);
        char u[8];
        int l = 0;
        if (g_unichar_isspace(c)) u[l++] = '-';
        else if (c == '-' || c == '_') u[l++] = (char)c;
        else if (g_unichar_isalnum(c) || g_unichar_ismark(c)) l = g_unichar_to_utf8(g_unichar_tolower(c), u);
        if (n + (size_t)l >= sizeof slug) break;
        memcpy(slug + n, u, (size_t)l);
        n += (size_t)l;
    }
    if (!n) n = (size_t)snprintf(slug, sizeof slug, "section");
    slug[n] = 0;
    char buf[sizeof slug + 16];
    snprintf(buf, sizeof buf, "%s", slug);
    for (int k = 1;; k++) {
        int dup = 0;
        for (size_t i = 0; i < st->ids.n && !dup; i++) dup = !strcmp(st->ids.v[i], buf);
        if (!dup) break;
        snprintf(buf, sizeof buf, "%s-%d", slug, k);
    }
    const char *id = pm_arena_strdup(st->doc->arena, buf);
    VEC_PUSH(st->ids, id);
    return id;
}

/* A GFM table: one block holding every cell's text; the header row's cells are bold. */
static void add_table(cstate *st, cmark_node *n, int line, const ctx *c)
{
    int ncols = cmark_gfm_extensions_get_table_columns(n), nrows = 0;
    for (cmark_node *row = cmark_node_first_child(n); row; row = cmark_node_next(row)) nrows++;
    if (ncols < 1 || nrows < 1) return;
    pm_block *b = add_block(st, PM_BLK_TABLE, line, c);
    b->ncols = ncols;
    b->nrows = nrows;
    char *al = pm_arena_alloc(st->doc->arena, (size_t)ncols + 1);
    const uint8_t *ga = cmark_gfm_extensions_get_table_alignments(n);
    for (int k = 0; k < ncols; k++) al[k] = ga && (ga[k] == 'l' || ga[k] == 'c' || ga[k] == 'r') ? (char)ga[k] : 0;
    al[ncols] = 0;
    b->aligns = al;
    b->cells = pm_arena_array(st->doc->arena, (size_t)nrows * (size_t)ncols, sizeof(pm_text));
    int r = 0;
    for (cmark_node *row = cmark_node_first_child(n); row; row = cmark_node_next(row), r++) {
        int header = cmark_gfm_extensions_get_table_row_is_header(row);
        if (header && r == b->header_rows) b->header_rows++;
        int k = 0;
        for (cmark_node *cell = cmark_node_first_child(row); cell && k < ncols; cell = cmark_node_next(cell), k++) {
            tbuild t = {0};
            t.line = t.cur = pm_ct_node_line(st, cell) ? pm_ct_node_line(st, cell) : pm_ct_node_line(st, row);
            pm_ct_inlines(st, &t, cell);
            if (header && t.s.n) pm_ct_tb_span(&t, 0, PM_ST_BOLD, NULL, 0);
            b->cells[(size_t)r * (size_t)ncols + (size_t)k] = pm_ct_tb_finish(st, &t);
        }
        for (; k < ncols; k++) { /* a short row: empty cells */
            pm_text *e = &b->cells[(size_t)r * (size_t)ncols + (size_t)k];
            e->utf8 = "";
            e->line = pm_ct_node_line(st, row);
        }
    }
}

/* Links to #id: every id must be a heading's (ids are known only at the end: a link
 * may point forward). A broken one is a warning; its text stays a link to nowhere. */
static void check_inner_links(cstate *st)
{
    for (size_t i = 0; i < st->inner.n; i++) {
        const inner_link *l = &st->inner.v[i];
        size_t k = 0;
        while (k < st->ids.n && strcmp(st->ids.v[k], l->id)) k++;
        if (k < st->ids.n) continue;
        pm_warn(st->file, l->line, l->col, "a link to '#%s', but no heading has that id", l->id);
        const char *near = st->ids.n < 100000 ? pm_nearest(l->id, st->ids.v, (int)st->ids.n) : NULL;
        if (near) pm_hint("did you mean '#%s'? A heading's id is its text in lower case, with '-' between words", near);
        else pm_hint("a heading's id is its text in lower case, with '-' between words");
    }
}

/* A figure's width attribute (80%, 60mm ...) into b->width: a share of the text width,
 * or (negative) points. Returns 0, or -1 after an error. */
static int figure_width(cstate *st, pm_block *b, const char *val, int line)
{
    const char *why = NULL;
    pm_len l;
    if (!strcmp(val, "page")) return 0; /* edge to edge: layout/collect.c */
    if (pm_len_parse(val, 0, &l, &why) < 0 || l.kind == PM_LEN_EM || l.v <= 0) {
        pm_error(st->file, line, 0, "figure width '%s': %s", val,
                 why ? why : "must be a positive length or percentage, or 'page' (edge to edge)");
        st->rc = PM_EINPUT;
        return -1;
    }
    if (l.kind == PM_LEN_PERCENT) {
        if (l.v > 100) {
            pm_warn(st->file, line, 0, "figure width %s is more than the text width; using 100%%", val);
            l.v = 100;
        }
        b->width = l.v / 100.0;
    } else {
        b->width = -l.v;
    }
    return 0;
}

/* "{width=80% .span}" after a figure's image: pandoc attributes into b->attrs. Unknown
 * keys and classes, and a block that cannot be read, are warnings naming what is known. */
static void figure_attrs(cstate *st, pm_block *b, const char *s, int line)
{
    static const char *const keys[] = {"width"}, *const classes[] = {"span"};
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (pm_attrs_parse(st->doc->arena, s, n, &b->attrs) != n) {
        pm_warn(st->file, line, 0, "cannot read the figure attributes '%.*s'; they are ignored", (int)n, s);
        pm_hint("write them as {width=80%%} or {width=60mm .span}, with a closing '}'");
        return;
    }
    for (int i = 0; i < b->attrs.nkv; i++) {
        const char *k = b->attrs.keys[i];
        if (!strcmp(k, "width")) {
            figure_width(st, b, b->attrs.values[i], line);
            continue;
        }
        if (!strcmp(k, "alt")) continue; /* a description for the PDF's structure */
        pm_warn(st->file, line, 0, "unknown figure attribute '%s' ignored (known: width, alt)", k);
        const char *near = pm_nearest(k, keys, 1);
        if (near) pm_hint("did you mean '%s'? Attribute names are lower case", near);
    }
    for (int i = 0; i < b->attrs.nclasses; i++)
        if (strcmp(b->attrs.classes[i], "span") && strcmp(b->attrs.classes[i], "bleed"))
            pm_warn(st->file, line, 0, "unknown figure class '.%s' ignored (known: .span, .bleed)", b->attrs.classes[i]);
    (void)classes;
}

/* A local image path as the file system has it: cmark writes a URL with spaces or other
 * bytes as percent escapes ("my%20photo.jpg"); they are decoded. */
static char *decode_path(const char *url)
{
    char *out = pm_xmalloc(strlen(url) + 1), *o = out;
    for (const char *p = url; *p; p++) {
        if (p[0] == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
            char hex[3] = {p[1], p[2], 0};
            *o++ = (char)strtol(hex, NULL, 16);
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = 0;
    return out;
}

/* A paragraph written as an image that CommonMark did not read as one, almost always
 * because its path has a space ("![A photo](my photo.jpg)"): said, with the fix. */
static void check_image_like(cstate *st, const pm_text *t, int line)
{
    const char *s = t->utf8, *close = strstr(s, "](");
    if (strncmp(s, "![", 2) || !close) return;
    const char *end = strchr(close + 2, ')');
    if (!end || !memchr(close + 2, ' ', (size_t)(end - close - 2))) return;
    pm_warn(st->file, line, 0, "this looks like an image, but its path has a space, so it is set as text");
    pm_hint("write the path in angle brackets, ![...](<%.*s>), or with %%20 for each space",
            (int)(end - close - 2), close + 2);
}

/* A paragraph that is only an image (and maybe {attrs}) becomes a figure. */
static int try_figure(cstate *st, cmark_node *para, const ctx *c)
{
    cmark_node *img = cmark_node_first_child(para);
    if (!img || cmark_node_get_type(img) != CMARK_NODE_IMAGE) return 0;
    cmark_node *rest = cmark_node_next(img);
    const char *attrs = NULL;
    if (rest) {
        if (cmark_node_get_type(rest) != CMARK_NODE_TEXT || cmark_node_next(rest)) return 0;
        attrs = cmark_node_get_literal(rest);
        const char *s = attrs;
        while (isspace((unsigned char)*s)) s++;
        if (*s != '{') return 0;
    }
    int line = pm_ct_node_line(st, para);
    pm_block *b = add_block(st, PM_BLK_FIGURE, line, c);
    b->text = pm_ct_text_of(st, img);
    const char *url = cmark_node_get_url(img);
    b->src = pm_arena_strdup(st->doc->arena, url ? url : "");
    char *dec = decode_path(b->src);
    char *p = pm_path_join(st->doc->dir, dec);
    b->path = pm_arena_strdup(st->doc->arena, p);
    free(p);
    free(dec);
    if (attrs) figure_attrs(st, b, attrs, line);
    if (!*b->src) {
        pm_error(st->file, line, 0, "figure has no image path");
        st->rc = PM_EINPUT;
    }
    return 1;
}

/* Whether a paragraph is '[[toc]]' (cmark reads the brackets as text nodes of their own). */
static int is_toc(cmark_node *para)
{
    char buf[16];
    size_t n = 0;
    for (cmark_node *t = cmark_node_first_child(para); t; t = cmark_node_next(t)) {
        if (cmark_node_get_type(t) != CMARK_NODE_TEXT) return 0;
        const char *s = cmark_node_get_literal(t);
        size_t l = strlen(s);
        if (n + l >= sizeof buf) return 0;
        memcpy(buf + n, s, l);
        n += l;
    }
    buf[n] = 0;
    return !strcmp(buf, "[[toc]]");
}

static int is_pagebreak(cmark_node *para)
{
    cmark_node *t = cmark_node_first_child(para);
    if (!t || cmark_node_next(t) || cmark_node_get_type(t) != CMARK_NODE_TEXT) return 0;
    const char *s = cmark_node_get_literal(t);
    return !strcmp(s, "\\newpage") || !strcmp(s, "\\pagebreak");
}

/* The items of a list (c.depth counts the list itself), each a container with its
 * marker: bullets by depth of list nesting, or numbers. */
static void list_items(cstate *st, cmark_node *list, ctx c)
{
    int ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
    int num = cmark_node_get_list_start(list);
    int paren = cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM;
    static const char *bullets[] = {"\xE2\x80\xA2", "\xE2\x80\x93", "\xE2\x88\x98"}; /* • – ∘ */
    int lists = 0; /* lists this one is in, itself included */
    for (cmark_node *p = list; p; p = cmark_node_parent(p)) lists += cmark_node_get_type(p) == CMARK_NODE_LIST;
    for (cmark_node *item = cmark_node_first_child(list); item; item = cmark_node_next(item)) {
        pm_block *b = add_container(st, PM_BLK_ITEM, pm_ct_node_line(st, item), item, c);
        b->marker = ordered ? pm_arena_printf(st->doc->arena, "%d%c", num++, paren ? ')' : '.')
                            : bullets[(lists - 1) % 3];
        /* a task list's item ("- [ ] ..."): a box to tick, or a tick */
        const char *ts = cmark_node_get_type_string(item);
        if (ts && !strcmp(ts, "tasklist"))
            b->marker = cmark_gfm_extensions_get_tasklist_item_checked(item) ? "\xE2\x9C\x94"  /* ✔ */
                                                                             : "\xE2\x96\xA1"; /* □ */
    }
}

static cmark_node *block(cstate *st, cmark_node *n, ctx c);

/* Whether node n is a div marker: 1 opening, -1 closing, 0 not. */
static int div_marker(cmark_node *n, int *k)
{
    if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK) return 0;
    return pm_divs_marker(cmark_node_get_literal(n), k);
}

/* A fenced div: the nodes after its opening marker, up to its closing one, as a div block
 * with the fence's attributes. Returns the closing marker's node, or the last node of the
 * container when the div is not closed in it (a warning). */
static cmark_node *add_div(cstate *st, cmark_node *open, int k, ctx c)
{
    const pm_div_fence *f = &st->fences.v[k];
    if (c.depth >= PM_MAX_BLOCK_DEPTH) {
        st->rc = PM_EINPUT;
        if (!st->warned_deep++)
            pm_error(st->file, f->line, f->col, "block quotes, lists and divs are nested more than %d deep",
                     PM_MAX_BLOCK_DEPTH);
    }
    ctx inner = {c.depth + 1};
    blkvec kids = {0};
    void *outer = st->out;
    st->out = &kids;
    cmark_node *last = open;
    int closed = 0, j;
    for (cmark_node *n = cmark_node_next(open); n && !st->rc; n = cmark_node_next(n)) {
        if (div_marker(n, &j) < 0) {
            closed = 1;
            last = n;
            break;
        }
        last = n = block(st, n, inner);
    }
    st->out = outer;
    if (!closed && !st->rc) {
        pm_warn(st->file, f->line, f->col, "this div ('::: %s') is not closed; it goes on to the end of %s",
                f->attrs.nclasses ? f->attrs.classes[0] : "", cmark_node_parent(open) &&
                cmark_node_get_type(cmark_node_parent(open)) != CMARK_NODE_DOCUMENT ? "the list item or quote it is in" : "the text");
        pm_hint("end it with a line of three colons, ':::'");
    }
    pm_block *b = add_block(st, PM_BLK_DIV, f->line, &c);
    b->col = f->col;
    b->attrs = f->attrs;
    b->attrs.line = f->line;
    b->attrs.col = f->col;
    b->nkids = kids.n;
    b->kids = pm_arena_array(st->doc->arena, kids.n ? kids.n : 1, sizeof(pm_block));
    if (kids.n) memcpy(b->kids, kids.v, kids.n * sizeof(pm_block));
    free(kids.v);
    return last;
}

/* Read node n into the current container; a div's opening marker also reads the nodes up
 * to its closing one. Returns the last node read. */
static cmark_node *block(cstate *st, cmark_node *n, ctx c)
{
    {
        int line = pm_ct_node_line(st, n);
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_PARAGRAPH:
            if (is_pagebreak(n)) {
                add_block(st, PM_BLK_PAGEBREAK, line, &c);
            } else if (is_toc(n)) {
                add_block(st, PM_BLK_TOC, line, &c);
            } else if (!try_figure(st, n, &c)) {
                pm_block *b = add_block(st, PM_BLK_PARA, line, &c);
                b->text = pm_ct_text_of(st, n);
                take_attrs(st, &b->text, &b->attrs);
                check_image_like(st, &b->text, line);
            }
            break;
        case CMARK_NODE_HEADING: {
            pm_block *b = add_block(st, PM_BLK_HEADING, line, &c);
            int lv = cmark_node_get_heading_level(n);
            if (lv > 3) { /* once per level: a README's every #### is one remark, not twenty */
                if (!(st->warned_levels & 1u << lv))
                    pm_warn(st->file, line, 0,
                            "heading level %d is set as level 3 (the layout has 3 levels); so are the later ones", lv);
                st->warned_levels |= 1u << lv;
                lv = 3;
            }
            b->level = lv;
            b->text = pm_ct_text_of(st, n);
            take_attrs(st, &b->text, &b->attrs);
            b->id = b->attrs.id ? given_id(st, b->attrs.id, line) : make_id(st, &b->text);
            break;
        }
        case CMARK_NODE_BLOCK_QUOTE:
        case CMARK_NODE_LIST:
            if (c.depth >= PM_MAX_BLOCK_DEPTH) {
                st->rc = PM_EINPUT;
                if (!st->warned_deep++)
                    pm_error(st->file, line, 0, "block quotes, lists and divs are nested more than %d deep",
                             PM_MAX_BLOCK_DEPTH);
                break;
            }
            {
                ctx inner = {c.depth + 1};
                if (cmark_node_get_type(n) == CMARK_NODE_BLOCK_QUOTE) {
                    add_container(st, PM_BLK_QUOTE, line, n, inner);
                } else {
                    pm_block *l = add_container(st, PM_BLK_LIST, line, n, inner);
                    l->tight = cmark_node_get_list_tight(n);
                }
            }
            break;
        case CMARK_NODE_ITEM: blocks(st, n, c); break;
        case CMARK_NODE_CODE_BLOCK: {
            pm_block *b = add_block(st, PM_BLK_CODE, line, &c);
            const char *lit = cmark_node_get_literal(n);
            size_t len = strlen(lit);
            while (len && lit[len - 1] == '\n') len--;
            pm_ct_check_block_size(st, len, line);
            code_text(st, lit, len, &b->text);
            b->text.line = line + 1;
            break;
        }
        case CMARK_NODE_HTML_BLOCK: {
            const char *lit = cmark_node_get_literal(n);
            int k, m = pm_divs_marker(lit, &k);
            if (m > 0 && k < st->fences.n) return add_div(st, n, k, c);
            if (m < 0) break; /* (a closing marker its div has not taken: a div opened in an
                                 enclosing container; add_div warned) */
            while (isspace((unsigned char)*lit)) lit++;
            if (!strncmp(lit, "<!--", 4)) break; /* comment */
            pm_ct_warn_html(st, line, lit);
            pm_ct_check_block_size(st, strlen(lit), line);
            char *plain = pm_ct_html_text(lit); /* the text between the tags, if any, as a paragraph */
            if (*plain) {
                pm_block *b = add_block(st, PM_BLK_PARA, line, &c);
                b->text.utf8 = pm_arena_strdup(st->doc->arena, plain);
                b->text.len = (uint32_t)strlen(plain);
                b->text.line = line;
            }
            free(plain);
            break;
        }
        case CMARK_NODE_THEMATIC_BREAK: add_block(st, PM_BLK_RULE, line, &c); break;
        case CMARK_NODE_FOOTNOTE_DEFINITION: {
            tbuild t = {0};
            t.line = t.cur = line;
            int first = 1;
            for (cmark_node *p = cmark_node_first_child(n); p; p = cmark_node_next(p)) {
                if (!first) sb_add(&t.s, "\xE2\x80\xA8", 3);
                first = 0;
                if (cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH)
                    pm_ct_inlines(st, &t, p);
                else {
                    pm_warn(st->file, pm_ct_node_line(st, p), 0,
                            "only paragraphs are supported inside a footnote; this part is set as plain text");
                    pm_ct_inlines(st, &t, p);
                }
            }
            VEC_PUSH(st->note_lines, line);
            pm_note note = {.number = (int)st->notes.n + 1, .line = line};
            note.text = pm_ct_tb_finish(st, &t);
            VEC_PUSH(st->notes, note);
            break;
        }
        default:
            if (!strcmp(pm_ct_ext_type(n), "table")) {
                add_table(st, n, line, &c);
            } else {
                blocks(st, n, c);
            }
        }
    }
    return n;
}

/* Front matter 'toc: true': the contents list first, on a page of its own (after the
 * cover), unless the text places it with '[[toc]]'. */
static void add_front_toc(cstate *st)
{
    if (!st->doc->meta.toc) return;
    pm_walk w;
    pm_walk_init(&w, st->top.v, st->top.n);
    const pm_block *b;
    for (pm_walk_event ev; (ev = pm_walk_next(&w, &b)) != PM_WALK_END;)
        if (b->kind == PM_BLK_TOC) return;
    pm_block toc = {.kind = PM_BLK_TOC, .line = 1}, brk = {.kind = PM_BLK_PAGEBREAK, .line = 1};
    VEC_PUSH(st->top, toc);
    VEC_PUSH(st->top, brk);
    memmove(st->top.v + 2, st->top.v, (st->top.n - 2) * sizeof *st->top.v);
    st->top.v[0] = toc;
    st->top.v[1] = brk;
}

static void blocks(cstate *st, cmark_node *parent, ctx c)
{
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) n = block(st, n, c);
}

/* Each block's direction and language: its own attributes ({dir=rtl}, {lang=ar}; a lang
 * gives its direction unless dir is given), else its container's. */
static void inherit(pm_block *bs, size_t n, pm_dir dir, const char *lang)
{
    for (size_t i = 0; i < n; i++) {
        pm_block *b = &bs[i];
        const char *l = pm_attrs_get(&b->attrs, "lang"), *d = pm_attrs_get(&b->attrs, "dir");
        b->lang = l && *l ? l : lang;
        b->dir = d && !strcmp(d, "rtl") ? PM_DIR_RTL : d && !strcmp(d, "ltr") ? PM_DIR_LTR
                 : l && *l ? pm_lang_dir(l) : dir;
        if (pm_block_is_container(b)) inherit(b->kids, b->nkids, b->dir, b->lang);
    }
}

int pm_content_parse(const char *path, const char *text, size_t len, pm_doc **out)
{
    *out = NULL;
    if (len > PM_CONTENT_MAX_BYTES) {
        pm_error(path, 0, 0, "content is %zu bytes; the limit is %u", len, PM_CONTENT_MAX_BYTES);
        return PM_EINPUT;
    }
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) { /* byte order mark */
        text += 3;
        len -= 3;
    }
    int rc = pm_content_check_text(path, text, len);
    if (rc) return rc;
    size_t ink = 0;
    while (ink < len && isspace((unsigned char)text[ink])) ink++;
    if (ink == len) { /* most likely the wrong file, or one saved empty: keep the last PDF */
        pm_error(path, 1, 0, "the file is empty; there is nothing to set");
        return PM_EINPUT;
    }

    pm_doc *doc = pm_xcalloc(1, sizeof *doc);
    doc->arena = pm_arena_new();
    doc->path = pm_arena_strdup(doc->arena, path);
    char *dir = pm_dirname(path);
    doc->dir = pm_arena_strdup(doc->arena, dir);
    free(dir);
    cstate st = {.doc = doc, .file = doc->path};

    size_t body = 0;
    rc = pm_front_matter(doc, doc->path, text, len, &body, &st.line0);
    if (!rc) rc = st.rc;
    if (rc) {
        pm_doc_drop(doc);
        return rc;
    }
    pm_meta *m = &doc->meta;
    if (!m->lang || !*m->lang) m->lang = "en-US";
    m->dir = m->dir_src ? (!strcmp(m->dir_src, "rtl") ? PM_DIR_RTL : PM_DIR_LTR) : pm_lang_dir(m->lang);
    if (m->cover_src) {
        char *p = pm_path_join(doc->dir, m->cover_src);
        m->cover = pm_arena_strdup(doc->arena, p);
        free(p);
    }
    if (m->logo_src) {
        char *p = pm_path_join(doc->dir, m->logo_src);
        m->logo = pm_arena_strdup(doc->arena, p);
        free(p);
    }

    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_SMART | CMARK_OPT_FOOTNOTES);
    static const char *exts[] = {"strikethrough", "table", "autolink", "tasklist"};
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e) cmark_parser_attach_syntax_extension(parser, e);
    }
    st.src = text + body;
    st.srclen = len - body;
    size_t mlen;
    char *marked = pm_divs_mark(doc->arena, path, st.line0 + 1, text + body, len - body, &mlen, &st.fences);
    cmark_parser_feed(parser, marked, mlen);
    free(marked);
    cmark_node *root = cmark_parser_finish(parser);
    ctx c = {0};
    st.out = &st.top;
    blocks(&st, root, c);
    cmark_node_free(root);
    cmark_parser_free(parser);

    check_inner_links(&st);
    pm_ct_check_note_defs(&st);
    free(st.note_lines.v);
    free(st.src_lines);
    st.src = NULL;
    add_front_toc(&st);
    doc->nblocks = st.top.n;
    doc->blocks = pm_arena_array(doc->arena, st.top.n ? st.top.n : 1, sizeof(pm_block));
    if (st.top.n) memcpy(doc->blocks, st.top.v, st.top.n * sizeof(pm_block));
    inherit(doc->blocks, doc->nblocks, m->dir, m->lang);
    warn_parallel(doc, path);
    if (!m->title || !*m->title) default_title(doc, path, m);

    doc->nnotes = st.notes.n;
    doc->notes = pm_arena_array(doc->arena, st.notes.n ? st.notes.n : 1, sizeof(pm_note));
    if (st.notes.n) memcpy(doc->notes, st.notes.v, st.notes.n * sizeof(pm_note));
    pm_ct_drop_unnamed_notes(&st, doc);
    free(st.top.v);
    free(st.fences.v);
    free(st.notes.v);
    free(st.ids.v);
    free(st.inner.v);
    if (st.rc) {
        pm_doc_drop(doc);
        return st.rc;
    }
    *out = doc;
    return PM_OK;
}

int pm_content_load(const char *path, pm_doc **out)
{
    char *data;
    size_t len;
    *out = NULL;
    int rc = pm_read_file(path, PM_CONTENT_MAX_BYTES, "content", &data, &len);
    if (rc) return rc;
    rc = pm_content_parse(path, data, len, out);
    free(data);
    return rc;
}
