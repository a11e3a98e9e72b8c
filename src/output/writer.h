/* writer.h - document writers: where laid-out pages go.
 *
 * As MuPDF's fz_document_writer, a writer is a small struct of function pointers; every
 * output (the reading PDF, the imposed booklet, PNG proofs, the text dump) is one, and
 * they all read the same immutable page frames. A writer writes its file atomically:
 * nothing appears at the destination until commit(), which the caller runs only when
 * every writer has finished; drop() without commit() leaves the previous file untouched.
 * Painting a frame with cairo, shared by the writers that draw, is in output/paint.h. */
#ifndef PM_WRITER_H
#define PM_WRITER_H

#include "layout/frame.h"

typedef struct pm_writer pm_writer;
struct pm_writer {
    const char *name;
    int (*begin)(pm_writer *w, const pm_layout *lay);
    int (*page)(pm_writer *w, const pm_layout *lay, const pm_page *page);
    int (*end)(pm_writer *w, const pm_layout *lay); /* finish writing (to a temporary file) */
    int (*commit)(pm_writer *w);                    /* put the finished file in place */
    void (*drop)(pm_writer *w);                     /* release; without commit() the previous
                                                       file stays as it was */
};

/* begin, every page, end (not commit). Returns PM_OK or the first error. */
int pm_writer_run(pm_writer *w, const pm_layout *lay);

/* The writers. Each returns NULL (after a diagnostic) if the file cannot be started. */
pm_writer *pm_pdf_writer_new(const char *path);
pm_writer *pm_dump_writer_new(const char *path); /* "-" = standard output */
pm_writer *pm_png_writer_new(const char *dir, double dpi);
pm_writer *pm_spreads_writer_new(const char *path, double dpi);

#endif
