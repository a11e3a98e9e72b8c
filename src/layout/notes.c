/* notes.c - footnotes: each set once as a paragraph of the footnote font, and the
 * accountant of the insertions at a region's foot (see flow-imp.h).
 *
 * A note goes at the foot of the region whose text refers to it. When the last note met
 * does not fit whole, it may be split, as TeX splits an insertion: at least two lines on
 * each side, never after a hyphenated line; its rest is carried to the foot of the next
 * region, before that region's own notes. A split note is the last at its foot, so while
 * a carried note goes on past a region, no other note goes there: the accountant holds
 * them back, and the page breaker ends the region before what refers to them (a region
 * with no text before such a reference is the carried note's alone, which fills it). When
 * that would break a rule (a heading or a lone first line at the foot), the page breaker
 * has them held over instead, as TeX holds insertions over: they go whole to the next
 * region's foot after the carried note (notes_acc.defer), and so does a note too short to
 * split that has no room left under its line, even as the region's first note (but a note
 * held over already is held over again only past other notes: it never waits for ever);
 * so do the notes that would run off a region whose first item (a line, figures at its
 * top) names more than it holds with them. A note that names others is split only when it
 * is too tall for a page with a line of text: the notes it names then follow its rest. A note
 * printed already and referred to again is not held over but left out: it is printed
 * again only at the foot of its mark's page. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/flow-imp.h"

/* The note's number, an en space, then its text: a pm_text of its own (spans and source
 * lines moved by the number's length). */
static const pm_text *numbered_text(fstate *fs, const pm_note *n)
{
    char num[16];
    int nl = snprintf(num, sizeof num, "%d\xE2\x80\x82", n->number); /* en space */
    pm_text *t = pm_arena_alloc(fs->a, sizeof *t);
    *t = n->text;
    char *u = pm_arena_alloc(fs->a, n->text.len + (size_t)nl + 1);
    memcpy(u, num, (size_t)nl);
    memcpy(u + nl, n->text.utf8, n->text.len);
    t->utf8 = u;
    t->len = n->text.len + (uint32_t)nl;
    t->spans = pm_arena_array(fs->a, n->text.nspans + 1, sizeof(pm_span));
    for (uint32_t k = 0; k < n->text.nspans; k++) {
        t->spans[k] = n->text.spans[k];
        t->spans[k].start += (uint32_t)nl;
        t->spans[k].end += (uint32_t)nl;
    }
    t->line_starts = pm_arena_array(fs->a, n->text.nline_starts + 1, sizeof(uint32_t));
    for (uint32_t k = 0; k < n->text.nline_starts; k++) t->line_starts[k] = n->text.line_starts[k] + (uint32_t)nl;
    return t;
}

void pm_notes_set(fstate *fs)
{
    const pm_spec *sp = fs->spec;
    const pm_doc *doc = fs->doc;
    fs->nnotes = (int)doc->nnotes;
    fs->lay->note_order = pm_arena_array(fs->lay->arena, doc->nnotes + 1, sizeof *fs->lay->note_order);
    fs->lay->nnote_order = 0;
    fs->notes = pm_arena_array(fs->a, doc->nnotes + 1, sizeof(notebox));
    fs->note_sep = pm_spec_len(sp, sp->note_space, fs->rg->h);
    for (size_t i = 0; i < doc->nnotes; i++) {
        const pm_text *t = numbered_text(fs, &doc->notes[i]);
        pm_para_style st = {.font = &sp->footnote, .align = sp->align, .width = fs->rg->w, .hyphenate = sp->hyphenate,
                            .dir = fs->doc->meta.dir, .lang = fs->doc->meta.lang};
        pm_para_set(fs->set, t, &st, fs->a, &fs->notes[i].para);
        fs->notes[i].para.leading *= fs->lscale;
        fs->notes[i].h = fs->notes[i].para.nlines * fs->notes[i].para.leading;
    }
}

int pm_carried_lines(const fstate *fs, const region *rg)
{
    if (!rg->carry_note) return 0;
    const pm_para *p = &fs->notes[rg->carry_note - 1].para;
    int rest = p->nlines - rg->carry_from;
    double top = 0; /* (under the figures at the top of the page) */
    for (int k = 0; k < rg->ntop; k++) top += pm_float_height(fs, rg->top[k]);
    double text = rg->notes_only ? 0 : fs->L;
    /* (the notes' height is taken in whole lines of text: snap_up) */
    double room = floor((rg->h - top - text) / fs->L + 1e-6) * fs->L;
    int fit = (int)floor((room - fs->note_sep) / p->leading + 1e-6);
    if (fit < 1) fit = 1;
    if (rest <= fit) return rest;
    while (fit > 1 && p->lines[rg->carry_from + fit - 1].hyphenated) fit--; /* (never after a broken word) */
    return fit;
}

