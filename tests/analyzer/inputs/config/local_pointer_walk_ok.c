/*
 * Locals that point into the config are moved around at request time:
 * `node = node->next`, `p++`, a parameter reassigned inside a helper the
 * config is passed to. Storing into the local pointer writes nothing
 * shared; only a store THROUGH it would (none here).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA lw_module;

struct lw_rule {
    const char *prefix;
    struct lw_rule *next;
};

struct lw_conf {
    struct lw_rule *rules;
    const char *banner;
};

static void *lw_create_dir(apr_pool_t *p, char *dir)
{
    return apr_pcalloc(p, sizeof(struct lw_conf));
}

/* the parameter itself is advanced: a local copy of the caller's pointer */
static int lw_count(struct lw_rule *rule)
{
    int n = 0;
    while (rule) {
        n++;
        rule = rule->next;
    }
    return n;
}

static int lw_spaces(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == ' ';
    return n;
}

static int lw_fixups(request_rec *r)
{
    struct lw_conf *conf = ap_get_module_config(r->per_dir_config, &lw_module);
    struct lw_rule *node = conf->rules;
    const char *p = conf->banner;
    while (node && strncmp(r->uri, node->prefix, strlen(node->prefix)))
        node = node->next;
    while (p && *p == ' ')
        p++;
    if (p)
        --p;
    node = NULL;
    apr_table_setn(r->notes, "lw-rules",
                   apr_itoa(r->pool, lw_count(conf->rules) +
                                         lw_spaces(conf->banner)));
    return node ? OK : DECLINED;
}

static void lw_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(lw_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lw_module = {
    STANDARD20_MODULE_STUFF,
    lw_create_dir, NULL,
    NULL, NULL, NULL,
    lw_register_hooks
};
