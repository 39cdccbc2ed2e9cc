/*
 * Negative: an address-taken function is stored in a pointer of a type that
 * is only ever called at config time (post_config). The request-time
 * indirect call has a different function type, so it cannot reach it.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

typedef void (*init_fn)(server_rec *s);
typedef const char *(*fmt_fn)(request_rec *r);

static int inits_done;

static void init_counters(server_rec *s)
{
    inits_done++;
}

static const char *fmt_plain(request_rec *r)
{
    return "plain";
}

static init_fn initializers[] = {init_counters};
static fmt_fn formatter = fmt_plain;

static int fp_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    size_t i;

    for (i = 0; i < sizeof(initializers) / sizeof(initializers[0]); i++)
        initializers[i](s);
    return OK;
}

static int fp_fixups(request_rec *r)
{
    apr_table_setn(r->notes, "fmt", formatter(r));
    apr_table_setn(r->notes, "inits", inits_done ? "yes" : "no");
    return DECLINED;
}

static void fp_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(fp_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(fp_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA fp_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    fp_register_hooks
};
