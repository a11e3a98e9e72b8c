/* version.h - the program's version. */
#ifndef PM_VERSION_H
#define PM_VERSION_H
#define PM_VERSION "0.1.0"
#endif
