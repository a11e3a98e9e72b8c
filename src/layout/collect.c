/* collect.c - the collector: a document's blocks -> the vertical list (vlist.h).
 *
 * Paragraphs are set (shaped once, broken into lines) and their lines become list items
 * with widow and orphan penalties between them; headings keep with what follows and keep
 * the grid; figures are scaled to the region and carry their caption; rules, code and
 * page breaks become what they are. A div (or a paragraph) with a style is a box: its text
 * is indented as its frame says, between the START and END items styles.c puts around it.
 * Blocks are collected as the page breaker needs them (three pages ahead), so the first
 * pages are written while the rest is being set. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "layout/flow-imp.h"


static int line_shows(const pm_line *l)
{
    for (int r = 0; r < l->nruns; r++)
        if (l->runs[r].nglyphs > 0) return 1;
    return 0;
}

/* The lines of paragraph vp as vertical-list items, with widow and orphan penalties
 * between them. */
void pm_para_items(fstate *fs, vlist *vl, int vp, const pm_para *pp)
{
    const pm_spec *sp = fs->spec;
    vpara *P = &fs->paras[vp];
    int n = pp->nlines;
    double lead = pm_flow_leading(fs, P->font), base = slot_base(lead, pm_font_size(sp, P->font));
    /* widows and orphans are counted in lines that show something (a code block's empty
       lines do not) */
    int shown = 0, before = 0;
    for (int i = 0; i < n; i++) shown += line_shows(&pp->lines[i]);
    for (int i = 0; i < n; i++) {
        /* no widow, no orphan, and no word broken over a page (TeX's \brokenpenalty) */
        if (i > 0)
            pm_vpenalty(vl, before < sp->orphans || i < P->keep_first || shown - before < sp->widows ||
                                    pp->lines[i - 1].hyphenated
                                ? PM_INF_PENALTY : 0);
        before += line_shows(&pp->lines[i]);
        vitem *it = pm_vpush(vl, V_LINE);
        it->h = lead;
        it->line = &pp->lines[i];
        it->x = P->x;
        it->base = base;
        it->para = P->para;
        it->lineno = i;
        it->nlines = n;
        it->vp = vp;
        it->band = P->band;
        it->band_rtl = P->band_rtl;
        it->box = P->box;
        it->sn = P->sn;
        if (i == 0) {
            it->marker = P->marker;
            it->marker_x = P->marker_x;
            it->hung = P->initial;
            it->nhung = P->initial ? 1 : 0;
        }
    }
}

static void add_lines(fstate *fs, vlist *vl, const pm_text *text, const pm_para_style *st, const pm_para *pp,
                      pm_shaped *shaped, double x, const pm_font_spec *font, const pm_line *marker,
                      double marker_x, const vhung *initial, int keep_first)
{
    if (fs->nparas == fs->capparas) {
        fs->capparas = fs->capparas ? fs->capparas * 2 : 64;
        fs->paras = pm_xrealloc(fs->paras, fs->capparas * sizeof *fs->paras);
    }
    int vp = (int)fs->nparas++;
    vpara *P = &fs->paras[vp];
    *P = (vpara){.text = text, .st = *st, .font = font, .x = x, .marker = marker, .marker_x = marker_x,
                 .para = ++fs->para_no, .first = vl->n, .nlines = pp->nlines, .demerits = pp->demerits,
                 .shaped = shaped, .initial = initial, .keep_first = keep_first, .sn = fs->sn};
    pm_para_items(fs, vl, vp, pp);
}

pm_image *pm_flow_image(fstate *fs, const char *path, int line)
{
    pm_image *img;
    int rc = pm_imgcache_get(fs->images, path, fs->doc->path, line, &img);
    if (rc) {
        if (!fs->rc) fs->rc = rc;
        return NULL;
    }
    return img;
}

/* A figure in frame fr: scaled to the room between the frame's indents (and to the page),
 * with its caption set below it. Returns it, or NULL when its image cannot be had. */
/* The height the footnotes of a figure's caption take at the foot of its page (the notes
 * they refer to as well), with the space above them: the figure and its caption leave
 * room for them. */
static double caption_notes(const fstate *fs, const pm_para *cap)
{
    double h = 0;
    for (int l = 0; l < cap->nlines; l++)
        for (int k = 0; k < cap->lines[l].nnotes; k++) {
            int no = cap->lines[l].notes[k];
            if (no < 1 || no > fs->nnotes) continue;
            const pm_para *p = &fs->notes[no - 1].para;
            h += fs->notes[no - 1].h;
            for (int m = 0; m < p->nlines; m++)
                for (int j = 0; j < p->lines[m].nnotes; j++) {
                    int sub = p->lines[m].notes[j];
                    if (sub >= 1 && sub <= fs->nnotes) h += fs->notes[sub - 1].h;
                }
        }
    return h > 0 ? snap_up(h + fs->note_sep, fs->L) : 0;
}

/* A figure right under headings (above: their height) goes on their page, as a heading is
 * followed on its page by text or a figure: when the figure and they cannot share a page,
 * the figure is scaled down to the room under them, to half its size at most (smaller, it
 * floats to a page of its own as any figure does). */
static double under_heading(const fstate *fs, const pm_block *b, double above, double room, double h)
{
    double under = room - above - fs->L; /* (its item is whole lines: up to one more) */
    if (above <= 0 || h <= under || under < 0.5 * h) return 1;
    pm_warn(fs->doc->path, b->line, 0, "figure '%s' is scaled to %.0f%% to stay on the page of the heading above it",
            b->src, under / h * 100);
    return under / h;
}

