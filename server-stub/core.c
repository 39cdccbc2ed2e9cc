/*
 * core.c - the core module: core_module (module index 0, as in httpd) with
 * its per-server and per-directory configs laid out as httpd's
 * core_server_config / core_dir_config, and the core directives: server
 * setup (ServerRoot, ServerName, DocumentRoot, Listen, LoadModule, ErrorLog,
 * LogLevel, Timeout, KeepAlive*), sections (<Location>, <LocationMatch>,
 * <Directory>, <DirectoryMatch>, <IfModule> ...), AllowOverride and
 * AccessFileName, SetHandler/ForceType, the authn/authz core directives
 * (AuthType, AuthName, Require, AuthBasicProvider, Satisfy) and the MPM
 * directives of the three profiles. Directive handlers run in the
 * configuration phase, or at request time on request pools (.htaccess).
 */
#include "stub.h"
#include "stub_config.h"

#include "ap_provider.h"
#include "apr_fnmatch.h"
#include "apr_lib.h"
#include "apr_strings.h"
#include "http_main.h"
#include "mod_auth.h"
#include "util_mutex.h"
#include "mpm_common.h"
#include "unixd.h"
#include "util_filter.h"

#include <stdlib.h>
#include <string.h>

#define AP_LIMIT_REQ_BODY_UNSET ((apr_off_t)-1)
#define AP_LIMIT_UNSET ((long)-1)
/* httpd 2.4.54+ default LimitRequestBody: 1 GiB */
#define AP_DEFAULT_LIMIT_REQ_BODY ((apr_off_t)1 << 30)

/* ServerRoot: written by the ServerRoot directive (config phase). */
AP_DECLARE_DATA const char *ap_server_root = "/etc/apache2";
AP_DECLARE_DATA const char *ap_runtime_dir = NULL;
AP_DECLARE_DATA server_rec *ap_server_conf = NULL;
AP_DECLARE_DATA apr_pool_t *ap_pglobal = NULL;
AP_DECLARE_DATA int ap_main_state = AP_SQ_MS_INITIAL_STARTUP;
AP_DECLARE_DATA int ap_run_mode = AP_SQ_RM_UNKNOWN;
AP_DECLARE_DATA int ap_config_generation = 0;
AP_DECLARE_DATA apr_array_header_t *ap_server_pre_read_config = NULL;
AP_DECLARE_DATA apr_array_header_t *ap_server_post_read_config = NULL;
AP_DECLARE_DATA apr_array_header_t *ap_server_config_defines = NULL;
AP_DECLARE_DATA const char *ap_server_argv0 = "modcert-stub";

/* Define'd names: config phase only. */
apr_table_t *mc__defines = NULL;

char *mc__core_root_relative(apr_pool_t *p, const char *name)
{
    char *out;
    if (apr_filepath_merge(&out, ap_server_root, name, APR_FILEPATH_TRUENAME,
                           p) == APR_SUCCESS)
        return out;
    return apr_pstrdup(p, name);
}

/* --- configs ------------------------------------------------------------ */

static void *create_core_dir(apr_pool_t *p, char *dir)
{
    struct mc_core_dir *c = apr_pcalloc(p, sizeof(*c));
    c->core.d = dir ? apr_pstrdup(p, dir) : NULL;
    c->core.d_is_fnmatch = dir ? apr_fnmatch_test(dir) != 0 : 0;
    c->core.override = dir ? OR_UNSET : (OR_NONE | OR_UNSET);
    c->core.override_opts = OPT_UNSET | OPT_ALL | OPT_SYM_OWNER | OPT_MULTI;
    c->core.opts = dir ? OPT_UNSET : (OPT_UNSET | OPT_SYM_LINKS);
    c->core.limit_req_body = AP_LIMIT_REQ_BODY_UNSET;
    c->core.limit_xml_body = AP_LIMIT_UNSET;
    c->core.hostname_lookups = HOSTNAME_LOOKUP_UNSET;
    c->core.use_canonical_name = USE_CANONICAL_NAME_UNSET;
    c->core.accept_path_info = AP_REQ_DEFAULT_PATH_INFO;
    c->core.max_ranges = AP_MAXRANGES_UNSET;
    c->satisfy = SATISFY_NOSPEC;
    return c;
}

#define MERGE_PTR(f) (n->f ? n->f : b->f)

static void *merge_core_dir(apr_pool_t *p, void *basev, void *newv)
{
    struct mc_core_dir *b = basev, *n = newv;
    struct mc_core_dir *c = apr_pmemdup(p, b, sizeof(*c));
    c->core.d = n->core.d;
    c->core.d_is_fnmatch = n->core.d_is_fnmatch;
    c->core.r = n->core.r;
    if (!(n->core.override & OR_UNSET)) {
        c->core.override = n->core.override;
        c->core.override_opts = n->core.override_opts;
    }
    if (!(n->core.opts & OPT_UNSET))
        c->core.opts = n->core.opts;
    c->core.handler = MERGE_PTR(core.handler);
    if (n->core.response_code_strings && b->core.response_code_strings) {
        c->core.response_code_strings = apr_pmemdup(
            p, b->core.response_code_strings, sizeof(char *) * RESPONSE_CODES);
        for (int i = 0; i < RESPONSE_CODES; ++i)
            if (n->core.response_code_strings[i])
                c->core.response_code_strings[i] =
                    n->core.response_code_strings[i];
    } else {
        c->core.response_code_strings = MERGE_PTR(core.response_code_strings);
    }
    c->core.mime_type = MERGE_PTR(core.mime_type);
    c->core.output_filters = MERGE_PTR(core.output_filters);
    c->core.input_filters = MERGE_PTR(core.input_filters);
    if (n->core.limit_req_body != AP_LIMIT_REQ_BODY_UNSET)
        c->core.limit_req_body = n->core.limit_req_body;
    if (n->core.log)
        c->core.log = n->core.log;
    c->auth_type = MERGE_PTR(auth_type);
    c->auth_name = MERGE_PTR(auth_name);
    c->basic_providers = MERGE_PTR(basic_providers);
    c->requires = MERGE_PTR(requires);
    if (n->satisfy != SATISFY_NOSPEC)
        c->satisfy = n->satisfy;
    c->is_location = n->is_location;
    return c;
}

