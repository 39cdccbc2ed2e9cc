/*
 * more.c - further httpd API used by third-party modules: the ap_ssl_*
 * wrappers over their hooks (no SSL in the stub: they answer "not SSL"
 * unless a loaded module says otherwise), Basic credentials, custom responses, interim responses, line
 * reading from the input filters, request notes, retained data, log config
 * vectors, ${VAR} resolution, ETag construction from parts, conditional
 * request helpers, scoreboard handle updates, connection helpers.
 *
 * Request-time functions run on the request's thread; request notes and
 * retained data are registered in the configuration phase (retained data
 * lives for the process, under a mutex since modules may ask at any time).
 */
#include "stub.h"
#include "stub_conn.h"

#include "apr_base64.h"
#include "apr_date.h"
#include "apr_lib.h"
#include "apr_hash.h"
#include "apr_strings.h"
#include "http_ssl.h"
#include "http_vhost.h"
#include "mpm_common.h"
#include "mod_core.h"
#include "util_script.h"
#include "scoreboard.h"
#include "util_filter.h"
#include "util_xml.h"

#include <stdlib.h>
#include <string.h>

/* --- SSL: wrappers over the ssl_* hooks -------------------------------------- */

AP_DECLARE(int) ap_ssl_conn_is_ssl(conn_rec *c)
{
    mc_stub_perturb();
    return ap_run_ssl_conn_is_ssl(c) == OK;
}

AP_DECLARE(const char *)
ap_ssl_var_lookup(apr_pool_t *p, server_rec *s, conn_rec *c, request_rec *r,
                  const char *name)
{
    mc_stub_perturb();
    return ap_run_ssl_var_lookup(p, s, c, r, name);
}

AP_DECLARE(int)
ap_ssl_bind_outgoing(conn_rec *c, struct ap_conf_vector_t *dir_conf,
                     int require_ssl)
{
    int rv = ap_run_ssl_bind_outgoing(c, dir_conf, require_ssl);
    mc_stub_perturb();
    return rv == DECLINED && require_ssl ? DECLINED : rv == OK ? OK : DECLINED;
}

AP_DECLARE(int) ap_ssl_has_outgoing_handlers(void)
{
    apr_array_header_t *h = ap_hook_get_ssl_bind_outgoing();
    return h && h->nelts > 0;
}

AP_DECLARE(apr_status_t)
ap_ssl_add_cert_files(server_rec *s, apr_pool_t *p,
                      apr_array_header_t *cert_files,
                      apr_array_header_t *key_files)
{
    int rv = ap_run_ssl_add_cert_files(s, p, cert_files, key_files);
    return rv == OK || rv == DECLINED ? APR_SUCCESS : APR_EGENERAL;
}

AP_DECLARE(apr_status_t)
ap_ssl_add_fallback_cert_files(server_rec *s, apr_pool_t *p,
                               apr_array_header_t *cert_files,
                               apr_array_header_t *key_files)
{
    int rv = ap_run_ssl_add_fallback_cert_files(s, p, cert_files, key_files);
    return rv == OK || rv == DECLINED ? APR_SUCCESS : APR_EGENERAL;
}

AP_DECLARE(int)
ap_ssl_answer_challenge(conn_rec *c, const char *server_name,
                        const char **pcert_pem, const char **pkey_pem)
{
    return ap_run_ssl_answer_challenge(c, server_name, pcert_pem, pkey_pem) ==
           OK;
}

AP_DECLARE(apr_status_t)
ap_ssl_ocsp_prime(server_rec *s, apr_pool_t *p, const char *id,
                  apr_size_t id_len, const char *pem)
{
    int rv = ap_run_ssl_ocsp_prime_hook(s, p, id, id_len, pem);
    return rv == OK ? APR_SUCCESS : rv == DECLINED ? APR_ENOENT : APR_EGENERAL;
}

AP_DECLARE(apr_status_t)
ap_ssl_ocsp_get_resp(server_rec *s, conn_rec *c, const char *id,
                     apr_size_t id_len, ap_ssl_ocsp_copy_resp *cb,
                     void *userdata)
{
    int rv = ap_run_ssl_ocsp_get_resp_hook(s, c, id, id_len, cb, userdata);
    return rv == OK ? APR_SUCCESS : rv == DECLINED ? APR_ENOENT : APR_EGENERAL;
}

/* --- Basic credentials, custom and interim responses ----------------------- */

AP_DECLARE(apr_status_t)
ap_get_basic_auth_components(const request_rec *r, const char **username,
                             const char **password)
{
    const char *auth = apr_table_get(r->headers_in, "Authorization");
    char *decoded, *colon;
    int len;
    mc_stub_perturb();
    if (!auth || strncasecmp(auth, "Basic", 5))
        return APR_EINVAL;
    auth += 5;
    while (*auth == ' ' || *auth == '\t')
        ++auth;
    decoded = apr_palloc(r->pool, (apr_size_t)apr_base64_decode_len(auth));
    len = apr_base64_decode(decoded, auth);
    decoded[len] = '\0';
    colon = strchr(decoded, ':');
    if (!colon)
        return APR_EINVAL;
    *colon = '\0';
    if (username)
        *username = decoded;
    if (password)
        *password = colon + 1;
    return APR_SUCCESS;
}