static vfig *add_figure(fstate *fs, vlist *vl, const pm_block *b, const cframe *fr, double above)
{
    const pm_spec *sp = fs->spec;
    pm_image *img = pm_flow_image(fs, b->path, b->line);
    if (!img) return NULL;
    double iw = pm_image_width(img), ih = pm_image_height(img);
    double roomw = fr->w - fr->left - fr->right;
    double maxw = fmin(pm_spec_len(sp, sp->fig_max_width, roomw), roomw);
    double maxh = pm_spec_len(sp, sp->fig_max_height, fs->rg->h);
    double w = b->width > 0 ? b->width * roomw : b->width < 0 ? -b->width : maxw;
    const char *wv = pm_attrs_get(&b->attrs, "width");
    int full = pm_attrs_has(&b->attrs, "bleed") || (wv && !strcmp(wv, "page"));
    if (full) w = maxw = sp->page_w; /* edge to edge: into the bleed in the PDF (output/pdf.c) */
    if (w > maxw) w = maxw;
    double h = w * ih / iw;
    if (h > maxh) {
        h = maxh;
        w = h * iw / ih;
        full = 0;
    }
    pm_para cap = {0};
    if (b->text.len) {
        pm_para_style cs = {.font = &sp->caption, .align = pm_dir_align(sp->caption_align, b->dir), .width = roomw,
                            .hyphenate = sp->hyphenate, .dir = b->dir, .lang = b->lang};
        pm_para_set(fs->set, &b->text, &cs, fs->a, &cap);
    }
    double cl = pm_flow_leading(fs, &sp->caption);
    double space = pm_spec_len(sp, sp->fig_space, fs->rg->h) * (fs->fit && fs->fit->fspace > 0 ? fs->fit->fspace : 1);
    double gap = pm_spec_len(sp, sp->caption_gap, fs->rg->h);
    double caph = cap.nlines ? gap + cap.nlines * cl : 0;
    double room = fs->rg->h - caph - 2 * space - caption_notes(fs, &cap);
    if (room < 3 * fs->L) room = 3 * fs->L; /* (a caption and notes of a page and more: they split) */
    double scale = h > room ? room / h : 1; /* taller than a page (with its caption and its notes) */
    if (scale < 1)
        pm_warn(fs->doc->path, b->line, 0, "figure '%s' is taller than a page; scaled to %.0f%%", b->src,
                scale * 100);
    scale *= under_heading(fs, b, above, room, h * scale);
    if (scale < 1) { /* scaled down (counted once, whatever the reasons) */
        if (fs->stats) fs->stats->figures_scaled++;
        h *= scale;
        w *= scale;
        full = 0;
    }
    double dpi = iw / (w / 72.0);
    if (dpi < 150)
        pm_warn(fs->doc->path, b->line, 0,
                "image '%s' is %.0f dpi at its printed size (%.0f x %.0f mm); below 150 dpi it will look poor when copied",
                b->src, dpi, w / 72 * 25.4, h / 72 * 25.4);
    vfig *f = pm_arena_alloc(fs->a, sizeof *f);
    f->img = img;
    f->w = w;
    f->h = h;
    f->cap = cap.lines;
    f->ncap = cap.nlines;
    f->cap_leading = cl;
    f->cap_base = slot_base(cl, pm_font_size(sp, &sp->caption));
    f->gap = gap;
    f->src = b->src;
    f->full = full;
    f->alt = pm_attrs_get(&b->attrs, "alt") ? pm_attrs_get(&b->attrs, "alt") : b->text.len ? b->text.utf8 : NULL;
    f->x = fr->left;
    f->room = roomw;
    f->col_rtl = fr->cols && fr->cols_rtl;
    vitem *it = pm_vpush(vl, V_FIGURE);
    it->h = fmin(snap_up(space + h + caph + space, fs->L), fs->rg->h);
    it->fig = f;
    return f;
}

/* A heading: space before it in whole lines; its lines; exactly the layout's space after
 * it. Space around headings never stretches (a page is filled elsewhere). So that the
 * text after it stays on the baseline grid, the heading sits lower in its first line by
 * what its lines and the space after lack of a whole number of lines. It keeps with
 * what follows it (the page breaker also wants two lines of text after it). */
void pm_add_heading(fstate *fs, vlist *vl, const pm_block *b, const cframe *fr, int first)
{
    const pm_spec *sp = fs->spec;
    const pm_heading_spec *hs = &sp->h[b->level - 1];
    double L = fs->L;
    /* its classes ({.center}) and a div's style may align it, and give it a font */
    int align = pm_class_align(sp, &b->attrs);
    if (align < 0) align = fr->align >= 0 ? fr->align : (int)pm_dir_align(hs->align, b->dir);
    const pm_font_spec *font = pm_style_font(sp, pm_class_font(sp, &b->attrs), &hs->font);
    /* in a box, between its edges (elsewhere across the measure, as it always was) */
    double left = fr->boxed ? fr->left : 0, right = fr->boxed ? fr->right : 0;
    pm_para_style st = {.font = font, .align = fs->back ? PM_ALIGN_CENTER : (pm_align)align,
                        .width = fr->w - left - right, .hyphenate = hs->hyphenate, .dir = b->dir,
                        .lang = b->lang};
    st.nshape = pm_heading_shape(fs, b, font, st.align, &st.shape);
    pm_para pp;
    pm_para_set(fs->set, pm_heading_text(fs, b), &st, fs->a, &pp);
    double hl = pm_flow_leading(fs, font);
    double before = pm_spec_len(sp, hs->space_before, fs->rg->h);
    double after = pm_spec_len(sp, hs->space_after, fs->rg->h);
    double body = pp.nlines * hl + after;
    double pad = snap_up(body, L) - body;
    if (fr->boxed) pad = 0; /* (a box is whole lines as a whole: the heading sits at its top) */
    before = first ? 0 : L * round(before / L);
    if (fs->fit && before > 0) before = fmax(before + fs->fit->hlines * L, L); /* fitting a page count */
    if (hs->page_break && !first) pm_vpenalty(vl, -PM_INF_PENALTY);
    else pm_vglue(vl, 0, 0); /* a legal break before the heading */
    if (before > 0) pm_vglue(vl, before, 0);
    double base = slot_base(hl, pm_font_size(sp, font));
    for (int k = 0; k < pp.nlines; k++) {
        if (k) pm_vpenalty(vl, PM_INF_PENALTY);
        vitem *it = pm_vpush(vl, V_LINE);
        it->h = hl + (k ? 0 : pad);
        it->line = &pp.lines[k];
        it->x = left;
        it->base = base + (k ? 0 : pad);
        it->hline = 1;
        if (k == 0) it->heading = b;
    }
    pm_vpenalty(vl, PM_INF_PENALTY);
    pm_vglue(vl, after, 0);
    pm_vpenalty(vl, PM_INF_PENALTY); /* keep with what follows */
}

