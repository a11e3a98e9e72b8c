/* yamltree.c - libyaml events to a pm_ynode tree with positions and limits. */
#include "base/yamltree.h"

#include <string.h>
#include <yaml.h>

#include "base/diag.h"

typedef struct {
    yaml_parser_t parser;
    const char *file;
    int line_offset;
    pm_arena *a;
    int nodes;
    const char *text; /* the YAML text, for hints */
    size_t len;
} ystate;

static int pos_line(const ystate *st, yaml_mark_t m) { return (int)m.line + 1 + st->line_offset; }
static int pos_col(yaml_mark_t m) { return (int)m.column + 1; }

/* What a user of YAML most often got wrong, said without YAML's words: a value holding
 * ': ' (title: Rent: the facts), a colour's '#' starting a comment, a template's braces
 * or a backquote, '@' or '%' starting a value. */
static void syntax_hint(const ystate *st, yaml_mark_t m, yaml_mark_t ctx, const char *what)
{
    if (!st->text || m.index > st->len) return;
    /* a '#' from the start of the construct being read (or the line before) to the problem */
    size_t c0 = ctx.index < m.index ? ctx.index : m.index, nl = 0;
    while (c0 > 0 && nl < 2) nl += st->text[--c0] == '\n';
    int hash = 0;
    for (size_t i = c0; i < m.index && !hash; i++) hash = st->text[i] == '#';
    size_t b = m.index, e = m.index;
    while (b > 0 && st->text[b - 1] != '\n') b--;
    while (e < st->len && st->text[e] != '\n' && st->text[e] != '\r') e++;
    char line[256];
    snprintf(line, sizeof line, "%.*s", (int)(e - b), st->text + b);
    const char *lead = line + strspn(line, " -");
    const char *sep = strstr(lead, ": ");
    if (strstr(what, "mapping values are not allowed") && sep) {
        pm_hint("quote a value that contains ': ', as in  %.*s: \"%s\"", (int)(sep - lead), lead, sep + 2);
        return;
    }
    if ((hash || strchr(line, '#')) && (strstr(what, "did not find expected") || strstr(what, "could not find expected"))) {
        pm_hint("'#' starts a comment in YAML: quote a value that contains it, as in  color: \"#1a1a1a\"");
        return;
    }
    if (strstr(what, "cannot start any token"))
        pm_hint("quote a value that starts with '@', '`' or '%%', as in  key: \"@value\"");
    else if (strstr(what, "did not find expected") && strchr(line, '{'))
        pm_hint("quote a value that contains braces, as in  right: \"{page}\"");
}

static int next_event(ystate *st, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&st->parser, ev)) {
        yaml_parser_t *p = &st->parser;
        yaml_mark_t m = p->problem_mark;
        const char *what = p->problem ? p->problem : "malformed YAML";
        if (p->context)
            pm_error(st->file, pos_line(st, m), pos_col(m), "YAML: %s %s", what, p->context);
        else
            pm_error(st->file, pos_line(st, m), pos_col(m), "YAML: %s", what);
        syntax_hint(st, m, p->context ? p->context_mark : m, what);
        return PM_EINPUT;
    }
    return PM_OK;
}

/* Growable pointer list in malloc'd memory, copied into the arena when done. */
typedef struct {
    void *v;
    size_t n, cap, sz;
} vec;

static void vec_push(vec *v, const void *elem)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        v->v = pm_xrealloc(v->v, v->cap * v->sz);
    }
    memcpy((char *)v->v + v->n * v->sz, elem, v->sz);
    v->n++;
}

static void *vec_to_arena(vec *v, pm_arena *a)
{
    void *out = pm_arena_array(a, v->n ? v->n : 1, v->sz);
    if (v->n) memcpy(out, v->v, v->n * v->sz);
    free(v->v);
    v->v = NULL;
    return out;
}

static int parse_node(ystate *st, yaml_event_t *ev, int depth, pm_ynode **out);

