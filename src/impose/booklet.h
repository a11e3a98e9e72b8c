/* booklet.h - the imposed outputs: reading pages placed on printed sheets by a fold
 * (impose.h: saddle stitch, 2up, cut-stack, zine8) for copying, folding and binding.
 *
 * impose.c and paper.c hold the arithmetic (page order, blanks, signatures, duplex
 * turning, creep, sheet geometry), unit-tested without any drawing; plan.c checks the
 * placed pages; byref.c writes the sheets by reference with libqpdf, every page of a
 * finished PDF placed as a Form XObject; dev_booklet.c is the writer that imposes the
 * reading PDF; impose_pdf.c imposes an existing PDF. */
#ifndef PM_BOOKLET_H
#define PM_BOOKLET_H

#include "output/writer.h"
#include "impose/impose.h"

/* The booklet writer: the reading PDF that reading (a PDF writer run over the same
 * pages, earlier in the list given to pm_writers_commit) finishes, imposed by reference as
 * o asks; written in its pass "impose", once the reading PDF's own passes are done. Prints
 * the printing how-to (sheets, which edge to flip, fold, staple) after commit. */
pm_writer *pm_booklet_writer_new(const char *path, const pm_booklet_opts *o, pm_writer *reading);

/* --preflight: impose lay's pages without writing anything (the same warnings as a real
 * booklet: scaled pages, content in the printer margin) and report the order in *im
 * (release with pm_imposition_free). Returns PM_OK or an error code. */
int pm_booklet_preflight(const pm_layout *lay, const pm_booklet_opts *o, pm_imposition *im);

/* `pamphlet impose IN.pdf -o OUT.pdf`: impose an existing PDF. Returns an exit code. */
int pm_impose_pdf(const char *in, const char *out, const pm_booklet_opts *o);

#endif
