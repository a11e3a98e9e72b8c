/* finish_pdfx.c - the finishing pass's print-shop parts (finish_pdfx.h): crop marks for
 * --print-shop, and PDF/X-4 for --pdfx.
 *
 * Crop marks: the MediaBox grows round the BleedBox by a gap and the marks' length; the
 * TrimBox and BleedBox stay. The page's content is clipped to the bleed in q/Q (cairo
 * leaves out clips to its page's edge) and the marks follow it
 * as an artifact (not part of the structure tree), in DeviceGray black.
 *
 * PDF/X-4 (ISO 15930-7): an output intent with a CMYK printer profile that Debian ships
 * (PM_PDFX_CMYK_PROFILE: Ghostscript's "Artifex CMYK SWOP Profile", ICC 2.1, a web offset
 * condition); /GTS_PDFXVersion and /Trapped /False in Info and the same in XMP, with the
 * xmpMM identifiers PDF/X-4 asks for; dates (the content file's time when
 * SOURCE_DATE_EPOCH does not give one: never the wall clock); PDF 1.6 (finish.c). cairo writes RGB as
 * DeviceRGB, which PDF/X-4 allows only in a declared colour space: every resource
 * dictionary gets /DefaultRGB = sRGB (ICCBased), and RGB transparency groups are sRGB. */
#include "output/finish_pdfx.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/diag.h"

#define MM (72.0 / 25.4)

/* ---- crop marks ---------------------------------------------------------------------------- */

static int box(qpdf_data q, qpdf_oh page, const char *key, double b[4])
{
    qpdf_oh a = qpdf_oh_get_key(q, page, key);
    if (!qpdf_oh_is_array(q, a) || qpdf_oh_get_array_n_items(q, a) != 4) return 0;
    for (int i = 0; i < 4; i++) b[i] = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, a, i));
    return 1;
}

static qpdf_oh new_stream(qpdf_data q, const char *data, size_t n)
{
    qpdf_oh s = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, s, (const unsigned char *)data, n, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    return s;
}

/* The marks: at each corner of the trim t, two lines along its edges' extension, from off
 * to off + len outside it. */
static size_t marks(char *buf, size_t n, const double t[4], double off, double len)
{
    size_t k = (size_t)snprintf(buf, n, "Q\n/Artifact BMC\nq 0 G 0.25 w 0 J [] 0 d\n");
    for (int c = 0; c < 4; c++) {
        double x = c & 1 ? t[2] : t[0], y = c & 2 ? t[3] : t[1];
        double sx = c & 1 ? 1 : -1, sy = c & 2 ? 1 : -1;
        if (k < n)
            k += (size_t)snprintf(buf + k, n - k, "%.3f %.3f m %.3f %.3f l S\n%.3f %.3f m %.3f %.3f l S\n",
                                  x + sx * off, y, x + sx * (off + len), y, x, y + sy * off, x, y + sy * (off + len));
    }
    if (k < n) k += (size_t)snprintf(buf + k, n - k, "Q\nEMC\n");
    return k < n ? k : n;
}

void pm_shop_page(qpdf_data q, qpdf_oh page, const pm_finish *f)
{
    double t[4], bl[4];
    if (!f->print_shop || !box(q, page, "/TrimBox", t)) return;
    if (!box(q, page, "/BleedBox", bl)) { /* no bleed: the bleed is the trim (not the MediaBox) */
        memcpy(bl, t, sizeof bl);
        char bb[160];
        snprintf(bb, sizeof bb, "[%.4f %.4f %.4f %.4f]", t[0], t[1], t[2], t[3]);
        qpdf_oh_replace_key(q, page, "/BleedBox", qpdf_oh_parse(q, bb));
    }
    /* the marks start 2 mm outside the bleed (3 mm from the trim without bleed), 5 mm long */
    double b = f->bleed, off = b > 0 ? b + 2 * MM : 3 * MM, len = 5 * MM, room = off + len + 1 * MM;
    char buf[1024];
    size_t n = marks(buf, sizeof buf, t, off, len);
    qpdf_oh old = qpdf_oh_get_key(q, page, "/Contents"), arr = qpdf_oh_new_array(q);
    /* the page clipped to its bleed: cairo drops a clip to the page's edge, as it was */
    char clip[160];
    int cn = snprintf(clip, sizeof clip, "q %.4f %.4f %.4f %.4f re W n\n", bl[0], bl[1], bl[2] - bl[0], bl[3] - bl[1]);
    qpdf_oh_append_item(q, arr, new_stream(q, clip, (size_t)cn));
    if (qpdf_oh_is_array(q, old)) {
        int k = qpdf_oh_get_array_n_items(q, old);
        for (int i = 0; i < k; i++) qpdf_oh_append_item(q, arr, qpdf_oh_get_array_item(q, old, i));
    } else if (qpdf_oh_is_stream(q, old)) {
        qpdf_oh_append_item(q, arr, old);
    }
    qpdf_oh_append_item(q, arr, new_stream(q, buf, n));
    qpdf_oh_replace_key(q, page, "/Contents", arr);
    char mb[160];
    snprintf(mb, sizeof mb, "[%.4f %.4f %.4f %.4f]", t[0] - room, t[1] - room, t[2] + room, t[3] + room);
    qpdf_oh_replace_key(q, page, "/MediaBox", qpdf_oh_parse(q, mb));
}

