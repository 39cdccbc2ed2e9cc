/*
 * A suppression two lines above the finding is too far away: it does not
 * apply (the finding is reported) and is unused.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static long far_hits;

static int far_log(request_rec *r)
{
    /* modcert: ignore global-race: advisory counter */ /* expect: unused-suppression */

    far_hits++; /* expect: global-race(far_hits) */
    return DECLINED;
}

static void far_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(far_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA far_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    far_register_hooks
};
