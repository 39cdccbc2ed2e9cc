/*
 * protocol.c - the HTTP protocol filters and the response API modules call:
 * HTTP_IN (request body: Content-Length or chunked, 100-continue, body
 * limit), HTTP_HEADER (status line and headers before the first body byte,
 * Content-Length when the whole body is known, chunked framing otherwise,
 * keep-alive decision), OLD_WRITE with ap_rwrite/ap_rputs/ap_rprintf/
 * ap_rflush, the client-block API, content type/length setters, status
 * lines, error responses and the method registry. Runs on the thread that
 * owns the request; the method registry is fixed after configuration.
 */
#include "stub.h"
#include "stub_conn.h"

#include "apr_lib.h"
#include "apr_strings.h"
#include "http_vhost.h"
#include "mod_core.h"
#include "util_filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* OLD_WRITE passes its buffer on once it holds this much (like httpd). */
#define MC_MIN_BYTES_TO_WRITE 8000

AP_DECLARE_DATA ap_filter_rec_t *ap_http_input_filter_handle = NULL;
AP_DECLARE_DATA ap_filter_rec_t *ap_http_header_filter_handle = NULL;
AP_DECLARE_DATA ap_filter_rec_t *ap_chunk_filter_handle = NULL;
AP_DECLARE_DATA ap_filter_rec_t *ap_http_outerror_filter_handle = NULL;
AP_DECLARE_DATA ap_filter_rec_t *ap_byterange_filter_handle = NULL;
AP_DECLARE_DATA ap_filter_rec_t *ap_old_write_func = NULL;
ap_filter_rec_t *mc__http_header_frec;
ap_filter_rec_t *mc__http_in_frec;

/* --- status lines ---------------------------------------------------------- */

struct status_line {
    int code;
    const char *line;
};

static const struct status_line status_lines[] = {
    {100, "100 Continue"},
    {101, "101 Switching Protocols"},
    {102, "102 Processing"},
    {103, "103 Early Hints"},
    {200, "200 OK"},
    {201, "201 Created"},
    {202, "202 Accepted"},
    {203, "203 Non-Authoritative Information"},
    {204, "204 No Content"},
    {205, "205 Reset Content"},
    {206, "206 Partial Content"},
    {207, "207 Multi-Status"},
    {208, "208 Already Reported"},
    {226, "226 IM Used"},
    {300, "300 Multiple Choices"},
    {301, "301 Moved Permanently"},
    {302, "302 Found"},
    {303, "303 See Other"},
    {304, "304 Not Modified"},
    {305, "305 Use Proxy"},
    {307, "307 Temporary Redirect"},
    {308, "308 Permanent Redirect"},
    {400, "400 Bad Request"},
    {401, "401 Unauthorized"},
    {402, "402 Payment Required"},
    {403, "403 Forbidden"},
    {404, "404 Not Found"},
    {405, "405 Method Not Allowed"},
    {406, "406 Not Acceptable"},
    {407, "407 Proxy Authentication Required"},
    {408, "408 Request Timeout"},
    {409, "409 Conflict"},
    {410, "410 Gone"},
    {411, "411 Length Required"},
    {412, "412 Precondition Failed"},
    {413, "413 Request Entity Too Large"},
    {414, "414 Request-URI Too Long"},
    {415, "415 Unsupported Media Type"},
    {416, "416 Requested Range Not Satisfiable"},
    {417, "417 Expectation Failed"},
    {418, "418 I'm a teapot"},
    {421, "421 Misdirected Request"},
    {422, "422 Unprocessable Entity"},
    {423, "423 Locked"},
    {424, "424 Failed Dependency"},
    {425, "425 Too Early"},
    {426, "426 Upgrade Required"},
    {428, "428 Precondition Required"},
    {429, "429 Too Many Requests"},
    {431, "431 Request Header Fields Too Large"},
    {451, "451 Unavailable For Legal Reasons"},
    {500, "500 Internal Server Error"},
    {501, "501 Not Implemented"},
    {502, "502 Bad Gateway"},
    {503, "503 Service Unavailable"},
    {504, "504 Gateway Timeout"},
    {505, "505 HTTP Version Not Supported"},
    {506, "506 Variant Also Negotiates"},
    {507, "507 Insufficient Storage"},
    {508, "508 Loop Detected"},
    {510, "510 Not Extended"},
    {511, "511 Network Authentication Required"},
};

#define N_STATUS ((int)(sizeof(status_lines) / sizeof(status_lines[0])))

AP_DECLARE(int) ap_index_of_response(int status)
{
    mc_stub_perturb();
    for (int i = 0; i < N_STATUS; ++i)
        if (status_lines[i].code == status)
            return i;
    for (int i = 0; i < N_STATUS; ++i) /* the class's first entry */
        if (status_lines[i].code / 100 == status / 100)
            return i;
    return 0;
}

AP_DECLARE(const char *) ap_get_status_line(int status)
{
    mc_stub_perturb();
    for (int i = 0; i < N_STATUS; ++i)
        if (status_lines[i].code == status)
            return status_lines[i].line;
    return status_lines[ap_index_of_response(500)].line;
}

