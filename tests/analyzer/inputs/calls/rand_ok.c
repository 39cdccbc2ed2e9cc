/*
 * Negative: random numbers from apr_generate_random_bytes (thread-safe)
 * and rand_r with per-call state.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_general.h"
#include <stdlib.h>

static int coin2_handler(request_rec *r)
{
    unsigned char byte = 0;
    unsigned int seed = (unsigned int)r->request_time;

    if (!r->handler || strcmp(r->handler, "coin2") != 0)
        return DECLINED;
    if (apr_generate_random_bytes(&byte, 1) != APR_SUCCESS)
        byte = (unsigned char)rand_r(&seed);
    ap_set_content_type(r, "text/plain");
    ap_rputs(byte & 1 ? "heads\n" : "tails\n", r);
    return OK;
}

static void coin2_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(coin2_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA coin2_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    coin2_register_hooks
};
