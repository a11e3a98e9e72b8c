/* styles.c - what the layout's styles (`styles:` in a layout) make of the classes in the
 * content: which block is a box, the alignment and font a class gives, the check that
 * every class is known; and a box's START and END items in the vertical list, with the
 * room above and below its text (vlist.h). Emitting a box's tint, border and rules is in
 * emit.c. */
#include <math.h>
#include <string.h>

#include "base/diag.h"
#include "layout/flow-imp.h"

/* Classes the page builder reads itself (not styles). */
static const char *const builtin[] = {"back-cover", "columns", "parallel", "span", "unnumbered", "unlisted",
                                      "dropcap", "nodropcap", NULL};

/* Whether a style sets a paragraph apart from the text around it (and so makes it a box),
 * rather than only aligning it. */
static int sets_apart(const pm_style_spec *st)
{
    return st->space_before.v > 0 || st->space_after.v > 0 || st->tint[0] >= 0 || st->border.v > 0 ||
           st->rule.v > 0 || st->rules.v > 0 || st->padding.v > 0 || st->indent.v > 0 || st->keep || st->has_font;
}

const pm_style_spec *pm_box_style(const pm_spec *sp, const pm_block *b)
{
    if (b->kind != PM_BLK_DIV && b->kind != PM_BLK_PARA) return NULL;
    for (int i = 0; i < b->attrs.nclasses; i++) {
        const pm_style_spec *st = pm_spec_style(sp, b->attrs.classes[i]);
        if (st && (b->kind == PM_BLK_DIV || sets_apart(st))) return st;
    }
    return NULL;
}

int pm_class_align(const pm_spec *sp, const pm_attrs *a)
{
    int align = -1;
    for (int i = 0; i < a->nclasses; i++) {
        const pm_style_spec *st = pm_spec_style(sp, a->classes[i]);
        if (st && st->align >= 0) align = st->align;
    }
    return align;
}

const pm_style_spec *pm_class_font(const pm_spec *sp, const pm_attrs *a)
{
    const pm_style_spec *font = NULL;
    for (int i = 0; i < a->nclasses; i++) {
        const pm_style_spec *st = pm_spec_style(sp, a->classes[i]);
        if (st && st->has_font) font = st;
    }
    return font;
}

/* ---- the check ---- */

static int is_known(const pm_spec *sp, const char *cls)
{
    for (int i = 0; builtin[i]; i++)
        if (!strcmp(builtin[i], cls)) return 1;
    return pm_spec_style(sp, cls) != NULL;
}

static void warn_class(const fstate *fs, const pm_block *b, const char *cls)
{
    const pm_spec *sp = fs->spec;
    char list[600] = "";
    const char *names[PM_MAX_STYLES + 8];
    int n = 0;
    for (int i = 0; i < sp->nstyles; i++) {
        names[n++] = sp->styles[i].name;
        if (i) strncat(list, ", ", sizeof list - strlen(list) - 1);
        strncat(list, sp->styles[i].name, sizeof list - strlen(list) - 1);
    }
    for (int i = 0; builtin[i]; i++) names[n++] = builtin[i];
    int line = b->attrs.line ? b->attrs.line : b->line, col = b->attrs.line ? b->attrs.col : b->col;
    pm_warn(fs->doc->path, line, col, "unknown class '.%s': the layout %s has no style for it, so it is set "
            "as plain text", cls, sp->file);
    const char *near = pm_nearest(cls, names, n);
    if (near) pm_hint("did you mean '.%s'?", near);
    pm_hint("the layout's styles: %s; add one under 'styles:' in the layout", list[0] ? list : "(none)");
}

void pm_check_classes(const fstate *fs)
{
    const char *warned[64];
    int nwarned = 0;
    pm_walk w;
    pm_walk_init(&w, fs->doc->blocks, fs->doc->nblocks);
    const pm_block *b;
    for (pm_walk_event ev; (ev = pm_walk_next(&w, &b)) != PM_WALK_END;) {
        if (ev == PM_WALK_LEAVE || b->kind == PM_BLK_FIGURE) continue; /* (figures: checked in the content) */
        for (int i = 0; i < b->attrs.nclasses; i++) {
            const char *cls = b->attrs.classes[i];
            if (is_known(fs->spec, cls)) continue;
            int seen = 0;
            for (int k = 0; k < nwarned; k++) seen |= !strcmp(warned[k], cls);
            if (seen) continue;
            if (nwarned < 64) warned[nwarned++] = cls;
            warn_class(fs, b, cls);
        }
    }
}

/* ---- boxes in the vertical list ---- */

/* Whether a style draws something around its text. */
static int draws(const pm_style_spec *st)
{
    return st->tint[0] >= 0 || st->border.v > 0 || st->rule.v > 0 || st->rules.v > 0;
}

