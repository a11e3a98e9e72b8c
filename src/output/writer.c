/* writer.c - running a document writer over a laid-out document (see writer.h). */
#include "output/writer.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/diag.h"

int pm_writer_run(pm_writer *w, const pm_layout *lay)
{
    int rc = w->begin ? w->begin(w, lay) : PM_OK;
    for (size_t i = 0; !rc && i < lay->npages; i++) rc = w->page(w, lay, lay->pages[i]);
    if (!rc && w->end) rc = w->end(w, lay);
    return rc;
}

void pm_writer_add_pass(pm_writer *w, pm_pass pass)
{
    if (!w->out || w->npasses >= PM_WRITER_MAX_PASSES) {
        fprintf(stderr, "pamphlet: internal error: writer %s cannot take pass %s\n", w->name, pass.name);
        abort();
    }
    w->passes[w->npasses++] = pass;
}

int pm_writer_post(pm_writer *w)
{
    int rc = PM_OK;
    if (w->posted) return PM_OK;
    w->posted = 1;
    for (int i = 0; i < w->npasses && !rc; i++) rc = pm_outfile_pass(w->out, &w->passes[i]);
    return rc;
}

int pm_writers_commit(pm_writer *const *w, int n)
{
    int rc = PM_OK;
    for (int i = 0; i < n && !rc; i++) rc = pm_writer_post(w[i]);
    for (int i = 0; i < n && !rc; i++)
        if (w[i]->commit && !w[i]->scratch) rc = w[i]->commit(w[i]);
    return rc;
}
