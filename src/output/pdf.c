/* pdf.c - the reading PDF: one page per frame, with metadata, outline (bookmarks),
 * page labels, links, named destinations and a structure tree (tagged PDF: headings,
 * paragraphs, figures, captions, notes, lists L/LI/Lbl/LBody, tables Table/TR/TH/TD); the bleed around the
 * page when the layout asks for it (output/finish.h). */
#define _GNU_SOURCE /* mremap */
#include <cairo-pdf.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "output/writer.h"
#include "output/finish.h"
#include "output/finish_cache.h"
#include "output/glyphset.h"
#include "output/paint.h"
#include "output/pdfstruct.h"
#include "base/diag.h"
#include "base/fileio.h"
#include "base/version.h"
#include "text/fonts.h"

typedef struct {
    pm_writer super;
    pm_outfile out;
    FILE *fp;               /* without the finishing pass: the temporary file */
    unsigned char *mem;     /* with it: the PDF as cairo wrote it, held in memory for the
                               pass (pm_outfile_hold) until drop, in a mapping of its own
                               (mem_put), but for its holes (leave_hole) */
    size_t nmem, capmem;
    pm_outfile_hole *holes; /* the photos' bytes left out of mem, in order */
    pm_image **hole_imgs;   /* each hole's image, a reference: it holds the bytes */
    int nholes, capholes;
    size_t scanned;         /* how far the finishing cache has read mem */
    cairo_surface_t *surface;
    cairo_t *cr;
    double w, h;            /* current page size of the surface */
    const pm_page *pending; /* given, not drawn yet */
    pm_image_sources *images; /* this writer's own (see image.h) */
    int outline[4]; /* current outline parent per level */
    int tagged;     /* the "Document" structure tag has begun */
    pm_finish fin;  /* the finishing pass's settings (fin.bleed: pages this much larger) */
    const char **alts; /* each tagged figure's description, in order (fin.alts) */
    int nalts, capalts;
    pm_finish_image *fimages; /* the decoded images painted (fin.images) */
    int paint_flags;
    int ended;
    pm_glyphset *glyphs; /* the glyphs drawn so far, and their ink */
} pdf_writer;

void pm_pdf_set_metadata(cairo_surface_t *s, const pm_layout *lay)
{
    if (lay->title) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, lay->title);
    if (lay->author) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, lay->author);
    if (lay->subject) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, lay->subject);
    if (lay->keywords) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_KEYWORDS, lay->keywords);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "pamphlet " PM_VERSION);
    /* never the wall clock: SOURCE_DATE_EPOCH if set, else no date at all */
    if (lay->epoch >= 0) {
        time_t t = (time_t)lay->epoch;
        struct tm tm;
        char buf[32];
        gmtime_r(&t, &tm);
        strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, buf);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, buf);
    } else {
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, NULL);
    }
}

void pm_pdf_content_for_finishing(void) { setenv("CAIRO_DEBUG_PDF", "1", 1); }

/* Append to mem. It grows as a mapping the kernel enlarges in place or moves without
 * copying (mremap), not as a heap block copied to one twice its size (open_memstream):
 * cairo's output for a 400-page book (6 MB) was then held two or three times over while
 * it grew, and the room not written yet takes no memory. */
static int mem_room(pdf_writer *d, size_t len)
{
    if (d->nmem + len > d->capmem) {
        size_t cap = d->capmem ? d->capmem : 1 << 20;
        while (cap < d->nmem + len) cap *= 2;
        void *p = d->mem ? mremap(d->mem, d->capmem, cap, MREMAP_MAYMOVE)
                         : mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return -1;
        d->mem = p;
        d->capmem = cap;
    }
    return 0;
}

static int mem_put(pdf_writer *d, const unsigned char *data, size_t len)
{
    if (mem_room(d, len)) return -1;
    memcpy(d->mem + d->nmem, data, len);
    d->nmem += len;
    return 0;
}

