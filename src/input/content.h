/* content.h - the pamphlet's text: YAML front matter + CommonMark (cmark-gfm) to pm_doc.
 *
 * Extensions over CommonMark, all in pandoc's spirit: a paragraph holding only an image is
 * a figure whose caption is the alt text, optionally followed by {width=80%} (or a length
 * such as {width=60mm}); a paragraph that is only \newpage is a page break; footnotes are
 * GFM's [^label]; tables are GFM's pipe tables. Smart punctuation is on. */
#ifndef PM_CONTENT_H
#define PM_CONTENT_H

#include <stddef.h>

#include "input/doc.h"

#define PM_CONTENT_MAX_BYTES (16u << 20) /* 16 MiB of text is far beyond any pamphlet */
/* One paragraph (or heading, footnote, code block) may hold at most 1 MiB of text, some
 * 150 000 words or 400 pages of one paragraph: a longer one is an error (it is almost
 * always a text whose paragraphs have no blank lines between them), rather than minutes
 * of line breaking. */
#define PM_BLOCK_MAX_BYTES (1u << 20)

/* Parse content text (len bytes; need not be NUL-terminated). path names the file in
 * messages and anchors relative image paths. Returns PM_OK and a new document in *out
 * (release with pm_doc_drop), or PM_EINPUT with diagnostics printed. */
int pm_content_parse(const char *path, const char *text, size_t len, pm_doc **out);
/* Read and parse a content file. PM_OK, PM_EIO or PM_EINPUT. */
int pm_content_load(const char *path, pm_doc **out);

#endif