static void *create_core_server(apr_pool_t *p, server_rec *s)
{
    struct mc_core_server *c = apr_pcalloc(p, sizeof(*c));
    (void)s;
    c->core.ap_document_root = "/var/www/html";
    c->core.access_name = ".htaccess";
    c->core.sec_dir = apr_array_make(p, 4, sizeof(ap_conf_vector_t *));
    c->core.sec_url = apr_array_make(p, 4, sizeof(ap_conf_vector_t *));
    c->core.redirect_limit = 10;
    c->core.subreq_limit = 10;
    c->core.trace_enable = AP_TRACE_UNSET;
    return c;
}

struct mc_core_dir *mc__core_dir(const request_rec *r)
{
    return ap_get_core_module_config(r->per_dir_config);
}

struct mc_core_server *mc__core_server(const server_rec *s)
{
    return ap_get_core_module_config(s->module_config);
}

AP_CORE_DECLARE(void) ap_add_per_dir_conf(server_rec *s, void *dir_config)
{
    struct mc_core_server *c = mc__core_server(s);
    APR_ARRAY_PUSH(c->core.sec_dir, void *) = dir_config;
}

AP_CORE_DECLARE(void) ap_add_per_url_conf(server_rec *s, void *url_config)
{
    struct mc_core_server *c = mc__core_server(s);
    APR_ARRAY_PUSH(c->core.sec_url, void *) = url_config;
}

AP_CORE_DECLARE(void)
ap_add_file_conf(apr_pool_t *p, core_dir_config *conf, void *url_config)
{
    if (!conf->sec_file)
        conf->sec_file = apr_array_make(p, 2, sizeof(ap_conf_vector_t *));
    APR_ARRAY_PUSH(conf->sec_file, void *) = url_config;
}

/* --- simple server directives ------------------------------------------- */

static const char *set_server_root(cmd_parms *cmd, void *d, const char *arg)
{
    char *root;
    apr_finfo_t fi;
    (void)d;
    if (apr_filepath_merge(&root, NULL, arg, APR_FILEPATH_TRUENAME,
                           cmd->pool) != APR_SUCCESS ||
        apr_stat(&fi, root, APR_FINFO_TYPE, cmd->temp_pool) != APR_SUCCESS ||
        fi.filetype != APR_DIR)
        return apr_pstrcat(cmd->pool, "ServerRoot is not a directory", NULL);
    ap_server_root = root;
    return NULL;
}

static const char *set_document_root(cmd_parms *cmd, void *d, const char *arg)
{
    struct mc_core_server *c = mc__core_server(cmd->server);
    (void)d;
    c->core.ap_document_root = mc__core_root_relative(cmd->pool, arg);
    while (strlen(c->core.ap_document_root) > 1 &&
           c->core.ap_document_root[strlen(c->core.ap_document_root) - 1] ==
               '/')
        ((char *)
             c->core.ap_document_root)[strlen(c->core.ap_document_root) - 1] =
            '\0';
    return NULL;
}

static const char *set_server_name(cmd_parms *cmd, void *d, const char *arg)
{
    const char *colon = strrchr(arg, ':');
    (void)d;
    if (strstr(arg, "://"))
        arg = strstr(arg, "://") + 3, colon = strrchr(arg, ':');
    if (colon && colon[1]) {
        char *end;
        long port = strtol(colon + 1, &end, 10);
        if (*end || port <= 0 || port > 65535)
            return apr_pstrcat(cmd->pool, "The port number \"", colon + 1,
                               "\" is outside the appropriate range (i.e., "
                               "1..65535).",
                               NULL);
        cmd->server->port = (apr_port_t)port;
        cmd->server->server_hostname =
            apr_pstrndup(cmd->pool, arg, (apr_size_t)(colon - arg));
    } else {
        cmd->server->server_hostname = apr_pstrdup(cmd->pool, arg);
    }
    return NULL;
}

static const char *set_server_admin(cmd_parms *cmd, void *d, const char *arg)
{
    (void)d;
    cmd->server->server_admin = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

static const char *parse_port(apr_pool_t *p, const char *s, apr_port_t *port)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v <= 0 || v > 65535)
        return apr_psprintf(p, "Port must be specified: invalid port '%s'", s);
    *port = (apr_port_t)v;
    return NULL;
}

static const char *set_listen(cmd_parms *cmd, void *d, const char *addr,
                              const char *proto)
{
    struct mc_listener *l;
    const char *colon = strrchr(addr, ':');
    const char *err;
    (void)d;
    (void)proto;
    l = apr_array_push(mc__stub.listeners);
    l->sock = NULL;
    if (colon) {
        l->host = apr_pstrndup(cmd->pool, addr, (apr_size_t)(colon - addr));
        if (l->host[0] == '[')
            l->host = apr_pstrndup(cmd->pool, l->host + 1, strlen(l->host) - 2);
        err = parse_port(cmd->pool, colon + 1, &l->port);
    } else {
        l->host = "127.0.0.1"; /* loopback by default */
        err = parse_port(cmd->pool, addr, &l->port);
    }
    if (err)
        mc__stub.listeners->nelts--;
    return err;
}

