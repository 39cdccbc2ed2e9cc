/*
 * hooks.c - every hook httpd 2.4 declares, implemented with APR-util's hook
 * machinery exactly as httpd does (ap_hook_NAME registers with predecessor,
 * successor and order; apr_hook_sort_all() orders them after register_hooks;
 * ap_run_NAME runs them with RUN_FIRST / RUN_ALL / VOID semantics).
 *
 * The APR hook probes are enabled here: every hook boundary (entry of a run,
 * each hook function invoked, each return) is a schedule perturbation point,
 * and the thread records which hook and module it is in, for diagnostics.
 */
#include <stddef.h> /* before APR: APR_OFFSETOF uses offsetof */

#define APR_HOOK_PROBES_ENABLED 1 /* see ap_hook_probes.h */

#include "perturb.h"

/* The hook and module the current thread is running (diagnostics only). */
_Thread_local const char *mc__stub_hook_name;
_Thread_local const char *mc__stub_hook_module;

#include "ap_config.h"
#include "ap_expr.h"
#include "ap_mpm.h"
#include "http_config.h"
#include "http_connection.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_ssl.h"
#include "httpd.h"
#include "mpm_common.h"
#include "scoreboard.h"
#include "unixd.h"

APR_HOOK_STRUCT(
    APR_HOOK_LINK(header_parser) APR_HOOK_LINK(pre_config) APR_HOOK_LINK(check_config) APR_HOOK_LINK(
        test_config) APR_HOOK_LINK(post_config) APR_HOOK_LINK(open_logs) APR_HOOK_LINK(child_init)
        APR_HOOK_LINK(handler) APR_HOOK_LINK(quick_handler) APR_HOOK_LINK(optional_fn_retrieve) APR_HOOK_LINK(
            open_htaccess) APR_HOOK_LINK(create_connection) APR_HOOK_LINK(pre_connection)
            APR_HOOK_LINK(process_connection) APR_HOOK_LINK(pre_close_connection) APR_HOOK_LINK(
                insert_network_bucket) APR_HOOK_LINK(get_mgmt_items) APR_HOOK_LINK(get_pollfd_from_conn)
                APR_HOOK_LINK(insert_error_filter) APR_HOOK_LINK(note_auth_failure) APR_HOOK_LINK(
                    pre_read_request) APR_HOOK_LINK(post_read_request) APR_HOOK_LINK(log_transaction)
                    APR_HOOK_LINK(http_scheme) APR_HOOK_LINK(default_port) APR_HOOK_LINK(
                        protocol_propose) APR_HOOK_LINK(protocol_switch) APR_HOOK_LINK(protocol_get)
                        APR_HOOK_LINK(create_request) APR_HOOK_LINK(pre_translate_name) APR_HOOK_LINK(
                            translate_name) APR_HOOK_LINK(map_to_storage) APR_HOOK_LINK(check_user_id)
                            APR_HOOK_LINK(fixups) APR_HOOK_LINK(type_checker) APR_HOOK_LINK(
                                access_checker) APR_HOOK_LINK(access_checker_ex)
                                APR_HOOK_LINK(auth_checker) APR_HOOK_LINK(insert_filter) APR_HOOK_LINK(
                                    post_perdir_config) APR_HOOK_LINK(force_authn)
                                    APR_HOOK_LINK(dirwalk_stat) APR_HOOK_LINK(
                                        ssl_conn_is_ssl) APR_HOOK_LINK(ssl_bind_outgoing)
                                        APR_HOOK_LINK(ssl_var_lookup) APR_HOOK_LINK(
                                            ssl_add_cert_files) APR_HOOK_LINK(ssl_add_fallback_cert_files)
                                            APR_HOOK_LINK(ssl_answer_challenge) APR_HOOK_LINK(
                                                ssl_ocsp_prime_hook) APR_HOOK_LINK(ssl_ocsp_get_resp_hook)
                                                APR_HOOK_LINK(monitor) APR_HOOK_LINK(
                                                    drop_privileges) APR_HOOK_LINK(mpm_query)
                                                    APR_HOOK_LINK(mpm_register_timed_callback) APR_HOOK_LINK(
                                                        mpm_get_name) APR_HOOK_LINK(suspend_connection)
                                                        APR_HOOK_LINK(resume_connection) APR_HOOK_LINK(
                                                            child_stopping)
                                                            APR_HOOK_LINK(mpm) APR_HOOK_LINK(
                                                                child_status)
                                                                APR_HOOK_LINK(
                                                                    end_generation)
                                                                    APR_HOOK_LINK(
                                                                        pre_mpm)
                                                                        APR_HOOK_LINK(
                                                                            get_suexec_identity)
                                                                            APR_HOOK_LINK(
                                                                                expr_lookup))

