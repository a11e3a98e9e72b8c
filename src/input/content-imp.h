/* content-imp.h - inside the Markdown reader (content.c: blocks; inlines.c: the text of a
 * paragraph, its spans and notes): the parser's state and the text builder. */
#ifndef PM_CONTENT_IMP_H
#define PM_CONTENT_IMP_H

#include <cmark-gfm.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "input/divs.h"
#include "input/doc.h"

/* ---- growable arrays (malloc'd while building, copied to the arena at the end) ---- */

typedef struct {
    char *p;
    size_t n, cap;
} sbuf;

static inline void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        while (b->n + n + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 256;
        b->p = pm_xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

#define VEC(T) struct { T *v; size_t n, cap; }
#define VEC_PUSH(vec, x)                                                      \
    do {                                                                      \
        if ((vec).n == (vec).cap) {                                           \
            (vec).cap = (vec).cap ? (vec).cap * 2 : 16;                       \
            (vec).v = pm_xrealloc((vec).v, (vec).cap * sizeof *(vec).v);      \
        }                                                                     \
        (vec).v[(vec).n++] = (x);                                             \
    } while (0)

typedef struct inner_link {
    const char *id;
    int line, col;
} inner_link;

typedef struct {
    pm_doc *doc;
    const char *file;
    int line0;                 /* line offset of the body (front matter lines) */
    VEC(pm_block) top;         /* the top-level blocks */
    void *out;                 /* where blocks go now: &top or a container's kids */
    VEC(pm_note) notes;
    VEC(int) note_lines;       /* where the notes cmark-gfm kept (those referenced) begin */
    VEC(const char *) ids;
    VEC(inner_link) inner;     /* links to #ids, checked at the end */
    pm_div_fences fences;      /* the fenced divs (divs.h) */
    int rc;
    int warned_html, warned_image, warned_long, warned_deep;
    unsigned warned_levels;    /* heading levels over 3 warned about (bit per level) */
    int idepth;                /* inline markup being walked, nested this deep */
    const char *src;           /* the body's source text (while it is parsed), for columns */
    size_t srclen;
    uint32_t *src_lines;       /* where its lines start (made when first needed) */
    size_t nsrc_lines;
} cstate;

/* A paragraph's text as it is built: the characters, the spans over them, where its
 * source lines start. */
typedef struct {
    sbuf s;
    VEC(pm_span) spans;
    VEC(uint32_t) lines;
    int line, cur;
} tbuild;

/* content.c: a block's text longer than PM_BLOCK_MAX_BYTES is an error (content.h) */
void pm_ct_check_block_size(cstate *st, size_t len, int line);

/* inlines.c */
int pm_ct_node_line(cstate *st, cmark_node *n);
const char *pm_ct_ext_type(cmark_node *n);
void pm_ct_tb_span(tbuild *t, size_t start, unsigned style, const char *url, int note);
pm_text pm_ct_tb_finish(cstate *st, tbuild *t);
void pm_ct_warn_html(cstate *st, int line, const char *lit);
char *pm_ct_html_text(const char *s);
void pm_ct_inlines(cstate *st, tbuild *t, cmark_node *parent);
pm_text pm_ct_text_of(cstate *st, cmark_node *n);

/* notecheck.c: a warning for each "[^label]" left in text t as letters (no note has that
   label), and, over the body's source, for each footnote definition no text names or
   that defines a label again (cmark-gfm drops both without a word). */
void pm_ct_check_note_refs(cstate *st, const pm_text *t);
void pm_ct_check_note_defs(cstate *st);
/* A warning for each note named only in definitions cmark-gfm dropped (pm_ct_check_note_defs
   says which), and the document without those notes, the others numbered anew. */
void pm_ct_drop_unnamed_notes(cstate *st, pm_doc *doc);

#endif
