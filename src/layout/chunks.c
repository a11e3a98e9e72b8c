/* chunks.c - where the lines of body paragraphs live while the pages are built, and when
 * they go (frame.h: pm_line_chunk). They are most of a layout's memory (a glyph is 24
 * bytes, with its cluster and text): a 400-page book's held 40 MB until the end of the
 * run. When the pages go to a writer as they are built (pm_page_sink.done), they are set
 * into chunks of about CHUNK_BYTES instead of the layout's arena, and a chunk is
 * released once the page builder is past every paragraph with lines in it and the
 * writer is done with the pages that show them: a few pages' lines are held at a time.
 * Only body paragraphs' lines go there: the vertical list holds them from their first
 * item on for 2n - 1 items (pm_para_items), and nothing holds them past the page that
 * shows their last line. Captions (a figure floats to later pages), table cells (a
 * header comes again on every page of its table), headings, notes, markers and drop caps
 * stay in the layout's arena. The pages' items go with the lines, as the writers are done
 * with the pages (frame.h: pm_layout_release_items). */
#include "layout/flow-imp.h"

#include <stdint.h>

#define CHUNK_BYTES (256 * 1024)

static int releasing(const fstate *fs) { return fs->sink && fs->sink->done; }

pm_arena *pm_lines_arena(fstate *fs, size_t vp)
{
    if (!releasing(fs)) return fs->a;
    pm_layout *l = fs->lay;
    pm_line_chunk *c = l->nchunks ? &l->chunks[l->nchunks - 1] : NULL;
    if (c && !c->full && pm_arena_used(c->a) >= CHUNK_BYTES) c->full = 1;
    if (!c || c->full) {
        if (l->nchunks == l->capchunks) {
            l->capchunks = l->capchunks ? l->capchunks * 2 : 64;
            l->chunks = pm_xrealloc(l->chunks, l->capchunks * sizeof *l->chunks);
        }
        c = &l->chunks[l->nchunks++];
        *c = (pm_line_chunk){.a = pm_arena_new(), .last_para = vp};
    }
    if (vp > c->last_para) c->last_para = vp;
    return c->a;
}

/* Whether paragraph k's items are all before item i (k may be the paragraph about to be
 * collected: not yet). */
static int para_before(const fstate *fs, size_t k, size_t i)
{
    if (k >= fs->nparas) return 0;
    const vpara *P = &fs->paras[k];
    return P->first + 2 * (size_t)P->nlines - 1 <= i;
}

void pm_release_lines(fstate *fs, size_t i, int all)
{
    if (!releasing(fs)) return;
    pm_layout *l = fs->lay;
    for (size_t k = l->released; k < l->nchunks; k++) {
        pm_line_chunk *c = &l->chunks[k];
        if (c->pages) continue;
        if (!all && !para_before(fs, c->last_para, i)) break;
        c->full = 1; /* (the page builder is past it: what it sets again goes on) */
        c->pages = l->npages;
    }
    size_t done = fs->sink->done(fs->sink->ud), upto = l->released;
    while (upto < l->nchunks && l->chunks[upto].pages && l->chunks[upto].pages <= done) upto++;
    if (upto > l->released) pm_layout_release_lines(l, upto);
    pm_layout_release_items(l, done);
}
