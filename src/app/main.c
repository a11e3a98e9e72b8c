/* main.c - the command line: options, subcommands, exit codes. */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impose/booklet.h"
#include "output/qpdf_api.h"
#include "base/diag.h"
#include "app/outputs.h"
#include "app/render.h"
#include "layout/flow.h"
#include "base/units.h"
#include "base/version.h"
#include "app/watch.h"

static const char usage[] =
    "usage: pamphlet SOURCE.md [-l LAYOUT] [-o OUT.pdf] [options]\n"
    "       pamphlet impose IN.pdf -o OUT.pdf [booklet options]\n"
    "\n"
    "Typesets a pamphlet written in Markdown with a YAML layout into a PDF to read and,\n"
    "with --booklet, a PDF imposed for double-sided copying, folding and stapling.\n"
    "\n"
    "  -l, --layout LAYOUT     layout file, or a shipped layout by name (a5, half-letter)\n"
    "  -o, --output FILE       the reading PDF (default: SOURCE with .pdf)\n"
    "      --booklet FILE      also write the booklet (imposed) PDF\n"
    "      --dump-layout FILE  write a text dump of the laid-out pages ('-' = stdout)\n"
    "      --png DIR           write each page as a PNG proof into DIR\n"
    "      --spreads FILE      write one PNG of all pages as facing spreads\n"
    "      --dpi N             resolution of PNG proofs (default 100)\n"
    "      --no-pdf            write no reading PDF\n"
    "      --no-finish         the reading PDF as cairo writes it, without the print\n"
    "                          finishing (page boxes, black as black ink, /Lang, XMP)\n"
    "      --print-shop        the reading PDF as print shops ask for it: crop marks\n"
    "                          outside the bleed (set the layout's page: bleed: 3mm)\n"
    "      --pdfx              the reading PDF as PDF/X-4 (CMYK output intent: SWOP)\n"
    "      --gray              for black-and-white copiers: images made grayscale (a tone\n"
    "                          curve that keeps photos readable) and every colour grey\n"
    "      --preflight         check everything and report; write nothing\n"
    "      --pages N|fit|none  fit the pamphlet to N pages, or to the nearest multiple of\n"
    "                          four (a booklet without blank pages); none: not even a\n"
    "                          last page of a few lines is pulled back\n"
    "      --watch             render, then render again whenever an input changes\n"
    "      --fonts DIR         also take fonts from DIR and its subfolders (after the\n"
    "                          shipped fonts; may be given more than once)\n"
    "  -q, --quiet             errors only: no warnings, no booklet how-to\n"
    "\n"
    "Booklet options (override the layout's booklet: section):\n"
    "      --fold FOLD         saddle: folded and stapled (default); 2up: two copies of each\n"
    "                          sheet side, cut in half; cut-stack: several booklet sides\n"
    "                          per sheet, cut, stacked, folded; zine8: eight pages on one\n"
    "                          side, folded and slit\n"
    "      --sheet SIZE        sheet paper (A4, Letter, A3, ...; default: from the page)\n"
    "      --duplex short|long printer flips on the short (default) or long edge\n"
    "      --blanks before-last|end  where padding pages go (default before-last)\n"
    "      --signature N       signatures of N sheets each\n"
    "      --creep LENGTH      paper thickness, e.g. 0.1mm: shift inner sheets' pages\n"
    "      --marks             fold and crop marks\n"
    "      --printer-margin L  copier's unprintable edge (default 5mm)\n"
    "      --binding left|right\n"
    "      --sides front|back  only the fronts, or only the backs: for copiers without\n"
    "                          duplex (print the fronts, turn the stack, print the backs)\n"
    "\n"
    "  -h, --help              this help\n"
    "  -V, --version           the version\n"
    "\n"
    "Exit codes: 0 success, 1 input error (content, layout, image), 2 usage error,\n"
    "3 input/output error. Errors name FILE:LINE:COL. A failed run leaves earlier\n"
    "outputs untouched.\n";

enum {
    O_BOOKLET = 256, O_DUMP, O_PNG, O_SPREADS, O_DPI, O_NOPDF, O_PREFLIGHT, O_FONTS, O_SHEET,
    O_DUPLEX, O_BLANKS, O_SIGNATURE, O_CREEP, O_MARKS, O_PMARGIN, O_BINDING, O_WATCH, O_FOLD, O_SIDES, O_PAGES,
    O_NOFINISH, O_PRINTSHOP, O_PDFX, O_GRAY
};

