/* driver.c - a plain main() for the fuzz harnesses, without libFuzzer's runtime: runs
 * LLVMFuzzerTestOneInput once on each file named (folders: on each file in them). Used by
 * `make fuzz-regress` to replay fuzz/regress/HARNESS/ under ASan + UBSan; also handy to
 * run one crash file under gdb or valgrind. Exit 0 when every input ran. */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf) return 1;
    /* an exact-size copy, so that ASan sees a read past the end of the input */
    unsigned char *in = malloc(n ? n : 1);
    memcpy(in, buf, n);
    free(buf);
    fprintf(stderr, "running %s (%zu bytes)\n", path, n);
    LLVMFuzzerTestOneInput(in, n);
    free(in);
    return 0;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv)
{
    /* absolute paths first: a harness may change folder in its initialisation */
    for (int i = 1; i < argc; i++) {
        char *abs = realpath(argv[i], NULL);
        if (abs) argv[i] = abs;
    }
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    int bad = 0, ran = 0;
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            DIR *d = opendir(argv[i]);
            if (!d) { perror(argv[i]); bad = 1; continue; }
            char **names = NULL;
            size_t nn = 0;
            struct dirent *e;
            while ((e = readdir(d))) {
                if (e->d_name[0] == '.') continue;
                names = realloc(names, (nn + 1) * sizeof *names);
                size_t l = strlen(argv[i]) + strlen(e->d_name) + 2;
                names[nn] = malloc(l);
                snprintf(names[nn++], l, "%s/%s", argv[i], e->d_name);
            }
            closedir(d);
            if (nn) qsort(names, nn, sizeof *names, cmp);
            for (size_t k = 0; k < nn; k++) {
                bad |= run_file(names[k]);
                ran++;
                free(names[k]);
            }
            free(names);
        } else {
            bad |= run_file(argv[i]);
            ran++;
        }
    }
    fprintf(stderr, "%d input%s ran\n", ran, ran == 1 ? "" : "s");
    return bad;
}
