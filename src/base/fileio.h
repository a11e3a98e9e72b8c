/* fileio.h - reading whole input files with a size limit, writing outputs atomically, and
 * the date outputs carry (SOURCE_DATE_EPOCH).
 *
 * An output is written to a temporary file beside its destination and renamed over it
 * only when complete, so a failed run leaves the previous file byte-for-byte as it was. */
#ifndef PM_FILEIO_H
#define PM_FILEIO_H

#include <stddef.h>
#include <stdio.h>

/* Read a whole file into a new malloc'd, NUL-terminated buffer (caller frees). Files over
 * max_bytes are refused. Returns PM_OK, PM_EIO (cannot read) or PM_EINPUT (too big),
 * with a diagnostic naming the file. what says what the file is ("layout", "content"). */
int pm_read_file(const char *path, size_t max_bytes, const char *what, char **data, size_t *len);

/* Folder part of a path ("." if none), in a new malloc'd string. */
char *pm_dirname(const char *path);
/* path joined to dir unless path is absolute; new malloc'd string. */
char *pm_path_join(const char *dir, const char *path);

/* pamphlet's cache folder ($XDG_CACHE_HOME/pamphlet or ~/.cache/pamphlet), created if
 * need be; NULL if there is none it can write. Static buffer. */
const char *pm_cache_dir(void);

/* SOURCE_DATE_EPOCH in seconds: the date written into output files, or -1 when unset
 * (a bad value is warned about once). The outputs never carry the wall clock. */
long long pm_source_epoch(void);

/* A run of a file held in memory that is not there (its bytes there are left unwritten,
 * zeros) but at bytes: a large photo's bytes, which its writer holds anyway. */
typedef struct pm_outfile_hole {
    size_t at, n;
    const unsigned char *bytes;
} pm_outfile_hole;

typedef struct pm_outfile {
    char *path;     /* destination */
    char *tmp;      /* temporary file being written (made by pm_outfile_tmp), or NULL */
    const unsigned char *mem; /* the finished file's bytes while it is held in memory
                                 instead of in tmp (pm_outfile_hold), else NULL */
    size_t nmem;
    const pm_outfile_hole *holes; /* runs of mem whose bytes are elsewhere, in order */
    int nholes;
} pm_outfile;

/* Check that path's folder is writable and path a regular file or nothing. Returns PM_OK
 * or PM_EIO with a diagnostic. No temporary is made yet (pm_outfile_tmp). */
int pm_outfile_begin(pm_outfile *o, const char *path);
/* The temporary's name, beside the destination, made the first time (a folder of its
 * own; the file is the writer's to make); NULL after a diagnostic. */
const char *pm_outfile_tmp(pm_outfile *o);
/* pm_outfile_begin and a stdio stream on the temporary file ("wb"); NULL after a
 * diagnostic naming path and what ("PDF", "layout dump"), with nothing left behind. */
FILE *pm_outfile_open(pm_outfile *o, const char *path, const char *what);
/* The finished file is held in memory, n bytes at bytes, rather than written to the
 * temporary (a writer whose file a pass rewrites at once saves writing and parsing it
 * again): passes read it there, and pm_outfile_commit writes it out if no pass
 * rewrote it. The caller keeps the bytes alive and unchanged until commit or abort. */
void pm_outfile_hold(pm_outfile *o, const unsigned char *bytes, size_t n);
/* The held bytes have holes (in order, not overlapping; kept alive as the bytes are):
 * whoever reads mem must take the holes' runs from them (pm_outfile_read). */
void pm_outfile_hold_holes(pm_outfile *o, const pm_outfile_hole *holes, int n);
/* n bytes of the held file from offset at into buf, the holes' runs from them. */
void pm_outfile_read(const pm_outfile *o, size_t at, void *buf, size_t n);
/* A pass over a finished output file, between writing it and putting it in place: a
 * rewrite (a print-shop pass with libqpdf: page boxes, DeviceGray, an OutputIntent, a
 * structure tree) or a check. run() reads the finished file (in->mem when it is held in
 * memory, else the file at in->tmp) and writes the new one to out, a name beside the
 * destination that no file has yet (the pass makes it: fopen "w", libqpdf's write). It
 * returns PM_OK when out holds the new file, PM_PASS_SAME when the finished file is to
 * stay as it is (out is then discarded), or an exit code after a diagnostic naming dest.
 * A check (check set) only reads: out is NULL. */
enum { PM_PASS_SAME = -1 };
typedef struct pm_pass {
    const char *name;
    int (*run)(void *ud, const pm_outfile *in, const char *out, const char *dest);
    void *ud;
    int check;
} pm_pass;

/* Run a pass over o's finished temporary file: the pass's output becomes o's temporary
 * (the old one is removed), so that pm_outfile_commit puts the rewritten file in place.
 * Returns PM_OK, or the pass's error after aborting o (no temporary left behind, the
 * destination untouched). */
int pm_outfile_pass(pm_outfile *o, const pm_pass *p);
/* fsync-free rename of the temporary over the destination (written first from the held
 * bytes, if the file is held in memory). PM_OK or PM_EIO. Frees o. */
int pm_outfile_commit(pm_outfile *o);
/* Remove the temporary, keep the destination as it was. Frees o. Safe to call twice. */
void pm_outfile_abort(pm_outfile *o);

#endif
