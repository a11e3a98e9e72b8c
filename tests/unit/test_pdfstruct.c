/* test_pdfstruct.c - the structure tree made as libqpdf objects page by page
 * (output/pdfstruct.h, as direct.c makes it on the drawing thread) against made at the
 * end: the same file; and an element given a kid after its page's objects were made (no
 * painter does this today) gets its /K again at the end rather than losing the kid. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/pdfstruct.h"
#include "output/qpdf_api.h"

#define NPAGES 3

/* Page p's items: three body lines, of paragraphs 2p+1, 2p+1 and 2p+2. */
static void page_items(pm_page *pg, pm_fitem *items, int p)
{
    memset(pg, 0, sizeof *pg);
    memset(items, 0, 3 * sizeof *items);
    for (int i = 0; i < 3; i++) {
        items[i].kind = PM_FI_LINE;
        items[i].para = 2 * p + 1 + (i == 2);
    }
    pg->items = items;
    pg->nitems = 3;
    pg->index = p;
}

/* Page p painted: each line's element and a marked-content id in it. */
static void paint(pm_pstruct *s, int p)
{
    pm_page pg;
    pm_fitem items[3];
    page_items(&pg, items, p);
    pm_pstruct_page(s, p);
    for (size_t i = 0; i < pg.nitems; i++) {
        int el = pm_pstruct_item(s, &pg, i, &items[i], 1);
        assert_true(el > 0);
        pm_pstruct_mcid(s, el);
    }
    pm_pstruct_page_end(s);
}

static qpdf_data new_pdf(qpdf_oh *pages, qpdf_oh *annots)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_empty_pdf(q);
    for (int i = 0; i < NPAGES; i++) {
        pages[i] = qpdf_make_indirect_object(q, qpdf_oh_parse(q, "<< /Type /Page /MediaBox [0 0 100 100] >>"));
        qpdf_add_page(q, q, pages[i], QPDF_FALSE);
        annots[i] = qpdf_oh_new_null(q);
    }
    return q;
}

/* The PDF written to memory (a copy). */
static unsigned char *written(qpdf_data q, size_t *n)
{
    assert_int_equal(qpdf_init_write_memory(q) & QPDF_ERRORS, 0);
    qpdf_set_static_ID(q, QPDF_TRUE);
    qpdf_set_object_stream_mode(q, qpdf_o_disable);
    assert_int_equal(qpdf_write(q) & QPDF_ERRORS, 0);
    *n = qpdf_get_buffer_length(q);
    unsigned char *b = malloc(*n);
    memcpy(b, qpdf_get_buffer(q), *n);
    return b;
}

static void test_page_by_page_is_the_same(void **state)
{
    (void)state;
    qpdf_oh pages[NPAGES], annots[NPAGES];
    /* at the end */
    pm_pstruct *s = pm_pstruct_new();
    for (int p = 0; p < NPAGES; p++) paint(s, p);
    qpdf_data q = new_pdf(pages, annots);
    pm_pstruct_emit_end(s, q, pages, annots, NPAGES);
    size_t n1;
    unsigned char *a = written(q, &n1);
    qpdf_cleanup(&q);
    pm_pstruct_free(s);
    /* page by page, as each is painted */
    s = pm_pstruct_new();
    q = new_pdf(pages, annots);
    for (int p = 0; p < NPAGES; p++) {
        paint(s, p);
        pm_pstruct_emit_pages(s, q, pages, annots, p + 1);
    }
    pm_pstruct_emit_end(s, q, pages, annots, NPAGES);
    size_t n2;
    unsigned char *b = written(q, &n2);
    assert_true(memmem(b, n2, "/StructTreeRoot", 15) != NULL);
    assert_true(memmem(b, n2, "/StructParents 2", 16) != NULL);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    free(a);
    free(b);
    qpdf_cleanup(&q);
    pm_pstruct_free(s);
}

/* The first page's first paragraph given a marked-content id on the second page after
 * the first page's objects were made: its /K ends with that kid (as a reference to
 * marked content on another page) and loses none. */
static void test_late_kid(void **state)
{
    (void)state;
    qpdf_oh pages[NPAGES], annots[NPAGES];
    pm_pstruct *s = pm_pstruct_new();
    qpdf_data q = new_pdf(pages, annots);
    paint(s, 0);
    pm_pstruct_emit_pages(s, q, pages, annots, 1);
    pm_pstruct_page(s, 1);
    pm_pstruct_mcid(s, 1); /* element 1: the first page's first paragraph */
    pm_pstruct_page_end(s);
    pm_pstruct_emit_end(s, q, pages, annots, 2);
    qpdf_oh root = qpdf_oh_get_key(q, qpdf_get_root(q), "/StructTreeRoot");
    qpdf_oh doc = qpdf_oh_get_key(q, root, "/K");
    qpdf_oh first = qpdf_oh_get_array_item(q, qpdf_oh_get_key(q, doc, "/K"), 0);
    qpdf_oh k = qpdf_oh_get_key(q, first, "/K");
    assert_int_equal(qpdf_oh_get_array_n_items(q, k), 3); /* two lines on page 1, one on page 2 */
    qpdf_oh last = qpdf_oh_get_array_item(q, k, 2);
    assert_true(qpdf_oh_is_dictionary(q, last));
    assert_int_equal(qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, last, "/MCID")), 0);
    assert_int_equal(qpdf_oh_get_object_id(q, qpdf_oh_get_key(q, last, "/Pg")), qpdf_oh_get_object_id(q, pages[1]));
    assert_false(qpdf_oh_has_key(q, first, "/Pg")); /* (its kids are on two pages now) */
    qpdf_cleanup(&q);
    pm_pstruct_free(s);
}

int main(void)
{
    if (pm_qpdf_load("test_pdfstruct")) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_by_page_is_the_same),
        cmocka_unit_test(test_late_kid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
