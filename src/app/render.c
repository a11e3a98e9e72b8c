/* render.c - one run of the pipeline, and the session that keeps what watch mode can
 * reuse between runs (see render.h). */
#include "app/render.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app/outputs.h"
#include "input/content.h"
#include "base/arena.h"
#include "base/diag.h"
#include "base/digest.h"
#include "base/fileio.h"
#include "base/thread.h"
#include "layout/flow.h"
#include "text/fonts.h"
#include "text/hyph.h"
#include "image/imgcache.h"
#include "text/paragraph.h"
#include "input/spec.h"
#include "output/finish.h"
#include "output/finish_cache.h"
#include "output/qpdf_api.h"

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
    pm_finish_cache *recoloured; /* page content recoloured as drawn, kept between watch runs */
    char **inputs;
    int ninputs;
    int runs;                 /* runs begun */
};

void pm_options_init(pm_options *o)
{
    memset(o, 0, sizeof *o);
    o->dpi = 100;
    o->duplex = o->blanks = o->signature = o->marks = o->rtl = -1;
    o->fold = o->sides = -1;
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
        {&s->cover_issue, "fonts.cover-issue"},
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
 * versions were looked up when the lines were set), and to the booklet's writer, which
 * notes their ink (dev_booklet.c). What the writers are done with is told back to the
 * page builder (pm_page_sink.done), which releases the lines only those pages showed.
 * The page builder waits when the writers are PIPE_LAG pages behind: they keep up on an
 * idle machine, but on a busy one (another program on the other processor) the pages
 * piled up, each holding its lines, and a 400-page book's page builder went from 50 to
 * 60 MiB and more. Waiting costs no processor time, and the pages come out the same. */
#define PIPE_LAG 8
typedef struct pdf_pipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_cond_t room;    /* the writers took a page (pipe_page waits for it) */
    pm_page **q;
    size_t n, cap, next;
    size_t finished;        /* the writers are done with pages [0, finished) */
    int done;
    const pm_layout *lay;
    pm_writer **wr;
    int nwr;
    int begun;
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
    while (p->n - p->next > PIPE_LAG && !p->done) pthread_cond_wait(&p->room, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

/* Each writer's begin (once), and the page to each (a writer may keep the last page it
 * was given until the next one comes, as the reading PDF's draws one behind). */
static int pipe_write(pdf_pipe *p, const pm_layout *lay, const pm_page *pg)
{
    int rc = PM_OK;
    if (!p->begun) {
        p->begun = 1;
        for (int w = 0; w < p->nwr && !rc; w++)
            if (p->wr[w]->begin) rc = p->wr[w]->begin(p->wr[w], lay);
    }
    for (int w = 0; w < p->nwr && !rc; w++) rc = p->wr[w]->page(p->wr[w], lay, pg);
    return rc;
}

static void *pipe_run(void *arg)
{
    pm_thread_name("pm-pipe");
    pdf_pipe *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        p->finished = p->next ? p->next - 1 : 0; /* (the page given last may be kept) */
        while (p->next == p->n && !p->done) pthread_cond_wait(&p->cv, &p->mu);
        if (p->next == p->n) {
            pthread_mutex_unlock(&p->mu);
            break;
        }
        pm_page *pg = p->q[p->next++];
        const pm_layout *lay = p->lay;
        pthread_cond_signal(&p->room);
        pthread_mutex_unlock(&p->mu);
        if (p->rc) continue; /* after an error: drain */
        p->rc = pipe_write(p, lay, pg);
    }
    return NULL;
}