AP_DECLARE(void)
ap_custom_response(request_rec *r, int status, const char *string)
{
    core_request_config *rc = ap_get_core_module_config(r->request_config);
    int idx = ap_index_of_response(status);
    mc_stub_perturb();
    if (!rc->response_code_strings)
        rc->response_code_strings =
            apr_pcalloc(r->pool, sizeof(char *) * RESPONSE_CODES);
    if (idx >= 0 && idx < RESPONSE_CODES)
        rc->response_code_strings[idx] =
            (!strncmp(string, "http", 4) || string[0] == '/')
                ? apr_pstrdup(r->pool, string)
                : apr_pstrcat(r->pool, "\"", string, NULL);
}

static int send_header_line(void *data, const char *key, const char *val)
{
    apr_bucket_brigade *bb = data;
    apr_brigade_puts(bb, NULL, NULL, key);
    apr_brigade_puts(bb, NULL, NULL, ": ");
    apr_brigade_puts(bb, NULL, NULL, val);
    apr_brigade_puts(bb, NULL, NULL, "\r\n");
    return 1;
}

AP_DECLARE(void) ap_send_interim_response(request_rec *r, int send_headers)
{
    apr_bucket_brigade *bb;
    mc_stub_perturb();
    if (r->proto_num < HTTP_VERSION(1, 1) || r->status < 100 ||
        r->status >= 200)
        return;
    if (r->status == HTTP_CONTINUE) {
        if (!r->expecting_100)
            return;
        r->expecting_100 = 0;
    }
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    apr_brigade_puts(bb, NULL, NULL, AP_SERVER_PROTOCOL " ");
    apr_brigade_puts(bb, NULL, NULL, ap_get_status_line(r->status));
    apr_brigade_puts(bb, NULL, NULL, "\r\n");
    if (send_headers)
        apr_table_do(send_header_line, bb, r->headers_out, NULL);
    apr_brigade_puts(bb, NULL, NULL, "\r\n");
    APR_BRIGADE_INSERT_TAIL(
        bb, apr_bucket_flush_create(r->connection->bucket_alloc));
    ap_pass_brigade(r->connection->output_filters, bb);
    apr_brigade_destroy(bb);
}

AP_DECLARE(void) ap_set_accept_ranges(request_rec *r)
{
    mc_stub_perturb();
    apr_table_setn(r->headers_out, "Accept-Ranges", "bytes");
}

/* --- reading lines from the input filters ---------------------------------- */

AP_DECLARE(apr_status_t)
ap_rgetline_core(char **s, apr_size_t n, apr_size_t *read, request_rec *r,
                 int flags, apr_bucket_brigade *bb)
{
    apr_size_t used = 0, len;
    apr_status_t rv;
    char *buf = *s;
    mc_stub_perturb();
    if (!buf) {
        buf = apr_palloc(r->pool, n);
        *s = buf;
    }
    for (;;) {
        rv = ap_get_brigade(r->proto_input_filters, bb, AP_MODE_GETLINE,
                            APR_BLOCK_READ, 0);
        if (rv != APR_SUCCESS)
            break;
        len = n - used - 1;
        rv = apr_brigade_flatten(bb, buf + used, &len);
        apr_brigade_cleanup(bb);
        if (rv != APR_SUCCESS)
            break;
        if (len == 0) {
            rv = APR_EOF;
            break;
        }
        used += len;
        if (buf[used - 1] == '\n')
            break;
        if (used + 1 >= n) {
            rv = APR_ENOSPC;
            break;
        }
    }
    while (used > 0 && (buf[used - 1] == '\n' || buf[used - 1] == '\r'))
        --used;
    (void)flags; /* folding (AP_GETLINE_FOLD) is obsolete HTTP: not joined */
    buf[used] = '\0';
    *read = used;
    return rv;
}

AP_DECLARE(int) ap_getline(char *s, int n, request_rec *r, int flags)
{
    apr_size_t len = 0;
    apr_bucket_brigade *bb =
        apr_brigade_create(r->pool, r->connection->bucket_alloc);
    apr_status_t rv = ap_rgetline_core(&s, (apr_size_t)n, &len, r, flags, bb);
    apr_brigade_destroy(bb);
    if (rv == APR_ENOSPC)
        return n;
    if (rv != APR_SUCCESS)
        return -1;
    return (int)len;
}

AP_DECLARE(void)
ap_get_mime_headers_core(request_rec *r, apr_bucket_brigade *bb)
{
    char *line = NULL;
    apr_size_t len;
    int fields = 0;
    mc_stub_perturb();
    for (;;) {
        char *colon;
        line = NULL;
        if (ap_rgetline_core(&line, (apr_size_t)r->server->limit_req_fieldsize,
                             &len, r, 0, bb) != APR_SUCCESS) {
            r->status = HTTP_BAD_REQUEST;
            return;
        }
        if (len == 0)
            return;
        colon = strchr(line, ':');
        if (!colon || ++fields > r->server->limit_req_fields) {
            r->status = HTTP_BAD_REQUEST;
            return;
        }
        *colon++ = '\0';
        while (*colon == ' ' || *colon == '\t')
            ++colon;
        apr_table_addn(r->headers_in, line, colon);
    }
}

AP_DECLARE(void) ap_get_mime_headers(request_rec *r)
{
    apr_bucket_brigade *bb =
        apr_brigade_create(r->pool, r->connection->bucket_alloc);
    ap_get_mime_headers_core(r, bb);
    apr_brigade_destroy(bb);
}

/* --- request notes, retained data ------------------------------------------ */

static apr_size_t num_request_notes = AP_NUM_STD_NOTES; /* config phase */