/* A passthrough JPEG's bytes are not copied into mem: their run of it is left unwritten
 * (pages of the mapping never touched take no memory) and its image kept, which holds the
 * bytes; the finishing pass gives libqpdf the XObject's data from there (finish.c). A 2.6
 * MB cover photo was held three times while the pass wrote the PDF: by its image, in mem,
 * and as libqpdf read it from mem, growing a buffer by doubling. cairo writes a JPEG's
 * bytes in one piece, as they were given to it (pm_img_attach_mime); smaller ones, which
 * would save little, are copied. 0 if left out. */
#define HOLE_MIN (64 * 1024)
static int leave_hole(pdf_writer *d, const unsigned char *data, size_t len)
{
    pm_image *img = len >= HOLE_MIN ? pm_image_sources_jpeg(d->images, data, len) : NULL;
    if (!img || mem_room(d, len)) return -1;
    if (d->nholes == d->capholes) {
        d->capholes = d->capholes * 2 + 4;
        d->holes = pm_xrealloc(d->holes, (size_t)d->capholes * sizeof *d->holes);
        d->hole_imgs = pm_xrealloc(d->hole_imgs, (size_t)d->capholes * sizeof *d->hole_imgs);
    }
    d->holes[d->nholes] = (pm_outfile_hole){d->nmem, len, data};
    d->hole_imgs[d->nholes++] = pm_image_keep(img);
    d->nmem += len;
    return 0;
}

