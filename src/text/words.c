/* words.c - shaped words, cached (issue 16): a paragraph's items are shaped a word at a
 * time, and a word met before in the same font, features, language and script is taken
 * from the cache instead of being shaped again (a text's words repeat: 1917 has some
 * 8,000 words, a quarter of them distinct).
 *
 * A word is a run of characters between spaces (U+0020); a run of spaces is a word too.
 * Shaping words one by one gives the glyphs that shaping the whole item gives only when
 * nothing the font does reaches across a space, so a word is cached only when:
 *   - the item runs left to right, in Latin, Greek, Cyrillic or common characters (no
 *     joining, no reordering, no shaping that looks at the text around it);
 *   - its only attributes beyond the font are OpenType features (they are in the key);
 *     rise, transforms, letter spacing: shaped whole, as before;
 *   - the font has no GSUB or GPOS lookup that has the space glyph in its input or
 *     context, and no legacy kern table or AAT layout (font_ok, checked once a font);
 *   - the word does not begin with a combining mark (HarfBuzz would give it a dotted
 *     circle at the start of a buffer).
 * The words of an item not in the cache are shaped in one call, one space between them
 * (shape_batch: the same conditions make each come out as it would alone), but for a word
 * that touches text beyond its item without a space between (a drop cap's "hen" after its
 * "W"), which is shaped alone in the paragraph's text.
 * Otherwise the item is shaped whole by pango_shape_item, as it always was. The result is
 * the same PangoGlyphString either way: with PAMPHLET_CHECK_WORDS=1 every cached item is
 * shaped whole too and compared glyph by glyph (the corpus and the random documents run
 * with it in make check).
 *
 * The cache belongs to the paragraph setter and lives as long as it (a watch session:
 * every rebuild finds the document's words shaped). Its keys hold the PangoFont pointer;
 * the cache keeps a reference to each font it has keys for, so that no other font can
 * take its address.
 *
 * In a first build a helper thread shapes words ahead of the setter (ahead.c) into a
 * table of its own (side): fixed in size, written by the helper alone and read by the
 * setter's thread without locks (a word's key is stored last, with release order), after
 * the setter's own table; the helper looks first in a copy of the setter's table as it
 * was when it started (seen). When the helper is done the setter takes its words in
 * (pm_words_side_end). */
#include <glib.h>
#include <hb-ot.h>
#include <pango/pango.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/digest.h"
#include "text/words.h"

/* A key's first part: the item's font, language, script and features (item_prefix). */
typedef struct keybuf {
    char *p;
    size_t n, cap;
    uint64_t hash; /* of the n bytes at p (a word's hash goes on from it) */
} keybuf;

typedef struct word {
    uint64_t hash;
    const char *key;   /* in the arena */
    uint32_t nkey;
    int nglyphs;
    PangoGlyphInfo *glyphs; /* in the arena */
    int *clusters;          /* log_clusters, from the word's first byte */
} word;

typedef struct font_seen {
    PangoFont *font;
    int ok;
} font_seen;

/* Open addressing, a power of two. A word's key is stored last, atomically (release):
 * the helper's table is read by the main thread while the helper adds to it, and a
 * reader that sees a key sees the rest of its word. */
typedef struct wtable {
    word *slots;
    size_t cap, n;
    pm_arena *arena; /* keys and glyphs */
} wtable;

struct pm_words {
    wtable t;            /* the main thread's */
    wtable side;         /* ahead.c's helper thread's while it runs (pm_words_side_begin):
                           fixed in size, no locks; the main thread looks there after its
                           own, and takes its words in at pm_words_side_end */
    wtable seen;         /* a copy of t's slots as they were at pm_words_side_begin, which
                           the helper looks in first (t itself changes under it) */
    pm_arena **arenas;  /* the helper tables' arenas, kept (their words are in t) */
    int narenas;
    font_seen *fonts;
    int nfonts, capfonts;
    int check;          /* PAMPHLET_CHECK_WORDS: compare every cached item with whole shaping */
    keybuf key;         /* the main thread's item prefixes */
    unsigned long hits, misses, whole, ahead;
};

#define MAX_WORDS (1u << 20) /* past this, words are shaped and not kept */

