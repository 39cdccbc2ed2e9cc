/*
 * create_connection runs in the listener/worker thread for every accepted
 * socket: concurrent.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_connection.h"
#include "http_log.h"
#include "apr_strings.h"

static long next_conn_id;

static conn_rec *cc_create_connection(apr_pool_t *p, server_rec *server,
                                      apr_socket_t *csd, long conn_id,
                                      void *sbh, apr_bucket_alloc_t *alloc)
{
    next_conn_id = conn_id + 1; /* expect: global-race(next_conn_id) */
    return NULL;
}

static void cc_register_hooks(apr_pool_t *p)
{
    ap_hook_create_connection(cc_create_connection, NULL, NULL, APR_HOOK_REALLY_FIRST);
}

module AP_MODULE_DECLARE_DATA cc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    cc_register_hooks
};
