/*
 * mod_breadcrumb.c — breadcrumb trails from nested <Location> sections.
 *
 * Feature: each section names itself with `Breadcrumb "Name"`; nested
 * sections join their names, and the "breadcrumb" handler answers
 *
 *     trail=Docs > API
 *
 * for a URL under <Location /docs> (Breadcrumb Docs) and <Location /docs/api>
 * (Breadcrumb API).
 *
 * Seeded defect (unsafe under threads): breadcrumb_merge() joins the parent's
 * trail and the child's name in a static scratch buffer, `trail_buf`, and
 * points the merged config at it. httpd merges per-directory configs while
 * serving each request (the location walk), so concurrent requests rewrite
 * the buffer that other requests' merged configs point to.
 * Client-observable: a page under /docs/api shows the trail of a page under
 * /shop/cart (or a mix of both). Fix: apr_pstrcat(p, ...) into the merge pool.
 *
 *     <Location /docs>
 *         Breadcrumb Docs
 *         SetHandler breadcrumb
 *     </Location>
 *     <Location /docs/api>
 *         Breadcrumb API
 *     </Location>
 *     ... and the same for /shop (Shop) and /shop/cart (Cart)
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA breadcrumb_module;

struct breadcrumb_conf {
    const char *name;  /* this section's Breadcrumb */
    const char *trail; /* names from the outermost section down */
};

/* Scratch space for joining trails in breadcrumb_merge(). */
static char trail_buf[256];

static void *breadcrumb_create_dir(apr_pool_t *p, char *dir)
{
    return apr_pcalloc(p, sizeof(struct breadcrumb_conf));
}

static void *breadcrumb_merge(apr_pool_t *p, void *basev, void *addv)
{
    struct breadcrumb_conf *base = basev, *add = addv;
    struct breadcrumb_conf *conf = apr_pcalloc(p, sizeof(*conf));

    conf->name = add->name ? add->name : base->name;
    if (add->trail == NULL) {
        conf->trail = base->trail;
    } else if (base->trail == NULL) {
        conf->trail = add->trail;
    } else {
        apr_snprintf(trail_buf, sizeof(trail_buf), "%s > %s", base->trail,
                     add->trail);
        conf->trail = trail_buf;
    }
    return conf;
}

static const char *breadcrumb_set_name(cmd_parms *cmd, void *dconf,
                                       const char *name)
{
    struct breadcrumb_conf *conf = dconf;

    conf->name = name;
    conf->trail = name;
    return NULL;
}

static int breadcrumb_handler(request_rec *r)
{
    const struct breadcrumb_conf *conf =
        ap_get_module_config(r->per_dir_config, &breadcrumb_module);

    if (strcmp(r->handler, "breadcrumb") != 0) {
        return DECLINED;
    }
    ap_set_content_type(r, "text/plain");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_rprintf(r, "trail=%s\n", conf->trail ? conf->trail : "");
    return OK;
}

static const command_rec breadcrumb_cmds[] = {
    AP_INIT_TAKE1("Breadcrumb", breadcrumb_set_name, NULL, ACCESS_CONF,
                  "this section's name in the breadcrumb trail"),
    {NULL}};

static void breadcrumb_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(breadcrumb_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(breadcrumb) = {
    STANDARD20_MODULE_STUFF,
    breadcrumb_create_dir,    /* create per-dir config */
    breadcrumb_merge,         /* merge per-dir config */
    NULL,                     /* create per-server config */
    NULL,                     /* merge per-server config */
    breadcrumb_cmds,          /* command table */
    breadcrumb_register_hooks /* register hooks */
};
