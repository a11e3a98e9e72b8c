/* divs.h - fenced divs (::: class ... :::) marked for the CommonMark parser (private to
 * input/; see divs.c). */
#ifndef PM_INPUT_DIVS_H
#define PM_INPUT_DIVS_H

#include <stddef.h>

#include "input/doc.h"

typedef struct pm_div_fence {
    int line, col;
    int open;          /* 1: an opening fence with attrs; 0: a closing one */
    pm_attrs attrs;
} pm_div_fence;

typedef struct pm_div_fences {
    pm_div_fence *v;   /* malloc'd */
    int n, cap;
} pm_div_fences;

/* A fenced code block's opening or closing line: up to three spaces, then three or more
 * backticks or tildes. Sets *ch and *len. */
int pm_code_fence(const char *s, size_t n, char *ch, size_t *len);

/* A copy of text (len bytes, its first line is line0 of file) with every fence line
 * replaced by a marker comment; the fences in order in *fences (free fences->v). A closing
 * fence with no div open is left as text, with a warning. Returns a new malloc'd,
 * NUL-terminated string of *out_len bytes. */
char *pm_divs_mark(pm_arena *a, const char *file, int line0, const char *text, size_t len, size_t *out_len,
                   pm_div_fences *fences);

/* Whether an HTML block's text is a marker: 1 an opening, -1 a closing one (its fence's
 * index in *index), 0 not a marker. */
int pm_divs_marker(const char *lit, int *index);

#endif
