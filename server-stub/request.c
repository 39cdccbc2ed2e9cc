/*
 * request.c - the request cycle in httpd's order: quick_handler, then
 * (ap_process_request_internal) URI normalisation, <Location> walk,
 * pre_translate_name, translate_name, map_to_storage (<Directory> walk with
 * per-request .htaccess parsing and merging), <Location> walk again,
 * post_perdir_config, header_parser, access_checker / access_checker_ex /
 * check_user_id / auth_checker, type_checker, fixups; then insert_filter and
 * handler (ap_invoke_handler), error responses (ap_die), finalisation and
 * log_transaction. Also internal redirects and sub-requests, and the core's
 * own request hooks (translate to DocumentRoot, map to storage, SetHandler/
 * ForceType, the default handler for DocumentRoot files).
 *
 * All of it runs on the thread that owns the connection; per-request merged
 * configs are allocated from r->pool.
 */
#include "stub.h"
#include "stub_conn.h"

#include "apr_fnmatch.h"
#include "apr_lib.h"
#include "apr_strings.h"
#include "http_main.h"
#include "mod_core.h"
#include "util_filter.h"

#include <string.h>

int mc__auth_internal_per_conf(void);
int mc__alias_translate(request_rec *r);
void mc__core_insert_filter(request_rec *r);
void mc__request_register_hooks(apr_pool_t *p);
void mc__http_register_hooks(apr_pool_t *p);

/* --- walks --------------------------------------------------------------------- */

static int location_matches(const struct mc_core_dir *c, const char *uri)
{
    size_t len;
    if (c->core.r)
        return ap_regexec(c->core.r, uri, 0, NULL, 0) == 0;
    if (c->core.d_is_fnmatch)
        return apr_fnmatch(c->core.d, uri, APR_FNM_PATHNAME) == APR_SUCCESS;
    len = strlen(c->core.d);
    if (strncmp(uri, c->core.d, len))
        return 0;
    return len == 0 || c->core.d[len - 1] == '/' || uri[len] == '/' ||
           uri[len] == '\0';
}

static ap_conf_vector_t *merge_locations(request_rec *r, ap_conf_vector_t *base)
{
    struct mc_core_server *sc = mc__core_server(r->server);
    const char *uri = r->uri;
    for (int i = 0; i < sc->core.sec_url->nelts; ++i) {
        ap_conf_vector_t *v =
            APR_ARRAY_IDX(sc->core.sec_url, i, ap_conf_vector_t *);
        const struct mc_core_dir *c = ap_get_core_module_config(v);
        if (location_matches(c, uri))
            base = ap_merge_per_dir_configs(r->pool, base, v);
    }
    return base;
}

/* Applies <Location> sections on top of the directory-walk result. */
/* The last location walk of a request: what it started from and what it
 * produced, so that walking again (after map_to_storage) does not merge
 * the same sections twice when nothing changed in between. */
struct loc_walk {
    ap_conf_vector_t *before;
    ap_conf_vector_t *after;
};

int mc__core_location_walk(request_rec *r)
{
    struct loc_walk *w = NULL;
    ap_conf_vector_t *base = r->per_dir_config;
    apr_pool_userdata_get((void **)&w, "mc-location-walk", r->pool);
    if (w && w->after == base)
        base = w->before;
    if (!w) {
        w = apr_pcalloc(r->pool, sizeof(*w));
        apr_pool_userdata_setn(w, "mc-location-walk", NULL, r->pool);
    }
    w->before = base;
    r->per_dir_config = merge_locations(r, base);
    w->after = r->per_dir_config;
    return OK;
}

static unsigned count_slashes(const char *s)
{
    unsigned n = 0;
    for (; *s; ++s)
        n += *s == '/';
    return n;
}

static int dir_section_matches(const struct mc_core_dir *c, const char *dir)
{
    if (c->core.r)
        return 0;
    if (c->core.d_is_fnmatch)
        return apr_fnmatch(c->core.d, dir, APR_FNM_PATHNAME) == APR_SUCCESS;
    return strcmp(c->core.d, dir) == 0;
}