pm_words *pm_words_new(void)
{
    pm_words *w = g_new0(pm_words, 1);
    w->t.cap = 4096;
    w->t.slots = g_new0(word, w->t.cap);
    w->t.arena = pm_arena_new_sized(1 << 16);
    const char *e = getenv("PAMPHLET_CHECK_WORDS");
    w->check = e && *e && strcmp(e, "0");
    return w;
}

void pm_words_drop(pm_words *w)
{
    if (!w) return;
    pm_words_side_end(w);
    if (getenv("PAMPHLET_WORDS_STATS"))
        fprintf(stderr, "words: %lu shaped, %lu from the cache, %lu items shaped whole; %zu kept, %lu shaped ahead\n",
                w->misses, w->hits, w->whole, w->t.n, w->ahead);
    pm_arena_drop(w->t.arena);
    for (int i = 0; i < w->narenas; i++) pm_arena_drop(w->arenas[i]);
    g_free(w->arenas);
    for (int i = 0; i < w->nfonts; i++) g_object_unref(w->fonts[i].font);
    g_free(w->t.slots);
    g_free(w->fonts);
    g_free(w->key.p);
    g_free(w);
}

int pm_words_checking(const pm_words *w) { return w && w->check; }

void pm_words_counts(const pm_words *w, unsigned long *shaped, unsigned long *cached, unsigned long *whole)
{
    *shaped = w->misses;
    *cached = w->hits;
    *whole = w->whole;
}

/* ---- which fonts ---- */

static int lookups_touch(hb_face_t *face, hb_tag_t table, hb_codepoint_t space)
{
    unsigned n = hb_ot_layout_table_get_lookup_count(face, table);
    hb_set_t *before = hb_set_create(), *input = hb_set_create(), *after = hb_set_create();
    int touch = 0;
    for (unsigned i = 0; i < n && !touch; i++) {
        hb_set_clear(before);
        hb_set_clear(input);
        hb_set_clear(after);
        hb_ot_layout_lookup_collect_glyphs(face, table, i, before, input, after, NULL);
        touch = hb_set_has(before, space) || hb_set_has(input, space) || hb_set_has(after, space);
    }
    hb_set_destroy(before);
    hb_set_destroy(input);
    hb_set_destroy(after);
    return touch;
}

/* Whether shaping in this font never reaches across a space (see the top of the file). */
static int font_ok(pm_words *w, PangoFont *font)
{
    for (int i = 0; i < w->nfonts; i++)
        if (w->fonts[i].font == font) return w->fonts[i].ok;
    int ok = 0;
    hb_font_t *hf = pango_font_get_hb_font(font);
    hb_codepoint_t space;
    if (hf && hb_font_get_nominal_glyph(hf, ' ', &space)) {
        hb_face_t *face = hb_font_get_face(hf);
        hb_blob_t *kern = hb_face_reference_table(face, HB_TAG('k', 'e', 'r', 'n'));
        hb_blob_t *morx = hb_face_reference_table(face, HB_TAG('m', 'o', 'r', 'x'));
        ok = !hb_blob_get_length(kern) && !hb_blob_get_length(morx) &&
             !lookups_touch(face, HB_OT_TAG_GSUB, space) && !lookups_touch(face, HB_OT_TAG_GPOS, space);
        hb_blob_destroy(kern);
        hb_blob_destroy(morx);
    }
    if (w->nfonts == w->capfonts) {
        w->capfonts = w->capfonts ? 2 * w->capfonts : 8;
        w->fonts = g_renew(font_seen, w->fonts, w->capfonts);
    }
    w->fonts[w->nfonts++] = (font_seen){g_object_ref(font), ok}; /* (its address stays its own) */
    return ok;
}

/* ---- which items: the key's prefix ---- */

static int script_ok(PangoScript sc)
{
    return sc == PANGO_SCRIPT_LATIN || sc == PANGO_SCRIPT_COMMON || sc == PANGO_SCRIPT_GREEK ||
           sc == PANGO_SCRIPT_CYRILLIC;
}

static void key_put(keybuf *k, const void *p, size_t len)
{
    if (k->n + len > k->cap) {
        k->cap = (k->n + len) * 2 + 256;
        k->p = g_realloc(k->p, k->cap);
    }
    memcpy(k->p + k->n, p, len);
    k->n += len;
}

/* The item's font, language, script and features in k; 0 if its words are not cached
 * for what it is (right to left, a script that joins or reorders, attributes other than
 * features). Whether the font allows it is font_ok's. */
