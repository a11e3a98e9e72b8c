/* bidi.c - visual order of a line's pieces (UAX #9 rule L2; see bidi.h). As Typst's
 * `reorder` does with its visual runs: the levels come from the paragraph's itemization,
 * the reordering is done per line, after breaking. */
#include "text/bidi.h"

void pm_bidi_order(const unsigned char *levels, int n, int *order)
{
    int max = 0, min_odd = 255;
    for (int i = 0; i < n; i++) {
        order[i] = i;
        if (levels[i] > max) max = levels[i];
        if ((levels[i] & 1) && levels[i] < min_odd) min_odd = levels[i];
    }
    for (int lvl = max; lvl >= min_odd; lvl--)
        for (int i = 0; i < n;) {
            if (levels[order[i]] < lvl) {
                i++;
                continue;
            }
            int j = i;
            while (j < n && levels[order[j]] >= lvl) j++;
            for (int a = i, b = j - 1; a < b; a++, b--) {
                int t = order[a];
                order[a] = order[b];
                order[b] = t;
            }
            i = j;
        }
}