AP_DECLARE(const char *) ap_get_status_line_ex(apr_pool_t *p, int status)
{
    for (int i = 0; i < N_STATUS; ++i)
        if (status_lines[i].code == status)
            return status_lines[i].line;
    return apr_psprintf(p, "%i Status %i", status, status);
}

/* --- methods --------------------------------------------------------------- */

static const char *const method_names[] = {"GET",
                                           "PUT",
                                           "POST",
                                           "DELETE",
                                           "CONNECT",
                                           "OPTIONS",
                                           "TRACE",
                                           "PATCH",
                                           "PROPFIND",
                                           "PROPPATCH",
                                           "MKCOL",
                                           "COPY",
                                           "MOVE",
                                           "LOCK",
                                           "UNLOCK",
                                           "VERSION-CONTROL",
                                           "CHECKOUT",
                                           "UNCHECKOUT",
                                           "CHECKIN",
                                           "UPDATE",
                                           "LABEL",
                                           "REPORT",
                                           "MKWORKSPACE",
                                           "MKACTIVITY",
                                           "BASELINE-CONTROL",
                                           "MERGE",
                                           "INVALID"};

AP_DECLARE(int) ap_method_number_of(const char *method)
{
    mc_stub_perturb();
    if (!strcmp(method, "HEAD"))
        return M_GET;
    for (int i = 0; i < M_INVALID; ++i)
        if (!strcmp(method, method_names[i]))
            return i;
    return M_INVALID;
}

AP_DECLARE(const char *) ap_method_name_of(apr_pool_t *p, int methnum)
{
    (void)p;
    mc_stub_perturb();
    if (methnum >= 0 && methnum < M_INVALID)
        return method_names[methnum];
    return NULL;
}

AP_DECLARE(int) ap_method_register(apr_pool_t *p, const char *methname)
{
    (void)p;
    return ap_method_number_of(methname);
}

AP_DECLARE(ap_method_list_t *) ap_make_method_list(apr_pool_t *p, int nelts)
{
    ap_method_list_t *ml = apr_palloc(p, sizeof(*ml));
    ml->method_mask = 0;
    ml->method_list = apr_array_make(p, nelts, sizeof(char *));
    return ml;
}

AP_DECLARE(void) ap_method_list_add(ap_method_list_t *l, const char *method)
{
    int n = ap_method_number_of(method);
    if (n != M_INVALID) {
        l->method_mask |= (AP_METHOD_BIT << n);
        return;
    }
    if (ap_method_in_list(l, method))
        return;
    APR_ARRAY_PUSH(l->method_list, const char *) = method;
}

AP_DECLARE(int) ap_method_in_list(ap_method_list_t *l, const char *method)
{
    int n = ap_method_number_of(method);
    if (n != M_INVALID)
        return !!(l->method_mask & (AP_METHOD_BIT << n));
    for (int i = 0; i < l->method_list->nelts; ++i)
        if (!strcmp(method, APR_ARRAY_IDX(l->method_list, i, char *)))
            return 1;
    return 0;
}

AP_DECLARE(void) ap_method_list_remove(ap_method_list_t *l, const char *method)
{
    int n = ap_method_number_of(method);
    if (n != M_INVALID)
        l->method_mask &= ~(AP_METHOD_BIT << n);
}

AP_DECLARE(void) ap_clear_method_list(ap_method_list_t *l)
{
    l->method_mask = 0;
    l->method_list->nelts = 0;
}

AP_DECLARE(void)
ap_copy_method_list(ap_method_list_t *dest, ap_method_list_t *src)
{
    dest->method_mask = src->method_mask;
    dest->method_list =
        apr_array_copy(dest->method_list->pool, src->method_list);
}

/* --- URI --------------------------------------------------------------------- */

AP_CORE_DECLARE(void) ap_parse_uri(request_rec *r, const char *uri)
{
    apr_status_t st;
    mc_stub_perturb();
    r->unparsed_uri = apr_pstrdup(r->pool, uri);
    if (r->method_number == M_CONNECT)
        st = apr_uri_parse_hostinfo(r->pool, uri, &r->parsed_uri);
    else
        st = apr_uri_parse(r->pool, uri, &r->parsed_uri);
    if (st == APR_SUCCESS) {
        if (r->parsed_uri.scheme && !strcasecmp(r->parsed_uri.scheme, "http"))
            r->hostname = r->parsed_uri.hostname;
        r->uri =
            r->parsed_uri.path ? r->parsed_uri.path : apr_pstrdup(r->pool, "/");
        r->args = r->parsed_uri.query;
    } else {
        r->args = NULL;
        r->hostname = NULL;
        r->status = HTTP_BAD_REQUEST;
        r->uri = apr_pstrdup(r->pool, uri);
    }
}

/* --- HTTP_IN ------------------------------------------------------------------ */

enum body_state {
    BODY_NONE,
    BODY_LENGTH,
    BODY_CHUNK_SIZE,
    BODY_CHUNK_DATA,
    BODY_CHUNK_CRLF,
    BODY_TRAILERS,
    BODY_DONE
};

struct http_in_ctx {
    enum body_state state;
    apr_off_t remaining;
    apr_off_t limit;
    apr_off_t total;
    int eos_sent;
};

