/*
 * create_dir_config and merge_dir_config run at request time too (for
 * .htaccess files and per-request merges), concurrently in worker threads:
 * globals they write race. create_server_config and merge_server_config
 * are config time only: their writes are fine.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

struct slots_dir {
    int depth;
};

static int dirs_created;
static int dirs_merged;
static int servers_created;
static int servers_merged;

static void *slots_create_dir(apr_pool_t *p, char *dir)
{
    struct slots_dir *d = apr_pcalloc(p, sizeof(*d));

    dirs_created++; /* expect: global-race(dirs_created) */
    return d;
}

static void *slots_merge_dir(apr_pool_t *p, void *basev, void *addv)
{
    struct slots_dir *base = basev, *add = addv;
    struct slots_dir *d = apr_pcalloc(p, sizeof(*d));

    d->depth = base->depth + add->depth;
    dirs_merged++; /* expect: global-race(dirs_merged) */
    return d;
}

static void *slots_create_server(apr_pool_t *p, server_rec *s)
{
    servers_created++;
    return apr_pcalloc(p, sizeof(struct slots_dir));
}

static void *slots_merge_server(apr_pool_t *p, void *basev, void *addv)
{
    servers_merged++;
    return addv;
}

static int slots_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "slots") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%d %d\n", servers_created, servers_merged);
    return OK;
}

static void slots_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(slots_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA slots_module = {
    STANDARD20_MODULE_STUFF,
    slots_create_dir,
    slots_merge_dir,
    slots_create_server,
    slots_merge_server,
    NULL,
    slots_register_hooks
};
