/*
 * mod_reqtag.c — request tags for tracing.
 *
 * Feature: clients send an X-Request-Tag header; the module normalises it
 * early (post_read_request: lower case, at most 63 characters) so every later
 * phase and the status page can use it, and the "reqtag" handler answers
 *
 *     tag=<normalised tag>
 *
 * Seeded defect (unsafe under threads): the normalised tag is kept in one
 * static buffer, `current_tag`, written in reqtag_post_read() and read later
 * in reqtag_handler(), instead of in r->notes. Between the two hooks of one
 * request, another request's post_read_request overwrites the buffer.
 * Client-observable: a response shows another client's tag (or a mix of two).
 * Fix: apr_table_setn(r->notes, ...) (see safe/mod_reqinfo.c).
 *
 *     <Location /tag>
 *         SetHandler reqtag
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_lib.h"
#include "apr_strings.h"

#define REQTAG_MAX 64

/* The tag of "the current request": one buffer for all threads. */
static char current_tag[REQTAG_MAX];

static int reqtag_post_read(request_rec *r)
{
    const char *tag = apr_table_get(r->headers_in, "X-Request-Tag");
    apr_size_t i;

    apr_cpystrn(current_tag, tag ? tag : "-", sizeof(current_tag));
    for (i = 0; current_tag[i] != '\0'; i++) {
        current_tag[i] = (char)apr_tolower(current_tag[i]);
    }
    return DECLINED;
}

static int reqtag_handler(request_rec *r)
{
    if (strcmp(r->handler, "reqtag") != 0) {
        return DECLINED;
    }
    ap_set_content_type(r, "text/plain");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_rprintf(r, "tag=%s\n", current_tag);
    return OK;
}

static void reqtag_register_hooks(apr_pool_t *p)
{
    ap_hook_post_read_request(reqtag_post_read, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(reqtag_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(reqtag) = {
    STANDARD20_MODULE_STUFF,
    NULL,                 /* create per-dir config */
    NULL,                 /* merge per-dir config */
    NULL,                 /* create per-server config */
    NULL,                 /* merge per-server config */
    NULL,                 /* command table */
    reqtag_register_hooks /* register hooks */
};
