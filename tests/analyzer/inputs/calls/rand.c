/*
 * rand() shares hidden state between threads (glibc: MT-Unsafe race); the
 * srand() at post_config is fine, the rand() in the handler is not.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <stdlib.h>
#include <time.h>

static int coin_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                            apr_pool_t *ptemp, server_rec *s)
{
    srand((unsigned)time(NULL));
    return OK;
}

static int coin_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "coin") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rputs(rand() % 2 ? "heads\n" : "tails\n", r); /* expect: mt-unsafe-call(rand) */
    return OK;
}

static void coin_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(coin_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(coin_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA coin_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    coin_register_hooks
};
