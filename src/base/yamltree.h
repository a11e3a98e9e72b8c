/* yamltree.h - YAML text to a small tree of nodes that remember their line and column.
 *
 * Used for layout specs and for the front matter of the content. Built on libyaml's event
 * parser with limits that keep hostile input bounded: aliases are refused (no "billion
 * laughs"), nesting depth and node count are capped, and duplicate keys are errors. */
#ifndef PM_YAMLTREE_H
#define PM_YAMLTREE_H

#include <stddef.h>

#include "base/arena.h"

typedef enum { PM_Y_SCALAR, PM_Y_MAP, PM_Y_SEQ } pm_ykind;

typedef struct pm_ynode pm_ynode;
typedef struct pm_ypair {
    pm_ynode *key; /* always a scalar */
    pm_ynode *val;
} pm_ypair;

struct pm_ynode {
    pm_ykind kind;
    int line, col;     /* 1-based, in the file (line offset applied) */
    const char *str;   /* scalar: its value (NUL-terminated, UTF-8) */
    int plain;         /* scalar: 1 if written without quotes (so "null"/"~" mean null) */
    pm_ypair *pairs;   /* map */
    pm_ynode **items;  /* seq */
    size_t n;          /* number of pairs or items */
};

#define PM_YAML_MAX_DEPTH 32
#define PM_YAML_MAX_NODES 20000

/* Parse len bytes of YAML text (one document). file names it in messages; line_offset is
 * added to every line number (for front matter that starts inside a file). Nodes are
 * allocated in a. An empty document gives *root = NULL. Returns PM_OK or PM_EINPUT with
 * a FILE:LINE:COL diagnostic printed. */
int pm_yaml_parse(const char *file, const char *text, size_t len, int line_offset,
                  pm_arena *a, pm_ynode **root);

/* Value of key in a map node, or NULL. */
pm_ynode *pm_yaml_lookup(const pm_ynode *map, const char *key);
/* Printable name of a node kind ("a mapping", "a list", "a value"). */
const char *pm_yaml_kind_name(pm_ykind kind);

#endif
