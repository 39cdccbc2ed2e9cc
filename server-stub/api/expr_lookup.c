/* expr_lookup.c — the built-in variables, string functions and operators of
 * httpd's expression language, and ap_expr_lookup_default (the expr_lookup
 * hook first — modules may add their own — then this table).
 *
 * Contract: lookups run at parse time (configuration phase) and return
 * function pointers plus immutable data; the functions run at request time,
 * read the request in ctx and allocate from ctx->p. osenv() reads the
 * process environment at parse time (getenv is not used at request time),
 * so it needs a literal argument. Thread-safe given a per-request ctx.
 */
#include <stdlib.h>
#include <string.h>

#include "apr_base64.h"
#include "apr_file_info.h"
#include "apr_fnmatch.h"
#include "apr_lib.h"
#include "apr_network_io.h"
#include "apr_sha1.h"
#include "apr_strings.h"
#include "apr_tables.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_protocol.h"
#include "ap_expr.h"
#include "ap_mmn.h"
#include "util_md5.h"

#include "api_internal.h"
#include "expr_internal.h"

/* ---- variables ----------------------------------------------------------- */

static const char *num(ap_expr_eval_ctx_t *ctx, long v)
{
    return apr_psprintf(ctx->p, "%ld", v);
}

/* Add a request header name to the Vary list. */
static void add_vary(ap_expr_eval_ctx_t *ctx, const char *name)
{
    if (!ctx->vary_this)
        return;
    *ctx->vary_this =
        *ctx->vary_this ? apr_pstrcat(ctx->p, *ctx->vary_this, ", ", name, NULL)
                        : name;
}

static const char *header_var(ap_expr_eval_ctx_t *ctx, const void *data)
{
    const char *name = data;

    if (!ctx->r)
        return "";
    add_vary(ctx, name);
    return apr_table_get(ctx->r->headers_in, name);
}

static const char *time_var(ap_expr_eval_ctx_t *ctx, const void *data)
{
    apr_time_exp_t tm;
    const char *which = data;

    apr_time_exp_lt(&tm, apr_time_now());
    if (!strcmp(which, "TIME_YEAR"))
        return num(ctx, tm.tm_year + 1900);
    if (!strcmp(which, "TIME_MON"))
        return apr_psprintf(ctx->p, "%02d", tm.tm_mon + 1);
    if (!strcmp(which, "TIME_DAY"))
        return apr_psprintf(ctx->p, "%02d", tm.tm_mday);
    if (!strcmp(which, "TIME_HOUR"))
        return apr_psprintf(ctx->p, "%02d", tm.tm_hour);
    if (!strcmp(which, "TIME_MIN"))
        return apr_psprintf(ctx->p, "%02d", tm.tm_min);
    if (!strcmp(which, "TIME_SEC"))
        return apr_psprintf(ctx->p, "%02d", tm.tm_sec);
    if (!strcmp(which, "TIME_WDAY"))
        return num(ctx, tm.tm_wday);
    return apr_psprintf(ctx->p, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900,
                        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                        tm.tm_sec);
}

/* Request variables by name (data: the name). */
static const char *request_var(ap_expr_eval_ctx_t *ctx, const void *data)
{
    const char *n = data;
    request_rec *r = ctx->r;

    if (!r)
        return "";
    if (!strcmp(n, "REQUEST_METHOD"))
        return r->method;
    if (!strcmp(n, "REQUEST_SCHEME"))
        return ap_run_http_scheme(r);
    if (!strcmp(n, "REQUEST_URI") || !strcmp(n, "DOCUMENT_URI"))
        return r->uri;
    if (!strcmp(n, "REQUEST_FILENAME") || !strcmp(n, "SCRIPT_FILENAME"))
        return r->filename;
    if (!strcmp(n, "PATH_INFO"))
        return r->path_info;
    if (!strcmp(n, "QUERY_STRING"))
        return r->args;
    if (!strcmp(n, "IS_SUBREQ"))
        return r->main ? "true" : "false";
    if (!strcmp(n, "DOCUMENT_ROOT"))
        return ap_document_root(r);
    if (!strcmp(n, "AUTH_TYPE"))
        return r->ap_auth_type;
    if (!strcmp(n, "THE_REQUEST"))
        return r->the_request;
    if (!strcmp(n, "CONTENT_TYPE"))
        return r->content_type;
    if (!strcmp(n, "HANDLER"))
        return r->handler;
    if (!strcmp(n, "REQUEST_LOG_ID"))
        return r->log_id;
    if (!strcmp(n, "SERVER_NAME"))
        return ap_get_server_name(r);
    if (!strcmp(n, "SERVER_PORT"))
        return num(ctx, ap_get_server_port(r));
    if (!strcmp(n, "SERVER_ADMIN"))
        return r->server->server_admin;
    if (!strcmp(n, "SERVER_PROTOCOL"))
        return r->protocol;
    if (!strcmp(n, "REMOTE_ADDR"))
        return r->useragent_ip;
    if (!strcmp(n, "REMOTE_PORT"))
        return r->useragent_addr ? num(ctx, r->useragent_addr->port) : "";
    if (!strcmp(n, "REMOTE_USER"))
        return r->user;
    if (!strcmp(n, "CONTEXT_PREFIX"))
        return ap_context_prefix(r);
    if (!strcmp(n, "CONTEXT_DOCUMENT_ROOT"))
        return ap_context_document_root(r);
    if (!strcmp(n, "REQUEST_STATUS"))
        return num(ctx, r->status);
    if (!strcmp(n, "IPV6"))
        return r->useragent_addr && r->useragent_addr->family == APR_INET6
                   ? "on"
                   : "off";
    return NULL;
}