AP_DECLARE(apr_size_t) ap_register_request_note(void)
{
    mc_stub_perturb();
    return num_request_notes++;
}

AP_DECLARE(void **) ap_get_request_note(request_rec *r, apr_size_t note_num)
{
    core_request_config *rc = ap_get_core_module_config(r->request_config);
    mc_stub_perturb();
    if (note_num >= num_request_notes)
        return NULL;
    if (!rc->notes)
        rc->notes = apr_pcalloc(r->pool, sizeof(void *) * num_request_notes);
    return &rc->notes[note_num];
}

/* Process-lifetime data surviving configuration passes; the lock guards
 * the table (modules may ask from any phase). */
static apr_hash_t *retained;
static apr_thread_mutex_t *retained_lock;

static void retained_init(void)
{
    if (!retained) {
        retained = apr_hash_make(mc__stub.pglobal);
        apr_thread_mutex_create(&retained_lock, APR_THREAD_MUTEX_DEFAULT,
                                mc__stub.pglobal);
    }
}

AP_DECLARE(void *) ap_retained_data_create(const char *key, apr_size_t size)
{
    void *d;
    mc_stub_perturb();
    retained_init();
    apr_thread_mutex_lock(retained_lock);
    d = apr_pcalloc(mc__stub.pglobal, size);
    apr_hash_set(retained, apr_pstrdup(mc__stub.pglobal, key),
                 APR_HASH_KEY_STRING, d);
    apr_thread_mutex_unlock(retained_lock);
    return d;
}

AP_DECLARE(void *) ap_retained_data_get(const char *key)
{
    void *d;
    mc_stub_perturb();
    retained_init();
    apr_thread_mutex_lock(retained_lock);
    d = apr_hash_get(retained, key, APR_HASH_KEY_STRING);
    apr_thread_mutex_unlock(retained_lock);
    return d;
}

/* --- log config vectors ---------------------------------------------------- */

AP_DECLARE(void) ap_reset_module_loglevels(struct ap_logconf *l, int val)
{
    if (l->module_levels)
        memset(l->module_levels, val, (apr_size_t)DYNAMIC_MODULE_LIMIT + 1);
}

AP_DECLARE(void)
ap_set_module_loglevel(apr_pool_t *p, struct ap_logconf *l, int index,
                       int level)
{
    if (index < 0 || index > DYNAMIC_MODULE_LIMIT)
        return;
    if (!l->module_levels) {
        l->module_levels = apr_palloc(p, DYNAMIC_MODULE_LIMIT + 1);
        ap_reset_module_loglevels(l, -1);
    }
    l->module_levels[index] = (signed char)level;
}

AP_DECLARE(struct ap_logconf *)
ap_new_log_config(apr_pool_t *p, const struct ap_logconf *old)
{
    struct ap_logconf *l = apr_pcalloc(p, sizeof(*l));
    if (old) {
        l->level = old->level;
        if (old->module_levels)
            l->module_levels =
                apr_pmemdup(p, old->module_levels, DYNAMIC_MODULE_LIMIT + 1);
    } else {
        l->level = -1;
    }
    return l;
}

AP_DECLARE(void)
ap_merge_log_config(const struct ap_logconf *old_conf,
                    struct ap_logconf *new_conf)
{
    if (new_conf->level == -1)
        new_conf->level = old_conf->level;
    if (!new_conf->module_levels) {
        new_conf->module_levels = old_conf->module_levels;
    } else if (old_conf->module_levels) {
        for (int i = 0; i <= DYNAMIC_MODULE_LIMIT; ++i)
            if (new_conf->module_levels[i] == -1)
                new_conf->module_levels[i] = old_conf->module_levels[i];
    }
}

/* --- ${VAR} ---------------------------------------------------------------- */

const char *mc__resolve_vars(apr_pool_t *p, const char *in, char **err);

AP_DECLARE(const char *) ap_resolve_env(apr_pool_t *p, const char *word)
{
    char *err = NULL;
    const char *out = mc__resolve_vars(p, word, &err);
    return err ? word : out;
}

AP_DECLARE(int) ap_method_is_limited(cmd_parms *cmd, const char *method)
{
    int n = ap_method_number_of(method);
    if (n != M_INVALID)
        return (cmd->limited & (AP_METHOD_BIT << n)) ? 1 : 0;
    return 0;
}

/* --- ETags and conditions --------------------------------------------------- */

AP_DECLARE(char *) ap_make_etag_ex(request_rec *r, etag_rec *er)
{
    int weak;
    mc_stub_perturb();
    if (!er->finfo || er->finfo->filetype == APR_NOFILE)
        return apr_pstrdup(r->pool, "");
    weak = er->force_weak ||
           (er->request_time - er->finfo->mtime < APR_USEC_PER_SEC);
    return apr_psprintf(
        r->pool,
        "%s\"%" APR_UINT64_T_HEX_FMT "-%" APR_UINT64_T_HEX_FMT "%s%s\"",
        weak ? "W/" : "", (apr_uint64_t)er->finfo->size,
        (apr_uint64_t)er->finfo->mtime, er->vlist_validator ? ";" : "",
        er->vlist_validator ? er->vlist_validator : "");
}

AP_DECLARE(void) ap_set_etag_fd(request_rec *r, apr_file_t *fd)
{
    etag_rec er;
    apr_finfo_t fi;
    mc_stub_perturb();
    if (apr_file_info_get(&fi, APR_FINFO_MIN, fd) != APR_SUCCESS)
        return;
    er.vlist_validator = r->vlist_validator;
    er.request_time = r->request_time;
    er.finfo = &fi;
    er.pathname = NULL;
    er.fd = fd;
    er.force_weak = 0;
    apr_table_setn(r->headers_out, "ETag", ap_make_etag_ex(r, &er));
}

