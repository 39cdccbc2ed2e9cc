/*
 * "const" in the wrong place: an array of pointers-to-const is itself
 * writable, and so is a pointer-to-const global. Both are re-pointed at
 * request time.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static const char *recent[4] = {"", "", "", ""};
struct code {
    int code;
};

static const struct code *last_code;
static const struct code codes[2] = {{200}, {404}};

static int cw_log(request_rec *r)
{
    recent[r->status & 3] = r->uri; /* expect: global-race(recent) */
    last_code = &codes[r->status == 404]; /* expect: global-race(last_code) */
    return DECLINED;
}

static void cw_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(cw_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA cw_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    cw_register_hooks
};
