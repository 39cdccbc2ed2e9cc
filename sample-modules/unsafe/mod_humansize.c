/*
 * mod_humansize.c — byte counts in human-readable form.
 *
 * Feature: GET /size?BYTES answers the count and its rendering in binary
 * units, for dashboards that show file and transfer sizes:
 *
 *     GET /size?1536
 *     bytes=1536 human=1.5 KiB
 *
 * Seeded defect (unsafe under threads): human_size() renders into a static
 * buffer and returns a pointer to it — the classic C "convenience" API. Every
 * caller on every thread gets the same buffer, so between human_size()
 * returning and the handler printing the text, another request can
 * overwrite it. Client-observable: a response shows the size another client
 * asked for (bytes=1536 human=3.0 GiB). Fix: let the caller pass the buffer,
 * or return apr_psprintf(r->pool, ...).
 *
 *     <Location /size>
 *         SetHandler humansize
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_strings.h"

static const char *const human_units[] = {"B", "KiB", "MiB", "GiB", "TiB"};

/* Renders bytes as "1.5 KiB"; the result lives until the next call. */
static const char *human_size(apr_off_t bytes)
{
    static char buf[32];
    double v = (double)bytes;
    int unit = 0;

    while (v >= 1024.0 && unit < 4) {
        v /= 1024.0;
        unit++;
    }
    apr_snprintf(buf, sizeof(buf), "%.1f %s", v, human_units[unit]);
    return buf;
}

static int humansize_handler(request_rec *r)
{
    apr_off_t bytes;
    const char *human;

    if (strcmp(r->handler, "humansize") != 0) {
        return DECLINED;
    }
    if (r->args == NULL || apr_strtoff(&bytes, r->args, NULL, 10) != 0 ||
        bytes < 0) {
        return HTTP_BAD_REQUEST;
    }
    human = human_size(bytes);

    ap_set_content_type(r, "text/plain");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_rprintf(r, "bytes=%" APR_OFF_T_FMT " human=%s\n", bytes, human);
    return OK;
}

static void humansize_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(humansize_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(humansize) = {
    STANDARD20_MODULE_STUFF,
    NULL,                    /* create per-dir config */
    NULL,                    /* merge per-dir config */
    NULL,                    /* create per-server config */
    NULL,                    /* merge per-server config */
    NULL,                    /* command table */
    humansize_register_hooks /* register hooks */
};
