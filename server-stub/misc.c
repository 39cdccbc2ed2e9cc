/*
 * misc.c - httpd API about the server and the request that is not tied to
 * one phase: server name/port/banner/description, version components,
 * remote host/logname, CGI environment (ap_add_common_vars,
 * ap_add_cgi_vars), conditional requests (ap_meets_conditions, ETag,
 * Last-Modified), vhost selection from headers, CGI header scanning, and the
 * provider registry. Version components and providers are written in the
 * configuration phase only; everything else works on one request.
 */
#include "stub.h"

#include "ap_provider.h"
#include "apr_hash.h"
#include "apr_date.h"
#include "apr_lib.h"
#include "apr_strings.h"
#include "http_vhost.h"
#include "mod_auth.h"
#include "util_script.h"

#include <stdlib.h>
#include <string.h>

#define HTTP_UNSET (-HTTP_OK)

/* --- server identity ----------------------------------------------------- */

/* ServerTokens: what the Server header shows (config phase). */
enum tokens { TOK_PROD, TOK_MAJOR, TOK_MINOR, TOK_MIN, TOK_OS, TOK_FULL };
static enum tokens server_tokens = TOK_FULL;

const char *mc__set_server_tokens(const char *arg);
const char *mc__set_server_tokens(const char *arg)
{
    static const char *const names[] = {"Prod", "Major", "Minor",
                                        "Min",  "OS",    "Full"};
    for (int i = 0; i < 6; ++i)
        if (!strcasecmp(arg, names[i]) ||
            (i == TOK_PROD && !strcasecmp(arg, "ProductOnly")) ||
            (i == TOK_MIN && !strcasecmp(arg, "Minimal"))) {
            server_tokens = (enum tokens)i;
            return NULL;
        }
    return "ServerTokens wants one word: Prod (or ProductOnly), Major, Minor, "
           "Min (or Minimal), OS or Full";
}
static const char *server_description = AP_SERVER_BASEVERSION " (Unix)";

void mc__misc_reset(void);
void mc__misc_reset(void)
{
    server_description = AP_SERVER_BASEVERSION " (Unix)";
    server_tokens = TOK_FULL;
    mc__stub.version_components = NULL;
}

AP_DECLARE(void)
ap_add_version_component(apr_pool_t *pconf, const char *component)
{
    mc_stub_perturb();
    if (!component || !*component)
        return;
    if (!mc__stub.version_components)
        mc__stub.version_components =
            apr_array_make(pconf, 4, sizeof(const char *));
    for (int i = 0; i < mc__stub.version_components->nelts; ++i)
        if (!strcmp(APR_ARRAY_IDX(mc__stub.version_components, i, const char *),
                    component))
            return;
    APR_ARRAY_PUSH(mc__stub.version_components, const char *) =
        apr_pstrdup(pconf, component);
    server_description =
        apr_pstrcat(pconf, server_description, " ", component, NULL);
}

AP_DECLARE(const char *) ap_get_server_banner(void)
{
    mc_stub_perturb();
    switch (server_tokens) {
        case TOK_PROD:
            return AP_SERVER_BASEPRODUCT;
        case TOK_MAJOR:
            return AP_SERVER_BASEPRODUCT "/" AP_SERVER_MAJORVERSION;
        case TOK_MINOR:
            return AP_SERVER_BASEPRODUCT "/" AP_SERVER_MINORVERSION;
        case TOK_MIN:
            return AP_SERVER_BASEVERSION;
        case TOK_OS:
            return AP_SERVER_BASEVERSION " (Unix)";
        default:
            return server_description;
    }
}

AP_DECLARE(const char *) ap_get_server_description(void)
{
    mc_stub_perturb();
    return server_description;
}

AP_DECLARE(const char *) ap_get_server_built(void)
{
    mc_stub_perturb();
    return __DATE__ " " __TIME__;
}

AP_DECLARE(void) ap_get_server_revision(ap_version_t *version)
{
    version->major = AP_SERVER_MAJORVERSION_NUMBER;
    version->minor = AP_SERVER_MINORVERSION_NUMBER;
    version->patch = AP_SERVER_PATCHLEVEL_NUMBER;
    version->add_string = AP_SERVER_ADD_STRING;
}

AP_DECLARE(const char *) ap_get_server_name(request_rec *r)
{
    mc_stub_perturb();
    if (r->hostname)
        return r->hostname;
    if (r->server->server_hostname)
        return r->server->server_hostname;
    return r->connection->local_ip;
}

