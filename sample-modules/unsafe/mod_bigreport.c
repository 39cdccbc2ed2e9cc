/*
 * mod_bigreport.c — a report rendered into one big local buffer.
 *
 * Feature: GET /bigreport?ROWS renders a table of squares (1 to 20000 rows,
 * default 100) into a page buffer and sends it in one write, followed by a
 * summary line:
 *
 *     row 1: 1 squared is 1
 *     ...
 *     rows=100 bytes=2590
 *
 * Seeded defect (too much stack for a thread): bigreport_handler() keeps the
 * page in a 2 MiB local array, `page`, cleared before use. Linux threads of
 * httpd get an 8 MiB stack by default, so the module works there; with a
 * small thread stack — the Windows (winnt MPM) default, or ThreadStackSize
 * below 2 MiB — the frame runs off the end of the stack. Client-observable:
 * the process crashes, the connection is dropped with no response. The
 * defect shows with one thread too, but only where thread stacks are small.
 * Fix: allocate the page from r->pool, or stream rows with ap_rprintf.
 *
 *     <Location /bigreport>
 *         SetHandler bigreport
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_strings.h"

#include <stdlib.h>
#include <string.h>

#define BIGREPORT_PAGE (2 * 1024 * 1024)
#define BIGREPORT_MAX_ROWS 20000

static int bigreport_handler(request_rec *r)
{
    char page[BIGREPORT_PAGE]; /* the whole report, rendered before sending */
    apr_size_t len = 0;
    long rows, i;

    if (strcmp(r->handler, "bigreport") != 0) {
        return DECLINED;
    }
    rows = r->args ? strtol(r->args, NULL, 10) : 100;
    if (rows < 1 || rows > BIGREPORT_MAX_ROWS) {
        return HTTP_BAD_REQUEST;
    }
    memset(page, 0, sizeof(page));
    for (i = 1; i <= rows && len < sizeof(page) - 128; i++) {
        len += apr_snprintf(page + len, sizeof(page) - len,
                            "row %ld: %ld squared is %ld\n", i, i, i * i);
    }
    ap_set_content_type(r, "text/plain");
    ap_rwrite(page, (int)len, r);
    ap_rprintf(r, "rows=%ld bytes=%lu\n", rows, (unsigned long)len);
    return OK;
}

static void bigreport_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(bigreport_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(bigreport) = {
    STANDARD20_MODULE_STUFF,
    NULL,                    /* create per-dir config */
    NULL,                    /* merge per-dir config */
    NULL,                    /* create per-server config */
    NULL,                    /* merge per-server config */
    NULL,                    /* command table */
    bigreport_register_hooks /* register hooks */
};
