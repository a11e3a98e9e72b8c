/* hangs.c - margin kerning (protrusion, as microtype does it): how far each item of a
 * collected paragraph (para-imp.h) may reach into the margins when it starts or ends a
 * line, so that punctuation and hyphens do not leave a visible notch in a justified
 * edge. The line breaker measures lines with these hangs; line.c places them. */
#include <glib.h>

#include "text/para-imp.h"

/* ---- margin kerning ---- */

/* Share of a character's width it may hang into the right margin at a line's end (the
 * values of microtype's defaults for Latin text, rounded): punctuation that would leave
 * a visible notch in a justified edge. */
static double hang_right_share(gunichar c)
{
    switch (c) {
    case '.': case ',': case '-': case 0x2010: case 0x2019: case 0x201D: case '\'': case '"': return 0.7;
    case 0x2013: case ':': case ';': return 0.5;
    case 0x2014: return 0.3;
    case '!': case '?': return 0.2;
    default: return 0;
    }
}

/* ... and into the left margin at a line's start: opening quotes. */
static double hang_left_share(gunichar c)
{
    return c == 0x2018 || c == 0x201C || c == 0x201E ? 0.7 : 0;
}

/* Set each item's hang (linebreak.h): a break after such punctuation, a hyphen added at
 * a hyphenation point, a word that opens with a quote. Justified left-to-right text only:
 * a ragged edge has no line for punctuation to stand out from, and in a paragraph with
 * right-to-left runs a line's first and last characters need not be at its edges. */
void pm_shaped_hangs(pm_shaped *p)
{
    /* a line's logical ends are its visual ones only in left-to-right text */
    int rtl = 0;
    for (int r = 0; r < p->nruns; r++) rtl |= p->runs[r].item->analysis.level & 1;
    for (size_t i = 0; i < p->nitems; i++) {
        pm_item *it = &p->items[i];
        it->hang_left = it->hang_right = 0;
        if (p->st.align != PM_ALIGN_JUSTIFY || p->st.code || rtl) continue;
        if (it->type == PM_ITEM_PENALTY && it->penalty <= -PM_INF_PENALTY) continue; /* ends a ragged line */
        uint32_t pos = it->pos;
        if (it->type == PM_ITEM_BOX) {
            if (p->item_end[i] <= pos) continue;
            const char *c = p->text + pos, *next = g_utf8_next_char(c);
            double share = hang_left_share(g_utf8_get_char(c));
            uint32_t n = (uint32_t)(next - p->text);
            if (share > 0) it->hang_left = share * (pm_shaped_x_at(p, n) - pm_shaped_x_at(p, pos));
        } else if (it->type == PM_ITEM_PENALTY && it->flagged && it->width > 0) {
            it->hang_right = 0.7 * it->width; /* the hyphen added there */
        } else if (pos > 0 && pos <= p->len) {
            const char *prev = g_utf8_prev_char(p->text + pos);
            double share = hang_right_share(g_utf8_get_char(prev));
            uint32_t b = (uint32_t)(prev - p->text);
            if (share > 0) it->hang_right = share * (pm_shaped_x_at(p, pos) - pm_shaped_x_at(p, b));
        }
    }
}
