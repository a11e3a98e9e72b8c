/* fuzz_spec.c - libFuzzer harness: the layout loader (pm_spec_parse: YAML, the schema of
 * keys, units, paper sizes, `extends:` chains) on arbitrary bytes, then every resolved
 * value the page builder asks for.
 *
 * It runs in a scratch folder of its own, so a relative `extends:` finds nothing there but
 * the two files put in it (base.yaml, and loop.yaml which extends itself); a shipped name
 * (`extends: a5`) finds layouts/ under the repository (PAMPHLET_DATADIR). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fuzz_common.h"
#include "input/spec.h"

#define FUZZ_MAX_INPUT (64u << 10)

static volatile double sink;

static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_quiet_diagnostics();
    fuzz_quiet_stdio();
    fuzz_root();
    const char *dir = fuzz_scratch();
    if (dir && chdir(dir) == 0) {
        put(".", "base.yaml", "extends: a5\npage: {size: A6}\nfonts: {body: {size: 9pt}}\n");
        put(".", "loop.yaml", "extends: loop.yaml\n");
    }
    return 0;
}

static void font(const pm_spec *s, const pm_font_spec *f)
{
    sink += pm_font_size(s, f) + pm_font_leading(s, f) + pm_spec_len(s, f->tracking, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) return 0;
    pm_diag_reset();
    pm_spec *s = NULL;
    int rc = pm_spec_parse("fuzz.yaml", (const char *)data, size, &s);
    if (rc != PM_OK) {
        if (s || pm_diag_errors() == 0) __builtin_trap(); /* a failure always says why */
        return 0;
    }
    double x, y, w, h;
    for (int right = 0; right < 2; right++) {
        pm_spec_text_area(s, right, &x, &y, &w, &h);
        sink += x + y + w + h;
    }
    const pm_font_spec *fs[] = {&s->body, &s->caption, &s->running, &s->footnote, &s->code,
                                &s->quote, &s->cover_title, &s->cover_subtitle,
                                &s->cover_author, &s->cover_date, &s->h[0].font,
                                &s->h[1].font, &s->h[2].font};
    for (size_t i = 0; i < sizeof fs / sizeof *fs; i++) font(s, fs[i]);
    pm_len ls[] = {s->indent, s->para_space, s->fig_max_width, s->fig_max_height, s->fig_space,
                   s->caption_gap, s->list_indent, s->list_item_space, s->quote_indent,
                   s->note_space, s->cover_image_height, s->header.offset, s->footer.offset,
                   s->booklet.creep, s->booklet.printer_margin};
    for (size_t i = 0; i < sizeof ls / sizeof *ls; i++) sink += pm_spec_len(s, ls[i], w);
    pm_spec_drop(s);
    return 0;
}