static const struct option longopts[] = {
    {"layout", required_argument, 0, 'l'},   {"output", required_argument, 0, 'o'},
    {"booklet", required_argument, 0, O_BOOKLET}, {"dump-layout", required_argument, 0, O_DUMP},
    {"png", required_argument, 0, O_PNG},    {"spreads", required_argument, 0, O_SPREADS},
    {"dpi", required_argument, 0, O_DPI},    {"no-pdf", no_argument, 0, O_NOPDF},
    {"preflight", no_argument, 0, O_PREFLIGHT}, {"fonts", required_argument, 0, O_FONTS},
    {"quiet", no_argument, 0, 'q'},          {"sheet", required_argument, 0, O_SHEET},
    {"duplex", required_argument, 0, O_DUPLEX}, {"blanks", required_argument, 0, O_BLANKS},
    {"signature", required_argument, 0, O_SIGNATURE}, {"creep", required_argument, 0, O_CREEP},
    {"marks", no_argument, 0, O_MARKS},      {"printer-margin", required_argument, 0, O_PMARGIN},
    {"binding", required_argument, 0, O_BINDING}, {"watch", no_argument, 0, O_WATCH},
    {"fold", required_argument, 0, O_FOLD},  {"sides", required_argument, 0, O_SIDES},
    {"pages", required_argument, 0, O_PAGES},
    {"no-finish", no_argument, 0, O_NOFINISH}, {"print-shop", no_argument, 0, O_PRINTSHOP},
    {"pdfx", no_argument, 0, O_PDFX},
    {"gray", no_argument, 0, O_GRAY},
    {"help", no_argument, 0, 'h'},           {"version", no_argument, 0, 'V'},
    {0, 0, 0, 0}};

static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "pamphlet: error: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'pamphlet --help'.\n");
    return PM_EUSAGE;
}

/* An unknown option: the error, and the nearest long option as a hint (--bookelt). */
static int unknown_option(const char *bad)
{
    fprintf(stderr, "pamphlet: error: unknown option '%s'\n", bad);
    if (!strncmp(bad, "--", 2)) {
        const char *cands[sizeof longopts / sizeof *longopts];
        int n = 0;
        for (const struct option *lo = longopts; lo->name; lo++) cands[n++] = lo->name;
        char word[64];
        snprintf(word, sizeof word, "%s", bad + 2);
        word[strcspn(word, "=")] = 0;
        const char *near = pm_nearest(word, cands, n);
        if (near) fprintf(stderr, "  hint: did you mean '--%s'?\n", near);
    }
    fprintf(stderr, "Try 'pamphlet --help'.\n");
    return PM_EUSAGE;
}

/* Booklet options given without --booklet change nothing: say so (not for impose, whose
 * output is the booklet, nor for --preflight, which reports the booklet). */
static void warn_booklet_options(const pm_options *o, const char *given)
{
    if (o->booklet || o->preflight || !*given) return;
    pm_warn(NULL, 0, 0, "%s: booklet option%s without --booklet FILE, so no booklet is made", given,
            strchr(given, ',') ? "s" : "");
    pm_hint("add --booklet FILE, or leave %s out", strchr(given, ',') ? "them" : "it");
}

static int parse_length(const char *opt, const char *arg, double *out)
{
    pm_len l = {PM_LEN_PT, 0}; /* not set when parsing fails */
    const char *why = NULL;
    if (pm_len_parse(arg, 0, &l, &why) < 0 || l.kind != PM_LEN_PT || l.v < 0) {
        fprintf(stderr, "pamphlet: error: %s '%s': %s\n", opt, arg,
                why ? why : l.kind != PM_LEN_PT ? "use mm, cm, in or pt" : "must not be negative");
        return -1;
    }
    *out = l.v;
    return 0;
}

/* One of the words names[] (NULL-ended) into *out as the value beside it: PM_OK, or the
 * usage error msg (a format with the word given as its %s). */
static int keyword(const char *arg, const char *const *names, const int *vals, int *out, const char *msg)
{
    for (int i = 0; names[i]; i++)
        if (!strcmp(arg, names[i])) {
            *out = vals[i];
            return PM_OK;
        }
    return bad_usage(msg, arg);
}

/* A booklet option's value (--sheet, --duplex, --blanks, --signature, --creep,
 * --printer-margin, --marks, --binding, --fold, --sides) into o: PM_OK, a usage error, or
 * -1 when c is none of them. */
