/* dump.c - the layout dump: a text trace of every page, line box, glyph run, image,
 * rule, colour field, QR code, link and destination, numbers to 4 decimals (for golden tests, like SILE's
 * debug outputter and MuPDF's trace device). A run's text is in reading order (a
 * right-to-left run's glyphs go from the left, its text from the start). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/writer.h"
#include "base/diag.h"
#include "base/fileio.h"
#include "text/fonts.h"

typedef struct {
    pm_writer super;
    pm_outfile out;
    FILE *fp;
    int to_stdout, ended;
} dump_writer;

static const char *kind_name(pm_page_kind k)
{
    return k == PM_PAGE_COVER ? "cover" : k == PM_PAGE_BACK ? "back" : "body";
}

/* Text with quotes, backslashes and control characters escaped. */
static void put_text(FILE *fp, const char *s, int n)
{
    fputc('"', fp);
    for (int i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') fprintf(fp, "\\%c", c);
        else if (c < 0x20) fprintf(fp, "\\x%02x", c);
        else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xAD) {
            fputs("\\-", fp); /* soft hyphen */
            i++;
        } else fputc(c, fp);
    }
    fputc('"', fp);
}

static int rgb8(double v) { return (int)(v * 255 + 0.5); }

static int dump_begin(pm_writer *wr, const pm_layout *lay)
{
    dump_writer *d = (dump_writer *)wr;
    fprintf(d->fp, "document pages=%zu title=", lay->npages);
    put_text(d->fp, lay->title ? lay->title : "", lay->title ? (int)strlen(lay->title) : 0);
    fputc('\n', d->fp);
    return PM_OK;
}

