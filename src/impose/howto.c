/* howto.c - the printing how-to printed after a booklet is written (howto.h): what the
 * file holds, then numbered steps for its fold: print (both sides with the duplex edge
 * named, or fronts and backs in two runs with the turn of the stack named), then fold and
 * staple, cut and fold, cut and stack, or fold and slit. No drawing. */
#include "impose/howto.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

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

static void blanks_text(char *buf, size_t n, const pm_imposition *im, const pm_booklet_opts *o)
{
    int total4 = im->fold == PM_FOLD_ZINE8 ? 8 : (im->npages + 3) / 4 * 4;
    int b4 = total4 - im->npages, bsig = im->padded - total4;
    const char *where = im->npages == 1 ? "after the page (it stays the cover)"
                        : o->blanks == PM_BLANKS_END ? "at the end" : "before the last page";
    if (!im->blanks)
        snprintf(buf, n, "0 blank pages added (%d is a multiple of %d)", im->npages,
                 im->fold == PM_FOLD_ZINE8 ? 8 : 4);
    else if (!bsig)
        snprintf(buf, n, "%d blank page%s added %s", b4, b4 > 1 ? "s" : "", where);
    else if (!b4)
        snprintf(buf, n, "%d blank page%s added at the end of the last signature", bsig, bsig > 1 ? "s" : "");
    else
        snprintf(buf, n, "%d blank page%s added %s, and %d at the end of the last signature", b4, b4 > 1 ? "s" : "",
                 where, bsig);
}

/* How the sheet turns over on the duplex edge: about a vertical axis like a page of a
   book, or about a horizontal one like a wall calendar. */
static const char *turn_words(const pm_imposition *im, pm_duplex duplex)
{
    int landscape = im->sheet_w >= im->sheet_h, book = (duplex == PM_DUPLEX_SHORT) == landscape;
    return book ? "left to right, like a page of a book" : "top to bottom, like a wall calendar";
}

/* Step 1 (and 2 for hand-fed backs): printing. Returns the number of the next step. */
static int print_steps(FILE *out, const char *sheet, const pm_booklet_opts *o, const pm_imposition *im)
{
    int is_long = o->duplex == PM_DUPLEX_LONG;
    const char *edge = is_long ? "long" : "short", *EDGE = is_long ? "LONG" : "SHORT";
    if (im->fold == PM_FOLD_ZINE8) {
        fprintf(out, "  1. Print on %s paper, one side only, at actual size (not \"fit to page\").\n", sheet);
        return 2;
    }
    if (o->sides == PM_SIDES_FRONT) {
        fprintf(out, "  1. This file holds the fronts only. Print them on %s paper, one side, at actual size\n"
                     "     (not \"fit to page\").\n"
                     "  2. Turn the stack over along its %s edge (%s),\n"
                     "     put it back in the tray and print the backs: the same command with --sides back.\n"
                     "     Mark the top sheet with a pencil cross the first time: printers differ in which\n"
                     "     side they print on.\n"
                     "     Sheet 1's back on the last sheet? Print the backs in reverse order.\n",
                sheet, edge, turn_words(im, o->duplex));
        return 3;
    }
    if (o->sides == PM_SIDES_BACK) {
        fprintf(out, "  1. This file holds the backs only. Print them at actual size onto the stack printed with\n"
                     "     --sides front, turned over along its %s edge (%s).\n"
                     "     Sheet 1's back on the last sheet? Print the backs in reverse order.\n",
                edge, turn_words(im, o->duplex));
        return 2;
    }
    fprintf(out, "  1. Print on %s paper, both sides, at actual size (not \"fit to page\"), flipping on the %s\n"
                 "     edge (\"%s-edge binding\")%s.\n",
            sheet, EDGE, edge, im->sides[0].turned || (im->nsides > 1 && im->sides[1].turned)
                                   ? "; one side of every sheet is upside down on purpose" : "");
    fprintf(out, "     No duplex? Print the odd sides (1, 3, ...), put the stack back in the tray turned over\n"
                 "     along its %s edge, then print the even sides (2, 4, ...); or use --sides front and back.\n"
                 "     Backs upside down? Your copier flips the other way: use --duplex %s.\n",
            edge, is_long ? "short" : "long");
    return 2;
}

/* Fold the folded sheets (in signatures) and bind them: steps n and n + 1. */
static void fold_steps(FILE *out, int n, const pm_booklet_opts *o, int sheets, const char *what)
{
    if (o->signature && sheets > o->signature) {
        int nsig = (sheets + o->signature - 1) / o->signature;
        if (o->signature == 1)
            fprintf(out, "  %d. Fold every %s in half on its own, keeping their order: %d signatures of one sheet.\n"
                         "  %d. Stack the folded sheets in order and sew through the folds, or glue the spines.\n",
                    n, what, nsig, n + 1);
        else
            fprintf(out, "  %d. Split the %ss into %d signatures of %d (%ss 1-%d, %d-%d, ...), keeping their order;\n"
                         "     fold each signature in half, its first sheet outside.\n"
                         "  %d. Stack the folded signatures in order and sew through the folds, or glue the spines.\n",
                    n, what, nsig, o->signature, what, o->signature, o->signature + 1, 2 * o->signature, n + 1);
    } else {
        fprintf(out, "  %d. Keep the %ss in order (%s 1 on the outside), fold the stack in half.\n"
                     "  %d. Staple in the fold, from the outside (a long-reach stapler, or open the stapler flat).\n",
                n, what, what, n + 1);
    }
}

