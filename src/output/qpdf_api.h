/* qpdf_api.h - libqpdf's C API (qpdf/qpdf-c.h), loaded while the layout runs.
 *
 * libqpdf and the thirteen libraries it brings (libstdc++, GnuTLS, GMP...) took 5-7 ms to
 * map and relocate before main(), a tenth of a run of 1917, although the finishing pass
 * and the booklet need them only once every page is drawn. So the program is not linked
 * with libqpdf: pm_qpdf_preload() starts loading it (dlopen) on a thread of its own as a
 * run starts (app/render.c), beside the parse and the flow, and pm_qpdf_load() waits for that
 * (or loads it then) before the first call. Code that uses libqpdf includes this header
 * instead of qpdf-c.h and calls the API as usual: each qpdf_* name used is a pointer in
 * pm_qpdf, filled by pm_qpdf_load(). A function newly used goes into PM_QPDF_API. */
#ifndef PM_QPDF_API_H
#define PM_QPDF_API_H

#include <qpdf/qpdf-c.h>

#define PM_QPDF_API(X) X(qpdf_add_page) X(qpdf_cleanup) X(qpdf_empty_pdf) X(qpdf_get_error) \
    X(qpdf_get_error_code) X(qpdf_get_error_full_text) X(qpdf_get_info_key) X(qpdf_get_num_pages) \
    X(qpdf_get_object_by_id) X(qpdf_get_page_n) X(qpdf_get_root) X(qpdf_get_trailer) \
    X(qpdf_has_error) X(qpdf_init) X(qpdf_init_write) X(qpdf_make_indirect_object) \
    X(qpdf_oh_append_item) X(qpdf_oh_begin_dict_key_iter) X(qpdf_oh_copy_foreign_object) \
    X(qpdf_oh_dict_more_keys) X(qpdf_oh_dict_next_key) X(qpdf_oh_get_array_item) \
    X(qpdf_oh_get_array_n_items) X(qpdf_oh_get_binary_string_value) X(qpdf_oh_get_dict) \
    X(qpdf_oh_get_generation) X(qpdf_oh_get_int_value) X(qpdf_oh_get_int_value_as_int) \
    X(qpdf_oh_get_key) X(qpdf_oh_get_key_if_dict) X(qpdf_oh_get_numeric_value) \
    X(qpdf_oh_get_object_id) X(qpdf_oh_get_page_content_data) X(qpdf_oh_get_stream_data) \
    X(qpdf_oh_get_utf8_value) X(qpdf_oh_has_key) X(qpdf_oh_is_array) X(qpdf_oh_is_dictionary) \
    X(qpdf_oh_is_integer) X(qpdf_oh_is_name_and_equals) X(qpdf_oh_is_number) X(qpdf_oh_is_stream) \
    X(qpdf_oh_is_string) X(qpdf_oh_new_array) X(qpdf_oh_new_binary_string) \
    X(qpdf_oh_new_dictionary) X(qpdf_oh_new_integer) X(qpdf_oh_new_name) X(qpdf_oh_new_null) \
    X(qpdf_oh_new_stream) X(qpdf_oh_new_string) X(qpdf_oh_new_unicode_string) X(qpdf_oh_parse) \
    X(qpdf_oh_release) X(qpdf_oh_release_all) X(qpdf_oh_remove_key) X(qpdf_oh_replace_key) \
    X(qpdf_oh_replace_stream_data) X(qpdf_push_inherited_attributes_to_page) X(qpdf_read) \
    X(qpdf_read_memory) X(qpdf_set_compress_streams) X(qpdf_set_decode_level) X(qpdf_set_info_key) \
    X(qpdf_set_minimum_pdf_version) X(qpdf_set_newline_before_endstream) \
    X(qpdf_set_object_stream_mode) X(qpdf_set_static_ID) X(qpdf_set_suppress_warnings) \
    X(qpdf_silence_errors) X(qpdf_write)

typedef struct pm_qpdf_api {
#define PM_QPDF_FIELD(name) __typeof__(name) *name;
    PM_QPDF_API(PM_QPDF_FIELD)
#undef PM_QPDF_FIELD
} pm_qpdf_api;
extern pm_qpdf_api pm_qpdf;

/* Start loading libqpdf on a thread (once; later calls do nothing). The program waits for
 * the thread at exit, whether or not libqpdf was used. */