static int parse_htaccess_at(request_rec *r, const char *dir,
                             ap_conf_vector_t **conf)
{
    struct mc_core_dir *c = ap_get_core_module_config(*conf);
    ap_conf_vector_t *ht = NULL;
    int override = c->core.override & ~OR_UNSET;
    int st;
    if (override == OR_NONE || (c->core.override & OR_UNSET))
        return OK;
    st = ap_parse_htaccess(&ht, r, override, c->core.override_opts,
                           c->core.override_list, dir,
                           mc__core_server(r->server)->core.access_name);
    if (st != OK)
        return st;
    if (ht) {
        *conf = ap_merge_per_dir_configs(r->pool, *conf, ht);
        r->htaccess = NULL;
    }
    return OK;
}

/* Merges <Directory> sections and .htaccess files from / down to `path`'s
 * directory. */
static int walk_directories(request_rec *r, const char *dirpath,
                            ap_conf_vector_t **conf)
{
    struct mc_core_server *sc = mc__core_server(r->server);
    unsigned levels = count_slashes(dirpath);
    for (unsigned lvl = 1; lvl <= levels; ++lvl) {
        const char *end = dirpath;
        char *dir;
        int st;
        for (unsigned k = 0; k < lvl; ++k)
            end = strchr(end, '/') + 1;
        dir = apr_pstrndup(r->pool, dirpath, (apr_size_t)(end - dirpath));
        for (int i = 0; i < sc->core.sec_dir->nelts; ++i) {
            ap_conf_vector_t *v =
                APR_ARRAY_IDX(sc->core.sec_dir, i, ap_conf_vector_t *);
            const struct mc_core_dir *c = ap_get_core_module_config(v);
            /* The section is shared by every worker thread: never cache
             * into it at request time, count here when config did not. */
            unsigned comps = c->core.d_components;
            if (comps == 0 && !c->core.r)
                comps = count_slashes(c->core.d);
            if (!c->core.r && comps == lvl && dir_section_matches(c, dir))
                *conf = ap_merge_per_dir_configs(r->pool, *conf, v);
        }
        st = parse_htaccess_at(r, dir, conf);
        if (st != OK)
            return st;
    }
    for (int i = 0; i < sc->core.sec_dir->nelts; ++i) {
        ap_conf_vector_t *v =
            APR_ARRAY_IDX(sc->core.sec_dir, i, ap_conf_vector_t *);
        const struct mc_core_dir *c = ap_get_core_module_config(v);
        if (c->core.r && ap_regexec(c->core.r, dirpath, 0, NULL, 0) == 0)
            *conf = ap_merge_per_dir_configs(r->pool, *conf, v);
    }
    return OK;
}

static void walk_files(request_rec *r, ap_conf_vector_t **conf)
{
    const struct mc_core_dir *c = ap_get_core_module_config(*conf);
    const char *base = strrchr(r->filename, '/');
    apr_array_header_t *files = c->core.sec_file;
    base = base ? base + 1 : r->filename;
    if (!files)
        return;
    for (int i = 0; i < files->nelts; ++i) {
        ap_conf_vector_t *v = APR_ARRAY_IDX(files, i, ap_conf_vector_t *);
        const struct mc_core_dir *fc = ap_get_core_module_config(v);
        int m = fc->core.r ? ap_regexec(fc->core.r, base, 0, NULL, 0) == 0
                           : apr_fnmatch(fc->core.d, base, 0) == APR_SUCCESS;
        if (m)
            *conf = ap_merge_per_dir_configs(r->pool, *conf, v);
    }
}

/* As httpd's directory walk: the longest existing prefix of r->filename is
 * the file. A regular file followed by more path keeps the rest as
 * path_info (a script's /extra/path). When a component is missing, the
 * filename ends with that component, the rest is path_info, and finfo says
 * APR_NOFILE. */
