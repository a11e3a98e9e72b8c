/* headings.c - what headings are called: their numbers (`headings.numbering: "1.1"`, or a
 * level's own), the titles the outline and the running heads show ({short="..."},
 * {.unnumbered}), and the contents list ([[toc]]) made of them, with dot leaders to page
 * numbers found by the run before (flow.c lays a document with a contents list out twice). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layout/flow-imp.h"

/* ---- numbers ---- */

/* Whether t[i] is a counter of a numbering template: one of 1 a A i I standing alone
 * ("1.1", "I.a", "Part I"; the a of "Part" is a letter of a word). */
static int is_counter(const char *t, size_t i)
{
    if (!strchr("1aAiI", t[i]) || !t[i]) return 0;
    if (i > 0 && isalnum((unsigned char)t[i - 1])) return 0;
    return !isalnum((unsigned char)t[i + 1]);
}

static void put_counter(char c, int n, GString *out)
{
    char buf[32];
    int fmt = c == 'a' ? PM_NUM_ALPHA : c == 'A' ? PM_NUM_ALPHA_UPPER : c == 'i' ? PM_NUM_ROMAN
            : c == 'I' ? PM_NUM_ROMAN_UPPER : PM_NUM_ARABIC;
    pm_format_number(n, fmt, buf, sizeof buf);
    g_string_append(out, buf);
}

/* The number of a heading of level lv (1..3) with the counters cnt[0..lv), into out (left
 * empty when the level is not numbered). A level's own template shows its counters for
 * the levels up to it ("a)": this level's; "1.a": the one above and this); the headings'
 * template is cut after the level's counter ("1.1.1": "2" for a level 1, "2.3" for a 2). */
static void number_of(const pm_spec *sp, int lv, const int *cnt, GString *out)
{
    g_string_truncate(out, 0);
    const char *own = sp->h[lv - 1].numbering, *t = own ? own : sp->numbering;
    if (!t || !*t) return;
    int k = 0;
    for (size_t i = 0; t[i]; i++) k += is_counter(t, i);
    if (!k || (!own && lv > k)) return;
    int level = own ? lv - k + 1 : 1, seen = 0; /* the level of the first counter */
    for (size_t i = 0; t[i]; i++) {
        if (!is_counter(t, i)) {
            if (!own && seen == lv && k > lv) break; /* the separator before a deeper level */
            g_string_append_c(out, t[i]);
            continue;
        }
        if (!own && seen == lv) break;
        put_counter(t[i], level >= 1 ? cnt[level - 1] : 0, out);
        level++;
        seen++;
    }
}

/* text with prefix and an en space in front (spans and lines moved along). */
static const pm_text *prefixed(pm_arena *a, const pm_text *text, const char *prefix)
{
    static const char sep[] = "\xE2\x80\x82"; /* U+2002 EN SPACE */
    size_t pl = strlen(prefix) + sizeof sep - 1;
    pm_text *t = pm_arena_alloc(a, sizeof *t);
    *t = *text;
    char *s = pm_arena_alloc(a, pl + text->len + 1);
    snprintf(s, pl + 1, "%s%s", prefix, sep);
    if (text->len) memcpy(s + pl, text->utf8, text->len);
    s[pl + text->len] = 0;
    t->utf8 = s;
    t->len = (uint32_t)(pl + text->len);
    t->spans = pm_arena_array(a, text->nspans + 1, sizeof *t->spans);
    for (uint32_t i = 0; i < text->nspans; i++) {
        t->spans[i] = text->spans[i];
        t->spans[i].start += (uint32_t)pl;
        t->spans[i].end += (uint32_t)pl;
    }
    t->line_starts = pm_arena_array(a, text->nline_starts + 1, sizeof *t->line_starts);
    for (uint32_t i = 0; i < text->nline_starts; i++) t->line_starts[i] = text->line_starts[i] + (uint32_t)pl;
    return t;
}

