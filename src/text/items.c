/* items.c - collect: a shaped paragraph as boxes, glue and penalties (linebreak.h),
 * measured from the shaped glyphs (para-imp.h). Spaces become glue (stretchy when
 * justified, TeX's ragged-right trick otherwise), no-break spaces unbreakable glue, soft
 * hyphens, hyphens, dashes and slashes break opportunities, hard breaks forced breaks;
 * hyphenation points come from libhyphen when asked for. Chinese and Japanese text,
 * which has no spaces, may break between characters where UAX #14 (Pango's log attrs)
 * and kinsoku allow, with stretchable glue between them for justification; it is not
 * hyphenated. Boxes wider than the line are
 * split at character boundaries as a last resort. Each item remembers the byte range
 * it stands for (pos, item_end) so that the lines can be cut out of the text. */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "text/para-imp.h"

#define HYPHEN_PENALTY 50
#define EXHYPHEN_PENALTY 50
#define EMERGENCY_PENALTY 5000
#define CJK_STRETCH 0.15 /* of an em, between two Chinese or Japanese characters */
#define URL_PENALTY 100 /* a URL broken after a slash, a dot or a hyphen */
#define CODE_WRAP_PENALTY 100 /* a code line wrapped after a space */
#define CODE_CUT_PENALTY 1000 /* ... between a name and punctuation, where it has no space */

static double hyphen_width_at(pm_shaped *p, uint32_t off)
{
    int r = pm_shaped_run_at(p, off);
    return r >= 0 ? pm_setter_hyphen(p->s, &p->runs[r])->width : pm_font_size(p->s->spec, p->st.font) / 3;
}

/* Width of the continuation mark that ends a wrapped code line (line.c draws it). */
static double mark_width_at(pm_shaped *p, uint32_t off)
{
    int r = pm_shaped_run_at(p, off);
    return r >= 0 ? pm_setter_mark(p->s, &p->runs[r])->width : pm_font_size(p->s->spec, p->st.font) / 2;
}

/* ---- collect: boxes, glue, penalties ---- */

static void push(pm_shaped *p, pm_item it, uint32_t end)
{
    if (p->nitems == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 128;
        p->items = pm_xrealloc(p->items, p->cap * sizeof *p->items);
        p->item_end = pm_xrealloc(p->item_end, p->cap * sizeof *p->item_end);
    }
    p->items[p->nitems] = it;
    p->item_end[p->nitems] = end;
    p->nitems++;
}

static void box(pm_shaped *p, uint32_t a, uint32_t b)
{
    if (b <= a) return;
    push(p, (pm_item){.type = PM_ITEM_BOX, .width = pm_shaped_x_at(p, b) - pm_shaped_x_at(p, a), .pos = a}, b);
}

static void penalty(pm_shaped *p, uint32_t pos, uint32_t end, int value, double width, int flagged)
{
    push(p, (pm_item){.type = PM_ITEM_PENALTY, .penalty = value, .width = width,
                      .flagged = (unsigned char)flagged, .pos = pos}, end);
}

static void glue(pm_shaped *p, uint32_t pos, uint32_t end, double w, double st, double sh)
{
    push(p, (pm_item){.type = PM_ITEM_GLUE, .width = w, .stretch = st, .shrink = sh, .pos = pos}, end);
}

/* The width a word at pos has on its line at most: the line's, less the paragraph's
 * indent for its first word. */
static double room_at(const pm_shaped *p, uint32_t pos)
{
    return p->st.width - (pos == 0 && p->st.indent > 0 ? p->st.indent : 0);
}

/* Split boxes wider than the line at character boundaries (the last resort for URLs
 * and other unbreakable strings), with a warning. */