static void send_100_continue(request_rec *r)
{
    conn_rec *c = r->connection;
    apr_bucket_brigade *bb = apr_brigade_create(r->pool, c->bucket_alloc);
    char line[64];
    int n = snprintf(line, sizeof(line), "%s 100 Continue\r\n\r\n",
                     AP_SERVER_PROTOCOL);
    APR_BRIGADE_INSERT_TAIL(
        bb, apr_bucket_transient_create(line, (apr_size_t)n, c->bucket_alloc));
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_flush_create(c->bucket_alloc));
    ap_pass_brigade(c->output_filters, bb);
    apr_brigade_destroy(bb);
}

static int body_init(ap_filter_t *f, struct http_in_ctx *ctx)
{
    request_rec *r = f->r;
    const char *te = apr_table_get(r->headers_in, "Transfer-Encoding");
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    ctx->limit = ap_get_limit_req_body(r);
    if (te && !strcasecmp(te, "chunked")) {
        ctx->state = BODY_CHUNK_SIZE;
    } else if (cl) {
        char *end;
        apr_strtoff(&ctx->remaining, cl, &end, 10);
        ctx->state = ctx->remaining > 0 ? BODY_LENGTH : BODY_NONE;
        if (ctx->limit && ctx->remaining > ctx->limit)
            return HTTP_REQUEST_ENTITY_TOO_LARGE;
    } else {
        ctx->state = BODY_NONE;
    }
    if (ctx->state != BODY_NONE && r->expecting_100 &&
        r->proto_num >= HTTP_VERSION(1, 1) && !r->sent_bodyct)
        send_100_continue(r);
    return OK;
}

/* Like httpd: the error goes down the output chain (the header filter turns
 * it into the error response) and the reader gets AP_FILTER_ERROR. */
static apr_status_t bail(ap_filter_t *f, apr_bucket_brigade *b, int status)
{
    apr_bucket_brigade *eb = apr_brigade_create(f->r->pool, f->c->bucket_alloc);
    (void)b;
    f->c->keepalive = AP_CONN_CLOSE;
    APR_BRIGADE_INSERT_TAIL(eb, ap_bucket_error_create(status, NULL, f->r->pool,
                                                       f->c->bucket_alloc));
    APR_BRIGADE_INSERT_TAIL(eb, apr_bucket_eos_create(f->c->bucket_alloc));
    ap_pass_brigade(f->r->output_filters, eb);
    return AP_FILTER_ERROR;
}

static apr_status_t read_line(ap_filter_t *f, char *buf, apr_size_t size)
{
    apr_bucket_brigade *tmp =
        apr_brigade_create(f->r->pool, f->c->bucket_alloc);
    apr_size_t used = 0;
    for (;;) {
        apr_size_t len;
        apr_status_t rv =
            ap_get_brigade(f->next, tmp, AP_MODE_GETLINE, APR_BLOCK_READ, 0);
        if (rv != APR_SUCCESS)
            return rv;
        len = size - used - 1;
        rv = apr_brigade_flatten(tmp, buf + used, &len);
        apr_brigade_cleanup(tmp);
        if (rv != APR_SUCCESS)
            return rv;
        used += len;
        buf[used] = '\0';
        if (used > 0 && buf[used - 1] == '\n')
            break;
        if (used + 1 >= size)
            return APR_ENOSPC;
    }
    while (used > 0 && (buf[used - 1] == '\n' || buf[used - 1] == '\r'))
        buf[--used] = '\0';
    return APR_SUCCESS;
}

static apr_status_t chunk_size(ap_filter_t *f, struct http_in_ctx *ctx)
{
    char line[256];
    apr_status_t rv = read_line(f, line, sizeof(line));
    const char *s = line;
    apr_off_t size = 0;
    int digits = 0;
    if (rv != APR_SUCCESS)
        return rv;
    for (; apr_isxdigit(*s); ++s, ++digits) {
        int v = apr_isdigit(*s) ? *s - '0' : (apr_tolower(*s) - 'a' + 10);
        if (size > (APR_INT64_MAX >> 4))
            return APR_EGENERAL;
        size = size * 16 + v;
    }
    if (!digits || (*s && *s != ';' && *s != ' ' && *s != '\t'))
        return APR_EGENERAL;
    ctx->remaining = size;
    ctx->state = size ? BODY_CHUNK_DATA : BODY_TRAILERS;
    return APR_SUCCESS;
}

static apr_status_t body_data(ap_filter_t *f, apr_bucket_brigade *b,
                              struct http_in_ctx *ctx, apr_off_t readbytes)
{
    apr_off_t len = readbytes < ctx->remaining ? readbytes : ctx->remaining;
    apr_off_t got = 0;
    apr_status_t rv =
        ap_get_brigade(f->next, b, AP_MODE_READBYTES, APR_BLOCK_READ, len);
    if (rv != APR_SUCCESS)
        return rv;
    apr_brigade_length(b, 1, &got);
    if (got == 0)
        return APR_INCOMPLETE;
    ctx->remaining -= got;
    ctx->total += got;
    if (ctx->limit && ctx->total > ctx->limit)
        return APR_ENOSPC;
    if (ctx->remaining == 0)
        ctx->state = ctx->state == BODY_LENGTH ? BODY_DONE : BODY_CHUNK_CRLF;
    return APR_SUCCESS;
}

