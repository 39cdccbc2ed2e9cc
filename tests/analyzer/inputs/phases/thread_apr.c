/*
 * A housekeeping thread started with apr_thread_create in child_init runs
 * concurrently with the request threads: the global it writes races with
 * the handler's read.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"

static apr_time_t last_sweep;
static volatile int stop_sweeper;

static void *APR_THREAD_FUNC sweeper(apr_thread_t *thd, void *data)
{
    while (!stop_sweeper) { /* expect: global-race(stop_sweeper) */
        last_sweep = apr_time_now(); /* expect: global-race(last_sweep) */
        apr_sleep(apr_time_from_sec(5));
    }
    apr_thread_exit(thd, APR_SUCCESS);
    return NULL;
}

static void sweep_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_t *thd;

    if (apr_thread_create(&thd, NULL, sweeper, NULL, pchild) != APR_SUCCESS)
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "cannot start sweeper");
}

static int sweep_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "sweep") != 0)
        return DECLINED;
    if (r->args && strcmp(r->args, "stop") == 0)
        stop_sweeper = 1; /* expect: global-race(stop_sweeper) */
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%" APR_TIME_T_FMT "\n", last_sweep); /* expect: global-race(last_sweep) */
    return OK;
}

static void sweep_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(sweep_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(sweep_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA sweep_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    sweep_register_hooks
};
