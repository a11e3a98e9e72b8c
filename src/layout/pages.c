/* pages.c - what a page is besides its text: the cover from the front matter, the
 * page's number and label, running heads and folios. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layout/flow-imp.h"
#include "base/diag.h"


static double place_centered(fstate *fs, pm_page *pg, const char *text, const pm_font_spec *font, double y,
                             double tx)
{
    if (!text || !*text) return y;
    pm_text t = {0};
    t.utf8 = pm_arena_strdup(fs->a, text);
    t.len = (uint32_t)strlen(text);
    t.line = 1;
    pm_text *tp = pm_arena_alloc(fs->a, sizeof *tp);
    *tp = t;
    pm_para_style st = {.font = font, .align = PM_ALIGN_CENTER, .width = fs->rg->w};
    pm_para pp;
    pm_para_set(fs->set, tp, &st, fs->a, &pp);
    double lead = pm_font_leading(fs->spec, font), base = slot_base(lead, pm_font_size(fs->spec, font));
    for (int k = 0; k < pp.nlines; k++) {
        pm_line_item(fs, pg, &pp.lines[k], tx, y + base, lead, PM_FL_COVER);
        y += lead;
    }
    return y;
}

void pm_make_cover(fstate *fs)
{
    const pm_spec *sp = fs->spec;
    const pm_meta *m = &fs->doc->meta;
    pm_page *pg = pm_layout_add_page(fs->lay, sp->page_w, sp->page_h);
    pg->kind = PM_PAGE_COVER;
    double tx, ty, tw, th;
    pm_spec_text_area(sp, 1, &tx, &ty, &tw, &th);
    pg->tx = tx;
    pg->ty = ty;
    pg->tw = tw;
    pg->th = th;
    pm_image *img = m->cover ? pm_flow_image(fs, m->cover, m->cover_line) : NULL;
    double y = ty + (img ? 0 : th * 0.22);
    y = place_centered(fs, pg, m->title, &sp->cover_title, y, tx);
    if (m->subtitle) y = place_centered(fs, pg, m->subtitle, &sp->cover_subtitle, y + fs->L * 0.5, tx);
    /* author and date at the foot */
    double foot = 0;
    double al = pm_font_leading(sp, &sp->cover_author), dl = pm_font_leading(sp, &sp->cover_date);
    if (m->author) foot += al * 2;
    if (m->date) foot += dl;
    double fy = ty + th - foot;
    if (m->author) fy = place_centered(fs, pg, m->author, &sp->cover_author, fy, tx);
    if (m->date) place_centered(fs, pg, m->date, &sp->cover_date, fy, tx);
    if (img) {
        double top = y + fs->L, bottom = ty + th - foot - fs->L;
        double maxh = fmin(pm_spec_len(sp, sp->cover_image_height, sp->page_h), bottom - top);
        double iw = pm_image_width(img), ih = pm_image_height(img);
        double w = tw, h = w * ih / iw;
        if (h > maxh) {
            h = maxh;
            w = h * iw / ih;
        }
        if (iw / (w / 72.0) < 150) /* as figures (collect.c) */
            pm_warn(fs->doc->path, m->cover_line, 0, "cover image '%s' is %.0f dpi at its printed size (%.0f x %.0f mm); "
                    "below 150 dpi it will look poor when copied", m->cover_src, iw / (w / 72.0), w / 72 * 25.4, h / 72 * 25.4);
        pm_fitem *im = pm_page_add(fs->lay, pg, PM_FI_IMAGE);
        im->x = tx + (tw - w) / 2;
        im->y = top + (bottom - top - h) / 2;
        im->w = w;
        im->h = h;
        im->image = pm_image_keep(img);
        im->str = m->cover_src;
    }
    pm_finish_page(fs, pg);
}


void pm_format_number(int n, int fmt, char *buf, size_t len)
{
    if (fmt == PM_NUM_ROMAN || fmt == PM_NUM_ROMAN_UPPER) {
        static const int val[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
        static const char *sym[] = {"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"};
        if (n <= 0 || n >= 4000) {
            snprintf(buf, len, "%d", n);
            return;
        }
        buf[0] = 0;
        for (int i = 0; i < 13; i++)
            while (n >= val[i]) {
                strncat(buf, sym[i], len - strlen(buf) - 1);
                n -= val[i];
            }
        if (fmt == PM_NUM_ROMAN_UPPER)
            for (char *p = buf; *p; p++) *p = (char)(*p - 'a' + 'A');
    } else if (fmt == PM_NUM_ALPHA || fmt == PM_NUM_ALPHA_UPPER) {
        if (n <= 0) {
            snprintf(buf, len, "%d", n);
            return;
        }
        char tmp[16];
        int k = 0;
        while (n > 0 && k < 15) {
            n--;
            tmp[k++] = (char)((fmt == PM_NUM_ALPHA ? 'a' : 'A') + n % 26);
            n /= 26;
        }
        size_t o = 0;
        while (k > 0 && o + 1 < len) buf[o++] = tmp[--k];
        buf[o] = 0;
    } else {
        snprintf(buf, len, "%d", n);
    }
}

static void expand(fstate *fs, const char *tmpl, const char *page, const char *section, GString *out)
{
    const pm_meta *m = &fs->doc->meta;
    g_string_truncate(out, 0);
    for (const char *p = tmpl; *p; p++) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            if (e) {
                size_t n = (size_t)(e - p - 1);
                const char *v = NULL;
                if (n == 4 && !strncmp(p + 1, "page", 4)) v = page;
                else if (n == 5 && !strncmp(p + 1, "title", 5)) v = m->title;
                else if (n == 8 && !strncmp(p + 1, "subtitle", 8)) v = m->subtitle;
                else if (n == 6 && !strncmp(p + 1, "author", 6)) v = m->author;
                else if (n == 7 && !strncmp(p + 1, "section", 7)) v = section;
                else if (n == 4 && !strncmp(p + 1, "date", 4)) v = m->date;
                if (v || (n <= 8)) {
                    if (v) g_string_append(out, v);
                    p = e;
                    continue;
                }
            }
        }
        g_string_append_c(out, *p);
    }
}