static apr_status_t http_in_filter(ap_filter_t *f, apr_bucket_brigade *b,
                                   ap_input_mode_t mode, apr_read_type_e block,
                                   apr_off_t readbytes)
{
    struct http_in_ctx *ctx = f->ctx;
    apr_status_t rv;
    char line[256];
    if (mode != AP_MODE_READBYTES && mode != AP_MODE_GETLINE)
        return ap_get_brigade(f->next, b, mode, block, readbytes);
    if (!ctx) {
        int st;
        f->ctx = ctx = apr_pcalloc(f->r->pool, sizeof(*ctx));
        st = body_init(f, ctx);
        if (st != OK)
            return bail(f, b, st);
    }
    for (;;) {
        switch (ctx->state) {
            case BODY_NONE:
            case BODY_DONE:
                /* like httpd: every read after the end of the body sees EOS */
                ctx->eos_sent = 1;
                APR_BRIGADE_INSERT_TAIL(
                    b, apr_bucket_eos_create(f->c->bucket_alloc));
                return APR_SUCCESS;
            case BODY_CHUNK_SIZE:
                rv = chunk_size(f, ctx);
                if (rv != APR_SUCCESS)
                    return APR_STATUS_IS_TIMEUP(rv) || APR_STATUS_IS_EOF(rv)
                               ? rv
                               : bail(f, b, HTTP_BAD_REQUEST);
                continue;
            case BODY_CHUNK_CRLF:
                rv = read_line(f, line, sizeof(line));
                if (rv != APR_SUCCESS || line[0])
                    return rv != APR_SUCCESS ? rv
                                             : bail(f, b, HTTP_BAD_REQUEST);
                ctx->state = BODY_CHUNK_SIZE;
                continue;
            case BODY_TRAILERS:
                rv = read_line(f, line, sizeof(line));
                if (rv != APR_SUCCESS)
                    return rv;
                if (!line[0])
                    ctx->state = BODY_DONE;
                continue;
            case BODY_LENGTH:
            case BODY_CHUNK_DATA:
                rv = body_data(f, b, ctx, readbytes > 0 ? readbytes : 8192);
                if (rv == APR_ENOSPC)
                    return bail(f, b, HTTP_REQUEST_ENTITY_TOO_LARGE);
                if (rv != APR_SUCCESS) {
                    f->c->keepalive = AP_CONN_CLOSE;
                    f->c->aborted = 1;
                }
                return rv;
        }
    }
}

/* --- the client-block API ---------------------------------------------- */

AP_DECLARE(int) ap_setup_client_block(request_rec *r, int read_policy)
{
    const char *te = apr_table_get(r->headers_in, "Transfer-Encoding");
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    mc_stub_perturb();
    r->read_body = read_policy;
    r->read_chunked = 0;
    r->remaining = 0;
    if (te) {
        if (strcasecmp(te, "chunked"))
            return HTTP_NOT_IMPLEMENTED;
        if (read_policy == REQUEST_CHUNKED_ERROR) {
            r->read_chunked = 0;
            return HTTP_LENGTH_REQUIRED;
        }
        r->read_chunked = 1;
    } else if (cl) {
        char *end;
        if (apr_strtoff(&r->remaining, cl, &end, 10) != APR_SUCCESS || *end ||
            r->remaining < 0)
            return HTTP_BAD_REQUEST;
    }
    if (read_policy == REQUEST_NO_BODY && (r->read_chunked || r->remaining > 0))
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    return OK;
}

AP_DECLARE(int) ap_should_client_block(request_rec *r)
{
    mc_stub_perturb();
    if (r->read_length || (!r->read_chunked && r->remaining <= 0))
        return 0;
    return 1;
}

AP_DECLARE(long)
ap_get_client_block(request_rec *r, char *buffer, apr_size_t bufsiz)
{
    core_request_config *req_cfg;
    apr_bucket_brigade *bb;
    apr_size_t len = bufsiz;
    apr_status_t rv;
    mc_stub_perturb();
    if (!r->read_chunked && r->remaining <= 0)
        return 0;
    req_cfg = ap_get_core_module_config(r->request_config);
    if (!req_cfg->bb)
        req_cfg->bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    bb = req_cfg->bb;
    if (APR_BRIGADE_EMPTY(bb)) {
        rv = ap_get_brigade(r->input_filters, bb, AP_MODE_READBYTES,
                            APR_BLOCK_READ, (apr_off_t)bufsiz);
        if (rv != APR_SUCCESS) {
            apr_brigade_cleanup(bb);
            r->connection->keepalive = AP_CONN_CLOSE;
            return -1;
        }
    }
    if (!APR_BRIGADE_EMPTY(bb) && APR_BUCKET_IS_EOS(APR_BRIGADE_LAST(bb)) &&
        APR_BRIGADE_FIRST(bb) == APR_BRIGADE_LAST(bb)) {
        apr_brigade_cleanup(bb);
        r->remaining = 0;
        r->read_chunked = 0;
        return 0;
    }
    for (apr_bucket *e = APR_BRIGADE_FIRST(bb); e != APR_BRIGADE_SENTINEL(bb);
         e = APR_BUCKET_NEXT(e))
        if (AP_BUCKET_IS_ERROR(e)) {
            apr_brigade_cleanup(bb);
            return -1;
        }
    rv = apr_brigade_flatten(bb, buffer, &len);
    if (rv != APR_SUCCESS)
        return -1;
    {
        apr_bucket *split = NULL;
        apr_brigade_partition(bb, (apr_off_t)len, &split);
        while (!APR_BRIGADE_EMPTY(bb) && APR_BRIGADE_FIRST(bb) != split) {
            apr_bucket *e = APR_BRIGADE_FIRST(bb);
            if (APR_BUCKET_IS_EOS(e)) {
                r->remaining = 0;
                r->read_chunked = 0;
            }
            apr_bucket_delete(e);
        }
        if (split && split != APR_BRIGADE_SENTINEL(bb) &&
            APR_BUCKET_IS_EOS(split) &&
            APR_BUCKET_NEXT(split) == APR_BRIGADE_SENTINEL(bb)) {
            apr_bucket_delete(split);
            r->remaining = 0;
            r->read_chunked = 0;
        }
    }
    if (!r->read_chunked && r->remaining > 0)
        r->remaining -= (apr_off_t)len;
    r->read_length += (apr_off_t)len;
    return (long)len;
}