/* Connection and server variables (data: the name). */
static const char *conn_var(ap_expr_eval_ctx_t *ctx, const void *data)
{
    const char *n = data;

    if (!strcmp(n, "HTTPS"))
        return "off"; /* the stub speaks plain HTTP only */
    if (!strcmp(n, "CONN_LOG_ID"))
        return ctx->c ? ctx->c->log_id : NULL;
    if (!strcmp(n, "CONN_REMOTE_ADDR"))
        return ctx->c ? ctx->c->client_ip : NULL;
    if (!strcmp(n, "SERVER_ADDR"))
        return ctx->c ? ctx->c->local_ip : NULL;
    if (!strcmp(n, "SERVER_SOFTWARE"))
        return ap_get_server_banner();
    if (!strcmp(n, "API_VERSION"))
        return APR_STRINGIFY(MODULE_MAGIC_NUMBER_MAJOR) ":" APR_STRINGIFY(
            MODULE_MAGIC_NUMBER_MINOR);
    return NULL;
}

static const char *const header_vars[][2] = {
    {"HTTP_ACCEPT", "Accept"},
    {"HTTP_COOKIE", "Cookie"},
    {"HTTP_FORWARDED", "Forwarded"},
    {"HTTP_HOST", "Host"},
    {"HTTP_PROXY_CONNECTION", "Proxy-Connection"},
    {"HTTP_REFERER", "Referer"},
    {"HTTP_USER_AGENT", "User-Agent"}};

static const char *const request_vars[] = {
    "REQUEST_METHOD",   "REQUEST_SCHEME",
    "REQUEST_URI",      "DOCUMENT_URI",
    "REQUEST_FILENAME", "SCRIPT_FILENAME",
    "PATH_INFO",        "QUERY_STRING",
    "IS_SUBREQ",        "DOCUMENT_ROOT",
    "AUTH_TYPE",        "THE_REQUEST",
    "CONTENT_TYPE",     "HANDLER",
    "REQUEST_LOG_ID",   "SERVER_NAME",
    "SERVER_PORT",      "SERVER_ADMIN",
    "SERVER_PROTOCOL",  "REMOTE_ADDR",
    "REMOTE_PORT",      "REMOTE_USER",
    "CONTEXT_PREFIX",   "CONTEXT_DOCUMENT_ROOT",
    "REQUEST_STATUS",   "IPV6"};

static const char *const conn_vars[] = {
    "HTTPS",       "CONN_LOG_ID",     "CONN_REMOTE_ADDR",
    "SERVER_ADDR", "SERVER_SOFTWARE", "API_VERSION"};

static const char *const time_vars[] = {"TIME_YEAR", "TIME_MON", "TIME_DAY",
                                        "TIME_HOUR", "TIME_MIN", "TIME_SEC",
                                        "TIME_WDAY", "TIME"};