AP_DECLARE(const char *) ap_get_server_name_for_url(request_rec *r)
{
    const char *name = ap_get_server_name(r);
    if (strchr(name, ':'))
        return apr_pstrcat(r->pool, "[", name, "]", NULL);
    return name;
}

AP_DECLARE(apr_port_t) ap_get_server_port(const request_rec *r)
{
    mc_stub_perturb();
    if (r->parsed_uri.port_str && r->parsed_uri.port)
        return r->parsed_uri.port;
    if (r->server->port)
        return r->server->port;
    if (r->connection->local_addr)
        return r->connection->local_addr->port;
    return ap_run_default_port(r);
}

AP_DECLARE(char *)
ap_construct_url(apr_pool_t *p, const char *uri, request_rec *r)
{
    apr_port_t port = ap_get_server_port(r);
    const char *scheme = ap_run_http_scheme(r);
    const char *host = ap_get_server_name_for_url(r);
    mc_stub_perturb();
    if (port == ap_run_default_port(r))
        return apr_pstrcat(p, scheme, "://", host, uri, NULL);
    return apr_psprintf(p, "%s://%s:%u%s", scheme, host, port, uri);
}

AP_DECLARE(const char *)
ap_get_remote_host(conn_rec *conn, void *dir_config, int type, int *str_is_ip)
{
    mc_stub_perturb();
    (void)dir_config;
    if (str_is_ip)
        *str_is_ip = 0;
    if (conn->remote_host && *conn->remote_host)
        return conn->remote_host;
    if (type == REMOTE_HOST || type == REMOTE_DOUBLE_REV)
        return NULL; /* HostnameLookups Off: no name known */
    if (str_is_ip)
        *str_is_ip = 1;
    return conn->client_ip;
}

AP_DECLARE(const char *)
ap_get_useragent_host(request_rec *r, int type, int *str_is_ip)
{
    if (r->useragent_addr == r->connection->client_addr)
        return ap_get_remote_host(r->connection, r->per_dir_config, type,
                                  str_is_ip);
    if (str_is_ip)
        *str_is_ip = 0;
    if (type == REMOTE_HOST || type == REMOTE_DOUBLE_REV)
        return NULL;
    if (str_is_ip)
        *str_is_ip = 1;
    return r->useragent_ip;
}

AP_DECLARE(const char *) ap_get_remote_logname(request_rec *r)
{
    mc_stub_perturb();
    (void)r;
    return NULL; /* no IdentityCheck (mod_ident) in the stub */
}

AP_DECLARE(void) ap_update_vhost_from_headers(request_rec *r)
{
    mc_stub_perturb();
    const char *host_header = apr_table_get(r->headers_in, "Host");
    /* One server, no virtual hosts: keep the server. As httpd does, a host
     * name already set (from an absolute request URI, or by a module such
     * as mod_rpaf) wins over the Host header, which is rewritten to it. */
    r->server = r->connection->base_server;
    if (r->hostname && host_header)
        apr_table_setn(r->headers_in, "Host",
                       r->parsed_uri.port_str
                           ? apr_pstrcat(r->pool, r->hostname, ":",
                                         r->parsed_uri.port_str, NULL)
                           : r->hostname);
}

AP_DECLARE(int)
ap_matches_request_vhost(request_rec *r, const char *host, apr_port_t port)
{
    (void)port;
    return r->server->server_hostname &&
           !strcasecmp(r->server->server_hostname, host);
}

/* --- CGI environment --------------------------------------------------------- */

static char *http2env(apr_pool_t *p, const char *w)
{
    char *res = apr_pstrcat(p, "HTTP_", w, NULL);
    /* as httpd: letters and digits upper-cased, '-' becomes '_', and a
     * name with anything else (an '_' too) is not exported */
    for (char *cp = res + 5; *cp; ++cp) {
        if (*cp == '-')
            *cp = '_';
        else if (apr_isalnum(*cp))
            *cp = (char)apr_toupper(*cp);
        else
            return NULL;
    }
    return res;
}

static int add_header_var(void *data, const char *key, const char *val)
{
    request_rec *r = data;
    char *env;
    if (!key || !val)
        return 1;
    if (!strcasecmp(key, "Content-type"))
        env = "CONTENT_TYPE";
    else if (!strcasecmp(key, "Content-length"))
        env = "CONTENT_LENGTH";
    else if (!strcasecmp(key, "Authorization") ||
             !strcasecmp(key, "Proxy-Authorization"))
        return 1;
    else if ((env = http2env(r->pool, key)) == NULL)
        return 1;
    apr_table_addn(r->subprocess_env, env, val);
    return 1;
}

