/* colour.h - colours as a layout writes them: "#rgb", "#rrggbb", CSS colour names
 * ("darkred"), and "cmyk(C, M, Y, K)" for print (each 0-100 % or 0-1). */
#ifndef PM_COLOUR_H
#define PM_COLOUR_H

#include <stddef.h>

typedef struct pm_colour {
    double rgb[3];   /* 0..1: what screens, PNG proofs and cairo get (for CMYK, the naive
                        conversion r = (1 - c)(1 - k) ...) */
    double cmyk[4];  /* 0..1, when is_cmyk: the inks the PDF gets */
    int is_cmyk;
} pm_colour;

/* Parse s. Returns 0, or -1 with why (a sentence, no trailing period) and, for a name
 * that is almost a CSS name, *near set to it (else NULL). */
int pm_colour_parse(const char *s, pm_colour *c, char *why, size_t nwhy, const char **near);

/* Whether an RGB colour is neutral (r = g = b, within half a step of 8 bits): such a
 * colour prints with black ink only (DeviceGray). */
int pm_colour_neutral(const double rgb[3]);

#endif