static const char *load_module(cmd_parms *cmd, void *d, const char *name,
                               const char *path)
{
    char *full = mc__core_root_relative(cmd->temp_pool, path);
    const char *err;
    module *m;
    (void)d;
    err = mc__load_module(cmd->pool, name, full);
    if (err)
        return err;
    m = ap_loaded_modules[0];
    for (module **mp = ap_loaded_modules; *mp; ++mp)
        m = *mp;
    ap_single_module_configure(cmd->pool, cmd->server, m);
    return NULL;
}

static const char *set_define(cmd_parms *cmd, void *d, const char *name,
                              const char *value)
{
    (void)d;
    if (strchr(name, ':'))
        return "Define: ':' is not allowed in a variable name";
    apr_table_setn(mc__defines, apr_pstrdup(cmd->pool, name),
                   value ? apr_pstrdup(cmd->pool, value) : "");
    return NULL;
}

static const char *set_error_log(cmd_parms *cmd, void *d, const char *arg)
{
    (void)d;
    cmd->server->error_fname = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

static const char *parse_level(const char *s, int *level)
{
    static const char *const names[] = {"emerg",  "alert",  "crit",   "error",
                                        "warn",   "notice", "info",   "debug",
                                        "trace1", "trace2", "trace3", "trace4",
                                        "trace5", "trace6", "trace7", "trace8"};
    for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); ++i)
        if (!strcasecmp(s, names[i])) {
            *level = i;
            return NULL;
        }
    return "LogLevel wants a level: emerg, alert, crit, error, warn, notice, "
           "info, debug or trace1 to trace8";
}

static module *find_module_by_name(const char *name)
{
    for (module *m = ap_top_module; m; m = m->next) {
        const char *sn = ap_find_module_short_name(m->module_index);
        size_t n = strlen(name);
        if (!strcmp(m->name, name) || (sn && !strcmp(sn, name)) ||
            (sn && n > 7 && !strcmp(name + n - 7, "_module") &&
             strlen(sn) == n - 7 && !strncmp(sn, name, n - 7)))
            return m;
    }
    return NULL;
}

/* LogLevel [module:]level ...; per-directory inside sections. */
static const char *set_loglevel(cmd_parms *cmd, void *d, const char *arg)
{
    const char *colon = strrchr(arg, ':');
    struct ap_logconf *log = &cmd->server->log;
    int level;
    const char *err = parse_level(colon ? colon + 1 : arg, &level);
    (void)d;
    if (err)
        return err;
    if (cmd->path) {
        struct mc_core_dir *c = ap_get_core_module_config(cmd->context);
        if (!c->core.log)
            c->core.log = ap_new_log_config(cmd->pool, NULL);
        log = c->core.log;
    }
    if (colon) {
        char *name =
            apr_pstrndup(cmd->temp_pool, arg, (apr_size_t)(colon - arg));
        module *m = find_module_by_name(name);
        if (!m)
            return apr_psprintf(cmd->pool, "Cannot find module '%s'", name);
        ap_set_module_loglevel(cmd->pool, log, m->module_index, level);
        return NULL;
    }
    log->level = level;
    if (!cmd->path)
        mc__stub.loglevel_set = 1;
    return NULL;
}

static const char *parse_seconds(cmd_parms *cmd, const char *arg, int min,
                                 long *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || v < min)
        return apr_psprintf(cmd->pool, "%s: '%s' is not a valid number%s",
                            cmd->cmd->name, arg,
                            min > 0 ? " (must be positive)" : "");
    *out = v;
    return NULL;
}

static const char *set_timeout(cmd_parms *cmd, void *d, const char *arg)
{
    long v = 0;
    const char *err = parse_seconds(cmd, arg, 1, &v);
    (void)d;
    if (err)
        return err;
    if (!strcasecmp(cmd->cmd->name, "Timeout")) {
        cmd->server->timeout = apr_time_from_sec(v);
        mc__stub.timeout = cmd->server->timeout;
    } else if (!strcasecmp(cmd->cmd->name, "KeepAliveTimeout")) {
        cmd->server->keep_alive_timeout = apr_time_from_sec(v);
        mc__stub.keepalive_timeout = cmd->server->keep_alive_timeout;
    }
    return NULL;
}

static const char *set_keepalive(cmd_parms *cmd, void *d, int on)
{
    (void)d;
    cmd->server->keep_alive = on;
    return NULL;
}

static const char *set_max_keepalive(cmd_parms *cmd, void *d, const char *arg)
{
    long v = 0;
    const char *err = parse_seconds(cmd, arg, 0, &v);
    (void)d;
    if (err)
        return err;
    cmd->server->keep_alive_max = (int)v;
    mc__stub.max_keepalive = (int)v;
    return NULL;
}

static const char *set_limit(cmd_parms *cmd, void *d, const char *arg)
{
    long v = 0;
    const char *err = parse_seconds(cmd, arg, 0, &v);
    (void)d;
    if (err)
        return err;
    if (!strcasecmp(cmd->cmd->name, "LimitRequestLine"))
        cmd->server->limit_req_line = (int)v;
    else if (!strcasecmp(cmd->cmd->name, "LimitRequestFieldSize"))
        cmd->server->limit_req_fieldsize = (int)v;
    else
        cmd->server->limit_req_fields = (int)v;
    return NULL;
}

static const char *set_limit_body(cmd_parms *cmd, void *d, const char *arg)
{
    struct mc_core_dir *c = d;
    char *end;
    apr_off_t v;
    if (apr_strtoff(&v, arg, &end, 10) != APR_SUCCESS || *end || v < 0)
        return "LimitRequestBody wants a byte count (0 or more)";
    (void)cmd;
    c->core.limit_req_body = v;
    return NULL;
}

