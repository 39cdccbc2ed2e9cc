/*
 * volatile is not synchronisation: a volatile sig_atomic_t "stop" flag
 * written by the handler and read by a module thread still races (only
 * async-signal, not thread, safety is promised).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"
#include <signal.h>

static volatile sig_atomic_t stop_requested;

static void *APR_THREAD_FUNC poller(apr_thread_t *t, void *data)
{
    while (!stop_requested) /* expect: global-race(stop_requested) */
        apr_sleep(apr_time_from_msec(100));
    return NULL;
}

static void vs_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_t *t;
    apr_thread_create(&t, NULL, poller, NULL, pchild);
}

static int vs_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "stop") != 0)
        return DECLINED;
    stop_requested = 1; /* expect: global-race(stop_requested) */
    return HTTP_NO_CONTENT;
}

static void vs_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(vs_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(vs_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA vs_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    vs_register_hooks
};