static int booklet_option(int c, const char *arg, pm_options *o)
{
    switch (c) {
    case O_SHEET: {
        double w, h;
        if (pm_paper_size(arg, &w, &h) < 0) {
            char msg[512];
            snprintf(msg, sizeof msg, "--sheet '%s': unknown paper size (known: %s)", arg, pm_paper_names());
            return bad_usage("%s", msg);
        }
        o->sheet = arg;
        break;
    }
    case O_DUPLEX:
        return keyword(arg, (const char *const[]){"short", "long", NULL}, (const int[]){PM_DUPLEX_SHORT, PM_DUPLEX_LONG},
                       &o->duplex, "--duplex '%s': use short or long");
    case O_BLANKS:
        return keyword(arg, (const char *const[]){"before-last", "end", NULL},
                       (const int[]){PM_BLANKS_BEFORE_LAST, PM_BLANKS_END}, &o->blanks,
                       "--blanks '%s': use before-last or end");
    case O_SIGNATURE: {
        char *end;
        long v = strtol(arg, &end, 10);
        if (*end || v < 1 || v > 1000) return bad_usage("--signature '%s': give a number of sheets from 1 to 1000", arg);
        o->signature = (int)v;
        break;
    }
    case O_CREEP:
        if (parse_length("--creep", arg, &o->creep) < 0) return PM_EUSAGE;
        break;
    case O_PMARGIN:
        if (parse_length("--printer-margin", arg, &o->printer_margin) < 0) return PM_EUSAGE;
        break;
    case O_MARKS: o->marks = 1; break;
    case O_BINDING:
        return keyword(arg, (const char *const[]){"left", "right", NULL}, (const int[]){0, 1}, &o->rtl,
                       "--binding '%s': use left or right");
    case O_FOLD:
        return keyword(arg, (const char *const[]){"saddle", "zine8", "2up", "cut-stack", NULL},
                       (const int[]){PM_FOLD_SADDLE, PM_FOLD_ZINE8, PM_FOLD_2UP, PM_FOLD_CUT_STACK}, &o->fold,
                       "--fold '%s': use saddle, zine8, 2up or cut-stack");
    case O_SIDES:
        return keyword(arg, (const char *const[]){"front", "back", "both", NULL},
                       (const int[]){PM_SIDES_FRONT, PM_SIDES_BACK, PM_SIDES_BOTH}, &o->sides,
                       "--sides '%s': use front or back (or both)");
    default: return -1;
    }
    return PM_OK;
}

/* The options that do not go together. PM_OK or a usage error. */
static int check_combinations(const pm_options *o, int watch)
{
    const char *shop = o->print_shop ? "--print-shop" : o->pdfx ? "--pdfx" : NULL;
    if (shop && o->no_finish) return bad_usage("%s and --no-finish do not go together (they are part of the finishing)", shop);
    if (shop && o->no_pdf) return bad_usage("%s changes the reading PDF, and --no-pdf writes none", shop);
    if (o->print_shop && o->booklet)
        return bad_usage("%s", "--print-shop writes single pages for a print shop and --booklet imposes them for a "
                               "copier: make them in two runs");
    if (watch && o->preflight) return bad_usage("%s", "--watch and --preflight do not go together");
    return PM_OK;
}