static void stat_filename(request_rec *r)
{
    const char *orig = r->filename;
    char *path = apr_pstrdup(r->pool, orig);
    char *missing = NULL; /* where the first missing component starts */
    const char *next;
    while (apr_stat(&r->finfo, path, APR_FINFO_MIN, r->pool) != APR_SUCCESS) {
        char *cut = strrchr(path, '/');
        r->finfo.filetype = APR_NOFILE;
        if (!cut || cut == path)
            return;
        *cut = '\0';
        missing = cut;
    }
    if (!missing)
        return;
    if (r->finfo.filetype == APR_REG) {
        r->path_info = apr_pstrdup(r->pool, orig + (missing - path));
        r->filename = path;
        return;
    }
    next = strchr(orig + (missing - path) + 1, '/');
    if (next) {
        r->filename = apr_pstrndup(r->pool, orig, (apr_size_t)(next - orig));
        r->path_info = apr_pstrdup(r->pool, next);
    }
    r->finfo.filetype = APR_NOFILE;
}

int mc__core_directory_walk(request_rec *r)
{
    ap_conf_vector_t *conf = r->server->lookup_defaults;
    const char *dirpath;
    int st;
    if (!r->filename || r->filename[0] != '/')
        return OK;
    stat_filename(r);
    if (r->finfo.filetype == APR_DIR)
        dirpath = apr_pstrcat(
            r->pool, r->filename,
            r->filename[strlen(r->filename) - 1] == '/' ? "" : "/", NULL);
    else
        dirpath = apr_pstrndup(
            r->pool, r->filename,
            (apr_size_t)(strrchr(r->filename, '/') - r->filename) + 1);
    st = walk_directories(r, dirpath, &conf);
    if (st != OK)
        return st;
    walk_files(r, &conf);
    r->per_dir_config = conf;
    return OK;
}

AP_DECLARE(int) ap_location_walk(request_rec *r)
{
    return mc__core_location_walk(r);
}

AP_DECLARE(int) ap_directory_walk(request_rec *r)
{
    return mc__core_directory_walk(r);
}

AP_DECLARE(int) ap_file_walk(request_rec *r)
{
    (void)r;
    return OK;
}

AP_DECLARE(int) ap_if_walk(request_rec *r)
{
    (void)r;
    return OK;
}

/* --- the core's request hooks -------------------------------------------- */

AP_DECLARE_NONSTD(int) ap_core_translate(request_rec *r)
{
    const char *root = ap_document_root(r);
    if (r->proxyreq)
        return HTTP_FORBIDDEN;
    if (!r->uri || (r->uri[0] != '/' && strcmp(r->uri, "*"))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "Invalid URI in request %s",
                      r->the_request);
        return HTTP_BAD_REQUEST;
    }
    r->filename = apr_pstrcat(r->pool, root, r->uri, NULL);
    r->canonical_filename = r->filename;
    return OK;
}

static int core_map_to_storage(request_rec *r)
{
    int st = mc__core_directory_walk(r);
    if (st != OK)
        return st;
    return OK;
}

static int core_override_type(request_rec *r)
{
    const struct mc_core_dir *c = mc__core_dir(r);
    if (c->core.mime_type && strcmp(c->core.mime_type, "none"))
        ap_set_content_type(r, c->core.mime_type);
    if (c->core.handler && strcmp(c->core.handler, "none"))
        r->handler = c->core.handler;
    return OK;
}

static int core_type_checker(request_rec *r)
{
    (void)r;
    return OK; /* like httpd's core: types are the modules' business */
}

int mc__core_default_handler(request_rec *r)
{
    apr_file_t *fd;
    apr_bucket_brigade *bb;
    int errstatus;
    if (r->method_number != M_GET && r->method_number != M_POST &&
        r->method_number != M_OPTIONS)
        return HTTP_METHOD_NOT_ALLOWED;
    if ((errstatus = ap_discard_request_body(r)) != OK)
        return errstatus;
    if (r->method_number == M_OPTIONS)
        return ap_send_http_options(r);
    if (r->finfo.filetype == APR_NOFILE) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "File does not exist: %s",
                      r->filename);
        return HTTP_NOT_FOUND;
    }
    if (r->finfo.filetype != APR_REG || (r->path_info && *r->path_info))
        return HTTP_NOT_FOUND;
    if (r->method_number == M_POST)
        return HTTP_METHOD_NOT_ALLOWED;
    if (apr_file_open(&fd, r->filename, APR_READ | APR_BINARY, 0, r->pool) !=
        APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "cannot open %s: permission denied", r->filename);
        return HTTP_FORBIDDEN;
    }
    /* no type guessing: like httpd, types come from mod_mime or ForceType */
    ap_update_mtime(r, r->finfo.mtime);
    ap_set_last_modified(r);
    ap_set_etag(r);
    apr_table_setn(r->headers_out, "Accept-Ranges", "bytes");
    ap_set_content_length(r, r->finfo.size);
    if ((errstatus = ap_meets_conditions(r)) != OK) {
        apr_file_close(fd);
        r->status = errstatus;
        return errstatus;
    }
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    apr_brigade_insert_file(bb, fd, 0, r->finfo.size, r->pool);
    APR_BRIGADE_INSERT_TAIL(bb,
                            apr_bucket_eos_create(r->connection->bucket_alloc));
    return ap_pass_brigade_fchk(r, bb,
                                "default handler: sending the file "
                                "failed");
}