static ap_condition_e etag_condition(request_rec *r, apr_table_t *headers,
                                     const char *header, int weak)
{
    const char *list = apr_table_get(r->headers_in, header);
    const char *etag = apr_table_get(headers, "ETag");
    if (!list)
        return AP_CONDITION_NONE;
    if (list[0] == '*' && !list[1])
        return AP_CONDITION_STRONG;
    if (!etag)
        return AP_CONDITION_NOMATCH;
    if (!weak && etag[0] == 'W')
        return AP_CONDITION_NOMATCH;
    if ((weak ? ap_find_etag_weak : ap_find_etag_strong)(r->pool, list, etag))
        return etag[0] == 'W' ? AP_CONDITION_WEAK : AP_CONDITION_STRONG;
    return AP_CONDITION_NOMATCH;
}

AP_DECLARE(ap_condition_e)
ap_condition_if_match(request_rec *r, apr_table_t *headers)
{
    mc_stub_perturb();
    return etag_condition(r, headers, "If-Match", 0);
}

AP_DECLARE(ap_condition_e)
ap_condition_if_none_match(request_rec *r, apr_table_t *headers)
{
    mc_stub_perturb();
    return etag_condition(r, headers, "If-None-Match", 1);
}

static ap_condition_e date_condition(request_rec *r, const char *header,
                                     int modified)
{
    const char *v = apr_table_get(r->headers_in, header);
    apr_time_t t, mtime = r->mtime ? r->mtime : apr_time_now();
    if (!v)
        return AP_CONDITION_NONE;
    t = apr_date_parse_http(v);
    if (t == APR_DATE_BAD)
        return AP_CONDITION_NONE;
    if (modified)
        return mtime <= t && t <= r->request_time ? AP_CONDITION_NOMATCH
                                                  : AP_CONDITION_STRONG;
    return mtime > t ? AP_CONDITION_NOMATCH : AP_CONDITION_STRONG;
}

AP_DECLARE(ap_condition_e)
ap_condition_if_modified_since(request_rec *r, apr_table_t *headers)
{
    (void)headers;
    mc_stub_perturb();
    return date_condition(r, "If-Modified-Since", 1);
}

AP_DECLARE(ap_condition_e)
ap_condition_if_unmodified_since(request_rec *r, apr_table_t *headers)
{
    (void)headers;
    mc_stub_perturb();
    return date_condition(r, "If-Unmodified-Since", 0);
}

AP_DECLARE(ap_condition_e)
ap_condition_if_range(request_rec *r, apr_table_t *headers)
{
    const char *v = apr_table_get(r->headers_in, "If-Range");
    const char *etag = apr_table_get(headers, "ETag");
    mc_stub_perturb();
    if (!v || !apr_table_get(r->headers_in, "Range"))
        return AP_CONDITION_NONE;
    if (v[0] == '"')
        return etag && etag[0] != 'W' && !strcmp(v, etag)
                   ? AP_CONDITION_STRONG
                   : AP_CONDITION_NOMATCH;
    return apr_date_parse_http(v) == r->mtime ? AP_CONDITION_STRONG
                                              : AP_CONDITION_NOMATCH;
}

/* --- scoreboard handles, connections -------------------------------------- */

struct ap_sb_handle_t {
    int child_num;
    int thread_num;
};

AP_DECLARE(void)
ap_update_sb_handle(ap_sb_handle_t *sbh, int child_num, int thread_num)
{
    sbh->child_num = child_num;
    sbh->thread_num = thread_num;
}

AP_DECLARE(void)
ap_set_conn_count(ap_sb_handle_t *sb, request_rec *r, unsigned short conn_count)
{
    worker_score *ws = ap_get_scoreboard_worker(sb);
    (void)r;
    if (ws)
        ws->conn_count = conn_count;
}

AP_DECLARE(int)
ap_update_child_status_from_server(ap_sb_handle_t *sbh, int status, conn_rec *c,
                                   server_rec *s)
{
    (void)s;
    return ap_update_child_status_from_conn(sbh, status, c);
}

AP_DECLARE(int) ap_pre_connection(conn_rec *c, void *csd)
{
    mc_stub_perturb();
    return ap_run_pre_connection(c, csd);
}

AP_CORE_DECLARE(void) ap_process_connection(conn_rec *c, void *csd)
{
    int rc = ap_pre_connection(c, csd);
    if (!c->aborted && rc == OK)
        ap_run_process_connection(c);
}

AP_CORE_DECLARE(apr_status_t) ap_shutdown_conn(conn_rec *c, int flush)
{
    apr_socket_t *s = ap_get_conn_socket(c);
    mc_stub_perturb();
    if (flush)
        ap_flush_conn(c);
    c->keepalive = AP_CONN_CLOSE;
    return s ? apr_socket_shutdown(s, APR_SHUTDOWN_WRITE) : APR_SUCCESS;
}

AP_DECLARE(const char *) ap_get_protocol(conn_rec *c)
{
    const char *p = ap_run_protocol_get(c);
    return p ? p : "http/1.1";
}

AP_DECLARE(void) ap_setup_make_content_type(apr_pool_t *pool)
{
    (void)pool;
}

