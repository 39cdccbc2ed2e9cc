/*
 * http.c - HTTP/1.1 on a connection, the way httpd's http module does it:
 * the connection's keep-alive loop (core process_connection), reading and
 * checking a request line and header fields with httpd's limits, the
 * request body input filter (HTTP_IN: Content-Length or chunked), the
 * response header output filter (HTTP_HEADER: status line, headers,
 * Content-Length when the whole body is known, chunked otherwise, keep-alive
 * decision), and the old-style write functions (ap_rwrite & co.) buffered
 * through OLD_WRITE. Everything here runs on the thread that owns the
 * connection.
 */
#include "stub.h"
#include "stub_conn.h"

#include "apr_base64.h"
#include "apr_lib.h"
#include "apr_strings.h"
#include "http_log.h"
#include "http_vhost.h"
#include "mod_core.h"
#include "scoreboard.h"
#include "util_filter.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MC_CONN_BUF 16384

/* --- connection buffer ----------------------------------------------------- */

apr_status_t mc__conn_fill(struct mc_conn *mc, apr_interval_time_t timeout)
{
    apr_size_t n;
    apr_status_t rv;
    if (mc->pos > 0) {
        memmove(mc->buf, mc->buf + mc->pos, mc->len - mc->pos);
        mc->len -= mc->pos;
        mc->pos = 0;
    }
    if (mc->len >= mc->cap)
        return APR_ENOSPC;
    if (mc->deadline) {
        apr_time_t left = mc->deadline - apr_time_now();
        if (left <= 0)
            return APR_TIMEUP;
        if (left < timeout)
            timeout = left;
    }
    apr_socket_timeout_set(mc->sock, timeout);
    n = mc->cap - mc->len;
    rv = apr_socket_recv(mc->sock, mc->buf + mc->len, &n);
    if (n > 0) {
        mc->len += n;
        return APR_SUCCESS;
    }
    if (rv == APR_SUCCESS)
        rv = APR_EOF;
    if (APR_STATUS_IS_TIMEUP(rv) || APR_STATUS_IS_EAGAIN(rv))
        rv = APR_TIMEUP;
    return rv;
}

/* One line (without CRLF) from the buffer; APR_ENOSPC if longer than max. */
static apr_status_t conn_getline(struct mc_conn *mc, char **line,
                                 apr_size_t max, apr_pool_t *p)
{
    for (;;) {
        char *start = mc->buf + mc->pos;
        char *nl = memchr(start, '\n', mc->len - mc->pos);
        apr_status_t rv;
        if (nl) {
            apr_size_t n = (apr_size_t)(nl - start);
            mc->pos += n + 1;
            if (n > 0 && start[n - 1] == '\r')
                --n;
            if (n > max)
                return APR_ENOSPC;
            if (memchr(start, '\0', n))
                return APR_EINVAL; /* NUL in a request line or header */
            *line = apr_pstrmemdup(p, start, n);
            return APR_SUCCESS;
        }
        if (mc->len - mc->pos > max + 1)
            return APR_ENOSPC;
        rv = mc__conn_fill(mc, mc->timeout);
        if (rv != APR_SUCCESS)
            return rv;
    }
}

/* --- conn_rec creation (core create_connection) --------------------------- */

static conn_rec *core_create_conn(apr_pool_t *ptrans, server_rec *s,
                                  apr_socket_t *csd, long id, void *sbh,
                                  apr_bucket_alloc_t *alloc)
{
    struct mc_conn *mc = apr_pcalloc(ptrans, sizeof(*mc));
    conn_rec *c = &mc->c;
    apr_sockaddr_t *sa;
    (void)sbh;
    mc->sock = csd;
    mc->cap = MC_CONN_BUF;
    mc->buf = apr_palloc(ptrans, mc->cap);
    mc->timeout = s->timeout;
    c->pool = ptrans;
    c->base_server = s;
    c->conn_config = ap_create_conn_config(ptrans);
    c->notes = apr_table_make(ptrans, 5);
    c->id = id;
    c->bucket_alloc = alloc;
    c->keepalive = AP_CONN_UNKNOWN;
    c->double_reverse = 0;
    c->clogging_input_filters = 0;
    c->sbh = sbh;
    apr_socket_addr_get(&sa, APR_LOCAL, csd);
    c->local_addr = sa;
    apr_sockaddr_ip_get(&c->local_ip, sa);
    apr_socket_addr_get(&sa, APR_REMOTE, csd);
    c->client_addr = sa;
    apr_sockaddr_ip_get(&c->client_ip, sa);
    c->local_host = NULL;
    c->remote_host = NULL;
    c->log = NULL;
    c->log_id = NULL;
    c->cs = NULL;
    ap_set_core_module_config(c->conn_config, csd);
    return c;
}