static int item_prefix(keybuf *k, const PangoItem *item)
{
    const PangoAnalysis *a = &item->analysis;
    if ((a->level & 1) || !script_ok((PangoScript)a->script) || !a->font) return 0;
    k->n = 0;
    key_put(k, &a->font, sizeof a->font);
    key_put(k, &a->language, sizeof a->language);
    key_put(k, &a->script, sizeof a->script);
    for (GSList *l = a->extra_attrs; l; l = l->next) {
        const PangoAttribute *at = l->data;
        if (at->klass->type != PANGO_ATTR_FONT_FEATURES) return 0;
        const char *f = ((const PangoAttrFontFeatures *)at)->features;
        key_put(k, f, strlen(f) + 1);
    }
    key_put(k, "\n", 1);
    k->hash = pm_hash64(PM_HASH64_INIT, k->p, k->n);
    return 1;
}

int pm_words_can_cache(pm_words *w, const PangoItem *item)
{
    return item_prefix(&w->key, item) && font_ok(w, item->analysis.font);
}

/* ---- the tables ---- */

static uint64_t word_hash(const keybuf *k, const char *p, size_t n)
{
    uint64_t h = pm_hash64(k->hash, p, n); /* (FNV goes on: the hash of the whole key) */
    return h ^ (h >> 29);                  /* (the table indexes by the low bits) */
}

/* The slot of key a + b (of na + nb bytes), or the empty one where it would go. */
static word *find(const wtable *t, uint64_t h, const char *a, size_t na, const char *b, size_t nb)
{
    for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        word *s = &t->slots[i];
        const char *key = __atomic_load_n(&s->key, __ATOMIC_ACQUIRE);
        if (!key || (s->hash == h && s->nkey == na + nb && !memcmp(key, a, na) && !memcmp(key + na, b, nb)))
            return s;
    }
}

/* Word w into its empty slot s of t (the key last: see table). */
static void put(wtable *t, word *s, const word *w)
{
    s->hash = w->hash;
    s->nkey = w->nkey;
    s->nglyphs = w->nglyphs;
    s->glyphs = w->glyphs;
    s->clusters = w->clusters;
    __atomic_store_n(&s->key, w->key, __ATOMIC_RELEASE);
    t->n++;
}

static void grow(wtable *t)
{
    word *old = t->slots;
    size_t oc = t->cap;
    t->cap *= 2;
    t->slots = g_new0(word, t->cap);
    t->n = 0;
    for (size_t i = 0; i < oc; i++)
        if (old[i].key) put(t, find(t, old[i].hash, old[i].key, old[i].nkey, "", 0), &old[i]);
    g_free(old);
}

void pm_words_side_begin(pm_words *w, size_t words)
{
    size_t cap = 1024;
    while (cap < 2 * words && cap < (1u << 14)) cap *= 2;
    w->side = (wtable){g_new0(word, cap), cap, 0, pm_arena_new_sized(1 << 16)};
    w->seen = (wtable){g_memdup2(w->t.slots, w->t.cap * sizeof *w->t.slots), w->t.cap, w->t.n, NULL};
}

void pm_words_side_end(pm_words *w)
{
    wtable *sd = &w->side;
    if (!sd->slots) return;
    for (size_t i = 0; i < sd->cap; i++) {
        const word *o = &sd->slots[i];
        if (!o->key || w->t.n >= MAX_WORDS) continue;
        word *s = find(&w->t, o->hash, o->key, o->nkey, "", 0);
        if (s->key) continue;
        put(&w->t, s, o);
        if (w->t.n * 2 > w->t.cap) grow(&w->t);
    }
    w->ahead += sd->n;
    w->arenas = g_renew(pm_arena *, w->arenas, w->narenas + 1);
    w->arenas[w->narenas++] = sd->arena;
    g_free(sd->slots);
    *sd = (wtable){0};
    g_free(w->seen.slots);
    w->seen = (wtable){0};
}

/* ---- shaping ---- */

static void append(PangoGlyphString *gs, const PangoGlyphInfo *g, const int *cl, int n, int off)
{
    int at = gs->num_glyphs;
    if (at + n > gs->space) /* (pango_glyph_string_set_size reallocates on every call) */
        pango_glyph_string_set_size(gs, at + n > 2 * gs->space ? at + n : 2 * gs->space);
    gs->num_glyphs = at + n;
    memcpy(gs->glyphs + at, g, (size_t)n * sizeof *g);
    for (int i = 0; i < n; i++) gs->log_clusters[at + i] = cl[i] + off;
}