/* From a box's outer edge (above or below) to its text: the padding and the border or
 * rule drawn there. */
static double edge_in(const fstate *fs, const pm_style_spec *st, double w)
{
    const pm_spec *sp = fs->spec;
    return pm_spec_len(sp, st->padding, w) + fmax(pm_spec_len(sp, st->border, w), pm_spec_len(sp, st->rules, w));
}

static vitem *push_box_item(vlist *vl, vkind kind, const vbox *box, int band)
{
    vitem *it = pm_vpush(vl, kind);
    it->box = box;
    it->band = band;
    return it;
}

/* Box frame f (in parent) opens: the space above it (a legal break, unless what comes
 * before keeps with it), its START item, and the room above its text: its padding and
 * top edge rounded up to whole lines (the edge drawn that far above the text). */
static void open_box(fstate *fs, vlist *vl, collector *col, const cframe *f, const cframe *parent)
{
    const pm_spec *sp = fs->spec;
    const pm_style_spec *st = f->box;
    vbox *bx = pm_arena_alloc(fs->a, sizeof *bx);
    memset(bx, 0, sizeof *bx);
    bx->st = st;
    bx->parent = col->nopen ? col->open[col->nopen - 1] : NULL;
    for (int i = 0; i < f->blk->attrs.nclasses; i++) { /* keep-together from any of its classes */
        const pm_style_spec *k = pm_spec_style(sp, f->blk->attrs.classes[i]);
        bx->keep |= k && k->keep;
    }
    bx->band = f->cols;
    double ind = pm_spec_len(sp, st->indent, parent->w);
    bx->x = parent->left + ind;
    bx->w = parent->w - parent->left - parent->right - 2 * ind;
    double edge = edge_in(fs, st, parent->w);
    double room = draws(st) || edge > 0 ? snap_up(edge, fs->L) : 0;
    bx->top = room - edge;
    vitem *g = push_box_item(vl, V_GLUE, bx->parent, bx->band);
    g->h = f->above;
    g->stretch = f->above > 0 && sp->flush_bottom ? fs->L * 0.25 : 0;
    push_box_item(vl, V_BOX_START, bx, bx->band);
    push_box_item(vl, V_PENALTY, bx, bx->band)->penalty = PM_INF_PENALTY;
    if (room > 0) push_box_item(vl, V_GLUE, bx, bx->band)->h = room;
    col->open[col->nopen] = bx;
    col->open_blk[col->nopen++] = f->blk;
}

/* The innermost open box closes: the room below its text (its padding and bottom edge,
 * and what makes the whole box whole lines of the grid), and its END item. A box kept
 * together that is taller than a page is broken after all (with a warning). */
static void close_box(fstate *fs, vlist *vl, collector *col)
{
    vbox *bx = col->open[--col->nopen];
    const pm_block *blk = col->open_blk[col->nopen];
    size_t k = vl->n;
    while (k > 0 && !(vl->v[k - 1].kind == V_BOX_START && vl->v[k - 1].box == bx)) k--;
    double h = 0;
    for (size_t j = k; j < vl->n; j++)
        if (vl->v[j].kind != V_PENALTY) h += vl->v[j].h;
    double edge = edge_in(fs, bx->st, bx->w), room;
    if (draws(bx->st) || edge > 0) {
        room = snap_up(h + edge, fs->L) - h;
        bx->bottom = room - edge;
    } else {
        room = snap_up(h, fs->L) - h;
    }
    push_box_item(vl, V_PENALTY, bx, bx->band)->penalty = PM_INF_PENALTY;
    if (room > EPS) push_box_item(vl, V_GLUE, bx, bx->band)->h = room;
    push_box_item(vl, V_BOX_END, bx, bx->band);
    if (bx->keep && h + room > fs->rg->h + EPS) {
        bx->keep = 0;
        int line = blk->attrs.line ? blk->attrs.line : blk->line;
        pm_warn(fs->doc->path, line, blk->attrs.col, "this '%s' box is kept together, but it is taller than a "
                "page (%.0f lines); it is broken over pages", bx->st->name, (h + room) / fs->L);
    }
}

void pm_sync_boxes(fstate *fs, vlist *vl, collector *col, int all_closed)
{
    cursor *c = &col->cur;
    while (col->nopen) {
        int still = 0;
        for (int k = 1; !all_closed && k < c->nfr; k++) still |= c->fr[k].box && c->fr[k].blk == col->open_blk[col->nopen - 1];
        if (still) break;
        close_box(fs, vl, col);
    }
    if (all_closed) return;
    for (int k = 1; k < c->nfr; k++) {
        if (!c->fr[k].box) continue;
        int open = 0;
        for (int j = 0; j < col->nopen; j++) open |= col->open_blk[j] == c->fr[k].blk;
        if (!open) open_box(fs, vl, col, &c->fr[k], &c->fr[k - 1]);
    }
}