AP_DECLARE(void) ap_add_common_vars(request_rec *r)
{
    apr_table_t *e = r->subprocess_env;
    const char *host;
    mc_stub_perturb();
    apr_table_do(add_header_var, r, r->headers_in, NULL);
    apr_table_addn(e, "PATH", mc__stub.env_path);
    apr_table_addn(e, "SERVER_SIGNATURE", "");
    apr_table_addn(e, "SERVER_SOFTWARE", ap_get_server_banner());
    apr_table_addn(e, "SERVER_NAME",
                   ap_escape_html(r->pool, ap_get_server_name_for_url(r)));
    apr_table_addn(e, "SERVER_ADDR", r->connection->local_ip);
    apr_table_addn(e, "SERVER_PORT",
                   apr_psprintf(r->pool, "%u", ap_get_server_port(r)));
    host = ap_get_useragent_host(r, REMOTE_HOST, NULL);
    if (host)
        apr_table_addn(e, "REMOTE_HOST", host);
    apr_table_addn(e, "REMOTE_ADDR", r->useragent_ip);
    apr_table_addn(e, "DOCUMENT_ROOT", ap_document_root(r));
    apr_table_addn(e, "REQUEST_SCHEME", ap_run_http_scheme(r));
    apr_table_addn(e, "CONTEXT_PREFIX", "");
    apr_table_addn(e, "CONTEXT_DOCUMENT_ROOT", ap_document_root(r));
    apr_table_addn(e, "SERVER_ADMIN",
                   r->server->server_admin ? r->server->server_admin : "");
    /* added even when NULL, as httpd does */
    apr_table_addn(e, "SCRIPT_FILENAME", r->filename);
    apr_table_addn(
        e, "REMOTE_PORT",
        apr_itoa(r->pool, r->useragent_addr ? r->useragent_addr->port : 0));
    if (r->user)
        apr_table_addn(e, "REMOTE_USER", r->user);
    else if (r->prev && r->prev->user)
        apr_table_addn(e, "REDIRECT_REMOTE_USER", r->prev->user);
    if (r->ap_auth_type)
        apr_table_addn(e, "AUTH_TYPE", r->ap_auth_type);
}

AP_DECLARE(int) ap_find_path_info(const char *uri, const char *path_info)
{
    int lu = (int)strlen(uri);
    int lp = (int)strlen(path_info);
    mc_stub_perturb();
    while (lu-- && lp-- && uri[lu] == path_info[lp]) {
        if (path_info[lp] == '/')
            while (lu && uri[lu - 1] == '/')
                lu--;
    }
    if (lu == -1)
        lu = 0;
    while (uri[lu] != '\0' && uri[lu] != '/')
        lu++;
    return lu;
}

AP_DECLARE(void) ap_add_cgi_vars(request_rec *r)
{
    apr_table_t *e = r->subprocess_env;
    mc_stub_perturb();
    apr_table_setn(e, "GATEWAY_INTERFACE", "CGI/1.1");
    apr_table_setn(e, "SERVER_PROTOCOL", r->protocol);
    apr_table_setn(e, "REQUEST_METHOD", r->method);
    apr_table_setn(e, "QUERY_STRING", r->args ? r->args : "");
    apr_table_setn(e, "REQUEST_URI",
                   r->unparsed_uri ? r->unparsed_uri : r->uri);
    if (!r->path_info || !*r->path_info) {
        apr_table_setn(e, "SCRIPT_NAME", r->uri);
    } else {
        int idx = ap_find_path_info(r->uri, r->path_info);
        apr_table_setn(e, "SCRIPT_NAME",
                       apr_pstrndup(r->pool, r->uri, (apr_size_t)idx));
        apr_table_setn(e, "PATH_INFO", r->path_info);
    }
}

/* --- conditional requests ---------------------------------------------------- */

AP_DECLARE(apr_time_t) ap_rationalize_mtime(request_rec *r, apr_time_t mtime)
{
    apr_time_t now = r->request_time ? r->request_time : apr_time_now();
    mc_stub_perturb();
    return mtime > now ? now : mtime;
}

AP_DECLARE(void) ap_update_mtime(request_rec *r, apr_time_t dependency_mtime)
{
    mc_stub_perturb();
    if (r->mtime < dependency_mtime)
        r->mtime = dependency_mtime;
}