static const char *set_mpm_int(cmd_parms *cmd, void *d, const char *arg)
{
    long v = 0;
    const char *name = cmd->cmd->name;
    const char *err = parse_seconds(cmd, arg, 0, &v);
    (void)d;
    if (err)
        return err;
    if (!strcasecmp(name, "ThreadsPerChild")) {
        if (v < 1)
            return "ThreadsPerChild must be at least 1";
        mc__stub.threads_per_child = (int)v;
    } else if (!strcasecmp(name, "ServerLimit") ||
               !strcasecmp(name, "StartServers")) {
        if (v < 1)
            return apr_psprintf(cmd->pool, "%s must be at least 1", name);
        if (!strcasecmp(name, "StartServers") || mc__stub.processes == 0)
            mc__stub.processes = (int)v;
    } else if (!strcasecmp(name, "ThreadStackSize")) {
        if (v < 16384)
            return "ThreadStackSize must be at least 16384 bytes";
        mc__stub.thread_stack = (apr_size_t)v;
    } else if (!strcasecmp(name, "MaxRequestWorkers") ||
               !strcasecmp(name, "MaxClients")) {
        mc__stub.max_workers = (int)v;
    }
    return NULL;
}

/* User/Group: recorded in ap_unixd_config (modules chown their lock files
 * to it); the stub itself never switches identity. */
static const char *set_user_group(cmd_parms *cmd, void *d, const char *arg)
{
    (void)d;
    if (cmd->info) {
        ap_unixd_config.group_name = apr_pstrdup(cmd->pool, arg);
        ap_unixd_config.group_id = ap_gname2id(arg);
    } else {
        ap_unixd_config.user_name = apr_pstrdup(cmd->pool, arg);
        ap_unixd_config.user_id = ap_uname2id(arg);
    }
    return NULL;
}

const char *mc__set_server_tokens(const char *arg);

static const char *set_tokens(cmd_parms *cmd, void *d, const char *arg)
{
    (void)cmd;
    (void)d;
    return mc__set_server_tokens(arg);
}

/* ErrorDocument CODE text|"text|/local|http://remote */
static const char *set_error_document(cmd_parms *cmd, void *d, const char *args)
{
    struct mc_core_dir *c = d;
    const char *code_s = mc__cfg_getword(cmd->temp_pool, &args);
    int code = atoi(code_s);
    int idx = ap_index_of_response(code);
    const char *msg;
    if (code < 400 || code > 599)
        return apr_pstrcat(
            cmd->pool, "ErrorDocument: not an error status: ", code_s, NULL);
    while (apr_isspace(*args))
        ++args;
    if (!*args)
        return "ErrorDocument takes two arguments, Change responses for "
               "HTTP errors";
    if (*args == '"' || (args[0] != '/' && strncmp(args, "http", 4))) {
        /* text: kept with its leading quote, as httpd marks it */
        const char *t = *args == '"' ? args + 1 : args;
        size_t n = strlen(t);
        if (n && t[n - 1] == '"' && *args == '"')
            --n;
        msg = apr_pstrcat(cmd->pool, "\"", apr_pstrndup(cmd->pool, t, n), NULL);
    } else {
        msg = apr_pstrdup(cmd->pool, args);
    }
    if (!c->core.response_code_strings)
        c->core.response_code_strings =
            apr_pcalloc(cmd->pool, sizeof(char *) * RESPONSE_CODES);
    c->core.response_code_strings[idx] = (char *)msg;
    return NULL;
}

static const char *set_runtime_dir(cmd_parms *cmd, void *d, const char *arg)
{
    apr_finfo_t fi;
    const char *dir = mc__core_root_relative(cmd->pool, arg);
    (void)d;
    if (apr_stat(&fi, dir, APR_FINFO_TYPE, cmd->temp_pool) != APR_SUCCESS ||
        fi.filetype != APR_DIR)
        return apr_pstrcat(cmd->pool,
                           "DefaultRuntimeDir is not a directory (a "
                           "relative path is taken from ServerRoot): ",
                           dir, NULL);
    ap_runtime_dir = dir;
    return NULL;
}

static const char *ignore_take1(cmd_parms *cmd, void *d, const char *arg)
{
    (void)cmd;
    (void)d;
    (void)arg;
    return NULL;
}

/* --- per-directory directives -------------------------------------------- */

static const char *set_override(cmd_parms *cmd, void *d, const char *l)
{
    struct mc_core_dir *c = d;
    const char *err = ap_check_cmd_context(cmd, NOT_IN_LOCATION | NOT_IN_FILES);
    if (err)
        return err;
    c->core.override = OR_NONE;
    while (*l) {
        char *w = mc__cfg_getword(cmd->temp_pool, &l);
        char *eq = strchr(w, '=');
        if (eq)
            *eq = '\0';
        if (!strcasecmp(w, "Limit"))
            c->core.override |= OR_LIMIT;
        else if (!strcasecmp(w, "Options"))
            c->core.override |= OR_OPTIONS;
        else if (!strcasecmp(w, "FileInfo"))
            c->core.override |= OR_FILEINFO;
        else if (!strcasecmp(w, "AuthConfig"))
            c->core.override |= OR_AUTHCFG;
        else if (!strcasecmp(w, "Indexes"))
            c->core.override |= OR_INDEXES;
        else if (!strcasecmp(w, "Nonfatal"))
            c->core.override |= NONFATAL_ALL;
        else if (!strcasecmp(w, "None"))
            c->core.override = OR_NONE;
        else if (!strcasecmp(w, "All"))
            c->core.override = OR_ALL;
        else
            return apr_pstrcat(cmd->pool, "Illegal override option ", w, NULL);
    }
    c->core.override &= ~OR_UNSET;
    return NULL;
}

