/*
 * pre_connection runs for every accepted connection in its worker thread:
 * concurrent with other connections.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_connection.h"
#include "http_log.h"
#include "apr_strings.h"

static unsigned long connections;

static int pc_pre_connection(conn_rec *c, void *csd)
{
    connections++; /* expect: global-race(connections) */
    apr_table_setn(c->notes, "conn-seq",
                   apr_psprintf(c->pool, "%lu", connections)); /* expect: global-race(connections) */
    return OK;
}

static void pc_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_connection(pc_pre_connection, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA pc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    pc_register_hooks
};