/* Frame f (a copy of its parent's, for block b) takes what b's classes ask for: an
 * alignment, a font, and, when b is a box, its indents (the box's indent, edges and
 * padding) and the space above it (none after a heading, which keeps its own). Inside a
 * box the text starts afresh, as at the top of a page. */
static void style_frame(const fstate *fs, cursor *c, cframe *f, const pm_block *b)
{
    const pm_spec *sp = fs->spec;
    int align = pm_class_align(sp, &b->attrs);
    if (align >= 0) f->align = align;
    const pm_style_spec *font = pm_class_font(sp, &b->attrs);
    if (font) f->font_st = font;
    const pm_style_spec *st = pm_box_style(sp, b);
    if (!st) return;
    f->box = st;
    f->boxed++;
    double ind = pm_spec_len(sp, st->indent, f->w), pad = pm_spec_len(sp, st->padding, f->w);
    double border = pm_spec_len(sp, st->border, f->w);
    f->left += ind + border + pm_spec_len(sp, st->rule, f->w) + pad;
    f->right += ind + border + pad;
    f->above = c->prev && c->prev->kind != PM_BLK_HEADING
                   ? fmax(c->space, snap_up(pm_spec_len(sp, st->space_before, fs->rg->h), fs->L))
                   : 0;
    c->prev = NULL;
    c->space = 0;
    c->after_fig = 0;
}

/* Box frame f is left: what follows is set apart from it (no indent; the space below it
 * at least). */
static void leave_box(const fstate *fs, cursor *c, const cframe *f)
{
    c->space = fmax(c->space, snap_up(pm_spec_len(fs->spec, f->box->space_after, fs->rg->h), fs->L));
    if (!c->prev) c->prev = f->blk;
    c->prev_parent = f->blk;
    c->after_fig = 0;
}

/* How far a list indents its items: the layout's list indent, or more when its widest
 * marker ("100.") and half an em would not fit in it. */
static double list_indent(const fstate *fs, const pm_block *list, const cframe *f)
{
    const pm_spec *sp = fs->spec;
    const pm_font_spec *font = f->quote ? &sp->quote : &sp->body;
    double ind = pm_spec_len(sp, sp->list_indent, f->w), widest = 0;
    for (size_t k = 0; k < list->nkids; k++) {
        const char *m = list->kids[k].marker;
        if (!m || (k > 0 && k + 1 < list->nkids && strlen(m) < 4 && k % 8)) continue; /* (numbers grow) */
        widest = fmax(widest, pm_para_single(fs->set, m, font, NULL)->width);
    }
    return fmax(ind, widest + 0.5 * pm_font_size(sp, font));
}

/* The next event of the walk, with the container frames kept in step. */
static pm_walk_event cursor_step(const fstate *fs, cursor *c, const pm_block **b)
{
    if (c->leaf_box) { /* the leaf before was a box of its own */
        c->leaf_box = 0;
        leave_box(fs, c, &c->fr[--c->nfr]);
    }
    pm_walk_event ev = pm_walk_next(&c->w, b);
    if (ev == PM_WALK_ENTER && (*b)->kind == PM_BLK_DIV && pm_attrs_has(&(*b)->attrs, "parallel") &&
        !pm_parallel_problem(*b, NULL)) {
        pm_walk_skip(&c->w); /* set as a whole (add_parallel): a leaf to the walk */
        ev = PM_WALK_LEAF;
    }
    double qspace = snap_up(pm_spec_len(fs->spec, fs->spec->quote_space, fs->rg->h), fs->L);
    if (ev == PM_WALK_LEAVE) {
        c->nfr--;
        if ((*b)->kind == PM_BLK_QUOTE && !c->fr[c->nfr - 1].quote) c->space = fmax(c->space, qspace);
        if (c->fr[c->nfr].box) leave_box(fs, c, &c->fr[c->nfr]);
    } else if (ev == PM_WALK_ENTER) {
        const pm_spec *sp = fs->spec;
        cframe f = c->fr[c->nfr - 1];
        f.blk = *b;
        f.box = NULL;
        if ((*b)->kind == PM_BLK_QUOTE) {
            double q = pm_spec_len(sp, sp->quote_indent, f.w);
            f.left += q;
            f.right += q;
            if (!f.quote++ && c->prev) c->space = fmax(c->space, qspace);
        } else if ((*b)->kind == PM_BLK_LIST) {
            f.left += list_indent(fs, *b, &f);
            f.list++;
            f.tight = (*b)->tight;
        } else if ((*b)->kind == PM_BLK_ITEM) {
            c->marker = (*b)->marker;
            c->marker_left = f.left;
        } else if ((*b)->kind == PM_BLK_DIV && pm_attrs_has(&(*b)->attrs, "columns") && !f.cols) {
            const char *n = pm_attrs_get(&(*b)->attrs, "count");
            int cols = n ? atoi(n) : fs->spec->columns > 1 ? fs->spec->columns : 2;
            if (cols < 2) cols = 2;
            if (cols > 4) cols = 4;
            f.cols = cols;
            f.cols_rtl = (*b)->dir == PM_DIR_RTL;
            f.w = pm_column_width(fs, cols);
            f.left = f.right = 0;
        } else if ((*b)->kind == PM_BLK_DIV) {
            style_frame(fs, c, &f, *b);
        }
        c->fr[c->nfr++] = f;
    } else if (ev == PM_WALK_LEAF) {
        c->leaf++;
        if (pm_box_style(fs->spec, *b)) { /* a paragraph that is a box of its own */
            cframe f = c->fr[c->nfr - 1];
            f.blk = *b;
            f.box = NULL;
            style_frame(fs, c, &f, *b);
            c->fr[c->nfr++] = f;
            c->leaf_box = 1;
        }
    }
    return ev;
}

