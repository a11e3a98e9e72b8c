/* watch.h - --watch: rebuild the outputs whenever an input changes. */
#ifndef PM_WATCH_H
#define PM_WATCH_H

#include "app/render.h"

/* Render, then watch the content, the layout chain, the images and the fonts (inotify,
 * including editors that save by writing a new file and renaming it) and render again
 * after each change, keeping what did not change. A broken edit prints its error and
 * leaves the last good outputs in place. Prints one line per rebuild. Returns 0 when
 * ended by SIGINT or SIGTERM, or an exit code if watching cannot start. */
int pm_watch(const pm_options *o);

#endif