static size_t pipe_finished(void *ud)
{
    pdf_pipe *p = ud;
    pthread_mutex_lock(&p->mu);
    size_t n = p->finished;
    pthread_mutex_unlock(&p->mu);
    return n;
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

int pm_options_booklet(const pm_options *o, const pm_spec *spec, pm_dir dir, pm_booklet_opts *b)
{
    pm_booklet_opts_from_spec(spec, b);
    if (o->fold >= 0) b->fold = (pm_fold)o->fold;
    if (o->sides >= 0) b->sides = (pm_sides)o->sides;
    if (spec && !spec->booklet.binding_given) b->rtl = dir == PM_DIR_RTL; /* right-to-left: bound on the right */
    b->quiet = o->quiet;
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
    uint64_t h = PM_HASH64_INIT;
    for (int i = 0; i < spec->nfiles; i++) {
        char *data;
        size_t len;
        int was = pm_diag_mute(1); /* a layout that went away: the run will say so */
        int rc = pm_read_file(spec->files[i], 1u << 20, "layout", &data, &len);
        pm_diag_mute(was);
        if (rc) return 0;
        h = pm_hash64(pm_hash64(h, spec->files[i], strlen(spec->files[i])), data, len);
        free(data);
    }
    return h;
}

/* The layout file a run asks for (NULL: none is found): -l's, else the front matter's
 * (relative to the content file first), else a5. */
static char *layout_path(const pm_options *o, const pm_doc *doc)
{
    if (!o->layout && doc->meta.layout) {
        char *p = pm_path_join(doc->dir, doc->meta.layout);
        FILE *f = fopen(p, "r");
        if (f) {
            fclose(f);
            char *r = pm_spec_path(p);
            free(p);
            return r;
        }
        free(p);
        return pm_spec_path(doc->meta.layout);
    }
    return pm_spec_path(o->layout ? o->layout : "a5");
}

/* In watch mode: the session's layout, when the run asks for the same file and the files
 * it was read from hold the same bytes (it is not parsed again: 1.8 million instructions
 * of a rebuild of 1917's 64), or NULL. */
static pm_spec *unchanged_spec(const pm_session *s, const pm_options *o, const pm_doc *doc)
{
    if (!s->keep || !s->spec || !s->spec_hash || s->spec->nfiles >= 8) return NULL;
    char *path = layout_path(o, doc);
    int same = path && !strcmp(path, s->spec->file) && spec_hash(s->spec) == s->spec_hash;
    free(path);
    return same ? s->spec : NULL;
}

static int load_spec(const pm_options *o, const pm_doc *doc, pm_spec **spec)
{
    const char *asked = o->layout ? o->layout : doc->meta.layout ? doc->meta.layout : "a5";
    char *path = layout_path(o, doc); /* (none: pm_spec_load says so, naming it as asked) */
    int fm = !o->layout && doc->meta.layout; /* (asked for by the front matter, at its line) */
    int rc = pm_spec_load_asked(path ? path : asked, fm ? doc->path : NULL, fm ? doc->meta.layout_line : 0, spec);
    free(path);
    return rc;
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
                             const pm_imposition *im, int warnings_before, int natural, pm_fonts *fonts)
{
    printf("preflight: %s with %s\n", doc->path, spec->file);
    printf("  pages:             %zu of %.0f x %.0f mm%s\n", lay->npages, spec->page_w / 72 * 25.4,
           spec->page_h / 72 * 25.4, natural && natural != (int)lay->npages ? " (fitted: see below)" : "");
    if (natural && natural != (int)lay->npages) printf("  natural count:     %d pages\n", natural);
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
    pm_fonts_report(fonts, stdout);
    int warnings = pm_diag_warnings() - warnings_before;
    printf("  warnings:          %d%s\n", warnings, warnings ? " (above)" : "");
}

pm_session *pm_session_new(int keep, int gray)
{
    pm_session *s = pm_xcalloc(1, sizeof *s);
    s->keep = keep;
    pm_direct_keep(keep);
    pm_keep_heap(keep);
    pm_image_limits lim;
    pm_image_limits_default(&lim);
    lim.gray = gray; /* images are loaded gray once, and kept so between watch runs */
    s->images = pm_imgcache_new(&lim);
    s->recoloured = pm_finish_cache_new(keep);
    return s;
}

void pm_session_changed(pm_session *s, const char *path)
{
    pm_imgcache_forget(s->images, path); /* the content and layouts are read every run */
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
    pm_fonts_warm_release();
    pm_setter_drop(s->set);
    pm_hyph_drop(s->hyph);
    pm_fonts_drop(s->fonts);
    pm_spec_drop(s->spec);
    pm_imgcache_drop(s->images);
    pm_finish_cache_drop(s->recoloured);
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

/* One run of the pipeline: what the steps of pm_session_render share. */
typedef struct run {
    pm_session *s;
    const pm_options *o;
    pm_doc *doc;
    pm_spec *spec;            /* once accepted, the session's (s->spec) */
    pm_layout *lay;
    int laid;                 /* a layout was made: lay, or dropped before the files were
                                 finished (then npages says how many pages it had) */
    size_t npages;
    pm_flow_stats stats;
    char *outpath;            /* the reading PDF, or NULL (--no-pdf, --preflight) */
    pm_writer *writers[8];
    int nwriters;
    int reading;              /* writers[0] writes the reading PDF: the one asked for, or a
                                 scratch one for the booklet to be imposed from */
    int ran;                  /* writers [0, ran) have run: the reading PDF drawn as pages
                                 came (and the booklet's writer given them) */
    int warnings_before;
    pm_fit_opts fit;          /* the page count wanted (--pages, the layout's fit:) */
    pm_fit_report fitrep;
    int notes_in_place;       /* the notes' numbers did not settle: figures that name
                                 notes are kept in place (pm_flow_args.notes_in_place) */
} run;

/* The content, and the layout: an unchanged one (watch mode) keeps the paragraphs set
 * with it. */
static int load_content_and_layout(run *r)
{
    pm_session *s = r->s;
    int rc = pm_content_load(r->o->source, &r->doc);
    if (rc) return rc;
    pm_timing("content");
    if ((r->spec = unchanged_spec(s, r->o, r->doc))) return PM_OK;
    if ((rc = load_spec(r->o, r->doc, &r->spec))) return rc;
    uint64_t h = s->keep ? spec_hash(r->spec) : 0;
    if (s->spec && h && h == s->spec_hash) {
        pm_spec_drop(r->spec);
        r->spec = s->spec;
    } else {
        pm_setter_drop(s->set);
        s->set = NULL;
        pm_spec_drop(s->spec);
        s->spec = r->spec;
        s->spec_hash = h;
        s->fonts_checked = 0;
    }
    return PM_OK;
}

/* Whether fontconfig's name of a language (fonts.h) is lang's. */
static int same_lang(const char *fc, const char *lang)
{
    char l[32];
    snprintf(l, sizeof l, "%s", lang ? lang : "");
    for (char *p = l; *p; p++) *p = *p == '_' ? '-' : (char)tolower((unsigned char)*p);
    return !strcmp(fc, l);
}

/* The fonts folder's fonts, loaded once per session (again when the folder changes),
 * and checked against the layout's roles when the layout is new. */
static int load_fonts(run *r)
{
    pm_session *s = r->s;
    const pm_options *o = r->o;
    /* the shipped fonts, then the --fonts folders, then (if the layout says so) the system's */
    const char *fdir = pm_find_data("fonts", NULL);
    char first[4096];
    if (!fdir && o->fonts_dir) { /* no shipped fonts: the first --fonts folder stands for them */
        snprintf(first, sizeof first, "%.*s", (int)strcspn(o->fonts_dir, ":"), o->fonts_dir);
        fdir = first;
    }
    if (!fdir) {
        pm_error(NULL, 0, 0, "cannot find the fonts folder (looked beside the program and in %s)", PM_DATADIR);
        return PM_EIO;
    }
    const char *fl = s->fonts ? pm_fonts_fallback_lang(s->fonts) : NULL; /* (see set_pages) */
    if (s->fonts && (strcmp(s->fonts_dir, fdir) || !pm_fonts_same(s->fonts, o->fonts_dir, r->spec->system_fonts) ||
                     (fl && !same_lang(fl, r->doc->meta.lang))))
        pm_session_forget_fonts(s);
    if (!s->fonts) {
        char *fd = pm_xstrdup(fdir);
        int rc = pm_fonts_open(fd, o->fonts_dir, r->spec->system_fonts, &s->fonts);
        free(s->fonts_dir);
        s->fonts_dir = fd;
        s->fonts_checked = 0;
        if (rc) return rc;
    }
    if (!s->fonts_checked) {
        int rc = check_fonts(s->fonts, r->spec);
        if (rc) {
            pm_spec_drop(s->spec); /* check it again next time */
            s->spec = NULL;
            r->spec = NULL;
            return rc;
        }
        s->fonts_checked = 1;
    }
    pm_timing("fonts");
    return PM_OK;
}

/* The paragraph setter, begun for this run: the session's, or a new one. */
static void begin_setter(run *r)
{
    pm_session *s = r->s;
    if (!s->set) {
        s->set = pm_setter_new(s->fonts, r->spec, r->spec->hyphenate ? s->hyph : NULL, r->doc->path);
        if (s->keep) pm_setter_keep_paragraphs(s->set);
    }
    pm_setter_begin_run(s->set, r->doc->path);
    pm_setter_lang(s->set, r->doc->meta.lang);
}

/* Hyphenation patterns for the document's language (they load on a thread meanwhile),
 * the fonts, and the paragraph setter, begun for this run with the image cache. */
static int prepare_setting(run *r)
{
    pm_session *s = r->s;
    const pm_doc *doc = r->doc;
    if (r->spec->hyphenate && (!s->hyph_lang || strcmp(s->hyph_lang, doc->meta.lang))) {
        pm_setter_drop(s->set);
        s->set = NULL;
        pm_hyph_drop(s->hyph);
        s->hyph = NULL;
        free(s->hyph_lang);
        s->hyph_lang = pm_xstrdup(doc->meta.lang);
        s->hyph = pm_hyph_load(s->hyph_lang, doc->path, 0);
    }
    int rc = load_fonts(r);
    if (rc) return rc;
    begin_setter(r);
    pm_imgcache_begin(s->images);
    return PM_OK;
}

/* The files this run writes (at most 5). */
static int run_outputs(const run *r, pm_output *outs)
{
    const pm_options *o = r->o;
    int n = 0;
    if (r->outpath) outs[n++] = (pm_output){o->output ? "-o" : "named after the source", "the PDF", r->outpath, 0};
    if (o->booklet) outs[n++] = (pm_output){"--booklet", "the booklet", o->booklet, 0};
    if (o->dump && strcmp(o->dump, "-")) outs[n++] = (pm_output){"--dump-layout", "the layout dump", o->dump, 0};
    if (o->png_dir) outs[n++] = (pm_output){"--png", "the page PNGs", o->png_dir, 1};
    if (o->spreads) outs[n++] = (pm_output){"--spreads", "the spreads PNG", o->spreads, 0};
    return n;
}

/* No output may overwrite an input or another output (outputs.h): before anything is
 * written, the content, the layout and the layouts it extends, the fonts; with images,
 * the images the pages asked for, before anything is put in place. Each run, so that
 * in watch mode an image added to the content later is checked too. */
static int check_outputs(const run *r, int images)
{
    pm_output outs[5];
    int nouts = run_outputs(r, outs);
    if (!nouts) return PM_OK;
    pm_input *ins = NULL;
    int nins = 0, fixed;
    if (images) {
        const char **paths;
        int n = pm_imgcache_paths(r->s->images, &paths);
        ins = pm_xcalloc((size_t)(n ? n : 1), sizeof *ins);
        for (int i = 0; i < n; i++) ins[nins++] = (pm_input){"an image", paths[i]};
        fixed = nins;
    } else {
        ins = pm_xcalloc((size_t)r->spec->nfiles + 1, sizeof *ins);
        ins[nins++] = (pm_input){"the content file", r->o->source};
        for (int i = 0; i < r->spec->nfiles; i++)
            ins[nins++] = (pm_input){i == r->spec->nfiles - 1 ? "the layout" : "a layout it extends", r->spec->files[i]};
        fixed = nins;
        if (r->s->fonts_dir) pm_inputs_add_folder(&ins, &nins, r->s->fonts_dir, "a file of the fonts folder");
    }
    int rc = pm_outputs_check(outs, nouts, ins, nins, !images);
    pm_inputs_free(ins, nins, fixed);
    return rc;
}

static int add_writer(run *r, pm_writer *w)
{
    if (!w) return PM_EIO; /* (after a diagnostic) */
    r->writers[r->nwriters++] = w;
    return PM_OK;
}

/* The reading PDF's writer: pamphlet's own (output/direct.c); PAMPHLET_WRITER=cairo
 * (tests, comparisons) the one cairo draws (output/pdf.c). */
static pm_writer *reading_writer(const char *path, const pm_finish *fin, int gray)
{
    const char *w = getenv("PAMPHLET_WRITER");
    return w && !strcmp(w, "cairo") ? pm_pdf_writer_new(path, fin, gray) : pm_direct_writer_new(path, fin, gray);
}

/* The reading PDF's objects made as its pages are drawn (pm_direct_early) for documents
 * whose model takes at most this much: Common Sense's 47 pages take 197 KB, 1917's 22
 * pages 83 KB, a 369-page book 1.7 MB (about 4 KB a page). Only in a session's first run:
 * a watch rebuild, whose pages are mostly kept, was slower with them (Common Sense's
 * one-word edit with the booklet 17.2 / 18.2 / 17.7 -> 18.3 / 18.5 / 19.1 ms, watchlat).
 * PAMPHLET_EARLY_OBJECTS=0, 1 or 2 (tests: see pm_direct_early) decides it whatever the
 * run and the size. */
#define EARLY_OBJECTS_DOC (512 * 1024)

/* A writer for each output asked for, the reading PDF first. */
static int open_writers(run *r)
{
    const pm_options *o = r->o;
    int rc = PM_OK;
    pm_writer *reading = NULL;
    /* the finishing pass's settings (output/finish.h); the writer keeps a copy */
    pm_finish fin = {.bleed = pm_spec_len(r->spec, r->spec->bleed, r->spec->page_w), .cmyk = r->spec->cmyk,
                     .ncmyk = o->gray ? 0 : r->spec->ncmyk, .gray = o->gray}; /* gray: cmyk() as grey too */
    fin.keep = o->booklet != NULL; /* the booklet imposes from it (impose/byref.c) */
    fin.print_shop = o->print_shop;
    fin.pdfx = o->pdfx;
    fin.src = r->doc->path;
    fin.cache = r->s->recoloured;
    pm_finish_cache_begin(fin.cache, &fin);
    fin.pdfx_epoch = -1;
    struct stat st;
    if (o->pdfx && r->doc->path && stat(r->doc->path, &st) == 0) fin.pdfx_epoch = (long long)st.st_mtime;
    if (o->print_shop && fin.bleed <= 0)
        pm_warn(r->spec->nfiles ? r->spec->files[r->spec->nfiles - 1] : "the layout", 0, 0,
                "--print-shop: the layout has no bleed, so nothing can print to the page edge; crop marks are "
                "drawn at the trim (give the layout page: bleed: 3mm)");
    const pm_finish *fp = o->no_finish ? NULL : &fin;
    const char *early = getenv("PAMPHLET_EARLY_OBJECTS"); /* (tests: 1 or 0 whatever the size) */
    pm_direct_early(early && *early ? atoi(early)
                                    : r->s->runs == 1 && pm_arena_used(r->doc->arena) <= EARLY_OBJECTS_DOC);
    if (r->outpath) {
        rc = add_writer(r, reading = reading_writer(r->outpath, fp, o->gray));
    } else if (o->booklet) { /* the booklet is imposed from a reading PDF: one made for it */
        if (!(rc = add_writer(r, reading = reading_writer(o->booklet, fp, o->gray)))) reading->scratch = 1;
    }
    r->reading = reading != NULL;
    if (!rc && o->booklet) {
        pm_booklet_opts bo;
        if ((rc = pm_options_booklet(o, r->spec, r->doc->meta.dir, &bo))) return rc;
        bo.quiet |= r->s->keep && r->s->ninputs > 0; /* watch mode: the how-to once */
        rc = add_writer(r, pm_booklet_writer_new(o->booklet, &bo, reading));
    }
    if (!rc && o->dump) rc = add_writer(r, pm_dump_writer_new(o->dump));
    if (!rc && o->png_dir) rc = add_writer(r, pm_png_writer_new(o->png_dir, o->dpi, o->gray));
    if (!rc && o->spreads) rc = add_writer(r, pm_spreads_writer_new(o->spreads, o->dpi, o->gray));
    return rc;
}

/* The writers that take the pages as they come: the reading PDF's, and the booklet's
 * after it. The others (the dump, PNGs, spreads) run when the layout is done, and read
 * every line of it. */
static int streamed(const run *r)
{
    if (!r->reading) return 0;
    return r->o->booklet && r->nwriters > 1 ? 2 : 1;
}

/* Build the pages. The reading PDF is drawn as they come, on a thread of its own (the
 * booklet is imposed from it once it is finished: finish_writers); when no writer reads
 * the layout after that, the lines of the pages drawn are released as the pages are built,
 * and the rest once the last is drawn. */
static int build_pages(run *r)
{
    pm_session *s = r->s;
    pdf_pipe pipe = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER, .room = PTHREAD_COND_INITIALIZER};
    pm_page_sink sink = {pipe_page, pipe_stop, NULL, &pipe};
    int piped = 0, nwr = streamed(r);
    if (nwr) {
        pipe.wr = r->writers;
        pipe.nwr = nwr;
        piped = pthread_create(&pipe.thread, NULL, pipe_run, &pipe) == 0;
    }
    if (piped && nwr == r->nwriters) sink.done = pipe_finished;
    pm_flow_args fa = {.set = s->set, .doc = r->doc, .spec = r->spec, .images = s->images, .sink = piped ? &sink : NULL,
                       .notes_in_place = r->notes_in_place};
    int rc = r->fit.pages || r->fit.preflight ? pm_flow_fit(&fa, &r->fit, &r->lay, &r->stats, &r->fitrep)
                                              : pm_flow_run(&fa, &r->lay, &r->stats);
    pm_timing("flow");
    /* libqpdf (the finishing pass, the booklet) loads now, beside the last pages' drawing
       and cairo's fonts: while the pages were built it took its 10 million instructions
       and 260 page faults from the two threads building and drawing them */
    if (piped) {
        if (!pipe.joined) {
            pthread_mutex_lock(&pipe.mu);
            pipe.done = 1;
            pthread_cond_signal(&pipe.cv);
            pthread_mutex_unlock(&pipe.mu);
            pthread_join(pipe.thread, NULL);
        }
        pm_timing("pdf pages");
        free(pipe.q);
        if (!rc) rc = pipe.rc;
        for (int w = 0; w < nwr && !rc; w++) {
            if (!pipe.begun && r->writers[w]->begin) rc = r->writers[w]->begin(r->writers[w], r->lay);
            if (!rc && r->writers[w]->end) rc = r->writers[w]->end(r->writers[w], r->lay);
        }
        if (!rc && sink.done) pm_layout_release_lines(r->lay, r->lay->nchunks); /* (every page is drawn) */
    }
    pm_timing("layout");
    r->ran = piped ? nwr : 0;
    return rc;
}

/* Footnotes numbered in the order they are printed: when a caption refers to a note, its
 * figure may float past text that refers to later notes (1, 2, 5, 3, 4 at the feet of the
 * pages, as LaTeX does), and notes named in a note follow it, over pages if it is long. A
 * layout is made first, quietly and drawn nowhere; if its notes come out of order the
 * document's notes are numbered again by it (the references' digits too), and the pages
 * are built from that. The new digits have other widths and may move a figure again, so
 * this goes on until a layout prints the notes in their order; nearly always the first
 * renumbering settles it. When NOTE_PASSES do not (the numbers chase each other: with
 * some numbers a figure floats, with the others it does not), the figures that name
 * notes are kept in place: the notes are then printed in reading order, which no page
 * break changes, so one more renumbering settles them for good.
 * PAMPHLET_NOTE_PASSES=N (tests) gives up after N passes instead. */
#define NOTE_PASSES 4
static int number_notes_by_page(run *r)
{
    if (!pm_doc_notes_may_reorder(r->doc)) return PM_OK;
    pm_flow_args fa = {.set = r->s->set, .doc = r->doc, .spec = r->spec, .images = r->s->images};
    int passes = NOTE_PASSES;
    const char *e = getenv("PAMPHLET_NOTE_PASSES");
    if (e && *e) passes = atoi(e) > 0 ? atoi(e) : 0;
    for (int pass = 0;; pass++) {
        if (pass == passes) fa.notes_in_place = r->notes_in_place = 1;
        pm_layout *lay = NULL;
        int was = pm_diag_quiet(1);
        int rc = pm_flow_run(&fa, &lay, NULL);
        pm_diag_quiet(was);
        if (rc) return rc; /* (an error is said even when quiet: once) */
        int changed = pm_doc_renumber_notes(r->doc, lay->note_order, lay->nnote_order);
        pm_layout_drop(lay);
        /* (in place, the first renumbering is the last: the order no longer depends on the
           digits) */
        if (!changed || pass >= passes) break;
    }
    pm_timing("notes");
    return PM_OK;
}

/* The page count a run wants: --pages over the layout's fit: section. */
static void fit_options(run *r)
{
    const pm_spec *sp = r->spec;
    int p = r->o->pages;
    r->fit = (pm_fit_opts){0};
    if (p == 0) p = sp->fit_pages ? sp->fit_pages : sp->fit_four ? PM_FIT_NEAREST : 0;
    if (p == 0 && r->o->preflight) { /* preflight says whether --pages fit would reach it */
        p = PM_FIT_NEAREST;
        r->fit.probe = 1;
    }
    if (p > 0 || p == PM_FIT_NEAREST) r->fit.pages = p;
    r->fit.runt = p == -2 ? 0 : sp->runt_lines;
    r->fit.preflight = r->o->preflight;
}

/* Whether the layout just built ends with a last page of only a few lines that a run of
 * pm_flow_fit should pull back (when no page count was asked for). */
static int runt(run *r)
{
    if (r->fit.pages || r->fit.preflight || r->fit.runt <= 0 || !r->lay) return 0;
    return pm_flow_last_lines(r->lay) < r->fit.runt && r->lay->npages > 2;
}

/* What fitting the page count did, on stderr (not with -q), and the preflight's word. */
static void report_fit(run *r)
{
    const pm_fit_report *f = &r->fitrep;
    if (!f->target || r->o->quiet) return;
    FILE *out = r->o->preflight ? stdout : stderr;
    if (r->o->preflight) fprintf(out, "  %-19s", r->o->pages ? "--pages:" : "--pages fit:");
    if (f->pages == f->target) {
        fprintf(out, "%s: %d pages %s %d", r->doc->path, f->natural, r->fit.probe ? "can be made" : "made", f->pages);
        for (int k = 0; k < f->nsteps; k++) fprintf(out, "%s%s", k ? "; " : ": ", f->steps[k]);
        fprintf(out, "\n");
    } else {
        fprintf(out, "%s: %d pages, and %d cannot be reached: %d line%s %s", r->doc->path, f->natural, f->target,
                abs(f->lines_over), abs(f->lines_over) == 1 ? "" : "s", f->lines_over > 0 ? "too many" : "too few");
        fprintf(out, "; a text area %d lines %s (page.margins), or %s, would reach it\n", abs(f->lines_over) / 10 + 1,
                f->lines_over > 0 ? "taller" : "shorter",
                f->lines_over > 0 ? "a smaller body size or leading" : "a larger body size or leading");
    }
}

/* The writers dropped and the layout with them, to build the pages again. */
static void drop_pages(run *r)
{
    for (int i = 0; i < r->nwriters; i++) r->writers[i]->drop(r->writers[i]);
    r->nwriters = 0;
    r->reading = 0;
    pm_layout_drop(r->lay);
    r->lay = NULL;
}

/* New writers, for the pages built again. */
static int start_again(run *r)
{
    drop_pages(r);
    return r->o->preflight ? PM_OK : open_writers(r);
}

/* Build the pages again, the writers opened anew; quietly: the first build said it all
 * (no warning twice; errors still show). */
static int rebuild(run *r)
{
    int rc = start_again(r);
    int was = pm_diag_quiet(1);
    if (!rc) rc = build_pages(r);
    pm_diag_quiet(was);
    return rc;
}

/* A layout fitted to a page count (or pulled back from a runt) is not the one the notes
 * were numbered by, and its figures may float otherwise: when its notes come out of
 * order, they are numbered by it and the pages built again; if that does not settle
 * them, figures that name notes are kept in place (as number_notes_by_page does), and
 * the order is the reading order, which one more numbering makes the numbers'. */
static int settle_fitted_notes(run *r)
{
    if (!(r->fit.pages || r->fit.runt > 0) || !pm_doc_notes_may_reorder(r->doc)) return PM_OK;
    int rc = PM_OK;
    for (int k = 0; !rc && r->lay && k < 4; k++) {
        if (!pm_doc_renumber_notes(r->doc, r->lay->note_order, r->lay->nnote_order)) break;
        if (k == 2) r->notes_in_place = 1;
        rc = rebuild(r);
    }
    return rc;
}

/* The pages, from the footnotes' numbers to a last page without a runt. */
static int lay_out(run *r)
{
    int rc = number_notes_by_page(r);
    if (!rc) {
        fit_options(r);
        rc = build_pages(r);
    }
    if (!rc && runt(r)) { /* a last page of a few lines: once more, pulled back */
        r->fit.pages = -3; /* (the natural count, without its runt) */
        rc = rebuild(r);
    }
    return rc ? rc : settle_fitted_notes(r);
}

/* The pages; and if the text has characters no font of the layout has, set again with
 * the fonts installed on this machine that have them (the last resort, text/fonts.h),
 * its messages held back until then so that none comes twice. In watch mode the
 * session keeps those fonts (a character gets the font a fresh run would give it), for
 * the document's language: another language opens the fonts again (load_fonts). */
static int set_pages(run *r)
{
    pm_session *s = r->s;
    pm_diag_hold();
    int rc = lay_out(r);
    if (rc || !pm_setter_find_fallbacks(s->set, r->doc->meta.lang)) {
        pm_diag_release(1);
        return rc;
    }
    pm_diag_release(0);
    pm_timing("fallback");
    drop_pages(r); /* what holds the fonts first: the new setter makes a new font map */
    pm_setter_drop(s->set);
    s->set = NULL;
    begin_setter(r);
    rc = start_again(r);
    return rc ? rc : lay_out(r);
}

/* --preflight: what a run would make, and nothing written. */
static int preflight(run *r)
{
    pm_booklet_opts bo;
    pm_imposition im = {0};
    int brc = pm_options_booklet(r->o, r->spec, r->doc->meta.dir, &bo);
    if (!brc) brc = pm_booklet_preflight(r->lay, &bo, &im);
    preflight_report(r->o, r->doc, r->spec, r->lay, &r->stats, &bo, brc, &im, r->warnings_before,
                     r->fitrep.natural, r->s->fonts);
    pm_imposition_free(&im);
    report_fit(r);
    printf("  nothing was written%s\n", r->o->output || r->o->booklet ? " (-o and --booklet are ignored)" : "");
    return pm_diag_errors() ? PM_EINPUT : PM_OK;
}

/* A session of one run sets no more paragraphs once its layout is dropped, and draws no
 * image again: the paragraph setter (its shaped words: 2.4 MB of the 400-page book's),
 * the images (the cover photo's 2.6 MB, which the reading PDF's writer lets go once the
 * finishing pass has given them to libqpdf), the fonts and the hyphenation patterns
 * (their files' pages: 0.6 MB) go before the passes, whose writing of the PDF is the
 * run's peak. */
static void forget_setting(run *r)
{
    pm_session *s = r->s;
    if (s->keep) return;
    pm_session_forget_fonts(s); /* (the setter first: it holds the fonts) */
    pm_hyph_drop(s->hyph);
    s->hyph = NULL;
    pm_imgcache_clear(s->images);
}

/* The writers that did not run while the pages were built, then every file
 * post-processed and put in place: the booklet is imposed from the finished reading PDF
 * in its pass (dev_booklet.c). The layout goes first, when every writer is done with it:
 * the finishing pass holds the whole PDF (the pages' items were 9 MB of a 400-page
 * book's). */
static int finish_writers(run *r)
{
    int rc = PM_OK;
    for (int i = r->ran; i < r->nwriters && !rc; i++) {
        rc = pm_writer_run(r->writers[i], r->lay);
        pm_timing(r->writers[i]->name);
    }
    if (rc) return rc;
    r->npages = r->lay->npages;
    r->laid = 1;
    pm_layout_drop(r->lay);
    r->lay = NULL;
    forget_setting(r);
    return pm_writers_commit(r->writers, r->nwriters);
}

/* Release what the run made and keep what the session keeps: the inputs to watch, the
 * images and paragraphs still in use. */
static void end_run(run *r, int rc, pm_run_info *info)
{
    pm_session *s = r->s;
    for (int i = 0; i < r->nwriters; i++) r->writers[i]->drop(r->writers[i]);
    pm_qpdf_release_deferred();
    pm_timing("commit");
    if (r->lay) {
        r->npages = r->lay->npages;
        r->laid = 1;
    }
    if (info && r->laid) info->pages = (int)r->npages;
    if (s->set) {
        if (info) pm_setter_counts(s->set, &info->paragraphs_set, &info->paragraphs_cached);
        if (r->laid) pm_setter_end_run(s->set);
    }
    /* what to watch: after a failure, at least the content and the last layout */
    if (r->doc || !s->ninputs) set_inputs(s, r->o->source, r->laid ? r->spec : s->spec);
    free(r->outpath);
    pm_layout_drop(r->lay);
    if (r->laid || rc) pm_imgcache_sweep(s->images);
    if (r->laid) pm_finish_cache_sweep(s->recoloured);
    if (r->spec && r->spec != s->spec) pm_spec_drop(r->spec);
    pm_doc_drop(r->doc);
    pm_timing("cleanup");
}

int pm_session_render(pm_session *s, const pm_options *o, pm_run_info *info)
{
    double t0 = pm_now_ms();
    run r = {.s = s, .o = o, .warnings_before = pm_diag_warnings()};
    s->runs++;
    if (info) memset(info, 0, sizeof *info);
    pm_timing("start");
    /* libqpdf (it builds and writes the PDFs) loads on a thread of its own from the start:
       its 10 million instructions beside the parse and the flow, whose drawing leaves the
       other processor half idle now (our own writer's pages: a sixth of cairo's work);
       loaded after the flow it held up the fonts' subsetting there, 3 ms of Common
       Sense's 85 */
    pm_fonts_warm(); /* (before libqpdf's loading, which holds up the making of threads) */
    if (o->booklet || (!o->no_pdf && !o->preflight)) pm_qpdf_preload();
    int rc = load_content_and_layout(&r);
    if (!rc) rc = prepare_setting(&r);
    if (!rc && !o->preflight) {
        if (!o->no_pdf) r.outpath = o->output ? pm_xstrdup(o->output) : default_output(o->source);
        rc = check_outputs(&r, 0);
        if (!rc) rc = open_writers(&r);
    }
    if (!rc) rc = set_pages(&r);
    if (!rc) pm_setter_summary(s->set); /* characters no font has: one warning */
    if (!rc && !o->preflight) report_fit(&r);
    if (!rc && !o->preflight) rc = check_outputs(&r, 1);
    if (!rc) rc = o->preflight ? preflight(&r) : finish_writers(&r);
    end_run(&r, rc, info);
    if (info) info->ms = pm_now_ms() - t0;
    return rc;
}

int pm_render(const pm_options *o)
{
    pm_session *s = pm_session_new(0, o->gray);
    pm_qpdf_leave_to_exit(1); /* the program ends after this run (qpdf_api.h) */
    int rc = pm_session_render(s, o, NULL);
    pm_session_drop(s);
    return rc;
}