/* A word of an item: [off, off + len) of the paragraph text; a cache miss has its glyphs
 * in the batch shaped for the misses (shape_batch), else hit is its cache entry (a copy:
 * the table may grow while the word is used; the glyphs stay where they are). */
typedef struct {
    int off, len;
    uint64_t hash;
    word hit;        /* hit.key: found */
    int bat, g0, g1; /* miss: its bytes at bat in the batch, its glyphs [g0, g1) there */
    int alone;       /* a miss that touches text beyond its item (a drop cap's "hen" after "W"):
                        shaped alone in the paragraph's text, as that text around it matters */
    int dup;         /* a miss the item had before: 1 + that piece's index (its glyphs) */
    PangoGlyphString *gs; /* (then its glyphs) */
} piece;

typedef struct {
    piece stack[64], *pc;
    int np, cap;
} pieces;

static int is_mark(const char *p)
{
    GUnicodeType t = g_unichar_type(g_utf8_get_char(p));
    return t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_SPACING_MARK || t == G_UNICODE_ENCLOSING_MARK;
}

/* The item cut into words (runs of spaces are words too), each looked up in table t, then
 * in also (NULL: none); 0 if one of them cannot be cached (it begins with a combining
 * mark). */
static int cut(const wtable *t, const wtable *also, const keybuf *k, const PangoItem *item, const char *text, int tlen,
               pieces *ps)
{
    const char *p = text + item->offset, *end = p + item->length;
    for (const char *q = p; q < end; q++)
        if (*q == ' ' ? 0 : (q == p || q[-1] == ' ') && is_mark(q)) return 0;
    ps->pc = ps->stack;
    ps->np = 0;
    ps->cap = 64;
    while (p < end) {
        const char *q = p;
        int space = *p == ' ';
        while (q < end && (*q == ' ') == space) q++;
        if (ps->np == ps->cap) {
            ps->cap *= 2;
            ps->pc = ps->pc == ps->stack ? memcpy(g_new(piece, ps->cap), ps->stack, sizeof ps->stack)
                                         : g_renew(piece, ps->pc, ps->cap);
        }
        piece *c = &ps->pc[ps->np++];
        *c = (piece){(int)(p - text), (int)(q - p), word_hash(k, p, (size_t)(q - p)), {0}, 0, 0, 0, 0, 0, NULL};
        c->alone = !space && ((p == text + item->offset && p > text && p[-1] != ' ') ||
                              (q == end && q < text + tlen && *q != ' '));
        p = q;
    }
    for (int i = 0; i < ps->np; i++) {
        piece *c = &ps->pc[i];
        const word *s = find(t, c->hash, k->p, k->n, text + c->off, (size_t)c->len);
        if (!s->key && also && also->slots) s = find(also, c->hash, k->p, k->n, text + c->off, (size_t)c->len);
        if (__atomic_load_n(&s->key, __ATOMIC_ACQUIRE)) c->hit = *s;
    }
    return 1;
}

static void pieces_free(pieces *ps)
{
    for (int i = 0; i < ps->np; i++)
        if (ps->pc[i].gs) pango_glyph_string_free(ps->pc[i].gs);
    if (ps->pc != ps->stack) g_free(ps->pc);
}

/* Shape the misses at once, one space between them: what the font does reaches across no
 * space (the conditions at the top), so each comes out as it would alone, for one call of
 * the shaper where each word made one (the call's own cost was most of a short word's).
 * Each miss gets its glyphs in bt. */