static const char *set_access_name(cmd_parms *cmd, void *d, const char *arg)
{
    struct mc_core_server *c = mc__core_server(cmd->server);
    (void)d;
    c->core.access_name = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

static const char *set_handler(cmd_parms *cmd, void *d, const char *arg)
{
    struct mc_core_dir *c = d;
    if (!strcasecmp(arg, "none") || !*arg)
        c->core.handler = "none";
    else
        c->core.handler = apr_pstrdup(cmd->pool, arg);
    ap_str_tolower((char *)c->core.handler);
    return NULL;
}

static const char *set_force_type(cmd_parms *cmd, void *d, const char *arg)
{
    struct mc_core_dir *c = d;
    c->core.mime_type =
        !strcasecmp(arg, "none") ? "none" : apr_pstrdup(cmd->pool, arg);
    return NULL;
}

static const char *set_options(cmd_parms *cmd, void *d, const char *l)
{
    struct mc_core_dir *c = d;
    c->core.opts = OPT_NONE;
    while (*l) {
        char *w = mc__cfg_getword(cmd->temp_pool, &l);
        if (*w == '+' || *w == '-')
            ++w;
        if (!strcasecmp(w, "Indexes"))
            c->core.opts |= OPT_INDEXES;
        else if (!strcasecmp(w, "FollowSymLinks"))
            c->core.opts |= OPT_SYM_LINKS;
        else if (!strcasecmp(w, "ExecCGI"))
            c->core.opts |= OPT_EXECCGI;
        else if (!strcasecmp(w, "Includes"))
            c->core.opts |= OPT_INCLUDES;
        else if (!strcasecmp(w, "MultiViews"))
            c->core.opts |= OPT_MULTI;
        else if (!strcasecmp(w, "All"))
            c->core.opts |= OPT_ALL;
        else if (strcasecmp(w, "None") &&
                 strcasecmp(w, "SymLinksIfOwnerMatch") &&
                 strcasecmp(w, "IncludesNOEXEC"))
            return apr_pstrcat(cmd->pool, "Illegal option ", w, NULL);
    }
    return NULL;
}

/* --- Alias (mod_alias's URL-to-directory mapping) ---------------------------- */

struct mc_alias {
    const char *fake;
    const char *real;
};

static const char *add_alias(cmd_parms *cmd, void *d, const char *fake,
                             const char *real)
{
    struct mc_core_server *c = mc__core_server(cmd->server);
    struct mc_alias *a;
    (void)d;
    if (!c->aliases)
        c->aliases = apr_array_make(cmd->pool, 2, sizeof(*a));
    a = apr_array_push(c->aliases);
    a->fake = apr_pstrdup(cmd->pool, fake);
    a->real = mc__core_root_relative(cmd->pool, real);
    return NULL;
}

/* translate_name (before the core's): the first matching Alias wins. */
int mc__alias_translate(request_rec *r);
int mc__alias_translate(request_rec *r)
{
    struct mc_core_server *c = mc__core_server(r->server);
    if (!c->aliases || !r->uri || r->uri[0] != '/')
        return DECLINED;
    for (int i = 0; i < c->aliases->nelts; ++i) {
        const struct mc_alias *a =
            &APR_ARRAY_IDX(c->aliases, i, struct mc_alias);
        size_t n = strlen(a->fake);
        if (strncmp(r->uri, a->fake, n) ||
            (a->fake[n - 1] != '/' && r->uri[n] && r->uri[n] != '/'))
            continue;
        r->filename = apr_pstrcat(r->pool, a->real, r->uri + n, NULL);
        r->canonical_filename = r->filename;
        return OK;
    }
    return DECLINED;
}

static const char *set_filters(cmd_parms *cmd, void *d, const char *arg)
{
    struct mc_core_dir *c = d;
    if (cmd->info)
        c->core.input_filters = apr_pstrdup(cmd->pool, arg);
    else
        c->core.output_filters = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

/* insert_filter: SetOutputFilter / SetInputFilter, ';'-separated. */
static void add_filter_list(request_rec *r, const char *list, int input)
{
    char *l = apr_pstrdup(r->pool, list), *last = NULL;
    for (char *f = apr_strtok(l, ";", &last); f;
         f = apr_strtok(NULL, ";", &last)) {
        if (input)
            ap_add_input_filter(f, NULL, r, r->connection);
        else
            ap_add_output_filter(f, NULL, r, r->connection);
    }
}

void mc__core_insert_filter(request_rec *r);
void mc__core_insert_filter(request_rec *r)
{
    const struct mc_core_dir *c = mc__core_dir(r);
    if (c->core.output_filters)
        add_filter_list(r, c->core.output_filters, 0);
    if (c->core.input_filters)
        add_filter_list(r, c->core.input_filters, 1);
}

/* --- sections --------------------------------------------------------- */

static const char *section_path(cmd_parms *cmd, const char *arg, char **out)
{
    const char *end = strrchr(arg, '>');
    const char *a;
    if (!end)
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           "> directive missing closing '>'", NULL);
    a = apr_pstrndup(cmd->temp_pool, arg, (apr_size_t)(end - arg));
    if (!*a)
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           "> directive requires additional arguments", NULL);
    *out = mc__cfg_getword(cmd->pool, &a);
    if (!**out)
        return apr_pstrcat(cmd->pool, "<", cmd->cmd->name + 1,
                           "> block must specify a path", NULL);
    return NULL;
}

static const char *compile_section_regex(cmd_parms *cmd, const char *re,
                                         ap_regex_t **out)
{
    *out = ap_pregcomp(cmd->pool, re, AP_REG_EXTENDED);
    if (!*out)
        return apr_pstrcat(cmd->pool, "Regex could not be compiled: ", re,
                           NULL);
    return NULL;
}

