/*
 * Negative: child_init runs once per child before its worker threads start,
 * so a global written there and read by request hooks is not a race.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <unistd.h>

static pid_t my_pid;
static apr_time_t child_started;

static void pidinfo_child_init(apr_pool_t *pchild, server_rec *s)
{
    my_pid = getpid();
    child_started = apr_time_now();
}

static int pidinfo_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "pidinfo") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "pid %ld up %" APR_TIME_T_FMT "us\n", (long)my_pid,
               apr_time_now() - child_started);
    return OK;
}

static void pidinfo_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(pidinfo_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(pidinfo_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA pidinfo_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    pidinfo_register_hooks
};