/* ---- PDF/X-4 ------------------------------------------------------------------------------- */

static unsigned char *slurp(const char *path, size_t *n)
{
    gchar *d = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &d, &len, NULL)) return NULL;
    *n = len;
    return (unsigned char *)d;
}

/* An ICC profile as a stream with /N n. */
static qpdf_oh icc_stream(qpdf_data q, const unsigned char *p, size_t len, int n)
{
    qpdf_oh s = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, s, p, len, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, s), "/N", qpdf_oh_new_integer(q, n));
    return s;
}

/* Every resource dictionary (of pages, forms, patterns, Type 3 fonts) gets /DefaultRGB
 * srgb; every transparency group in DeviceRGB blends in srgb instead. (Handles are not
 * released here: finish.c still holds some.) */
static void declare_rgb(qpdf_data q, qpdf_oh srgb)
{
    long long size = qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Size"));
    for (long long id = 1; id < size; id++) {
        qpdf_oh o = qpdf_get_object_by_id(q, (int)id, 0);
        qpdf_oh d = qpdf_oh_is_stream(q, o) ? qpdf_oh_get_dict(q, o) : o;
        if (!qpdf_oh_is_dictionary(q, d)) continue;
        qpdf_oh g = qpdf_oh_get_key(q, d, "/Group");
        if (qpdf_oh_is_dictionary(q, g) && qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, g, "/CS"), "/DeviceRGB"))
            qpdf_oh_replace_key(q, g, "/CS", srgb);
        qpdf_oh res = qpdf_oh_get_key(q, d, "/Resources");
        if (qpdf_oh_is_dictionary(q, res)) {
            qpdf_oh cs = qpdf_oh_get_key(q, res, "/ColorSpace");
            if (!qpdf_oh_is_dictionary(q, cs)) {
                cs = qpdf_oh_new_dictionary(q);
                qpdf_oh_replace_key(q, res, "/ColorSpace", cs);
                cs = qpdf_oh_get_key(q, res, "/ColorSpace");
            }
            qpdf_oh_replace_key(q, cs, "/DefaultRGB", srgb);
        }
    }
}

/* D:YYYYMMDDHHmmSSZ of epoch. */
void pm_pdf_date(long long epoch, char *out, size_t n)
{
    time_t t = (time_t)epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "D:%Y%m%d%H%M%SZ", &tm);
}

static int refuse(const pm_finish *f, const char *dest, const char *what, const char *hint)
{
    pm_error(f->src ? f->src : dest, 0, 0, "--pdfx: cannot make PDF/X-4: %s", what);
    if (hint) pm_hint("%s", hint);
    return PM_EINPUT;
}

