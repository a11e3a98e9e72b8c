/* attrs.c - pandoc-style attribute blocks: {#id .class key=value key="a value"}, after a
 * heading, a paragraph, a figure's image or a fenced div's opening colons (attrs.h). */
#include "input/attrs.h"

#include <ctype.h>
#include <string.h>

static int name_char(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '_' || c == ':' || c >= 0x80;
}

/* Append to a growing array in the arena (doubling; old copies stay in the arena). */
static void push_str(pm_arena *a, const char ***arr, int *n, const char *s)
{
    if ((*n & (*n - 1)) == 0) { /* 0, 1, 2, 4, ...: grow */
        const char **na = pm_arena_array(a, (size_t)(*n ? 2 * *n : 1), sizeof *na);
        if (*n) memcpy(na, *arr, (size_t)*n * sizeof *na);
        *arr = na;
    }
    (*arr)[(*n)++] = s;
}

void pm_attrs_add_class(pm_arena *a, pm_attrs *out, const char *cls)
{
    push_str(a, &out->classes, &out->nclasses, pm_arena_strdup(a, cls));
}

static void add_kv(pm_arena *a, pm_attrs *out, const char *k, size_t kn, const char *v, size_t vn)
{
    int n = out->nkv;
    push_str(a, &out->keys, &n, pm_arena_strndup(a, k, kn));
    push_str(a, &out->values, &out->nkv, pm_arena_strndup(a, v, vn));
}

/* The length of a curly opening quote at s (“ or ‘, three bytes each), else 0. */
static size_t curly_open(const char *s, size_t n)
{
    return n >= 3 && !memcmp(s, "\xE2\x80", 2) && ((unsigned char)s[2] == 0x9C || (unsigned char)s[2] == 0x98) ? 3 : 0;
}

static int curly_close(const char *s, size_t n)
{
    return n >= 3 && !memcmp(s, "\xE2\x80", 2) && ((unsigned char)s[2] == 0x9D || (unsigned char)s[2] == 0x99);
}

size_t pm_attrs_parse(pm_arena *a, const char *s, size_t n, pm_attrs *out)
{
    if (!n || s[0] != '{') return 0;
    pm_attrs got = *out;
    size_t i = 1;
    int tokens = 0;
    for (;;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
        if (i >= n) return 0; /* no closing brace */
        if (s[i] == '}') break;
        size_t t0 = i;
        if (s[i] == '.' || s[i] == '#') {
            char kind = s[i++];
            size_t b = i;
            while (i < n && name_char((unsigned char)s[i])) i++;
            if (i == b) return 0;
            if (kind == '.') push_str(a, &got.classes, &got.nclasses, pm_arena_strndup(a, s + b, i - b));
            else got.id = pm_arena_strndup(a, s + b, i - b);
        } else {
            while (i < n && name_char((unsigned char)s[i])) i++;
            if (i == t0 || i >= n || s[i] != '=') return 0; /* a bare word is not an attribute */
            size_t kn = i - t0;
            i++;
            const char *v;
            size_t vn;
            size_t ql = curly_open(s + i, n - i);
            if (i < n && (s[i] == '"' || s[i] == '\'')) {
                char q = s[i++];
                v = s + i;
                while (i < n && s[i] != q) i++;
                if (i >= n) return 0;
                vn = (size_t)(s + i - v);
                i++;
            } else if (ql) { /* “value” or ‘value’: smart punctuation turned the quotes */
                i += ql;
                v = s + i;
                while (i < n && !curly_close(s + i, n - i)) i++;
                if (i >= n) return 0;
                vn = (size_t)(s + i - v);
                i += 3;
            } else {
                v = s + i;
                while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '}') i++;
                vn = (size_t)(s + i - v);
            }
            add_kv(a, &got, s + t0, kn, v, vn);
        }
        tokens++;
        if (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '}') return 0;
    }
    if (!tokens) return 0;
    *out = got;
    return i + 1;
}

size_t pm_attrs_trailing(pm_arena *a, const char *s, size_t n, pm_attrs *out)
{
    size_t e = n;
    while (e && (s[e - 1] == ' ' || s[e - 1] == '\t')) e--;
    if (!e || s[e - 1] != '}') return n;
    /* the last '{' that starts a valid block reaching the end */
    for (size_t b = e; b-- > 0;) {
        if (s[b] != '{') continue;
        if (b > 0 && s[b - 1] != ' ' && s[b - 1] != '\t' && (unsigned char)s[b - 1] != 0xA8) return n;
        pm_attrs tmp = *out;
        size_t used = pm_attrs_parse(a, s + b, e - b, &tmp);
        if (used != e - b) return n;
        *out = tmp;
        while (b && (s[b - 1] == ' ' || s[b - 1] == '\t')) b--;
        return b;
    }
    return n;
}