AP_DECLARE(int) ap_discard_request_body(request_rec *r)
{
    apr_bucket_brigade *bb;
    int seen_eos = 0;
    mc_stub_perturb();
    if (r->main || r->connection->keepalive == AP_CONN_CLOSE)
        return OK;
    if (!apr_table_get(r->headers_in, "Transfer-Encoding") &&
        !apr_table_get(r->headers_in, "Content-Length"))
        return OK;
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    while (!seen_eos) {
        apr_status_t rv =
            ap_get_brigade(r->input_filters, bb, AP_MODE_READBYTES,
                           APR_BLOCK_READ, HUGE_STRING_LEN);
        if (rv != APR_SUCCESS) {
            r->connection->keepalive = AP_CONN_CLOSE;
            apr_brigade_destroy(bb);
            return rv == AP_FILTER_ERROR ? HTTP_BAD_REQUEST : OK;
        }
        if (APR_BRIGADE_EMPTY(bb))
            break; /* a filter that returns nothing and no EOS: stop */
        for (apr_bucket *e = APR_BRIGADE_FIRST(bb);
             e != APR_BRIGADE_SENTINEL(bb); e = APR_BUCKET_NEXT(e))
            if (APR_BUCKET_IS_EOS(e))
                seen_eos = 1;
        apr_brigade_cleanup(bb);
    }
    apr_brigade_destroy(bb);
    return OK;
}

/* --- content headers ---------------------------------------------------- */

AP_DECLARE(void) ap_set_content_type(request_rec *r, const char *ct)
{
    mc_stub_perturb();
    if (!ct)
        r->content_type = NULL;
    else if (!r->content_type || strcmp(r->content_type, ct))
        r->content_type = ct;
}

AP_DECLARE(void)
ap_set_content_type_ex(request_rec *r, const char *ct, int trusted)
{
    (void)trusted;
    ap_set_content_type(r, ct);
}

AP_DECLARE(void) ap_set_content_length(request_rec *r, apr_off_t length)
{
    mc_stub_perturb();
    r->clength = length;
    apr_table_setn(r->headers_out, "Content-Length",
                   apr_off_t_toa(r->pool, length));
}

AP_DECLARE(const char *) ap_make_content_type(request_rec *r, const char *type)
{
    mc_stub_perturb();
    (void)r;
    return type;
}

/* --- HTTP_HEADER -------------------------------------------------------- */

struct header_ctx {
    int headers_sent;
    int chunked;
};

static int status_has_no_body(int status)
{
    return status == HTTP_NO_CONTENT || status == HTTP_NOT_MODIFIED ||
           (status >= 100 && status < 200);
}

static int client_wants_keepalive(request_rec *r)
{
    const char *conn = apr_table_get(r->headers_in, "Connection");
    if (conn && ap_find_token(r->pool, conn, "close"))
        return 0;
    if (r->proto_num >= HTTP_VERSION(1, 1))
        return 1;
    return conn && ap_find_token(r->pool, conn, "keep-alive");
}

AP_DECLARE(int) ap_set_keepalive(request_rec *r)
{
    conn_rec *c = r->connection;
    server_rec *s = r->server;
    int framed = r->header_only || status_has_no_body(r->status) ||
                 apr_table_get(r->headers_out, "Content-Length") || r->chunked;
    mc_stub_perturb();
    if (c->keepalive != AP_CONN_CLOSE && !c->aborted && s->keep_alive &&
        framed && !ap_status_drops_connection(r->status) &&
        client_wants_keepalive(r) && !mc__stub_stopping &&
        (s->keep_alive_max == 0 || c->keepalives + 1 < s->keep_alive_max)) {
        c->keepalive = AP_CONN_KEEPALIVE;
        if (r->proto_num < HTTP_VERSION(1, 1))
            apr_table_mergen(r->headers_out, "Connection", "Keep-Alive");
        return 1;
    }
    c->keepalive = AP_CONN_CLOSE;
    apr_table_mergen(r->headers_out, "Connection", "close");
    return 0;
}

