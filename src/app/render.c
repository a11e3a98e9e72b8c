/* render.c - one run of the pipeline, and the session that keeps what watch mode can
 * reuse between runs (see render.h). */
#include "app/render.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "input/content.h"
#include "base/diag.h"
#include "base/fileio.h"
#include "layout/flow.h"
#include "text/fonts.h"
#include "text/hyph.h"
#include "image/imgcache.h"
#include "text/paragraph.h"
#include "input/spec.h"

struct pm_session {
    int keep;
    pm_fonts *fonts;
    char *fonts_dir;
    int fonts_checked;        /* the roles of the current spec were checked */
    pm_hyph *hyph;
    char *hyph_lang;
    pm_spec *spec;
    uint64_t spec_hash;
    pm_setter *set;
    pm_imgcache *images;
    char **inputs;
    int ninputs;
};

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* PAMPHLET_TIMING=1 prints how long each stage took, for profiling. */
static void stage(const char *name)
{
    static int on = -1;
    static double last;
    if (on < 0) {
        const char *e = getenv("PAMPHLET_TIMING");
        on = e && *e == '1';
        last = now_ms();
    }
    if (!on) return;
    double t = now_ms();
    long rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        long size;
        if (fscanf(f, "%ld %ld", &size, &rss) != 2) rss = 0;
        fclose(f);
    }
    fprintf(stderr, "timing: %-10s %7.2f ms  rss %5.1f MiB\n", name, t - last, rss * 4096.0 / 1048576);
    last = t;
}

void pm_options_init(pm_options *o)
{
    memset(o, 0, sizeof *o);
    o->dpi = 100;
    o->duplex = o->blanks = o->signature = o->marks = o->rtl = -1;
    o->creep = o->printer_margin = -1;
}

static char *default_output(const char *src)
{
    size_t n = strlen(src);
    char *out = pm_xmalloc(n + 5);
    memcpy(out, src, n + 1);
    char *dot = strrchr(out, '.'), *slash = strrchr(out, '/');
    if (dot && (!slash || dot > slash)) *dot = 0;
    strcat(out, ".pdf");
    return out;
}

static int check_fonts(pm_fonts *f, const pm_spec *s)
{
    struct { const pm_font_spec *fs; const char *role; } roles[] = {
        {&s->body, "fonts.body"},         {&s->caption, "fonts.caption"},
        {&s->running, "fonts.header"},    {&s->footnote, "fonts.footnote"},
        {&s->code, "fonts.code"},         {&s->quote, "fonts.quote"},
        {&s->cover_title, "fonts.cover-title"}, {&s->cover_subtitle, "fonts.cover-subtitle"},
        {&s->cover_author, "fonts.cover-author"}, {&s->cover_date, "fonts.cover-date"},
        {&s->h[0].font, "headings.h1"},   {&s->h[1].font, "headings.h2"},
        {&s->h[2].font, "headings.h3"},
    };
    int rc = PM_OK;
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
        if (pm_fonts_check_role(f, s, roles[i].fs, roles[i].role)) rc = PM_EINPUT;
    char role[96]; /* styles, the contents list, drop caps: their fonts over the body's */
    for (int i = 0; i < s->nstyles; i++) {
        snprintf(role, sizeof role, "styles.%s.font", s->styles[i].name);
        if (s->styles[i].has_font && pm_fonts_check_role(f, s, &s->styles[i].fonts[PM_STYLE_BODY], role)) rc = PM_EINPUT;
    }
    if (pm_fonts_check_role(f, s, &s->toc.font, "toc.font")) rc = PM_EINPUT;
    if (s->opening.drop_lines && pm_fonts_check_role(f, s, &s->opening.drop_font, "openings.drop-cap.font"))
        rc = PM_EINPUT;
    return rc;
}

/* The reading PDF is written while later pages are still being built: pages go from
 * the page builder to a thread that draws them (with cairo only; the fonts' cairo
 * versions were looked up when the lines were set). */
typedef struct pdf_pipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pm_page **q;
    size_t n, cap, next;
    int done;
    const pm_layout *lay;
    pm_device *dev;
    int rc;
    int joined;
    pthread_t thread;
} pdf_pipe;

static void pipe_page(void *ud, const pm_layout *lay, pm_page *pg)
{
    pdf_pipe *p = ud;
    pthread_mutex_lock(&p->mu);
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->q = pm_xrealloc(p->q, p->cap * sizeof *p->q);
    }
    p->q[p->n++] = pg;
    p->lay = lay;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static void *pipe_run(void *arg)
{
    pdf_pipe *p = arg;
    int begun = 0;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->next == p->n && !p->done) pthread_cond_wait(&p->cv, &p->mu);
        if (p->next == p->n) {
            pthread_mutex_unlock(&p->mu);
            break;
        }
        pm_page *pg = p->q[p->next++];
        const pm_layout *lay = p->lay;
        pthread_mutex_unlock(&p->mu);
        if (p->rc) continue; /* after an error: drain */
        if (!begun) {
            begun = 1;
            if (p->dev->begin) p->rc = p->dev->begin(p->dev, lay);
        }
        if (!p->rc) p->rc = p->dev->page(p->dev, lay, pg);
    }
    return NULL;
}

