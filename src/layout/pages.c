/* pages.c - what a page is besides its text: the page's number and label, running heads
 * and folios (the cover is cover.c's). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layout/flow-imp.h"
#include "base/diag.h"


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
    const pm_line *l = pm_para_single_dir(fs->set, pm_arena_strdup(fs->a, text->str), font, fs->doc->meta.dir, fs->a);
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
        l = pm_para_single_dir(fs->set, pm_arena_strdup(fs->a, text->str), font, fs->doc->meta.dir, fs->a);
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
            const char *t = pg->items[k].running ? pg->items[k].running : pg->items[k].title;
            if (!first_here) first_here = t;
            fs->section = t;
        }
    const char *sec = first_here ? first_here : fs->section;
    if (pg->kind == PM_PAGE_BODY) {
        int odd = pg->index % 2 == 0, rtl = fs->doc->meta.dir == PM_DIR_RTL;
        int right = odd != rtl; /* a right-to-left pamphlet's odd pages are left-hand pages */
        double tx, ty, tw, th;
        pm_spec_text_area(sp, right, &tx, &ty, &tw, &th);
        th += fs->taller;
        const pm_running_spec *rs[2] = {&sp->header, &sp->footer};
        for (int r = 0; r < 2; r++) {
            double y = r == 0 ? ty - pm_spec_len(sp, rs[r]->offset, sp->page_h)
                              : ty + th + pm_spec_len(sp, rs[r]->offset, sp->page_h);
            for (int pos = 0; pos < 3; pos++) {
                /* what a page shows goes by its number; where, by its side: the layout's
                   left and right are mirrored in a right-to-left pamphlet */
                const char *tmpl = rs[r]->slot[sp->facing ? odd : 1][rtl ? 2 - pos : pos];
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