AP_DECLARE(apr_size_t) ap_get_read_buf_size(const request_rec *r)
{
    (void)r;
    return 8192; /* httpd's AP_IOBUFSIZE */
}

AP_DECLARE(int) ap_is_recursion_limit_exceeded(const request_rec *r)
{
    const core_server_config *sc =
        ap_get_core_module_config(r->server->module_config);
    int redirects = 0, subreqs = 0;
    const request_rec *top = r;
    mc_stub_perturb();
    while (top->main || top->prev) {
        if (top->main) {
            ++subreqs;
            top = top->main;
        }
        if (top->prev) {
            ++redirects;
            top = top->prev;
        }
    }
    return redirects >= sc->redirect_limit || subreqs >= sc->subreq_limit;
}

AP_DECLARE(char *)
ap_construct_server(apr_pool_t *p, const char *hostname, apr_port_t port,
                    const request_rec *r)
{
    mc_stub_perturb();
    if (port == ap_run_default_port(r))
        return apr_pstrdup(p, hostname);
    return apr_psprintf(p, "%s:%u", hostname, port);
}

/* --- CGI headers from a file ----------------------------------------------- */

static int getsfunc_file(char *buf, int len, void *f)
{
    apr_size_t n;
    if (apr_file_gets(buf, len, f) != APR_SUCCESS)
        return 0;
    n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return 1;
}

AP_DECLARE(int)
ap_scan_script_header_err_ex(request_rec *r, apr_file_t *f, char *buffer,
                             int module_index)
{
    return ap_scan_script_header_err_core_ex(r, buffer, getsfunc_file, f,
                                             module_index);
}

AP_DECLARE(int)
ap_scan_script_header_err(request_rec *r, apr_file_t *f, char *buffer)
{
    return ap_scan_script_header_err_ex(r, f, buffer, APLOG_NO_MODULE);
}

/* --- EOR / EOC buckets ------------------------------------------------------ */

static apr_status_t meta_read(apr_bucket *b, const char **str, apr_size_t *len,
                              apr_read_type_e block)
{
    (void)b;
    (void)block;
    *str = NULL;
    *len = 0;
    return APR_SUCCESS;
}

/* An EOR bucket owns its request, as in httpd: the request ends when the
 * bucket is destroyed, which the core output filter does once every byte
 * before it is on the wire. Destroying it destroys the request pool; a
 * pre-cleanup on that pool (registered at creation, so it runs before the
 * modules' own cleanups) updates the scoreboard and runs log_transaction. */
struct eor {
    apr_bucket_refcount refcount;
    request_rec *r; /* NULL once the request pool is going away */
};

static apr_status_t eor_request_ended(void *data)
{
    request_rec **rp = data;
    request_rec *r = *rp;
    if (!r)
        return APR_SUCCESS;
    *rp = NULL; /* the pool is going: the bucket must not destroy it again */
    ap_update_child_status(r->connection->sbh, SERVER_BUSY_LOG, r);
    ap_run_log_transaction(r);
    ap_increment_counts(r->connection->sbh, r);
    return APR_SUCCESS;
}

static void eor_destroy(void *data)
{
    struct eor *h = data;
    if (apr_bucket_shared_destroy(h)) {
        if (h->r)
            apr_pool_destroy(h->r->pool); /* runs eor_request_ended */
        apr_bucket_free(h);
    }
}

AP_DECLARE_DATA const apr_bucket_type_t ap_bucket_type_eor = {
    "EOR",
    5,
    APR_BUCKET_METADATA,
    eor_destroy,
    meta_read,
    apr_bucket_setaside_noop,
    apr_bucket_split_notimpl,
    apr_bucket_shared_copy};

AP_DECLARE_DATA const apr_bucket_type_t ap_bucket_type_eoc = {
    "EOC",
    5,
    APR_BUCKET_METADATA,
    apr_bucket_destroy_noop,
    meta_read,
    apr_bucket_setaside_noop,
    apr_bucket_split_notimpl,
    apr_bucket_simple_copy};

AP_DECLARE(apr_bucket *) ap_bucket_eor_make(apr_bucket *b, request_rec *r)
{
    struct eor *h = apr_bucket_alloc(sizeof(*h), b->list);
    h->r = r;
    b = apr_bucket_shared_make(b, h, 0, 0);
    b->type = &ap_bucket_type_eor;
    return b;
}

AP_DECLARE(apr_bucket *)
ap_bucket_eor_create(apr_bucket_alloc_t *list, request_rec *r)
{
    apr_bucket *b = apr_bucket_alloc(sizeof(*b), list);
    APR_BUCKET_INIT(b);
    b->free = apr_bucket_free;
    b->list = list;
    b = ap_bucket_eor_make(b, r);
    if (r) {
        struct eor *h = b->data;
        apr_pool_pre_cleanup_register(r->pool, &h->r, eor_request_ended);
    }
    return b;
}

AP_DECLARE(apr_bucket *) ap_bucket_eoc_make(apr_bucket *b)
{
    b->length = 0;
    b->start = 0;
    b->data = NULL;
    b->type = &ap_bucket_type_eoc;
    return b;
}

AP_DECLARE(apr_bucket *) ap_bucket_eoc_create(apr_bucket_alloc_t *list)
{
    apr_bucket *b = apr_bucket_alloc(sizeof(*b), list);
    APR_BUCKET_INIT(b);
    b->free = apr_bucket_free;
    b->list = list;
    return ap_bucket_eoc_make(b);
}

/* --- load, protocols, pipelining ------------------------------------------- */