static int core_pre_connection(conn_rec *c, void *csd)
{
    apr_socket_opt_set(csd, APR_TCP_NODELAY, 1);
    ap_add_input_filter_handle(ap_core_input_filter_handle, NULL, NULL, c);
    ap_add_output_filter_handle(ap_core_output_filter_handle, NULL, NULL, c);
    return DONE == 0 ? OK : OK;
}

conn_rec *mc__create_conn(apr_pool_t *ptrans, apr_socket_t *sock, long id,
                          apr_bucket_alloc_t *ba, const char *pre,
                          apr_size_t prelen, void *sbh)
{
    conn_rec *c =
        ap_run_create_connection(ptrans, mc__stub.server, sock, id, sbh, ba);
    if (c && pre && prelen) {
        struct mc_conn *mc = mc__conn(c);
        memcpy(mc->buf, pre, prelen < mc->cap ? prelen : mc->cap);
        mc->len = prelen < mc->cap ? prelen : mc->cap;
    }
    return c;
}

/* --- request line and headers --------------------------------------------- */

static int is_token_char(int ch)
{
    return ch > 32 && ch < 127 && !strchr("()<>@,;:\\\"/[]?={}", ch);
}

static request_rec *new_request(conn_rec *c);

AP_DECLARE(request_rec *) ap_create_request(conn_rec *c)
{
    request_rec *r = new_request(c);
    mc_stub_perturb();
    ap_run_create_request(r);
    return r;
}

static request_rec *new_request(conn_rec *c)
{
    apr_pool_t *p;
    request_rec *r;
    apr_pool_create(&p, c->pool);
    apr_pool_tag(p, "request");
    r = apr_pcalloc(p, sizeof(*r));
    r->pool = p;
    r->connection = c;
    r->server = c->base_server;
    r->user = NULL;
    r->ap_auth_type = NULL;
    r->allowed_methods = ap_make_method_list(p, 2);
    r->headers_in = apr_table_make(p, 25);
    r->trailers_in = apr_table_make(p, 5);
    r->subprocess_env = apr_table_make(p, 25);
    r->headers_out = apr_table_make(p, 12);
    r->err_headers_out = apr_table_make(p, 5);
    r->trailers_out = apr_table_make(p, 5);
    r->notes = apr_table_make(p, 5);
    r->request_config = ap_create_request_config(p);
    r->per_dir_config = r->server->lookup_defaults;
    r->sent_bodyct = 0;
    r->read_length = 0;
    r->read_body = REQUEST_NO_BODY;
    r->status = HTTP_OK;
    r->the_request = NULL;
    r->request_time = apr_time_now();
    r->output_filters = c->output_filters;
    r->proto_output_filters = c->output_filters;
    r->input_filters = c->input_filters;
    r->proto_input_filters = c->input_filters;
    r->useragent_addr = c->client_addr;
    r->useragent_ip = c->client_ip;
    r->clength = 0;
    r->body_table = NULL;
    return r;
}

static int parse_request_line(request_rec *r, char *line)
{
    const char *ll = line;
    char *method, *uri, *proto;
    const char *s;
    r->the_request = apr_pstrdup(r->pool, line);
    method = ap_getword_white(r->pool, &ll);
    uri = ap_getword_white(r->pool, &ll);
    proto = ap_getword_white(r->pool, &ll);
    if (!*method || !*uri || !*proto || *ll)
        return HTTP_BAD_REQUEST;
    for (s = method; *s; ++s)
        if (!is_token_char(*s))
            return HTTP_BAD_REQUEST;
    if (strncmp(proto, "HTTP/", 5) || !apr_isdigit(proto[5]) ||
        proto[6] != '.' || !apr_isdigit(proto[7]) || proto[8])
        return HTTP_BAD_REQUEST;
    r->method = method;
    r->method_number = ap_method_number_of(method);
    if (!strcmp(method, "HEAD"))
        r->header_only = 1;
    r->protocol = proto;
    r->proto_num = HTTP_VERSION(proto[5] - '0', proto[7] - '0');
    r->assbackwards = 0;
    if (r->proto_num >= HTTP_VERSION(2, 0))
        return HTTP_VERSION_NOT_SUPPORTED;
    for (s = uri; *s; ++s)
        if ((unsigned char)*s < 33 || *s == 127)
            return HTTP_BAD_REQUEST;
    ap_parse_uri(r, uri);
    if (r->parsed_uri.scheme || r->uri[0] != '/') {
        if (!(r->uri[0] == '*' && !r->uri[1]) && r->uri[0] != '/')
            return HTTP_BAD_REQUEST;
    }
    return OK;
}

