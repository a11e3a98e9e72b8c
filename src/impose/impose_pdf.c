/* impose_pdf.c - `pamphlet impose IN.pdf -o OUT.pdf`: a booklet from a PDF made
 * elsewhere (Word, LibreOffice, groff, ...), imposed by reference (byref.c): its pages
 * are placed on the sheets as they are, by their TrimBox when they have one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "impose/booklet-imp.h"
#include "base/diag.h"
#include "base/fileio.h"

/* Check the file is there, readable and starts like a PDF, for a clear message before
   poppler's. */
static int check_input(const char *in)
{
    struct stat st;
    if (stat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
        pm_error(in, 0, 0, "is a folder, not a PDF file");
        return PM_EIO;
    }
    FILE *f = fopen(in, "rb");
    if (!f) {
        pm_error(in, 0, 0, "cannot read: %s", strerror(errno));
        return PM_EIO;
    }
    char head[1024];
    errno = 0;
    size_t n = fread(head, 1, sizeof head, f);
    int err = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (err) {
        pm_error(in, 0, 0, "cannot read: %s", strerror(err));
        return PM_EIO;
    }
    for (size_t i = 0; i + 5 <= n; i++)
        if (!memcmp(head + i, "%PDF-", 5)) return PM_OK;
    pm_error(in, 0, 0, "not a PDF file%s", n ? "" : " (it is empty)");
    pm_hint("impose takes a PDF; for a Markdown pamphlet use: pamphlet FILE.md --booklet OUT.pdf");
    return PM_EINPUT;
}

int pm_impose_pdf(const char *in, const char *out, const pm_booklet_opts *o)
{
    int rc = check_input(in);
    if (rc) return rc;
    pm_outfile of;
    if ((rc = pm_outfile_begin(&of, out))) return rc;
    pm_bk_summary sum;
    const char *tmp = pm_outfile_tmp(&of);
    rc = tmp ? pm_bk_impose_file(in, NULL, in, tmp, out, o, NULL, &sum) : PM_EIO;
    if (!rc) rc = pm_outfile_commit(&of);
    else pm_outfile_abort(&of);
    if (!rc && !o->quiet) pm_bk_print_howto(stdout, out, o, &sum);
    pm_bk_summary_free(&sum);
    return rc;
}
