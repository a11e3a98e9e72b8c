/* units.c - length and paper-size parsing (see units.h). */
#include "base/units.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int pm_len_parse(const char *s, int allow_bare, pm_len *out, const char **why)
{
    while (isspace((unsigned char)*s)) s++;
    char *end;
    double v = strtod(s, &end);
    if (end == s || !isfinite(v)) {
        *why = "expected a number with a unit, like 12pt, 20mm, 1.5em or 80%";
        return -1;
    }
    while (isspace((unsigned char)*end)) end++;
    char unit[8] = {0};
    size_t n = 0;
    while (end[n] && !isspace((unsigned char)end[n])) {
        if (n < sizeof unit - 1) unit[n] = (char)tolower((unsigned char)end[n]);
        n++;
    }
    if (n >= sizeof unit) {
        *why = "unknown unit (use pt, mm, cm, in, pc, em or %)";
        return -1;
    }
    const char *rest = end + n;
    while (isspace((unsigned char)*rest)) rest++;
    if (*rest) {
        *why = "unexpected text after the length";
        return -1;
    }
    static const struct { const char *u; double f; } units[] = {
        {"pt", 1.0}, {"mm", 72.0 / 25.4}, {"cm", 72.0 / 2.54}, {"in", 72.0}, {"pc", 12.0},
        {"px", 0.75},
    };
    if (!n) {
        if (!allow_bare) {
            *why = "a length needs a unit: pt, mm, cm, in, pc, em or %";
            return -1;
        }
        *out = (pm_len){PM_LEN_PT, v};
        return 0;
    }
    if (!strcmp(unit, "em")) {
        *out = (pm_len){PM_LEN_EM, v};
        return 0;
    }
    if (!strcmp(unit, "%")) {
        *out = (pm_len){PM_LEN_PERCENT, v};
        return 0;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcmp(unit, units[i].u)) {
            *out = (pm_len){PM_LEN_PT, v * units[i].f};
            return 0;
        }
    *why = "unknown unit (use pt, mm, cm, in, pc, em or %)";
    return -1;
}

double pm_len_pt(pm_len l, double em_pt, double whole_pt)
{
    switch (l.kind) {
    case PM_LEN_EM: return l.v * em_pt;
    case PM_LEN_PERCENT: return l.v / 100.0 * whole_pt;
    default: return l.v;
    }
}

static const struct { const char *name; double w, h; } papers[] = {
    {"A3", 841.8898, 1190.5512}, {"A4", 595.2756, 841.8898}, {"A5", 419.5276, 595.2756},
    {"A6", 297.6378, 419.5276},  {"A7", 209.7638, 297.6378}, {"B5", 498.8976, 708.6614},
    {"Letter", 612, 792},        {"Legal", 612, 1008},       {"Tabloid", 792, 1224},
    {"half-letter", 396, 612},   {"Statement", 396, 612},
};

int pm_paper_size(const char *name, double *w, double *h)
{
    for (size_t i = 0; i < sizeof papers / sizeof papers[0]; i++)
        if (!strcasecmp(name, papers[i].name)) {
            *w = papers[i].w;
            *h = papers[i].h;
            return 0;
        }
    return -1;
}

const char *pm_paper_names(void)
{
    return "A3, A4, A5, A6, A7, B5, Letter, Legal, Tabloid, half-letter";
}