AP_DECLARE(void) ap_set_last_modified(request_rec *r)
{
    char *date;
    apr_time_t mod_time;
    mc_stub_perturb();
    if (r->no_local_copy)
        return;
    mod_time = ap_rationalize_mtime(r, r->mtime);
    date = apr_palloc(r->pool, APR_RFC822_DATE_LEN);
    apr_rfc822_date(date, mod_time);
    apr_table_setn(r->headers_out, "Last-Modified", date);
}

AP_DECLARE(char *) ap_make_etag(request_rec *r, int force_weak)
{
    int weak =
        force_weak || (r->request_time - r->mtime < 1 * APR_USEC_PER_SEC);
    mc_stub_perturb();
    if (r->finfo.filetype == APR_NOFILE)
        return apr_pstrdup(r->pool, "");
    return apr_psprintf(
        r->pool, "%s\"%" APR_UINT64_T_HEX_FMT "-%" APR_UINT64_T_HEX_FMT "\"",
        weak ? "W/" : "", (apr_uint64_t)r->finfo.size, (apr_uint64_t)r->mtime);
}

AP_DECLARE(void) ap_set_etag(request_rec *r)
{
    char *etag;
    mc_stub_perturb();
    if (!r->vlist_validator) {
        etag = ap_make_etag(r, 0);
        if (!etag[0])
            return;
    } else {
        etag = ap_make_etag(r, 0);
    }
    apr_table_setn(r->headers_out, "ETag", etag);
}

static int etag_matches(request_rec *r, const char *list, const char *etag,
                        int weak_ok)
{
    if (!list || !etag)
        return 0;
    if (list[0] == '*' && !list[1])
        return 1;
    if (!weak_ok && etag[0] == 'W')
        return 0;
    return weak_ok ? ap_find_etag_weak(r->pool, list, etag)
                   : ap_find_etag_strong(r->pool, list, etag);
}

AP_DECLARE(int) ap_meets_conditions(request_rec *r)
{
    const char *etag, *if_match, *if_none, *ims, *ius;
    apr_time_t mtime, tmp;
    int not_modified = -1;
    mc_stub_perturb();
    if (!ap_is_HTTP_SUCCESS(r->status) || r->no_local_copy)
        return OK;
    etag = apr_table_get(r->headers_out, "ETag");
    mtime = r->mtime ? r->mtime : apr_time_now();
    if ((if_match = apr_table_get(r->headers_in, "If-Match")) != NULL) {
        if (!etag_matches(r, if_match, etag, 0))
            return HTTP_PRECONDITION_FAILED;
    } else if ((ius = apr_table_get(r->headers_in, "If-Unmodified-Since")) !=
               NULL) {
        tmp = apr_date_parse_http(ius);
        if (tmp != APR_DATE_BAD && mtime > tmp)
            return HTTP_PRECONDITION_FAILED;
    }
    if ((if_none = apr_table_get(r->headers_in, "If-None-Match")) != NULL) {
        not_modified = etag_matches(r, if_none, etag, 1);
        if (not_modified && r->method_number != M_GET)
            return HTTP_PRECONDITION_FAILED;
    } else if ((r->method_number == M_GET) &&
               (ims = apr_table_get(r->headers_in, "If-Modified-Since")) !=
                   NULL) {
        tmp = apr_date_parse_http(ims);
        not_modified =
            tmp != APR_DATE_BAD && mtime <= tmp && tmp <= r->request_time;
    }
    if (not_modified == 1)
        return HTTP_NOT_MODIFIED;
    return OK;
}

/* --- providers ---------------------------------------------------------------- */

static apr_hash_t *providers; /* group -> name -> version -> ptr; config */
static apr_pool_t *providers_pool;

static apr_status_t providers_cleanup(void *d)
{
    (void)d;
    providers = NULL;
    return APR_SUCCESS;
}

AP_DECLARE(apr_status_t)
ap_register_provider(apr_pool_t *pool, const char *group, const char *name,
                     const char *version, const void *provider)
{
    apr_hash_t *names, *versions;
    mc_stub_perturb();
    if (!providers) {
        providers_pool = pool;
        providers = apr_hash_make(pool);
        apr_pool_cleanup_register(pool, NULL, providers_cleanup,
                                  apr_pool_cleanup_null);
    }
    names = apr_hash_get(providers, group, APR_HASH_KEY_STRING);
    if (!names) {
        names = apr_hash_make(providers_pool);
        apr_hash_set(providers, group, APR_HASH_KEY_STRING, names);
    }
    versions = apr_hash_get(names, name, APR_HASH_KEY_STRING);
    if (!versions) {
        versions = apr_hash_make(providers_pool);
        apr_hash_set(names, name, APR_HASH_KEY_STRING, versions);
    }
    apr_hash_set(versions, version, APR_HASH_KEY_STRING, provider);
    return APR_SUCCESS;
}

