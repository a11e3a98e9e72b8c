/* outputs.h - a run's outputs may overwrite none of its inputs, nor each other.
 *
 * `pamphlet a.md -o a.md` would otherwise replace the source with the PDF. Files are
 * compared by device and inode, so another spelling of a path, a hard link or a symbolic
 * link is the same file; an output that does not exist yet is compared with the others
 * by its folder's device and inode and its name. --png DIR writes DIR/page-NNN.png, so
 * it clashes with any file of that form in DIR. */
#ifndef PM_OUTPUTS_H
#define PM_OUTPUTS_H

typedef struct pm_output {
    const char *option;  /* how it was named: "-o", "--booklet", ... */
    const char *what;    /* "the PDF", "the booklet", ... */
    const char *path;    /* a file, or the folder of --png */
    int png_folder;      /* path is --png's folder */
} pm_output;

typedef struct pm_input {
    const char *what;    /* "the content file", "the layout", "an image", ... */
    const char *path;
} pm_input;

/* Every clash of an output with an input, and with each_other, of two outputs: one error
 * each, naming the file, the output, its option and what it would overwrite. Returns
 * PM_OK, or PM_EUSAGE when there is any. Writes nothing. */
int pm_outputs_check(const pm_output *outs, int nouts, const pm_input *ins, int nins, int each_other);

/* The regular files under dir (its subfolders too, as fontconfig reads them), for
 * pm_outputs_check: appended to *ins (grown with realloc; *nins updated), each with the
 * given what and a new malloc'd path (free them with pm_inputs_free). */
void pm_inputs_add_folder(pm_input **ins, int *nins, const char *dir, const char *what);
/* Free the paths pm_inputs_add_folder made (entries from start on) and the array. */
void pm_inputs_free(pm_input *ins, int nins, int start);

#endif
