/* notecheck.c - footnotes the text loses without a word, found and warned about
 * (content-imp.h). cmark-gfm leaves a reference to a note no one defined as its letters
 * ("[^c]", printed as they are), and drops, with nothing said, a definition no reference
 * names and a second definition of a label: the pamphlet would go to print with a stray
 * "[^c]", or without a note its writer wrote. Each is a warning naming the line. */
#include <ctype.h>
#include <stdlib.h>
#include <glib.h>
#include <string.h>

#include "base/diag.h"
#include "input/content-imp.h"

/* The label of "[^label]" at s[i] (s[i] == '['): its length (0: none). A label has no
 * blank and no bracket, and at most 64 bytes. */
static size_t label_at(const char *s, size_t n, size_t i)
{
    if (i + 3 >= n || s[i] != '[' || s[i + 1] != '^') return 0;
    size_t j = i + 2;
    while (j < n && j - i - 2 < 64 && s[j] != ']' && s[j] != '[' && !isspace((unsigned char)s[j])) j++;
    return j < n && s[j] == ']' && j > i + 2 ? j - i - 2 : 0;
}

static int in_code(const pm_text *t, uint32_t at)
{
    for (uint32_t k = 0; k < t->nspans && t->spans[k].start <= at; k++)
        if ((t->spans[k].style & PM_ST_CODE) && at < t->spans[k].end) return 1;
    return 0;
}

void pm_ct_check_note_refs(cstate *st, const pm_text *t)
{
    for (uint32_t i = 0; i < t->len; i++) {
        size_t n = label_at(t->utf8, t->len, i);
        if (!n || in_code(t, i)) continue;
        int len = (int)n + 3;
        pm_warn(st->file, pm_text_line_at(t, i), 0, "'%.*s' names no footnote; it is printed as it is", len,
                t->utf8 + i);
        pm_hint("define the note in a paragraph of its own: '%.*s: the note's text'", len, t->utf8 + i);
        i += (uint32_t)len - 1;
    }
}

/* Labels are matched as cmark-gfm matches them: case folded. */
static char *fold(const char *s, size_t n) { return g_utf8_casefold(s, (gssize)n); }

/* Whether line [s, e) is a blank line. */
static int blank(const char *s, const char *e)
{
    for (; s < e; s++)
        if (!isspace((unsigned char)*s)) return 0;
    return 1;
}

static int kept(const cstate *st, int line)
{
    for (size_t k = 0; k < st->note_lines.n; k++)
        if (st->note_lines.v[k] == line) return 1;
    return 0;
}

/* Every definition of the body written at a block's start ("[^label]: " after a blank
 * line, outside fenced code): those cmark-gfm kept begin on the lines st->note_lines
 * holds (a label's first definition, when something names it); any other is named
 * nowhere, or defines a label again. */
void pm_ct_check_note_defs(cstate *st)
{
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); /* label -> line */
    const char *p = st->src, *end = st->src + st->srclen;
    int line = st->line0, prev_blank = 1;
    size_t open = 0; /* the length of the code fence open, as divs.c reads fences */
    char open_ch = 0;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        line++;
        char ch;
        size_t f = 0;
        if (!pm_code_fence(p, (size_t)(e - p), &ch, &f)) f = 0;
        if (open) {
            if (f >= open && ch == open_ch) open = 0;
        } else if (f) {
            open = f;
            open_ch = ch;
        } else if (prev_blank) {
            const char *q = p;
            while (q < e && *q == ' ' && q - p < 3) q++;
            size_t n = label_at(q, (size_t)(e - q), 0);
            if (n && q + n + 3 < e && q[n + 3] == ':') {
                char *l = fold(q + 2, n);
                gpointer first = g_hash_table_lookup(seen, l);
                if (first) {
                    pm_warn(st->file, line, 0, "footnote '%.*s' is defined a second time; this text is left out "
                            "(the note is the definition on line %d)", (int)n + 3, q, GPOINTER_TO_INT(first));
                    pm_hint("give this note a label of its own, and name it where it belongs");
                    g_free(l);
                } else {
                    if (!kept(st, line)) {
                        pm_warn(st->file, line, 0, "footnote '%.*s' is named nowhere in the text; it is left out",
                                (int)n + 3, q);
                        pm_hint("put '%.*s' in the text where the note belongs", (int)n + 3, q);
                    }
                    g_hash_table_insert(seen, l, GINT_TO_POINTER(line));
                }
            }
        }
        prev_blank = blank(p, e);
        p = e + 1;
    }
    g_hash_table_destroy(seen);
}

void pm_ct_drop_unnamed_notes(cstate *st, pm_doc *doc)
{
    if (!doc->nnotes) return;
    char *named = pm_xmalloc(doc->nnotes + 1);
    if (pm_doc_named_notes(doc, named) < (int)doc->nnotes) {
        for (size_t i = 0; i < doc->nnotes; i++)
            if (!named[i + 1]) {
                pm_warn(st->file, doc->notes[i].line, 0,
                        "this footnote is named only in footnotes that are left out; it is left out too");
                pm_hint("name the footnotes that name it in the text, or name it there yourself");
            }
        pm_doc_keep_notes(doc, named);
    }
    free(named);
}