static void split_wide_boxes(pm_shaped *p)
{
    double w = p->st.width;
    PangoLogAttr *la = NULL;
    uint32_t *char_off = NULL;
    int nchars = 0;
    for (size_t i = 0; i < p->nitems; i++) {
        pm_item *it = &p->items[i];
        double mark = p->st.code ? mark_width_at(p, it->pos) : 0; /* a wrapped code line ends in a mark */
        /* a syllable before a hyphenation point ends a line with its hyphen: "min-" must
           fit in a narrow table column, not only "min" */
        if (i + 1 < p->nitems && p->items[i + 1].type == PM_ITEM_PENALTY && p->items[i + 1].flagged)
            mark = fmax(mark, p->items[i + 1].width);
        if (it->type != PM_ITEM_BOX || it->width + mark <= room_at(p, it->pos) + 0.01 || p->item_end[i] <= it->pos) continue;
        if (!la) { /* grapheme boundaries, computed only when needed */
            nchars = (int)g_utf8_strlen(p->text, p->len);
            la = g_new(PangoLogAttr, (size_t)nchars + 1);
            pango_get_log_attrs(p->text, (int)p->len, -1, pango_language_get_default(), la, nchars + 1);
            char_off = pm_xmalloc(((size_t)nchars + 1) * sizeof *char_off);
            const char *q = p->text;
            for (int c = 0; c <= nchars; c++) {
                char_off[c] = (uint32_t)(q - p->text);
                if (c < nchars) q = g_utf8_next_char(q);
            }
        }
        uint32_t a = it->pos, b = p->item_end[i];
        char key[64];
        snprintf(key, sizeof key, "wide:%p:%u", (void *)p->src, a);
        if (!p->st.quiet && !p->st.code && pm_setter_first_time(p->s, key)) {
            char word[48];
            uint32_t n = b - a < 40 ? b - a : 40;
            while (n > 0 && (p->text[a + n] & 0xC0) == 0x80) n--; /* whole characters */
            memcpy(word, p->text + a, n);
            word[n] = 0;
            pm_warn(p->s->file, pm_text_line_at(p->src, a), 0,
                    "'%s%s' is wider than the line (%.1f pt > %.1f pt); it is broken where it must be",
                    word, b - a > n ? "..." : "", it->width, w);
        }
        /* rebuild: character-sized boxes with emergency penalties between them */
        size_t nrest = p->nitems - i - 1;
        pm_item *rest = pm_xmalloc(nrest * sizeof *rest + 1);
        uint32_t *rest_end = pm_xmalloc(nrest * sizeof *rest_end + 1);
        memcpy(rest, p->items + i + 1, nrest * sizeof *rest);
        memcpy(rest_end, p->item_end + i + 1, nrest * sizeof *rest_end);
        p->nitems = i;
        uint32_t start = a;
        for (int c = 0; c < nchars; c++) {
            uint32_t o = char_off[c];
            if (o <= a || o >= b) continue;
            if (!la[c].is_cursor_position || !pm_shaped_cluster_start(p, o)) continue;
            box(p, start, o);
            if (p->st.code) { /* wrapped code: ragged, best where a name or number ends */
                gunichar x = g_utf8_get_char(g_utf8_prev_char(p->text + o)), y = g_utf8_get_char(p->text + o);
                int inside = (g_unichar_isalnum(x) || x == '_') && (g_unichar_isalnum(y) || y == '_');
                penalty(p, o, o, PM_INF_PENALTY, 0, 0);
                glue(p, o, o, 0, w, 0);
                penalty(p, o, o, inside ? EMERGENCY_PENALTY : CODE_CUT_PENALTY, mark, 0);
                glue(p, o, o, 0, -w, 0);
            } else {
                penalty(p, o, o, EMERGENCY_PENALTY, 0, 0);
            }
            start = o;
        }
        box(p, start, b);
        size_t resume = p->nitems;
        for (size_t k = 0; k < nrest; k++) push(p, rest[k], rest_end[k]);
        free(rest);
        free(rest_end);
        i = resume - 1;
    }
    g_free(la);
    free(char_off);
}

/* ---- Chinese and Japanese ---- */

/* Ideographs, kana, CJK punctuation and full-width forms (not Hangul: Korean is set with
 * spaces between words). */
