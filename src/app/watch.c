/* watch.c - watch mode (see watch.h): inotify on the folders of the inputs, kept for the
 * whole session so that no event is lost, and a pm_session that keeps fonts, patterns,
 * images and set paragraphs between rebuilds.
 *
 * A rebuild starts as soon as a save is complete (close after writing, or a new file
 * renamed into place), with no settle time. A save that lands while a rebuild runs stays
 * queued and starts another one when it ends, so the last rebuild always reads the files
 * as last saved: an editor that writes in several steps (truncate, then write) may cause
 * a rebuild that fails on the half-written file, and then the one that succeeds. */
#include "app/watch.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/fileio.h"

#define EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB)

typedef struct watched {
    int wd;
    char *dir;
    char **names;   /* the inputs in dir, as the session names them (their last part is the
                       name in dir); nnames -1: every font file (the fonts folder) */
    int nnames;
} watched;

typedef struct wstate {
    int fd;
    watched *w;
    int nw;
} wstate;

static void forget_names(watched *w)
{
    for (int k = 0; k < w->nnames; k++) free(w->names[k]);
    free(w->names);
    w->names = NULL;
    w->nnames = 0;
}

static void unwatch_all(wstate *ws)
{
    for (int i = 0; i < ws->nw; i++) {
        inotify_rm_watch(ws->fd, ws->w[i].wd);
        forget_names(&ws->w[i]);
        free(ws->w[i].dir);
    }
    free(ws->w);
    ws->w = NULL;
    ws->nw = 0;
}

static watched *folder(wstate *ws, const char *dir)
{
    for (int i = 0; i < ws->nw; i++)
        if (!strcmp(ws->w[i].dir, dir)) return &ws->w[i];
    int wd = inotify_add_watch(ws->fd, dir, EVENTS);
    if (wd < 0) {
        pm_warn(dir, 0, 0, "cannot watch this folder: %s", strerror(errno));
        return NULL;
    }
    for (int i = 0; i < ws->nw; i++) /* the same folder under another name */
        if (ws->w[i].wd == wd) return &ws->w[i];
    ws->w = pm_xrealloc(ws->w, (size_t)(ws->nw + 1) * sizeof *ws->w);
    watched *w = &ws->w[ws->nw++];
    memset(w, 0, sizeof *w);
    w->wd = wd;
    w->dir = pm_xstrdup(dir);
    return w;
}

/* Watch the folders of the inputs: editors replace files by renaming, which a watch on
 * the file itself would lose. The watches stay from one rebuild to the next (removing
 * and adding them again would drop the events queued meanwhile); only the names of
 * interest in each folder are made anew, and a folder no input is in any more is let go. */
static void watch_inputs(wstate *ws, pm_session *s)
{
    for (int i = 0; i < ws->nw; i++) forget_names(&ws->w[i]);
    const char *const *paths;
    int n = pm_session_inputs(s, &paths);
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) { /* the fonts folder: everything */
            watched *w = folder(ws, paths[i]);
            if (w) {
                forget_names(w);
                w->nnames = -1;
            }
            continue;
        }
        char *dir = pm_dirname(paths[i]);
        watched *w = folder(ws, dir);
        free(dir);
        if (!w || w->nnames < 0) continue;
        w->names = pm_xrealloc(w->names, (size_t)(w->nnames + 1) * sizeof *w->names);
        w->names[w->nnames++] = pm_xstrdup(paths[i]);
    }
    for (int i = 0; i < ws->nw;) {
        if (ws->w[i].nnames) {
            i++;
            continue;
        }
        inotify_rm_watch(ws->fd, ws->w[i].wd);
        free(ws->w[i].dir);
        ws->w[i] = ws->w[--ws->nw];
    }
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* Does an event concern an input? Sets *fonts when a font changed; tells the session
 * which input changed (so that an image is read again even if its size and time look
 * the same). */
static int relevant(wstate *ws, pm_session *s, const struct inotify_event *ev, int *fonts)
{
    if (!ev->len) return 0;
    int hit = 0;
    for (int i = 0; i < ws->nw; i++) {
        watched *w = &ws->w[i];
        if (w->wd != ev->wd) continue;
        if (w->nnames < 0) {
            size_t l = strlen(ev->name);
            if (l > 4 && (!strcasecmp(ev->name + l - 4, ".otf") || !strcasecmp(ev->name + l - 4, ".ttf"))) {
                *fonts = 1;
                hit = 1;
            }
            continue;
        }
        for (int k = 0; k < w->nnames; k++)
            if (!strcmp(base_name(w->names[k]), ev->name)) {
                pm_session_changed(s, w->names[k]);
                hit = 1;
            }
    }
    return hit;
}

/* Read the events queued now (never waiting); returns 1 if one concerned an input. */
static int drain(wstate *ws, pm_session *s, int *fonts)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    int hit = 0;
    for (;;) {
        ssize_t n = read(ws->fd, buf, sizeof buf);
        if (n <= 0) break;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            if (relevant(ws, s, ev, fonts)) hit = 1;
            p += sizeof *ev + ev->len;
        }
    }
    return hit;
}

static void report(const pm_options *o, int rc, const pm_run_info *info, int first)
{
    const char *out = o->output ? o->output : o->source;
    if (rc) {
        fprintf(stderr, "pamphlet: %s not updated (%s, see above)%s\n", o->output ? out : "the PDF",
                rc == PM_EUSAGE ? "an output would overwrite an input" : "the input has errors",
                first && rc == PM_EUSAGE ? "" : "; watching");
        return;
    }
    if (o->quiet) return;
    fprintf(stderr, "pamphlet: %s %s in %.0f ms (%d pages; %d paragraphs set, %d kept)%s\n",
            first ? "wrote" : "rebuilt", o->output ? out : "the PDF", info->ms, info->pages,
            info->paragraphs_set, info->paragraphs_cached, first ? "; watching for changes, Ctrl-C stops" : "");
}

int pm_watch(const pm_options *o)
{
    wstate ws = {.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)};
    if (ws.fd < 0) {
        pm_error(NULL, 0, 0, "cannot watch files: %s", strerror(errno));
        return PM_EIO;
    }
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
    pm_session *s = pm_session_new(1, o->gray);
    pm_run_info info;
    int rc = pm_session_render(s, o, &info);
    report(o, rc, &info, 1);
    if (rc == PM_EUSAGE) { /* the command line is wrong (an output that is an input): no
                              edit of the inputs can fix it */
        close(ws.fd);
        if (sfd >= 0) close(sfd);
        pm_session_drop(s);
        return rc;
    }
    watch_inputs(&ws, s);
    for (;;) {
        struct pollfd pf[2] = {{ws.fd, POLLIN, 0}, {sfd, POLLIN, 0}};
        if (poll(pf, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (pf[1].revents) break; /* SIGINT or SIGTERM */
        int fonts = 0;
        if (!drain(&ws, s, &fonts)) continue;
        if (fonts) pm_session_forget_fonts(s);
        pm_diag_reset();
        rc = pm_session_render(s, o, &info);
        report(o, rc, &info, 0);
        watch_inputs(&ws, s);
    }
    unwatch_all(&ws);
    close(ws.fd);
    if (sfd >= 0) close(sfd);
    pm_session_drop(s);
    fprintf(stderr, "pamphlet: stopped watching\n");
    return PM_OK;
}