/* The page builder failed: draw no more pages, and wait for the one being drawn (the
 * layout is dropped when this returns). */
static void pipe_stop(void *ud)
{
    pdf_pipe *p = ud;
    pthread_mutex_lock(&p->mu);
    p->done = 1;
    p->next = p->n;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    p->joined = 1;
}

/* A device run on a thread of its own: the booklet is drawn while the reading PDF is
 * finished (its images come from their second set of source surfaces). */
typedef struct dev_thread {
    pm_device *dev;
    const pm_layout *lay;
    int rc;
    pthread_t thread;
} dev_thread;

static void *dev_thread_run(void *arg)
{
    dev_thread *t = arg;
    t->rc = pm_device_run(t->dev, t->lay);
    return NULL;
}

static int booklet_options(const pm_options *o, const pm_spec *spec, pm_booklet_opts *b)
{
    pm_booklet_opts_from_spec(spec, b);
    if (o->duplex >= 0) b->duplex = (pm_duplex)o->duplex;
    if (o->blanks >= 0) b->blanks = (pm_blanks)o->blanks;
    if (o->signature >= 0) b->signature = o->signature;
    if (o->marks >= 0) b->marks = o->marks;
    if (o->rtl >= 0) b->rtl = o->rtl;
    if (o->creep >= 0) b->creep = o->creep;
    if (o->printer_margin >= 0) b->printer_margin = o->printer_margin;
    if (o->sheet) {
        double w, h;
        if (pm_paper_size(o->sheet, &w, &h) < 0) {
            pm_error(NULL, 0, 0, "--sheet %s: unknown paper size (known: %s)", o->sheet, pm_paper_names());
            return PM_EUSAGE;
        }
        b->sheet_w = w > h ? w : h;
        b->sheet_h = w > h ? h : w;
    }
    return PM_OK;
}

/* A layout is the same as last time when its files hold the same bytes. */
static uint64_t spec_hash(const pm_spec *spec)
{
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < spec->nfiles; i++) {
        char *data;
        size_t len;
        int was = pm_diag_mute(1); /* a layout that went away: the run will say so */
        int rc = pm_read_file(spec->files[i], 1u << 20, "layout", &data, &len);
        pm_diag_mute(was);
        if (rc) return 0;
        for (const char *p = spec->files[i]; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
        for (size_t k = 0; k < len; k++) h = (h ^ (unsigned char)data[k]) * 1099511628211ull;
        free(data);
    }
    return h;
}

static int load_spec(const pm_options *o, const pm_doc *doc, pm_spec **spec)
{
    if (!o->layout && doc->meta.layout) {
        /* a layout named in the front matter is relative to the content file first */
        char *p = pm_path_join(doc->dir, doc->meta.layout);
        FILE *f = fopen(p, "r");
        int rc;
        if (f) {
            fclose(f);
            rc = pm_spec_load(p, spec);
        } else {
            rc = pm_spec_load(doc->meta.layout, spec);
        }
        free(p);
        return rc;
    }
    return pm_spec_load(o->layout ? o->layout : "a5", spec);
}

static void set_inputs(pm_session *s, const char *source, const pm_spec *spec)
{
    for (int i = 0; i < s->ninputs; i++) free(s->inputs[i]);
    s->ninputs = 0;
    const char **imgs;
    int nimg = spec ? pm_imgcache_paths(s->images, &imgs) : 0;
    s->inputs = pm_xrealloc(s->inputs, (size_t)(nimg + 12) * sizeof *s->inputs);
    s->inputs[s->ninputs++] = pm_xstrdup(source);
    for (int i = 0; spec && i < spec->nfiles; i++) s->inputs[s->ninputs++] = pm_xstrdup(spec->files[i]);
    for (int i = 0; i < nimg; i++) s->inputs[s->ninputs++] = pm_xstrdup(imgs[i]);
    if (s->fonts_dir) s->inputs[s->ninputs++] = pm_xstrdup(s->fonts_dir);
}