static const char *section(cmd_parms *cmd, void *d, const char *arg)
{
    int is_dir = cmd->info != NULL;
    int is_match = strstr(cmd->cmd->name, "Match") != NULL;
    ap_conf_vector_t *conf = ap_create_per_dir_config(cmd->pool);
    char *old_path = cmd->path;
    int old_override = cmd->override;
    struct mc_core_dir *c;
    ap_regex_t *re = NULL;
    char *path;
    const char *err = ap_check_cmd_context(cmd, NOT_IN_DIR_LOC_FILE);
    (void)d;
    if (!err)
        err = section_path(cmd, arg, &path);
    if (err)
        return err;
    if (!is_match && path[0] == '~' && !path[1]) {
        const char *rest = strrchr(arg, '>');
        const char *a =
            apr_pstrndup(cmd->temp_pool, arg, (apr_size_t)(rest - arg));
        mc__cfg_getword(cmd->temp_pool, &a);
        path = mc__cfg_getword(cmd->pool, &a);
        is_match = 1;
    }
    if (is_match && (err = compile_section_regex(cmd, path, &re)) != NULL)
        return err;
    if (is_dir && !is_match && path[strlen(path) - 1] != '/')
        path = apr_pstrcat(cmd->pool, path, "/", NULL);
    cmd->path = path;
    cmd->override = OR_ALL | ACCESS_CONF;
    err = ap_walk_config(cmd->directive->first_child, cmd, conf);
    cmd->path = old_path;
    cmd->override = old_override;
    if (err)
        return err;
    c = ap_set_config_vectors(cmd->server, conf, path, &core_module, cmd->pool);
    c->core.d = path;
    c->core.d_is_fnmatch = !is_match && apr_fnmatch_test(path) != 0;
    c->core.r = re;
    c->is_location = !is_dir;
    if (is_dir)
        ap_add_per_dir_conf(cmd->server, conf);
    else
        ap_add_per_url_conf(cmd->server, conf);
    return NULL;
}

static const char *files_section(cmd_parms *cmd, void *d, const char *arg)
{
    struct mc_core_dir *parent = d;
    ap_conf_vector_t *conf = ap_create_per_dir_config(cmd->pool);
    char *old_path = cmd->path;
    struct mc_core_dir *c;
    ap_regex_t *re = NULL;
    char *path;
    const char *err = section_path(cmd, arg, &path);
    if (err)
        return err;
    if (strstr(cmd->cmd->name, "Match") &&
        (err = compile_section_regex(cmd, path, &re)) != NULL)
        return err;
    cmd->path = path;
    err = ap_walk_config(cmd->directive->first_child, cmd, conf);
    cmd->path = old_path;
    if (err)
        return err;
    c = ap_set_config_vectors(cmd->server, conf, path, &core_module, cmd->pool);
    c->core.d = path;
    c->core.r = re;
    c->core.d_is_fnmatch = !re && apr_fnmatch_test(path) != 0;
    ap_add_file_conf(cmd->pool, &parent->core, conf);
    return NULL;
}

static const char *read_time_only(cmd_parms *cmd, void *d, const char *arg)
{
    (void)d;
    (void)arg;
    return apr_pstrcat(cmd->pool, cmd->cmd->name,
                       " is handled while the file is read", NULL);
}

static const char *limit_section(cmd_parms *cmd, void *d, const char *arg)
{
    const char *err;
    apr_int64_t old = cmd->limited;
    (void)arg;
    cmd->limited = 0;
    err = ap_walk_config(cmd->directive->first_child, cmd, cmd->context);
    cmd->limited = old;
    (void)d;
    return err;
}

/* auth directives: auth.c */
const char *mc__set_auth_type(cmd_parms *cmd, void *d, const char *arg);
const char *mc__set_auth_name(cmd_parms *cmd, void *d, const char *arg);
const char *mc__set_require(cmd_parms *cmd, void *d, const char *arg);
const char *mc__set_basic_provider(cmd_parms *cmd, void *d, const char *arg);
const char *mc__set_satisfy(cmd_parms *cmd, void *d, const char *arg);
void mc__auth_register_hooks(apr_pool_t *p);
void mc__request_register_hooks(apr_pool_t *p);

#define MPM_INT(name) \
    AP_INIT_TAKE1(name, set_mpm_int, NULL, RSRC_CONF, "MPM setting " name)

