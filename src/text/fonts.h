/* fonts.h - the font set-up: fontconfig pointed at the project's fonts/ folder only, one
 * Pango context measuring in points with unhinted, unrounded metrics, and checks that
 * what a layout asks for is what it gets (no silent substitution). */
#ifndef PM_FONTS_H
#define PM_FONTS_H

#include <cairo.h>
#include <stdio.h>
#include <pango/pango.h>

#include "input/spec.h"
#include "text/line.h"

typedef struct pm_fonts pm_fonts;

/* Set up fonts from dir (every .otf/.ttf in it). Returns PM_OK and a new pm_fonts, or
 * PM_EIO if the folder holds no fonts. */
int pm_fonts_new(const char *dir, pm_fonts **out);
/* Pango initializes fontconfig on a thread of its own when its first font map is made,
 * and the map's first use (pm_fonts_open's) waits for it: 1-4 ms of a first build's fonts
 * step here, the thread made while libqpdf loaded (which holds up every thread's making)
 * and woken on an idle processor. pm_fonts_warm makes that map at the start of a run,
 * before libqpdf starts loading, so that fontconfig starts beside the parse; the next
 * pm_fonts_open takes the map. Once a process. */
void pm_fonts_warm(void);
/* The map pm_fonts_warm made, if no pm_fonts_open took it (a run that ended before its
   fonts: an error in the content), let go once Pango's thread is done. */
void pm_fonts_warm_release(void);
/* The same, then the folders of extra (':' between them; NULL for none) with their
 * subfolders and font collections (.ttc), then, with system, the system's fonts
 * (fontconfig's own configuration). A font is looked for in that order. PM_EIO if a
 * folder cannot be read or holds no fonts. */
int pm_fonts_open(const char *dir, const char *extra, int system, pm_fonts **out);
/* Whether f was opened with these extra folders and system setting. */
int pm_fonts_same(const pm_fonts *f, const char *extra, int system);
/* What pm_fonts_open searched, for messages ("fonts, /my/fonts and the system's fonts"). */
const char *pm_fonts_where(const pm_fonts *f);
/* Print the search order and each face lines used so far with its file (--preflight). */
void pm_fonts_report(pm_fonts *f, FILE *fp);
void pm_fonts_drop(pm_fonts *f);

/* The shared context (borrowed; a new one after pm_fonts_fallback found fonts). */
PangoContext *pm_fonts_context(pm_fonts *f);

/* A new font description for a role at its resolved size (caller frees). */
PangoFontDescription *pm_fonts_desc(const pm_spec *s, const pm_font_spec *fs);

/* Check that a role's family exists with its weight and style. On failure prints
 * "FILE: error: fonts.ROLE: ..." listing the families that exist; returns PM_EINPUT. */
int pm_fonts_check_role(pm_fonts *f, const pm_spec *s, const pm_font_spec *fs, const char *role);

/* Does the loaded font match what desc asked for (family, weight class, style)? */
int pm_fonts_matches(PangoFont *font, const PangoFontDescription *want);

/* Families available, comma separated (static buffer). */
const char *pm_fonts_families(pm_fonts *f);

/* The folders fonts were taken from, for watch mode. */
const char *pm_fonts_dir(const pm_fonts *f);

/* The face (line.h) of a font Pango chose: made the first time it is asked for, then the
 * same one, kept by f until pm_fonts_drop. Call from the thread that sets text. */
const pm_face *pm_fonts_face(pm_fonts *f, PangoFont *font);
/* What a device draws a face with (borrowed; NULL if cairo has none). Only reads the face:
 * any thread may call it. */
cairo_scaled_font_t *pm_face_cairo(const pm_face *face);
/* The face's Pango description as a string, e.g. "Libertinus Serif Italic 10.5" (the
 * layout dump names faces so). */
const char *pm_face_name(const pm_face *face);
/* The Pango font (borrowed). */
PangoFont *pm_face_font(const pm_face *face);

/* The last resort (fallback.c): characters no font of the layout has, set in fonts
 * installed on this machine. Find one for each of cs[0..n) (fontconfig's system
 * configuration, in its order for the character's language: lang, the document's, when
 * its alphabet has the character) and add it to f for those characters only. Returns how
 * many were found a font: then the next pm_fonts_context is a new one, and every font and
 * context taken from f before is released with it (drop the setter and what it set
 * first, then make a new one and set the text again). Nothing
 * when f has the system's fonts already, or its fallbacks were chosen for another
 * language (pm_fonts_fallback_lang: open the fonts again). */
int pm_fonts_fallback(pm_fonts *f, const gunichar *cs, int n, const char *lang);
/* The fallbacks added: how many, the language they were chosen for (NULL: none), each
 * one's family and file, whether it sets c. */
int pm_fonts_nfallbacks(const pm_fonts *f);
const char *pm_fonts_fallback_lang(const pm_fonts *f);
const char *pm_fonts_fallback_family(const pm_fonts *f, int i);
const char *pm_fonts_fallback_file(const pm_fonts *f, int i);
int pm_fonts_fallback_has(const pm_fonts *f, int i, gunichar c);
/* The fallback a Pango font of f is, or -1 (one of the layout's). */
int pm_fonts_fallback_index(pm_fonts *f, PangoFont *font);

#endif