static void preflight_report(const pm_options *o, const pm_doc *doc, const pm_spec *spec, const pm_layout *lay,
                             const pm_flow_stats *st, const pm_booklet_opts *bo, int booklet_rc,
                             const pm_imposition *im, int warnings_before)
{
    printf("preflight: %s with %s\n", doc->path, spec->file);
    printf("  pages:             %zu of %.0f x %.0f mm\n", lay->npages, spec->page_w / 72 * 25.4,
           spec->page_h / 72 * 25.4);
    printf("  figures scaled:    %d\n", st->figures_scaled);
    printf("  widows, orphans:   %d, %d that could not be avoided\n", st->widows, st->orphans);
    printf("  short pages:       %d (ending above the last line of the page)\n", st->short_pages);
    if (booklet_rc == PM_OK) {
        const char *where = im->blanks == 0 ? "" : bo->blanks == PM_BLANKS_END ? " at the end" : " before the back cover";
        printf("  booklet:           %d sheets, %d blank page%s added%s\n", im->sheets, im->blanks,
               im->blanks == 1 ? "" : "s", where);
    } else {
        printf("  booklet:           cannot be imposed (see above)\n");
    }
    int warnings = pm_diag_warnings() - warnings_before;
    printf("  warnings:          %d%s\n", warnings, warnings ? " (above)" : "");
    printf("  nothing was written%s\n", o->output || o->booklet ? " (-o and --booklet are ignored)" : "");
}

pm_session *pm_session_new(int keep)
{
    pm_session *s = pm_xcalloc(1, sizeof *s);
    s->keep = keep;
    s->images = pm_imgcache_new(NULL);
    return s;
}

void pm_session_forget_fonts(pm_session *s)
{
    pm_setter_drop(s->set);
    s->set = NULL;
    pm_fonts_drop(s->fonts);
    s->fonts = NULL;
}

void pm_session_drop(pm_session *s)
{
    if (!s) return;
    pm_setter_drop(s->set);
    pm_hyph_drop(s->hyph);
    pm_fonts_drop(s->fonts);
    pm_spec_drop(s->spec);
    pm_imgcache_drop(s->images);
    for (int i = 0; i < s->ninputs; i++) free(s->inputs[i]);
    free(s->inputs);
    free(s->fonts_dir);
    free(s->hyph_lang);
    free(s);
}

int pm_session_inputs(pm_session *s, const char *const **paths)
{
    *paths = (const char *const *)s->inputs;
    return s->ninputs;
}

