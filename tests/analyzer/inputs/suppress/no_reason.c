/*
 * A suppression without a reason, and one naming an unknown check id, are
 * input errors: they are listed in "errors", suppress nothing (the
 * findings stay), and the scan is incomplete (exit 2).
 */
/* expect-exit: 2 */
/* expect-error: no_reason.c:21 */
/* expect-error: no_reason.c:22 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static long nr_hits;
static long nr_misses;

static int nr_log(request_rec *r)
{
    nr_hits++; /* modcert: ignore global-race */ /* expect: global-race(nr_hits) */
    nr_misses++; /* modcert: ignore global-rcae: typo in the id */ /* expect: global-race(nr_misses) */
    return DECLINED;
}

static void nr_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(nr_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA nr_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    nr_register_hooks
};