void mc__request_register_hooks(apr_pool_t *p)
{
    mc__http_register_hooks(p);
    ap_hook_translate_name(mc__alias_translate, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_translate_name(ap_core_translate, NULL, NULL, APR_HOOK_REALLY_LAST);
    ap_hook_insert_filter(mc__core_insert_filter, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_map_to_storage(core_map_to_storage, NULL, NULL,
                           APR_HOOK_REALLY_LAST);
    ap_hook_fixups(core_override_type, NULL, NULL, APR_HOOK_REALLY_FIRST);
    ap_hook_type_checker(core_type_checker, NULL, NULL, APR_HOOK_REALLY_LAST);
    ap_hook_handler(mc__core_default_handler, NULL, NULL, APR_HOOK_REALLY_LAST);
    ap_hook_open_htaccess(ap_open_htaccess, NULL, NULL, APR_HOOK_REALLY_LAST);
}

/* --- ap_process_request_internal ----------------------------------------- */

static int decl_die(int status, const char *phase, request_rec *r)
{
    if (status == DECLINED || status == OK) {
        ap_log_rerror(APLOG_MARK, APLOG_CRIT, 0, r,
                      "no module could %s %s (a configuration error)", phase,
                      r->uri);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return status;
}

static int normalize_uri(request_rec *r)
{
    int st;
    if (r->parsed_uri.path) {
        char *path = apr_pstrdup(r->pool, r->parsed_uri.path);
        st = ap_unescape_url(path);
        if (st != OK) {
            if (st == HTTP_NOT_FOUND && strstr(r->parsed_uri.path, "%2"))
                ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                              "404 for %s: an encoded '/' (%%2f) in the "
                              "path, AllowEncodedSlashes is off",
                              r->parsed_uri.path);
            return st;
        }
        ap_getparents(path);
        r->uri = path;
    }
    return OK;
}

static int run_auth(request_rec *r)
{
    int st;
    if (r->main && mc__auth_internal_per_conf() &&
        r->per_dir_config == r->main->per_dir_config) {
        r->user = r->main->user;
        r->ap_auth_type = r->main->ap_auth_type;
        return OK;
    }
    if ((st = ap_run_access_checker(r)) != OK)
        return decl_die(st, "check access", r);
    st = ap_run_access_checker_ex(r);
    if (st == DECLINED || (st == OK && ap_run_force_authn(r) == OK)) {
        if ((st = ap_run_check_user_id(r)) != OK)
            return decl_die(st, "check user", r);
        if (r->user == NULL) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          "%s needs an authenticated user, but no "
                          "module authenticated this request: is "
                          "authentication configured here?",
                          r->uri);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        if ((st = ap_run_auth_checker(r)) != OK)
            return decl_die(st, "check authorization", r);
    } else if (st != OK) {
        return st;
    }
    return OK;
}

AP_DECLARE(int) ap_process_request_internal(request_rec *r)
{
    int st;
    mc_stub_perturb();
    if ((st = normalize_uri(r)) != OK)
        return st;
    if ((st = ap_location_walk(r)) != OK)
        return st;
    st = ap_run_pre_translate_name(r);
    if (st != OK && st != DECLINED)
        return st;
    if ((st = ap_run_translate_name(r)) != OK)
        return decl_die(st, "translate", r);
    if ((st = ap_run_map_to_storage(r)) != OK)
        return st;
    if ((st = ap_location_walk(r)) != OK)
        return st;
    if (mc__core_dir(r)->core.log) { /* LogLevel in a section */
        struct ap_logconf *l =
            ap_new_log_config(r->pool, mc__core_dir(r)->core.log);
        ap_merge_log_config(&r->server->log, l);
        r->log = l;
    }
    if ((st = ap_run_post_perdir_config(r)) != OK)
        return st;
    if (!r->main) {
        if ((st = ap_run_header_parser(r)) != OK)
            return st;
    }
    if ((st = run_auth(r)) != OK)
        return st;
    if ((st = ap_run_type_checker(r)) != OK)
        return decl_die(st, "find types", r);
    if ((st = ap_run_fixups(r)) != OK)
        return st;
    return OK;
}

static void invoke_filter_init(ap_filter_t *f)
{
    for (; f; f = f->next)
        if (f->frec->filter_init_func) {
            f->frec->filter_init_func(f);
        }
}

AP_CORE_DECLARE(int) ap_invoke_handler(request_rec *r)
{
    const char *saved = r->handler;
    int result;
    mc_stub_perturb();
    ap_run_insert_filter(r);
    invoke_filter_init(r->output_filters);
    if (!r->handler) {
        if (r->content_type) {
            char *h = apr_pstrdup(r->pool, r->content_type);
            char *semi = strchr(h, ';');
            if (semi)
                *semi = '\0';
            ap_str_tolower(h);
            r->handler = h;
        } else {
            r->handler = AP_DEFAULT_HANDLER_NAME;
        }
    }
    result = ap_run_handler(r);
    if (!saved)
        r->handler = saved;
    if (result == DECLINED && r->handler && r->filename)
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "handler \"%s\" not found for: %s", r->handler,
                      r->filename);
    if (result != OK && result != DONE && result != DECLINED &&
        result != SUSPENDED && result != AP_FILTER_ERROR &&
        !ap_is_HTTP_VALID_RESPONSE(result)) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "handler %s answered %d, which is no status", r->handler,
                      result);
        result = HTTP_INTERNAL_SERVER_ERROR;
    }
    return result == DECLINED ? HTTP_INTERNAL_SERVER_ERROR : result;
}

