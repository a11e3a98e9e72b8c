/* qpdf_api.c - loading libqpdf at run time, on a thread beside the layout (qpdf_api.h). */
#define PM_QPDF_API_IMPL
#include "output/qpdf_api.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/thread.h"

#ifndef PM_QPDF_SONAME
#define PM_QPDF_SONAME "libqpdf.so.29" /* Debian 12's libqpdf29 (the Makefile finds it) */
#endif

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define DEEPBIND 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define DEEPBIND 0
#endif
#endif
#ifndef DEEPBIND
#define DEEPBIND RTLD_DEEPBIND
#endif

pm_qpdf_api pm_qpdf;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t loader;
static enum { NOT_YET, LOADING, DONE } state;
static char why[512]; /* empty: loaded */
static atomic_int loaded; /* load() has ended (released after pm_qpdf and why are filled) */

static void *load(void *ud)
{
    pm_thread_name("pm-qpdf-load");
    (void)ud;
    /* RTLD_NOW: every relocation here, on this thread; RTLD_LOCAL: its libraries stay out
       of the global scope every other library's symbols are looked up in; RTLD_DEEPBIND:
       its symbols are looked up in its own libraries first (libstdc++, gnutls), not
       through the forty the program has loaded before them: half the instructions of the
       load (30 -> 17 million, 7 -> 4 ms beside Pango and Cairo). Not under the
       sanitizers, whose malloc the library must share. */
    void *h = dlopen(PM_QPDF_SONAME, RTLD_NOW | RTLD_LOCAL | DEEPBIND);
    if (!h) {
        snprintf(why, sizeof why, "%s", dlerror());
        atomic_store_explicit(&loaded, 1, memory_order_release);
        return NULL;
    }
#define PM_QPDF_SYM(name)                                                                 \
    if (!*why && !(pm_qpdf.name = (__typeof__(pm_qpdf.name))dlsym(h, #name)))           \
        snprintf(why, sizeof why, "%s has no %s (a libqpdf older than 11?)", PM_QPDF_SONAME, #name);
    PM_QPDF_API(PM_QPDF_SYM)
#undef PM_QPDF_SYM
    atomic_store_explicit(&loaded, 1, memory_order_release);
    return NULL;
}

int pm_qpdf_ready(void) { return atomic_load_explicit(&loaded, memory_order_acquire) && !*why; }

/* At exit: a run that ends early (an error in the content) must not leave the loader
 * in dlopen while exit() unloads libraries under it (a crash, not exit 1). As an exit
 * handler this comes late: handlers registered after it (the C++ destructors libqpdf's
 * own libraries register while they load) run first; main() calls pm_qpdf_wait before it
 * returns, so that none of that happens while the loader is still loading. */
static void join_loader(void)
{
    pthread_mutex_lock(&lock);
    if (state == LOADING) {
        pthread_join(loader, NULL);
        state = DONE;
    }
    pthread_mutex_unlock(&lock);
}

void pm_qpdf_preload(void)
{
    pthread_mutex_lock(&lock);
    if (state == NOT_YET && pthread_create(&loader, NULL, load, NULL) == 0) {
        state = LOADING;
        atexit(join_loader);
    }
    pthread_mutex_unlock(&lock);
}

void pm_qpdf_wait(void) { join_loader(); }

int pm_qpdf_load(const char *dest)
{
    pthread_mutex_lock(&lock);
    if (state == LOADING) pthread_join(loader, NULL);
    else if (state == NOT_YET) load(NULL);
    state = DONE;
    pthread_mutex_unlock(&lock);
    if (!*why) return PM_OK;
    pm_error(dest, 0, 0, "cannot load libqpdf, which finishes PDFs and imposes booklets: %s", why);
    pm_hint("on Debian 12: apt-get install libqpdf29; or write the PDF unfinished with --no-finish");
    return PM_EIO;
}

static int leave_to_exit;
static qpdf_data *left; /* (so that they stay reachable: no leak to a checker) */
static int nleft, capleft;

void pm_qpdf_leave_to_exit(int yes) { leave_to_exit = yes; }

int pm_qpdf_release(qpdf_data q)
{
    if (!q) return 0;
    if (leave_to_exit) {
        if (nleft == capleft) left = pm_xrealloc(left, (size_t)(capleft = capleft * 2 + 4) * sizeof *left);
        left[nleft++] = q;
        return 1;
    }
    pm_qpdf.qpdf_cleanup(&q);
    return 0;
}

static qpdf_data *later;
static int nlater, caplater;

int pm_qpdf_release_later(qpdf_data q)
{
    if (!q || leave_to_exit) return pm_qpdf_release(q);
    if (nlater == caplater) later = pm_xrealloc(later, (size_t)(caplater = caplater * 2 + 4) * sizeof *later);
    later[nlater++] = q;
    return 0;
}

void pm_qpdf_release_deferred(void)
{
    for (int i = 0; i < nlater; i++) pm_qpdf_release(later[i]);
    nlater = 0;
}

void pm_qpdf_put_key(qpdf_data q, qpdf_oh dict, const char *key, qpdf_oh v)
{
    pm_qpdf.qpdf_oh_replace_key(q, dict, key, v);
    pm_qpdf.qpdf_oh_release(q, v);
}

void pm_qpdf_append(qpdf_data q, qpdf_oh arr, qpdf_oh v)
{
    pm_qpdf.qpdf_oh_append_item(q, arr, v);
    pm_qpdf.qpdf_oh_release(q, v);
}
