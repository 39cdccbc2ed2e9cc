/*
 * Negative: a static function that writes a global but is never called
 * nor registered anywhere is dead code, not a request-time race.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int debug_level;

static void bump_debug(void) __attribute__((unused));
static void bump_debug(void)
{
    debug_level++;
}

static int dbg_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "dbg") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%d\n", debug_level);
    return OK;
}

static void dbg_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(dbg_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA dbg_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    dbg_register_hooks
};