static int brigade_complete_length(apr_bucket_brigade *b, apr_off_t *len)
{
    apr_off_t total = 0;
    for (apr_bucket *e = APR_BRIGADE_FIRST(b); e != APR_BRIGADE_SENTINEL(b);
         e = APR_BUCKET_NEXT(e)) {
        if (APR_BUCKET_IS_EOS(e)) {
            *len = total;
            return 1;
        }
        if (e->length == (apr_size_t)-1)
            return 0;
        total += (apr_off_t)e->length;
    }
    return 0;
}

struct hdr_buf {
    char *p;
    apr_size_t len, cap;
    apr_pool_t *pool;
};

static void hb_add(struct hdr_buf *h, const char *s, apr_size_t n)
{
    if (h->len + n > h->cap) {
        apr_size_t cap = (h->cap + n) * 2;
        char *np = apr_palloc(h->pool, cap);
        memcpy(np, h->p, h->len);
        h->p = np;
        h->cap = cap;
    }
    memcpy(h->p + h->len, s, n);
    h->len += n;
}

static int hb_header(void *data, const char *key, const char *val)
{
    struct hdr_buf *h = data;
    hb_add(h, key, strlen(key));
    hb_add(h, ": ", 2);
    hb_add(h, val, strlen(val));
    hb_add(h, "\r\n", 2);
    return 1;
}

static void fixup_headers(request_rec *r, apr_bucket_brigade *b,
                          struct header_ctx *ctx)
{
    apr_off_t len;
    if (r->content_type)
        apr_table_setn(r->headers_out, "Content-Type",
                       ap_make_content_type(r, r->content_type));
    if (r->content_encoding)
        apr_table_setn(r->headers_out, "Content-Encoding", r->content_encoding);
    if (status_has_no_body(r->status)) {
        apr_table_unset(r->headers_out, "Content-Length");
        apr_table_unset(r->headers_out, "Transfer-Encoding");
    } else if (!apr_table_get(r->headers_out, "Content-Length") &&
               brigade_complete_length(b, &len) &&
               (len > 0 || !r->header_only)) {
        ap_set_content_length(r, len);
    } else if (!apr_table_get(r->headers_out, "Content-Length") &&
               r->proto_num >= HTTP_VERSION(1, 1) && !r->header_only) {
        ctx->chunked = 1;
        r->chunked = 1;
        apr_table_mergen(r->headers_out, "Transfer-Encoding", "chunked");
    }
    ap_set_keepalive(r);
}

static apr_bucket *build_headers(request_rec *r, apr_bucket_alloc_t *ba)
{
    struct hdr_buf h;
    char date[APR_RFC822_DATE_LEN];
    const char *banner = ap_get_server_banner();
    h.pool = r->pool;
    h.cap = 512;
    h.len = 0;
    h.p = apr_palloc(r->pool, h.cap);
    if (!r->status_line || strlen(r->status_line) < 4 ||
        atoi(r->status_line) != r->status)
        r->status_line = ap_get_status_line(r->status);
    hb_add(&h, AP_SERVER_PROTOCOL " ", sizeof(AP_SERVER_PROTOCOL));
    hb_add(&h, r->status_line, strlen(r->status_line));
    hb_add(&h, "\r\n", 2);
    apr_rfc822_date(date, r->request_time);
    hb_header(&h, "Date", date);
    hb_header(&h, "Server", banner);
    apr_table_unset(r->headers_out, "Date");
    apr_table_unset(r->headers_out, "Server");
    apr_table_do(hb_header, &h, r->headers_out, NULL);
    apr_table_do(hb_header, &h, r->err_headers_out, NULL);
    hb_add(&h, "\r\n", 2);
    return apr_bucket_heap_create(h.p, h.len, NULL, ba);
}

/* Wraps the data of `b` in one chunk (and the final chunk before EOS). */
static void chunk_brigade(apr_bucket_brigade *b, apr_bucket_alloc_t *ba)
{
    apr_off_t len = 0;
    apr_bucket *eos = NULL;
    for (apr_bucket *e = APR_BRIGADE_FIRST(b); e != APR_BRIGADE_SENTINEL(b);
         e = APR_BUCKET_NEXT(e)) {
        if (APR_BUCKET_IS_EOS(e)) {
            eos = e;
            break;
        }
        if (!APR_BUCKET_IS_METADATA(e)) {
            if (e->length == (apr_size_t)-1) {
                const char *d;
                apr_size_t n;
                apr_bucket_read(e, &d, &n, APR_BLOCK_READ);
            }
            len += (apr_off_t)e->length;
        }
    }
    if (len > 0) {
        char hdr[32];
        int n = snprintf(hdr, sizeof(hdr), "%" APR_UINT64_T_HEX_FMT "\r\n",
                         (apr_uint64_t)len);
        APR_BRIGADE_INSERT_HEAD(
            b, apr_bucket_heap_create(hdr, (apr_size_t)n, NULL, ba));
        if (eos)
            APR_BUCKET_INSERT_BEFORE(eos,
                                     apr_bucket_immortal_create("\r\n", 2, ba));
        else
            APR_BRIGADE_INSERT_TAIL(b,
                                    apr_bucket_immortal_create("\r\n", 2, ba));
    }
    if (eos)
        APR_BUCKET_INSERT_BEFORE(
            eos, apr_bucket_immortal_create("0\r\n\r\n", 5, ba));
}

