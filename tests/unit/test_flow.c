/* test_flow.c - unit tests of the page builder as a whole (layout/flow.h) on Common Sense
 * with the A5 layout: the lines of body paragraphs are released as the pages that show
 * them are drawn (layout/chunks.c), so that a long book holds a few pages' lines at a
 * time; never before the sink is done with those pages; and not at all when the sink
 * does not tell (the layout is then read whole after the run). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "input/content.h"
#include "input/spec.h"
#include "layout/flow.h"
#include "text/fonts.h"
#include "text/paragraph.h"

typedef struct fixture {
    pm_doc *doc;
    pm_spec *spec;
    pm_fonts *fonts;
    pm_setter *set;
    pm_imgcache *images;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (pm_content_load("content/common-sense.md", &f->doc) || pm_spec_load("layouts/a5.yaml", &f->spec) ||
        pm_fonts_new("fonts", &f->fonts))
        return -1;
    f->set = pm_setter_new(f->fonts, f->spec, NULL, f->doc->path);
    pm_image_limits lim;
    pm_image_limits_default(&lim);
    f->images = pm_imgcache_new(&lim);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    pm_imgcache_drop(f->images);
    pm_setter_drop(f->set);
    pm_fonts_drop(f->fonts);
    pm_spec_drop(f->spec);
    pm_doc_drop(f->doc);
    free(f);
    return 0;
}

/* A sink that is done with every page but the last lag it was given. */
typedef struct sink_state {
    size_t given, lag;
    size_t released_seen; /* chunks released while pages were still coming */
    const pm_layout *lay;
} sink_state;

static void sink_page(void *ud, const pm_layout *lay, pm_page *pg)
{
    sink_state *s = ud;
    assert_int_equal(pg->index, s->given);
    s->given++;
    s->lay = lay;
    s->released_seen = lay->released;
    /* no page the sink may still read shows a released line: every chunk released was
       past its pages */
    for (size_t k = 0; k < lay->released; k++) assert_true(lay->chunks[k].pages + s->lag <= s->given);
    /* nor a page whose items are released */
    assert_true(lay->items_released <= (s->given > s->lag ? s->given - s->lag : 0));
    if (lay->items_released) assert_null(lay->pages[lay->items_released - 1]->items);
}

static size_t sink_done(void *ud)
{
    sink_state *s = ud;
    return s->given > s->lag ? s->given - s->lag : 0;
}

static pm_flow_stats last_stats;

static pm_layout *lay_out(fixture *f, sink_state *s, int tells)
{
    pm_page_sink sink = {sink_page, NULL, tells ? sink_done : NULL, s};
    pm_layout *lay = NULL;
    assert_int_equal(pm_flow(f->set, f->doc, f->spec, f->images, &sink, &lay, &last_stats), PM_OK);
    assert_int_equal(s->given, lay->npages);
    return lay;
}

/* Each line item of the pages reads whole (under a sanitizer, none is released). */
static size_t glyphs_shown(const pm_layout *lay)
{
    size_t n = 0;
    for (size_t i = 0; i < lay->npages; i++)
        for (size_t k = 0; k < lay->pages[i]->nitems; k++) {
            const pm_fitem *it = &lay->pages[i]->items[k];
            if (it->kind != PM_FI_LINE) continue;
            for (int r = 0; r < it->line->nruns; r++) n += (size_t)it->line->runs[r].nglyphs;
        }
    return n;
}

/* Pages drawn as soon as they come: a few pages' lines are held at a time, and the items
 * of the pages drawn go; the checks read the same of them as of a layout kept whole. */
static void test_released_as_drawn(void **state)
{
    fixture *f = *state;
    sink_state s = {.lag = 1}, whole = {0};
    pm_layout *kept = lay_out(f, &whole, 0);
    pm_flow_stats st_kept = last_stats;
    pm_layout *lay = lay_out(f, &s, 1);
    assert_true(lay->npages > 40);
    assert_true(s.released_seen > 0);
    assert_true(lay->items_released + 1 >= lay->npages - 1);
    assert_memory_equal(&last_stats, &st_kept, sizeof st_kept);
    assert_int_equal(pm_flow_last_lines(lay), pm_flow_last_lines(kept));
    for (size_t i = 0; i < lay->npages; i++) {
        pm_page_sum a, b;
        const pm_page_sum *sa = pm_page_summary(lay->pages[i], &a), *sb = pm_page_summary(kept->pages[i], &b);
        assert_memory_equal(sa, sb, sizeof *sa);
    }
    pm_layout_drop(kept);
    pm_layout_release_lines(lay, lay->nchunks);
    assert_int_equal(lay->released, lay->nchunks);
    size_t all = lay->lines_released;
    printf("lines: %zu bytes in %zu chunks, at most %zu held at once\n", all, lay->nchunks, lay->lines_peak);
    assert_true(all > 2000000); /* (about 100 kB a page) */
    assert_true(lay->lines_peak < all / 4);
    pm_layout_drop(lay);
}

/* A sink that is never done: nothing is released, and every line is whole. */
static void test_kept_until_drawn(void **state)
{
    fixture *f = *state;
    sink_state s = {.lag = (size_t)-1 / 2};
    pm_layout *lay = lay_out(f, &s, 1);
    assert_true(lay->nchunks > 0);
    assert_int_equal(lay->released, 0);
    for (size_t k = 0; k < lay->nchunks; k++) assert_true(lay->chunks[k].pages > 0);
    assert_true(glyphs_shown(lay) > 50000);
    pm_layout_drop(lay);
}

/* A sink that does not tell: the lines stay in the layout's arena. */
static void test_kept_without_done(void **state)
{
    fixture *f = *state;
    sink_state s = {0};
    pm_layout *lay = lay_out(f, &s, 0);
    assert_int_equal(lay->nchunks, 0);
    assert_true(glyphs_shown(lay) > 50000);
    pm_layout_drop(lay);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_released_as_drawn),
        cmocka_unit_test(test_kept_until_drawn),
        cmocka_unit_test(test_kept_without_done),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