static const command_rec core_cmds[] = {
    AP_INIT_TAKE1("ServerRoot", set_server_root, NULL, RSRC_CONF | EXEC_ON_READ,
                  "Common directory of server files"),
    AP_INIT_TAKE1("DocumentRoot", set_document_root, NULL, RSRC_CONF,
                  "directory the default handler serves files from"),
    AP_INIT_TAKE1("ServerName", set_server_name, NULL, RSRC_CONF,
                  "host name (and optional port) this server answers as"),
    AP_INIT_TAKE1("ServerAdmin", set_server_admin, NULL, RSRC_CONF,
                  "contact address shown on error pages"),
    AP_INIT_TAKE12("Listen", set_listen, NULL, RSRC_CONF,
                   "[address:]port to accept connections on"),
    AP_INIT_TAKE2("LoadModule", load_module, NULL, RSRC_CONF | EXEC_ON_READ,
                  "module structure name and .so path"),
    AP_INIT_TAKE12("Define", set_define, NULL, EXEC_ON_READ | RSRC_CONF,
                   "NAME [VALUE]: sets a ${NAME} variable"),
    AP_INIT_RAW_ARGS("<IfModule", read_time_only, NULL,
                     EXEC_ON_READ | OR_ALL | ACCESS_CONF | RSRC_CONF,
                     "Container for directives based on existence of a "
                     "module"),
    AP_INIT_RAW_ARGS("<IfDefine", read_time_only, NULL,
                     EXEC_ON_READ | OR_ALL | ACCESS_CONF | RSRC_CONF,
                     "Container for directives based on a Define"),
    AP_INIT_RAW_ARGS("<IfDirective", read_time_only, NULL,
                     EXEC_ON_READ | OR_ALL | ACCESS_CONF | RSRC_CONF,
                     "Container for directives based on a directive"),
    AP_INIT_TAKE1("Include", read_time_only, NULL,
                  EXEC_ON_READ | OR_ALL | ACCESS_CONF | RSRC_CONF,
                  "configuration files (wildcards allowed) read here"),
    AP_INIT_TAKE1("IncludeOptional", read_time_only, NULL,
                  EXEC_ON_READ | OR_ALL | ACCESS_CONF | RSRC_CONF,
                  "configuration files (wildcards allowed) read here"),
    AP_INIT_RAW_ARGS("<Location", section, NULL, RSRC_CONF,
                     "Container for directives affecting URLs"),
    AP_INIT_RAW_ARGS("<LocationMatch", section, NULL, RSRC_CONF,
                     "Container for directives affecting URLs matching a "
                     "regex"),
    AP_INIT_RAW_ARGS("<Directory", section, (void *)1, RSRC_CONF,
                     "Container for directives affecting a directory"),
    AP_INIT_RAW_ARGS("<DirectoryMatch", section, (void *)1, RSRC_CONF,
                     "Container for directives affecting directories matching "
                     "a regex"),
    AP_INIT_RAW_ARGS("<Files", files_section, NULL, OR_ALL,
                     "directives for files whose names match"),
    AP_INIT_RAW_ARGS("<FilesMatch", files_section, NULL, OR_ALL,
                     "directives for files whose names match a regular "
                     "expression"),
    AP_INIT_RAW_ARGS(
        "<Limit", limit_section, NULL, OR_LIMIT | OR_AUTHCFG,
        "section applying its access rules to the listed methods only"),
    AP_INIT_RAW_ARGS("<LimitExcept", limit_section, NULL, OR_LIMIT | OR_AUTHCFG,
                     "section applying its access rules to every method except "
                     "those listed"),
    AP_INIT_RAW_ARGS("AllowOverride", set_override, NULL, ACCESS_CONF,
                     "which directive groups .htaccess files may "
                     "use"),
    AP_INIT_TAKE1("AccessFileName", set_access_name, NULL, RSRC_CONF,
                  "Name of per-directory config files"),
    AP_INIT_TAKE1("SetHandler", set_handler, NULL, OR_FILEINFO,
                  "A handler name that overrides any other configured "
                  "handler"),
    AP_INIT_RAW_ARGS("ErrorDocument", set_error_document, NULL, OR_FILEINFO,
                     "status code followed by a local URL, a remote URL or a "
                     "quoted text to send for it"),
    AP_INIT_TAKE1("ForceType", set_force_type, NULL, OR_FILEINFO,
                  "A mime type that overrides other configured type"),
    AP_INIT_TAKE2("Alias", add_alias, NULL, RSRC_CONF,
                  "a fake name and a real name"),
    AP_INIT_TAKE1("SetOutputFilter", set_filters, NULL, OR_FILEINFO,
                  "filter (or ; delimited list) to apply to the response"),
    AP_INIT_TAKE1("SetInputFilter", set_filters, (void *)1, OR_FILEINFO,
                  "filter (or ; delimited list) to apply to the request"),
    AP_INIT_RAW_ARGS("Options", set_options, NULL, OR_OPTIONS,
                     "directory options such as Indexes or FollowSymLinks, "
                     "with + or - to adjust"),
    AP_INIT_TAKE1("ErrorLog", set_error_log, NULL, RSRC_CONF,
                  "file (or |command) receiving the error log"),
    AP_INIT_ITERATE(
        "LogLevel", set_loglevel, NULL, RSRC_CONF | ACCESS_CONF,
        "error log threshold, optionally per module (module:level)"),
    AP_INIT_TAKE1("Timeout", set_timeout, NULL, RSRC_CONF,
                  "seconds to wait for a client before giving up"),
    AP_INIT_TAKE1("KeepAliveTimeout", set_timeout, NULL, RSRC_CONF,
                  "seconds an idle persistent connection is kept open"),
    AP_INIT_FLAG(
        "KeepAlive", set_keepalive, NULL, RSRC_CONF,
        "On to keep connections open between requests, Off to close them"),
    AP_INIT_TAKE1(
        "MaxKeepAliveRequests", set_max_keepalive, NULL, RSRC_CONF,
        "requests allowed on one persistent connection (0: no limit)"),
    AP_INIT_TAKE1("LimitRequestLine", set_limit, NULL, RSRC_CONF,
                  "longest request line accepted, in bytes"),
    AP_INIT_TAKE1("LimitRequestFieldsize", set_limit, NULL, RSRC_CONF,
                  "longest request header field accepted, in bytes"),
    AP_INIT_TAKE1("LimitRequestFields", set_limit, NULL, RSRC_CONF,
                  "most header fields accepted in one request (0: no limit)"),
    AP_INIT_TAKE1("LimitRequestBody", set_limit_body, NULL, OR_ALL,
                  "largest request body accepted, in bytes (0: no limit)"),
    AP_INIT_TAKE1("AuthType", mc__set_auth_type, NULL, OR_AUTHCFG,
                  "authentication scheme, such as Basic"),
    AP_INIT_TAKE1("AuthName", mc__set_auth_name, NULL, OR_AUTHCFG,
                  "The authentication realm (e.g. \"Members Only\")"),
    AP_INIT_RAW_ARGS("Require", mc__set_require, NULL, OR_AUTHCFG,
                     "an authorization rule a request must satisfy"),
    AP_INIT_ITERATE("AuthBasicProvider", mc__set_basic_provider, NULL,
                    OR_AUTHCFG, "authentication providers to ask, in order"),
    AP_INIT_TAKE1(
        "Satisfy", mc__set_satisfy, NULL, OR_AUTHCFG,
        "whether host and user rules must both pass (all) or either (any)"),
    MPM_INT("ThreadsPerChild"),
    MPM_INT("ServerLimit"),
    MPM_INT("StartServers"),
    MPM_INT("ThreadStackSize"),
    MPM_INT("MaxRequestWorkers"),
    MPM_INT("MaxClients"),
    AP_INIT_TAKE1("ThreadLimit", ignore_take1, NULL, RSRC_CONF,
                  "Maximum ThreadsPerChild (accepted)"),
    AP_INIT_TAKE1("MinSpareThreads", ignore_take1, NULL, RSRC_CONF,
                  "Minimum idle threads (accepted)"),
    AP_INIT_TAKE1("MaxSpareThreads", ignore_take1, NULL, RSRC_CONF,
                  "Maximum idle threads (accepted)"),
    AP_INIT_TAKE1("MaxConnectionsPerChild", ignore_take1, NULL, RSRC_CONF,
                  "Connections per child (accepted)"),
    AP_INIT_TAKE1("MaxRequestsPerChild", ignore_take1, NULL, RSRC_CONF,
                  "Connections per child (accepted)"),
    AP_INIT_TAKE1("PidFile", ignore_take1, NULL, RSRC_CONF,
                  "A file for logging the server process ID (accepted)"),
    AP_INIT_TAKE1("User", set_user_group, NULL, RSRC_CONF,
                  "Effective user id (accepted; the stub never switches)"),
    AP_INIT_TAKE1("Group", set_user_group, (void *)1, RSRC_CONF,
                  "Effective group id (accepted; the stub never switches)"),
    AP_INIT_TAKE1("ServerTokens", set_tokens, NULL, RSRC_CONF,
                  "Determine tokens displayed in the Server: header - Min, "
                  "Major, Minor, Prod, OS or Full"),
    AP_INIT_TAKE1("ServerSignature", ignore_take1, NULL, OR_ALL,
                  "Footer on generated pages (accepted)"),
    AP_INIT_TAKE1("HostnameLookups", ignore_take1, NULL,
                  ACCESS_CONF | RSRC_CONF,
                  "DNS lookups of clients (accepted; always Off)"),
    AP_INIT_TAKE1("UseCanonicalName", ignore_take1, NULL,
                  RSRC_CONF | ACCESS_CONF, "Self-referential URLs (accepted)"),
    AP_INIT_RAW_ARGS("Mutex", ap_set_mutex, NULL, RSRC_CONF,
                     "mutex name (or default), then its mechanism"),
    AP_INIT_TAKE1("DefaultRuntimeDir", set_runtime_dir, NULL, RSRC_CONF,
                  "directory to change to so a crash can leave a core file"),
    {NULL, {NULL}, NULL, 0, RAW_ARGS, NULL}};

