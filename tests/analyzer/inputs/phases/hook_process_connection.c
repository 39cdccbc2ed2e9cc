/*
 * A protocol module's process_connection hook: concurrent, one call per
 * connection per thread.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_connection.h"
#include "http_log.h"
#include "apr_strings.h"

static const char *last_client;

static int procc_process_connection(conn_rec *c)
{
    last_client = c->client_ip; /* expect: global-race(last_client) */
    return DECLINED;
}

static void procc_register_hooks(apr_pool_t *p)
{
    ap_hook_process_connection(procc_process_connection, NULL, NULL, APR_HOOK_FIRST);
}

module AP_MODULE_DECLARE_DATA procc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    procc_register_hooks
};