static void zine8_steps(FILE *out, int n)
{
    fprintf(out, "  %d. Fold the sheet in half top to bottom, then left to right, then each half in half again;\n"
                 "     crease every fold well and open the sheet flat: eight panels.\n"
                 "  %d. Cut along the dashed line in the middle (or fold the sheet left to right and cut from the\n"
                 "     fold along the middle crease to the next fold).\n"
                 "  %d. Fold it top to bottom, printed side out. Push the two ends toward each other: the slit\n"
                 "     opens into a diamond; push until the middle pages meet, then fold the booklet flat with\n"
                 "     the cover (page 1) on top.\n",
            n, n + 1, n + 2);
}

/* A slot's place on the sheet as the front shows it: "top left", "bottom", "row 2 column 3". */
static void slot_name(char *buf, size_t n, const pm_imposition *im, int j)
{
    int col = j % im->slot_cols, row = j / im->slot_cols, R = im->slot_rows, C = im->slot_cols;
    const char *v = R == 1 ? "" : row == 0 ? "top" : row == R - 1 ? "bottom" : NULL;
    const char *h = C == 1 ? "" : col == 0 ? "left" : col == C - 1 ? "right" : NULL;
    if (!v || !h) snprintf(buf, n, "row %d column %d", row + 1, col + 1);
    else snprintf(buf, n, "%s%s%s", v, *v && *h ? " " : "", h);
}

/* cut-stack: cut, lay the piles on each other in slot order, then fold as one booklet. */
static void cut_stack_steps(FILE *out, int n, const pm_booklet_opts *o, const pm_imposition *im)
{
    fprintf(out, "  %d. Lay the printed sheets fronts up, sheet 1 on top, and cut the stack along the dashed\n"
                 "     lines into %d pile%s, keeping each pile in order.\n",
            n, im->slots, im->slots > 1 ? "s" : "");
    if (im->slots > 1) {
        fprintf(out, "  %d. Lay the piles on each other, top first:", n + 1);
        for (int j = 0; j < im->slots; j++) {
            char name[40];
            slot_name(name, sizeof name, im, j);
            fprintf(out, "%s %s", j ? "," : "", name);
        }
        fprintf(out, " (as the fronts show them).\n");
        n++;
    }
    if (im->blank_folded == 1) fprintf(out, "     The last piece of the stack is blank: leave it out.\n");
    else if (im->blank_folded)
        fprintf(out, "     The last %d pieces of the stack are blank: leave them out.\n", im->blank_folded);
    fold_steps(out, n + 1, o, im->folded, "piece");
}

void pm_bk_print_howto(FILE *out, const char *path, const pm_booklet_opts *o, const pm_bk_summary *sum)
{
    const pm_imposition *im = &sum->im;
    char sheet[40], blanks[200];
    pm_bk_sheet_label(sheet, sizeof sheet, im->sheet_w, im->sheet_h);
    blanks_text(blanks, sizeof blanks, im, o);
    int nsides = o->sides == PM_SIDES_BOTH ? im->nsides : im->sheets;
    const char *only = o->sides == PM_SIDES_FRONT ? ", fronts only" : o->sides == PM_SIDES_BACK ? ", backs only" : "";
    const char *s = im->npages > 1 ? "s" : "";
    switch (im->fold) {
    case PM_FOLD_ZINE8:
        fprintf(out, "%s: %d page%s on one side of one sheet of %s, a zine8 (eight-page mini-zine); %s.\n", path,
                im->npages, s, sheet, blanks);
        break;
    case PM_FOLD_2UP:
        fprintf(out, "%s: %d page%s on %d sheet%s of %s (%d side%s%s), each booklet side twice: two booklets\n"
                     "of %d half-sheet%s; %s.\n",
                path, im->npages, s, im->sheets, im->sheets > 1 ? "s" : "", sheet, nsides, nsides > 1 ? "s" : "", only, im->folded,
                im->folded > 1 ? "s" : "", blanks);
        break;
    case PM_FOLD_CUT_STACK:
        fprintf(out, "%s: %d page%s on %d sheet%s of %s (%d side%s%s), %d booklet side%s on each: one booklet\n"
                     "of %d piece%s after cutting and stacking; %s.\n",
                path, im->npages, s, im->sheets, im->sheets > 1 ? "s" : "", sheet, nsides, nsides > 1 ? "s" : "", only, im->slots,
                im->slots > 1 ? "s" : "", im->folded, im->folded > 1 ? "s" : "", blanks);
        break;
    default:
        fprintf(out, "%s: %d page%s on %d sheet%s of %s (%d side%s%s); %s.\n", path, im->npages, s, im->sheets,
                im->sheets > 1 ? "s" : "", sheet, nsides, nsides > 1 ? "s" : "", only, blanks);
        break;
    }
    fprintf(out, "To make the %s:\n", im->fold == PM_FOLD_ZINE8 ? "zine" : im->fold == PM_FOLD_2UP ? "booklets" : "booklet");
    int n = print_steps(out, sheet, o, im);
    switch (im->fold) {
    case PM_FOLD_ZINE8: zine8_steps(out, n); break;
    case PM_FOLD_2UP:
        fprintf(out, "  %d. Cut the stack in half along the dashed line: two identical piles, one booklet each.\n",
                n);
        fold_steps(out, n + 1, o, im->folded, "sheet");
        break;
    case PM_FOLD_CUT_STACK: cut_stack_steps(out, n, o, im); break;
    default: fold_steps(out, n, o, im->sheets, "sheet"); break;
    }
    if (sum->max_creep > 0)
        fprintf(out, "  Creep: inner pages moved toward the fold by up to %.2f mm for the paper's thickness.\n",
                PT_TO_MM(sum->max_creep));
    if (sum->marks) fprintf(out, "  Trim along the crop marks after binding; the fold marks show the spine.\n");
}
