/* writer.h - document writers: where laid-out pages go.
 *
 * As MuPDF's fz_document_writer, a writer is a small struct of function pointers; every
 * output (the reading PDF, the imposed booklet, PNG proofs, the text dump) is one, and
 * they all read the same immutable page frames. A writer's life:
 *
 *   begin, page (each page), end   the file is written to a temporary beside its place;
 *                                  the frames are read only here (the layout is gone
 *                                  before the passes run, and a page's lines may be gone
 *                                  once the next page is given: layout/frame.h)
 *   post                           passes over the finished temporary file may rewrite
 *                                  it (each into a new temporary: pm_outfile_pass)
 *   commit                         the file is renamed into place
 *   drop                           release; without commit the previous file stays
 *
 * The caller commits only when every writer has finished and been post-processed, so a
 * failure anywhere leaves every previous output untouched.
 * Painting a frame with cairo, shared by the writers that draw, is in output/paint.h. */
#ifndef PM_WRITER_H
#define PM_WRITER_H

#include "base/fileio.h"
#include "layout/frame.h"

#define PM_WRITER_MAX_PASSES 4

typedef struct pm_writer pm_writer;
struct pm_writer {
    const char *name;
    int (*begin)(pm_writer *w, const pm_layout *lay);
    int (*page)(pm_writer *w, const pm_layout *lay, const pm_page *page);
    int (*end)(pm_writer *w, const pm_layout *lay); /* finish writing (to a temporary file) */
    int (*commit)(pm_writer *w);                    /* put the finished file in place */
    void (*drop)(pm_writer *w);                     /* release; without commit() the previous
                                                       file stays as it was */
    /* Post-processing: the one file the writer makes (NULL: none that passes apply to)
       and the passes run over it in order between end() and commit(). */
    pm_outfile *out;
    pm_pass passes[PM_WRITER_MAX_PASSES];
    int npasses;
    int scratch; /* its file is made only for a later writer's pass (the reading PDF a
                    booklet is imposed from when no reading PDF was asked for): posted,
                    never committed; drop() removes it */
    int posted; /* the passes have run (pm_writer_post runs them once) */
    struct _qpdf_data *finished; /* the finished file as libqpdf holds it, when the
                                    finishing pass was asked to keep it (pm_finish.keep):
                                    a later writer's pass reads it instead of parsing the
                                    file again; the writer releases it in drop() */
};

/* begin, every page, end (not commit). Returns PM_OK or the first error. */
int pm_writer_run(pm_writer *w, const pm_layout *lay);

/* Add a pass to run over w's finished file (w must have one: w->out). At most
 * PM_WRITER_MAX_PASSES. */
void pm_writer_add_pass(pm_writer *w, pm_pass pass);
/* Run w's passes over its finished file, once: a later call returns PM_OK at once (the
 * reading PDF is post-processed while the booklet is still being drawn). PM_OK, or the
 * first pass's error (w's temporary file is then gone; drop w without commit). */
int pm_writer_post(pm_writer *w);
/* The end of a run whose writers have all ended: post-process every writer's file in
 * order (so a writer's passes may read the finished file of a writer before it), and
 * only when every pass succeeded, commit them all in order (scratch writers excepted).
 * Returns PM_OK or the first error. */
int pm_writers_commit(pm_writer *const *w, int n);

/* The writers. Each returns NULL (after a diagnostic) if the file cannot be started. */
/* fin: the finishing pass's settings (output/finish.h; the language is taken from the
 * layout), or NULL to leave the PDF as cairo writes it. gray (--gray): every colour is
 * painted gray (output/paint.h). */
struct pm_finish;
pm_writer *pm_pdf_writer_new(const char *path, const struct pm_finish *fin, int gray);
/* Every reading PDF this process writes will be finished (finish.h): cairo may then write
 * page content uncompressed (its CAIRO_DEBUG_PDF switch, read when a PDF surface is
 * made), since the finishing pass reads the content, recolours it and compresses it
 * once; compressed by cairo, it was inflated again at once (a tenth of the drawing
 * thread's work). Call before any thread starts: it sets the environment. */
void pm_pdf_content_for_finishing(void);
/* The reading PDF written by pamphlet itself (direct.c; the default: PAMPHLET_WRITER=cairo
 * asks for cairo's); fin and gray as pm_pdf_writer_new's. */
pm_writer *pm_direct_writer_new(const char *path, const struct pm_finish *fin, int gray);
/* Whether the direct writer keeps its pages' content, pictures and fonts for a next run
 * (a watch session) or lets each go once the PDF has it (a one-shot run: the default). */
void pm_direct_keep(int yes);
/* Whether the direct writer makes each page's PDF objects (its content, structure
 * elements, links and pictures, with libqpdf) on the drawing thread as the page is drawn,
 * beside the layout of the pages to come, instead of all at the end: 5.5 of Common
 * Sense's 6 ms after its layout. Those objects then live beside the layout's memory,
 * a few MB for a short document but 4 more at the peak of a 400-page book with a photo
 * on its cover: the renderer asks for it for documents up to about a hundred pages, in
 * a session's first run (a watch rebuild keeps most pages and was slower with it).
 * yes = 2 (tests): libqpdf is waited for at the first page, so that every page's are. */
void pm_direct_early(int yes);
pm_writer *pm_dump_writer_new(const char *path); /* "-" = standard output */
pm_writer *pm_png_writer_new(const char *dir, double dpi, int gray); /* gray: as the PDF's */
pm_writer *pm_spreads_writer_new(const char *path, double dpi, int gray);

/* The pass every reading PDF goes through: the finished file is a whole PDF (begins with
 * a PDF header, ends with %%EOF) before it replaces the previous one. Changes nothing. */
extern const pm_pass pm_pdf_check_pass;

#endif
