/* flow.c - the page builder's entry (see flow.h): the body, then a back cover, each
 * collected into a vertical list and composed into pages; and the checks of a finished
 * layout (widows, orphans, short pages). The stages are in collect.c, table.c, notes.c,
 * compose.c, emit.c and pages.c (flow-imp.h). */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/fileio.h"
#include "layout/flow-imp.h"

void pm_flow_check(const pm_layout *lay, const pm_spec *spec, pm_flow_stats *st)
{
    st->widows = st->orphans = st->short_pages = 0;
    double bottom = 0;
    size_t last_body = 0;
    for (size_t i = 0; i < lay->npages; i++) {
        const pm_page *pg = lay->pages[i];
        if (pg->kind != PM_PAGE_BODY) continue;
        last_body = i;
        pm_page_sum tmp;
        const pm_page_sum *s = pm_page_summary(pg, &tmp);
        if (s->text_y > bottom) bottom = s->text_y;
        /* a paragraph continues onto this page; one goes on after it */
        if (s->first_n && s->first_lineno > 0 && s->first_lineno + s->first_n == s->first_nlines &&
            s->first_n < spec->widows)
            st->widows++;
        if (s->last_n && s->last_lineno + 1 < s->last_nlines && s->last_lineno + 1 == s->last_n &&
            s->last_n < spec->orphans)
            st->orphans++;
    }
    for (size_t i = 0; i < last_body; i++) {
        const pm_page *pg = lay->pages[i];
        if (pg->kind != PM_PAGE_BODY) continue;
        pm_page_sum tmp;
        const pm_page_sum *s = pm_page_summary(pg, &tmp);
        if (!s->notes && s->foot_y < bottom - 1) st->short_pages++; /* (notes fill a page's foot) */
    }
}



/* Release what the shaped paragraphs and the regions hold. */
static void release_paras(fstate *fs)
{
    for (size_t k = 0; k < fs->nparas; k++)
        if (!fs->paras[k].borrowed) pm_shaped_drop(fs->paras[k].shaped);
    free(fs->paras);
    fs->paras = NULL;
    fs->nparas = 0;
}

/* Where the back cover starts: a top-level heading or div marked {.back-cover} (to the
 * end of the document), or, when the layout asks for it (back-cover.last-section), the
 * last level-1 section. Never guessed: a document whose only level-1 heading is its title
 * is not a back cover. */
static size_t back_cover_start(const pm_doc *doc, const pm_spec *spec)
{
    for (size_t i = 0; i < doc->nblocks; i++) {
        const pm_block *b = &doc->blocks[i];
        if ((b->kind != PM_BLK_HEADING && b->kind != PM_BLK_DIV) || !pm_attrs_has(&b->attrs, "back-cover")) continue;
        if (b->kind == PM_BLK_DIV && i + 1 < doc->nblocks)
            pm_warn(doc->path, doc->blocks[i + 1].line, 0,
                    "this comes after the back-cover div, so it is set on the back cover too");
        return i;
    }
    if (spec->back_last_section)
        for (size_t i = doc->nblocks; i-- > 0;)
            if (doc->blocks[i].kind == PM_BLK_HEADING && doc->blocks[i].level == 1) return i;
    return doc->nblocks;
}

/* Blocks [from, to) composed into pages of the given kind. */
static void flow_part(fstate *fs, size_t from, size_t to, pm_page_kind kind)
{
    vlist vl = {0};
    collector col;
    pm_collector_init(fs, &col, fs->doc->blocks + from, to - from);
    if (!fs->rc) pm_compose(fs, &vl, &col, kind);
    pm_collector_done(&col);
    pm_vlist_free(&vl);
}

