/*
 * A table inside the per-directory config (built at config time by a
 * directive) modified at request time with apr_table_set / apr_table_unset:
 * the table is shared by every request in that directory.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA dt_module;

struct dt_dir {
    apr_table_t *extra_headers;
};

static void *dt_create_dir(apr_pool_t *p, char *dir)
{
    struct dt_dir *d = apr_pcalloc(p, sizeof(*d));
    d->extra_headers = apr_table_make(p, 4);
    return d;
}

static const char *cmd_hdr(cmd_parms *cmd, void *mconfig, const char *k,
                           const char *v)
{
    struct dt_dir *d = mconfig;
    apr_table_set(d->extra_headers, k, v);
    return NULL;
}

static int dt_fixups(request_rec *r)
{
    struct dt_dir *d = ap_get_module_config(r->per_dir_config, &dt_module);

    apr_table_set(d->extra_headers, "X-Last-Uri", r->uri); /* expect: config-mutation */
    if (r->args)
        apr_table_unset(d->extra_headers, "X-Debug"); /* expect: config-mutation */
    apr_table_overlap(r->headers_out, d->extra_headers, APR_OVERLAP_TABLES_SET);
    return DECLINED;
}

static const command_rec dt_cmds[] = {
    AP_INIT_TAKE2("DtHeader", cmd_hdr, NULL, OR_FILEINFO, "header value"),
    {NULL}
};

static void dt_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(dt_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA dt_module = {
    STANDARD20_MODULE_STUFF,
    dt_create_dir,
    NULL, NULL, NULL,
    dt_cmds,
    dt_register_hooks
};