void pm_qpdf_preload(void);
/* Wait for that thread, if it is still loading: before the program exits. */
void pm_qpdf_wait(void);
/* libqpdf loaded and pm_qpdf filled (waiting for pm_qpdf_preload's thread, or loading it
 * now): PM_OK, or PM_EIO after a diagnostic naming dest, the output that needs it. */
int pm_qpdf_load(const char *dest);
/* libqpdf loaded, without waiting or saying anything: 1 once pm_qpdf_preload's thread
 * (or pm_qpdf_load) has loaded it, 0 while it loads or when it could not be loaded (the
 * drawing thread makes the pages' objects early when it is there, direct.c). */
int pm_qpdf_ready(void);
/* Free a PDF libqpdf holds (qpdf_cleanup); after pm_qpdf_leave_to_exit(1), keep it
 * (reachable, never used again) for the process's exit to take back with the rest of its
 * memory, at once: freeing a PDF's objects one by one costs 3 million instructions for
 * 1917's, 7 for Common Sense's and its booklet's, after everything is written. A one-shot
 * run says so (app/render.c); a watch session frees each run's. Returns 1 when kept. */
int pm_qpdf_release(qpdf_data q);
void pm_qpdf_leave_to_exit(int yes);
/* pm_qpdf_release, but after the outputs are in place (pm_qpdf_release_deferred, at the
 * end of a run): freeing a booklet's objects took 4 million instructions of a watch
 * rebuild of 1917 before its PDFs were renamed into place. */
int pm_qpdf_release_later(qpdf_data q);
void pm_qpdf_release_deferred(void);
/* dict[key] = v, arr += v, letting go of v's handle (the object stays where it was put):
 * the C API keeps every handle made until the PDF is freed, a hundred bytes each, and a
 * page's structure makes hundreds (pm_qpdf_put_key, pm_qpdf_append). */
void pm_qpdf_put_key(qpdf_data q, qpdf_oh dict, const char *key, qpdf_oh v);
void pm_qpdf_append(qpdf_data q, qpdf_oh arr, qpdf_oh v);

