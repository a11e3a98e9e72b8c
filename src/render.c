/* render.c - one run of the pipeline (see render.h). */
#include "render.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "diag.h"
#include "fileio.h"
#include "flow.h"
#include "fonts.h"
#include "hyph.h"
#include "paragraph.h"
#include "spec.h"

/* PAMPHLET_TIMING=1 prints how long each stage took, for profiling. */
static void stage(const char *name)
{
    static int on = -1;
    static struct timespec last;
    if (on < 0) {
        const char *e = getenv("PAMPHLET_TIMING");
        on = e && *e == '1';
        clock_gettime(CLOCK_MONOTONIC, &last);
    }
    if (!on) return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    fprintf(stderr, "timing: %-10s %7.2f ms\n", name,
            (now.tv_sec - last.tv_sec) * 1e3 + (now.tv_nsec - last.tv_nsec) / 1e6);
    last = now;
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
    return rc;
}

static long long source_epoch(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (!e || !*e) return -1;
    char *end;
    errno = 0;
    long long v = strtoll(e, &end, 10);
    if (errno || *end || v < 0) {
        pm_warn("SOURCE_DATE_EPOCH", 0, 0, "'%s' is not a number of seconds; ignored", e);
        return -1;
    }
    return v;
}

static void apply_overrides(const pm_options *o, pm_booklet_opts *b)
{
    if (o->duplex >= 0) b->duplex = (pm_duplex)o->duplex;
    if (o->blanks >= 0) b->blanks = (pm_blanks)o->blanks;
    if (o->signature >= 0) b->signature = o->signature;
    if (o->marks >= 0) b->marks = o->marks;
    if (o->rtl >= 0) b->rtl = o->rtl;
    if (o->creep >= 0) b->creep = o->creep;
    if (o->printer_margin >= 0) b->printer_margin = o->printer_margin;
}

/* The hyphenation patterns take longer to load than the fonts: load them on the other
 * core meanwhile. */
typedef struct hyph_job {
    const char *lang, *file;
    pm_hyph *hyph;
} hyph_job;

static void *hyph_load(void *arg)
{
    hyph_job *j = arg;
    j->hyph = pm_hyph_load(j->lang, j->file, 0);
    return NULL;
}

int pm_render(const pm_options *o)
{
    int rc;
    pm_doc *doc = NULL;
    pm_spec *spec = NULL;
    pm_fonts *fonts = NULL;
    pm_hyph *hyph = NULL;
    pm_setter *set = NULL;
    pm_layout *lay = NULL;
    pm_device *devs[8];
    int ndev = 0;
    char *outpath = NULL;
    pthread_t hyph_thread;
    hyph_job job = {0};
    int threaded = 0;

    stage("start");
    rc = pm_content_load(o->source, &doc);
    if (rc) goto done;
    stage("content");
    const char *layout = o->layout ? o->layout : doc->meta.layout ? doc->meta.layout : "a5";
    if (!o->layout && doc->meta.layout) {
        /* a layout named in the front matter is relative to the content file */
        char *p = pm_path_join(doc->dir, doc->meta.layout);
        FILE *f = fopen(p, "r");
        if (f) {
            fclose(f);
            rc = pm_spec_load(p, &spec);
        } else {
            rc = pm_spec_load(layout, &spec);
        }
        free(p);
    } else {
        rc = pm_spec_load(layout, &spec);
    }
    if (rc) goto done;
    job.lang = doc->meta.lang;
    job.file = doc->path;
    if (spec->hyphenate) {
        threaded = pthread_create(&hyph_thread, NULL, hyph_load, &job) == 0;
        if (!threaded) hyph_load(&job);
    }
    const char *fdir = o->fonts_dir ? o->fonts_dir : pm_find_data("fonts", NULL);
    if (!fdir) {
        pm_error(NULL, 0, 0, "cannot find the fonts folder (looked beside the program and in %s)", PM_DATADIR);
        rc = PM_EIO;
        goto done;
    }
    char *fd = pm_xstrdup(fdir);
    rc = pm_fonts_new(fd, &fonts);
    free(fd);
    if (rc) goto done;
    rc = check_fonts(fonts, spec);
    stage("fonts");
    if (threaded) pthread_join(hyph_thread, NULL);
    threaded = 0;
    hyph = job.hyph;
    stage("hyphen");
    if (rc) goto done;
    set = pm_setter_new(fonts, spec, hyph, doc->path);
    pm_flow_stats stats;
    rc = pm_flow(set, doc, spec, &lay, &stats);
    if (rc) goto done;
    stage("layout");
    lay->epoch = source_epoch();
    if (o->preflight) goto done;

    if (!o->no_pdf) {
        outpath = o->output ? pm_xstrdup(o->output) : default_output(o->source);
        if (!(devs[ndev] = pm_device_pdf_new(outpath))) { rc = PM_EIO; goto done; }
        ndev++;
    }
    if (o->booklet) {
        pm_booklet_opts bo;
        pm_booklet_opts_from_spec(spec, &bo);
        apply_overrides(o, &bo);
        if (o->sheet) {
            double w, h;
            if (pm_paper_size(o->sheet, &w, &h) < 0) {
                pm_error(NULL, 0, 0, "--sheet %s: unknown paper size (known: %s)", o->sheet, pm_paper_names());
                rc = PM_EUSAGE;
                goto done;
            }
            bo.sheet_w = w > h ? w : h;
            bo.sheet_h = w > h ? h : w;
        }
        if (!(devs[ndev] = pm_device_booklet_new(o->booklet, &bo))) { rc = PM_EIO; goto done; }
        ndev++;
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
    for (int i = 0; i < ndev && !rc; i++) {
        rc = pm_device_run(devs[i], lay);
        stage(devs[i]->name);
    }
    /* everything finished: now put the files in place */
    for (int i = 0; i < ndev && !rc; i++)
        if (devs[i]->commit) rc = devs[i]->commit(devs[i]);

done:
    if (threaded) {
        pthread_join(hyph_thread, NULL);
        hyph = job.hyph;
    }
    for (int i = 0; i < ndev; i++) devs[i]->drop(devs[i]);
    stage("commit");
    free(outpath);
    pm_layout_drop(lay);
    stage("drop layout");
    pm_setter_drop(set);
    pm_hyph_drop(hyph);
    stage("drop hyph");
    pm_fonts_drop(fonts);
    stage("drop fonts");
    pm_spec_drop(spec);
    pm_doc_drop(doc);
    stage("cleanup");
    return rc;
}
