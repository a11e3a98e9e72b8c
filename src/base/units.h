/* units.h - lengths with units (mm, cm, in, pt, pc, em, %) and paper sizes by name. */
#ifndef PM_UNITS_H
#define PM_UNITS_H

typedef enum { PM_LEN_PT, PM_LEN_EM, PM_LEN_PERCENT } pm_len_kind;

typedef struct pm_len {
    pm_len_kind kind;
    double v; /* points, ems or percent */
} pm_len;

/* Parse "12pt", "1.5em", "20mm", "2cm", "0.5in", "1pc", "80%". A bare number is an
 * error unless allow_bare (then it means points). Returns 0, or -1 with *why set to a
 * static message. */
int pm_len_parse(const char *s, int allow_bare, pm_len *out, const char **why);
/* Resolve to points: em against em_pt, percent against whole_pt. */
double pm_len_pt(pm_len l, double em_pt, double whole_pt);

/* Paper size by name, case-insensitive: A3..A7, B5, Letter, Legal, half-letter (also
 * "Statement"), Tabloid. Returns 0 and portrait width/height in points, or -1. */
int pm_paper_size(const char *name, double *w, double *h);
/* Comma-separated list of known paper names, for messages. */
const char *pm_paper_names(void);

#endif
