/* hyph.h - hyphenation points from libhyphen and Debian's pattern dictionaries.
 *
 * One dictionary per language tag (en-US -> /usr/share/hyphen/hyph_en_US.dic), words
 * cached, minimum fragments applied (2 before, 3 after). */
#ifndef PM_HYPH_H
#define PM_HYPH_H

#include <stddef.h>
#include <stdint.h>

typedef struct pm_hyph pm_hyph;

/* Load the dictionary for a BCP 47 tag. Returns NULL (after a warning naming file/line)
 * if none is installed: the text is then not hyphenated. The patterns are parsed on
 * another thread (they take longer than the fonts to load); the first pm_hyph_word
 * waits for them. */
pm_hyph *pm_hyph_load(const char *lang, const char *file, int line);
void pm_hyph_drop(pm_hyph *h);

/* Break points inside a word (UTF-8, len bytes, letters only): byte offsets after which a
 * hyphen may go, ascending, at most max of them. Returns how many. Cached by word. */
int pm_hyph_word(pm_hyph *h, const char *word, size_t len, uint32_t *offsets, int max);

/* Whether the language capitalizes its nouns (German): a capitalized word is then
 * hyphenated even where the layout says not to hyphenate capitalized words (names). */
int pm_hyph_capitalized_nouns(const pm_hyph *h);

/* Minimum fragment lengths (characters); defaults 2 and 3. */
void pm_hyph_set_min(pm_hyph *h, int left, int right);

#endif