/* The next leaf (NULL at the end), its frame in *fr. */
static const pm_block *cursor_leaf(const fstate *fs, cursor *c, const cframe **fr)
{
    const pm_block *b;
    for (pm_walk_event ev; (ev = cursor_step(fs, c, &b)) != PM_WALK_END;)
        if (ev == PM_WALK_LEAF) {
            *fr = &c->fr[c->nfr - 1];
            return b;
        }
    return NULL;
}

/* Whether a leaf is left after the cursor (a copy walks ahead). */
static int cursor_more(const fstate *fs, const cursor *c)
{
    cursor ahead = *c;
    const cframe *fr;
    return cursor_leaf(fs, &ahead, &fr) != NULL;
}

/* After leaf b (in frame fr) is collected: it has taken its item's marker and the space
 * a quote asked for, and it is what the next leaf follows unless it set nothing (an empty
 * paragraph). A figure is passed over: the leaf after it follows the one before it, and
 * knows that a figure came between (where the figure ends up decides its indent). */
static void cursor_took(cursor *c, const pm_block *b, const cframe *fr, int set)
{
    c->marker = NULL;
    c->space = 0;
    if (!set) return;
    c->heading_open = b->kind == PM_BLK_HEADING ? b : b->kind == PM_BLK_RULE ? c->heading_open : NULL;
    if (b->kind == PM_BLK_FIGURE) {
        c->after_fig = 1;
        return;
    }
    c->after_fig = 0;
    c->prev = b->kind == PM_BLK_PAGEBREAK ? NULL : b;
    c->prev_parent = fr->blk;
    c->prev_list = fr->list;
}

/* Whether paragraph b, in a block quote, is its attribution: the quote's last paragraph,
 * opening with a dash ("— Thomas Jefferson"). */
static int is_attribution(const cursor *c, const pm_block *b, const cframe *fr)
{
    if (!fr->blk || fr->blk->kind != PM_BLK_QUOTE || b->kind != PM_BLK_PARA || b->text.len < 4) return 0;
    if (c->w.at[c->w.depth].i != c->w.at[c->w.depth].n) return 0; /* not the last in its quote */
    const unsigned char *t = (const unsigned char *)b->text.utf8;
    return t[0] == 0xE2 && t[1] == 0x80 && (t[2] == 0x94 || t[2] == 0x95 || t[2] == 0x93); /* — ― – */
}

/* How paragraph (or code) block b in frame fr is set, given what came before; its left
 * edge in *left_out. *alt_indent: its indent if the figure before it floats away (then
 * it follows the paragraph before the figure on the page). */
static pm_para_style para_style(fstate *fs, const cursor *c, const pm_block *b, const cframe *fr, double *left_out,
                                double *alt_indent)
{
    const pm_spec *sp = fs->spec;
    double pspace = pm_spec_len(sp, sp->para_space, fs->rg->h);
    double left = fr->left, right = fr->right;
    /* deeply nested quotes and lists indent no further once the column is down to a
       third of the text width (else the width goes negative and text leaves the page) */
    double room = fr->w / 3;
    if (fr->w - left - right < room && left + right > 0) {
        double k = (fr->w - room) / (left + right);
        left *= k;
        right *= k;
    }
    const pm_font_spec *font = b->kind == PM_BLK_CODE ? &sp->code : fr->quote ? &sp->quote : &sp->body;
    if (b->kind != PM_BLK_CODE) font = pm_style_font(sp, fr->font_st, font);
    int align = pm_class_align(sp, &b->attrs); /* the paragraph's own class, then its box's */
    if (align < 0) align = fr->align;
    const pm_block *prev = c->prev;
    int follows_para = prev && prev->kind == PM_BLK_PARA && c->prev_parent == fr->blk && !c->marker;
    int follows_heading = prev && prev->kind == PM_BLK_HEADING;
    double ind = 0;
    if (b->kind == PM_BLK_PARA && pspace == 0 && (follows_para || (follows_heading && sp->indent_after_heading)))
        ind = pm_spec_len(sp, sp->indent, fr->w);
    int attribution = is_attribution(c, b, fr);
    if (attribution || align == PM_ALIGN_CENTER || align == PM_ALIGN_RIGHT) ind = 0;
    *alt_indent = fs->back ? 0 : ind;
    if (c->after_fig) ind = 0;
    /* right to left: the indents of lists (and the marker) on the right */
    pm_dir dir = b->kind == PM_BLK_CODE ? PM_DIR_LTR : b->dir; /* (code reads left to right) */
    *left_out = b->dir == PM_DIR_RTL ? right : left;
    return (pm_para_style){.font = font,
                           .align = b->kind == PM_BLK_CODE ? (b->dir == PM_DIR_RTL ? PM_ALIGN_RIGHT : PM_ALIGN_LEFT)
                                    : fs->back             ? PM_ALIGN_CENTER
                                    : attribution          ? PM_ALIGN_END
                                    : align >= 0           ? (pm_align)align
                                                           : pm_dir_align(sp->align, dir),
                           .dir = dir,
                           .lang = b->lang,
                           .width = fr->w - left - right,
                           .indent = fs->back ? 0 : ind,
                           .hyphenate = sp->hyphenate && !attribution,
                           .code = b->kind == PM_BLK_CODE};
}