#ifndef PM_QPDF_API_IMPL
#define qpdf_add_page (pm_qpdf.qpdf_add_page)
#define qpdf_cleanup (pm_qpdf.qpdf_cleanup)
#define qpdf_empty_pdf (pm_qpdf.qpdf_empty_pdf)
#define qpdf_get_error (pm_qpdf.qpdf_get_error)
#define qpdf_get_error_code (pm_qpdf.qpdf_get_error_code)
#define qpdf_get_error_full_text (pm_qpdf.qpdf_get_error_full_text)
#define qpdf_get_info_key (pm_qpdf.qpdf_get_info_key)
#define qpdf_get_num_pages (pm_qpdf.qpdf_get_num_pages)
#define qpdf_get_object_by_id (pm_qpdf.qpdf_get_object_by_id)
#define qpdf_get_page_n (pm_qpdf.qpdf_get_page_n)
#define qpdf_get_root (pm_qpdf.qpdf_get_root)
#define qpdf_get_trailer (pm_qpdf.qpdf_get_trailer)
#define qpdf_has_error (pm_qpdf.qpdf_has_error)
#define qpdf_init (pm_qpdf.qpdf_init)
#define qpdf_init_write (pm_qpdf.qpdf_init_write)
#define qpdf_make_indirect_object (pm_qpdf.qpdf_make_indirect_object)
#define qpdf_oh_append_item (pm_qpdf.qpdf_oh_append_item)
#define qpdf_oh_begin_dict_key_iter (pm_qpdf.qpdf_oh_begin_dict_key_iter)
#define qpdf_oh_copy_foreign_object (pm_qpdf.qpdf_oh_copy_foreign_object)
#define qpdf_oh_dict_more_keys (pm_qpdf.qpdf_oh_dict_more_keys)
#define qpdf_oh_dict_next_key (pm_qpdf.qpdf_oh_dict_next_key)
#define qpdf_oh_get_array_item (pm_qpdf.qpdf_oh_get_array_item)
#define qpdf_oh_get_array_n_items (pm_qpdf.qpdf_oh_get_array_n_items)
#define qpdf_oh_get_binary_string_value (pm_qpdf.qpdf_oh_get_binary_string_value)
#define qpdf_oh_get_dict (pm_qpdf.qpdf_oh_get_dict)
#define qpdf_oh_get_generation (pm_qpdf.qpdf_oh_get_generation)
#define qpdf_oh_get_int_value (pm_qpdf.qpdf_oh_get_int_value)
#define qpdf_oh_get_int_value_as_int (pm_qpdf.qpdf_oh_get_int_value_as_int)
#define qpdf_oh_get_key (pm_qpdf.qpdf_oh_get_key)
#define qpdf_oh_get_key_if_dict (pm_qpdf.qpdf_oh_get_key_if_dict)
#define qpdf_oh_get_numeric_value (pm_qpdf.qpdf_oh_get_numeric_value)
#define qpdf_oh_get_object_id (pm_qpdf.qpdf_oh_get_object_id)
#define qpdf_oh_get_page_content_data (pm_qpdf.qpdf_oh_get_page_content_data)
#define qpdf_oh_get_stream_data (pm_qpdf.qpdf_oh_get_stream_data)
#define qpdf_oh_get_utf8_value (pm_qpdf.qpdf_oh_get_utf8_value)
#define qpdf_oh_has_key (pm_qpdf.qpdf_oh_has_key)
#define qpdf_oh_is_array (pm_qpdf.qpdf_oh_is_array)
#define qpdf_oh_is_dictionary (pm_qpdf.qpdf_oh_is_dictionary)
#define qpdf_oh_is_integer (pm_qpdf.qpdf_oh_is_integer)
#define qpdf_oh_is_name_and_equals (pm_qpdf.qpdf_oh_is_name_and_equals)
#define qpdf_oh_is_number (pm_qpdf.qpdf_oh_is_number)
#define qpdf_oh_is_stream (pm_qpdf.qpdf_oh_is_stream)
#define qpdf_oh_is_string (pm_qpdf.qpdf_oh_is_string)
#define qpdf_oh_new_array (pm_qpdf.qpdf_oh_new_array)
#define qpdf_oh_new_binary_string (pm_qpdf.qpdf_oh_new_binary_string)
#define qpdf_oh_new_dictionary (pm_qpdf.qpdf_oh_new_dictionary)
#define qpdf_oh_new_integer (pm_qpdf.qpdf_oh_new_integer)
#define qpdf_oh_new_name (pm_qpdf.qpdf_oh_new_name)
#define qpdf_oh_new_null (pm_qpdf.qpdf_oh_new_null)
#define qpdf_oh_new_stream (pm_qpdf.qpdf_oh_new_stream)
#define qpdf_oh_new_string (pm_qpdf.qpdf_oh_new_string)
#define qpdf_oh_new_unicode_string (pm_qpdf.qpdf_oh_new_unicode_string)
#define qpdf_oh_parse (pm_qpdf.qpdf_oh_parse)
#define qpdf_oh_release (pm_qpdf.qpdf_oh_release)
#define qpdf_oh_release_all (pm_qpdf.qpdf_oh_release_all)
#define qpdf_oh_remove_key (pm_qpdf.qpdf_oh_remove_key)
#define qpdf_oh_replace_key (pm_qpdf.qpdf_oh_replace_key)
#define qpdf_oh_replace_stream_data (pm_qpdf.qpdf_oh_replace_stream_data)
#define qpdf_push_inherited_attributes_to_page (pm_qpdf.qpdf_push_inherited_attributes_to_page)
#define qpdf_read (pm_qpdf.qpdf_read)
#define qpdf_read_memory (pm_qpdf.qpdf_read_memory)
#define qpdf_set_compress_streams (pm_qpdf.qpdf_set_compress_streams)
#define qpdf_set_decode_level (pm_qpdf.qpdf_set_decode_level)
#define qpdf_set_info_key (pm_qpdf.qpdf_set_info_key)
#define qpdf_set_minimum_pdf_version (pm_qpdf.qpdf_set_minimum_pdf_version)
#define qpdf_set_newline_before_endstream (pm_qpdf.qpdf_set_newline_before_endstream)
#define qpdf_set_object_stream_mode (pm_qpdf.qpdf_set_object_stream_mode)
#define qpdf_set_static_ID (pm_qpdf.qpdf_set_static_ID)
#define qpdf_set_suppress_warnings (pm_qpdf.qpdf_set_suppress_warnings)
#define qpdf_silence_errors (pm_qpdf.qpdf_silence_errors)
#define qpdf_write (pm_qpdf.qpdf_write)
#endif

#endif
