/*
 * Negative: returning pointers into static *const* data (a string table and
 * literals) is safe: nobody writes them.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static const char *const reasons[] = {"ok", "moved", "client error", "server error"};

static const char *reason_class(int status)
{
    if (status < 100)
        return "unknown";
    if (status >= 500)
        return reasons[3];
    if (status >= 400)
        return reasons[2];
    return status >= 300 ? reasons[1] : reasons[0];
}

static int rc_log(request_rec *r)
{
    apr_table_setn(r->notes, "class", reason_class(r->status));
    return DECLINED;
}

static void rc_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(rc_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA rc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    rc_register_hooks
};