static void shape_batch(const PangoItem *item, const char *text, piece *pc, int np, PangoGlyphString *bt)
{
    GString *b = g_string_sized_new(256);
    for (int i = 0; i < np; i++) {
        if (pc[i].hit.key || pc[i].alone || pc[i].dup) continue;
        if (b->len) g_string_append_c(b, ' ');
        pc[i].bat = (int)b->len;
        g_string_append_len(b, text + pc[i].off, pc[i].len);
    }
    PangoItem sub = *item;
    sub.offset = 0;
    sub.length = (int)b->len;
    sub.num_chars = (int)g_utf8_strlen(b->str, (gssize)b->len);
    /* the item's features over the whole batch (pango applies them to the range of the
       text their attribute had: all of the item, not all of the batch) */
    GSList *feats = NULL;
    for (GSList *l = item->analysis.extra_attrs; l; l = l->next) {
        PangoAttribute *at = pango_attribute_copy(l->data);
        at->start_index = 0;
        at->end_index = PANGO_ATTR_INDEX_TO_TEXT_END;
        feats = g_slist_prepend(feats, at);
    }
    sub.analysis.extra_attrs = g_slist_reverse(feats);
    pango_shape_item(&sub, b->str, (int)b->len, NULL, bt, PANGO_SHAPE_NONE);
    g_slist_free_full(sub.analysis.extra_attrs, (GDestroyNotify)pango_attribute_destroy);
    int g = 0;
    for (int i = 0; i < np; i++) {
        if (pc[i].hit.key || pc[i].alone || pc[i].dup) continue;
        while (g < bt->num_glyphs && bt->log_clusters[g] < pc[i].bat) g++;
        pc[i].g0 = g;
        while (g < bt->num_glyphs && bt->log_clusters[g] < pc[i].bat + pc[i].len) g++;
        pc[i].g1 = g;
        for (int k = pc[i].g0; k < pc[i].g1; k++) bt->log_clusters[k] -= pc[i].bat; /* (from the word's start) */
    }
    g_string_free(b, TRUE);
}

/* Each miss to be shaped in the batch that an earlier one of the item has the text of
 * gets dup (it takes that one's glyphs); the number of the others. */
static int mark_dups(piece *pc, int np, const char *text)
{
    int size = 16;
    while (size < 2 * np) size *= 2;
    int *tab = g_new(int, size), misses = 0; /* 1 + a piece's index, or 0 */
    memset(tab, 0, (size_t)size * sizeof *tab);
    for (int i = 0; i < np; i++) {
        piece *c = &pc[i];
        if (c->hit.key || c->alone) continue;
        size_t h = (size_t)c->hash & (size_t)(size - 1);
        for (; tab[h]; h = (h + 1) & (size_t)(size - 1)) {
            const piece *o = &pc[tab[h] - 1];
            if (o->hash == c->hash && o->len == c->len && !memcmp(text + o->off, text + c->off, (size_t)c->len)) {
                c->dup = tab[h];
                break;
            }
        }
        if (!c->dup) {
            tab[h] = i + 1;
            misses++;
        }
    }
    g_free(tab);
    return misses;
}

/* Keep the misses that were shaped (their glyphs in bt, or their own for one shaped
 * alone) in table t, but for words the item had before and words t has. */
static void keep(wtable *t, int grows, const keybuf *k, const char *text, const pieces *ps, const PangoGlyphString *bt)
{
    for (int i = 0; i < ps->np && t->n < (grows ? MAX_WORDS : t->cap / 2); i++) {
        const piece *p = &ps->pc[i];
        const PangoGlyphString *from = p->alone ? p->gs : bt;
        if (p->hit.key || p->dup || !from) continue;
        word *s = find(t, p->hash, k->p, k->n, text + p->off, (size_t)p->len);
        if (s->key) continue;
        int ng = p->g1 - p->g0;
        size_t n = k->n + (size_t)p->len;
        char *key = pm_arena_alloc(t->arena, n);
        memcpy(key, k->p, k->n);
        memcpy(key + k->n, text + p->off, (size_t)p->len);
        PangoGlyphInfo *g = pm_arena_alloc(t->arena, (size_t)ng * sizeof *g + 1);
        int *cl = pm_arena_alloc(t->arena, (size_t)ng * sizeof *cl + 1);
        memcpy(g, from->glyphs + p->g0, (size_t)ng * sizeof *g);
        memcpy(cl, from->log_clusters + p->g0, (size_t)ng * sizeof *cl);
        put(t, s, &(word){p->hash, key, (uint32_t)n, ng, g, cl});
        if (grows && t->n * 2 > t->cap) grow(t);
    }
}

/* The item's words, each from the cache or shaped with the item's other misses; 0 if one
 * of them cannot be cached (gs is then left empty). */
