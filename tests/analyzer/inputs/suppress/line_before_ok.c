/*
 * Negative: suppressions on the line before the finding, for a race and an
 * MT-unsafe call (the author serialises localtime elsewhere).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <time.h>

static int last_minute;

static int lb_fixups(request_rec *r)
{
    time_t t = (time_t)apr_time_sec(r->request_time);
    struct tm *tm;

    /* modcert: ignore mt-unsafe-call: TZ is UTC in this deployment and the value is copied at once */
    tm = localtime(&t); /* expect-suppressed: mt-unsafe-call(localtime) */
    /* modcert: ignore global-race: monotonic hint only, torn writes impossible for int */
    last_minute = tm->tm_min; /* expect-suppressed: global-race(last_minute) */
    return DECLINED;
}

static void lb_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(lb_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lb_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    lb_register_hooks
};