AP_DECLARE(void *)
ap_lookup_provider(const char *group, const char *name, const char *version)
{
    apr_hash_t *names, *versions;
    mc_stub_perturb();
    if (!providers)
        return NULL;
    names = apr_hash_get(providers, group, APR_HASH_KEY_STRING);
    if (!names)
        return NULL;
    versions = apr_hash_get(names, name, APR_HASH_KEY_STRING);
    if (!versions)
        return NULL;
    return apr_hash_get(versions, version, APR_HASH_KEY_STRING);
}

AP_DECLARE(apr_array_header_t *)
ap_list_provider_names(apr_pool_t *pool, const char *group, const char *version)
{
    apr_array_header_t *ret =
        apr_array_make(pool, 10, sizeof(ap_list_provider_names_t));
    apr_hash_t *names =
        providers ? apr_hash_get(providers, group, APR_HASH_KEY_STRING) : NULL;
    mc_stub_perturb();
    if (!names)
        return ret;
    for (apr_hash_index_t *hi = apr_hash_first(pool, names); hi;
         hi = apr_hash_next(hi)) {
        const void *key;
        void *val;
        apr_hash_this(hi, &key, NULL, &val);
        if (apr_hash_get(val, version, APR_HASH_KEY_STRING)) {
            ap_list_provider_names_t *e = apr_array_push(ret);
            e->provider_name = key;
        }
    }
    return ret;
}

AP_DECLARE(apr_array_header_t *)
ap_list_provider_groups(apr_pool_t *pool)
{
    apr_array_header_t *ret =
        apr_array_make(pool, 10, sizeof(ap_list_provider_groups_t));
    if (!providers)
        return ret;
    for (apr_hash_index_t *g = apr_hash_first(pool, providers); g;
         g = apr_hash_next(g)) {
        const void *group;
        void *names;
        apr_hash_this(g, &group, NULL, &names);
        for (apr_hash_index_t *n = apr_hash_first(pool, names); n;
             n = apr_hash_next(n)) {
            void *versions;
            apr_hash_this(n, NULL, NULL, &versions);
            for (apr_hash_index_t *v = apr_hash_first(pool, versions); v;
                 v = apr_hash_next(v)) {
                const void *ver;
                ap_list_provider_groups_t *e;
                apr_hash_this(v, &ver, NULL, NULL);
                e = apr_array_push(ret);
                e->provider_group = group;
                e->provider_version = ver;
            }
        }
    }
    return ret;
}

AP_DECLARE(apr_status_t)
ap_register_auth_provider(apr_pool_t *pool, const char *provider_group,
                          const char *provider_name,
                          const char *provider_version, const void *provider,
                          int type)
{
    (void)type; /* the stub runs auth hooks per request */
    return ap_register_provider(pool, provider_group, provider_name,
                                provider_version, provider);
}

/* --- CGI response headers ------------------------------------------------------ */

struct brigade_src {
    apr_bucket_brigade *bb;
};

static int getsfunc_brigade(char *buf, int len, void *arg)
{
    apr_bucket_brigade *bb = arg;
    const char *dst_end = buf + len - 1;
    char *dst = buf;
    apr_bucket *e = APR_BRIGADE_FIRST(bb);
    int done = 0;
    while (dst < dst_end && !done && e != APR_BRIGADE_SENTINEL(bb) &&
           !APR_BUCKET_IS_EOS(e)) {
        const char *bucket_data;
        apr_size_t bucket_data_len;
        const char *src, *src_end;
        apr_bucket *next;
        if (apr_bucket_read(e, &bucket_data, &bucket_data_len,
                            APR_BLOCK_READ) != APR_SUCCESS ||
            bucket_data_len == 0) {
            *dst = '\0';
            return APR_STATUS_IS_TIMEUP(APR_EGENERAL) ? -1 : 0;
        }
        src = bucket_data;
        src_end = bucket_data + bucket_data_len;
        while (src < src_end && dst < dst_end && !done) {
            if (*src == '\n')
                done = 1;
            else if (*src != '\r')
                *dst++ = *src;
            src++;
        }
        if (src < src_end)
            apr_bucket_split(e, (apr_size_t)(src - bucket_data));
        next = APR_BUCKET_NEXT(e);
        apr_bucket_delete(e);
        e = next;
    }
    *dst = 0;
    return done;
}

