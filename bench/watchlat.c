/* watchlat.c - watch mode latency for `make bench` (issue 5): the time from an edit of
 * one paragraph of the source to the new PDF being in place.
 *
 *   watchlat [-n EDITS] [-p PAMPHLET] [--booklet] CONTENT.md
 *
 * Copies CONTENT.md and the files of its images/ folder into a temporary folder, starts
 * `PAMPHLET COPY.md --watch -q -o out/COPY.pdf` (with --booklet also
 * `--booklet out/COPY-booklet.pdf`), waits for the first PDF, then makes EDITS edits.
 * Each edit changes one word of one paragraph ("the" <-> "our"; the paragraphs edited
 * take turns among five spread over the text, so every edit changes exactly one
 * paragraph and the text never goes back to the version just before). Two edits in three
 * are plain writes (open with O_TRUNC, write, close), every third is written to a
 * temporary file in the same folder and renamed over the source, as editors do.
 *
 * The latency of an edit runs from just after close() (or rename()) returns to the
 * rename of the output into place (IN_MOVED_TO on the output's folder, watched with
 * inotify; with --booklet the later of the two outputs), on CLOCK_MONOTONIC. After each
 * edit it waits until the output has been quiet for 300 ms before the next edit; if the
 * program put more than one PDF in place for an edit (a rebuild started by the truncation
 * of a plain write, say), the last one counts and the extra ones are reported. A PDF
 * whose bytes are the same as the one before is reported as unchanged.
 *
 * Output: one line per edit on stderr; on stdout one machine-readable line,
 *   WATCHLAT status=ok edits=N measured=N median_ms=.. min_ms=.. max_ms=.. mean_ms=..
 *            write_median_ms=.. rename_median_ms=.. extra=.. unchanged=.. missed=.. exit=..
 *            lat=L1,L2,...
 * or, when the program has no watch mode yet (it says "--watch is not available"),
 *   WATCHLAT status=not-available ...   (exit status 0: nothing to measure, no failure)
 * or WATCHLAT status=error reason=... (exit status 1). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NPOS 5
#define QUIET_MS 300
#define FIRST_TIMEOUT_MS 30000
#define EDIT_TIMEOUT_MS 5000

static char tmpdir[PATH_MAX], logpath[PATH_MAX + 64];
static pid_t child = -1;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) buf = realloc(buf, (cap *= 2) + 1);
    }
    fclose(f);
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

static int write_all(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    return close(fd);
}

static uint64_t hash_file(const char *path)
{
    size_t n;
    char *d = read_all(path, &n);
    if (!d) return 0;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)d[i]) * 1099511628211ull;
    free(d);
    return h;
}

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char p[PATH_MAX];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) rm_tree(p);
        else unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static void stop_child(int *status)
{
    if (child <= 0) return;
    kill(child, SIGTERM);
    double t0 = now_ms();
    int st = -1;
    while (waitpid(child, &st, WNOHANG) == 0) {
        if (now_ms() - t0 > 5000) {
            kill(child, SIGKILL);
            waitpid(child, &st, 0);
            st = -1;
            break;
        }
        usleep(10000);
    }
    child = -1;
    if (status) *status = st;
}

static void finish(void)
{
    stop_child(NULL);
    if (tmpdir[0]) rm_tree(tmpdir);
}

static void on_signal(int sig)
{
    (void)sig;
    finish();
    _exit(1);
}

/* The program's log with newlines as " | ", for a one-line reason. */
static char *log_oneline(void)
{
    char *s = read_all(logpath, NULL);
    if (!s) return strdup("");
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ')) s[--n] = 0;
    for (char *p = s; *p; p++)
        if (*p == '\n' || *p == '"') *p = *p == '"' ? '\'' : ';';
    if (n > 300) strcpy(s + 296, "...");
    return s;
}