/* http_config.h */
AP_IMPLEMENT_HOOK_RUN_ALL(int, header_parser, (request_rec * r), (r), OK,
                          DECLINED)
AP_IMPLEMENT_HOOK_RUN_ALL(int, pre_config,
                          (apr_pool_t * pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp),
                          (pconf, plog, ptemp), OK, DECLINED)
AP_IMPLEMENT_HOOK_RUN_ALL(int, check_config,
                          (apr_pool_t * pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s),
                          (pconf, plog, ptemp, s), OK, DECLINED)
AP_IMPLEMENT_HOOK_VOID(test_config, (apr_pool_t * pconf, server_rec *s),
                       (pconf, s))
AP_IMPLEMENT_HOOK_RUN_ALL(int, post_config,
                          (apr_pool_t * pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s),
                          (pconf, plog, ptemp, s), OK, DECLINED)
AP_IMPLEMENT_HOOK_RUN_ALL(int, open_logs,
                          (apr_pool_t * pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s),
                          (pconf, plog, ptemp, s), OK, DECLINED)
AP_IMPLEMENT_HOOK_VOID(child_init, (apr_pool_t * pchild, server_rec *s),
                       (pchild, s))
AP_IMPLEMENT_HOOK_RUN_FIRST(int, handler, (request_rec * r), (r), DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, quick_handler,
                            (request_rec * r, int lookup_uri), (r, lookup_uri),
                            DECLINED)
AP_IMPLEMENT_HOOK_VOID(optional_fn_retrieve, (void), ())
AP_IMPLEMENT_HOOK_RUN_FIRST(
    apr_status_t, open_htaccess,
    (request_rec * r, const char *dir_name, const char *access_name,
     ap_configfile_t **conffile, const char **full_name),
    (r, dir_name, access_name, conffile, full_name), AP_DECLINED)

/* http_connection.h */
AP_IMPLEMENT_HOOK_RUN_FIRST(conn_rec *, create_connection,
                            (apr_pool_t * p, server_rec *server,
                             apr_socket_t *csd, long conn_id, void *sbh,
                             apr_bucket_alloc_t *alloc),
                            (p, server, csd, conn_id, sbh, alloc), NULL)
AP_IMPLEMENT_HOOK_RUN_ALL(int, pre_connection, (conn_rec * c, void *csd),
                          (c, csd), OK, DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, process_connection, (conn_rec * c), (c),
                            DECLINED)
AP_IMPLEMENT_HOOK_RUN_ALL(int, pre_close_connection, (conn_rec * c), (c), OK,
                          DECLINED)

/* http_core.h */
AP_IMPLEMENT_HOOK_RUN_FIRST(apr_status_t, insert_network_bucket,
                            (conn_rec * c, apr_bucket_brigade *bb,
                             apr_socket_t *socket),
                            (c, bb, socket), AP_DECLINED)