/* Note no, met on a line that makes the region used tall with notes_h of notes before it,
 * does not fit whole: the number of its lines that do fit at the foot, when it may be
 * split there (two lines at least on each side, not after a broken word), else 0. */
static int note_split(const fstate *fs, const region *rg, int no, double used, double notes_h)
{
    const pm_para *p = &fs->notes[no - 1].para;
    for (int k = p->nlines - 2; k >= 2; k--) /* never after a hyphenated line, as TeX */
        if (!p->lines[k - 1].hyphenated && used + snap_up(notes_h + k * p->leading, fs->L) <= rg->h + EPS)
            return k;
    return 0;
}

static void push_int(int **v, int *n, int *cap, int x)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *v = pm_xrealloc(*v, (size_t)*cap * sizeof **v);
    }
    (*v)[(*n)++] = x;
}

static void add_part(notes_acc *acc, int no, int from, int to)
{
    if (acc->nparts == acc->cap) {
        acc->cap = acc->cap ? acc->cap * 2 : 16;
        acc->parts = pm_xrealloc(acc->parts, (size_t)acc->cap * sizeof *acc->parts);
    }
    acc->parts[acc->nparts++] = (note_part){no, from, to};
}

/* Hold note no over to the next region (notes_acc.defer); a note printed already is left
 * out instead. */
static void hold_over(const fstate *fs, notes_acc *acc, int no)
{
    if (fs->notes[no - 1].printed) {
        acc->dropped++;
        return;
    }
    acc->seen[no - 1] = 1;
    push_int(&acc->over, &acc->nover, &acc->over_cap, no);
}

/* Add note no (met where the region is used tall), then the notes its own text refers
 * to, after it. */
static void acc_note(const fstate *fs, const region *rg, notes_acc *acc, int no, double used)
{
    if (no < 1 || no > fs->nnotes || acc->seen[no - 1]) return;
    if (acc->closed || acc->split || acc->nover) { /* (the page breaker ends the region before what refers to it) */
        if (acc->defer) hold_over(fs, acc, no); /* (or, as its last resort, holds the note over) */
        else acc->held++;
        return;
    }
    const notebox *nb = &fs->notes[no - 1];
    double h = acc->h + (acc->nparts ? 0 : fs->note_sep);
    int refs = 0; /* (a note that refers to others is not split: they follow it whole; */
    for (int l = 0; l < nb->para.nlines; l++) refs += nb->para.lines[l].nnotes;
    /* but one too tall for any page with a line of text is: they are held over after it) */
    int tall = snap_up(fs->note_sep + nb->h, fs->L) + fs->L > rg->h + EPS;
    int whole = used + snap_up(h + nb->h, fs->L) <= rg->h + EPS;
    int fit = acc->may_split && (!refs || tall) && !whole ? note_split(fs, rg, no, used, h) : 0;
    /* (too long for what is left, and too short to split or naming others: held over
       even when it would be the first note here, its mark's line then going on the page
       rather than a lone first line or a heading left at the foot) */
    if (!whole && !fit && acc->defer && (acc->nparts || !acc->again)) {
        hold_over(fs, acc, no);
        return;
    }
    acc->seen[no - 1] = 1;
    acc->h = h;
    if (fit) {
        acc->split = 1;
        acc->h += fit * nb->para.leading;
        add_part(acc, no, 0, fit);
    } else {
        acc->h += nb->h;
        add_part(acc, no, 0, nb->para.nlines);
    }
    for (int l = 0; l < nb->para.nlines; l++)
        for (int k = 0; k < nb->para.lines[l].nnotes; k++) {
            int sub = nb->para.lines[l].notes[k];
            if (sub >= 1 && sub <= fs->nnotes && !fs->notes[sub - 1].printed) acc_note(fs, rg, acc, sub, used);
        }
}

void pm_acc_begin(const fstate *fs, region *rg, notes_acc *acc)
{
    acc->off = 0;
    acc->nparts = 0;
    acc->h = 0;
    acc->split = 0;
    acc->held = 0;
    acc->nover = 0;
    acc->dropped = 0;
    acc->seen = pm_xrealloc(acc->seen, ((size_t)fs->nnotes + 1) * sizeof *acc->seen);
    memset(acc->seen, 0, ((size_t)fs->nnotes + 1) * sizeof *acc->seen);
    int carried = pm_carried_lines(fs, rg);
    /* a note may be split here only if no carried note goes on past this region */
    acc->may_split = !rg->carry_note || carried == fs->notes[rg->carry_note - 1].para.nlines - rg->carry_from;
    acc->closed = !acc->may_split;
    if (carried) {
        acc->h = fs->note_sep + carried * fs->notes[rg->carry_note - 1].para.leading;
        add_part(acc, rg->carry_note, rg->carry_from, rg->carry_from + carried);
    }
    /* the notes held over, whole after it (a line of text left, as for the carried
       note), or held over again */
    int defer = acc->defer;
    acc->defer = 1;
    acc->again = 1;
    for (int k = 0; k < rg->nover; k++) acc_note(fs, rg, acc, rg->over[k], rg->notes_only ? 0 : fs->L);
    acc->again = 0;
    acc->defer = defer;
    double used = 0; /* the figures at the top of the page: their captions' notes */
    for (int k = 0; k < rg->ntop; k++) {
        used += pm_float_height(fs, rg->top[k]);
        acc->defer = defer || (k == 0 && rg->defer_top);
        pm_acc_fig(fs, rg, acc, rg->top[k], used);
        acc->defer = defer;
    }
}

