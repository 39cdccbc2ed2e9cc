/*
 * A global apr_hash_t created at post_config and updated by a request hook:
 * APR hashes are not thread-safe, concurrent sets corrupt the table.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_hash.h"

static apr_hash_t *seen_agents;
static apr_pool_t *agents_pool;

static int agents_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                              apr_pool_t *ptemp, server_rec *s)
{
    agents_pool = pconf;
    seen_agents = apr_hash_make(pconf);
    return OK;
}

static int agents_log(request_rec *r)
{
    const char *ua = apr_table_get(r->headers_in, "User-Agent");

    if (ua && !apr_hash_get(seen_agents, ua, APR_HASH_KEY_STRING)) /* expect: global-race(seen_agents) */
        apr_hash_set(seen_agents, "seen", APR_HASH_KEY_STRING, "1"); /* expect: global-race(seen_agents) */
    return DECLINED;
}

static void agents_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(agents_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(agents_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA agents_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    agents_register_hooks
};