/* --- finishing ------------------------------------------------------------ */

AP_DECLARE(void) ap_finalize_request_protocol(request_rec *r)
{
    apr_bucket_brigade *bb;
    mc_stub_perturb();
    while (r->next)
        r = r->next;
    if (r->connection->aborted)
        return;
    /* As httpd: an unread request body is read (through the modules' input
     * filters) before the response ends, so a module tracking the body
     * (mod_upload_progress) has seen it before the client has the answer;
     * a body that cannot be read closes the connection afterwards. */
    if (ap_discard_request_body(r) != OK)
        r->connection->keepalive = AP_CONN_CLOSE;
    if (r->eos_sent || r->connection->aborted)
        return;
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(bb,
                            apr_bucket_eos_create(r->connection->bucket_alloc));
    ap_pass_brigade(r->output_filters, bb);
    apr_brigade_destroy(bb);
}

static const char *error_text(request_rec *r, int status)
{
    const char *loc = apr_table_get(r->headers_out, "Location");
    switch (status) {
        case HTTP_MOVED_PERMANENTLY:
        case HTTP_MOVED_TEMPORARILY:
        case HTTP_SEE_OTHER:
        case HTTP_TEMPORARY_REDIRECT:
        case HTTP_PERMANENT_REDIRECT:
            return apr_pstrcat(r->pool, "<p>The document has moved <a href=\"",
                               ap_escape_html(r->pool, loc ? loc : ""),
                               "\">here</a>.</p>\n", NULL);
        case HTTP_BAD_REQUEST:
            return "<p>The request could not be understood by this "
                   "server.</p>\n";
        case HTTP_UNAUTHORIZED:
            return "<p>Authentication is required to access this "
                   "resource.</p>\n";
        case HTTP_FORBIDDEN:
            return "<p>Access to this resource is forbidden.</p>\n";
        case HTTP_NOT_FOUND:
            return "<p>The requested resource does not exist on this server."
                   "</p>\n";
        case HTTP_METHOD_NOT_ALLOWED:
            return apr_pstrcat(r->pool, "<p>The method ",
                               ap_escape_html(r->pool, r->method),
                               " is not allowed here.</p>\n", NULL);
        case HTTP_REQUEST_TIME_OUT:
            return "<p>The request was not received in time.</p>\n";
        default:
            return apr_psprintf(r->pool, "<p>%s.</p>\n",
                                ap_get_status_line(status) + 4);
    }
}