/* ev is the node's first event (already read, owned by caller). */
static int parse_node(ystate *st, yaml_event_t *ev, int depth, pm_ynode **out)
{
    int line = pos_line(st, ev->start_mark), col = pos_col(ev->start_mark);
    if (++st->nodes > PM_YAML_MAX_NODES) {
        pm_error(st->file, line, col, "YAML: more than %d nodes; refusing to read further",
                 PM_YAML_MAX_NODES);
        return PM_EINPUT;
    }
    if (depth > PM_YAML_MAX_DEPTH) {
        pm_error(st->file, line, col, "YAML: nested deeper than %d levels", PM_YAML_MAX_DEPTH);
        return PM_EINPUT;
    }
    pm_ynode *n = pm_arena_alloc(st->a, sizeof *n);
    n->line = line;
    n->col = col;
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        pm_error(st->file, line, col, "YAML aliases (*%s) are not supported",
                 (const char *)ev->data.alias.anchor);
        pm_hint("write the value out, or put shared settings in a layout and use 'extends:'");
        return PM_EINPUT;
    case YAML_SCALAR_EVENT:
        if (ev->data.scalar.anchor) {
            pm_error(st->file, line, col, "YAML anchors (&%s) are not supported",
                     (const char *)ev->data.scalar.anchor);
            return PM_EINPUT;
        }
        n->kind = PM_Y_SCALAR;
        n->str = pm_arena_strndup(st->a, (const char *)ev->data.scalar.value,
                                  ev->data.scalar.length);
        if (strlen(n->str) != ev->data.scalar.length) {
            pm_error(st->file, line, col, "YAML: value contains a NUL character");
            return PM_EINPUT;
        }
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        *out = n;
        return PM_OK;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int is_map = ev->type == YAML_MAPPING_START_EVENT;
        const yaml_char_t *anchor = is_map ? ev->data.mapping_start.anchor
                                           : ev->data.sequence_start.anchor;
        if (anchor) {
            pm_error(st->file, line, col, "YAML anchors (&%s) are not supported",
                     (const char *)anchor);
            return PM_EINPUT;
        }
        n->kind = is_map ? PM_Y_MAP : PM_Y_SEQ;
        vec v = {.sz = is_map ? sizeof(pm_ypair) : sizeof(pm_ynode *)};
        int rc = PM_OK;
        for (;;) {
            yaml_event_t e;
            if ((rc = next_event(st, &e))) break;
            if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT) {
                yaml_event_delete(&e);
                break;
            }
            pm_ynode *child = NULL;
            rc = parse_node(st, &e, depth + 1, &child);
            yaml_event_delete(&e);
            if (rc) break;
            if (!is_map) {
                vec_push(&v, &child);
                continue;
            }
            if (child->kind != PM_Y_SCALAR) {
                pm_error(st->file, child->line, child->col, "YAML: a key must be a plain name");
                rc = PM_EINPUT;
                break;
            }
            for (size_t i = 0; i < v.n; i++) {
                pm_ypair *p = (pm_ypair *)v.v + i;
                if (!strcmp(p->key->str, child->str)) {
                    pm_error(st->file, child->line, child->col,
                             "key '%s' appears twice (first on line %d)", child->str, p->key->line);
                    rc = PM_EINPUT;
                    break;
                }
            }
            if (rc) break;
            pm_ypair pair = {.key = child};
            if ((rc = next_event(st, &e))) break;
            rc = parse_node(st, &e, depth + 1, &pair.val);
            yaml_event_delete(&e);
            if (rc) break;
            vec_push(&v, &pair);
        }
        if (rc) {
            free(v.v);
            return rc;
        }
        n->n = v.n;
        if (is_map)
            n->pairs = vec_to_arena(&v, st->a);
        else
            n->items = vec_to_arena(&v, st->a);
        *out = n;
        return PM_OK;
    }
    default:
        pm_error(st->file, line, col, "YAML: unexpected event");
        return PM_EINPUT;
    }
}

int pm_yaml_parse(const char *file, const char *text, size_t len, int line_offset,
                  pm_arena *a, pm_ynode **root)
{
    ystate st = {.file = file, .line_offset = line_offset, .a = a, .text = text, .len = len};
    *root = NULL;
    if (!yaml_parser_initialize(&st.parser)) {
        pm_error(file, 0, 0, "cannot initialise the YAML parser");
        return PM_EINPUT;
    }
    yaml_parser_set_input_string(&st.parser, (const unsigned char *)text, len);
    int rc = PM_OK, docs = 0;
    for (;;) {
        yaml_event_t ev;
        if ((rc = next_event(&st, &ev))) break;
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
            pm_error(file, pos_line(&st, ev.start_mark), pos_col(ev.start_mark),
                     "YAML: only one document is allowed here");
            yaml_event_delete(&ev);
            rc = PM_EINPUT;
            break;
        }
        if (t == YAML_SCALAR_EVENT || t == YAML_SEQUENCE_START_EVENT ||
            t == YAML_MAPPING_START_EVENT || t == YAML_ALIAS_EVENT) {
            rc = parse_node(&st, &ev, 0, root);
        }
        yaml_event_delete(&ev);
        if (rc) break;
    }
    yaml_parser_delete(&st.parser);
    if (rc) *root = NULL;
    return rc;
}

pm_ynode *pm_yaml_lookup(const pm_ynode *map, const char *key)
{
    if (!map || map->kind != PM_Y_MAP) return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (!strcmp(map->pairs[i].key->str, key)) return map->pairs[i].val;
    return NULL;
}

const char *pm_yaml_kind_name(pm_ykind kind)
{
    return kind == PM_Y_MAP ? "a mapping" : kind == PM_Y_SEQ ? "a list" : "a value";
}