static int scan_headers(request_rec *r, char *buffer,
                        int (*getsfunc)(char *, int, void *), void *arg,
                        const char *fname)
{
    char x[MAX_STRING_LEN];
    char *w, *l;
    int cgi_status = HTTP_UNSET;
    (void)fname;
    w = buffer ? buffer : x;
    for (;;) {
        int rv = getsfunc(w, MAX_STRING_LEN - 1, arg);
        if (rv == 0 && !*w) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          "Premature end of script headers: %s",
                          fname ? fname : r->filename);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        if (rv < 0)
            return HTTP_GATEWAY_TIME_OUT;
        if (!*w) {
            if (cgi_status == HTTP_UNSET && r->method_number == M_GET) {
                /* nothing special */
            }
            return cgi_status == HTTP_UNSET ? OK : cgi_status;
        }
        if (!(l = strchr(w, ':'))) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          "script '%s' sent a broken header line: %.30s",
                          fname ? fname : r->filename, w);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        *l++ = '\0';
        while (apr_isspace(*l))
            ++l;
        if (!strcasecmp(w, "Content-type")) {
            char *tmp = apr_pstrdup(r->pool, l);
            char *endp = tmp + strlen(tmp);
            while (endp > tmp && apr_isspace(endp[-1]))
                *--endp = '\0';
            ap_content_type_tolower(tmp);
            ap_set_content_type(r, tmp);
        } else if (!strcasecmp(w, "Status")) {
            r->status = cgi_status = atoi(l);
            if (!ap_is_HTTP_VALID_RESPONSE(cgi_status))
                return HTTP_INTERNAL_SERVER_ERROR;
            r->status_line = apr_pstrdup(r->pool, l);
        } else if (!strcasecmp(w, "Location")) {
            apr_table_set(r->headers_out, w, l);
        } else if (!strcasecmp(w, "Content-Length")) {
            apr_table_set(r->headers_out, w, l);
        } else if (!strcasecmp(w, "Transfer-Encoding")) {
            /* hop-by-hop: dropped, like httpd */
        } else if (!strcasecmp(w, "Last-Modified")) {
            ap_update_mtime(r, apr_date_parse_http(l));
            ap_set_last_modified(r);
        } else if (!strcasecmp(w, "Set-Cookie")) {
            apr_table_add(r->err_headers_out, w, l);
        } else {
            apr_table_add(r->err_headers_out, w, l);
        }
    }
}

AP_DECLARE(int)
ap_scan_script_header_err_brigade(request_rec *r, apr_bucket_brigade *bb,
                                  char *buffer)
{
    mc_stub_perturb();
    return scan_headers(r, buffer, getsfunc_brigade, bb, NULL);
}

AP_DECLARE(int)
ap_scan_script_header_err_brigade_ex(request_rec *r, apr_bucket_brigade *bb,
                                     char *buffer, int module_index)
{
    (void)module_index;
    return ap_scan_script_header_err_brigade(r, bb, buffer);
}

AP_DECLARE(int)
ap_scan_script_header_err_core_ex(request_rec *r, char *buffer,
                                  int (*getsfunc)(char *, int, void *),
                                  void *getsfunc_data, int module_index)
{
    (void)module_index;
    mc_stub_perturb();
    return scan_headers(r, buffer, getsfunc, getsfunc_data, NULL);
}

AP_DECLARE(int)
ap_scan_script_header_err_core(request_rec *r, char *buffer,
                               int (*getsfunc)(char *, int, void *),
                               void *getsfunc_data)
{
    return ap_scan_script_header_err_core_ex(r, buffer, getsfunc, getsfunc_data,
                                             0);
}

AP_DECLARE(char **) ap_create_environment(apr_pool_t *p, apr_table_t *t)
{
    const apr_array_header_t *env_arr = apr_table_elts(t);
    const apr_table_entry_t *elts = (const apr_table_entry_t *)env_arr->elts;
    char **env = apr_palloc(p, (env_arr->nelts + 2) * sizeof(char *));
    int j = 0;
    mc_stub_perturb();
    for (int i = 0; i < env_arr->nelts; ++i) {
        if (!elts[i].key)
            continue;
        env[j++] = apr_pstrcat(p, elts[i].key, "=", elts[i].val, NULL);
    }
    env[j] = NULL;
    return env;
}