static int is_text(const pm_block *b) { return (b->kind == PM_BLK_PARA || b->kind == PM_BLK_CODE) && b->text.len; }

/* Each text leaf from the cursor on, with the style it would be set in, as long as fn
 * returns 1. */
static void each_text_leaf(fstate *fs, const cursor *from, int (*fn)(fstate *, const cursor *, const pm_block *,
                                                                    const pm_para_style *, void *),
                           void *arg)
{
    cursor c = *from;
    const cframe *fr;
    for (const pm_block *b; (b = cursor_leaf(fs, &c, &fr));) {
        if (is_text(b)) {
            double left, alt;
            pm_para_style st = para_style(fs, &c, b, fr, &left, &alt);
            if (!fn(fs, &c, b, &st, arg)) return;
        }
        cursor_took(&c, b, fr, is_text(b) || (b->kind != PM_BLK_PARA && b->kind != PM_BLK_CODE));
    }
}

/* Shape the first paragraphs before breaking any: the hyphenation patterns, loading on
 * the other core, are then ready when the first paragraph needs them. */
static int preshape_one(fstate *fs, const cursor *c, const pm_block *b, const pm_para_style *st, void *arg)
{
    collector *col = arg;
    if (c->leaf > PRESHAPE * 4) return 0;
    pm_ahead_reached(col->ahead, c->leaf);
    col->pre[c->leaf - 1] = pm_para_shape(fs->set, &b->text, st);
    return ++col->npre < PRESHAPE;
}

/* Hand every paragraph to the helper thread that shapes ahead (a first build). */
static int ahead_one(fstate *fs, const cursor *c, const pm_block *b, const pm_para_style *st, void *arg)
{
    (void)fs;
    pm_ahead_add(arg, &b->text, st, c->leaf);
    return 1;
}

void pm_collector_init(fstate *fs, collector *c, const pm_block *blocks, size_t n)
{
    memset(c, 0, sizeof *c);
    pm_walk_init(&c->cur.w, blocks, n);
    int cols = fs->spec->columns > 1 ? fs->spec->columns : 0;
    c->cur.fr[0] = (cframe){.w = pm_column_width(fs, cols), .cols = cols, .align = -1,
                            .cols_rtl = cols && fs->doc->meta.dir == PM_DIR_RTL};
    c->cur.nfr = 1;
    c->more = cursor_more(fs, &c->cur);
    c->ahead = pm_ahead_open(fs->set);
    if (c->ahead) {
        each_text_leaf(fs, &c->cur, ahead_one, c->ahead);
        pm_ahead_added(c->ahead);
    }
    if (!pm_setter_keeps(fs->set) && !(fs->fit && !fs->fit->record)) each_text_leaf(fs, &c->cur, preshape_one, c);
}

void pm_collector_done(collector *c)
{
    pm_ahead_close(c->ahead);
    for (size_t k = 0; k < PRESHAPE * 4; k++) pm_shaped_drop(c->pre[k]); /* unused after an error */
}

static void add_rule(fstate *fs, vlist *vl, const cframe *fr)
{
    pm_vglue(vl, 0, 0);
    vitem *r = pm_vpush(vl, V_RULE);
    r->h = 2 * fs->L;
    r->rule_w = fr->w / 4;
    r->rule_x = (fr->w - r->rule_w) / 2;
    r->rule_at = 0.5;
    r->rule_t = 0.5;
}

/* Paragraph or code block b, in frame fr: set (or taken shaped from pre), the space above
 * it, its lines and its item's marker. Returns 0 if it has no lines (it is then not what
 * the next block follows). */