static int shape_words(pm_words *w, const PangoItem *item, const char *text, int tlen, PangoGlyphString *gs)
{
    pieces ps;
    if (!cut(&w->t, &w->side, &w->key, item, text, tlen, &ps)) return 0;
    for (int i = 0; i < ps.np; i++) {
        piece *c = &ps.pc[i];
        if (c->hit.key || !c->alone) continue;
        PangoItem sub = *item;
        sub.offset = c->off;
        sub.length = c->len;
        sub.num_chars = (int)g_utf8_strlen(text + c->off, c->len);
        c->gs = pango_glyph_string_new();
        pango_shape_item(&sub, text, tlen, NULL, c->gs, PANGO_SHAPE_NONE);
        c->g1 = c->gs->num_glyphs;
    }
    int misses = mark_dups(ps.pc, ps.np, text); /* (those of the batch) */
    for (int i = 0; i < ps.np; i++) {
        if (ps.pc[i].hit.key || ps.pc[i].dup) w->hits++;
        else w->misses++;
    }
    PangoGlyphString *bt = NULL;
    if (misses) {
        bt = pango_glyph_string_new();
        shape_batch(item, text, ps.pc, ps.np, bt);
    }
    pango_glyph_string_set_size(gs, 0);
    for (int i = 0; i < ps.np; i++) {
        const piece *c = &ps.pc[i];
        if (c->dup) c = &ps.pc[c->dup - 1];
        const PangoGlyphString *from = c->alone ? c->gs : bt;
        if (c->hit.key) append(gs, c->hit.glyphs, c->hit.clusters, c->hit.nglyphs, ps.pc[i].off - item->offset);
        else append(gs, from->glyphs + c->g0, from->log_clusters + c->g0, c->g1 - c->g0, ps.pc[i].off - item->offset);
    }
    keep(&w->t, 1, &w->key, text, &ps, bt);
    pieces_free(&ps);
    if (bt) pango_glyph_string_free(bt);
    return 1;
}

int pm_words_fill(pm_words *w, const PangoItem *item, const char *text, int tlen)
{
    keybuf k = {0};
    pieces ps;
    int misses = 0;
    wtable *sd = &w->side;
    if (sd->n < sd->cap / 2 && item_prefix(&k, item) && cut(&w->seen, sd, &k, item, text, tlen, &ps)) {
        misses = mark_dups(ps.pc, ps.np, text);
        if (misses) {
            PangoGlyphString *bt = pango_glyph_string_new();
            shape_batch(item, text, ps.pc, ps.np, bt);
            for (int g = 0; w->check && g < bt->num_glyphs; g++)
                if (bt->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG) { /* (Pango measured it through cairo, here) */
                    fprintf(stderr, "pamphlet: internal error: the shaping-ahead thread met U+%04X, which its font "
                                    "lacks\n", bt->glyphs[g].glyph & ~PANGO_GLYPH_UNKNOWN_FLAG);
                    abort();
                }
            keep(sd, 0, &k, text, &ps, bt);
            pango_glyph_string_free(bt);
        }
        pieces_free(&ps);
    }
    g_free(k.p);
    return misses;
}

static int same_glyph(const PangoGlyphInfo *a, const PangoGlyphInfo *b)
{
    return a->glyph == b->glyph && a->geometry.width == b->geometry.width &&
           a->geometry.x_offset == b->geometry.x_offset && a->geometry.y_offset == b->geometry.y_offset &&
           a->attr.is_cluster_start == b->attr.is_cluster_start && a->attr.is_color == b->attr.is_color;
}

static void compare(const PangoItem *item, const char *text, const PangoGlyphString *a, const PangoGlyphString *b)
{
    int same = a->num_glyphs == b->num_glyphs;
    for (int i = 0; same && i < a->num_glyphs; i++)
        same = same_glyph(&a->glyphs[i], &b->glyphs[i]) && a->log_clusters[i] == b->log_clusters[i];
    if (same) return;
    fprintf(stderr, "pamphlet: internal error: the word cache shaped \"%.*s\" differently from the whole item\n",
            item->length, text + item->offset);
    abort();
}

void pm_words_shape(pm_words *w, const PangoItem *item, const char *text, int tlen, PangoGlyphString *gs)
{
    if (!w || !pm_words_can_cache(w, item) || !shape_words(w, item, text, tlen, gs)) {
        if (w) w->whole++;
        pango_shape_item((PangoItem *)item, text, tlen, NULL, gs, PANGO_SHAPE_NONE);
        return;
    }
    if (w->check) {
        PangoGlyphString *whole = pango_glyph_string_new();
        pango_shape_item((PangoItem *)item, text, tlen, NULL, whole, PANGO_SHAPE_NONE);
        compare(item, text, whole, gs);
        pango_glyph_string_free(whole);
    }
}
