/* scan-flags: --stack-limit 4096 */
/*
 * With a lower limit (--stack-limit 4096 bytes) an 8 KiB buffer in a
 * request hook is reported; the 2 KiB one in another hook is not.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int lim_fixups(request_rec *r)
{
    char buf[8192]; /* expect: large-stack-frame(buf) */

    apr_snprintf(buf, sizeof(buf), "%s?%s", r->uri, r->args ? r->args : "");
    apr_table_set(r->notes, "full", buf);
    return DECLINED;
}

static int lim_log(request_rec *r)
{
    char small[2048];

    apr_snprintf(small, sizeof(small), "%d", r->status);
    apr_table_set(r->notes, "st", small);
    return DECLINED;
}

static void lim_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(lim_fixups, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(lim_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lim_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    lim_register_hooks
};
