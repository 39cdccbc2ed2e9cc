/*
 * Negative: a global hash filled at post_config and only looked up at
 * request time (apr_hash_get does not modify the table).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_hash.h"

static apr_hash_t *redirects;

static int redir_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                             apr_pool_t *ptemp, server_rec *s)
{
    redirects = apr_hash_make(pconf);
    apr_hash_set(redirects, "/old", APR_HASH_KEY_STRING, "/new");
    apr_hash_set(redirects, "/legacy", APR_HASH_KEY_STRING, "/");
    return OK;
}

static int redir_translate(request_rec *r)
{
    const char *to = apr_hash_get(redirects, r->uri, APR_HASH_KEY_STRING);

    if (!to)
        return DECLINED;
    apr_table_setn(r->headers_out, "Location", to);
    return HTTP_MOVED_PERMANENTLY;
}

static void redir_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(redir_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_translate_name(redir_translate, NULL, NULL, APR_HOOK_FIRST);
}

module AP_MODULE_DECLARE_DATA redir_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    redir_register_hooks
};
