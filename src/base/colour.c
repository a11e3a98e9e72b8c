/* colour.c - parsing colours (see colour.h). */
#include "base/colour.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/diag.h"

/* CSS Color Module Level 4's named colours, sorted. */
static const struct { const char *name; unsigned rgb; } css[] = {
    {"aliceblue", 0xf0f8ff}, {"antiquewhite", 0xfaebd7}, {"aqua", 0x00ffff},
    {"aquamarine", 0x7fffd4}, {"azure", 0xf0ffff}, {"beige", 0xf5f5dc}, {"bisque", 0xffe4c4},
    {"black", 0x000000}, {"blanchedalmond", 0xffebcd}, {"blue", 0x0000ff}, {"blueviolet", 0x8a2be2},
    {"brown", 0xa52a2a}, {"burlywood", 0xdeb887}, {"cadetblue", 0x5f9ea0}, {"chartreuse", 0x7fff00},
    {"chocolate", 0xd2691e}, {"coral", 0xff7f50}, {"cornflowerblue", 0x6495ed},
    {"cornsilk", 0xfff8dc}, {"crimson", 0xdc143c}, {"cyan", 0x00ffff}, {"darkblue", 0x00008b},
    {"darkcyan", 0x008b8b}, {"darkgoldenrod", 0xb8860b}, {"darkgray", 0xa9a9a9},
    {"darkgreen", 0x006400}, {"darkgrey", 0xa9a9a9}, {"darkkhaki", 0xbdb76b},
    {"darkmagenta", 0x8b008b}, {"darkolivegreen", 0x556b2f}, {"darkorange", 0xff8c00},
    {"darkorchid", 0x9932cc}, {"darkred", 0x8b0000}, {"darksalmon", 0xe9967a},
    {"darkseagreen", 0x8fbc8f}, {"darkslateblue", 0x483d8b}, {"darkslategray", 0x2f4f4f},
    {"darkslategrey", 0x2f4f4f}, {"darkturquoise", 0x00ced1}, {"darkviolet", 0x9400d3},
    {"deeppink", 0xff1493}, {"deepskyblue", 0x00bfff}, {"dimgray", 0x696969}, {"dimgrey", 0x696969},
    {"dodgerblue", 0x1e90ff}, {"firebrick", 0xb22222}, {"floralwhite", 0xfffaf0},
    {"forestgreen", 0x228b22}, {"fuchsia", 0xff00ff}, {"gainsboro", 0xdcdcdc},
    {"ghostwhite", 0xf8f8ff}, {"gold", 0xffd700}, {"goldenrod", 0xdaa520}, {"gray", 0x808080},
    {"green", 0x008000}, {"greenyellow", 0xadff2f}, {"grey", 0x808080}, {"honeydew", 0xf0fff0},
    {"hotpink", 0xff69b4}, {"indianred", 0xcd5c5c}, {"indigo", 0x4b0082}, {"ivory", 0xfffff0},
    {"khaki", 0xf0e68c}, {"lavender", 0xe6e6fa}, {"lavenderblush", 0xfff0f5},
    {"lawngreen", 0x7cfc00}, {"lemonchiffon", 0xfffacd}, {"lightblue", 0xadd8e6},
    {"lightcoral", 0xf08080}, {"lightcyan", 0xe0ffff}, {"lightgoldenrodyellow", 0xfafad2},
    {"lightgray", 0xd3d3d3}, {"lightgreen", 0x90ee90}, {"lightgrey", 0xd3d3d3},
    {"lightpink", 0xffb6c1}, {"lightsalmon", 0xffa07a}, {"lightseagreen", 0x20b2aa},
    {"lightskyblue", 0x87cefa}, {"lightslategray", 0x778899}, {"lightslategrey", 0x778899},
    {"lightsteelblue", 0xb0c4de}, {"lightyellow", 0xffffe0}, {"lime", 0x00ff00},
    {"limegreen", 0x32cd32}, {"linen", 0xfaf0e6}, {"magenta", 0xff00ff}, {"maroon", 0x800000},
    {"mediumaquamarine", 0x66cdaa}, {"mediumblue", 0x0000cd}, {"mediumorchid", 0xba55d3},
    {"mediumpurple", 0x9370db}, {"mediumseagreen", 0x3cb371}, {"mediumslateblue", 0x7b68ee},
    {"mediumspringgreen", 0x00fa9a}, {"mediumturquoise", 0x48d1cc}, {"mediumvioletred", 0xc71585},
    {"midnightblue", 0x191970}, {"mintcream", 0xf5fffa}, {"mistyrose", 0xffe4e1},
    {"moccasin", 0xffe4b5}, {"navajowhite", 0xffdead}, {"navy", 0x000080}, {"oldlace", 0xfdf5e6},
    {"olive", 0x808000}, {"olivedrab", 0x6b8e23}, {"orange", 0xffa500}, {"orangered", 0xff4500},
    {"orchid", 0xda70d6}, {"palegoldenrod", 0xeee8aa}, {"palegreen", 0x98fb98},
    {"paleturquoise", 0xafeeee}, {"palevioletred", 0xdb7093}, {"papayawhip", 0xffefd5},
    {"peachpuff", 0xffdab9}, {"peru", 0xcd853f}, {"pink", 0xffc0cb}, {"plum", 0xdda0dd},
    {"powderblue", 0xb0e0e6}, {"purple", 0x800080}, {"rebeccapurple", 0x663399}, {"red", 0xff0000},
    {"rosybrown", 0xbc8f8f}, {"royalblue", 0x4169e1}, {"saddlebrown", 0x8b4513},
    {"salmon", 0xfa8072}, {"sandybrown", 0xf4a460}, {"seagreen", 0x2e8b57}, {"seashell", 0xfff5ee},
    {"sienna", 0xa0522d}, {"silver", 0xc0c0c0}, {"skyblue", 0x87ceeb}, {"slateblue", 0x6a5acd},
    {"slategray", 0x708090}, {"slategrey", 0x708090}, {"snow", 0xfffafa}, {"springgreen", 0x00ff7f},
    {"steelblue", 0x4682b4}, {"tan", 0xd2b48c}, {"teal", 0x008080}, {"thistle", 0xd8bfd8},
    {"tomato", 0xff6347}, {"turquoise", 0x40e0d0}, {"violet", 0xee82ee}, {"wheat", 0xf5deb3},
    {"white", 0xffffff}, {"whitesmoke", 0xf5f5f5}, {"yellow", 0xffff00}, {"yellowgreen", 0x9acd32},
};
enum { NCSS = sizeof css / sizeof *css };