void pm_acc_line(const fstate *fs, const region *rg, notes_acc *acc, const pm_line *line, double used)
{
    if (acc->off) return;
    for (int k = 0; k < line->nnotes; k++) acc_note(fs, rg, acc, line->notes[k], used);
}

void pm_acc_fig(const fstate *fs, const region *rg, notes_acc *acc, const vfig *f, double used)
{
    for (int l = 0; l < f->ncap; l++) pm_acc_line(fs, rg, acc, &f->cap[l], used);
}

void pm_acc_undo(notes_acc *acc, notes_mark m)
{
    for (int k = m.nparts; k < acc->nparts; k++)
        if (acc->parts[k].from == 0) acc->seen[acc->parts[k].no - 1] = 0;
    for (int k = m.nover; k < acc->nover; k++) acc->seen[acc->over[k] - 1] = 0;
    acc->nover = m.nover;
    acc->dropped = m.dropped;
    acc->nparts = m.nparts;
    acc->h = m.h;
    acc->split = m.split;
    acc->held = m.held;
}

double pm_acc_height(const fstate *fs, const notes_acc *acc)
{
    return acc->nparts ? snap_up(acc->h, fs->L) : 0;
}

int pm_acc_holds(const fstate *fs, const region *rg, const notes_acc *acc, double used)
{
    if (used + pm_acc_height(fs, acc) > rg->h + EPS) return 0;
    for (int k = 0; k < acc->nparts; k++) {
        const note_part *np = &acc->parts[k];
        const pm_para *p = &fs->notes[np->no - 1].para;
        if (np->to == p->nlines) continue;
        /* a note that goes on over the page is its last, as TeX holds the insertions
           after a split one over (a carried note that goes on leaves no room for the
           notes of figures at the top), and leaves two lines at least, not after a
           broken word */
        if (k < acc->nparts - 1 || np->to - np->from < 2 || p->lines[np->to - 1].hyphenated) return 0;
    }
    return 1;
}

void pm_acc_free(notes_acc *acc)
{
    free(acc->parts);
    free(acc->seen);
    free(acc->over);
    memset(acc, 0, sizeof *acc);
}

/* Lines [from, to) of note no at the foot of the page, from y; returns the y below. */
static double note_lines(fstate *fs, pm_page *pg, int no, int from, int to, double x, double y)
{
    const notebox *nb = &fs->notes[no - 1];
    double base = slot_base(nb->para.leading, pm_font_size(fs->spec, &fs->spec->footnote));
    for (int l = from; l < to; l++) {
        pm_line_item(fs, pg, &nb->para.lines[l], x, y + base, nb->para.leading, PM_FL_NOTE);
        y += nb->para.leading;
    }
    return y;
}

void pm_emit_notes(fstate *fs, region *rg, pm_page *pg, notes_mark mark, double tx, double ty, double tw,
                   double th)
{
    rg->nover = 0; /* (those held over now) */
    for (int k = 0; k < mark.nover; k++) push_int(&rg->over, &rg->nover, &rg->over_cap, rg->acc.over[k]);
    if (!mark.nparts) return;
    double ny = ty + th - snap_up(mark.h, fs->L) + fs->note_sep;
    pm_fitem *r = pm_page_add(fs->lay, pg, PM_FI_RULE);
    r->x = tx;
    r->y = ny - fs->note_sep / 2;
    r->w = tw / 4;
    r->h = 0.4;
    int carried = rg->carry_note != 0;
    for (int k = 0; k < mark.nparts; k++) {
        const note_part *np = &rg->acc.parts[k];
        ny = note_lines(fs, pg, np->no, np->from, np->to, tx, ny);
        /* (a note printed again, whole, on a later page that refers to it again is no first printing: the list
           has room for each note once) */
        if (np->from == 0 && !fs->notes[np->no - 1].printed && fs->lay->nnote_order < fs->nnotes)
            fs->lay->note_order[fs->lay->nnote_order++] = np->no;
        fs->notes[np->no - 1].printed = 1;
        int rest = np->to < fs->notes[np->no - 1].para.nlines;
        if (k == 0 && carried) { /* the carried note: maybe still not done */
            rg->carry_from = np->to;
            if (!rest) rg->carry_note = 0;
        } else if (rest) {
            rg->carry_note = np->no;
            rg->carry_from = np->to;
        }
    }
}