AP_DECLARE(void) ap_get_sload(ap_sload_t *ld)
{
    global_score *g = ap_get_scoreboard_global();
    int busy = 0, total = 0;
    mc_stub_perturb();
    memset(ld, 0, sizeof(*ld));
    if (!g)
        return;
    for (int p = 0; p < g->server_limit; ++p)
        for (int t = 0; t < g->thread_limit; ++t) {
            worker_score *ws = ap_get_scoreboard_worker_from_indexes(p, t);
            if (!ws || ws->status == SERVER_DEAD)
                continue;
            ++total;
            busy += ws->status != SERVER_READY;
            ld->access_count += ws->access_count;
            ld->bytes_served += ws->bytes_served;
        }
    if (total) {
        ld->busy = busy * 100 / total;
        ld->idle = 100 - ld->busy;
    }
}

AP_DECLARE(int)
ap_is_allowed_protocol(conn_rec *c, request_rec *r, server_rec *s,
                       const char *protocol)
{
    (void)c;
    (void)r;
    (void)s;
    return !strcmp(protocol, "http/1.1"); /* no Protocols directive */
}

AP_DECLARE(apr_status_t)
ap_get_protocol_upgrades(conn_rec *c, request_rec *r, server_rec *s,
                         int report_all, const apr_array_header_t **pupgrades)
{
    (void)s;
    (void)report_all;
    *pupgrades = apr_array_make(r ? r->pool : c->pool, 1, sizeof(char *));
    return APR_SUCCESS;
}

AP_DECLARE(const char *)
ap_select_protocol(conn_rec *c, request_rec *r, server_rec *s,
                   const apr_array_header_t *choices)
{
    const char *current = ap_get_protocol(c);
    (void)r;
    (void)s;
    for (int i = 0; choices && i < choices->nelts; ++i)
        if (!strcmp(APR_ARRAY_IDX(choices, i, const char *), current))
            return current;
    return current;
}

AP_DECLARE(apr_status_t)
ap_switch_protocol(conn_rec *c, request_rec *r, server_rec *s,
                   const char *protocol)
{
    if (!strcmp(protocol, ap_get_protocol(c)))
        return APR_SUCCESS;
    return ap_run_protocol_switch(c, r, s, protocol) == OK ? APR_SUCCESS
                                                           : APR_ENOTIMPL;
}

AP_DECLARE(apr_status_t)
ap_check_pipeline(conn_rec *c, apr_bucket_brigade *bb,
                  unsigned int max_blank_lines)
{
    struct mc_conn *mc = mc__conn(c);
    (void)bb;
    for (unsigned n = 0; n <= max_blank_lines && mc->pos < mc->len;) {
        char ch = mc->buf[mc->pos];
        if (ch != '\r' && ch != '\n')
            break;
        ++mc->pos;
        n += ch == '\n';
    }
    c->data_in_input_filters = mc->pos < mc->len;
    return APR_SUCCESS;
}

AP_DECLARE(void)
ap_set_sub_req_protocol(request_rec *rnew, const request_rec *r)
{
    rnew->the_request = r->the_request;
    rnew->assbackwards = 1;
    rnew->protocol = r->protocol;
    rnew->proto_num = r->proto_num;
    rnew->status = HTTP_OK;
    rnew->headers_in = apr_table_copy(rnew->pool, r->headers_in);
    rnew->trailers_in = apr_table_copy(rnew->pool, r->trailers_in);
    rnew->subprocess_env = apr_table_copy(rnew->pool, r->subprocess_env);
    rnew->headers_out = apr_table_make(rnew->pool, 5);
    rnew->err_headers_out = apr_table_make(rnew->pool, 5);
    rnew->trailers_out = apr_table_make(rnew->pool, 5);
    rnew->notes = apr_table_make(rnew->pool, 5);
    rnew->expecting_100 = r->expecting_100;
    rnew->read_length = r->read_length;
    rnew->read_body = REQUEST_NO_BODY;
    rnew->main = (request_rec *)r;
}

AP_DECLARE(apr_status_t)
ap_os_create_privileged_process(const request_rec *r, apr_proc_t *newproc,
                                const char *progname, const char *const *args,
                                const char *const *env, apr_procattr_t *attr,
                                apr_pool_t *p)
{
    (void)r; /* no suexec: the host's own identity */
    mc_stub_perturb();
    return apr_proc_create(newproc, progname, args, env, attr, p);
}

/* --- OPTIONS and TRACE ------------------------------------------------------ */

AP_DECLARE(int) ap_send_http_options(request_rec *r)
{
    const char *allow = "GET,POST,OPTIONS,HEAD";
    mc_stub_perturb();
    if (r->assbackwards)
        return DECLINED;
    for (int i = 0; r->allowed_methods && r->allowed_methods->method_list &&
                    i < r->allowed_methods->method_list->nelts;
         ++i)
        allow = apr_pstrcat(
            r->pool, allow, ",",
            APR_ARRAY_IDX(r->allowed_methods->method_list, i, const char *),
            NULL);
    apr_table_setn(r->headers_out, "Allow", allow);
    ap_set_content_length(r, 0);
    return OK;
}

static int trace_header(void *data, const char *key, const char *val)
{
    request_rec *r = data;
    ap_rvputs(r, key, ": ", val, "\r\n", NULL);
    return 1;
}

