/*
 * A recursive walk and a deep call chain below the handler: both reach
 * their global writes.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int max_depth;
static long leaves;

static void walk(const char *p, int depth)
{
    if (depth > max_depth) /* expect: global-race(max_depth) */
        max_depth = depth; /* expect: global-race(max_depth) */
    if (*p == '/' && p[1])
        walk(p + 1, depth + 1);
}

static void l6(void) { leaves++; } /* expect: global-race(leaves) */
static void l5(void) { l6(); }
static void l4(void) { l5(); }
static void l3(void) { l4(); }
static void l2(void) { l3(); }
static void l1(void) { l2(); }

static int deep_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "deep") != 0)
        return DECLINED;
    walk(r->uri, 0);
    l1();
    return HTTP_NO_CONTENT;
}

static void deep_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(deep_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA deep_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    deep_register_hooks
};
