/* test_words.c - unit tests of the shaped-word cache (src/text/words.c): an item shaped a
 * word at a time, words from the cache, must give exactly the glyphs, advances, offsets
 * and clusters that shaping the whole item with pango_shape_item gives; in the shipped
 * fonts and in the system fonts a document is likely to name (Noto, Nimbus, DejaVu), in
 * Latin, Greek and Cyrillic, with ligatures, kerning pairs, OpenType features, combining
 * marks, no-break spaces and runs of spaces; and the cache must really be used (a word
 * met twice is shaped once), and refuse what it cannot do (right-to-left text, rise). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <pango/pango.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/fonts.h"
#include "text/words.h"

/* The fonts tried: those present are linked into a scratch fonts folder. */
static const char *const FONTS[] = {
    "fonts/LinLibertine_R.otf",
    "fonts/LinLibertine_RI.otf",
    "fonts/LinBiolinum_R.otf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
    "/usr/share/fonts/opentype/urw-base35/NimbusRoman-Regular.otf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
};
static const char *const FAMILIES[] = {"Linux Libertine O", "Linux Biolinum O", "Noto Sans", "Noto Serif",
                                       "Nimbus Roman", "DejaVu Sans"};

static const char *const TEXTS[] = {
    "The office of the union is open on Tuesday; the office of the tenants is not.",
    "AVAVA To Ty Wa We Yo fi ffi ffl fl ff -- \"quoted\" 'single' (brackets) [1917] 3.14",
    "Two  spaces,   three   spaces and\xC2\xA0no-break\xC2\xA0spaces, tabs\tand\tthe end ",
    " leading space, trailing space ",
    "caf\xC3\xA9 cafe\xCC\x81 na\xC3\xAFve re\xCC\x81sume\xCC\x81 \xCC\x81mark-first word",
    "\xCE\x9F \xCE\xBA\xCF\x8C\xCF\x83\xCE\xBC\xCE\xBF\xCF\x82 \xCE\xBA\xCE\xB1\xCE\xB9 \xCE\xBF "
    "\xCE\xBA\xCF\x8C\xCF\x83\xCE\xBC\xCE\xBF\xCF\x82",
    "\xD0\x9C\xD0\xB8\xD1\x80 \xD0\xB8 \xD0\xBC\xD0\xB8\xD1\x80, \xD0\xBC\xD0\xB8\xD1\x80 \xD0\xB8 "
    "\xD0\xB4\xD1\x80\xD1\x83\xD0\xB6\xD0\xB1\xD0\xB0",
    "Mixed \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D right to left \xD8\xB3\xD9\x84\xD8\xA7\xD9\x85 and back",
};

typedef struct fixture {
    char dir[64];
    pm_fonts *fonts;
    PangoContext *ctx;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/pm-words-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    char cwd[1024];
    if (!getcwd(cwd, sizeof cwd)) return -1;
    for (size_t i = 0; i < G_N_ELEMENTS(FONTS); i++) {
        char src[2048], link[2048];
        snprintf(src, sizeof src, "%s%s%s", FONTS[i][0] == '/' ? "" : cwd, FONTS[i][0] == '/' ? "" : "/", FONTS[i]);
        if (access(src, R_OK)) {
            fprintf(stderr, "test_words: %s is not installed, not tried\n", src);
            continue;
        }
        snprintf(link, sizeof link, "%s/%s", f->dir, strrchr(src, '/') + 1);
        if (symlink(src, link)) return -1;
    }
    if (pm_fonts_new(f->dir, &f->fonts)) return -1;
    f->ctx = pm_fonts_context(f->fonts);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    pm_fonts_drop(f->fonts);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    if (system(cmd)) return -1;
    free(f);
    return 0;
}

static int same(const PangoGlyphString *a, const PangoGlyphString *b)
{
    if (a->num_glyphs != b->num_glyphs) return 0;
    for (int i = 0; i < a->num_glyphs; i++) {
        const PangoGlyphInfo *x = &a->glyphs[i], *y = &b->glyphs[i];
        if (x->glyph != y->glyph || x->geometry.width != y->geometry.width ||
            x->geometry.x_offset != y->geometry.x_offset || x->geometry.y_offset != y->geometry.y_offset ||
            x->attr.is_cluster_start != y->attr.is_cluster_start || a->log_clusters[i] != b->log_clusters[i])
            return 0;
    }
    return 1;
}

/* Every item of text in family (with features, and a rise over [rise_from, end) if
 * rise_from >= 0), shaped both ways; returns the number of items compared. */
