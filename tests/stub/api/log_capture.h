/* log_capture.h — helpers for tests that read what the log functions wrote:
 * a temp-file apr_file_t opened the way httpd opens error logs (append,
 * unbuffered) and a reader for its lines.
 *
 * Contract: everything is allocated from the pool passed in; the temp file
 * is unlinked when that pool is cleared. Call from one thread.
 */
#ifndef MC_TEST_LOG_CAPTURE_H
#define MC_TEST_LOG_CAPTURE_H

#include "apr_file_io.h"
#include "apr_pools.h"
#include "apr_tables.h"

struct mc_capture {
    apr_file_t *file; /* give this to server_rec.error_log */
    const char *path;
};

/* Opens an empty capture file; returns 0 on success. */
int mc_capture_open(struct mc_capture *cap, apr_pool_t *p);

/* All lines written so far (without '\n'), as an array of char *. */
apr_array_header_t *mc_capture_lines(const struct mc_capture *cap,
                                     apr_pool_t *p);

#endif
