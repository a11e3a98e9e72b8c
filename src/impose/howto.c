/* howto.c - the printing how-to printed after a booklet is written (howto.h): what the
 * file holds, then numbered steps: print both sides with the duplex edge named (or by
 * hand), fold, staple or sew the signatures. No drawing. */
#include "impose/howto.h"

#include <math.h>

#define PT_TO_MM(x) ((x) * 25.4 / 72.0)

void pm_bk_summary_free(pm_bk_summary *sum)
{
    if (sum) pm_imposition_free(&sum->im);
}

void pm_bk_sheet_label(char *buf, size_t n, double w, double h)
{
    const char *name = pm_sheet_name(w, h);
    if (name) snprintf(buf, n, "%s", name);
    else snprintf(buf, n, "%.0f x %.0f mm", PT_TO_MM(w), PT_TO_MM(h));
}

void pm_bk_print_howto(FILE *out, const char *path, const pm_booklet_opts *o, const pm_bk_summary *sum)
{
    const pm_imposition *im = &sum->im;
    char sheet[40], blanks[200];
    pm_bk_sheet_label(sheet, sizeof sheet, im->sheet_w, im->sheet_h);
    int total4 = (im->npages + 3) / 4 * 4, b4 = total4 - im->npages, bsig = im->padded - total4;
    const char *where = im->npages == 1 ? "after the page (it stays the cover)"
                        : o->blanks == PM_BLANKS_END ? "at the end" : "before the last page";
    if (!im->blanks)
        snprintf(blanks, sizeof blanks, "0 blank pages added (%d is a multiple of 4)", im->npages);
    else if (!bsig)
        snprintf(blanks, sizeof blanks, "%d blank page%s added %s", b4, b4 > 1 ? "s" : "", where);
    else if (!b4)
        snprintf(blanks, sizeof blanks, "%d blank page%s added at the end of the last signature", bsig,
                 bsig > 1 ? "s" : "");
    else
        snprintf(blanks, sizeof blanks, "%d blank page%s added %s, and %d at the end of the last signature", b4,
                 b4 > 1 ? "s" : "", where, bsig);
    int is_long = o->duplex == PM_DUPLEX_LONG;
    const char *edge = is_long ? "long" : "short";
    fprintf(out, "%s: %d page%s on %d sheet%s of %s (%d sides); %s.\n", path, im->npages, im->npages > 1 ? "s" : "",
            im->sheets, im->sheets > 1 ? "s" : "", sheet, im->nsides, blanks);
    fprintf(out, "To make the booklet:\n");
    fprintf(out, "  1. Print on %s paper, both sides, at actual size (not \"fit to page\"), flipping on the %s\n"
                 "     edge (\"%s-edge binding\")%s.\n",
            sheet, is_long ? "LONG" : "SHORT", edge,
            is_long ? "; one side of every sheet is upside down on purpose" : "");
    fprintf(out, "     No duplex? Print the odd sides (1, 3, ...), put the stack back in the tray turned over\n"
                 "     along its %s edge, then print the even sides (2, 4, ...).\n"
                 "     Backs upside down? Your copier flips the other way: use --duplex %s.\n",
            edge, is_long ? "short" : "long");
    if (o->signature && im->sheets > o->signature) {
        int nsig = im->sheets / o->signature;
        if (o->signature == 1)
            fprintf(out, "  2. Fold every sheet in half on its own, keeping their order: %d signatures of one sheet.\n"
                         "  3. Stack the folded sheets in order and sew through the folds, or glue the spines.\n",
                    nsig);
        else
            fprintf(out, "  2. Split the sheets into %d signatures of %d (sheets 1-%d, %d-%d, ...), keeping their order;\n"
                         "     fold each signature in half, its first sheet outside.\n"
                         "  3. Stack the folded signatures in order and sew through the folds, or glue the spines.\n",
                    nsig, o->signature, o->signature, o->signature + 1, 2 * o->signature);
    } else {
        fprintf(out, "  2. Keep the sheets in order (sheet 1 on the outside), fold the stack in half.\n"
                     "  3. Staple in the fold, from the outside (a long-reach stapler, or open the stapler flat).\n");
    }
    if (sum->max_creep > 0)
        fprintf(out, "  Creep: inner pages moved toward the fold by up to %.2f mm for the paper's thickness.\n",
                PT_TO_MM(sum->max_creep));
    if (sum->marks) fprintf(out, "  Trim along the crop marks after binding; the fold marks show the spine.\n");
}