static int fail(const char *why)
{
    char *log = log_oneline();
    printf("WATCHLAT status=error reason=\"%s\" log=\"%s\"\n", why, log);
    fprintf(stderr, "watchlat: %s\n%s\n", why, log);
    free(log);
    finish();
    return 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
    if (n <= 0) return 0;
    double *c = malloc((size_t)n * sizeof *c);
    memcpy(c, v, (size_t)n * sizeof *c);
    qsort(c, (size_t)n, sizeof *c, cmp_double);
    double m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    free(c);
    return m;
}

/* Offsets of " the " inside paragraph text (not front matter, headings, images, lists,
 * quotes, footnotes), NPOS of them spread over the body. */
static int pick_positions(const char *text, size_t len, size_t *pos)
{
    size_t *cand = malloc(sizeof *cand * (len / 4 + 1));
    int nc = 0;
    const char *body = text;
    if (!strncmp(text, "---\n", 4)) {
        const char *e = strstr(text + 4, "\n---\n");
        if (e) body = e + 5;
    }
    int last_par = -1;
    int par = 0;
    for (const char *line = body; line < text + len;) {
        const char *eol = memchr(line, '\n', (size_t)(text + len - line));
        if (!eol) eol = text + len;
        if (eol == line) par++;
        int plain = eol > line && !strchr("#!->[*|`\\0123456789 ", *line);
        if (plain && par != last_par) { /* one candidate per paragraph */
            for (const char *p = line; p + 5 <= eol; p++)
                if (!memcmp(p, " the ", 5)) {
                    cand[nc++] = (size_t)(p + 1 - text);
                    last_par = par;
                    break;
                }
        }
        line = eol + 1;
    }
    if (nc < NPOS) {
        free(cand);
        return -1;
    }
    for (int i = 0; i < NPOS; i++) pos[i] = cand[(size_t)((i + 0.5) * nc / NPOS)];
    free(cand);
    return 0;
}

/* Wait for outputs to be renamed into place. want: bit 1 = the PDF, bit 2 = the booklet.
 * Returns the time of the last awaited rename (ms) or -1 on timeout / child exit. Renames
 * of either name are counted in *count. */
static double wait_renames(int ino, const char *pdf, const char *bk, int want, int timeout_ms, int *count)
{
    double deadline = now_ms() + timeout_ms, t_last = -1;
    int got = 0;
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    while (got != want) {
        int left = (int)(deadline - now_ms());
        if (left <= 0) return -1;
        struct pollfd pfd = {ino, POLLIN, 0};
        int r = poll(&pfd, 1, left < 100 ? left : 100);
        if (r < 0 && errno != EINTR) return -1;
        if (r <= 0) {
            int st;
            if (child > 0 && waitpid(child, &st, WNOHANG) == child) {
                child = -1;
                return -1;
            }
            continue;
        }
        ssize_t n = read(ino, buf, sizeof buf);
        double t = now_ms();
        for (char *p = buf; n > 0 && p < buf + n;) {
            struct inotify_event *ev = (struct inotify_event *)p;
            if (ev->len && (ev->mask & IN_MOVED_TO)) {
                int bit = !strcmp(ev->name, pdf) ? 1 : bk && !strcmp(ev->name, bk) ? 2 : 0;
                if (bit) {
                    got |= bit & want;
                    t_last = t;
                    if (count) (*count)++;
                }
            }
            p += sizeof *ev + ev->len;
        }
    }
    return t_last;
}