int pm_session_render(pm_session *s, const pm_options *o, pm_run_info *info)
{
    double t0 = now_ms();
    int rc, ndev = 0, booklet = -1, warnings_before = pm_diag_warnings();
    pm_doc *doc = NULL;
    pm_spec *spec = NULL;
    pm_layout *lay = NULL;
    pm_device *devs[8];
    char *outpath = NULL;
    pm_flow_stats stats = {0};
    if (info) memset(info, 0, sizeof *info);

    stage("start");
    rc = pm_content_load(o->source, &doc);
    if (rc) goto done;
    stage("content");
    rc = load_spec(o, doc, &spec);
    if (rc) goto done;
    /* an unchanged layout keeps the paragraphs set with it */
    uint64_t h = s->keep ? spec_hash(spec) : 0;
    if (s->spec && h && h == s->spec_hash) {
        pm_spec_drop(spec);
        spec = s->spec;
    } else {
        pm_setter_drop(s->set);
        s->set = NULL;
        pm_spec_drop(s->spec);
        s->spec = spec;
        s->spec_hash = h;
        s->fonts_checked = 0;
    }
    if (spec->hyphenate && (!s->hyph_lang || strcmp(s->hyph_lang, doc->meta.lang))) {
        pm_setter_drop(s->set);
        s->set = NULL;
        pm_hyph_drop(s->hyph);
        s->hyph = NULL;
        free(s->hyph_lang);
        s->hyph_lang = pm_xstrdup(doc->meta.lang);
        s->hyph = pm_hyph_load(s->hyph_lang, doc->path, 0); /* patterns load meanwhile */
    }
    const char *fdir = o->fonts_dir ? o->fonts_dir : pm_find_data("fonts", NULL);
    if (!fdir) {
        pm_error(NULL, 0, 0, "cannot find the fonts folder (looked beside the program and in %s)", PM_DATADIR);
        rc = PM_EIO;
        goto done;
    }
    if (s->fonts && strcmp(s->fonts_dir, fdir)) pm_session_forget_fonts(s);
    if (!s->fonts) {
        char *fd = pm_xstrdup(fdir);
        rc = pm_fonts_new(fd, &s->fonts);
        free(s->fonts_dir);
        s->fonts_dir = fd;
        s->fonts_checked = 0;
        if (rc) goto done;
    }
    if (!s->fonts_checked) {
        rc = check_fonts(s->fonts, spec);
        if (rc) {
            pm_spec_drop(s->spec); /* check it again next time */
            s->spec = NULL;
            spec = NULL;
            goto done;
        }
        s->fonts_checked = 1;
    }
    stage("fonts");
    if (!s->set) {
        s->set = pm_setter_new(s->fonts, spec, spec->hyphenate ? s->hyph : NULL, doc->path);
        if (s->keep) pm_setter_keep_paragraphs(s->set);
    }
    pm_setter_begin_run(s->set, doc->path);
    pm_imgcache_begin(s->images);
    if (!o->preflight) {
        if (!o->no_pdf) {
            outpath = o->output ? pm_xstrdup(o->output) : default_output(o->source);
            if (!(devs[ndev] = pm_device_pdf_new(outpath))) { rc = PM_EIO; goto done; }
            ndev++;
        }
        if (o->booklet) {
            pm_booklet_opts bo;
            if ((rc = booklet_options(o, spec, &bo))) goto done;
            bo.quiet = o->quiet || (s->keep && s->ninputs > 0); /* watch mode: the how-to once */
            if (!(devs[ndev] = pm_device_booklet_new(o->booklet, &bo))) { rc = PM_EIO; goto done; }
            booklet = ndev++;
        }
        if (o->dump) {
            if (!(devs[ndev] = pm_device_dump_new(o->dump))) { rc = PM_EIO; goto done; }
            ndev++;
        }
        if (o->png_dir) {
            if (!(devs[ndev] = pm_device_png_new(o->png_dir, o->dpi))) { rc = PM_EIO; goto done; }
            ndev++;
        }
        if (o->spreads) {
            if (!(devs[ndev] = pm_device_spreads_new(o->spreads, o->dpi))) { rc = PM_EIO; goto done; }
            ndev++;
        }
    }
    /* the reading PDF is written as the pages come */
    pdf_pipe pipe = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
    pm_page_sink sink = {pipe_page, pipe_stop, &pipe};
    int piped = 0;
    if (ndev && !o->no_pdf) {
        pipe.dev = devs[0];
        piped = pthread_create(&pipe.thread, NULL, pipe_run, &pipe) == 0;
    }
    rc = pm_flow(s->set, doc, spec, s->images, piped ? &sink : NULL, &lay, &stats);
    stage("flow");
    dev_thread bt = {.lay = lay};
    int bt_started = 0;
    if (!rc && piped && booklet >= 0 && !pipe.joined) {
        bt.dev = devs[booklet];
        bt_started = pthread_create(&bt.thread, NULL, dev_thread_run, &bt) == 0;
    }
    if (piped) {
        if (!pipe.joined) {
            pthread_mutex_lock(&pipe.mu);
            pipe.done = 1;
            pthread_cond_signal(&pipe.cv);
            pthread_mutex_unlock(&pipe.mu);
            pthread_join(pipe.thread, NULL);
        }
        stage("pdf pages");
        free(pipe.q);
        if (!rc) rc = pipe.rc;
        if (!rc && pipe.dev->end) rc = pipe.dev->end(pipe.dev, lay);
    }
    stage("layout");
    if (bt_started) {
        pthread_join(bt.thread, NULL);
        if (!rc) rc = bt.rc;
        stage("booklet");
    }
    if (rc) goto done;

    if (o->preflight) {
        pm_booklet_opts bo;
        pm_imposition im = {0};
        int brc = booklet_options(o, spec, &bo);
        if (!brc) brc = pm_booklet_preflight(lay, &bo, &im);
        preflight_report(o, doc, spec, lay, &stats, &bo, brc, &im, warnings_before);
        pm_imposition_free(&im);
        rc = pm_diag_errors() ? PM_EINPUT : PM_OK;
        goto done;
    }
    for (int i = piped; i < ndev && !rc; i++) {
        if (bt_started && i == booklet) continue;
        rc = pm_device_run(devs[i], lay);
        stage(devs[i]->name);
    }
    /* everything finished: now put the files in place */
    for (int i = 0; i < ndev && !rc; i++)
        if (devs[i]->commit) rc = devs[i]->commit(devs[i]);

done:
    for (int i = 0; i < ndev; i++) devs[i]->drop(devs[i]);
    stage("commit");
    if (info && lay) info->pages = (int)lay->npages;
    if (s->set) {
        if (info) pm_setter_counts(s->set, &info->paragraphs_set, &info->paragraphs_cached);
        if (lay) pm_setter_end_run(s->set);
    }
    /* what to watch: after a failure, at least the content and the last layout */
    if (doc || !s->ninputs) set_inputs(s, o->source, lay ? spec : s->spec);
    free(outpath);
    pm_layout_drop(lay);
    if (lay || rc) pm_imgcache_sweep(s->images);
    if (spec && spec != s->spec) pm_spec_drop(spec);
    pm_doc_drop(doc);
    stage("cleanup");
    if (info) info->ms = now_ms() - t0;
    return rc;
}

int pm_render(const pm_options *o)
{
    pm_session *s = pm_session_new(0);
    int rc = pm_session_render(s, o, NULL);
    pm_session_drop(s);
    return rc;
}
