/*
 * A cleanup on the connection pool (c->pool), registered from
 * pre_connection: it runs when the connection closes, concurrently.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "http_connection.h"

static int live_connections;

static apr_status_t conn_gone(void *data)
{
    live_connections--; /* expect: global-race(live_connections) */
    return APR_SUCCESS;
}

static int live_pre_connection(conn_rec *c, void *csd)
{
    live_connections++; /* expect: global-race(live_connections) */
    apr_pool_cleanup_register(c->pool, c, conn_gone, apr_pool_cleanup_null);
    return OK;
}

static void live_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_connection(live_pre_connection, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA live_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    live_register_hooks
};
