/*
 * merge_dir_config runs at request time and must build a new object: this
 * one writes into its unmerged inputs (base, add), which are the shared
 * config-time objects.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

struct md_dir {
    int merges;
    const char *name;
};

static void *md_create_dir(apr_pool_t *p, char *dir)
{
    struct md_dir *d = apr_pcalloc(p, sizeof(*d));
    d->name = dir;
    return d;
}

static void *md_merge_dir(apr_pool_t *p, void *basev, void *addv)
{
    struct md_dir *base = basev, *add = addv;

    base->merges++; /* expect: config-mutation */
    if (!add->name)
        add->name = base->name; /* expect: config-mutation */
    return add;
}

static void md_register_hooks(apr_pool_t *p)
{
}

module AP_MODULE_DECLARE_DATA md_module = {
    STANDARD20_MODULE_STUFF,
    md_create_dir,
    md_merge_dir,
    NULL, NULL, NULL,
    md_register_hooks
};
