/*
 * Every write form on globals: compound assignments, pre/post decrement,
 * nested struct fields, arrays of structs, string copies into a global
 * buffer, a global pointer re-pointed per request.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

struct inner {
    long count;
};
static struct {
    struct inner in;
    int flags;
} nested;
static struct {
    int n;
} slots[4];
static long score = 100;
static char last_method[16];
static const char *last_uri;

static int wf_log(request_rec *r)
{
    score += 2; /* expect: global-race(score) */
    score <<= 1; /* expect: global-race(score) */
    --score; /* expect: global-race(score) */
    nested.in.count++; /* expect: global-race(nested) */
    nested.flags |= 1; /* expect: global-race(nested) */
    slots[r->status & 3].n = r->status; /* expect: global-race(slots) */
    strcpy(last_method, "GET"); /* expect: global-race(last_method) */
    sprintf(last_method, "%.8s", r->method); /* expect: global-race(last_method) */
    last_uri = r->uri; /* expect: global-race(last_uri) */
    return DECLINED;
}

static void wf_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(wf_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA wf_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    wf_register_hooks
};