AP_IMPLEMENT_HOOK_RUN_ALL(int, get_mgmt_items,
                          (apr_pool_t * p, const char *val, apr_hash_t *ht),
                          (p, val, ht), OK, DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(apr_status_t, get_pollfd_from_conn,
                            (conn_rec * c, struct apr_pollfd_t *pfd,
                             apr_interval_time_t *ptimeout),
                            (c, pfd, ptimeout), APR_ENOTIMPL)

/* http_log.h: error_log and generate_log_id live in api/log.c */

/* http_protocol.h */
AP_IMPLEMENT_HOOK_VOID(insert_error_filter, (request_rec * r), (r))
AP_IMPLEMENT_HOOK_RUN_FIRST(int, note_auth_failure,
                            (request_rec * r, const char *auth_type),
                            (r, auth_type), DECLINED)
AP_IMPLEMENT_HOOK_VOID(pre_read_request, (request_rec * r, conn_rec *c), (r, c))
AP_IMPLEMENT_HOOK_RUN_ALL(int, post_read_request, (request_rec * r), (r), OK,
                          DECLINED)
AP_IMPLEMENT_HOOK_RUN_ALL(int, log_transaction, (request_rec * r), (r), OK,
                          DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(const char *, http_scheme, (const request_rec *r),
                            (r), NULL)
AP_IMPLEMENT_HOOK_RUN_FIRST(apr_port_t, default_port, (const request_rec *r),
                            (r), 0)
AP_IMPLEMENT_HOOK_RUN_ALL(int, protocol_propose,
                          (conn_rec * c, request_rec *r, server_rec *s,
                           const apr_array_header_t *offers,
                           apr_array_header_t *proposals),
                          (c, r, s, offers, proposals), OK, DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, protocol_switch,
                            (conn_rec * c, request_rec *r, server_rec *s,
                             const char *protocol),
                            (c, r, s, protocol), DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(const char *, protocol_get, (const conn_rec *c),
                            (c), NULL)

/* http_request.h */
AP_IMPLEMENT_HOOK_RUN_ALL(int, create_request, (request_rec * r), (r), OK,
                          DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, pre_translate_name, (request_rec * r), (r),
                            DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, translate_name, (request_rec * r), (r),
                            DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, map_to_storage, (request_rec * r), (r),
                            DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, check_user_id, (request_rec * r), (r),
                            DECLINED)
AP_IMPLEMENT_HOOK_RUN_ALL(int, fixups, (request_rec * r), (r), OK, DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, type_checker, (request_rec * r), (r), DECLINED)
AP_IMPLEMENT_HOOK_RUN_ALL(int, access_checker, (request_rec * r), (r), OK,
                          DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, access_checker_ex, (request_rec * r), (r),
                            DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, auth_checker, (request_rec * r), (r), DECLINED)
AP_IMPLEMENT_HOOK_VOID(insert_filter, (request_rec * r), (r))
AP_IMPLEMENT_HOOK_RUN_ALL(int, post_perdir_config, (request_rec * r), (r), OK,
                          DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, force_authn, (request_rec * r), (r), DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(apr_status_t, dirwalk_stat,
                            (apr_finfo_t * finfo, request_rec *r,
                             apr_int32_t wanted),
                            (finfo, r, wanted), AP_DECLINED)

/* http_ssl.h */
AP_IMPLEMENT_HOOK_RUN_FIRST(int, ssl_conn_is_ssl, (conn_rec * c), (c), DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, ssl_bind_outgoing,
                            (conn_rec * c, struct ap_conf_vector_t *dir_conf,
                             int enable_ssl),
                            (c, dir_conf, enable_ssl), DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(const char *, ssl_var_lookup,
                            (apr_pool_t * p, server_rec *s, conn_rec *c,
                             request_rec *r, const char *name),
                            (p, s, c, r, name), NULL)
AP_IMPLEMENT_HOOK_RUN_ALL(int, ssl_add_cert_files,
                          (server_rec * s, apr_pool_t *p,
                           apr_array_header_t *cert_files,
                           apr_array_header_t *key_files),
                          (s, p, cert_files, key_files), OK, DECLINED)
AP_IMPLEMENT_HOOK_RUN_ALL(int, ssl_add_fallback_cert_files,
                          (server_rec * s, apr_pool_t *p,
                           apr_array_header_t *cert_files,
                           apr_array_header_t *key_files),
                          (s, p, cert_files, key_files), OK, DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, ssl_answer_challenge,
                            (conn_rec * c, const char *server_name,
                             const char **pcert_pem, const char **pkey_pem),
                            (c, server_name, pcert_pem, pkey_pem), DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, ssl_ocsp_prime_hook,
                            (server_rec * s, apr_pool_t *p, const char *id,
                             apr_size_t id_len, const char *pem),
                            (s, p, id, id_len, pem), DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, ssl_ocsp_get_resp_hook,
                            (server_rec * s, conn_rec *c, const char *id,
                             apr_size_t id_len, ap_ssl_ocsp_copy_resp *cb,
                             void *userdata),
                            (s, c, id, id_len, cb, userdata), DECLINED)

/* mpm_common.h */
AP_IMPLEMENT_HOOK_RUN_ALL(int, monitor, (apr_pool_t * p, server_rec *s), (p, s),
                          OK, DECLINED)
AP_IMPLEMENT_HOOK_RUN_ALL(int, drop_privileges,
                          (apr_pool_t * pchild, server_rec *s), (pchild, s), OK,
                          DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(int, mpm_query,
                            (int query_code, int *result, apr_status_t *_rv),
                            (query_code, result, _rv), DECLINED)
AP_IMPLEMENT_HOOK_RUN_FIRST(apr_status_t, mpm_register_timed_callback,
                            (apr_time_t t, ap_mpm_callback_fn_t *cbfn,
                             void *baton),
                            (t, cbfn, baton), APR_ENOTIMPL)
AP_IMPLEMENT_HOOK_RUN_FIRST(const char *, mpm_get_name, (void), (), NULL)
AP_IMPLEMENT_HOOK_VOID(suspend_connection, (conn_rec * c, request_rec *r),
                       (c, r))
AP_IMPLEMENT_HOOK_VOID(resume_connection, (conn_rec * c, request_rec *r),
                       (c, r))
AP_IMPLEMENT_HOOK_VOID(child_stopping, (apr_pool_t * pchild, int graceful),
                       (pchild, graceful))

/* ap_mpm.h */
AP_IMPLEMENT_HOOK_RUN_FIRST(int, mpm,
                            (apr_pool_t * pconf, apr_pool_t *plog,
                             server_rec *server_conf),
                            (pconf, plog, server_conf), DECLINED)
AP_IMPLEMENT_HOOK_VOID(child_status,
                       (server_rec * s, pid_t pid, ap_generation_t gen,
                        int slot, mpm_child_status state),
                       (s, pid, gen, slot, state))
AP_IMPLEMENT_HOOK_VOID(end_generation, (server_rec * s, ap_generation_t gen),
                       (s, gen))

/* scoreboard.h */
AP_IMPLEMENT_HOOK_RUN_ALL(int, pre_mpm,
                          (apr_pool_t * p, ap_scoreboard_e sb_type),
                          (p, sb_type), OK, DECLINED)

/* unixd.h */
AP_IMPLEMENT_HOOK_RUN_FIRST(ap_unix_identity_t *, get_suexec_identity,
                            (const request_rec *r), (r), NULL)

/* ap_expr.h */
AP_IMPLEMENT_HOOK_RUN_FIRST(int, expr_lookup, (ap_expr_lookup_parms * parms),
                            (parms), DECLINED)

/*
 * httpd 2.4's typed auth hooks: ap_hook_check_authn() and friends register on
 * check_user_id / auth_checker / access_checker(_ex). `type` says whether the
 * hook must run again for sub-requests with the same per-dir config
 * (AP_AUTH_INTERNAL_PER_URI) or not (AP_AUTH_INTERNAL_PER_CONF).
 */
static int auth_internal_per_conf_hooks; /* config phase only */

static void note_auth_type(int type)
{
    if (type & AP_AUTH_INTERNAL_PER_CONF)
        ++auth_internal_per_conf_hooks;
}

AP_DECLARE(void) ap_clear_auth_internal(void)
{
    auth_internal_per_conf_hooks = 0;
}

AP_DECLARE(void) ap_setup_auth_internal(apr_pool_t *ptemp)
{
    (void)ptemp;
}

int mc__auth_internal_per_conf(void);
int mc__auth_internal_per_conf(void)
{
    return auth_internal_per_conf_hooks > 0;
}

AP_DECLARE(void)
ap_hook_check_access(ap_HOOK_access_checker_t *pf, const char *const *aszPre,
                     const char *const *aszSucc, int nOrder, int type)
{
    note_auth_type(type);
    ap_hook_access_checker(pf, aszPre, aszSucc, nOrder);
}

AP_DECLARE(void)
ap_hook_check_access_ex(ap_HOOK_access_checker_ex_t *pf,
                        const char *const *aszPre, const char *const *aszSucc,
                        int nOrder, int type)
{
    note_auth_type(type);
    ap_hook_access_checker_ex(pf, aszPre, aszSucc, nOrder);
}

AP_DECLARE(void)
ap_hook_check_authn(ap_HOOK_check_user_id_t *pf, const char *const *aszPre,
                    const char *const *aszSucc, int nOrder, int type)
{
    note_auth_type(type);
    ap_hook_check_user_id(pf, aszPre, aszSucc, nOrder);
}

AP_DECLARE(void)
ap_hook_check_authz(ap_HOOK_auth_checker_t *pf, const char *const *aszPre,
                    const char *const *aszSucc, int nOrder, int type)
{
    note_auth_type(type);
    ap_hook_auth_checker(pf, aszPre, aszSucc, nOrder);
}
