/* frontmatter.h - the front matter and first checks of a content text (private to
 * input/; see frontmatter.c). */
#ifndef PM_INPUT_FRONTMATTER_H
#define PM_INPUT_FRONTMATTER_H

#include <stddef.h>

#include "input/doc.h"

/* Read the front matter at the start of text (if any) into doc->meta. Sets *body_off to
 * where the Markdown starts and *line0 to the lines before it. PM_OK or PM_EINPUT (with
 * diagnostics naming file). */
int pm_front_matter(pm_doc *doc, const char *file, const char *text, size_t len, size_t *body_off, int *line0);

/* The text is UTF-8 with no control characters but tab, CR and LF. PM_OK or PM_EINPUT
 * (naming line and column). */
int pm_content_check_text(const char *file, const char *s, size_t len);

#endif