static int hexval(int ch) { return isdigit(ch) ? ch - '0' : tolower(ch) - 'a' + 10; }

static void set_rgb(pm_colour *c, unsigned v)
{
    c->rgb[0] = (v >> 16 & 255) / 255.0;
    c->rgb[1] = (v >> 8 & 255) / 255.0;
    c->rgb[2] = (v & 255) / 255.0;
}

/* One ink amount: "40%" or "0.4". */
static int ink(const char **p, double *out)
{
    char *end;
    while (**p == ' ') (*p)++;
    double v = strtod(*p, &end);
    if (end == *p || !isfinite(v)) return -1;
    int pct = *end == '%';
    if (pct) {
        end++;
        v /= 100;
    }
    if (v < 0 || v > 1) return -1;
    *out = v;
    while (*end == ' ') end++;
    *p = end;
    return 0;
}

static int parse_cmyk(const char *s, pm_colour *c)
{
    const char *p = s + 5; /* after "cmyk(" */
    for (int i = 0; i < 4; i++) {
        if (ink(&p, &c->cmyk[i]) < 0) return -1;
        if (*p != (i < 3 ? ',' : ')')) return -1;
        p++;
    }
    while (*p == ' ') p++;
    if (*p) return -1;
    c->is_cmyk = 1;
    for (int i = 0; i < 3; i++) c->rgb[i] = (1 - c->cmyk[i]) * (1 - c->cmyk[3]);
    return 0;
}

int pm_colour_parse(const char *s, pm_colour *c, char *why, size_t nwhy, const char **near)
{
    memset(c, 0, sizeof *c);
    *near = NULL;
    size_t n = strlen(s);
    if (!n) {
        snprintf(why, nwhy, "no colour given (in YAML a '#' starts a comment: quote a colour like \"#1a1a1a\")");
        return -1;
    }
    if (s[0] == '#') {
        int hex = (int)strspn(s + 1, "0123456789abcdefABCDEF");
        if ((n == 4 || n == 7) && hex == (int)n - 1) {
            unsigned v = 0;
            if (n == 4)
                for (int i = 1; i < 4; i++) v = v << 8 | (unsigned)(hexval(s[i]) * 17);
            else
                v = (unsigned)strtoul(s + 1, NULL, 16);
            set_rgb(c, v);
            return 0;
        }
        snprintf(why, nwhy, "'%s' is not a colour: give \"#rgb\" or \"#rrggbb\" with hexadecimal digits", s);
        return -1;
    }
    if (!strncasecmp(s, "cmyk(", 5)) {
        if (parse_cmyk(s, c) == 0) return 0;
        snprintf(why, nwhy, "'%s' is not a CMYK colour like cmyk(0%%, 100%%, 100%%, 0%%) (each ink 0-100%% or 0-1)", s);
        return -1;
    }
    int lo = 0, hi = NCSS - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, d = strcasecmp(s, css[mid].name);
        if (!d) {
            set_rgb(c, css[mid].rgb);
            return 0;
        }
        if (d < 0) hi = mid - 1;
        else lo = mid + 1;
    }
    const char *names[NCSS];
    for (int i = 0; i < NCSS; i++) names[i] = css[i].name;
    *near = pm_nearest(s, names, NCSS);
    snprintf(why, nwhy, "'%s' is not a colour: give \"#rrggbb\", \"#rgb\", a CSS colour name (darkred) or cmyk(C, M, Y, K)", s);
    return -1;
}

int pm_colour_neutral(const double rgb[3])
{
    return fabs(rgb[0] - rgb[1]) < 0.5 / 255 && fabs(rgb[1] - rgb[2]) < 0.5 / 255;
}