void pm_headings_prepare(fstate *fs, size_t nbody)
{
    const pm_spec *sp = fs->spec;
    int cnt[3] = {0, 0, 0}, cap = 0;
    GString *num = g_string_new(NULL);
    fs->head_at = g_hash_table_new(g_direct_hash, g_direct_equal);
    pm_walk w;
    pm_walk_init(&w, fs->doc->blocks, nbody);
    const pm_block *h;
    for (pm_walk_event ev; (ev = pm_walk_next(&w, &h)) != PM_WALK_END;) {
        if (ev == PM_WALK_ENTER && h->kind == PM_BLK_DIV && pm_attrs_has(&h->attrs, "parallel")) pm_walk_skip(&w);
        if (ev != PM_WALK_LEAF || h->kind != PM_BLK_HEADING) continue;
        int lv = h->level < 1 ? 1 : h->level > 3 ? 3 : h->level;
        g_string_truncate(num, 0);
        if (!pm_attrs_has(&h->attrs, "unnumbered")) {
            cnt[lv - 1]++;
            for (int k = lv; k < 3; k++) cnt[k] = 0;
            number_of(sp, lv, cnt, num);
        }
        if (fs->nheads == cap) {
            cap = cap ? cap * 2 : 32;
            fs->heads = pm_xrealloc(fs->heads, (size_t)cap * sizeof *fs->heads);
        }
        hinfo *hi = &fs->heads[fs->nheads++];
        hi->h = h;
        hi->text = num->len ? prefixed(fs->a, &h->text, num->str) : &h->text;
        hi->number = num->len ? pm_arena_printf(fs->a, "%s\xE2\x80\x82", num->str) : NULL;
        hi->title = num->len ? pm_arena_printf(fs->a, "%s %s", num->str, h->text.utf8) : h->text.utf8;
        const char *shrt = pm_attrs_get(&h->attrs, "short");
        hi->running = shrt && *shrt ? shrt : h->text.utf8;
        hi->listed = lv <= sp->toc.levels && !pm_attrs_has(&h->attrs, "unlisted") && h->text.len;
    }
    for (int i = 0; i < fs->nheads; i++) g_hash_table_insert(fs->head_at, (gpointer)fs->heads[i].h, &fs->heads[i]);
    g_string_free(num, TRUE);
}

void pm_headings_free(fstate *fs)
{
    if (fs->head_at) g_hash_table_destroy(fs->head_at);
    fs->head_at = NULL;
    free(fs->heads);
    fs->heads = NULL;
    fs->nheads = 0;
}

static const hinfo *info(const fstate *fs, const pm_block *h)
{
    return fs->head_at ? g_hash_table_lookup(fs->head_at, h) : NULL;
}

const pm_text *pm_heading_text(const fstate *fs, const pm_block *h)
{
    const hinfo *hi = info(fs, h);
    return hi ? hi->text : &h->text;
}

void pm_heading_titles(const fstate *fs, const pm_block *h, const char **title, const char **running)
{
    const hinfo *hi = info(fs, h);
    *title = hi ? hi->title : h->text.utf8;
    *running = hi ? hi->running : h->text.utf8;
}

int pm_heading_shape(fstate *fs, const pm_block *h, const pm_font_spec *font, pm_align align, const double **shape)
{
    const hinfo *hi = info(fs, h);
    if (!hi || !hi->number || (align != PM_ALIGN_LEFT && align != PM_ALIGN_JUSTIFY)) return 0;
    double *sh = pm_arena_array(fs->a, 2, sizeof *sh);
    sh[0] = 0;
    sh[1] = pm_para_single(fs->set, hi->number, font, fs->a)->width;
    *shape = sh;
    return 2;
}

/* ---- the contents list ---- */

/* text (in the arena) as one link to #id. */
static const pm_text *linked(pm_arena *a, const pm_text *text, const char *id)
{
    pm_text *t = pm_arena_alloc(a, sizeof *t);
    *t = *text;
    t->spans = pm_arena_array(a, text->nspans + 1, sizeof *t->spans);
    t->spans[0] = (pm_span){0, text->len, PM_ST_LINK, pm_arena_printf(a, "#%s", id), 0};
    if (text->nspans) memcpy(t->spans + 1, text->spans, text->nspans * sizeof *t->spans);
    t->nspans = text->nspans + 1;
    return t;
}

static const pm_text *plain(pm_arena *a, const char *s)
{
    pm_text *t = pm_arena_alloc(a, sizeof *t);
    memset(t, 0, sizeof *t);
    t->utf8 = pm_arena_strdup(a, s);
    t->len = (uint32_t)strlen(s);
    t->line = 1;
    return t;
}

/* Dot leaders from x0 to x1 (within the region), the dots on a grid of their pitch from
 * the region's left edge so that they line up from entry to entry. */
static int leaders(fstate *fs, const pm_font_spec *font, double x0, double x1, vhung *out)
{
    double pitch = pm_para_single(fs->set, ". ", font, fs->a)->width;
    if (pitch <= 0) return 0;
    double first = ceil(x0 / pitch - 1e-9) * pitch;
    int n = (int)floor((x1 - first) / pitch + 1e-9);
    if (n < 2) return 0;
    if (n > 200) n = 200;
    char buf[404];
    for (int k = 0; k < n; k++) memcpy(buf + 2 * k, ". ", 2);
    buf[2 * n - 1] = 0; /* (no space after the last dot) */
    *out = (vhung){pm_para_single(fs->set, buf, font, fs->a), first, 0, PM_FL_TOC};
    return 1;
}