static int in_names(const char *name, const char *const *names, size_t n)
{
    size_t i;

    for (i = 0; i < n; ++i)
        if (!strcmp(name, names[i]))
            return 1;
    return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int lookup_var(ap_expr_lookup_parms *parms)
{
    size_t i;

    for (i = 0; i < COUNT(header_vars); ++i) {
        if (!strcmp(parms->name, header_vars[i][0])) {
            *parms->func = (const void *)header_var;
            *parms->data = header_vars[i][1];
            return OK;
        }
    }
    if (in_names(parms->name, request_vars, COUNT(request_vars)))
        *parms->func = (const void *)request_var;
    else if (in_names(parms->name, conn_vars, COUNT(conn_vars)))
        *parms->func = (const void *)conn_var;
    else if (in_names(parms->name, time_vars, COUNT(time_vars)))
        *parms->func = (const void *)time_var;
    else
        return DECLINED;
    *parms->data = parms->name;
    return OK;
}

/* ---- string functions -------------------------------------------------- */

static const char *fn_tolower(ap_expr_eval_ctx_t *ctx, const void *d,
                              const char *arg)
{
    char *s = apr_pstrdup(ctx->p, arg), *c;

    for (c = s; *c; ++c)
        *c = (char)apr_tolower(*c);
    return s;
}

static const char *fn_toupper(ap_expr_eval_ctx_t *ctx, const void *d,
                              const char *arg)
{
    char *s = apr_pstrdup(ctx->p, arg), *c;

    for (c = s; *c; ++c)
        *c = (char)apr_toupper(*c);
    return s;
}

static const char *fn_escape(ap_expr_eval_ctx_t *ctx, const void *d,
                             const char *arg)
{
    return ap_os_escape_path(ctx->p, arg, 1);
}

static const char *fn_unescape(ap_expr_eval_ctx_t *ctx, const void *d,
                               const char *arg)
{
    char *s = apr_pstrdup(ctx->p, arg);

    if (ap_unescape_url_keep2f(s, 0) != OK)
        return "";
    return s;
}

static const char *fn_base64(ap_expr_eval_ctx_t *ctx, const void *d,
                             const char *arg)
{
    return ap_pbase64encode(ctx->p, (char *)arg);
}

static const char *fn_unbase64(ap_expr_eval_ctx_t *ctx, const void *d,
                               const char *arg)
{
    return ap_pbase64decode(ctx->p, arg);
}

static const char *fn_md5(ap_expr_eval_ctx_t *ctx, const void *d,
                          const char *arg)
{
    return ap_md5(ctx->p, (const unsigned char *)arg);
}

static const char *fn_sha1(ap_expr_eval_ctx_t *ctx, const void *d,
                           const char *arg)
{
    unsigned char digest[APR_SHA1_DIGESTSIZE];
    char *out = apr_palloc(ctx->p, 2 * APR_SHA1_DIGESTSIZE + 1);
    apr_sha1_ctx_t sha;

    apr_sha1_init(&sha);
    apr_sha1_update(&sha, arg, (unsigned int)strlen(arg));
    apr_sha1_final(digest, &sha);
    ap_bin2hex(digest, APR_SHA1_DIGESTSIZE, out);
    return out;
}

/* data selects the table: "req" (Vary), "req_novary", "resp", "reqenv",
 * "note". */
static const char *fn_table(ap_expr_eval_ctx_t *ctx, const void *d,
                            const char *arg)
{
    const char *which = d;
    request_rec *r = ctx->r;

    if (!r)
        return "";
    if (!strcmp(which, "req")) {
        add_vary(ctx, arg);
        return apr_table_get(r->headers_in, arg);
    }
    if (!strcmp(which, "req_novary"))
        return apr_table_get(r->headers_in, arg);
    if (!strcmp(which, "resp"))
        return apr_table_get(r->headers_out, arg);
    if (!strcmp(which, "note"))
        return apr_table_get(r->notes, arg);
    return apr_table_get(r->subprocess_env, arg); /* reqenv */
}

/* osenv: the value captured at parse time (data). */
static const char *fn_osenv(ap_expr_eval_ctx_t *ctx, const void *d,
                            const char *arg)
{
    return d;
}

/* env: the request's environment, then its notes, then the process
 * environment captured at parse time. */
static const char *fn_env(ap_expr_eval_ctx_t *ctx, const void *d,
                          const char *arg)
{
    const char *v = NULL;

    if (ctx->r) {
        v = apr_table_get(ctx->r->subprocess_env, arg);
        if (!v)
            v = apr_table_get(ctx->r->notes, arg);
    }
    return v ? v : d;
}

static const char *fn_file(ap_expr_eval_ctx_t *ctx, const void *d,
                           const char *arg)
{
    apr_file_t *f = NULL;
    apr_finfo_t fi;
    char *buf;
    apr_size_t n;

    if (apr_file_open(&f, arg, APR_READ, APR_OS_DEFAULT, ctx->p) !=
        APR_SUCCESS) {
        *ctx->err = apr_psprintf(ctx->p, "Unable to open file %s", arg);
        return "";
    }
    apr_file_info_get(&fi, APR_FINFO_SIZE, f);
    n = (apr_size_t)fi.size;
    buf = apr_palloc(ctx->p, n + 1);
    apr_file_read_full(f, buf, n, &n);
    apr_file_close(f);
    buf[n] = '\0';
    return buf;
}

static const char *fn_filesize(ap_expr_eval_ctx_t *ctx, const void *d,
                               const char *arg)
{
    apr_finfo_t fi;

    if (apr_stat(&fi, arg, APR_FINFO_SIZE | APR_FINFO_TYPE, ctx->p) ==
            APR_SUCCESS &&
        fi.filetype == APR_REG)
        return apr_psprintf(ctx->p, "%" APR_OFF_T_FMT, fi.size);
    return "0";
}

static const char *fn_filemod(ap_expr_eval_ctx_t *ctx, const void *d,
                              const char *arg)
{
    apr_finfo_t fi;

    if (apr_stat(&fi, arg, APR_FINFO_MTIME | APR_FINFO_TYPE, ctx->p) ==
            APR_SUCCESS &&
        fi.filetype == APR_REG)
        return apr_psprintf(ctx->p, "%" APR_TIME_T_FMT, apr_time_sec(fi.mtime));
    return "0";
}

static const struct {
    const char *name;
    ap_expr_string_func_t *fn;
    int file; /* refused with AP_EXPR_FLAG_RESTRICTED */
} string_funcs[] = {{"tolower", fn_tolower, 0},   {"toupper", fn_toupper, 0},
                    {"escape", fn_escape, 0},     {"unescape", fn_unescape, 0},
                    {"base64", fn_base64, 0},     {"unbase64", fn_unbase64, 0},
                    {"md5", fn_md5, 0},           {"sha1", fn_sha1, 0},
                    {"req", fn_table, 0},         {"http", fn_table, 0},
                    {"req_novary", fn_table, 0},  {"resp", fn_table, 0},
                    {"reqenv", fn_table, 0},      {"v", fn_table, 0},
                    {"note", fn_table, 0},        {"env", fn_env, 0},
                    {"osenv", fn_osenv, 0},       {"file", fn_file, 1},
                    {"filesize", fn_filesize, 1}, {"filemod", fn_filemod, 1}};

/* Parse-time data for a string function. */
static const void *string_func_data(ap_expr_lookup_parms *parms)
{
    const char *n = parms->name;

    if (!strcmp(n, "http"))
        return "req";
    if (!strcmp(n, "v"))
        return "reqenv";
    if (!strcmp(n, "osenv") || !strcmp(n, "env")) {
        /* configuration phase: reading the environment is safe here */
        const char *v = parms->arg ? getenv(parms->arg) : NULL;
        return v ? apr_pstrdup(parms->pool, v) : NULL;
    }
    return n;
}

static int lookup_string_func(ap_expr_lookup_parms *parms)
{
    size_t i;

    for (i = 0; i < COUNT(string_funcs); ++i) {
        if (strcmp(parms->name, string_funcs[i].name) != 0)
            continue;
        if (string_funcs[i].file && (parms->flags & AP_EXPR_FLAG_RESTRICTED)) {
            *parms->err = apr_psprintf(
                parms->ptemp, "%s() not allowed in this context", parms->name);
            return !OK;
        }
        if (!strcmp(parms->name, "osenv") && !parms->arg) {
            *parms->err = "osenv() needs a literal argument in modcert-stub";
            return !OK;
        }
        *parms->func = (const void *)string_funcs[i].fn;
        *parms->data = string_func_data(parms);
        return OK;
    }
    return DECLINED;
}

/* ---- operators -------------------------------------------------------- */

static int op_n(ap_expr_eval_ctx_t *ctx, const void *d, const char *arg)
{
    return arg[0] != '\0';
}

static int op_z(ap_expr_eval_ctx_t *ctx, const void *d, const char *arg)
{
    return arg[0] == '\0';
}

/* -T: false for "", "0", "off", "no", "false" (any case). */
static int op_T(ap_expr_eval_ctx_t *ctx, const void *d, const char *arg)
{
    return !(arg[0] == '\0' || !strcmp(arg, "0") || !strcasecmp(arg, "off") ||
             !strcasecmp(arg, "no") || !strcasecmp(arg, "false"));
}

static int ip_in(ap_expr_eval_ctx_t *ctx, const char *ip, const char *net)
{
    apr_ipsubnet_t *subnet = NULL;
    apr_sockaddr_t *sa = NULL;
    char *addr = apr_pstrdup(ctx->p, net), *mask = strchr(addr, '/');

    if (mask)
        *mask++ = '\0';
    if (!ip || apr_ipsubnet_create(&subnet, addr, mask, ctx->p) != APR_SUCCESS)
        return 0;
    if (apr_sockaddr_info_get(&sa, ip, APR_UNSPEC, 0, 0, ctx->p) != APR_SUCCESS)
        return 0;
    return apr_ipsubnet_test(subnet, sa);
}

/* -R net: the client address is in net. */
static int op_R(ap_expr_eval_ctx_t *ctx, const void *d, const char *arg)
{
    return ctx->r   ? ip_in(ctx, ctx->r->useragent_ip, arg)
           : ctx->c ? ip_in(ctx, ctx->c->client_ip, arg)
                    : 0;
}

static int op_file(ap_expr_eval_ctx_t *ctx, const void *d, const char *arg)
{
    char which = *(const char *)d;
    apr_finfo_t fi;
    apr_int32_t wanted = APR_FINFO_TYPE | APR_FINFO_SIZE;

    if (which == 'L' || which == 'h')
        wanted |= APR_FINFO_LINK;
    if (apr_stat(&fi, arg, wanted, ctx->p) != APR_SUCCESS)
        return 0;
    switch (which) {
        case 'd':
            return fi.filetype == APR_DIR;
        case 'f':
            return fi.filetype == APR_REG;
        case 's':
            return fi.filetype == APR_REG && fi.size > 0;
        case 'L':
        case 'h':
            return fi.filetype == APR_LNK;
        default: /* 'e' */
            return 1;
    }
}

static int op_ipmatch(ap_expr_eval_ctx_t *ctx, const void *d, const char *arg1,
                      const char *arg2)
{
    return ip_in(ctx, arg1, arg2);
}

static int op_strmatch(ap_expr_eval_ctx_t *ctx, const void *d, const char *arg1,
                       const char *arg2)
{
    return apr_fnmatch(arg2, arg1, *(const int *)d) == APR_SUCCESS;
}

static const int fnm_none = 0;
static const int fnm_case_blind = APR_FNM_CASE_BLIND;
static const int fnm_pathname = APR_FNM_PATHNAME;

static int lookup_unary(ap_expr_lookup_parms *parms)
{
    const char *n = parms->name;

    if (!strcmp(n, "n"))
        *parms->func = (const void *)op_n;
    else if (!strcmp(n, "z"))
        *parms->func = (const void *)op_z;
    else if (!strcmp(n, "T"))
        *parms->func = (const void *)op_T;
    else if (!strcmp(n, "R") || !strcmp(n, "ipmatch"))
        *parms->func = (const void *)op_R;
    else if (strlen(n) == 1 && strchr("defsLh", n[0]))
        *parms->func = (const void *)op_file;
    else
        return DECLINED;
    *parms->data = n;
    return OK;
}

static int lookup_binary(ap_expr_lookup_parms *parms)
{
    const char *n = parms->name;

    if (!strcmp(n, "ipmatch")) {
        *parms->func = (const void *)op_ipmatch;
        *parms->data = NULL;
    } else if (!strcmp(n, "strmatch") || !strcmp(n, "strcmatch") ||
               !strcmp(n, "fnmatch")) {
        *parms->func = (const void *)op_strmatch;
        *parms->data = n[0] == 'f'   ? &fnm_pathname
                       : n[3] == 'c' ? &fnm_case_blind
                                     : &fnm_none;
    } else {
        return DECLINED;
    }
    return OK;
}

int mc__expr_builtin_lookup(ap_expr_lookup_parms *parms)
{
    switch (parms->type) {
        case AP_EXPR_FUNC_VAR:
            return lookup_var(parms);
        case AP_EXPR_FUNC_STRING:
            return lookup_string_func(parms);
        case AP_EXPR_FUNC_OP_UNARY:
            return lookup_unary(parms);
        case AP_EXPR_FUNC_OP_BINARY:
            return lookup_binary(parms);
        default:
            return DECLINED;
    }
}

/* Modules' expr_lookup hooks first, then the built-in table. */
AP_DECLARE_NONSTD(int) ap_expr_lookup_default(ap_expr_lookup_parms *parms)
{
    int rc = ap_run_expr_lookup(parms);

    if (rc != DECLINED)
        return rc;
    rc = mc__expr_builtin_lookup(parms);
    if (rc == DECLINED && parms->err && !*parms->err)
        *parms->err =
            apr_psprintf(parms->ptemp, "%s '%s' does not exist",
                         parms->type == AP_EXPR_FUNC_VAR      ? "Variable"
                         : parms->type == AP_EXPR_FUNC_STRING ? "Function"
                                                              : "Operator",
                         parms->name);
    return rc;
}
