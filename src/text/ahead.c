/* ahead.c - shaping ahead: in a first build (the setter's first run), each flow hands
 * the setter the paragraphs it is going to set, in its order, before it sets any; a
 * helper thread shapes their words (pm_words_fill, into a table of the word cache's own
 * that the main thread reads without locks) while the main thread sets the first ones,
 * so that the main thread finds most words shaped when it comes to them. Shaping was 40 %
 * of the main thread's instructions in a first build, and the second processor had room
 * (it draws the finished pages). The helper runs at SCHED_IDLE: only where nothing else
 * wants the processor.
 *
 * Only paragraphs that shape.c would itemize as one item (itemize_one: no spans, left to
 * right, simple characters all in one font) are shaped ahead, and only their words that
 * are not in the cache. What the cache holds does not depend on which thread shaped a
 * word (the same item gives the same glyphs), so the output is the same whatever the
 * timing; a paragraph the main thread has come to is passed over (it shapes it itself).
 *
 * The main thread resolves each paragraph's font (Pango's fontsets are not for other
 * threads) and makes the font's HarfBuzz font before handing it over (pm_words_can_cache):
 * the helper thread calls pango_shape_item on fonts whose HarfBuzz font exists, with
 * characters the font has (pm_text_covered, every), which Pango 1.50 allows from any thread. */
#define _GNU_SOURCE /* SCHED_IDLE */
#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/thread.h"
#include "text/para-imp.h"

/* A style's font for paragraphs that begin with a letter it has: the item they get. */
typedef struct tpl {
    const pm_font_spec *f;
    PangoItem *item;  /* its font, language and features (script, length: the paragraph's) */
    FcCharSet *cs;    /* the font's coverage (held) */
    uint64_t ascii[2];
    int ok;           /* its words are cached (pm_words_can_cache) */
} tpl;

/* A font spec's fontset, resolved once. */
typedef struct style {
    const pm_font_spec *f;
    PangoFontset *fs;
    PangoLanguage *lang;
    GSList *extra;
} style;

typedef struct job {
    const char *text;
    uint32_t len;
    int tpl, seq;
} job;

struct pm_ahead {
    pm_setter *s;
    pthread_t thread;
    int running;
    job *jobs;            /* made on the main thread, then read by the helper (made with
                             them all: a mutex the two threads took in turns put one to
                             sleep, and a sleeping thread woke 1-2 ms late here) */
    int njobs, capjobs;
    int stop;             /* (atomic) */
    int reached;          /* the last paragraph the main thread has come to (atomic) */
    tpl **tpls;
    int ntpls;
    style *styles;
    int nstyles;
    unsigned long shaped;
};

static void *run(void *arg)
{
    pm_ahead *a = arg;
    pm_thread_name("pm-ahead");
    /* only on a processor nothing else wants: the main thread sets these paragraphs itself
       when it comes to them, and the thread writing finished pages is not to wait */
    struct sched_param sp = {0};
    pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp);
    for (int i = 0; i < a->njobs && !g_atomic_int_get(&a->stop); i++) {
        const job *j = &a->jobs[i];
        const tpl *t = a->tpls[j->tpl];
        if (j->seq <= g_atomic_int_get(&a->reached)) continue;
        PangoScript script;
        gunichar first;
        int nchars;
        /* every character but the space in the font: HarfBuzz then asks Pango only about
           glyphs the font has; for one it lacks (a tab in code, a soft hyphen) Pango makes an
           unknown glyph and measures it through the font's cairo side, which is the main
           thread's alone (a tab shaped here crashed it) */
        if (!pm_text_simple(j->text, j->len, &script, &first, &nchars) || !first ||
            !pm_text_covered(j->text, j->len, t->cs, t->ascii, 1))
            continue;
        PangoItem item = *t->item;
        item.length = (int)j->len;
        item.num_chars = nchars;
        item.analysis.script = script;
        a->shaped += (unsigned long)pm_words_fill(a->s->words, &item, j->text, (int)j->len);
    }
    return NULL;
}

pm_ahead *pm_ahead_open(pm_setter *s)
{
    if (pm_setter_runs(s) > 1 || getenv("PAMPHLET_NO_AHEAD")) return NULL;
    pm_ahead *a = g_new0(pm_ahead, 1);
    a->s = s;
    a->reached = -1;
    return a;
}

