/*
 * Negative: per-request state goes into a request-pool copy of the config
 * or into r->request_config, never into the shared config.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA pr_module;

struct pr_dir {
    int limit;
    const char *tag;
};

struct pr_req {
    int used;
};

static void *pr_create_dir(apr_pool_t *p, char *dir)
{
    struct pr_dir *d = apr_pcalloc(p, sizeof(*d));
    d->limit = 10;
    return d;
}

static int pr_fixups(request_rec *r)
{
    const struct pr_dir *d = ap_get_module_config(r->per_dir_config, &pr_module);
    struct pr_dir *mine = apr_pmemdup(r->pool, d, sizeof(*d));
    struct pr_req *rq = apr_pcalloc(r->pool, sizeof(*rq));

    mine->limit = d->limit * 2;
    mine->tag = r->uri;
    rq->used = mine->limit;
    ap_set_module_config(r->request_config, &pr_module, rq);
    return DECLINED;
}

static void pr_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(pr_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA pr_module = {
    STANDARD20_MODULE_STUFF,
    pr_create_dir,
    NULL,
    NULL,
    NULL,
    NULL,
    pr_register_hooks
};
