/* scan-flags: -j 2 */
/*
 * Two files each with a *static* global 'count' and a static 'bump': they
 * are different objects and functions. Here: written by the handler.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int count;

int same_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                     server_rec *s);

static void bump(void)
{
    count++; /* expect: global-race(count) */
}

static int same_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "same") != 0)
        return DECLINED;
    bump();
    return HTTP_NO_CONTENT;
}

static void same_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(same_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(same_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA same_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    same_register_hooks
};
