/* finish_images.h - the finishing pass's work on images (finish_images.c): passthrough
 * JPEGs described as their bytes say (/Decode of Adobe CMYK files, ICC profiles kept as
 * ICCBased colour spaces), and the iCCP profiles of decoded PNGs. */
#ifndef PM_FINISH_IMAGES_H
#define PM_FINISH_IMAGES_H

#include "output/qpdf_api.h"

#include "output/finish.h"

/* Over every image XObject of the PDF q has read (before objects are added). PM_OK, or
 * PM_EIO when libqpdf failed (its error left in q for the caller to report). */
int pm_finish_images(qpdf_data q, const pm_finish *f);

#endif
