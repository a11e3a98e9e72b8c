/* writer.c - running a document writer over a laid-out document (see writer.h). */
#include "output/writer.h"

#include "base/diag.h"

int pm_writer_run(pm_writer *w, const pm_layout *lay)
{
    int rc = w->begin ? w->begin(w, lay) : PM_OK;
    for (size_t i = 0; !rc && i < lay->npages; i++) rc = w->page(w, lay, lay->pages[i]);
    if (!rc && w->end) rc = w->end(w, lay);
    return rc;
}
