/* fonts-imp.h - private to fonts.c and fallback.c: the state of the font set-up. */
#ifndef PM_FONTS_IMP_H
#define PM_FONTS_IMP_H

#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <pango/pango.h>

#include "text/fonts.h"

/* An installed font the last-resort fallback added (fallback.c), for some characters. */
typedef struct pm_fallback {
    char *family, *file;
    int index;        /* the face's index in its file */
    FcCharSet *chars; /* the characters it sets: no font of the layout has them */
    int of;           /* -1: a face chosen for characters; else the index of that face, whose
                         bold this is (its family's bold face, or it emboldened by cairo) */
    int bold;         /* of a face chosen: the index of its bold */
    FcPattern *face;  /* the bold face's system pattern (NULL: emboldened), in f->sys */
} pm_fallback;

struct pm_fonts {
    FcConfig *config;
    PangoFontMap *map;
    PangoContext *ctx;
    char *dir;
    char *extra;       /* --fonts folders, ':' between them, or NULL */
    int system;        /* the system's fonts too */
    char *where;       /* the folders, for messages */
    char families[4096];
    GHashTable *faces; /* PangoFont* -> pm_face* */
    int nbase;         /* the layout's fonts: the first nbase of the application set; the
                          fallbacks' patterns come after them */
    /* the last resort (fallback.c) */
    FcConfig *sys;        /* the system's configuration, loaded when first needed */
    pm_fallback *fb;
    int nfb;
    FcCharSet *none;      /* characters no installed font has */
    char *fb_lang;        /* the document's language they were chosen for */
    GHashTable *fb_fonts; /* PangoFont* -> its fallback's index + 1, or 0 */
    int stale;            /* fonts added since the font map was made: a new one is made
                             when a context is next asked for */
};

/* fonts.c: a new font map and context over f->config, for fonts added to it (the old
   ones, and every font taken from them, are released: what holds them must be gone). */
void pm_fonts_new_map(pm_fonts *f);
/* fallback.c: release the fallbacks' state. */
void pm_fonts_fallback_drop(pm_fonts *f);

#endif