AP_DECLARE(int) ap_parse_request_line(request_rec *r)
{
    int st;
    mc_stub_perturb();
    if (!r->the_request) {
        r->status = HTTP_BAD_REQUEST;
        return 0;
    }
    st = parse_request_line(r, apr_pstrdup(r->pool, r->the_request));
    if (st != OK) {
        r->status = st;
        return 0;
    }
    return 1;
}

static int check_headers(request_rec *r);

AP_DECLARE(int) ap_check_request_header(request_rec *r)
{
    int st;
    mc_stub_perturb();
    st = check_headers(r);
    if (st != OK) {
        r->status = st;
        return 0;
    }
    return 1;
}

static int add_header_line(request_rec *r, char *line, int *count)
{
    char *colon = strchr(line, ':');
    char *v, *e;
    if (!colon || colon == line)
        return HTTP_BAD_REQUEST;
    for (char *s = line; s < colon; ++s)
        if (!is_token_char(*s))
            return HTTP_BAD_REQUEST;
    *colon = '\0';
    v = colon + 1;
    while (*v == ' ' || *v == '\t')
        ++v;
    e = v + strlen(v);
    while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    if (r->server->limit_req_fields && ++*count > r->server->limit_req_fields)
        return HTTP_BAD_REQUEST;
    apr_table_addn(r->headers_in, line, v);
    return OK;
}

static int read_headers(request_rec *r, struct mc_conn *mc)
{
    int count = 0;
    for (;;) {
        char *line;
        apr_status_t rv = conn_getline(
            mc, &line, (apr_size_t)r->server->limit_req_fieldsize, r->pool);
        int st;
        if (rv == APR_ENOSPC) {
            apr_table_setn(r->notes, "error-notes",
                           "A request header field is longer than "
                           "LimitRequestFieldSize.");
            return HTTP_BAD_REQUEST;
        }
        if (rv == APR_TIMEUP)
            return HTTP_REQUEST_TIME_OUT;
        if (rv == APR_EINVAL)
            return HTTP_BAD_REQUEST;
        if (rv != APR_SUCCESS)
            return -1;
        if (!*line)
            break;
        if (*line == ' ' || *line == '\t')
            return HTTP_BAD_REQUEST; /* obsolete line folding */
        st = add_header_line(r, line, &count);
        if (st != OK)
            return st;
    }
    apr_table_compress(r->headers_in, APR_OVERLAP_TABLES_MERGE);
    return OK;
}

static int check_headers(request_rec *r)
{
    const char *te = apr_table_get(r->headers_in, "Transfer-Encoding");
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    const char *expect = apr_table_get(r->headers_in, "Expect");
    if (r->proto_num >= HTTP_VERSION(1, 1) &&
        !apr_table_get(r->headers_in, "Host"))
        return HTTP_BAD_REQUEST;
    if (te) {
        if (strcasecmp(te, "chunked"))
            return HTTP_NOT_IMPLEMENTED;
        if (cl)
            apr_table_unset(r->headers_in, "Content-Length");
    } else if (cl) {
        apr_off_t len;
        char *end;
        if (!apr_isdigit(*cl) ||
            apr_strtoff(&len, cl, &end, 10) != APR_SUCCESS || *end || len < 0)
            return HTTP_BAD_REQUEST;
    }
    if (expect && *expect) {
        if (!strcasecmp(expect, "100-continue") &&
            r->proto_num >= HTTP_VERSION(1, 1))
            r->expecting_100 = 1;
        else
            return HTTP_EXPECTATION_FAILED;
    }
    return OK;
}

static void set_hostname(request_rec *r)
{
    const char *host = apr_table_get(r->headers_in, "Host");
    if (r->parsed_uri.hostname)
        host = r->parsed_uri.hostname;
    if (host) {
        char *h = apr_pstrdup(r->pool, host);
        char *colon = strrchr(h, ':');
        if (colon && !strchr(colon, ']')) {
            *colon = '\0';
            if (!r->parsed_uri.port_str && apr_isdigit(colon[1])) {
                /* like httpd: the Host header's port is the request's */
                r->parsed_uri.port_str = apr_pstrdup(r->pool, colon + 1);
                r->parsed_uri.port = (apr_port_t)atoi(colon + 1);
            }
        }
        ap_str_tolower(h);
        r->hostname = h;
    }
    if (r->parsed_uri.hostname)
        ap_update_vhost_from_headers(r); /* the URI's host wins */
    else
        r->server = r->connection->base_server;
}

