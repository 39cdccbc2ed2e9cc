/*
 * The global's address is passed to a helper that writes through its
 * parameter.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

struct window {
    long count;
    apr_time_t start;
};

static struct window current_window;

static void window_add(struct window *w, apr_time_t now)
{
    if (now - w->start > apr_time_from_sec(60)) { /* expect: global-race(current_window) */
        w->start = now; /* expect: global-race(current_window) */
        w->count = 0; /* expect: global-race(current_window) */
    }
    w->count++; /* expect: global-race(current_window) */
}

static int win_log(request_rec *r)
{
    window_add(&current_window, r->request_time);
    return DECLINED;
}

static void win_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(win_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA win_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    win_register_hooks
};