AP_DECLARE_NONSTD(int) ap_send_http_trace(request_rec *r)
{
    mc_stub_perturb();
    if (r->method_number != M_TRACE)
        return DECLINED;
    while (r->prev)
        r = r->prev;
    if (apr_table_get(r->headers_in, "Content-Length") ||
        apr_table_get(r->headers_in, "Transfer-Encoding"))
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    ap_set_content_type(r, "message/http");
    ap_rvputs(r, r->the_request, "\r\n", NULL);
    apr_table_do(trace_header, r, r->headers_in, NULL);
    ap_rputs("\r\n", r);
    return DONE;
}

/* --- pollfd, vhosts, forms ---------------------------------------------------- */

AP_CORE_DECLARE(apr_status_t)
ap_get_pollfd_from_conn(conn_rec *c, struct apr_pollfd_t *pfd,
                        apr_interval_time_t *ptimeout)
{
    apr_status_t rv = ap_run_get_pollfd_from_conn(c, pfd, ptimeout);
    mc_stub_perturb();
    if (rv != APR_ENOTIMPL)
        return rv;
    pfd->desc_type = APR_POLL_SOCKET;
    pfd->desc.s = ap_get_conn_socket(c);
    if (ptimeout)
        apr_socket_timeout_get(pfd->desc.s, ptimeout);
    return APR_SUCCESS;
}

AP_DECLARE(int)
ap_vhost_iterate_given_conn(conn_rec *conn, ap_vhost_iterate_conn_cb func_cb,
                            void *baton)
{
    mc_stub_perturb();
    return func_cb(baton, conn, conn->base_server); /* one server */
}

/* --- ap_parse_form_data (httpd.h) ------------------------------------------ *
 * httpd 2.4's parsing steps, quirks included: one pass over the body bytes
 * as they arrive; '+' and '&' are recognised before %XX decoding (so %26 is
 * a literal '&'); a bad %XX goes through httpd's hex arithmetic anyway; a
 * name without '=' is dropped; `num` counts '&' separators and reaching 0
 * (more pairs than allowed) or overrunning `usize` gives 413, with the
 * pairs parsed so far left in *ptr. Names and values live in r->pool.
 * (After the stub-api engineer's reference implementation.) */
enum form_state { ST_NAME, ST_VALUE, ST_AMP, ST_ABORT };
enum pct_state { PCT_NONE, PCT_FIRST, PCT_SECOND };

struct form {
    request_rec *r;
    apr_array_header_t *pairs;
    ap_form_pair_t *pair; /* the pair whose value is being read */
    enum form_state state;
    enum pct_state pct;
    char escaped[2];
    char buf[HUGE_STRING_LEN + 1];
    apr_size_t off;
    apr_ssize_t size; /* bytes left (usize) */
    apr_size_t num;   /* pairs left; (apr_size_t)-1: no limit */
};

/* httpd's hex pair arithmetic, applied even to non-hex characters. */
static char hex_pair(const char *x)
{
    int hi = x[0] >= 'A' ? ((x[0] & 0xdf) - 'A') + 10 : (x[0] - '0');
    int lo = x[1] >= 'A' ? ((x[1] & 0xdf) - 'A') + 10 : (x[1] - '0');

    return (char)(hi * 16 + lo);
}

/* Move the buffered value bytes into the current pair's brigade. */
static void flush_value(struct form *f)
{
    request_rec *r = f->r;
    const char *tmp = apr_pmemdup(r->pool, f->buf, f->off);

    APR_BRIGADE_INSERT_TAIL(
        f->pair->value, apr_bucket_pool_create(tmp, f->off, r->pool,
                                               r->connection->bucket_alloc));
    f->off = 0;
}

static void name_char(struct form *f, char c)
{
    request_rec *r = f->r;

    if (f->off >= HUGE_STRING_LEN) {
        f->state = ST_ABORT;
        return;
    }
    if (c != '=') {
        f->buf[f->off++] = c;
        --f->size;
        return;
    }
    f->buf[f->off] = '\0';
    f->off = 0;
    f->pair = apr_array_push(f->pairs);
    f->pair->name = apr_pstrdup(r->pool, f->buf);
    f->pair->value = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    f->state = ST_VALUE;
}

/* One input byte. The order of checks ('+', '&', then %XX) is httpd's. */
static void form_char(struct form *f, char c)
{
    if (c == '+')
        c = ' ';
    else if (c == '&')
        f->state = ST_AMP;
    if (c == '%') {
        f->pct = PCT_FIRST;
        return;
    }
    if (f->pct == PCT_FIRST) {
        f->escaped[0] = c;
        f->pct = PCT_SECOND;
        return;
    }
    if (f->pct == PCT_SECOND) {
        f->escaped[1] = c;
        c = hex_pair(f->escaped);
        f->pct = PCT_NONE;
    }
    switch (f->state) {
        case ST_AMP:
            if (f->pair)
                flush_value(f);
            f->state = ST_NAME;
            f->pair = NULL;
            f->off = 0;
            --f->num;
            break;
        case ST_NAME:
            name_char(f, c);
            break;
        case ST_VALUE:
            if (f->off >= HUGE_STRING_LEN)
                flush_value(f);
            f->buf[f->off++] = c;
            --f->size;
            break;
        default:
            break;
    }
}