AP_DECLARE(void) ap_send_error_response(request_rec *r, int recursive_error)
{
    int status = r->status;
    const char *location = apr_table_get(r->headers_out, "Location");
    const char *title;
    apr_table_t *tmp;
    (void)recursive_error;
    mc_stub_perturb();
    if (r->sent_bodyct) { /* too late for an error page */
        r->connection->keepalive = AP_CONN_CLOSE;
        ap_finalize_request_protocol(r);
        return;
    }
    tmp = r->headers_out;
    r->headers_out = r->err_headers_out;
    r->err_headers_out = tmp;
    apr_table_clear(r->err_headers_out);
    if ((ap_is_HTTP_REDIRECT(status) || status == HTTP_CREATED) && location)
        apr_table_setn(r->headers_out, "Location", location);
    r->content_languages = NULL;
    r->content_encoding = NULL;
    r->clength = 0;
    apr_table_unset(r->headers_out, "Content-Length");
    ap_set_content_type(r, "text/html; charset=iso-8859-1");
    if (status == HTTP_METHOD_NOT_ALLOWED || status == HTTP_NOT_IMPLEMENTED)
        apr_table_setn(r->headers_out, "Allow", "GET,POST,OPTIONS,HEAD");
    if (!r->header_only) {
        title = ap_get_status_line(status);
        ap_rvputs(r, DOCTYPE_HTML_2_0, "<html><head>\n<title>", title,
                  "</title>\n</head><body>\n<h1>", title + 4, "</h1>\n",
                  error_text(r, status), "</body></html>\n", NULL);
    }
    ap_finalize_request_protocol(r);
}

/* ErrorDocument / ap_custom_response(): "text, a local URL (internal
 * redirect, REDIRECT_STATUS set) or a full URL (302). 1 when handled. */
static int custom_response(request_rec *r, int status)
{
    const core_request_config *rc =
        ap_get_core_module_config(r->request_config);
    const struct mc_core_dir *d = mc__core_dir(r);
    int idx = ap_index_of_response(status);
    const char *doc = NULL;
    if (rc && rc->response_code_strings)
        doc = rc->response_code_strings[idx];
    if (!doc && d->core.response_code_strings)
        doc = d->core.response_code_strings[idx];
    if (!doc || r->sent_bodyct)
        return 0;
    if (doc[0] == '"') {
        ap_set_content_type(r, "text/html");
        ap_rputs(doc + 1, r);
        ap_finalize_request_protocol(r);
        return 1;
    }
    if (doc[0] == '/' && !r->prev) {
        apr_table_setn(r->subprocess_env, "REDIRECT_STATUS",
                       apr_itoa(r->pool, status));
        r->method = "GET";
        r->method_number = M_GET;
        ap_internal_redirect(doc, r);
        return 1;
    }
    if (!strncmp(doc, "http", 4)) {
        apr_table_setn(r->headers_out, "Location", doc);
        r->status = HTTP_MOVED_TEMPORARILY;
        ap_send_error_response(r, 0);
        return 1;
    }
    return 0;
}

static void die_r(int type, request_rec *r, int recursive_error)
{
    mc_stub_perturb();
    if (type == OK || type == DONE) {
        ap_finalize_request_protocol(r);
        return;
    }
    if (!ap_is_HTTP_VALID_RESPONSE(type)) {
        /* as httpd: an error that is no HTTP status (AP_FILTER_ERROR, or a
         * handler's stray negative value) ends the request quietly when a
         * response has gone out, and is a 500 when nothing has */
        if (type == AP_FILTER_ERROR)
            r->connection->keepalive = AP_CONN_CLOSE;
        else
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          "%d is no response status", type);
        if (r->sent_bodyct)
            return;
        type = HTTP_INTERNAL_SERVER_ERROR;
    }
    if (recursive_error != HTTP_OK) {
        while (r->prev && r->prev->status != HTTP_OK)
            r = r->prev;
    }
    r->status = type;
    if (ap_status_drops_connection(type))
        r->connection->keepalive = AP_CONN_CLOSE;
    if (recursive_error == HTTP_OK && custom_response(r, type))
        return;
    ap_send_error_response(r, recursive_error);
}