/* A running head set in the header font, shortened at a word with an ellipsis until it
 * fits the width w (a long section title must not run off the page). */
static const pm_line *running_line(fstate *fs, GString *text, double w)
{
    const pm_font_spec *font = &fs->spec->running;
    const pm_line *l = pm_para_single(fs->set, pm_arena_strdup(fs->a, text->str), font, fs->a);
    while (l->width > w && text->len > 1) {
        const char *cut = g_utf8_find_prev_char(text->str, text->str + text->len);
        if (g_str_has_suffix(text->str, "\xE2\x80\xA6")) /* drop the ellipsis, then a word */
            cut = g_utf8_find_prev_char(text->str, text->str + text->len - 3);
        const char *sp = cut;
        while (sp > text->str && *sp != ' ') sp = g_utf8_find_prev_char(text->str, sp);
        if (sp > text->str + text->len / 3) cut = sp; /* at a word, when one is near */
        while (cut > text->str && cut[-1] == ' ') cut--;
        g_string_truncate(text, (gsize)(cut - text->str));
        g_string_append(text, "\xE2\x80\xA6");
        l = pm_para_single(fs->set, pm_arena_strdup(fs->a, text->str), font, fs->a);
    }
    return l;
}

/* A page is complete: its number and label, running heads and page number (not on the
 * cover and back cover), then it goes to the sink. */
void pm_finish_page(fstate *fs, pm_page *pg)
{
    const pm_spec *sp = fs->spec;
    pm_layout *lay = fs->lay;
    double lead = pm_font_leading(sp, &sp->running);
    int number = sp->num_start + pg->index;
    char num[32];
    pm_format_number(number, sp->num_format, num, sizeof num);
    pg->number = number;
    pg->label = pg->kind == PM_PAGE_COVER ? "Cover" : pm_arena_strdup(fs->a, num);
    /* the section: the first level-1 heading on the page, else the last before it */
    const char *first_here = NULL;
    for (size_t k = 0; k < pg->nitems; k++)
        if (pg->items[k].kind == PM_FI_DEST && pg->items[k].level == 1) {
            if (!first_here) first_here = pg->items[k].title;
            fs->section = pg->items[k].title;
        }
    const char *sec = first_here ? first_here : fs->section;
    if (pg->kind == PM_PAGE_BODY) {
        int right = pg->index % 2 == 0;
        double tx, ty, tw, th;
        pm_spec_text_area(sp, right, &tx, &ty, &tw, &th);
        th += fs->taller;
        const pm_running_spec *rs[2] = {&sp->header, &sp->footer};
        for (int r = 0; r < 2; r++) {
            double y = r == 0 ? ty - pm_spec_len(sp, rs[r]->offset, sp->page_h)
                              : ty + th + pm_spec_len(sp, rs[r]->offset, sp->page_h);
            for (int pos = 0; pos < 3; pos++) {
                const char *tmpl = rs[r]->slot[sp->facing ? right : 1][pos];
                if (!tmpl || !*tmpl) continue;
                expand(fs, tmpl, num, sec, fs->buf);
                if (!fs->buf->len) continue;
                const pm_line *l = running_line(fs, fs->buf, tw);
                double x = pos == 0 ? tx : pos == 1 ? tx + (tw - l->width) / 2 : tx + tw - l->width;
                pm_line_item(fs, pg, l, x, y, lead, PM_FL_RUNNING);
            }
            if (rs[r]->rule) {
                pm_fitem *ru = pm_page_add(lay, pg, PM_FI_RULE);
                ru->x = tx;
                ru->w = tw;
                ru->h = 0.4;
                ru->y = r == 0 ? y + lead * 0.3 : y - lead;
            }
        }
    }
    if (fs->sink) fs->sink->page(fs->sink->ud, lay, pg);
}
