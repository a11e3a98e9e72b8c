/* bidi.h - the visual order of a line's pieces of text by their embedding levels
 * (Unicode Bidirectional Algorithm, UAX #9, rule L2). Pango resolves the levels when it
 * itemizes a paragraph (each item has one); a line's pieces are the parts of those items
 * the line holds, in logical order. No fonts and no text here, so the unit tests call it
 * with bare levels. */
#ifndef PM_BIDI_H
#define PM_BIDI_H

/* order[v] = the logical index of the piece that comes v-th from the left, for the n
 * pieces of a line with these embedding levels (even: left to right, odd: right to left).
 * From the highest level down to the lowest odd one, every maximal sequence of pieces at
 * that level or higher is reversed. The glyphs inside a piece are already in visual order
 * (HarfBuzz gives them so); only the pieces move. */
void pm_bidi_order(const unsigned char *levels, int n, int *order);

#endif
