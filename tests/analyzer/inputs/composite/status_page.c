/*
 * A status handler that mixes safe and unsafe state: atomic counters and a
 * thread-local scratch buffer (fine), the viewer remembered in the server
 * config, a static formatting buffer, and a page assembled on the stack.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_atomic.h"
#include "scoreboard.h"

module AP_MODULE_DECLARE_DATA statuspage_module;

struct sp_conf {
    const char *title;
    const char *last_viewer;
};

static volatile apr_uint32_t views;
static _Thread_local char scratch[128];

static void *sp_create_server(apr_pool_t *p, server_rec *s)
{
    struct sp_conf *c = apr_pcalloc(p, sizeof(*c));
    c->title = "Status";
    return c;
}

static const char *fmt_uptime(apr_interval_time_t up)
{
    static char buf[48];

    apr_snprintf(buf, sizeof(buf), "%" APR_TIME_T_FMT "s", apr_time_sec(up));
    return buf; /* expect: static-buffer-return(buf) */
}

static int sp_handler(request_rec *r)
{
    struct sp_conf *c = ap_get_module_config(r->server->module_config, &statuspage_module);
    char page[160 * 1024]; /* expect: large-stack-frame(page) */
    apr_uint32_t n;

    if (!r->handler || strcmp(r->handler, "status-page") != 0)
        return DECLINED;
    n = apr_atomic_inc32(&views) + 1;
    c->last_viewer = r->user ? r->user : r->useragent_ip; /* expect: config-mutation(last_viewer) */
    apr_snprintf(scratch, sizeof(scratch), "%u", n);
    apr_snprintf(page, sizeof(page), "<h1>%s</h1><p>views %s, up %s</p>", c->title,
                 scratch, fmt_uptime(apr_time_now() - ap_scoreboard_image->global->restart_time));
    ap_set_content_type(r, "text/html");
    ap_rputs(page, r);
    return OK;
}

static void sp_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(sp_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA statuspage_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL,
    sp_create_server,
    NULL, NULL,
    sp_register_hooks
};