/* Feed one brigade; *eos is set at the end of the body. */
static int feed_brigade(struct form *f, apr_bucket_brigade *bb, int *eos)
{
    apr_bucket *b;

    for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
         b = APR_BUCKET_NEXT(b)) {
        const char *data;
        apr_size_t len, i;

        if (APR_BUCKET_IS_EOS(b)) {
            *eos = 1;
            break;
        }
        if (b->length == 0)
            continue;
        if (apr_bucket_read(b, &data, &len, APR_BLOCK_READ) != APR_SUCCESS)
            return HTTP_BAD_REQUEST;
        for (i = 0;
             i < len && f->state != ST_ABORT && f->size >= 0 && f->num != 0;
             ++i)
            form_char(f, data[i]);
    }
    apr_brigade_cleanup(bb);
    return OK;
}

AP_DECLARE(int)
ap_parse_form_data(request_rec *r, struct ap_filter_t *filter,
                   apr_array_header_t **ptr, apr_size_t num, apr_size_t usize)
{
    struct form *f;
    apr_bucket_brigade *bb;
    const char *ct;
    int eos = 0, rc;

    mc_stub_perturb();
    f = apr_pcalloc(r->pool, sizeof(*f));
    f->r = r;
    f->pairs = apr_array_make(r->pool, 4, sizeof(ap_form_pair_t));
    f->size = usize > (APR_SIZE_MAX >> 1) ? (apr_ssize_t)(APR_SIZE_MAX >> 1)
                                          : (apr_ssize_t)usize;
    f->num = num;
    *ptr = f->pairs;
    ct = apr_table_get(r->headers_in, "Content-Type");
    if (!ct || strncasecmp("application/x-www-form-urlencoded", ct, 33) != 0)
        return ap_discard_request_body(r);
    if (!filter)
        filter = r->input_filters;
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    while (!eos) {
        apr_status_t rv = ap_get_brigade(filter, bb, AP_MODE_READBYTES,
                                         APR_BLOCK_READ, HUGE_STRING_LEN);
        if (rv != APR_SUCCESS) {
            apr_brigade_destroy(bb);
            return ap_map_http_request_error(rv, HTTP_BAD_REQUEST);
        }
        if ((rc = feed_brigade(f, bb, &eos)) != OK) {
            apr_brigade_destroy(bb);
            return rc;
        }
    }
    if (f->state == ST_ABORT || f->size < 0 || f->num == 0)
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    if (f->state == ST_VALUE && f->pair && f->off > 0)
        flush_value(f);
    return OK;
}

/* --- XML request bodies (util_xml.h) ---------------------------------------- */

AP_DECLARE(int) ap_xml_parse_input(request_rec *r, apr_xml_doc **pdoc)
{
    apr_xml_parser *parser = NULL;
    apr_bucket_brigade *bb;
    apr_size_t total = 0, limit = ap_get_limit_xml_body(r);
    int seen_eos = 0;
    mc_stub_perturb();
    *pdoc = NULL;
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    do {
        apr_status_t rv = ap_get_brigade(
            r->input_filters, bb, AP_MODE_READBYTES, APR_BLOCK_READ, 2048);
        if (rv != APR_SUCCESS)
            return ap_map_http_request_error(rv, HTTP_BAD_REQUEST);
        if (APR_BRIGADE_EMPTY(bb))
            break;
        for (apr_bucket *e = APR_BRIGADE_FIRST(bb);
             e != APR_BRIGADE_SENTINEL(bb); e = APR_BUCKET_NEXT(e)) {
            const char *data;
            apr_size_t len;
            if (APR_BUCKET_IS_EOS(e)) {
                seen_eos = 1;
                break;
            }
            if (APR_BUCKET_IS_METADATA(e))
                continue;
            if (apr_bucket_read(e, &data, &len, APR_BLOCK_READ) != APR_SUCCESS)
                return HTTP_BAD_REQUEST;
            total += len;
            if (limit && total > limit)
                return HTTP_REQUEST_ENTITY_TOO_LARGE;
            if (!parser)
                parser = apr_xml_parser_create(r->pool);
            if (apr_xml_parser_feed(parser, data, len) != APR_SUCCESS) {
                char err[200];
                apr_xml_parser_geterror(parser, err, sizeof(err));
                ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                              "XML parser error: %s", err);
                return HTTP_BAD_REQUEST;
            }
        }
        apr_brigade_cleanup(bb);
    } while (!seen_eos);
    if (!parser)
        return OK; /* no body: no document */
    if (apr_xml_parser_done(parser, pdoc) != APR_SUCCESS) {
        char err[200];
        apr_xml_parser_geterror(parser, err, sizeof(err));
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "XML parser error: %s", err);
        return HTTP_BAD_REQUEST;
    }
    return OK;
}

/* --- lingering close steps, Nagle --------------------------------------------- */

AP_DECLARE(int) ap_prep_lingering_close(conn_rec *c)
{
    mc_stub_perturb();
    return ap_run_pre_close_connection(c);
}

AP_DECLARE(int) ap_start_lingering_close(conn_rec *c)
{
    apr_socket_t *s = ap_get_conn_socket(c);
    mc_stub_perturb();
    ap_prep_lingering_close(c);
    if (!c->aborted)
        ap_flush_conn(c);
    if (c->aborted || !s ||
        apr_socket_shutdown(s, APR_SHUTDOWN_WRITE) != APR_SUCCESS) {
        c->aborted = 1;
        return 1; /* nothing left to linger on: close now */
    }
    return 0;
}

#undef ap_sock_disable_nagle
void ap_sock_disable_nagle(apr_socket_t *s);
void ap_sock_disable_nagle(apr_socket_t *s)
{
    mc_stub_perturb();
    apr_socket_opt_set(s, APR_TCP_NODELAY, 1);
}