int main(int argc, char **argv)
{
    int nedits = 20, booklet = 0;
    const char *prog = "./pamphlet", *src = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc) nedits = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-p") && i + 1 < argc) prog = argv[++i];
        else if (!strcmp(argv[i], "--booklet")) booklet = 1;
        else if (!src && argv[i][0] != '-') src = argv[i];
        else src = NULL, i = argc;
    }
    if (!src || nedits < 1) {
        fprintf(stderr, "usage: watchlat [-n EDITS] [-p PAMPHLET] [--booklet] CONTENT.md\n");
        return 2;
    }
    char progabs[PATH_MAX];
    if (!realpath(prog, progabs)) {
        printf("WATCHLAT status=error reason=\"no program %s\"\n", prog);
        return 1;
    }

    /* the copy */
    size_t len;
    char *orig = read_all(src, &len);
    if (!orig) {
        printf("WATCHLAT status=error reason=\"cannot read %s\"\n", src);
        return 1;
    }
    size_t pos[NPOS];
    if (pick_positions(orig, len, pos) < 0) {
        printf("WATCHLAT status=error reason=\"%s: too few paragraphs with ' the '\"\n", src);
        return 1;
    }
    snprintf(tmpdir, sizeof tmpdir, "%s/pm-watchlat.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) {
        tmpdir[0] = 0;
        printf("WATCHLAT status=error reason=\"mkdtemp: %s\"\n", strerror(errno));
        return 1;
    }
    atexit(finish);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    char srcdir[PATH_MAX], imgdir[PATH_MAX + 16], dst[PATH_MAX + 64], outdir[PATH_MAX + 64];
    snprintf(srcdir, sizeof srcdir, "%s", src);
    char *slash = strrchr(srcdir, '/');
    if (slash) *slash = 0;
    else strcpy(srcdir, ".");
    snprintf(imgdir, sizeof imgdir, "%s/images", srcdir);
    DIR *d = opendir(imgdir);
    if (d) {
        snprintf(dst, sizeof dst, "%s/images", tmpdir);
        mkdir(dst, 0755);
        struct dirent *e;
        while ((e = readdir(d))) {
            char from[PATH_MAX * 2], to[PATH_MAX * 2];
            snprintf(from, sizeof from, "%s/%s", imgdir, e->d_name);
            struct stat st;
            if (stat(from, &st) < 0 || !S_ISREG(st.st_mode)) continue;
            snprintf(to, sizeof to, "%s/images/%s", tmpdir, e->d_name);
            size_t n;
            char *data = read_all(from, &n);
            if (!data || write_all(to, data, n) < 0) return fail("cannot copy the images");
            free(data);
        }
        closedir(d);
    }
    char copy[PATH_MAX + 64], swap[PATH_MAX + 64], pdf[PATH_MAX + 128], bk[PATH_MAX + 128];
    snprintf(copy, sizeof copy, "%s/copy.md", tmpdir);
    snprintf(swap, sizeof swap, "%s/.copy.md.swp", tmpdir);
    snprintf(outdir, sizeof outdir, "%s/out", tmpdir);
    mkdir(outdir, 0755);
    snprintf(pdf, sizeof pdf, "%s/copy.pdf", outdir);
    snprintf(bk, sizeof bk, "%s/copy-booklet.pdf", outdir);
    snprintf(logpath, sizeof logpath, "%s/watch.log", tmpdir);
    char *text = malloc(len + 1);
    memcpy(text, orig, len + 1);
    if (write_all(copy, text, len) < 0) return fail("cannot write the copy");

    int ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (ino < 0 || inotify_add_watch(ino, outdir, IN_MOVED_TO | IN_CLOSE_WRITE) < 0) return fail("inotify");

    /* the program */
    double t_start = now_ms();
    child = fork();
    if (child < 0) return fail("fork");
    if (child == 0) {
        int fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 2);
            dup2(fd, 1);
            close(fd);
        }
        char *args[] = {progabs, copy, "--watch", "-q", "-o", pdf, booklet ? "--booklet" : NULL, bk, NULL};
        execv(progabs, args);
        _exit(127);
    }
    double t_first = wait_renames(ino, "copy.pdf", booklet ? "copy-booklet.pdf" : NULL, booklet ? 3 : 1,
                                  FIRST_TIMEOUT_MS, NULL);
    if (t_first < 0) {
        char *log = log_oneline();
        if (strstr(log, "not available")) {
            printf("WATCHLAT status=not-available reason=\"%s\"\n", log);
            fprintf(stderr, "watchlat: not measured: the program has no watch mode yet (%s)\n", log);
            free(log);
            finish();
            return 0;
        }
        free(log);
        return fail(child < 0 ? "the program ended before the first PDF" : "no first PDF within 30 s");
    }
    fprintf(stderr, "watchlat: first PDF after %.0f ms\n", t_first - t_start);
    /* let the first build settle */
    int extra0 = 0;
    wait_renames(ino, "copy.pdf", booklet ? "copy-booklet.pdf" : NULL, 1, QUIET_MS, &extra0);
    uint64_t last_hash = hash_file(pdf);

    double *lat = calloc((size_t)nedits, sizeof *lat), *lat_w = calloc((size_t)nedits, sizeof *lat_w),
           *lat_r = calloc((size_t)nedits, sizeof *lat_r);
    int nlat = 0, nw = 0, nr = 0, extra = 0, unchanged = 0, missed = 0;
    int flipped[NPOS] = {0};
    for (int k = 0; k < nedits; k++) {
        int i = k % NPOS;
        flipped[i] = !flipped[i];
        memcpy(text + pos[i], flipped[i] ? "our" : "the", 3);
        int by_rename = k % 3 == 2;
        double t0;
        if (by_rename) {
            if (write_all(swap, text, len) < 0 || rename(swap, copy) < 0) return fail("cannot write the source");
            t0 = now_ms();
        } else {
            if (write_all(copy, text, len) < 0) return fail("cannot write the source");
            t0 = now_ms();
        }
        int count = 0;
        double t1 = wait_renames(ino, "copy.pdf", booklet ? "copy-booklet.pdf" : NULL, booklet ? 3 : 1,
                                 EDIT_TIMEOUT_MS, &count);
        if (t1 < 0) {
            if (child < 0) return fail("the program ended during the edits");
            missed++;
            fprintf(stderr, "edit %2d (%s): no new PDF within %d ms\n", k + 1, by_rename ? "rename" : "write ",
                    EDIT_TIMEOUT_MS);
            continue;
        }
        /* quiet period: later renames for this edit are extra rebuilds; the last counts */
        for (;;) {
            int more = 0;
            double t2 = wait_renames(ino, "copy.pdf", booklet ? "copy-booklet.pdf" : NULL, 1, QUIET_MS, &more);
            if (t2 < 0) break;
            count += more;
            t1 = t2;
        }
        if (child < 0) return fail("the program ended during the edits");
        extra += count - (booklet ? 2 : 1);
        uint64_t h = hash_file(pdf);
        int same = h == last_hash;
        unchanged += same;
        last_hash = h;
        double l = t1 - t0;
        lat[nlat++] = l;
        if (by_rename) lat_r[nr++] = l;
        else lat_w[nw++] = l;
        fprintf(stderr, "edit %2d (%s): %6.1f ms%s%s\n", k + 1, by_rename ? "rename" : "write ", l,
                count > (booklet ? 2 : 1) ? " (more than one rebuild)" : "", same ? " (PDF unchanged!)" : "");
    }
    int status;
    stop_child(&status);
    int code = status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : status >= 0 && WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
    if (!nlat) return fail("no edit produced a new PDF");
    double mx = lat[0], mn = lat[0], sum = 0;
    for (int i = 0; i < nlat; i++) {
        if (lat[i] > mx) mx = lat[i];
        if (lat[i] < mn) mn = lat[i];
        sum += lat[i];
    }
    printf("WATCHLAT status=ok edits=%d measured=%d median_ms=%.2f min_ms=%.2f max_ms=%.2f mean_ms=%.2f "
           "write_median_ms=%.2f rename_median_ms=%.2f extra=%d unchanged=%d missed=%d exit=%d booklet=%d lat=",
           nedits, nlat, median(lat, nlat), mn, mx, sum / nlat, median(lat_w, nw), median(lat_r, nr), extra,
           unchanged, missed, code, booklet);
    for (int i = 0; i < nlat; i++) printf("%s%.1f", i ? "," : "", lat[i]);
    printf("\n");
    fprintf(stderr, "watchlat: %d edits, median %.1f ms, max %.1f ms; exit status on SIGTERM %d\n", nlat,
            median(lat, nlat), mx, code);
    return 0;
}