static int is_cjk(gunichar c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* Kinsoku: characters no line may start with (closing brackets and quotes, stops and
 * commas, the iteration and prolonged sound marks, small kana) ... */
static int no_line_start(gunichar c)
{
    static const gunichar set[] = {
        0x3001, 0x3002, 0xFF0C, 0xFF0E, 0x30FB, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF01, 0xFF09, 0xFF3D, 0xFF5D,
        0x3015, 0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3019, 0x3017, 0x301F, 0x2019, 0x201D, 0xFF60,
        0x00BB, 0x30FD, 0x30FE, 0x309D, 0x309E, 0x3005, 0x303B, 0x30FC, 0x2010, 0x30A0, 0x2013, 0x301C,
        0x203C, 0x2047, 0x2048, 0x2049, ')', ']', '}', ',', '.', ':', ';', '!', '?', 0};
    for (int i = 0; set[i]; i++)
        if (set[i] == c) return 1;
    /* small kana */
    static const char small[] = "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ";
    for (const char *q = small; *q; q = g_utf8_next_char(q))
        if (g_utf8_get_char(q) == c) return 1;
    return c >= 0x31F0 && c <= 0x31FF; /* Katakana phonetic extensions: small too */
}

/* ... and none may end with (opening brackets and quotes). */
static int no_line_end(gunichar c)
{
    static const gunichar set[] = {0xFF08, 0xFF3B, 0xFF5B, 0x3014, 0x3008, 0x300A, 0x300C, 0x300E, 0x3010,
                                   0x3018, 0x3016, 0x301D, 0x2018, 0x201C, 0xFF5F, 0x00AB, '(', '[', '{', 0};
    for (int i = 0; set[i]; i++)
        if (set[i] == c) return 1;
    return 0;
}

/* p->cjk (para-imp.h): the boundaries between characters where at least one is Chinese
 * or Japanese, looked up once per paragraph, and only in paragraphs that have such. */
static void find_cjk(pm_shaped *p)
{
    p->cjk_checked = 1;
    const char *text = p->text;
    int any = 0;
    for (const char *q = text; q < text + p->len && !any; q = g_utf8_next_char(q))
        any = is_cjk(g_utf8_get_char(q));
    if (!any || p->st.code) return;
    int nchars = (int)g_utf8_strlen(text, p->len);
    PangoLogAttr *la = g_new(PangoLogAttr, (size_t)nchars + 1);
    pango_get_log_attrs(text, (int)p->len, -1, pango_language_get_default(), la, nchars + 1);
    p->cjk = pm_xcalloc((size_t)p->len + 1, 1);
    const char *q = text;
    gunichar prev = 0;
    for (int i = 0; i < nchars; i++, q = g_utf8_next_char(q)) {
        gunichar c = g_utf8_get_char(q);
        uint32_t b = (uint32_t)(q - text);
        int plain = !g_unichar_isspace(c) && !g_unichar_isspace(prev) && c != 0x200B && prev != 0x200B &&
                    c != 0xAD && prev != 0xAD && c != 0xA0 && prev != 0xA0;
        if (i > 0 && (is_cjk(prev) || is_cjk(c)) && plain && pm_shaped_cluster_start(p, b))
            p->cjk[b] = la[i].is_line_break && !no_line_start(c) && !no_line_end(prev) ? 1 : 2;
        prev = c;
    }
    g_free(la);
}

/* Before the character at b: a break between Chinese or Japanese characters (may_break),
 * or only spacing that stretches when the line is justified. */
static void cjk_boundary(pm_shaped *p, uint32_t *word, uint32_t b, int may_break, int justify, double em,
                         double rag)
{
    if (!may_break && !justify) return;
    box(p, *word, b);
    *word = b;
    if (!may_break) {
        penalty(p, b, b, PM_INF_PENALTY, 0, 0); /* glue after a penalty is no break */
        glue(p, b, b, 0, CJK_STRETCH * em, 0);
    } else if (justify) {
        glue(p, b, b, 0, CJK_STRETCH * em, 0);
    } else {
        glue(p, b, b, 0, rag, 0);
        penalty(p, b, b, 0, 0, 0);
        glue(p, b, b, 0, -rag, 0);
    }
}

static int in_span(const pm_text *t, uint32_t off, unsigned style)
{
    for (uint32_t i = 0; i < t->nspans && t->spans[i].start <= off; i++)
        if ((t->spans[i].style & style) && off < t->spans[i].end) return 1;
    return 0;
}

/* A paragraph whose style is not hyphenated (a heading, a caption) with a word wider than
 * the line: that word is hyphenated all the same, better at a syllable with its hyphen
 * than cut where the line runs out ("Pneumonoultramic / roscopic..." in a heading in a
 * narrow column); its other words are not. Whether its language has a dictionary. */
static int wide_words_only(pm_shaped *p)
{
    if (!p->hyph) p->hyph = pm_setter_hyph_for(p->s, p->st.lang, p->src->line);
    p->wide_only = p->hyph != NULL;
    return p->wide_only;
}

/* Whether [a, b) has a lower-case letter (a capitalised word, not one in capitals). */
static int has_lower(const char *a, const char *b)
{
    for (; a < b; a = g_utf8_next_char(a))
        if (g_unichar_islower(g_utf8_get_char(a))) return 1;
    return 0;
}

/* Hyphenation points of the word starting at w (letters and inner apostrophes), as byte
 * offsets in the text, ascending. *end gets the word's end. A capitalised word is not
 * hyphenated (unless the layout says so) except when it is wider than the line: it is
 * cut anyway, better at a syllable with its hyphen than where the line runs out (a word
 * in capitals is still only cut). */
static int word_points(pm_shaped *p, uint32_t w, uint32_t *end, uint32_t *pts, int max)
{
    const char *text = p->text, *s = text + w, *e = text + p->len;
    int has_shy = 0;
    while (s < e) {
        gunichar d = g_utf8_get_char(s);
        if (d == 0xAD) has_shy = 1;
        else if ((!g_unichar_isalpha(d) && d != 0x2019 && d != '\'') || is_cjk(d)) break;
        s = g_utf8_next_char(s);
    }
    *end = (uint32_t)(s - text);
    gunichar first = g_utf8_get_char(text + w);
    if (has_shy)
        return 0;
    if (p->wide_only && !(pm_shaped_x_at(p, *end) - pm_shaped_x_at(p, w) > room_at(p, w) + 0.01)) return 0;
    if (!p->s->spec->hyphenate_caps && g_unichar_isupper(first) && !pm_hyph_capitalized_nouns(p->hyph) &&
        !(has_lower(text + w, s) && pm_shaped_x_at(p, *end) - pm_shaped_x_at(p, w) > room_at(p, w) + 0.01))
        return 0;
    /* compounds with hyphens break only at their hyphens; never next to digits */
    if (w > 0) {
        gunichar before = g_utf8_get_char(g_utf8_prev_char(text + w));
        if (before == '-' || g_unichar_isdigit(before)) return 0;
    }
    if (s < e && (*s == '-' || g_unichar_isdigit(g_utf8_get_char(s)))) return 0;
    if (in_span(p->src, w, PM_ST_CODE | PM_ST_LINK | PM_ST_SUPER)) return 0;
    /* right-to-left scripts (Hebrew, Arabic) are not hyphenated */
    int run = pm_shaped_run_at(p, w);
    if (run >= 0 && (p->runs[run].item->analysis.level & 1)) return 0;
    int n = 0;
    const char *q = text + w;
    while (q < s && n < max - 4) { /* each apostrophe-free piece on its own */
        const char *r = q;
        while (r < s) {
            gunichar d = g_utf8_get_char(r);
            if (d == 0x2019 || d == '\'') break;
            r = g_utf8_next_char(r);
        }
        int k = pm_hyph_word(p->hyph, q, (size_t)(r - q), pts + n, max - 4 - n);
        for (int i = 0; i < k; i++) pts[n + i] += (uint32_t)(q - text);
        n += k;
        q = r < s ? g_utf8_next_char(r) : r;
    }
    return n;
}

/* A code block: its lines kept as they are (spaces and all, in the mono font), each
 * ending in a forced break; a line too long for the measure wraps after a run of spaces
 * (not in its indentation), the wrapped part ending in a continuation mark (line.c), or,
 * when a word alone is too long, between its characters (split_wide_boxes). The stretch
 * of a wrapped line is the whole measure: any wrap is as good as another, only their
 * number counts. */
static void collect_code(pm_shaped *p)
{
    const char *text = p->text;
    double rag = p->st.width > 0 ? p->st.width : 1e4;
    uint32_t word = 0;
    int inked = 0; /* a character other than a space on this line so far */
    gunichar prev = 0;
    for (uint32_t b = 0; b < p->len;) {
        gunichar c = g_utf8_get_char(text + b);
        uint32_t e = (uint32_t)(g_utf8_next_char(text + b) - text);
        if (c == '\n') { /* a line of the code ends */
            box(p, word, b);
            penalty(p, b, b, PM_INF_PENALTY, 0, 0);
            glue(p, b, b, 0, PM_FIL_STRETCH, 0);
            penalty(p, b, e, -PM_INF_PENALTY, 0, 0);
            word = e;
            inked = 0;
        } else if (c != ' ') {
            if (prev == ' ' && inked && pm_shaped_cluster_start(p, b)) { /* may wrap before it */
                box(p, word, b);
                penalty(p, b, b, PM_INF_PENALTY, 0, 0); /* (no break at the glue: no mark) */
                glue(p, b, b, 0, rag, 0);
                penalty(p, b, b, CODE_WRAP_PENALTY, mark_width_at(p, b), 0);
                glue(p, b, b, 0, -rag, 0);
                word = b;
            }
            inked = 1;
        }
        prev = c;
        b = e;
    }
    box(p, word, p->len);
}

/* If a URL starts at b (a scheme and "://", "www." or "mailto:" after a character that is
 * not a letter or digit), the end of it (the next space); else 0. */
static uint32_t url_end_at(const char *text, uint32_t len, uint32_t b)
{
    if (b > 0 && g_unichar_isalnum(g_utf8_get_char(g_utf8_prev_char(text + b)))) return 0;
    uint32_t i = b;
    if (len - b >= 4 && !g_ascii_strncasecmp(text + b, "www.", 4)) i = b + 4;
    else if (len - b >= 7 && !g_ascii_strncasecmp(text + b, "mailto:", 7)) i = b + 7;
    else {
        while (i < len && (g_ascii_isalnum(text[i]) || text[i] == '+' || text[i] == '.' || text[i] == '-')) i++;
        if (i == b || !g_ascii_isalpha(text[b]) || len - i < 4 || memcmp(text + i, "://", 3)) return 0;
        i += 3;
    }
    while (i < len && !g_unichar_isspace(g_utf8_get_char(text + i)) && g_utf8_get_char(text + i) != 0x200B)
        i = (uint32_t)(g_utf8_next_char(text + i) - text);
    return i;
}

static int url_break_char(char c)
{
    return c == '/' || c == '.' || c == '-';
}

/* No paragraph (or line ended by a hard break) ends with a line that is only the tail of
 * a hyphenated word ("olution." alone): the hyphenation points of the word before each
 * forced break are taken back, unless that word alone is wider than the line. */
static void keep_last_words(pm_shaped *p)
{
    size_t legal = 0; /* the item after the last break that is not a hyphen */
    double w = 0;     /* the width of the boxes since */
    for (size_t i = 0; i < p->nitems; i++) {
        pm_item *it = &p->items[i];
        if (it->type == PM_ITEM_BOX) {
            w += it->width;
        } else if ((it->type == PM_ITEM_GLUE && i > 0 && p->items[i - 1].type == PM_ITEM_BOX) ||
                   (it->type == PM_ITEM_PENALTY && !it->flagged && it->penalty < PM_INF_PENALTY)) {
            if (it->type == PM_ITEM_PENALTY && it->penalty <= -PM_INF_PENALTY && w <= p->st.width)
                for (size_t k = legal; k < i; k++)
                    if (p->items[k].type == PM_ITEM_PENALTY && p->items[k].flagged) p->items[k].penalty = PM_INF_PENALTY;
            legal = i + 1;
            w = 0;
        }
    }
}

void pm_shaped_collect(pm_shaped *p, int hyphenate)
{
    p->nitems = 0;
    p->hyphenated = hyphenate;
    if (p->st.code) {
        p->hyphenated = 1; /* (there is nothing to hyphenate) */
        collect_code(p);
        penalty(p, p->len, p->len, PM_INF_PENALTY, 0, 0);
        glue(p, p->len, p->len, 0, PM_FIL_STRETCH, 0);
        penalty(p, p->len, p->len, -PM_INF_PENALTY, 0, 0);
        split_wide_boxes(p);
        pm_shaped_hangs(p);
        return;
    }
    int justify = p->st.align == PM_ALIGN_JUSTIFY;
    double em = pm_font_size(p->s->spec, p->st.font);
    double rag = 3 * em; /* stretch of a ragged line end */
    const char *text = p->text;
    if (p->st.indent > 0) push(p, (pm_item){.type = PM_ITEM_BOX, .width = p->st.indent, .pos = 0}, 0);
    if (!p->cjk_checked) find_cjk(p);
    uint32_t word = 0;
    uint32_t pts[64];
    int npts = 0, next_pt = 0;
    uint32_t word_end = 0, url_end = 0;
    for (uint32_t b = 0; b < p->len;) {
        gunichar c = g_utf8_get_char(text + b);
        uint32_t e = (uint32_t)(g_utf8_next_char(text + b) - text);
        gunichar nc = e < p->len ? g_utf8_get_char(text + e) : 0;
        if (b >= url_end && g_ascii_isalpha(c)) {
            uint32_t u = url_end_at(text, p->len, b);
            if (u) url_end = word_end = u; /* a URL: not hyphenated */
        }
        if (b < url_end) { /* a URL breaks only after a run of / . - (not inside "//") */
            if (url_break_char((char)c) && !url_break_char((char)nc) && e < url_end && pm_shaped_cluster_start(p, e)) {
                box(p, word, e);
                penalty(p, e, e, URL_PENALTY, 0, 0);
                word = e;
            }
            b = e;
            continue;
        }
        if (p->cjk && p->cjk[b]) cjk_boundary(p, &word, b, p->cjk[b] == 1, justify, em, rag);
        if (hyphenate && b >= word_end && g_unichar_isalpha(c) && !is_cjk(c) && !p->st.code) {
            npts = word_points(p, b, &word_end, pts, 64);
            next_pt = 0;
        }
        if (next_pt < npts && pts[next_pt] == b) { /* a hyphenation point before this character */
            next_pt++;
            if (pm_shaped_cluster_start(p, b)) {
                box(p, word, b);
                penalty(p, b, b, HYPHEN_PENALTY, hyphen_width_at(p, b), 1);
                word = b;
            }
        }
        if (c == ' ' && !p->st.code) {
            box(p, word, b);
            double w = pm_shaped_x_at(p, e) - pm_shaped_x_at(p, b);
            if (justify && p->src->nspans && in_span(p->src, b, PM_ST_CODE)) {
                glue(p, b, e, w, 0, 0); /* inline code keeps its spacing (a break may still come) */
            } else if (justify) {
                glue(p, b, e, w, w * 0.5, w * 0.4);
            } else {
                glue(p, b, b, 0, rag, 0);
                penalty(p, b, b, 0, 0, 0);
                glue(p, b, e, w, -rag, 0);
            }
            word = e;
        } else if ((c == 0xA0 || c == 0x202F) && !p->st.code) { /* no-break spaces */
            box(p, word, b);
            double w = pm_shaped_x_at(p, e) - pm_shaped_x_at(p, b);
            penalty(p, b, b, PM_INF_PENALTY, 0, 0);
            glue(p, b, e, w, justify ? w * 0.5 : 0, justify ? w * 0.4 : 0);
            word = e;
        } else if (c == 0xAD) { /* a soft hyphen in the source */
            box(p, word, b);
            if (pm_shaped_cluster_start(p, b) && b > 0 && e < p->len)
                penalty(p, b, e, HYPHEN_PENALTY, hyphen_width_at(p, b), 1);
            word = b;
        } else if (c == 0x200B) { /* hard line break (from U+2028), or a plain break opportunity */
            box(p, word, b);
            if (!memcmp(p->src->utf8 + b, "\xE2\x80\xA8", 3)) { /* \hfil\break */
                penalty(p, b, b, PM_INF_PENALTY, 0, 0);
                glue(p, b, b, 0, PM_FIL_STRETCH, 0);
                penalty(p, b, e, -PM_INF_PENALTY, 0, 0);
            } else {
                penalty(p, b, e, 0, 0, 0);
            }
            word = e;
        } else if ((c == '-' || c == 0x2010 || c == 0x2013 || c == 0x05BE) && b > 0 && e < p->len &&
                   g_unichar_isalnum(nc) && !p->st.code &&
                   !(p->src->nspans && in_span(p->src, b, PM_ST_CODE))) { /* after a hyphen, en dash or maqaf
                                                                               in a word (not in code: "-a" in
                                                                               `git commit -a` is not a word's) */
            box(p, word, e);
            penalty(p, e, e, EXHYPHEN_PENALTY, 0, 1);
            word = e;
        } else if ((c == 0x2014 || c == '/') && e < p->len && nc != ' ' && !p->st.code) { /* after — or / */
            box(p, word, e);
            penalty(p, e, e, c == '/' ? 200 : 50, 0, 0);
            word = e;
        }
        b = e;
    }
    box(p, word, p->len);
    penalty(p, p->len, p->len, PM_INF_PENALTY, 0, 0); /* TeX's \parfillskip ending */
    glue(p, p->len, p->len, 0, PM_FIL_STRETCH, 0);
    penalty(p, p->len, p->len, -PM_INF_PENALTY, 0, 0);
    if (!hyphenate) /* a word wider than the line: hyphenate it first */
        for (size_t i = 0; i < p->nitems; i++)
            if (p->items[i].type == PM_ITEM_BOX && p->items[i].width > room_at(p, p->items[i].pos) + 0.01) {
                if (!p->st.hyphenate && !wide_words_only(p)) break;
                pm_shaped_collect(p, 1);
                return;
            }
    split_wide_boxes(p);
    keep_last_words(p);
    pm_shaped_hangs(p);
}
