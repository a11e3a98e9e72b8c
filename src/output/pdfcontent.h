/* pdfcontent.h - a page's content stream, written by pamphlet itself (output/direct.c):
 * its glyphs under their fonts' own glyph ids (pdffont.h), so that the bytes depend on
 * the page alone; and what the page needs besides (images, links, destinations). */
#ifndef PM_PDFCONTENT_H
#define PM_PDFCONTENT_H

#include <stddef.h>
#include <stdint.h>

#include "layout/frame.h"
#include "output/pdffont.h"

typedef struct {
    char *p;
    size_t n, cap;
    int dry; /* write nothing (a page whose content is known: its side effects only) */
} pm_pbuf;

void pm_pbuf_put(pm_pbuf *b, const char *s, size_t n);
/* A number as PDF content writes it: at most 3 decimals, no trailing zeros. */
void pm_pbuf_num(pm_pbuf *b, double v);
/* Text s[0..n) (UTF-8) as the hex digits of its UTF-16BE (ActualText, ToUnicode); a byte
 * that does not begin a UTF-8 sequence as U+FFFD. */
void pm_pbuf_utf16_hex(pm_pbuf *b, const char *s, int n);
/* p[0..n) deflated at zlib's fastest level (every stream this writer makes: a third of the
 * time of its default level for 1 % more bytes), in a new block of *nz bytes. Aborts as
 * pm_xmalloc does: with a buffer of compressBound's size zlib fails only out of memory. */
unsigned char *pm_deflate(const void *p, size_t n, size_t *nz);

/* A link area of a page, in PDF space (y up), and its target: a URI or (dest) a name. */
typedef struct {
    double r[4];
    const char *target;
    int dest;
} pm_plink;

/* A named destination on a page, in PDF space. */
typedef struct {
    const char *name;
    double x, y;
} pm_pdest;

/* An image a page draws, as the resource /Im<k>. */
typedef struct {
    pm_image *img;
} pm_pimage;

/* The images of a document: one XObject each, shared by its pages, named /Im<key> by
 * what the image is (its file, size and bytes; a run of glyphs drawn to pixels, by its
 * font, glyphs, size and colour), not by where it is first used: a page's content names
 * it the same way whatever the other pages show. */
typedef struct {
    pm_image **img;
    uint64_t *key;
    int n, cap;
} pm_pimages;

typedef struct {
    pm_pbuf content;
    pm_plink *links;
    int nlinks, caplinks;
    pm_pdest *dests;
    int ndests, capdests;
    int alpha[16];  /* the fill opacities used (in hundredths), resources /A<hundredths> */
    int nalpha;
    int skipped;    /* items this writer cannot draw yet */
    /* The glyphs the page uses, each once, as font << 16 | glyph id, font numbered by the
       order the page first uses it (pm_pcontent_take_uses): what a page kept under its frame's
       key notes again without going through its glyphs (a watch session). */
    int record;     /* note them (set before pm_pcontent_page) */
    uint32_t *uses;
    int nuses, capuses;
    int *font_k;    /* the page's fonts, in the order first used: their index in fonts */
    int nfont_k, capfont_k;
    uint64_t *seen; /* with record: a bit per glyph id of each of the page's fonts */
} pm_pcontent;

/* The content of page pg (its size grown by bleed on every side), fonts and images noted
 * in fonts and images. gray: every colour as its luma (--gray); fin (or NULL): the layout's
 * cmyk() colours as DeviceCMYK, as the finishing pass would make them; st (or NULL): the
 * structure tree the page's marked content goes into, in paint order (pdfstruct.h). */
struct pm_finish;
struct pm_pstruct;
void pm_pcontent_page(pm_pcontent *c, const pm_page *pg, double bleed, pm_pdffonts *fonts, pm_pimages *images,
                      int gray, const struct pm_finish *fin, struct pm_pstruct *st);
/* Everything pm_pcontent_page notes (fonts, glyphs, images, links, destinations, the
 * structure tree) without writing the content, for a page whose content is kept from an
 * earlier run under its frame's key: its glyphs from uses[0..n) (c->uses of the run that
 * made the content with c->record set), not from its runs: a kept page of two thousand
 * glyphs notes its two hundred distinct ones. */
void pm_pcontent_page_replay(pm_pcontent *c, const pm_page *pg, double bleed, pm_pdffonts *fonts,
                             pm_pimages *images, int gray, const struct pm_finish *fin, struct pm_pstruct *st,
                             const uint32_t *uses, int n);
/* After pm_pcontent_page with c->record: the page's glyph list (*n of them), the caller's
 * now, and what only the recording needed freed. */
uint32_t *pm_pcontent_take_uses(pm_pcontent *c, int *n);
/* A key of everything in pg that its content is made of, seed: what the document's pages
 * share (bleed, --gray, the layout's cmyk() colours). Two frames with one key make the same
 * content, so a watch rebuild keeps an unchanged page's without writing it again. */
uint64_t pm_pcontent_key(const pm_page *pg, uint64_t seed, pm_pdffonts *fonts, pm_pimages *images);
void pm_pcontent_free(pm_pcontent *c);

#endif
