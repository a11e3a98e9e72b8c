/* attrs.h - reading pandoc-style attribute blocks {#id .class key=value} (private to
 * input/): strings are copied into the document's arena. */
#ifndef PM_INPUT_ATTRS_H
#define PM_INPUT_ATTRS_H

#include <stddef.h>

#include "input/doc.h"

/* Parse the attribute block at s[0] == '{' (n bytes available) into out, adding to what
 * it holds. Returns the bytes read through the closing '}', or 0 (out unchanged) when
 * s does not start a well-formed block: a token that is not .class, #id or key=value, an
 * unclosed brace or quote, or no token at all. */
size_t pm_attrs_parse(pm_arena *a, const char *s, size_t n, pm_attrs *out);

/* A block ending text s[0..n) after a space ("Heading {.unnumbered}"): parsed into out,
 * and the length of the text before it (trailing blanks cut) returned; n when there is
 * none. */
size_t pm_attrs_trailing(pm_arena *a, const char *s, size_t n, pm_attrs *out);

void pm_attrs_add_class(pm_arena *a, pm_attrs *out, const char *cls);

#endif