static int compare_text(fixture *f, pm_words *w, const char *family, const char *features, const char *text,
                        int rise_from)
{
    int len = (int)strlen(text), n = 0;
    PangoAttrList *l = pango_attr_list_new();
    PangoFontDescription *d = pango_font_description_from_string(family);
    pango_font_description_set_absolute_size(d, 10.5 * PANGO_SCALE);
    pango_attr_list_insert(l, pango_attr_font_desc_new(d));
    pango_font_description_free(d);
    if (features) pango_attr_list_insert(l, pango_attr_font_features_new(features));
    if (rise_from >= 0) {
        PangoAttribute *r = pango_attr_rise_new(3 * PANGO_SCALE);
        r->start_index = (guint)rise_from;
        pango_attr_list_insert(l, r);
    }
    GList *items = pango_itemize_with_base_dir(f->ctx, PANGO_DIRECTION_LTR, text, 0, len, l, NULL);
    pango_attr_list_unref(l);
    for (GList *it = items; it; it = it->next, n++) {
        PangoItem *item = it->data;
        PangoGlyphString *a = pango_glyph_string_new(), *b = pango_glyph_string_new();
        pango_shape_item(item, text, len, NULL, a, PANGO_SHAPE_NONE);
        pm_words_shape(w, item, text, len, b);
        if (!same(a, b)) fail_msg("%s%s%s: \"%.*s\" shaped from words is not the item shaped whole", family,
                                   features ? " " : "", features ? features : "", item->length, text + item->offset);
        pango_glyph_string_free(a);
        pango_glyph_string_free(b);
    }
    g_list_free_full(items, (GDestroyNotify)pango_item_free);
    return n;
}

static void test_same_glyphs(void **state)
{
    fixture *f = *state;
    const char *features[] = {NULL, "smcp=1", "onum=1, liga=0", "kern=0"};
    for (size_t i = 0; i < G_N_ELEMENTS(FAMILIES); i++) {
        pm_words *w = pm_words_new();
        for (size_t k = 0; k < G_N_ELEMENTS(features); k++)
            for (int twice = 0; twice < 2; twice++) /* the second time from the cache */
                for (size_t t = 0; t < G_N_ELEMENTS(TEXTS); t++) compare_text(f, w, FAMILIES[i], features[k], TEXTS[t], -1);
        pm_words_drop(w);
    }
}

/* A word met again is not shaped again. */
static void test_cache_used(void **state)
{
    fixture *f = *state;
    pm_words *w = pm_words_new();
    compare_text(f, w, "Linux Libertine O", NULL, TEXTS[0], -1);
    unsigned long shaped, cached, whole;
    pm_words_counts(w, &shaped, &cached, &whole);
    assert_int_equal(whole, 0); /* Libertine kerns nothing across a space */
    /* "The office of the union is open on Tuesday; the office of the tenants is not.":
       "office", "of", "the", "is" and the space come again */
    assert_true(cached >= 5);
    unsigned long before = shaped;
    compare_text(f, w, "Linux Libertine O", NULL, TEXTS[0], -1);
    pm_words_counts(w, &shaped, &cached, &whole);
    assert_int_equal(shaped, before); /* every word of the second time from the cache */
    pm_words_drop(w);
}

/* Right-to-left items and a rise are shaped whole (and still come out the same). */
static void test_refused(void **state)
{
    fixture *f = *state;
    pm_words *w = pm_words_new();
    unsigned long shaped, cached, whole;
    int items = compare_text(f, w, "Noto Sans", NULL, TEXTS[7], -1);
    pm_words_counts(w, &shaped, &cached, &whole);
    assert_true(items >= 3);
    assert_true(whole >= 2); /* the Hebrew and the Arabic */
    unsigned long w0 = whole;
    compare_text(f, w, "Linux Libertine O", NULL, "a raised word", 2);
    pm_words_counts(w, &shaped, &cached, &whole);
    assert_true(whole > w0);
    pm_words_drop(w);
    /* a font with the space in its lookups (DejaVu Sans has some) is shaped whole */
    if (!access(FONTS[6], R_OK)) {
        w = pm_words_new();
        compare_text(f, w, "DejaVu Sans", NULL, TEXTS[0], -1);
        pm_words_counts(w, &shaped, &cached, &whole);
        assert_true(whole > 0 && shaped == 0 && cached == 0);
        pm_words_drop(w);
    }
    /* NULL: no cache, always whole */
    compare_text(f, NULL, "Linux Libertine O", NULL, TEXTS[0], -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_glyphs),
        cmocka_unit_test(test_cache_used),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