/* One run of the page builder (toc_pages: the pages of the headings, for a contents list). */
static int flow_once(const pm_flow_args *a, GHashTable *toc_pages, pm_layout **out, pm_flow_stats *stats)
{
    pm_setter *set = a->set;
    const pm_doc *doc = a->doc;
    const pm_spec *spec = a->spec;
    const pm_page_sink *sink = a->sink;
    *out = NULL;
    region body = {0};
    fstate fs = {.set = set, .doc = doc, .spec = spec, .images = a->images, .stats = stats, .sink = sink,
                 .rg = &body, .fit = a->fit, .notes_in_place = a->notes_in_place};
    fs.buf = g_string_new(NULL);
    fs.toc_pages = toc_pages;
    fs.lay = pm_layout_new();
    fs.lay->epoch = pm_source_epoch();
    fs.a = fs.lay->arena;
    double tx, ty;
    pm_spec_text_area(spec, 1, &tx, &ty, &body.w, &body.h);
    fs.lscale = a->lscale > 0 ? a->lscale : 1;
    fs.L = pm_flow_leading(&fs, &spec->body);
    fs.taller = a->taller;
    body.h += a->taller;
    body.h = floor(body.h / fs.L + 1e-6) * fs.L; /* whole lines: facing pages end on one baseline */
    if (stats) memset(stats, 0, sizeof *stats);
    pm_layout *lay = fs.lay;
    lay->title = doc->meta.title;
    lay->author = doc->meta.author;
    lay->subject = doc->meta.subject ? doc->meta.subject : doc->meta.subtitle;
    lay->keywords = doc->meta.keywords;
    lay->lang = doc->meta.lang;

    pm_check_classes(&fs);
    pm_notes_set(&fs);
    if (spec->cover) pm_make_cover(&fs);
    size_t back = back_cover_start(doc, spec);
    pm_headings_prepare(&fs, back);
    flow_part(&fs, 0, back, PM_PAGE_BODY);
    if (!fs.rc && back < doc->nblocks) {
        size_t before = lay->npages;
        fs.back = 1;
        double room = pm_qr_prepare(&fs); /* the QR code's room comes off the back cover */
        if (room > body.h - 3 * fs.L) {
            pm_warn(doc->path, doc->meta.qr_line, 0, "the QR code does not fit on the back cover: left out");
            pm_hint("make back-cover.qr.size smaller");
            fs.qr = NULL;
            room = 0;
        }
        body.h -= room;
        flow_part(&fs, back, doc->nblocks, PM_PAGE_BACK);
        body.h += room;
        if (lay->npages - before > 1)
            pm_warn(doc->path, doc->blocks[back].line, 0,
                    "the back-cover section takes %zu pages; only the last is the back cover",
                    lay->npages - before);
    }
    if (!fs.rc && back >= doc->nblocks && doc->meta.qr && *doc->meta.qr) {
        pm_warn(doc->path, doc->meta.qr_line, 0, "url: goes on the back cover as a QR code, and this pamphlet has none");
        pm_hint("mark the back cover: a '::: back-cover' div, or a heading '# Contact us {.back-cover}'");
    }
    release_paras(&fs);
    pm_headings_free(&fs);
    pm_acc_free(&body.acc);
    free(body.queue);
    free(body.over);
    g_string_free(fs.buf, TRUE);
    if (!fs.rc && stats) pm_flow_check(lay, spec, stats);
    if (fs.rc) {
        if (sink && sink->stop) sink->stop(sink->ud); /* it may still be drawing a page */
        pm_layout_drop(lay);
        return fs.rc;
    }
    *out = lay;
    return PM_OK;
}

/* The page label of each heading of a layout, by id. */
static GHashTable *heading_pages(const pm_layout *lay)
{
    GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (size_t i = 0; i < lay->npages; i++)
        for (size_t k = 0; k < lay->pages[i]->nitems; k++) {
            const pm_fitem *it = &lay->pages[i]->items[k];
            if (it->kind == PM_FI_DEST && it->str && it->level > 0 && !g_hash_table_contains(t, it->str))
                g_hash_table_insert(t, g_strdup(it->str), g_strdup(lay->pages[i]->label ? lay->pages[i]->label : ""));
        }
    return t;
}

static int same_pages(GHashTable *a, GHashTable *b)
{
    if (g_hash_table_size(a) != g_hash_table_size(b)) return 0;
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, a);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        const char *w = g_hash_table_lookup(b, k);
        if (!w || strcmp(w, v)) return 0;
    }
    return 1;
}

static int has_toc(const pm_doc *doc)
{
    pm_walk w;
    pm_walk_init(&w, doc->blocks, doc->nblocks);
    const pm_block *b;
    for (pm_walk_event ev; (ev = pm_walk_next(&w, &b)) != PM_WALK_END;)
        if (b->kind == PM_BLK_TOC) return 1;
    return 0;
}

/* A contents list shows the pages of the headings after it, and its own length moves
 * them, so a document with one is laid out more than once, in this one call: first with
 * no page numbers in the list (its entries are set as they will be: wrapped in the room
 * the page labels leave, at least three figures wide), then with the pages that run
 * found. The numbers change the list's length only when a label is wider than that room
 * (roman numerals); the run after the one that widened it then finds the same pages, so
 * one more run settles it. Runs after the first say nothing (the first has said it all),
 * and the pages go to the sink once the last run is done. */
int pm_flow_run(const pm_flow_args *a, pm_layout **out, pm_flow_stats *stats)
{
    if (!has_toc(a->doc)) return flow_once(a, NULL, out, stats);
    pm_flow_args quiet = *a;
    quiet.sink = NULL;
    pm_layout *lay = NULL;
    int rc = flow_once(&quiet, NULL, &lay, stats);
    if (rc) return rc;
    GHashTable *pages = heading_pages(lay);
    int same = 0;
    for (int run = 0; run < 3 && !same && !rc; run++) {
        pm_layout_drop(lay);
        lay = NULL;
        int was = pm_diag_quiet(1);
        rc = flow_once(&quiet, pages, &lay, stats);
        pm_diag_quiet(was);
        if (rc) break;
        GHashTable *now = heading_pages(lay);
        same = same_pages(pages, now);
        g_hash_table_destroy(pages);
        pages = now;
    }
    g_hash_table_destroy(pages);
    if (rc) return rc;
    if (!same) pm_warn(a->doc->path, 0, 0, "the contents list's page numbers did not settle; some may be wrong");
    if (a->sink)
        for (size_t i = 0; i < lay->npages; i++) a->sink->page(a->sink->ud, lay, lay->pages[i]);
    *out = lay;
    return PM_OK;
}

int pm_flow(pm_setter *set, const pm_doc *doc, const pm_spec *spec, pm_imgcache *images,
            const pm_page_sink *sink, pm_layout **out, pm_flow_stats *stats)
{
    pm_flow_args a = {.set = set, .doc = doc, .spec = spec, .images = images, .sink = sink};
    return pm_flow_run(&a, out, stats);
}
