/*
 * Negative: register_hooks itself runs at config time; it may write globals
 * read later by request hooks.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_connection.h"
#include "http_log.h"
#include "apr_strings.h"

static int hooks_registered;
static const char *registered_by;

static int rh_fixups(request_rec *r)
{
    if (hooks_registered)
        apr_table_setn(r->notes, "rh", registered_by);
    return DECLINED;
}

static void rh_register_hooks(apr_pool_t *p)
{
    hooks_registered = 1;
    registered_by = "rh_register_hooks";
    ap_hook_fixups(rh_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA rh_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    rh_register_hooks
};