static int add_paragraph(fstate *fs, vlist *vl, collector *col, const pm_block *b, const cframe *fr)
{
    const pm_spec *sp = fs->spec;
    cursor *c = &col->cur;
    double left, alt_indent;
    pm_para_style st = para_style(fs, c, b, fr, &left, &alt_indent);
    const pm_font_spec *font = st.font;
    pm_para pp;
    pm_shaped *sh = NULL;
    pm_ahead_reached(col->ahead, c->leaf);
    if (c->leaf - 1 < PRESHAPE * 4) {
        sh = col->pre[c->leaf - 1];
        col->pre[c->leaf - 1] = NULL;
    }
    const pm_text *text = &b->text;
    const vhung *initial = NULL;
    int drop = 0;
    if (pm_opens_section(fs, c, b, fr)) { /* a drop cap, small caps: set as it opens */
        pm_shaped_drop(sh);
        sh = NULL;
        text = pm_opening(fs, b, &st, left, &initial, &drop);
    }
    /* a paragraph in a box, in a font off the grid, is never set again a line longer or
       shorter: the box, whole lines tall as it is, would move the text after it off; nor
       one with a drop cap, which must keep the lines it spans */
    int offgrid = (col->nopen && fabs(pm_flow_leading(fs, font) - fs->L) > EPS) || drop;
    int loose = offgrid ? 0 : pm_fit_looseness(fs, fs->para_no + 1), borrowed = 0;
    if (fs->fit && !offgrid && text == &b->text) { /* fitting a page count: from the fit's cache */
        borrowed = pm_fit_para(fs, fs->para_no + 1, text, &st, loose, &sh, &pp);
        if (fs->fit->record && pp.nlines) pm_fit_record(fs, fs->para_no + 1, sh, &st, pp.nlines);
    } else if (pm_setter_keeps(fs->set) && !fs->fit) { /* watch mode: from the cache if unchanged */
        pm_para_set(fs->set, text, &st, fs->a, &pp);
    } else { /* keep the shaped text: the page builder may set it again */
        if (!sh) sh = pm_para_shape(fs->set, text, &st);
        pm_para_break(fs->set, sh, loose, pm_lines_arena(fs, fs->nparas), &pp);
        if (fs->fit && fs->fit->record && pp.nlines && !offgrid)
            pm_fit_record(fs, fs->para_no + 1, sh, &st, pp.nlines);
    }
    if (!pp.nlines) {
        if (!borrowed) pm_shaped_drop(sh);
        return 0;
    }
    if (c->prev) {
        double pspace = pm_spec_len(sp, sp->para_space, fs->rg->h);
        double lspace = pm_spec_len(sp, sp->list_item_space, fs->rg->h);
        double s = 0;
        if (fr->list && c->prev_list && c->marker) s = fr->tight ? lspace : fmax(lspace, pspace);
        else if ((c->prev->kind == PM_BLK_PARA || c->prev->kind == PM_BLK_CODE) && !c->after_fig) s = pspace;
        /* a code block is set apart from the text around it (not from a heading above it,
           which keeps its own space), by whole lines, as a quote is */
        if ((b->kind == PM_BLK_CODE && c->prev->kind != PM_BLK_HEADING) ||
            (c->prev->kind == PM_BLK_CODE && b->kind != PM_BLK_CODE && !c->after_fig))
            s = fmax(s, snap_up(pm_spec_len(sp, sp->code_space, fs->rg->h), fs->L));
        /* a little stretch between paragraphs: when no paragraph on a page can be
           set a line longer or shorter, the gaps take up the missing line (TeX's
           flush bottom), so facing pages still end on one baseline */
        pm_vglue(vl, fmax(s, c->space), sp->flush_bottom ? fs->L * 0.25 : 0);
    }
    const pm_line *marker = NULL;
    double mx = 0;
    if (c->marker) {
        marker = pm_para_single_dir(fs->set, c->marker, font, st.dir, fs->a);
        if (st.dir == PM_DIR_RTL) /* hangs on the right */
            mx = fmin(left + st.width + pm_font_size(sp, font) * 0.5, fr->w - marker->width);
        else
            mx = fmax(left - pm_font_size(sp, font) * 0.5 - marker->width, 0);
    }
    add_lines(fs, vl, text, &st, &pp, sh, left, font, marker, mx, initial, drop);
    vpara *P = &fs->paras[fs->nparas - 1];
    P->loose = loose;
    P->borrowed = borrowed;
    P->band = fr->cols;
    P->band_rtl = fr->cols_rtl;
    P->box = col->nopen ? col->open[col->nopen - 1] : NULL;
    P->after_fig = c->after_fig ? col->fig : NULL;
    P->alt_indent = alt_indent;
    if (offgrid)
        for (size_t k = P->first; k < vl->n; k++) vl->v[k].vp = -1;
    return 1;
}

/* The leaves of a block: itself, or what a container holds (at most max). */
static size_t leaves_of(const pm_block *b, const pm_block **out, size_t max)
{
    if (!pm_block_is_container(b)) {
        if (max) out[0] = b;
        return 1;
    }
    pm_walk w;
    pm_walk_init(&w, b->kids, b->nkids);
    size_t n = 0;
    const pm_block *x;
    for (pm_walk_event ev; (ev = pm_walk_next(&w, &x)) != PM_WALK_END;)
        if (ev == PM_WALK_LEAF && (x->kind == PM_BLK_PARA || x->kind == PM_BLK_HEADING) && x->text.len) {
            if (n < max) out[n] = x;
            n++;
        }
    return n;
}

/* Leaf b of a parallel text set in a column of width w: a heading in its font, a
 * paragraph as the body (ragged: flush to its start, not justified), indented when it
 * follows a paragraph. */
static void set_side(fstate *fs, const pm_block *b, double w, const pm_block *prev, int ragged, pm_para *out)
{
    const pm_spec *sp = fs->spec;
    pm_align al = ragged && sp->align == PM_ALIGN_JUSTIFY ? PM_ALIGN_START : sp->align;
    pm_para_style st = {.font = &sp->body, .align = pm_dir_align(al, b->dir), .width = w,
                        .hyphenate = sp->hyphenate, .dir = b->dir, .lang = b->lang};
    if (b->kind == PM_BLK_HEADING) {
        const pm_heading_spec *hs = &sp->h[b->level - 1];
        st = (pm_para_style){.font = &hs->font, .align = pm_dir_align(hs->align, b->dir), .width = w,
                             .hyphenate = hs->hyphenate, .dir = b->dir, .lang = b->lang};
    } else if (prev && prev->kind == PM_BLK_PARA && pm_spec_len(sp, sp->para_space, fs->rg->h) == 0) {
        st.indent = pm_spec_len(sp, sp->indent, w);
    }
    pm_para_set(fs->set, &b->text, &st, fs->a, out);
}

/* Whether a parallel text set justified (set[row][side]; its columns under half the
 * measure) has every line within the layout's tolerance (TeX's: the badness of its
 * spacing); if not, both columns are set ragged, as a designer sets narrow columns, rather than a few
 * loose lines (gaps that open rivers) among justified ones. */
static int justifiable(const fstate *fs, const pm_block *side[2][PM_PARALLEL_MAX], const size_t n[2], size_t rows,
                       pm_para (*set)[2])
{
    if (fs->spec->align != PM_ALIGN_JUSTIFY) return 1;
    for (size_t r = 0; r < rows; r++)
        for (int s = 0; s < 2; s++)
            if (r < n[s] && side[s][r]->kind == PM_BLK_PARA)
                for (int l = 0; l < set[r][s].nlines; l++)
                    if (pm_badness(set[r][s].lines[l].ratio) > fs->spec->tolerance) return 0;
    return 1;
}