static void drop_body(apr_bucket_brigade *b)
{
    apr_bucket *e = APR_BRIGADE_FIRST(b);
    while (e != APR_BRIGADE_SENTINEL(b)) {
        apr_bucket *next = APR_BUCKET_NEXT(e);
        if (!APR_BUCKET_IS_METADATA(e))
            apr_bucket_delete(e);
        e = next;
    }
}

/* r->bytes_sent: body bytes, without headers or chunk framing. */
static void count_body(request_rec *r, apr_bucket_brigade *b)
{
    for (apr_bucket *e = APR_BRIGADE_FIRST(b); e != APR_BRIGADE_SENTINEL(b);
         e = APR_BUCKET_NEXT(e))
        if (!APR_BUCKET_IS_METADATA(e) && e->length != (apr_size_t)-1)
            r->bytes_sent += (apr_off_t)e->length;
}

static apr_status_t http_header_filter(ap_filter_t *f, apr_bucket_brigade *b)
{
    request_rec *r = f->r;
    struct header_ctx *ctx = f->ctx;
    apr_bucket_alloc_t *ba = f->c->bucket_alloc;
    if (!ctx)
        f->ctx = ctx = apr_pcalloc(r->pool, sizeof(*ctx));
    if (!ctx->headers_sent) {
        apr_bucket *e = APR_BRIGADE_FIRST(b);
        if (e != APR_BRIGADE_SENTINEL(b) && AP_BUCKET_IS_ERROR(e)) {
            int st = ((ap_bucket_error *)e->data)->status;
            apr_brigade_cleanup(b);
            r->eos_sent = 0; /* the error response is still to be sent */
            ap_die(st, r);
            return AP_FILTER_ERROR;
        }
        fixup_headers(r, b, ctx);
        if (!r->header_only && !status_has_no_body(r->status))
            count_body(r, b);
        ctx->headers_sent = 1;
        r->sent_bodyct = 1;
        APR_BRIGADE_INSERT_HEAD(b, build_headers(r, ba));
        if (r->header_only || status_has_no_body(r->status)) {
            apr_bucket *hb = APR_BRIGADE_FIRST(b);
            APR_BUCKET_REMOVE(hb);
            drop_body(b);
            APR_BRIGADE_INSERT_HEAD(b, hb);
            return ap_pass_brigade(f->next, b);
        }
        if (ctx->chunked) {
            apr_bucket *hb = APR_BRIGADE_FIRST(b);
            APR_BUCKET_REMOVE(hb);
            chunk_brigade(b, ba);
            APR_BRIGADE_INSERT_HEAD(b, hb);
        }
        return ap_pass_brigade(f->next, b);
    }
    if (r->header_only || status_has_no_body(r->status)) {
        drop_body(b);
    } else {
        count_body(r, b);
        if (ctx->chunked)
            chunk_brigade(b, ba);
    }
    return ap_pass_brigade(f->next, b);
}

/* --- OLD_WRITE and ap_r* ---------------------------------------------- */

struct old_write_ctx {
    apr_bucket_brigade *bb;
    apr_size_t buffered;
};

static apr_status_t old_write_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    struct old_write_ctx *ctx = f->ctx;
    if (ctx && ctx->bb && !APR_BRIGADE_EMPTY(ctx->bb)) {
        APR_BRIGADE_PREPEND(bb, ctx->bb);
        ctx->buffered = 0;
    }
    return ap_pass_brigade(f->next, bb);
}

static struct old_write_ctx *old_write(request_rec *r, ap_filter_t **fp)
{
    ap_filter_t *f = r->output_filters;
    struct old_write_ctx *ctx;
    if (f->frec != ap_old_write_func) {
        ctx = apr_pcalloc(r->pool, sizeof(*ctx));
        ctx->bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
        f = ap_add_output_filter_handle(ap_old_write_func, ctx, r,
                                        r->connection);
        if (r->output_filters != f) { /* cannot be first: pass-through */
            ap_remove_output_filter(f);
            f = NULL;
        }
    }
    *fp = f;
    return f ? f->ctx : NULL;
}

static int buffer_output(request_rec *r, const char *str, apr_size_t len)
{
    ap_filter_t *f;
    struct old_write_ctx *ctx;
    apr_bucket_alloc_t *ba = r->connection->bucket_alloc;
    if (len == 0)
        return 0;
    if (r->connection->aborted)
        return -1;
    ctx = old_write(r, &f);
    if (!ctx) {
        apr_bucket_brigade *bb = apr_brigade_create(r->pool, ba);
        APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_transient_create(str, len, ba));
        if (ap_pass_brigade(r->output_filters, bb) != APR_SUCCESS)
            return -1;
        return (int)len;
    }
    apr_brigade_write(ctx->bb, NULL, NULL, str, len);
    ctx->buffered += len;
    if (ctx->buffered >= MC_MIN_BYTES_TO_WRITE) {
        apr_bucket_brigade *bb = apr_brigade_create(r->pool, ba);
        ctx->buffered = 0;
        if (ap_pass_brigade(f, bb) != APR_SUCCESS)
            return -1;
    }
    return (int)len;
}