static style *style_for(pm_ahead *a, const pm_font_spec *f)
{
    for (int i = 0; i < a->nstyles; i++)
        if (a->styles[i].f == f) return &a->styles[i];
    a->styles = g_renew(style, a->styles, a->nstyles + 1);
    style *st = &a->styles[a->nstyles++];
    st->f = f;
    PangoAttrList *l = pm_font_attrs(a->s->spec, f, G_MAXUINT);
    st->fs = pm_para_fontset(a->s, l, &st->lang, &st->extra);
    pango_attr_list_unref(l);
    return st;
}

static GSList *copy_attrs(GSList *l)
{
    GSList *c = NULL;
    for (; l; l = l->next) c = g_slist_prepend(c, pango_attribute_copy(l->data));
    return g_slist_reverse(c);
}

/* The template for paragraphs in font spec f whose first letter is first; -1 if they are
 * not shaped ahead. */
static int tpl_for(pm_ahead *a, const pm_font_spec *f, gunichar first)
{
    style *st = style_for(a, f);
    if (!st->fs) return -1;
    PangoFont *font = pango_fontset_get_font(st->fs, first);
    if (!font) return -1;
    for (int i = 0; i < a->ntpls; i++)
        if (a->tpls[i]->f == f && a->tpls[i]->item->analysis.font == font) {
            g_object_unref(font);
            return a->tpls[i]->ok ? i : -1;
        }
    tpl *t = g_new0(tpl, 1);
    t->f = f;
    t->item = pm_one_item(font, st->lang, copy_attrs(st->extra), PANGO_SCRIPT_LATIN, 0, 0);
    FcCharSet *cs = pm_font_coverage(font);
    t->ok = cs && pm_words_can_cache(a->s->words, t->item); /* (makes the HarfBuzz font, here) */
    if (t->ok) {
        t->cs = FcCharSetCopy(cs);
        pm_ascii_coverage(cs, t->ascii);
    }
    a->tpls = g_renew(tpl *, a->tpls, a->ntpls + 1);
    a->tpls[a->ntpls++] = t;
    return t->ok ? a->ntpls - 1 : -1;
}

void pm_ahead_add(pm_ahead *a, const pm_text *t, const pm_para_style *st, int seq)
{
    if (!a || !t->len || t->nspans || st->dir == PM_DIR_RTL || st->font->uppercase) return;
    gunichar first = pm_text_first(t->utf8, t->len);
    int k = first ? tpl_for(a, st->font, first) : -1;
    if (k < 0) return;
    if (a->njobs == a->capjobs) {
        a->capjobs = a->capjobs ? 2 * a->capjobs : 256;
        a->jobs = g_renew(job, a->jobs, a->capjobs);
    }
    a->jobs[a->njobs++] = (job){t->utf8, t->len, k, seq};
}

void pm_ahead_added(pm_ahead *a)
{
    if (!a) return;
    /* (the thread is made now, with every job: one waiting for them woke 1-1.4 ms after
       it was told, here, while the main thread set the first paragraphs itself) */
    if (!a->njobs) return;
    size_t bytes = 0; /* (about six a word; a quarter of a text's words are new ones) */
    for (int i = 0; i < a->njobs; i++) bytes += a->jobs[i].len;
    pm_words_side_begin(a->s->words, 2048 + bytes / 6 / 4);
    a->running = pthread_create(&a->thread, NULL, run, a) == 0;
    if (a->running && getenv("PAMPHLET_AHEAD_WAIT")) { /* (tests: the helper shapes every word it can) */
        pthread_join(a->thread, NULL);
        a->running = 0;
    }
}

void pm_ahead_reached(pm_ahead *a, int seq)
{
    if (a) g_atomic_int_set(&a->reached, seq);
}

void pm_ahead_close(pm_ahead *a)
{
    if (!a) return;
    if (a->running) {
        g_atomic_int_set(&a->stop, 1);
        pthread_join(a->thread, NULL);
    }
    pm_words_side_end(a->s->words);
    if (getenv("PAMPHLET_WORDS_STATS"))
        fprintf(stderr, "ahead: %d paragraphs handed over, %lu words shaped ahead\n", a->njobs, a->shaped);
    for (int i = 0; i < a->ntpls; i++) {
        pango_item_free(a->tpls[i]->item);
        if (a->tpls[i]->cs) FcCharSetDestroy(a->tpls[i]->cs);
        g_free(a->tpls[i]);
    }
    for (int i = 0; i < a->nstyles; i++) {
        if (a->styles[i].fs) g_object_unref(a->styles[i].fs);
        g_slist_free_full(a->styles[i].extra, (GDestroyNotify)pango_attribute_destroy);
    }
    g_free(a->tpls);
    g_free(a->styles);
    g_free(a->jobs);
    g_free(a);
}