static int dump_page(pm_writer *wr, const pm_layout *lay, const pm_page *pg)
{
    dump_writer *d = (dump_writer *)wr;
    FILE *fp = d->fp;
    fprintf(fp, "page %d %s %.4fx%.4f label=%s area=%.4f,%.4f,%.4f,%.4f\n", pg->index + 1,
            kind_name(pg->kind), pg->w, pg->h, pg->label ? pg->label : "", pg->tx, pg->ty, pg->tw, pg->th);
    for (size_t i = 0; i < pg->nitems; i++) {
        const pm_fitem *it = &pg->items[i];
        switch (it->kind) {
        case PM_FI_LINE: {
            const pm_line *l = it->line;
            fprintf(fp, "  line x=%.4f y=%.4f w=%.4f h=%.4f r=%.4f", it->x, it->y, l->width, it->h, l->ratio);
            if (it->para) fprintf(fp, " para=%d:%d/%d", it->para, it->lineno + 1, it->nlines);
            static const char *const fl[] = {"heading", "caption", "note", "marker", "running", "cover", "cell",
                                             "initial", "toc", "qr", "across"};
            for (int k = 0; k < (int)(sizeof fl / sizeof *fl); k++)
                if (it->flags & (1u << k)) fprintf(fp, " %s", fl[k]);
            if (l->hyphenated) fputs(" hyphen", fp);
            if (l->hang_left > 0 || l->hang_right > 0) fprintf(fp, " hang=%.4f,%.4f", l->hang_left, l->hang_right);
            if (l->overfull) fputs(" overfull", fp);
            if (l->dir == PM_DIR_RTL) fputs(" rtl", fp);
            fputc('\n', fp);
            int reordered = 0; /* runs out of reading order: each says where its text is */
            for (int r = 1; r < l->nruns; r++) reordered |= l->runs[r].at < l->runs[r - 1].at;
            for (int r = 0; r < l->nruns; r++) {
                const pm_run *run = &l->runs[r];
                fprintf(fp, "    run font=\"%s\" x=%.4f..%.4f glyphs=%d", pm_face_name(run->face), run->x0, run->x1,
                        run->nglyphs);
                if (reordered) fprintf(fp, " at=%u", run->at);
                fputs(" text=", fp);
                if (run->rtl) { /* in reading order: its clusters from the last */
                    char *t = pm_xmalloc((size_t)run->nbytes + 1);
                    int at = run->nbytes, b = 0;
                    for (int c = 0; c < run->nclusters; c++) {
                        at -= run->clusters[c].num_bytes;
                        memcpy(t + at, run->utf8 + b, (size_t)run->clusters[c].num_bytes);
                        b += run->clusters[c].num_bytes;
                    }
                    put_text(fp, t, run->nbytes);
                    free(t);
                } else {
                    put_text(fp, run->utf8, run->nbytes);
                }
                fputc('\n', fp);
            }
            for (int k = 0; k < l->ndecos; k++)
                fprintf(fp, "    %s x=%.4f..%.4f y=%.4f t=%.4f\n", l->decos[k].kind == PM_DECO_WRAP ? "mark" : "strike",
                        l->decos[k].x0, l->decos[k].x1, l->decos[k].y, l->decos[k].t);
            break;
        }
        case PM_FI_IMAGE:
            fprintf(fp, "  image x=%.4f y=%.4f w=%.4f h=%.4f src=%s %s %dx%d", it->x, it->y, it->w, it->h,
                    it->str ? it->str : "", pm_image_format(it->image), pm_image_width(it->image),
                    pm_image_height(it->image));
            if (it->clip) fprintf(fp, " clip=%.4f,%.4f,%.4f,%.4f", it->clip->x, it->clip->y, it->clip->w, it->clip->h);
            fputc('\n', fp);
            break;
        case PM_FI_RULE:
            fprintf(fp, "  rule x=%.4f y=%.4f w=%.4f h=%.4f\n", it->x, it->y, it->w, it->h);
            break;
        case PM_FI_LINK:
            fprintf(fp, "  link x=%.4f y=%.4f w=%.4f h=%.4f uri=%s\n", it->x, it->y, it->w, it->h, it->str);
            break;
        case PM_FI_DEST:
            fprintf(fp, "  dest x=%.4f y=%.4f name=%s level=%d\n", it->x, it->y, it->str, it->level);
            break;
        case PM_FI_VRULE:
            fprintf(fp, "  vrule x=%.4f y=%.4f w=%.4f h=%.4f\n", it->x, it->y, it->w, it->h);
            break;
        case PM_FI_FILL:
            fprintf(fp, "  fill x=%.4f y=%.4f w=%.4f h=%.4f rgba=%.4f,%.4f,%.4f,%.4f\n", it->x, it->y, it->w, it->h,
                    it->rgba[0], it->rgba[1], it->rgba[2], it->rgba[3]);
            break;
        case PM_FI_QR:
            fprintf(fp, "  qr x=%.4f y=%.4f w=%.4f h=%.4f modules=%d text=", it->x, it->y, it->w, it->h, it->level);
            put_text(fp, it->str, (int)strlen(it->str));
            fputc('\n', fp);
            for (int r = 0; r < it->level; r++) { /* the modules, a row a line: # dark, . light */
                fputs("    row ", fp);
                for (int c = 0; c < it->level; c++) fputc(it->bits[r * it->level + c] ? '#' : '.', fp);
                fputc('\n', fp);
            }
            break;
        case PM_FI_BOX: {
            const pm_fbox *b = it->box;
            fprintf(fp, "  box x=%.4f y=%.4f w=%.4f h=%.4f", it->x, it->y, it->w, it->h);
            if (b->fill[0] >= 0) fprintf(fp, " fill=#%02x%02x%02x", rgb8(b->fill[0]), rgb8(b->fill[1]), rgb8(b->fill[2]));
            if (b->width > 0 && b->sides) {
                fprintf(fp, " stroke=%.4f #%02x%02x%02x ", b->width, rgb8(b->stroke[0]), rgb8(b->stroke[1]),
                        rgb8(b->stroke[2]));
                static const char side[] = "trbl"; /* PM_SIDE_* in order */
                for (int k = 0; k < 4; k++)
                    if (b->sides & (1u << k)) fputc(side[k], fp);
            }
            if (b->open) {
                fputs(" open=", fp);
                for (int k = 0; k < 4; k++)
                    if (b->open & (1u << k)) fputc("trbl"[k], fp);
            }
            fputc('\n', fp);
            break;
        }
        }
    }
    return ferror(fp) ? PM_EIO : PM_OK;
}

static int dump_end(pm_writer *wr, const pm_layout *lay)
{
    dump_writer *d = (dump_writer *)wr;
    if (d->to_stdout) return fflush(stdout) ? PM_EIO : PM_OK;
    int bad = fclose(d->fp) != 0;
    d->fp = NULL;
    if (bad) {
        pm_error(d->out.path, 0, 0, "cannot write the layout dump");
        return PM_EIO;
    }
    return PM_OK;
}

static int dump_commit(pm_writer *wr)
{
    dump_writer *d = (dump_writer *)wr;
    d->ended = 1;
    return d->to_stdout ? PM_OK : pm_outfile_commit(&d->out);
}

static void dump_drop(pm_writer *wr)
{
    dump_writer *d = (dump_writer *)wr;
    if (!d->to_stdout) {
        if (d->fp) fclose(d->fp);
        if (!d->ended) pm_outfile_abort(&d->out);
    }
    free(d);
}

pm_writer *pm_dump_writer_new(const char *path)
{
    dump_writer *d = pm_xcalloc(1, sizeof *d);
    if (!strcmp(path, "-")) {
        d->to_stdout = 1;
        d->fp = stdout;
    } else {
        if (!(d->fp = pm_outfile_open(&d->out, path, "layout dump"))) {
            free(d);
            return NULL;
        }
    }
    d->super.name = "dump";
    d->super.begin = dump_begin;
    d->super.page = dump_page;
    d->super.end = dump_end;
    d->super.commit = dump_commit;
    d->super.drop = dump_drop;
    return &d->super;
}
