/* hangs.c - margin kerning (protrusion, as microtype does it): how far each item of a
 * collected paragraph (para-imp.h) may reach into the margins when it starts or ends a
 * line, so that punctuation and hyphens do not leave a visible notch in a justified
 * edge. The line breaker measures lines with these hangs; line.c places them. */
#include <glib.h>

#include "text/para-imp.h"

/* Share of a character's width it may hang into the margin at a line's end (the values
 * of microtype's defaults for Latin text, rounded, and the like for the Arabic and
 * Hebrew marks): punctuation that would leave a visible notch in a justified edge. */
static double hang_end_share(gunichar c)
{
    switch (c) {
    case '.': case ',': case '-': case 0x2010: case 0x2019: case 0x201D: case '\'': case '"': return 0.7;
    case 0x060C: case 0x06D4: case 0x05BE: return 0.7; /* Arabic comma and full stop, maqaf */
    case 0x2013: case ':': case ';': case 0x061B: return 0.5;
    case 0x2014: return 0.3;
    case '!': case '?': case 0x061F: return 0.2;
    default: return 0;
    }
}

/* ... and into the margin at a line's start: opening quotes. */
static double hang_start_share(gunichar c)
{
    return c == 0x2018 || c == 0x201C || c == 0x201E ? 0.7 : 0;
}

/* Is the character at off at a line's edge when it starts or ends the line? Only if its
 * embedding level is the paragraph's: in a left-to-right paragraph a Hebrew word that
 * ends a line is set right to left, so its last letter is not at the line's right end. */
static int at_edge(const pm_shaped *p, uint32_t off)
{
    int r = pm_shaped_run_at(p, off);
    int base = p->st.dir == PM_DIR_RTL;
    return r < 0 || p->runs[r].item->analysis.level == base;
}

/* Set each item's hang (linebreak.h: hang_left is at the line's start, hang_right at its
 * end, whatever the direction): a break after such punctuation, a hyphen added at a
 * hyphenation point, a word that opens with a quote. Justified text only: a ragged edge
 * has no line for punctuation to stand out from. In a right-to-left paragraph a line
 * starts on the right, so its full stop hangs into the left margin (line.c). */
void pm_shaped_hangs(pm_shaped *p)
{
    for (size_t i = 0; i < p->nitems; i++) {
        pm_item *it = &p->items[i];
        it->hang_left = it->hang_right = 0;
        if (p->st.align != PM_ALIGN_JUSTIFY || p->st.code) continue;
        if (it->type == PM_ITEM_PENALTY && it->penalty <= -PM_INF_PENALTY) continue; /* ends a ragged line */
        uint32_t pos = it->pos;
        if (it->type == PM_ITEM_BOX) {
            if (p->item_end[i] <= pos || !at_edge(p, pos)) continue;
            const char *c = p->text + pos, *next = g_utf8_next_char(c);
            double share = hang_start_share(g_utf8_get_char(c));
            uint32_t n = (uint32_t)(next - p->text);
            if (share > 0) it->hang_left = share * (pm_shaped_x_at(p, n) - pm_shaped_x_at(p, pos));
        } else if (pos > 0 && pos <= p->len) {
            const char *prev = g_utf8_prev_char(p->text + pos);
            uint32_t b = (uint32_t)(prev - p->text);
            if (!at_edge(p, b)) continue;
            if (it->type == PM_ITEM_PENALTY && it->flagged && it->width > 0) {
                it->hang_right = 0.7 * it->width; /* the hyphen added there */
                continue;
            }
            double share = hang_end_share(g_utf8_get_char(prev));
            if (share > 0) it->hang_right = share * (pm_shaped_x_at(p, pos) - pm_shaped_x_at(p, b));
        }
    }
}