static cairo_status_t write_fn(void *closure, const unsigned char *data, unsigned int len)
{
    pdf_writer *d = closure;
    int ok = d->fp ? fwrite(data, 1, len, d->fp) == len : leave_hole(d, data, len) == 0 || mem_put(d, data, len) == 0;
    return ok ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static int pdf_begin(pm_writer *wr, const pm_layout *lay)
{
    pdf_writer *d = (pdf_writer *)wr;
    d->fin.lang = lay->lang; /* the surface is made with the first page, at its size */
    return PM_OK;
}

/* Whether drawing item it puts any mark on the page: cairo drops glyphs without ink
 * (spaces), so a line of spaces does not count. A line's glyphs must have been loaded
 * (pm_glyphset_load, in draw). */
static int item_has_ink(pdf_writer *d, const pm_fitem *it)
{
    if ((it->kind == PM_FI_IMAGE || it->kind == PM_FI_RULE || it->kind == PM_FI_BOX || it->kind == PM_FI_VRULE ||
         it->kind == PM_FI_FILL || it->kind == PM_FI_QR) && it->w > 0)
        return 1;
    return it->kind == PM_FI_LINE && pm_glyphset_inked(d->glyphs, it);
}

static int page_has_ink(pdf_writer *d, const pm_page *pg)
{
    for (size_t i = 0; i < pg->nitems; i++)
        if (item_has_ink(d, &pg->items[i])) return 1;
    return 0;
}

/* With bleed, an image touching an edge of the trimmed page reaches on into the bleed:
 * its rectangle grown by the bleed on those sides (r: x0 y0 x1 y1). 0 if it touches none. */
static int bleed_rect(const pm_page *pg, const pm_fitem *it, double b, double r[4])
{
    const double eps = 0.5;
    int l = it->x <= eps, t = it->y <= eps, rt = it->x + it->w >= pg->w - eps, bt = it->y + it->h >= pg->h - eps;
    r[0] = it->x - (l ? b : 0);
    r[1] = it->y - (t ? b : 0);
    r[2] = it->x + it->w + (rt ? b : 0);
    r[3] = it->y + it->h + (bt ? b : 0);
    return l || t || rt || bt;
}

/* The structure elements open while a page is painted: list and table elements
 * (frame.h, outermost first) and, in the innermost, a leaf element (a paragraph, a
 * heading, a label...) with its key. */
#define SDEPTH 64
typedef struct {
    const pm_snode *el[SDEPTH];
    int n;
    const char *leaf;
    int key;
} sopen;

/* Close the leaf and the elements from depth n in. */
static void close_to(cairo_t *cr, sopen *o, int n)
{
    if (o->leaf) cairo_tag_end(cr, o->leaf);
    o->leaf = NULL;
    while (o->n > n) cairo_tag_end(cr, o->el[--o->n]->role);
}

/* Open the elements from the outermost to sn not open yet, closing those sn is not in
 * (and the leaf, unless sn is the innermost element open). */
static void open_path(cairo_t *cr, sopen *o, const pm_snode *sn)
{
    const pm_snode *path[SDEPTH];
    int n = 0, k = 0;
    for (const pm_snode *s = sn; s && n < SDEPTH; s = s->up) path[n++] = s;
    while (k < o->n && k < n && o->el[k] == path[n - 1 - k]) k++;
    if (k < o->n || k < n) close_to(cr, o, k);
    for (; k < n; k++) {
        cairo_tag_begin(cr, path[n - 1 - k]->role, "");
        o->el[o->n++] = path[n - 1 - k];
    }
}

/* Tag item i of pg (a copy in it) before it is painted: the list and table elements it is
 * in, and its leaf element. */
static void tag_item(pdf_writer *d, sopen *o, const pm_page *pg, size_t i, const pm_fitem *it, int drawn)
{
    int key = 0;
    const char *st = item_has_ink(d, it) ? pm_struct_of(pg, i, &key) : NULL;
    /* cairo 1.16 fails (a tag error) when an element opens a page with an image */
    if (it->kind == PM_FI_IMAGE && !drawn) st = NULL;
    /* destinations, and running heads and feet, outside any element */
    if (it->kind == PM_FI_DEST || (it->kind == PM_FI_LINE && (it->flags & PM_FL_RUNNING) && item_has_ink(d, it))) {
        close_to(d->cr, o, 0);
        return;
    }
    if (!st) return;
    const pm_snode *path = it->kind == PM_FI_LINE ? it->sn : NULL;
    if (path && (it->flags & PM_FL_MARKER) && !strcmp(path->role, "LBody")) path = path->up; /* Lbl in LI */
    if (pm_struct_is_cell(it)) st = NULL; /* the cell's lines in the cell itself */
    else if (!path && (it->flags & PM_FL_CELL)) { /* a header repeated on a page: no element */
        close_to(d->cr, o, 0);
        return;
    }
    open_path(d->cr, o, path);
    if (!st || (o->leaf && !strcmp(st, o->leaf) && key == o->key && strcmp(st, "Figure") && strcmp(st, "Lbl")))
        return;
    if (o->leaf) cairo_tag_end(d->cr, o->leaf);
    cairo_tag_begin(d->cr, st, "");
    if (it->kind == PM_FI_IMAGE) { /* its /Alt comes in the finishing pass */
        if (d->nalts == d->capalts)
            d->alts = pm_xrealloc(d->alts, (size_t)(d->capalts = d->capalts * 2 + 8) * sizeof *d->alts);
        d->alts[d->nalts++] = it->title;
    }
    o->leaf = st;
    o->key = key;
}

/* Paint item it (one: a page of it alone); with bleed b, an image or a colour field
 * touching the trim edge reaches on into the bleed: a field grown, an image scaled up
 * about the centre of its rectangle (or of the part of it that shows) grown into the
 * bleed, to cover it, and clipped to it. */
static void paint_bled(pdf_writer *d, const pm_page *one, pm_fitem *it, const pm_page *pg, double b)
{
    double r[4];
    pm_fitem area = *it;
    if (it->clip) {
        area.x = it->clip->x;
        area.y = it->clip->y;
        area.w = it->clip->w;
        area.h = it->clip->h;
    }
    if ((it->kind != PM_FI_IMAGE && it->kind != PM_FI_FILL) || area.w <= 0 || area.h <= 0 || it->w <= 0 ||
        it->h <= 0 || b <= 0 || !bleed_rect(pg, &area, b, r)) {
        pm_paint_page(d->cr, one, d->images, d->paint_flags);
        return;
    }
    pm_rect clip = {r[0], r[1], r[2] - r[0], r[3] - r[1]};
    if (it->kind == PM_FI_FILL) {
        it->x = clip.x;
        it->y = clip.y;
        it->w = clip.w;
        it->h = clip.h;
        pm_paint_page(d->cr, one, d->images, d->paint_flags);
        return;
    }
    double s = fmax(clip.w / it->w, clip.h / it->h);
    it->w *= s;
    it->h *= s;
    it->x = clip.x + (clip.w - it->w) / 2;
    it->y = clip.y + (clip.h - it->h) / 2;
    if (it->clip) it->clip = &clip;
    cairo_save(d->cr);
    cairo_rectangle(d->cr, clip.x, clip.y, clip.w, clip.h);
    cairo_clip(d->cr);
    pm_paint_page(d->cr, one, d->images, d->paint_flags);
    cairo_restore(d->cr);
}

/* Paint pg's items in the order ord (paint_order), tagged, with bleed as paint_bled says. */
static void paint_page(pdf_writer *d, const pm_page *pg, const size_t *ord)
{
    double b = d->fin.bleed;
    pm_page one = *pg;
    one.nitems = 1;
    sopen o = {.n = 0};
    int drawn = 0;
    for (size_t k = 0; k < pg->nitems; k++) {
        size_t i = ord[k];
        pm_fitem it = pg->items[i];
        one.items = &it;
        tag_item(d, &o, pg, i, &it, drawn);
        drawn |= item_has_ink(d, &it);
        paint_bled(d, &one, &it, pg, b);
    }
    close_to(d->cr, &o, 0);
}

/* Draw page pg and end it; last: it is the document's last page. */
static int draw(pdf_writer *d, const pm_layout *lay, const pm_page *pg, int last)
{
    double b = d->fin.bleed, pw = pg->w + 2 * b, ph = pg->h + 2 * b;
    if (!d->surface) {
        d->surface = cairo_pdf_surface_create_for_stream(write_fn, d, pw, ph);
        d->w = pw;
        d->h = ph;
        cairo_pdf_surface_restrict_to_version(d->surface, CAIRO_PDF_VERSION_1_5);
        pm_pdf_set_metadata(d->surface, lay);
        d->cr = cairo_create(d->surface);
        d->glyphs = pm_glyphset_new();
    }
    /* the glyphs new to the document loaded in the order they are painted (glyphset.h) */
    size_t *ord = pm_xmalloc((pg->nitems + 1) * sizeof *ord);
    pm_struct_paint_order(pg, ord);
    for (size_t k = 0; k < pg->nitems; k++) pm_glyphset_load(d->glyphs, d->cr, &pg->items[ord[k]]);
    /* Structure around everything: cairo 1.16 writes link annotations that point into a
       structure tree it only writes when the document has structure tags. It begins on
       the first page with ink: cairo 1.16 aborts (an assertion) when a structure tag
       begins on a page where nothing is drawn, as on a cover with an empty title. */
    if (!d->tagged && page_has_ink(d, pg)) {
        cairo_tag_begin(d->cr, "Document", "");
        d->tagged = 1;
    }
    /* only when the size changes: in cairo 1.16 set_size also breaks the structure tree
       that link annotations point into */
    if (pw != d->w || ph != d->h) {
        cairo_pdf_surface_set_size(d->surface, pw, ph);
        d->w = pw;
        d->h = ph;
    }
    if (pg->label) cairo_pdf_surface_set_page_label(d->surface, pg->label);
    cairo_save(d->cr);
    cairo_translate(d->cr, b, b); /* the trimmed page inside the bleed, as it was */
    paint_page(d, pg, ord);
    cairo_restore(d->cr);
    free(ord);
    for (size_t i = 0; i < pg->nitems; i++) {
        const pm_fitem *it = &pg->items[i];
        if (it->kind != PM_FI_DEST || it->level < 1 || !it->title) continue;
        int lv = it->level > 3 ? 3 : it->level;
        char link[600];
        snprintf(link, sizeof link, "dest='%s'", it->str);
        int parent = lv == 1 ? CAIRO_PDF_OUTLINE_ROOT : d->outline[lv - 1];
        d->outline[lv] = cairo_pdf_surface_add_outline(d->surface, parent, it->title, link,
                                                      lv == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
        for (int k = lv + 1; k < 4; k++) d->outline[k] = d->outline[lv];
    }
    if (last && d->tagged) cairo_tag_end(d->cr, "Document"); /* it must end before the last page does */
    cairo_show_page(d->cr);
    /* the page's content is written: recolour it now, beside the layout (finish_cache.h) */
    if (d->fin.cache && d->mem) pm_finish_cache_scan(d->fin.cache, d->mem, d->nmem, &d->scanned, &d->fin);
    if (!cairo_status(d->cr)) return PM_OK;
    pm_error(d->out.path, 0, 0, "cairo could not draw page %d: %s", pg->index + 1, cairo_status_to_string(cairo_status(d->cr)));
    return PM_EIO;
}

/* Pages are drawn one behind: whether a page is the last is known only when the next
 * one comes, or end(). */
static int pdf_page(pm_writer *wr, const pm_layout *lay, const pm_page *pg)
{
    pdf_writer *d = (pdf_writer *)wr;
    int rc = d->pending ? draw(d, lay, d->pending, 0) : PM_OK;
    d->pending = pg;
    return rc;
}

static int pdf_end(pm_writer *wr, const pm_layout *lay)
{
    pdf_writer *d = (pdf_writer *)wr;
    if (d->pending) {
        int rc = draw(d, lay, d->pending, 1);
        d->pending = NULL;
        if (rc) return rc;
    }
    if (!d->surface) { /* no pages at all */
        pm_error(d->out.path, 0, 0, "nothing to write: the document has no pages");
        return PM_EINPUT;
    }
    cairo_destroy(d->cr);
    d->cr = NULL;
    cairo_surface_finish(d->surface);
    cairo_status_t st = cairo_surface_status(d->surface);
    cairo_surface_destroy(d->surface);
    d->surface = NULL;
    d->fin.alts = d->alts;
    d->fin.nalts = d->nalts;
    pm_image **imgs;
    int nimgs = pm_image_sources_images(d->images, &imgs);
    free(d->fimages);
    d->fimages = pm_xcalloc((size_t)(nimgs ? nimgs : 1), sizeof *d->fimages);
    d->fin.nimages = 0;
    for (int i = 0; i < nimgs; i++) {
        pm_finish_image *e = &d->fimages[d->fin.nimages++];
        pm_image_stored_size(imgs[i], &e->w, &e->h);
        e->icc = pm_image_icc(imgs[i], &e->icc_len);
        e->jpeg_bytes = pm_image_is_passthrough(imgs[i]) ? pm_image_jpeg_bytes(imgs[i], &e->describe) : 0;
    }
    free(imgs);
    d->fin.images = d->fimages;
    int bad = d->fp && fclose(d->fp) != 0;
    d->fp = NULL;
    if (st || bad) {
        pm_error(d->out.path, 0, 0, "cannot write the PDF: %s", st ? cairo_status_to_string(st) : "write error");
        pm_outfile_abort(&d->out);
        return PM_EIO;
    }
    if (d->mem) {
        pm_outfile_hold(&d->out, d->mem, d->nmem);
        pm_outfile_hold_holes(&d->out, d->holes, d->nholes);
    }
    return PM_OK;
}

/* The finishing pass has the images' bytes (filled holes) and descriptions: the writer's
 * sources (cairo's surface, which referenced them, is gone) and holes let them go. */
static void images_taken(void *ud)
{
    pdf_writer *d = ud;
    pm_image_sources_drop(d->images);
    d->images = NULL;
    for (int i = 0; i < d->nholes; i++) pm_image_drop(d->hole_imgs[i]);
    d->nholes = 0; /* (the pass read them: the held bytes are its no more) */
}

/* A page's content in mem the finishing pass has replaced (libqpdf holds it recoloured):
 * its whole pages of the mapping are given back, as if never written (2.4 MB of the
 * 400-page book's 3.2 while the PDF was written; the rest are the pages shared with the
 * objects around). Nothing reads them again: the pass's file is the finished one. */
static void content_taken(void *ud, size_t at, size_t n)
{
    pdf_writer *d = ud;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), lo = (uintptr_t)(d->mem + at), hi = lo + n;
    lo = (lo + page - 1) / page * page;
    hi = hi / page * page;
    if (d->mem && at + n <= d->nmem && hi > lo) madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

/* pm_pdf_check_pass: a PDF header at the start, %%EOF in the last kilobyte. */
static int check_pdf(void *ud, const pm_outfile *in, const char *out, const char *dest)
{
    (void)ud;
    (void)out;
    FILE *f = in->mem ? NULL : fopen(in->tmp, "rb");
    char head[5], tail[1024];
    size_t n = 0;
    int whole = 0, opened = in->mem || f;
    if (in->mem && in->nmem >= 5) { /* (through pm_outfile_read: mem may have holes) */
        pm_outfile_read(in, 0, head, 5);
        n = in->nmem < sizeof tail ? in->nmem : sizeof tail;
        pm_outfile_read(in, in->nmem - n, tail, n);
        if (memcmp(head, "%PDF-", 5)) n = 0;
    } else if (f && fread(head, 1, 5, f) == 5 && !memcmp(head, "%PDF-", 5)) {
        if (fseek(f, -(long)sizeof tail, SEEK_END) < 0) rewind(f);
        n = fread(tail, 1, sizeof tail, f);
    }
    for (size_t i = 0; i + 5 <= n && !whole; i++) whole = !memcmp(tail + i, "%%EOF", 5);
    if (f) fclose(f);
    if (whole) return PM_PASS_SAME;
    pm_error(dest, 0, 0, "the PDF came out incomplete (%s); the previous file is kept",
             !opened ? strerror(errno) : n ? "no %%EOF at its end" : "no PDF header");
    return PM_EIO;
}

const pm_pass pm_pdf_check_pass = {"pdf-check", check_pdf, NULL, 1};

static int pdf_commit(pm_writer *wr)
{
    pdf_writer *d = (pdf_writer *)wr;
    d->ended = 1;
    return pm_outfile_commit(&d->out);
}

static void pdf_drop(pm_writer *wr)
{
    pdf_writer *d = (pdf_writer *)wr;
    if (d->cr) cairo_destroy(d->cr);
    if (d->surface) {
        cairo_surface_finish(d->surface);
        cairo_surface_destroy(d->surface);
    }
    if (d->fp) fclose(d->fp);
    if (!d->ended) pm_outfile_abort(&d->out);
    pm_image_sources_drop(d->images);
    pm_finish_release(d->super.finished); /* it may read mem */
    if (d->mem) munmap(d->mem, d->capmem);
    for (int i = 0; i < d->nholes; i++) pm_image_drop(d->hole_imgs[i]);
    free(d->holes);
    free(d->hole_imgs);
    free(d->alts);
    pm_glyphset_free(d->glyphs);
    free(d->fimages);
    free(d);
}

pm_writer *pm_pdf_writer_new(const char *path, const pm_finish *fin, int gray)
{
    pdf_writer *d = pm_xcalloc(1, sizeof *d);
    /* with the finishing pass, cairo writes into memory and the pass reads from there:
       the file would be written, then read with a seek per object (a third of the pass) */
    if (fin ? pm_outfile_begin(&d->out, path) : !(d->fp = pm_outfile_open(&d->out, path, "PDF"))) {
        pm_outfile_abort(&d->out);
        free(d);
        return NULL;
    }
    d->images = pm_image_sources_new();
    d->paint_flags = PM_PAINT_TAGS | PM_PAINT_VECTOR | (gray ? PM_PAINT_GRAY : 0);
    d->super.name = "pdf";
    d->super.begin = pdf_begin;
    d->super.page = pdf_page;
    d->super.end = pdf_end;
    d->super.commit = pdf_commit;
    d->super.drop = pdf_drop;
    d->super.out = &d->out;
    pm_writer_add_pass(&d->super, pm_pdf_check_pass);
    if (fin) {
        d->fin = *fin;
        d->fin.kept = &d->super.finished;
        d->fin.images_taken = images_taken;
        d->fin.content_taken = content_taken;
        d->fin.images_ud = d;
        pm_writer_add_pass(&d->super, pm_finish_pass(&d->fin));
    }
    return &d->super;
}