/* Set the rows of a parallel text into set[row][side] (ragged: its paragraphs). */
static void set_rows(fstate *fs, const pm_block *side[2][PM_PARALLEL_MAX], const size_t n[2], size_t rows, double w,
                     int ragged, pm_para (*set)[2])
{
    for (size_t r = 0; r < rows; r++)
        for (int s = 0; s < 2; s++)
            if (r < n[s] && (!ragged || side[s][r]->kind == PM_BLK_PARA))
                set_side(fs, side[s][r], w, r && r - 1 < n[s] ? side[s][r - 1] : NULL, ragged, &set[r][s]);
}

/* A '::: parallel' div: its two parts (two divs, one per language) side by side, the n-th
 * paragraph of one beside the n-th of the other, so that translations stay level. Each
 * pair is a row whose lines are set like table cells; a page may break between rows and
 * between the lines of a row (no widow or orphan on either side). In a right-to-left
 * div (or pamphlet) the first part is on the right, where reading starts. */
static void add_parallel(fstate *fs, vlist *vl, const pm_block *div, const cframe *fr)
{
    double gap = pm_column_gap(fs), w = (fr->w - fr->left - fr->right - gap) / 2;
    const pm_block *side[2][PM_PARALLEL_MAX];
    size_t n[2];
    for (int s = 0; s < 2; s++) n[s] = leaves_of(&div->kids[s], side[s], PM_PARALLEL_MAX);
    size_t rows = n[0] > n[1] ? n[0] : n[1];
    if (rows > PM_PARALLEL_MAX) rows = PM_PARALLEL_MAX;
    const pm_spec *sp = fs->spec;
    pm_para(*set)[2] = pm_xcalloc(rows ? rows : 1, sizeof *set);
    set_rows(fs, side, n, rows, w, 0, set);
    if (!justifiable(fs, side, n, rows, set)) set_rows(fs, side, n, rows, w, 1, set);
    for (size_t r = 0; r < rows; r++) {
        const pm_para *p = set[r];
        double lead[2] = {0, 0}, size[2] = {0, 0};
        for (int s = 0; s < 2; s++) {
            if (r >= n[s]) continue;
            const pm_font_spec *f = side[s][r]->kind == PM_BLK_HEADING ? &sp->h[side[s][r]->level - 1].font : &sp->body;
            lead[s] = pm_flow_leading(fs, f);
            size[s] = pm_font_size(sp, f);
        }
        int lines = p[0].nlines > p[1].nlines ? p[0].nlines : p[1].nlines;
        double L = fmax(fmax(lead[0], lead[1]), fs->L);
        pm_vglue(vl, r ? pm_spec_len(sp, sp->para_space, fs->rg->h) : fs->L, fs->L * 0.25);
        for (int l = 0; l < lines; l++) {
            if (l) pm_vpenalty(vl, l < sp->orphans || lines - l < sp->widows ? PM_INF_PENALTY : 0);
            vitem *last = NULL;
            for (int s = 0; s < 2; s++) {
                if (l >= p[s].nlines) continue;
                vitem *it = pm_vpush(vl, V_LINE);
                it->line = &p[s].lines[l];
                it->x = fr->left + (div->dir == PM_DIR_RTL ? 1 - s : s) * (w + gap);
                it->base = slot_base(L, size[s]);
                it->cell = 1;
                last = it;
            }
            if (last) last->h = L;
        }
    }
    free(set);
    pm_vglue(vl, fs->L, 0); /* a line under the parallel text */
}

double pm_column_gap(const fstate *fs)
{
    return pm_spec_len(fs->spec, fs->spec->column_gap, fs->rg->w);
}

double pm_column_width(const fstate *fs, int cols)
{
    return cols > 1 ? (fs->rg->w - (cols - 1) * pm_column_gap(fs)) / cols : fs->rg->w;
}

/* Whether leaf b, in columns, is set across all of them: a heading of a level the layout
 * spans, a figure marked {.span}, a parallel text (its own two columns inside one of the
 * page's would be four columns of a few words each), a table whose longest words do not
 * fit side by side in a column (set in one, every word of it broke: "mu-/tinies"). */
static int spans(fstate *fs, const cursor *c, const pm_block *b, const cframe *fr)
{
    if (b->kind == PM_BLK_HEADING) return fs->spec->h[b->level - 1].span;
    if (b->kind == PM_BLK_DIV) return 1; /* (the only div that is a leaf: a parallel text) */
    if (b->kind == PM_BLK_TABLE) {
        double left, alt;
        cursor fresh = *c; /* (as the table is set: add_leaf) */
        fresh.prev = NULL;
        pm_para_style base = para_style(fs, &fresh, b, fr, &left, &alt);
        return !pm_table_fits(fs, b, &base);
    }
    return b->kind == PM_BLK_FIGURE && pm_attrs_has(&b->attrs, "span");
}

/* Whether heading b, in columns, is followed at once by a leaf set across them (a
 * level-1 heading, a wide table, a .span figure; or a heading that is, in turn): it goes
 * across with it, so that it stays with what it heads. In a column it ended the column,
 * and what it heads began across the next page. c: the cursor after b. */
static int heads_spanning(fstate *fs, const cursor *c, const pm_block *b, int depth)
{
    if (b->kind != PM_BLK_HEADING || depth > 4) return 0;
    cursor ahead = *c;
    const cframe *nfr;
    const pm_block *nb = cursor_leaf(fs, &ahead, &nfr);
    return nb && nfr->cols && (spans(fs, &ahead, nb, nfr) || heads_spanning(fs, &ahead, nb, depth + 1));
}

const pm_snode *pm_snode_new(fstate *fs, const char *role, const pm_snode *up)
{
    pm_snode *n = pm_arena_alloc(fs->a, sizeof *n);
    *n = (pm_snode){.role = role, .up = up};
    return n;
}

/* The structure elements of the lists and items the cursor is in, kept in step with it
 * (an element per list and item, made when the cursor enters it); returns the innermost
 * (an L, or an item's LBody in its LI), or NULL outside lists. */
