/*
 * The per-directory config returned by ap_get_module_config(r->per_dir_config)
 * is often the very object built at config time (httpd merges only when
 * several sections apply, and caches merges), shared by all threads:
 * writing it at request time is a race.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA dw_module;

struct dw_dir {
    int hits;
    const char *last_user;
};

static void *dw_create_dir(apr_pool_t *p, char *dir)
{
    return apr_pcalloc(p, sizeof(struct dw_dir));
}

static int dw_fixups(request_rec *r)
{
    struct dw_dir *d = ap_get_module_config(r->per_dir_config, &dw_module);

    d->hits++; /* expect: config-mutation */
    if (r->user)
        d->last_user = r->user; /* expect: config-mutation */
    return DECLINED;
}

static void dw_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(dw_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA dw_module = {
    STANDARD20_MODULE_STUFF,
    dw_create_dir,
    NULL,
    NULL,
    NULL,
    NULL,
    dw_register_hooks
};