AP_DECLARE(int) ap_rwrite(const void *buf, int nbyte, request_rec *r)
{
    mc_stub_perturb();
    if (nbyte < 0)
        return -1;
    return buffer_output(r, buf, (apr_size_t)nbyte);
}

AP_DECLARE(int) ap_rputc(int c, request_rec *r)
{
    char ch = (char)c;
    mc_stub_perturb();
    if (buffer_output(r, &ch, 1) < 0)
        return -1;
    return c;
}

AP_DECLARE(int) ap_vrprintf(request_rec *r, const char *fmt, va_list va)
{
    char *s;
    mc_stub_perturb();
    s = apr_pvsprintf(r->pool, fmt, va);
    return buffer_output(r, s, strlen(s));
}

AP_DECLARE_NONSTD(int) ap_rprintf(request_rec *r, const char *fmt, ...)
{
    va_list va;
    int n;
    va_start(va, fmt);
    n = ap_vrprintf(r, fmt, va);
    va_end(va);
    return n;
}

AP_DECLARE_NONSTD(int) ap_rvputs(request_rec *r, ...)
{
    va_list va;
    const char *s;
    int total = 0;
    mc_stub_perturb();
    va_start(va, r);
    while ((s = va_arg(va, const char *)) != NULL) {
        int n = buffer_output(r, s, strlen(s));
        if (n < 0) {
            total = -1;
            break;
        }
        total += n;
    }
    va_end(va);
    return total;
}

AP_DECLARE(int) ap_rflush(request_rec *r)
{
    apr_bucket_brigade *bb;
    mc_stub_perturb();
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(
        bb, apr_bucket_flush_create(r->connection->bucket_alloc));
    if (ap_pass_brigade(r->output_filters, bb) != APR_SUCCESS)
        return -1;
    return 0;
}

AP_DECLARE(apr_status_t)
ap_send_fd(apr_file_t *fd, request_rec *r, apr_off_t offset, apr_size_t length,
           apr_size_t *nbytes)
{
    apr_bucket_brigade *bb;
    apr_status_t rv;
    mc_stub_perturb();
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    apr_brigade_insert_file(bb, fd, offset, (apr_off_t)length, r->pool);
    rv = ap_pass_brigade(r->output_filters, bb);
    *nbytes = rv == APR_SUCCESS ? length : 0;
    return rv;
}

/* --- error buckets -------------------------------------------------------- */

static apr_status_t error_bucket_read(apr_bucket *b, const char **str,
                                      apr_size_t *len, apr_read_type_e block)
{
    (void)b;
    (void)block;
    *str = NULL;
    *len = 0;
    return APR_SUCCESS;
}

AP_DECLARE_DATA const apr_bucket_type_t ap_bucket_type_error = {
    "ERROR",
    5,
    APR_BUCKET_METADATA,
    apr_bucket_destroy_noop,
    error_bucket_read,
    apr_bucket_setaside_notimpl,
    apr_bucket_split_notimpl,
    apr_bucket_shared_copy};

AP_DECLARE(apr_bucket *)
ap_bucket_error_make(apr_bucket *b, int error, const char *buf, apr_pool_t *p)
{
    ap_bucket_error *h = apr_palloc(p, sizeof(*h));
    h->status = error;
    h->data = buf ? apr_pstrdup(p, buf) : NULL;
    b = apr_bucket_shared_make(b, h, 0, 0);
    b->type = &ap_bucket_type_error;
    return b;
}

AP_DECLARE(apr_bucket *)
ap_bucket_error_create(int error, const char *buf, apr_pool_t *p,
                       apr_bucket_alloc_t *list)
{
    apr_bucket *b = apr_bucket_alloc(sizeof(*b), list);
    APR_BUCKET_INIT(b);
    b->free = apr_bucket_free;
    b->list = list;
    return ap_bucket_error_make(b, error, buf, p);
}

AP_DECLARE(int) ap_map_http_request_error(apr_status_t rv, int status)
{
    mc_stub_perturb();
    switch (rv) {
        case AP_FILTER_ERROR:
            return AP_FILTER_ERROR;
        case APR_ENOSPC:
            return HTTP_REQUEST_ENTITY_TOO_LARGE;
        case APR_ENOTIMPL:
            return HTTP_NOT_IMPLEMENTED;
        case APR_TIMEUP:
        case APR_ETIMEDOUT:
            return HTTP_REQUEST_TIME_OUT;
        default:
            return status;
    }
}

void mc__http_filters_init(void);
void mc__http_filters_init(void)
{
    ap_http_input_filter_handle = ap_register_input_filter(
        "HTTP_IN", http_in_filter, NULL, AP_FTYPE_PROTOCOL);
    ap_http_header_filter_handle = ap_register_output_filter(
        "HTTP_HEADER", http_header_filter, NULL, AP_FTYPE_PROTOCOL);
    ap_old_write_func = ap_register_output_filter("OLD_WRITE", old_write_filter,
                                                  NULL, AP_FTYPE_RESOURCE - 10);
    mc__http_header_frec = ap_http_header_filter_handle;
    mc__http_in_frec = ap_http_input_filter_handle;
}