/* One entry: its lines (indented by level), the leaders and the page label right-aligned
 * on the last. Its lines keep together. */
static void add_entry(fstate *fs, vlist *vl, const cframe *fr, const hinfo *hi, double room, double gap)
{
    const pm_spec *sp = fs->spec;
    const pm_font_spec *font = &sp->toc.font;
    double measure = fr->w - fr->left - fr->right;
    double ind = (hi->h->level - 1) * pm_spec_len(sp, sp->toc.indent, measure);
    double lead = pm_flow_leading(fs, font), base = slot_base(lead, pm_font_size(sp, font));
    pm_para_style st = {.font = font, .align = PM_ALIGN_LEFT, .width = measure - ind - room - gap, .quiet = 1};
    st.nshape = pm_heading_shape(fs, hi->h, font, PM_ALIGN_LEFT, &st.shape);
    pm_para pp;
    pm_para_set(fs->set, linked(fs->a, hi->text, hi->h->id), &st, fs->a, &pp);
    const char *label = fs->toc_pages ? g_hash_table_lookup(fs->toc_pages, hi->h->id) : NULL;
    vhung *hung = pm_arena_array(fs->a, 2, sizeof *hung);
    int nhung = 0;
    double right = fr->left + measure, lx = right;
    if (label) {
        pm_para_style ls = {.font = font, .align = PM_ALIGN_LEFT, .width = 1e4, .quiet = 1};
        pm_para lp;
        pm_para_set(fs->set, linked(fs->a, plain(fs->a, label), hi->h->id), &ls, fs->a, &lp);
        if (lp.nlines) {
            lx = right - lp.lines[0].width;
            hung[nhung++] = (vhung){&lp.lines[0], lx, 0, PM_FL_TOC};
        }
    }
    for (int k = 0; k < pp.nlines; k++) {
        if (k) pm_vpenalty(vl, PM_INF_PENALTY);
        vitem *it = pm_vpush(vl, V_LINE);
        it->h = lead;
        it->line = &pp.lines[k];
        it->x = fr->left + ind;
        it->base = base;
        it->fl = PM_FL_TOC;
        if (k + 1 < pp.nlines) continue;
        if (sp->toc.leaders)
            nhung += leaders(fs, font, it->x + pp.lines[k].width + gap / 2, (label ? lx : right) - gap / 2,
                             &hung[nhung]);
        it->hung = hung;
        it->nhung = nhung;
    }
}

void pm_add_toc(fstate *fs, vlist *vl, const cframe *fr, int first)
{
    const pm_spec *sp = fs->spec;
    if (sp->toc.title && *sp->toc.title) {
        pm_block *t = pm_arena_alloc(fs->a, sizeof *t);
        memset(t, 0, sizeof *t);
        t->kind = PM_BLK_HEADING;
        t->level = 1;
        t->text = *plain(fs->a, sp->toc.title);
        t->id = "contents";
        pm_add_heading(fs, vl, t, fr, first);
    } else if (!first) {
        pm_vglue(vl, fs->L, 0); /* a line above the list */
    }
    const pm_font_spec *font = &sp->toc.font;
    /* room for the page labels: as wide as the widest, and at least three figures */
    double room = pm_para_single(fs->set, "000", font, fs->a)->width, gap = pm_font_size(sp, font);
    int deep = 0;
    for (int i = 0; i < fs->nheads; i++) {
        const hinfo *hi = &fs->heads[i];
        if (!hi->listed) continue;
        deep |= hi->h->level > 1;
        const char *label = fs->toc_pages ? g_hash_table_lookup(fs->toc_pages, hi->h->id) : NULL;
        if (label) room = fmax(room, pm_para_single(fs->set, label, font, fs->a)->width);
    }
    double space = snap_up(pm_spec_len(sp, sp->toc.space, fs->rg->h), fs->L);
    int prev = 0, n = 0;
    for (int i = 0; i < fs->nheads; i++) {
        const hinfo *hi = &fs->heads[i];
        if (!hi->listed) continue;
        int lv = hi->h->level;
        if (n++) {
            /* a group of entries set apart above its level-1 entry; an entry keeps with the
               first under it */
            if (lv == 1 && deep && space > 0) pm_vglue(vl, space, 0);
            else pm_vpenalty(vl, lv > prev ? PM_INF_PENALTY : 0);
        }
        add_entry(fs, vl, fr, hi, room, gap);
        prev = lv;
    }
    pm_vglue(vl, fs->L, 0); /* a line under the list */
}
