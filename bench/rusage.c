/* rusage.c - run one command and report its wall time, CPU time and peak memory, for
 * bench/run.py.
 *
 *   rusage CMD [ARGS...]
 *
 * The command runs with standard output and standard error sent to /dev/null; then one
 * line goes to standard output:
 *   RUSAGE wall_ms=.. user_ms=.. sys_ms=.. maxrss_kib=.. status=..
 * (status: the exit status, or 128 + the signal number; 127 if it could not be started).
 *
 * Why not os.wait4 in Python directly: Linux keeps, in the peak memory (ru_maxrss) of a
 * process, the peak of the memory it had before exec. Python starts children with vfork
 * (or posix_spawn), so before exec the child *is* the Python process's memory, and every
 * child reports at least Python's own peak (20 MiB and more). Here the command is forked
 * from this small program (about 1 MiB), so its ru_maxrss is its own. Wall time runs from
 * just before fork to the return of wait4, on CLOCK_MONOTONIC. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double ms(struct timeval t)
{
    return t.tv_sec * 1e3 + t.tv_usec / 1e3;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: rusage CMD [ARGS...]\n");
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("rusage: fork");
        return 1;
    }
    if (pid == 0) {
        int fd = open("/dev/null", O_RDWR);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            if (fd > 2) close(fd);
        }
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0) {
        perror("rusage: wait4");
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    int status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
    printf("RUSAGE wall_ms=%.3f user_ms=%.3f sys_ms=%.3f maxrss_kib=%ld status=%d\n",
           (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6, ms(ru.ru_utime), ms(ru.ru_stime),
           ru.ru_maxrss, status);
    return 0;
}