int pm_pdfx_doc(qpdf_data q, const pm_finish *f, const char *dest, const char *hex, char *docid)
{
    if (!f->pdfx) return PM_OK;
    qpdf_oh root = qpdf_get_root(q), trailer = qpdf_get_trailer(q);
    qpdf_oh inf = qpdf_oh_get_key(q, trailer, "/Info");
    if (!qpdf_oh_is_dictionary(q, inf)) {
        inf = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
        qpdf_oh_replace_key(q, trailer, "/Info", inf);
    }
    qpdf_oh title = qpdf_oh_get_key(q, inf, "/Title");
    if (!qpdf_oh_is_string(q, title) || !*qpdf_oh_get_utf8_value(q, title))
        return refuse(f, dest, "the document has no title (PDF/X asks for one)",
                      "give it one in the front matter: title: ...");
    if (!qpdf_oh_has_key(q, inf, "/CreationDate")) {
        if (f->pdfx_epoch < 0)
            return refuse(f, dest, "no date for the document (PDF/X asks for one)",
                          "set SOURCE_DATE_EPOCH to the time in seconds, e.g. SOURCE_DATE_EPOCH=$(date +%s)");
        char d[40];
        pm_pdf_date(f->pdfx_epoch, d, sizeof d);
        qpdf_oh_replace_key(q, inf, "/CreationDate", qpdf_oh_new_string(q, d));
        qpdf_oh_replace_key(q, inf, "/ModDate", qpdf_oh_new_string(q, d));
    }
    size_t cn = 0, rn = 0;
    unsigned char *cmyk = slurp(PM_PDFX_CMYK_PROFILE, &cn), *rgb = slurp(PM_PDFX_RGB_PROFILE, &rn);
    if (!cmyk || !rgb) {
        pm_error(!cmyk ? PM_PDFX_CMYK_PROFILE : PM_PDFX_RGB_PROFILE, 0, 0,
                 "--pdfx: cannot read it (the colour profiles come with Debian's libgs-common)");
        g_free(cmyk), g_free(rgb);
        return PM_EIO;
    }
    /* the XMP DocumentID: the document's digest, UUID-shaped (same input, same id) */
    snprintf(docid, 46, "uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
    qpdf_oh_replace_key(q, inf, "/GTS_PDFXVersion", qpdf_oh_new_string(q, "PDF/X-4"));
    qpdf_oh_replace_key(q, inf, "/Trapped", qpdf_oh_new_name(q, "/False"));
    qpdf_oh oi = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, oi, "/Type", qpdf_oh_new_name(q, "/OutputIntent"));
    qpdf_oh_replace_key(q, oi, "/S", qpdf_oh_new_name(q, "/GTS_PDFX"));
    qpdf_oh_replace_key(q, oi, "/OutputConditionIdentifier", qpdf_oh_new_string(q, "Custom"));
    qpdf_oh_replace_key(q, oi, "/OutputCondition", qpdf_oh_new_string(q, "Web offset (SWOP)"));
    qpdf_oh_replace_key(q, oi, "/Info", qpdf_oh_new_string(q, "Artifex CMYK SWOP Profile (Ghostscript)"));
    qpdf_oh_replace_key(q, oi, "/DestOutputProfile", icc_stream(q, cmyk, cn, 4));
    qpdf_oh ois = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, ois, oi);
    qpdf_oh_replace_key(q, root, "/OutputIntents", ois);
    qpdf_oh srgb = qpdf_make_indirect_object(q, qpdf_oh_new_array(q));
    qpdf_oh_append_item(q, srgb, qpdf_oh_new_name(q, "/ICCBased"));
    qpdf_oh_append_item(q, srgb, icc_stream(q, rgb, rn, 3));
    g_free(cmyk);
    g_free(rgb);
    declare_rgb(q, srgb);
    return qpdf_has_error(q) ? (pm_error(dest, 0, 0, "--pdfx: %s", qpdf_get_error_full_text(q, qpdf_get_error(q))),
                                PM_EIO)
                             : PM_OK;
}

void pm_pdfx_xmp(pm_bytes *b, const pm_finish *f, const char *docid)
{
    if (!f->pdfx) return;
    char s[1024];
    snprintf(s, sizeof s,
             "  <rdf:Description rdf:about=\"\" xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\"\n"
             "    xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
             "   <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>\n"
             "   <pdf:Trapped>False</pdf:Trapped>\n"
             "   <xmpMM:DocumentID>%s</xmpMM:DocumentID>\n"
             "   <xmpMM:InstanceID>%s</xmpMM:InstanceID>\n"
             "   <xmpMM:VersionID>1</xmpMM:VersionID>\n"
             "   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>\n"
             "  </rdf:Description>\n",
             docid, docid);
    size_t n = strlen(s);
    if (b->n + n > b->cap) b->p = pm_xrealloc(b->p, b->cap = (b->n + n) * 2);
    memcpy(b->p + b->n, s, n);
    b->n += n;
}
