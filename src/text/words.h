/* words.h - a cache of shaped words for the paragraph setter (words.c): an item is
 * shaped a word at a time and each word once per font, where that gives the same
 * glyphs as shaping the item whole. */
#ifndef PM_WORDS_H
#define PM_WORDS_H

#include <pango/pango.h>

typedef struct pm_words pm_words;

pm_words *pm_words_new(void);
void pm_words_drop(pm_words *w);
/* As pango_shape_item(item, text, tlen, NULL, gs, PANGO_SHAPE_NONE), from the cache where
   it can be (w NULL: always shaped whole). */
void pm_words_shape(pm_words *w, const PangoItem *item, const char *text, int tlen, PangoGlyphString *gs);
/* Whether the words of items like this one (its font, language, script, attributes) are
   cached. Main thread: a font is looked at once, there. */
int pm_words_can_cache(pm_words *w, const PangoItem *item);
/* Words shaped on another thread than the setter's (ahead.c): between pm_words_side_begin
   and pm_words_side_end (main thread, the other thread not running then), the other
   thread's pm_words_fill shapes the words of an item (of text), as pm_words_shape would,
   into a table of their own, of room for about `words` words, which pm_words_shape reads
   too; pm_words_side_end takes them into the cache. The item must be one that
   pm_words_can_cache has said yes to. pm_words_fill returns how many words it shaped. */
void pm_words_side_begin(pm_words *w, size_t words);
int pm_words_fill(pm_words *w, const PangoItem *item, const char *text, int tlen);
void pm_words_side_end(pm_words *w);
/* Whether PAMPHLET_CHECK_WORDS=1 asked for every shortcut to be checked against Pango. */
int pm_words_checking(const pm_words *w);
/* Words shaped, words taken from the cache, items shaped whole, since pm_words_new. */
void pm_words_counts(const pm_words *w, unsigned long *shaped, unsigned long *cached, unsigned long *whole);

#endif