AP_DECLARE(void) ap_die(int type, request_rec *r)
{
    die_r(type, r, r->status);
}

void mc__process_request(request_rec *r)
{
    int st = ap_run_quick_handler(r, 0);
    if (st == DECLINED) {
        st = ap_process_request_internal(r);
        if (st == OK)
            st = ap_invoke_handler(r);
    }
    if (st == DONE)
        st = OK;
    if (st == OK)
        ap_finalize_request_protocol(r);
    else {
        r->status = HTTP_OK;
        ap_die(st, r);
    }
    if (!r->connection->aborted && r->connection->keepalive != AP_CONN_CLOSE)
        ap_discard_request_body(r);
    mc__end_request(r);
}

AP_DECLARE(void) ap_process_request(request_rec *r)
{
    mc__process_request(r);
}

/* --- internal redirects --------------------------------------------------- */

static int too_many_redirects(request_rec *r)
{
    core_server_config *sc = &mc__core_server(r->server)->core;
    int n = 0;
    for (request_rec *t = r; t; t = t->prev)
        ++n;
    if (n <= sc->redirect_limit)
        return 0;
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  "more than %d internal redirects for one request",
                  sc->redirect_limit);
    return 1;
}

/* What a redirected request keeps from the original one. */
static void copy_identity(request_rec *new, const request_rec *r)
{
    new->connection = r->connection;
    new->server = r->server;
    new->pool = r->pool;
    new->method = r->method;
    new->method_number = r->method_number;
    new->useragent_addr = r->useragent_addr;
    new->useragent_ip = r->useragent_ip;
    new->the_request = r->the_request;
    new->allowed = r->allowed;
    new->status = r->status;
    new->assbackwards = r->assbackwards;
    new->header_only = r->header_only;
    new->protocol = r->protocol;
    new->proto_num = r->proto_num;
    new->hostname = r->hostname;
    new->request_time = r->request_time;
    new->main = r->main;
    new->headers_in = r->headers_in;
    new->trailers_in = r->trailers_in;
    new->err_headers_out = r->err_headers_out;
    new->htaccess = r->htaccess;
    new->no_cache = r->no_cache;
    new->expecting_100 = r->expecting_100;
    new->no_local_copy = r->no_local_copy;
    new->read_length = r->read_length;
    new->vlist_validator = r->vlist_validator;
    new->user = r->user;
    new->ap_auth_type = r->ap_auth_type;
}

/* The protocol filters carry on with the new request. */
static void move_filters(request_rec *new, request_rec *r)
{
    new->proto_output_filters = r->proto_output_filters;
    new->proto_input_filters = r->proto_input_filters;
    new->input_filters = new->proto_input_filters;
    new->output_filters = new->proto_output_filters;
    for (ap_filter_t *f = new->proto_output_filters; f; f = f->next)
        if (f->r == r)
            f->r = new;
    for (ap_filter_t *f = new->proto_input_filters; f; f = f->next)
        if (f->r == r)
            f->r = new;
}