static const pm_snode *sync_struct(fstate *fs, collector *col)
{
    const cursor *c = &col->cur;
    int n = 0;
    for (int f = 1; f < c->nfr; f++) {
        const pm_block *b = c->fr[f].blk;
        if (!b || (b->kind != PM_BLK_LIST && b->kind != PM_BLK_ITEM)) continue;
        if (n < col->nsn && col->sn_blk[n] == b) {
            n++;
            continue;
        }
        col->nsn = n;
        const pm_snode *up = n ? col->sn[n - 1] : NULL;
        col->sn_blk[n] = b;
        col->sn[n++] = b->kind == PM_BLK_LIST ? pm_snode_new(fs, "L", up)
                                              : pm_snode_new(fs, "LBody", pm_snode_new(fs, "LI", up));
        col->nsn = n;
    }
    col->nsn = n;
    return n ? col->sn[n - 1] : NULL;
}


/* A page break the source puts right under a heading (thematic breaks aside) leaves the
 * heading alone at the foot of its page: as written, and said once. */
static void warn_heading_alone(fstate *fs, const pm_block *h, const pm_block *brk)
{
    const pm_text *t = pm_heading_text(fs, h);
    pm_warn(fs->doc->path, brk->line, 0, "\\newpage right under heading '%.60s' (line %d) leaves the heading alone at "
            "the end of its page", t && t->utf8 ? t->utf8 : "", h->line);
    pm_hint("put \\newpage above the heading, unless the heading is meant to stand alone (a part's title page)");
}

/* The height of the headings (and rules between them) that leaf b, whose items begin at
 * n0, ends, from the first one's top: a figure after them is sized to share their page. */
static void heads_height(cursor *c, const vlist *vl, size_t n0, const pm_block *b)
{
    if (b->kind != PM_BLK_HEADING && !(b->kind == PM_BLK_RULE && c->heading_open)) return;
    size_t k = n0;
    if (!c->heading_open) { /* the first of them: from its top (the space above it goes at a page's top) */
        c->heads_h = 0;
        while (k < vl->n && vl->v[k].kind != V_LINE && vl->v[k].kind != V_RULE) k++;
    }
    for (; k < vl->n; k++) c->heads_h += vl->v[k].kind == V_PENALTY ? 0 : vl->v[k].h;
}

/* Add the items of the next leaf. Returns 0 when there are no more. */
static int collect_next(fstate *fs, vlist *vl, collector *col)
{
    cursor *c = &col->cur;
    const cframe *fr;
    const pm_block *b = fs->rc ? NULL : cursor_leaf(fs, c, &fr);
    if (!b) {
        fs->sn = NULL;
        pm_sync_boxes(fs, vl, col, 1);
        col->more = 0;
        return 0;
    }
    pm_sync_boxes(fs, vl, col, 0);
    fs->sn = sync_struct(fs, col);
    cframe across;
    if (fr->cols && (spans(fs, c, b, fr) || heads_spanning(fs, c, b, 0))) { /* set across the columns, as if outside them */
        across = (cframe){.blk = fr->blk, .w = fs->rg->w, .quote = fr->quote, .list = fr->list,
                          .align = fr->align, .font_st = fr->font_st};
        fr = &across;
    }
    size_t n0 = vl->n;
    int took = 1;
    switch (b->kind) {
    case PM_BLK_PAGEBREAK:
        if (c->heading_open) warn_heading_alone(fs, c->heading_open, b);
        pm_vpenalty(vl, -PM_INF_PENALTY);
        break;
    case PM_BLK_RULE: add_rule(fs, vl, fr); break;
    case PM_BLK_FIGURE:
        pm_vglue(vl, 0, 0);
        col->fig = add_figure(fs, vl, b, fr, c->heading_open ? c->heads_h : 0);
        break;
    case PM_BLK_HEADING: pm_add_heading(fs, vl, b, fr, c->prev == NULL); break;
    case PM_BLK_TOC: pm_add_toc(fs, vl, fr, c->prev == NULL); break;
    case PM_BLK_TABLE: {
        double left;
        double alt;
        cursor fresh = *c; /* a table is set as if nothing came before it */
        fresh.prev = NULL;
        pm_para_style base = para_style(fs, &fresh, b, fr, &left, &alt);
        pm_add_table(fs, vl, b, &base, left);
        break;
    }
    case PM_BLK_PARA:
    case PM_BLK_CODE: took = add_paragraph(fs, vl, col, b, fr); break;
    case PM_BLK_DIV: add_parallel(fs, vl, b, fr); break; /* (the only div that is a leaf) */
    default: break; /* (containers are walked, never collected) */
    }
    const vbox *box = col->nopen ? col->open[col->nopen - 1] : NULL;
    for (size_t k = n0; k < vl->n; k++) {
        vl->v[k].band = fr->cols;
        vl->v[k].band_rtl = fr->cols_rtl;
        vl->v[k].across = fr == &across;
        vl->v[k].box = box;
        if (vl->v[k].kind == V_LINE && !vl->v[k].sn) vl->v[k].sn = fs->sn;
    }
    if (fr->cols) fs->banded = 1;
    heads_height(c, vl, n0, b);
    cursor_took(c, b, fr, took);
    col->more = cursor_more(fs, c);
    return 1;
}

/* Collect until the list from item i holds three pages' worth (more than the page
 * builder looks at: one page, plus what setting a paragraph again can move), or all. */
void pm_collect_ahead(fstate *fs, vlist *vl, collector *c, size_t i)
{
    double h = 0;
    size_t k = i;
    for (;;) {
        for (; k < vl->n && h < 3 * fs->rg->h; k++)
            if (vl->v[k].kind != V_FIGURE) h += vl->v[k].h;
        if (h >= 3 * fs->rg->h && vl->n > i + 40) return;
        if (!collect_next(fs, vl, c)) return;
    }
}
