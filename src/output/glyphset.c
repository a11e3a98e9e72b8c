/* glyphset.c - the glyphs a PDF writer has drawn, per font file, and their ink (glyphset.h). */
#include "output/glyphset.h"

#include <cairo-ft.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/arena.h"
#include "output/paint.h"
#include "text/fonts.h"

enum { SEEN = 1, INK = 2 };

typedef struct {
    FT_Face ft;     /* the font file's face, shared by its sizes */
    uint8_t *state; /* per glyph index: SEEN, INK */
    long n;
} file_glyphs;

typedef struct {
    cairo_scaled_font_t *sf;
    int file; /* in files */
} sized;

struct pm_glyphset {
    file_glyphs *files;
    int nfiles, capfiles;
    sized *sizes;
    int nsizes, capsizes;
    cairo_glyph_t *buf;
    int capbuf;
};

pm_glyphset *pm_glyphset_new(void) { return pm_xcalloc(1, sizeof(pm_glyphset)); }

void pm_glyphset_free(pm_glyphset *g)
{
    if (!g) return;
    for (int i = 0; i < g->nfiles; i++) free(g->files[i].state);
    free(g->files);
    free(g->sizes);
    free(g->buf);
    free(g);
}

/* The glyphs of sf's font file; NULL if cairo gives no FreeType face. */
static file_glyphs *file_of(pm_glyphset *g, cairo_scaled_font_t *sf)
{
    for (int i = g->nsizes; i-- > 0;)
        if (g->sizes[i].sf == sf) return &g->files[g->sizes[i].file];
    FT_Face ft = cairo_ft_scaled_font_lock_face(sf);
    if (!ft) return NULL;
    long n = ft->num_glyphs;
    cairo_ft_scaled_font_unlock_face(sf);
    int f = 0;
    while (f < g->nfiles && g->files[f].ft != ft) f++;
    if (f == g->nfiles) {
        if (g->nfiles == g->capfiles)
            g->files = pm_xrealloc(g->files, (size_t)(g->capfiles = g->capfiles * 2 + 4) * sizeof *g->files);
        g->files[g->nfiles++] = (file_glyphs){ft, pm_xcalloc((size_t)(n > 0 ? n : 1), 1), n};
    }
    if (g->nsizes == g->capsizes)
        g->sizes = pm_xrealloc(g->sizes, (size_t)(g->capsizes = g->capsizes * 2 + 8) * sizeof *g->sizes);
    g->sizes[g->nsizes++] = (sized){sf, f};
    return &g->files[f];
}

/* Load the run's glyphs new to their font file: outline and metrics at once, on cr's
 * scaled font for sf (the one the run is drawn with); then note each one's ink. */
static void load_run(pm_glyphset *g, cairo_t *cr, const pm_run *run, cairo_scaled_font_t *sf)
{
    file_glyphs *fg = file_of(g, sf);
    if (!fg) return;
    int n = 0;
    for (int i = 0; i < run->nglyphs; i++) {
        unsigned long gi = run->glyphs[i].index;
        if (gi >= (unsigned long)fg->n || fg->state[gi]) continue;
        fg->state[gi] = SEEN; /* (once, if the run has it twice) */
        if (n == g->capbuf) g->buf = pm_xrealloc(g->buf, (size_t)(g->capbuf = g->capbuf * 2 + 64) * sizeof *g->buf);
        g->buf[n++] = (cairo_glyph_t){gi, 0, 0};
    }
    if (!n) return;
    cairo_save(cr);
    pm_paint_set_font(cr, sf, PM_PAINT_VECTOR);
    cairo_glyph_path(cr, g->buf, n);
    cairo_new_path(cr);
    for (int i = 0; i < n; i++) {
        cairo_text_extents_t e;
        cairo_glyph_extents(cr, &g->buf[i], 1, &e);
        if (e.width > 0 && e.height > 0) fg->state[g->buf[i].index] |= INK;
    }
    cairo_restore(cr);
}

void pm_glyphset_load(pm_glyphset *g, cairo_t *cr, const pm_fitem *it)
{
    if (it->kind != PM_FI_LINE || cairo_has_current_point(cr)) return;
    for (int r = 0; r < it->line->nruns; r++) {
        const pm_run *run = &it->line->runs[r];
        cairo_scaled_font_t *sf = pm_face_cairo(run->face);
        if (sf && run->nglyphs) load_run(g, cr, run, sf);
    }
}

int pm_glyphset_inked(pm_glyphset *g, const pm_fitem *it)
{
    if (it->kind != PM_FI_LINE) return 0;
    for (int r = 0; r < it->line->nruns; r++) {
        const pm_run *run = &it->line->runs[r];
        cairo_scaled_font_t *sf = pm_face_cairo(run->face);
        file_glyphs *fg = sf ? file_of(g, sf) : NULL;
        for (int i = 0; i < run->nglyphs; i++) {
            unsigned long gi = run->glyphs[i].index;
            if (fg && gi < (unsigned long)fg->n) {
                if (fg->state[gi] & INK) return 1;
            } else if (sf) { /* (not a glyph of the file's: ask cairo, as pm_glyphset_load left it) */
                cairo_text_extents_t e;
                cairo_scaled_font_glyph_extents(sf, &(cairo_glyph_t){gi, 0, 0}, 1, &e);
                if (e.width > 0 && e.height > 0) return 1;
            }
        }
    }
    return 0;
}
