/*
 * The less common request- and connection-time hooks: each runs in the
 * thread serving the request or connection, concurrently, so each plain
 * counter write races.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_connection.h"
#include "http_log.h"
#include "apr_strings.h"

static long n_pre_read, n_create, n_perdir, n_stat, n_htaccess;
static long n_authfail, n_errfilter, n_port, n_scheme, n_close;

static void misc_pre_read_request(request_rec *r, conn_rec *c)
{
    n_pre_read++; /* expect: global-race(n_pre_read) */
}

static int misc_create_request(request_rec *r)
{
    n_create++; /* expect: global-race(n_create) */
    return OK;
}

static int misc_post_perdir_config(request_rec *r)
{
    n_perdir++; /* expect: global-race(n_perdir) */
    return OK;
}

static apr_status_t misc_dirwalk_stat(apr_finfo_t *finfo, request_rec *r,
                                      apr_int32_t wanted)
{
    n_stat++; /* expect: global-race(n_stat) */
    return AP_DECLINED;
}

static apr_status_t misc_open_htaccess(request_rec *r, const char *dir_name,
                                       const char *access_name,
                                       ap_configfile_t **conffile,
                                       const char **full_name)
{
    n_htaccess++; /* expect: global-race(n_htaccess) */
    return AP_DECLINED;
}

static int misc_note_auth_failure(request_rec *r, const char *auth_type)
{
    n_authfail++; /* expect: global-race(n_authfail) */
    return DECLINED;
}

static void misc_insert_error_filter(request_rec *r)
{
    n_errfilter++; /* expect: global-race(n_errfilter) */
}

static apr_port_t misc_default_port(const request_rec *r)
{
    n_port++; /* expect: global-race(n_port) */
    return 0;
}

static const char *misc_http_scheme(const request_rec *r)
{
    n_scheme++; /* expect: global-race(n_scheme) */
    return NULL;
}

static int misc_pre_close_connection(conn_rec *c)
{
    n_close++; /* expect: global-race(n_close) */
    return OK;
}

static void misc_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_read_request(misc_pre_read_request, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_create_request(misc_create_request, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_perdir_config(misc_post_perdir_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_dirwalk_stat(misc_dirwalk_stat, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_open_htaccess(misc_open_htaccess, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_note_auth_failure(misc_note_auth_failure, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_insert_error_filter(misc_insert_error_filter, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_default_port(misc_default_port, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_http_scheme(misc_http_scheme, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_pre_close_connection(misc_pre_close_connection, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA misc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    misc_register_hooks
};
