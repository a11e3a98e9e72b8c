/* thread.h - a helper thread's name, as top -H, perf and gdb show it ("pm-pipe"). */
#ifndef PM_THREAD_H
#define PM_THREAD_H

#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Names the calling thread, unless it is the main one (some thread functions also run on
   the main thread when a thread cannot be made, or to share the work). */
static inline void pm_thread_name(const char *name)
{
    if (syscall(SYS_gettid) != getpid()) prctl(PR_SET_NAME, name);
}

#endif
