/* diag.h - diagnostics and error codes.
 *
 * Every message the program prints about its input has one form:
 *     FILE:LINE:COL: error: MESSAGE
 *     FILE:LINE:COL: warning: MESSAGE
 * (":COL" or ":LINE:COL" left out when unknown), optionally followed by an indented
 * "  hint: ..." line. Functions that can fail return one of the pm_status codes below,
 * which are also the program's exit codes; the diagnostic has been printed by then. */
#ifndef PM_DIAG_H
#define PM_DIAG_H

#include <stdarg.h>

typedef enum {
    PM_OK = 0,
    PM_EINPUT = 1, /* bad content, layout or image: the user must fix the input */
    PM_EUSAGE = 2, /* bad command line */
    PM_EIO = 3     /* cannot read or write a file */
} pm_status;

typedef enum { PM_SEV_NOTE, PM_SEV_WARNING, PM_SEV_ERROR } pm_severity;

/* Print a diagnostic. file may be NULL (then "pamphlet" is used); line/col 0 = unknown. */
void pm_diag(pm_severity sev, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void pm_vdiag(pm_severity sev, const char *file, int line, int col, const char *fmt, va_list ap);
#define pm_error(file, line, col, ...) pm_diag(PM_SEV_ERROR, file, line, col, __VA_ARGS__)
#define pm_warn(file, line, col, ...) pm_diag(PM_SEV_WARNING, file, line, col, __VA_ARGS__)
/* A hint line belonging to the diagnostic just printed. */
void pm_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* How many errors / warnings since the last pm_diag_reset(). */
int pm_diag_errors(void);
int pm_diag_warnings(void);
void pm_diag_reset(void);

/* Where diagnostics go: by default stderr. A sink receives each finished line (without
 * newline). Pass NULL to return to stderr. */
typedef void (*pm_diag_sink)(void *ud, pm_severity sev, const char *line);
void pm_diag_set_sink(pm_diag_sink sink, void *ud);
/* Suppress warnings (errors are always printed). Returns the previous setting. */
int pm_diag_quiet(int quiet);
/* Hold back every diagnostic from now on (counted as usual) until pm_diag_release: then
 * shown, in order, or dropped and no longer counted. For work that may be done again
 * (pages set again in more fonts), whose first messages would come twice. */
void pm_diag_hold(void);
void pm_diag_release(int show);
/* Drop every diagnostic, errors too, without counting them, until pm_diag_mute(0): for
 * work whose failure is no one's concern (writing a cache). Returns the previous setting,
 * to restore: int was = pm_diag_mute(1); ...; pm_diag_mute(was); */
int pm_diag_mute(int mute);

/* The candidate closest to word (edit distance at most 2 + len/4), or NULL: for
 * "did you mean" hints. */
const char *pm_nearest(const char *word, const char *const *cands, int ncands);

/* PAMPHLET_TIMING=1: print to stderr how long since the last call (the stage just ended,
 * named) and the resident memory, for profiling. Main thread only. */
void pm_timing(const char *name);
/* A monotonic clock, in milliseconds. */
double pm_now_ms(void);

#endif
