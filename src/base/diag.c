/* diag.c - diagnostics in FILE:LINE:COL form (see diag.h). */
#include "base/diag.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Diagnostics may come from the hyphenation loader's thread too. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int n_errors, n_warnings, quiet, muted, last_shown = 1;
static pm_diag_sink sink_fn;
static void *sink_ud;

/* Diagnostics held back (pm_diag_hold): each line after its severity byte, and how many
 * errors and warnings they counted. */
static struct held {
    int on, errors, warnings;
    char **lines;
    int n, cap;
} held;

static void emit(pm_severity sev, const char *line)
{
    if (held.on) {
        if (held.n == held.cap) {
            held.cap = held.cap ? 2 * held.cap : 16;
            held.lines = realloc(held.lines, (size_t)held.cap * sizeof *held.lines);
            if (!held.lines) abort();
        }
        size_t l = strlen(line);
        char *c = malloc(l + 2);
        if (!c) abort();
        c[0] = (char)sev;
        memcpy(c + 1, line, l + 1);
        held.lines[held.n++] = c;
        return;
    }
    if (sink_fn)
        sink_fn(sink_ud, sev, line);
    else {
        fputs(line, stderr);
        fputc('\n', stderr);
    }
}

void pm_vdiag(pm_severity sev, const char *file, int line, int col, const char *fmt, va_list ap)
{
    pthread_mutex_lock(&lock);
    if (muted) { /* not shown, not counted */
        last_shown = 0;
        pthread_mutex_unlock(&lock);
        return;
    }
    if (sev == PM_SEV_ERROR) {
        n_errors++;
        held.errors += held.on;
    } else if (sev == PM_SEV_WARNING) {
        n_warnings++;
        held.warnings += held.on;
    }
    last_shown = !(quiet && sev != PM_SEV_ERROR);
    if (!last_shown) {
        pthread_mutex_unlock(&lock);
        return;
    }
    char msg[2048];
    int n;
    const char *what = sev == PM_SEV_ERROR ? "error" : sev == PM_SEV_WARNING ? "warning" : "note";
    if (!file) file = "pamphlet";
    if (line > 0 && col > 0)
        n = snprintf(msg, sizeof msg, "%s:%d:%d: %s: ", file, line, col, what);
    else if (line > 0)
        n = snprintf(msg, sizeof msg, "%s:%d: %s: ", file, line, what);
    else
        n = snprintf(msg, sizeof msg, "%s: %s: ", file, what);
    if (n < 0 || (size_t)n >= sizeof msg) n = 0;
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    emit(sev, msg);
    pthread_mutex_unlock(&lock);
}

void pm_diag(pm_severity sev, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pm_vdiag(sev, file, line, col, fmt, ap);
    va_end(ap);
}

void pm_hint(const char *fmt, ...)
{
    if (!last_shown) return; /* belongs to a diagnostic that was not shown */
    char msg[1024] = "  hint: ";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + 8, sizeof msg - 8, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&lock); /* (the held lines are shared) */
    emit(PM_SEV_NOTE, msg);
    pthread_mutex_unlock(&lock);
}

int pm_diag_errors(void) { return n_errors; }
int pm_diag_warnings(void) { return n_warnings; }
void pm_diag_reset(void) { n_errors = n_warnings = 0; }

void pm_diag_set_sink(pm_diag_sink sink, void *ud)
{
    sink_fn = sink;
    sink_ud = ud;
}

int pm_diag_quiet(int q)
{
    int was = quiet;
    quiet = q;
    return was;
}

void pm_diag_hold(void)
{
    pthread_mutex_lock(&lock);
    held.on = 1;
    held.errors = held.warnings = 0;
    pthread_mutex_unlock(&lock);
}

void pm_diag_release(int show)
{
    pthread_mutex_lock(&lock);
    held.on = 0;
    if (!show) {
        n_errors -= held.errors;
        n_warnings -= held.warnings;
    }
    for (int i = 0; i < held.n; i++) {
        if (show) emit((pm_severity)held.lines[i][0], held.lines[i] + 1);
        free(held.lines[i]);
    }
    held.n = 0;
    pthread_mutex_unlock(&lock);
}

int pm_diag_mute(int m)
{
    pthread_mutex_lock(&lock);
    int was = muted;
    muted = m;
    pthread_mutex_unlock(&lock);
    return was;
}

#include <string.h>

static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return 1000;
    int d[65][65];
    for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c) c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c) c = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < c)
                c = d[i - 2][j - 2] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

const char *pm_nearest(const char *word, const char *const *cands, int ncands)
{
    const char *best = NULL;
    int bestd = 3 + (int)strlen(word) / 4;
    for (int i = 0; i < ncands; i++) {
        int dd = edit_distance(word, cands[i]);
        if (dd < bestd) {
            bestd = dd;
            best = cands[i];
        }
    }
    return best;
}

/* ---- timing ---- */

double pm_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* PAMPHLET_TIMING=1: each stage's wall time, the CPU time of the thread that marks it
 * (the main thread: less than the wall time when it waits or other threads have the
 * cores), and the resident set. */
void pm_timing(const char *name)
{
    static int on = -1;
    static double last, last_cpu;
    struct timespec c;
    if (on < 0) {
        const char *e = getenv("PAMPHLET_TIMING");
        on = e && *e == '1';
        last = pm_now_ms();
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c);
        last_cpu = c.tv_sec * 1e3 + c.tv_nsec / 1e6;
    }
    if (!on) return;
    double t = pm_now_ms();
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c);
    double cpu = c.tv_sec * 1e3 + c.tv_nsec / 1e6;
    long rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        long size;
        if (fscanf(f, "%ld %ld", &size, &rss) != 2) rss = 0;
        fclose(f);
    }
    fprintf(stderr, "timing: %-10s %7.2f ms  cpu %6.2f ms  rss %5.1f MiB\n", name, t - last, cpu - last_cpu,
            rss * 4096.0 / 1048576);
    last = t;
    last_cpu = cpu;
}