/* Sends an error for a request that could not be read, then closes. */
static void read_failed(request_rec *r, int status)
{
    conn_rec *c = r->connection;
    c->keepalive = AP_CONN_CLOSE;
    if (!r->the_request)
        r->the_request = "-";
    if (!r->protocol)
        r->protocol = "HTTP/1.0";
    if (!r->method) {
        r->method = "GET";
        r->method_number = M_GET;
    }
    if (!r->uri)
        r->uri = "-";
    r->status = status;
    ap_send_error_response(r, 0);
    mc__end_request(r);
}

static apr_status_t read_request_line(request_rec *r, struct mc_conn *mc,
                                      char **line, int first)
{
    apr_status_t rv;
    int empty_lines = 0;
    apr_size_t max = (apr_size_t)r->server->limit_req_line;
    (void)first;
    do {
        rv = conn_getline(mc, line, max, r->pool);
    } while (rv == APR_SUCCESS && !**line && ++empty_lines < 10);
    return rv;
}

/* Waits for the first bytes of the next request. The connection counts as
 * idle meanwhile, so a stopping process can close it. */
static apr_status_t wait_for_request(conn_rec *c, struct mc_conn *mc, int first)
{
    apr_status_t rv;
    mc__mpm_idle(c, 1);
    rv = mc__stub_stopping
             ? APR_EOF
             : mc__conn_fill(mc, first ? c->base_server->timeout
                                       : c->base_server->keep_alive_timeout);
    mc__mpm_idle(c, 0);
    return rv;
}

/* Reads one request: MC_READ_OK with *rp to process, MC_READ_ENDED when the
 * request was answered (an error) and has ended, MC_READ_NONE when the
 * connection is done. */
enum mc_read { MC_READ_NONE, MC_READ_OK, MC_READ_ENDED };

static enum mc_read read_request(conn_rec *c, int first, request_rec **rp)
{
    struct mc_conn *mc = mc__conn(c);
    request_rec *r = new_request(c);
    char *line;
    apr_status_t rv;
    int st;
    ap_run_pre_read_request(r, c);
    ap_run_create_request(r);
    if (mc->pos >= mc->len && wait_for_request(c, mc, first) != APR_SUCCESS) {
        apr_pool_destroy(r->pool);
        return MC_READ_NONE;
    }
    mc->deadline = apr_time_now() + c->base_server->timeout;
    rv = read_request_line(r, mc, &line, first);
    if (rv == APR_ENOSPC) {
        read_failed(r, HTTP_REQUEST_URI_TOO_LARGE);
        return MC_READ_ENDED;
    }
    if (rv == APR_TIMEUP) {
        read_failed(r, HTTP_REQUEST_TIME_OUT);
        return MC_READ_ENDED;
    }
    if (rv == APR_EINVAL) {
        read_failed(r, HTTP_BAD_REQUEST);
        return MC_READ_ENDED;
    }
    if (rv != APR_SUCCESS) {
        mc->deadline = 0;
        apr_pool_destroy(r->pool);
        return MC_READ_NONE;
    }
    st = parse_request_line(r, line);
    if (st == OK) {
        st = read_headers(r, mc);
        if (st < 0) {
            mc->deadline = 0;
            apr_pool_destroy(r->pool);
            return MC_READ_NONE;
        }
    }
    mc->deadline = 0;
    if (st == OK)
        st = check_headers(r);
    if (st != OK) {
        read_failed(r, st);
        return MC_READ_ENDED;
    }
    set_hostname(r);
    c->keepalive = AP_CONN_UNKNOWN;
    st = ap_post_read_request(r);
    if (st != OK && st != DECLINED) {
        ap_die(st, r);
        mc__end_request(r);
        return MC_READ_ENDED;
    }
    *rp = r;
    return MC_READ_OK;
}

AP_DECLARE(int) ap_post_read_request(request_rec *r)
{
    int status = ap_run_post_read_request(r);
    return status == DECLINED ? OK : status;
}

AP_DECLARE(request_rec *) ap_read_request(conn_rec *c)
{
    request_rec *r = NULL;
    return read_request(c, 1, &r) == MC_READ_OK ? r : NULL;
}

