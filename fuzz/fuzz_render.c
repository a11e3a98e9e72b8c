/* fuzz_render.c - libFuzzer harness: a whole small render, as `pamphlet` runs it. The
 * bytes are the content file; the layout is fixed (fuzz/render.yaml: A6 pages, so a few
 * kilobytes of text make several pages, with the booklet's marks and creep on). Each run
 * goes through pm_session_render: content, layout, fonts, hyphenation, paragraphs, page
 * building, images, then the reading PDF, the booklet and the layout dump, written
 * atomically into a scratch folder on tmpfs.
 *
 * The session lives for the whole process, so fonts and hyphenation patterns are loaded
 * once (as in watch mode, but without keeping paragraphs between runs). The scratch
 * folder holds copies of a few test images (fuzz/render-images.txt lists them), so that
 * seeds with figures such as ![x](photo.jpg) or ![x](images/1917-....jpg) reach the image
 * code and the figure layout. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"
#include "app/render.h"

#define FUZZ_MAX_INPUT (64u << 10) /* the fuzzer is to explore structure, not size */

static pm_session *session;
static char src[512], out[512], booklet[512], dump[512], layout[512];

static void copy_file(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = a ? fopen(to, "wb") : NULL;
    char buf[65536];
    size_t n;
    while (a && b && (n = fread(buf, 1, sizeof buf, a)) > 0) fwrite(buf, 1, n, b);
    if (a) fclose(a);
    if (b) fclose(b);
}

/* At exit the fonts and caches go, so that a leak check at exit sees only real leaks. */
static void drop_session(void)
{
    pm_session_drop(session);
    session = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_quiet_diagnostics();
    fuzz_quiet_stdio();
    const char *root = fuzz_root();
    const char *dir = fuzz_scratch();
    if (!dir) {
        fprintf(stderr, "fuzz_render: cannot make a scratch folder\n");
        exit(1);
    }
    char p[1024], q[1024];
    snprintf(p, sizeof p, "%s/images", dir);
    mkdir(p, 0700);
    /* images the seeds refer to: "path-in-repo name-in-scratch" per line */
    snprintf(p, sizeof p, "%s/fuzz/render-images.txt", root);
    FILE *list = fopen(p, "r");
    char line[1024], from[512], to[256];
    while (list && fgets(line, sizeof line, list)) {
        if (line[0] == '#' || sscanf(line, "%511s %255s", from, to) != 2) continue;
        snprintf(p, sizeof p, "%s/%s", root, from);
        snprintf(q, sizeof q, "%s/%s", dir, to);
        copy_file(p, q);
    }
    if (list) fclose(list);
    snprintf(p, sizeof p, "%s/fuzz/render.yaml", root);
    snprintf(layout, sizeof layout, "%s/layout.yaml", dir);
    copy_file(p, layout);
    snprintf(src, sizeof src, "%s/in.md", dir);
    snprintf(out, sizeof out, "%s/out.pdf", dir);
    snprintf(booklet, sizeof booklet, "%s/out-booklet.pdf", dir);
    snprintf(dump, sizeof dump, "%s/out.dump", dir);
    /* the fontconfig cache and the hyphenated words go to the scratch folder, not into
       the user's cache (the session writes every word it hyphenated at exit) */
    setenv("XDG_CACHE_HOME", dir, 1);
    session = pm_session_new(0, 0);
    atexit(drop_session);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) return 0;
    FILE *f = fopen(src, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    pm_diag_reset();
    pm_options o;
    pm_options_init(&o);
    o.source = src;
    o.layout = layout;
    o.output = out;
    o.booklet = booklet;
    o.dump = dump;
    int rc = pm_session_render(session, &o, NULL);
    if (rc != PM_OK && pm_diag_errors() == 0) __builtin_trap(); /* a failure always says why */
    return 0;
}