int main(int argc, char **argv)
{
    /* Two malloc arenas: the main thread's, and one shared by the short-lived threads
       (hyphenation patterns, Pango's font sorting, the PDF writer). glibc would give
       each thread an arena of its own, grown a page or two at a time with an mprotect
       call each (hundreds for the patterns); the main heap grows in large steps. */
    mallopt(M_ARENA_MAX, 2);
    mallopt(M_TOP_PAD, 4 << 20);
    /* Big buffers (a photo of megabytes, copied by libqpdf into the reading PDF and again
       into the booklet) from the heap, and freed memory kept for the next: glibc mmaps
       each one afresh and returns it on free, so every copy paid a page fault per 4 KB
       (Common Sense's finishing write 24 -> 16 ms, its booklet's 19 -> 10 ms) */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    pm_options o;
    pm_options_init(&o);
    int impose = argc > 1 && !strcmp(argv[1], "impose");
    int watch = 0;
    if (impose) {
        argv++;
        argc--;
    }
    int c;
    char booklet_opts[256] = ""; /* the booklet options given, for a warning */
    opterr = 0; /* getopt's own messages are not in the "pamphlet: error: ..." form */
    while ((c = getopt_long(argc, argv, ":l:o:qhV", longopts, NULL)) != -1) {
        if (c >= O_SHEET && c <= O_BINDING) {
            const char *name = argv[optind - 1] ? argv[optind - 1] : "";
            for (const struct option *lo = longopts; lo->name; lo++)
                if (lo->val == c) name = lo->name;
            if (!strstr(booklet_opts, name)) {
                size_t l = strlen(booklet_opts);
                snprintf(booklet_opts + l, sizeof booklet_opts - l, "%s--%s", l ? ", " : "", name);
            }
        }
        switch (c) {
        case 'l': o.layout = optarg; break;
        case 'o': o.output = optarg; break;
        case 'q':
            pm_diag_quiet(1);
            o.quiet = 1;
            break;
        case 'h': fputs(usage, stdout); return 0;
        case 'V': printf("pamphlet %s\n", PM_VERSION); return 0;
        case O_BOOKLET: o.booklet = optarg; break;
        case O_DUMP: o.dump = optarg; break;
        case O_PNG: o.png_dir = optarg; break;
        case O_SPREADS: o.spreads = optarg; break;
        case O_DPI: {
            char *end;
            o.dpi = strtod(optarg, &end);
            if (*end || o.dpi < 10 || o.dpi > 1200) return bad_usage("--dpi '%s': give a number from 10 to 1200", optarg);
            break;
        }
        case O_NOPDF: o.no_pdf = 1; break;
        case O_NOFINISH: o.no_finish = 1; break;
        case O_PRINTSHOP: o.print_shop = 1; break;
        case O_PDFX: o.pdfx = 1; break;
        case O_GRAY: o.gray = 1; break;
        case O_PREFLIGHT: o.preflight = 1; break;
        case O_FONTS: { /* folders add up, ':' between them */
            static char dirs[8192];
            if (strchr(optarg, ':')) return bad_usage("--fonts '%s': a folder name with ':' cannot be used", optarg);
            if (strlen(dirs) + strlen(optarg) + 2 > sizeof dirs) return bad_usage("%s", "too many --fonts folders");
            if (*dirs) strcat(dirs, ":");
            strcat(dirs, optarg);
            o.fonts_dir = dirs;
            break;
        }
        case O_WATCH: watch = 1; break;
        case O_PAGES: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (!strcmp(optarg, "fit")) o.pages = PM_FIT_NEAREST;
            else if (!strcmp(optarg, "none")) o.pages = -2;
            else if (*end || v < 1 || v > 100000)
                return bad_usage("--pages '%s': give a number of pages, 'fit' (a multiple of four) or 'none'", optarg);
            else o.pages = (int)v;
            break;
        }
        case ':': return bad_usage("option '%s' needs a value", argv[optind - 1]);
        default: {
            int rc = booklet_option(c, optarg, &o);
            if (rc > 0) return rc;
            if (rc == 0) break;
            const char *bad = argv[optind - 1];
            char opt[3] = {'-', (char)optopt, 0};
            if (strncmp(bad, "--", 2) && optopt > 0 && optopt < 128) bad = opt; /* in "-qZ" */
            return unknown_option(bad);
        }
        }
    }
    if (optind != argc - 1)
        return bad_usage("%s", optind >= argc ? (impose ? "impose needs one input PDF" : "no SOURCE.md given")
                                              : "give exactly one SOURCE file");
    o.source = argv[optind];
    if (impose) {
        if (!o.output) return bad_usage("%s", "impose needs -o OUT.pdf");
        pm_booklet_opts bo;
        pm_output out = {"-o", "the booklet", o.output, 0};
        pm_input in = {"the PDF to impose", o.source};
        int rc = pm_outputs_check(&out, 1, &in, 1, 0);
        if (!rc) rc = pm_options_booklet(&o, NULL, PM_DIR_LTR, &bo);
        return rc ? rc : pm_impose_pdf(o.source, o.output, &bo);
    }
    warn_booklet_options(&o, booklet_opts);
    int rc = check_combinations(&o, watch);
    if (rc) return rc;
    if (!o.no_finish) pm_pdf_content_for_finishing(); /* (sets the environment: before any thread) */
    rc = watch ? pm_watch(&o) : pm_render(&o);
    pm_qpdf_wait(); /* (a run that failed early: libqpdf may still be loading) */
    return rc;
}
