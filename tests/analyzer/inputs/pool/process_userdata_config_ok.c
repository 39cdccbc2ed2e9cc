/*
 * Negative: the classic "skip the first post_config" idiom keeps a flag in
 * s->process->pool's userdata. It runs at config time only: no shared-pool
 * finding, no race.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int ud_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    void *data = NULL;
    const char *key = "ud_post_config";

    apr_pool_userdata_get(&data, key, s->process->pool);
    if (!data) {
        apr_pool_userdata_set((const void *)1, key, apr_pool_cleanup_null,
                              s->process->pool);
        return OK;
    }
    (void)apr_pstrdup(s->process->pool, "second pass");
    return OK;
}

static void ud_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(ud_post_config, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ud_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    ud_register_hooks
};