static void register_core_hooks(apr_pool_t *p)
{
    mc__request_register_hooks(p);
    mc__auth_register_hooks(p);
}

module AP_MODULE_DECLARE_DATA core_module = {
    MPM20_MODULE_STUFF, NULL, create_core_dir, merge_core_dir,
    create_core_server, NULL, core_cmds,       register_core_hooks,
    AP_MODULE_FLAG_NONE};

/* --- core accessors ------------------------------------------------------- */

AP_DECLARE(const char *) ap_document_root(request_rec *r)
{
    const core_request_config *rc =
        ap_get_core_module_config(r->request_config);
    mc_stub_perturb();
    if (rc && rc->document_root)
        return rc->document_root;
    return mc__core_server(r->server)->core.ap_document_root;
}

AP_DECLARE(const char *) ap_context_document_root(request_rec *r)
{
    const core_request_config *rc =
        ap_get_core_module_config(r->request_config);
    if (rc && rc->context_document_root)
        return rc->context_document_root;
    return ap_document_root(r);
}

AP_DECLARE(const char *) ap_context_prefix(request_rec *r)
{
    const core_request_config *rc =
        ap_get_core_module_config(r->request_config);
    if (rc && rc->context_prefix)
        return rc->context_prefix;
    return "";
}

AP_DECLARE(int) ap_allow_options(request_rec *r)
{
    mc_stub_perturb();
    return mc__core_dir(r)->core.opts;
}

AP_DECLARE(int) ap_allow_overrides(request_rec *r)
{
    mc_stub_perturb();
    return mc__core_dir(r)->core.override;
}

AP_DECLARE(apr_off_t) ap_get_limit_req_body(const request_rec *r)
{
    const struct mc_core_dir *d = mc__core_dir(r);
    mc_stub_perturb();
    return d->core.limit_req_body == AP_LIMIT_REQ_BODY_UNSET
               ? AP_DEFAULT_LIMIT_REQ_BODY
               : d->core.limit_req_body;
}

AP_DECLARE(apr_socket_t *) ap_get_conn_socket(conn_rec *c)
{
    mc_stub_perturb();
    return ap_get_core_module_config(c->conn_config);
}

AP_DECLARE(const char *) ap_get_server_protocol(server_rec *s)
{
    (void)s;
    return "http/1.1";
}

AP_DECLARE(int) ap_state_query(int query_code)
{
    mc_stub_perturb();
    switch (query_code) {
        case AP_SQ_MAIN_STATE:
            return ap_main_state;
        case AP_SQ_RUN_MODE:
            return ap_run_mode;
        case AP_SQ_CONFIG_GEN:
            return ap_config_generation;
        default:
            return AP_SQ_NOT_SUPPORTED;
    }
}

AP_DECLARE(int) ap_exists_config_define(const char *name)
{
    mc_stub_perturb();
    return mc__defines && apr_table_get(mc__defines, name) != NULL;
}