/* core process_connection: the keep-alive loop. */
static int process_http_connection(conn_rec *c)
{
    int first = 1;
    while (!c->aborted && !mc__stub_stopping) {
        request_rec *r = NULL;
        enum mc_read got = read_request(c, first, &r);
        first = 0;
        if (got == MC_READ_NONE)
            break;
        if (got == MC_READ_OK) {
            ap_update_child_status(c->sbh, SERVER_BUSY_WRITE, r);
            mc__process_request(r); /* r has ended when this returns */
        }
        if (c->keepalive != AP_CONN_KEEPALIVE || c->aborted)
            break;
        ap_update_child_status(c->sbh, SERVER_BUSY_KEEPALIVE, NULL);
        c->keepalives++;
    }
    return OK;
}

void mc__end_request(request_rec *r)
{
    conn_rec *c = r->connection;
    struct mc_conn *mc = mc__conn(c);
    if (!mc->end_bb)
        mc->end_bb = apr_brigade_create(c->pool, c->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(mc->end_bb,
                            ap_bucket_eor_create(c->bucket_alloc, r));
    /* like httpd's check_pipeline: a request already waiting in the
     * connection's buffer lets this response wait for the next one */
    if (mc->pos >= mc->len)
        APR_BRIGADE_INSERT_TAIL(mc->end_bb,
                                apr_bucket_flush_create(c->bucket_alloc));
    ap_pass_brigade(c->output_filters, mc->end_bb);
    apr_brigade_cleanup(mc->end_bb); /* an EOR nobody took ends here */
}

void mc__process_connection(conn_rec *c)
{
    apr_socket_t *csd = ap_get_conn_socket(c);
    int rc = ap_run_pre_connection(c, csd);
    if (rc == OK || rc == DONE)
        if (!c->aborted && rc != DONE)
            ap_run_process_connection(c);
    ap_run_pre_close_connection(c);
    ap_flush_conn(c); /* what CORE still holds, as httpd before closing */
}

static const char *http_scheme(const request_rec *r)
{
    (void)r;
    return "http";
}

static apr_port_t http_port(const request_rec *r)
{
    (void)r;
    return DEFAULT_HTTP_PORT;
}

/* httpd's core_create_req: the core's per-request config. */
static int core_create_req(request_rec *r)
{
    core_request_config *rc = apr_pcalloc(r->pool, sizeof(*rc));
    rc->bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    ap_set_core_module_config(r->request_config, rc);
    return OK;
}

static int http_create_request(request_rec *r)
{
    if (!r->main && !r->prev) {
        ap_add_output_filter_handle(ap_http_header_filter_handle, NULL, r,
                                    r->connection);
        ap_add_input_filter_handle(ap_http_input_filter_handle, NULL, r,
                                   r->connection);
    }
    return OK;
}

/* The core's generate_log_id, last in line as in httpd: modules (mod_wsgi
 * among them) ask it for r->log_id and use the answer unchecked. Eight
 * bytes mixing the request's start time, the process and the thread,
 * base64 without the padding. */
static int core_log_id(const conn_rec *c, const request_rec *r, const char **id)
{
    apr_uint64_t v =
        (apr_uint64_t)(r && r->request_time ? r->request_time : apr_time_now());
    char *out = apr_palloc(r ? r->pool : c->pool,
                           (apr_size_t)apr_base64_encode_len(sizeof(v)));
    v ^= (apr_uint64_t)getpid() << 40;
    v ^= (apr_uint64_t)(apr_uintptr_t)c->current_thread << 32;
    out[apr_base64_encode(out, (const char *)&v, sizeof(v)) - 2] = '\0';
    *id = out;
    return OK;
}

void mc__http_register_hooks(apr_pool_t *p);
void mc__http_filters_init(void);

void mc__http_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_create_connection(core_create_conn, NULL, NULL,
                              APR_HOOK_REALLY_LAST);
    ap_hook_pre_connection(core_pre_connection, NULL, NULL,
                           APR_HOOK_REALLY_LAST);
    ap_hook_process_connection(process_http_connection, NULL, NULL,
                               APR_HOOK_REALLY_LAST);
    ap_hook_create_request(core_create_req, NULL, NULL, APR_HOOK_REALLY_FIRST);
    ap_hook_create_request(http_create_request, NULL, NULL,
                           APR_HOOK_REALLY_LAST);
    ap_hook_http_scheme(http_scheme, NULL, NULL, APR_HOOK_REALLY_LAST);
    ap_hook_generate_log_id(core_log_id, NULL, NULL, APR_HOOK_REALLY_LAST);
    ap_hook_default_port(http_port, NULL, NULL, APR_HOOK_REALLY_LAST);
}
