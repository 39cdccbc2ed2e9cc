/*
 * The handler dispatches through a table of function pointers; the writer
 * reached only through the table is still request-time (resolved through
 * the set of address-taken functions of that type).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

typedef int (*action_fn)(request_rec *r);

static long pings;
static long resets;

static int do_ping(request_rec *r)
{
    pings++; /* expect: global-race(pings) */
    ap_rputs("pong\n", r);
    return OK;
}

static int do_reset(request_rec *r)
{
    resets++; /* expect: global-race(resets) */
    ap_rputs("reset\n", r);
    return OK;
}

static const struct {
    const char *name;
    action_fn fn;
} actions[] = {
    {"ping", do_ping},
    {"reset", do_reset},
};

static int act_handler(request_rec *r)
{
    size_t i;

    if (!r->handler || strcmp(r->handler, "act") != 0 || !r->args)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
        if (strcmp(r->args, actions[i].name) == 0)
            return actions[i].fn(r);
    return HTTP_NOT_FOUND;
}

static void act_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(act_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA act_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    act_register_hooks
};
