/*
 * Negative: per-connection state kept in c->conn_config (set in
 * pre_connection, updated per request): one connection is served by one
 * thread at a time, so it is not shared config.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "http_connection.h"

module AP_MODULE_DECLARE_DATA cc_module;

struct cc_state {
    int requests_on_conn;
    const char *last_uri;
};

static int cc_pre_connection(conn_rec *c, void *csd)
{
    struct cc_state *st = apr_pcalloc(c->pool, sizeof(*st));
    ap_set_module_config(c->conn_config, &cc_module, st);
    return OK;
}

static int cc_fixups(request_rec *r)
{
    struct cc_state *st = ap_get_module_config(r->connection->conn_config, &cc_module);

    if (!st)
        return DECLINED;
    st->requests_on_conn++;
    st->last_uri = apr_pstrdup(r->connection->pool, r->uri);
    apr_table_setn(r->notes, "keepalive-n", apr_itoa(r->pool, st->requests_on_conn));
    return DECLINED;
}

static void cc_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_connection(cc_pre_connection, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(cc_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA cc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    cc_register_hooks
};