static request_rec *internal_internal_redirect(const char *new_uri,
                                               request_rec *r)
{
    int access_status;
    request_rec *new;
    if (too_many_redirects(r)) {
        ap_die(HTTP_INTERNAL_SERVER_ERROR, r);
        return NULL;
    }
    new = apr_pcalloc(r->pool, sizeof(*new));
    copy_identity(new, r);
    new->allowed_methods = ap_make_method_list(new->pool, 2);
    ap_parse_uri(new, new_uri);
    new->parsed_uri.port_str = r->parsed_uri.port_str;
    new->parsed_uri.port = r->parsed_uri.port;
    new->request_config = ap_create_request_config(r->pool);
    new->per_dir_config = r->server->lookup_defaults;
    new->prev = r;
    r->next = new;
    new->headers_out = apr_table_make(r->pool, 12);
    if (ap_is_HTTP_REDIRECT(new->status)) {
        const char *location = apr_table_get(r->headers_out, "Location");
        if (location)
            apr_table_setn(new->headers_out, "Location", location);
    }
    new->trailers_out = apr_table_make(r->pool, 5);
    new->subprocess_env = apr_table_copy(r->pool, r->subprocess_env);
    new->notes = apr_table_make(r->pool, 5);
    move_filters(new, r);
    ap_run_create_request(new);
    new->sent_bodyct = r->sent_bodyct;
    new->bytes_sent = r->bytes_sent;
    if ((access_status = ap_post_read_request(new))) {
        ap_die(access_status, new);
        return NULL;
    }
    return new;
}

static void process_redirect(request_rec *new)
{
    int st = ap_run_quick_handler(new, 0);
    if (st == DECLINED) {
        st = ap_process_request_internal(new);
        if (st == OK)
            st = ap_invoke_handler(new);
    }
    if (st == DONE)
        st = OK;
    if (st == OK)
        ap_finalize_request_protocol(new);
    else
        ap_die(st, new);
}

AP_DECLARE(void) ap_internal_redirect(const char *new_uri, request_rec *r)
{
    request_rec *new;
    mc_stub_perturb();
    new = internal_internal_redirect(new_uri, r);
    if (new)
        process_redirect(new);
}

AP_DECLARE(void)
ap_internal_redirect_handler(const char *new_uri, request_rec *r)
{
    request_rec *new;
    int st;
    mc_stub_perturb();
    new = internal_internal_redirect(new_uri, r);
    if (!new)
        return;
    if (r->handler)
        ap_set_content_type(new, r->content_type);
    st = ap_process_request_internal(new);
    if (st == OK)
        st = ap_invoke_handler(new);
    if (st == DONE)
        st = OK;
    if (st == OK)
        ap_finalize_request_protocol(new);
    else
        ap_die(st, new);
}

AP_DECLARE(void) ap_internal_fast_redirect(request_rec *rr, request_rec *r)
{
    mc_stub_perturb();
    r->method = rr->method;
    r->method_number = rr->method_number;
    r->uri = rr->uri;
    r->filename = rr->filename;
    r->canonical_filename = rr->canonical_filename;
    r->path_info = rr->path_info;
    r->args = rr->args;
    r->finfo = rr->finfo;
    r->handler = rr->handler;
    ap_set_content_type(r, rr->content_type);
    r->content_encoding = rr->content_encoding;
    r->content_languages = rr->content_languages;
    r->per_dir_config = rr->per_dir_config;
    r->notes = apr_table_overlay(r->pool, rr->notes, r->notes);
    r->headers_out =
        apr_table_overlay(r->pool, rr->headers_out, r->headers_out);
    r->err_headers_out =
        apr_table_overlay(r->pool, rr->err_headers_out, r->err_headers_out);
    r->subprocess_env =
        apr_table_overlay(r->pool, rr->subprocess_env, r->subprocess_env);
}

AP_DECLARE(int) ap_is_initial_req(request_rec *r)
{
    mc_stub_perturb();
    return r->main == NULL && r->prev == NULL;
}

AP_DECLARE(void) ap_allow_methods(request_rec *r, int reset, ...)
{
    const char *method;
    va_list methods;
    if (reset)
        ap_clear_method_list(r->allowed_methods);
    va_start(methods, reset);
    while ((method = va_arg(methods, const char *)) != NULL)
        ap_method_list_add(r->allowed_methods, method);
    va_end(methods);
}

AP_DECLARE(void) ap_allow_standard_methods(request_rec *r, int reset, ...)
{
    int method;
    va_list methods;
    apr_int64_t mask;
    if (reset)
        ap_clear_method_list(r->allowed_methods);
    mask = 0;
    va_start(methods, reset);
    while ((method = va_arg(methods, int)) != -1)
        mask |= (AP_METHOD_BIT << method);
    va_end(methods);
    r->allowed_methods->method_mask |= mask;
}
