/*
 * auth.c - the built-in authentication and authorization core: what
 * mod_authn_core, mod_authz_core and mod_auth_basic do in httpd, so that
 * third-party authn providers (AuthBasicProvider NAME) and authz providers
 * (Require NAME ...) registered through ap_register_auth_provider() work
 * unchanged. Hooks run at request time on the request's thread; the
 * directive handlers run in the configuration phase or for .htaccess.
 */
#include "stub.h"
#include "stub_config.h"

#include "ap_provider.h"
#include "apr_base64.h"
#include "apr_optional.h"
#include "apr_strings.h"
#include "mod_auth.h"

#include <string.h>

const char *mc__set_auth_type(cmd_parms *cmd, void *d, const char *arg);
const char *mc__set_auth_name(cmd_parms *cmd, void *d, const char *arg);
const char *mc__set_require(cmd_parms *cmd, void *d, const char *arg);
const char *mc__set_basic_provider(cmd_parms *cmd, void *d, const char *arg);
const char *mc__set_satisfy(cmd_parms *cmd, void *d, const char *arg);
void mc__auth_register_hooks(apr_pool_t *p);

/*
 * When httpd's own mod_authn_core / mod_authz_core / mod_auth_basic /
 * mod_access_compat are loaded, they own these directives (theirs are found
 * first) and the built-in equivalents below stand down: the accessors use
 * the modules' optional functions, as httpd's core does, and the built-in
 * hooks decline. Retrieved by optional_fn_retrieve (configuration phase).
 */
static APR_OPTIONAL_FN_TYPE(authn_ap_auth_type) * opt_auth_type;
static APR_OPTIONAL_FN_TYPE(authn_ap_auth_name) * opt_auth_name;
static APR_OPTIONAL_FN_TYPE(authz_some_auth_required) * opt_some_auth;
static APR_OPTIONAL_FN_TYPE(access_compat_ap_satisfies) * opt_satisfies;
static int real_auth_basic; /* mod_auth_basic is loaded */

static void retrieve_auth_fns(void)
{
    opt_auth_type = APR_RETRIEVE_OPTIONAL_FN(authn_ap_auth_type);
    opt_auth_name = APR_RETRIEVE_OPTIONAL_FN(authn_ap_auth_name);
    opt_some_auth = APR_RETRIEVE_OPTIONAL_FN(authz_some_auth_required);
    opt_satisfies = APR_RETRIEVE_OPTIONAL_FN(access_compat_ap_satisfies);
    real_auth_basic = ap_find_linked_module("mod_auth_basic.c") != NULL;
}

const char *mc__set_auth_type(cmd_parms *cmd, void *d, const char *arg)
{
    struct mc_core_dir *c = d;
    c->auth_type =
        !strcasecmp(arg, "None") ? "None" : apr_pstrdup(cmd->pool, arg);
    return NULL;
}

const char *mc__set_auth_name(cmd_parms *cmd, void *d, const char *arg)
{
    struct mc_core_dir *c = d;
    c->auth_name = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

const char *mc__set_satisfy(cmd_parms *cmd, void *d, const char *arg)
{
    struct mc_core_dir *c = d;
    if (!strcasecmp(arg, "all"))
        c->satisfy = SATISFY_ALL;
    else if (!strcasecmp(arg, "any"))
        c->satisfy = SATISFY_ANY;
    else
        return apr_pstrcat(cmd->pool, "Satisfy wants any or all", NULL);
    return NULL;
}

const char *mc__set_basic_provider(cmd_parms *cmd, void *d, const char *arg)
{
    struct mc_core_dir *c = d;
    if (!strcasecmp(arg, "on"))
        arg = "file";
    if (!ap_lookup_provider(AUTHN_PROVIDER_GROUP, arg, AUTHN_PROVIDER_VERSION))
        return apr_psprintf(cmd->pool, "Unknown Authn provider: %s", arg);
    if (!c->basic_providers)
        c->basic_providers = apr_array_make(cmd->pool, 2, sizeof(char *));
    APR_ARRAY_PUSH(c->basic_providers, const char *) =
        apr_pstrdup(cmd->pool, arg);
    return NULL;
}

static int is_builtin_require(const char *name)
{
    return !strcasecmp(name, "valid-user") || !strcasecmp(name, "user") ||
           !strcasecmp(name, "all");
}

const char *mc__set_require(cmd_parms *cmd, void *d, const char *arg)
{
    struct mc_core_dir *c = d;
    struct mc_require *rq;
    const char *args = arg;
    char *name = mc__cfg_getword(cmd->pool, &args);
    const authz_provider *prov = NULL;
    int negate = 0;
    if (!strcasecmp(name, "not")) {
        negate = 1;
        name = mc__cfg_getword(cmd->pool, &args);
    }
    if (!*name)
        return "Require requires at least one argument";
    if (!is_builtin_require(name)) {
        prov = ap_lookup_provider(AUTHZ_PROVIDER_GROUP, name,
                                  AUTHZ_PROVIDER_VERSION);
        if (!prov)
            return apr_psprintf(cmd->pool, "Unknown Authz provider: %s", name);
    }
    if (!c->requires)
    c->requires = apr_array_make(cmd->pool, 2, sizeof(*rq));
    rq = apr_array_push(c->requires);
    rq->name = name;
    rq->args = apr_pstrdup(cmd->pool, args);
    rq->negate = negate;
    rq->provider = prov;
    rq->parsed = NULL;
    if (prov && prov->parse_require_line) {
        const char *err = prov->parse_require_line(cmd, rq->args, &rq->parsed);
        if (err)
            return err;
    }
    return NULL;
}

/* --- ap_auth_* accessors ---------------------------------------------------- */

AP_DECLARE(const char *) ap_auth_type(request_rec *r)
{
    const char *t;
    mc_stub_perturb();
    if (opt_auth_type)
        return opt_auth_type(r);
    t = mc__core_dir(r)->auth_type;
    return (t && strcasecmp(t, "None")) ? t : NULL;
}

AP_DECLARE(const char *) ap_auth_name(request_rec *r)
{
    mc_stub_perturb();
    if (opt_auth_name)
        return opt_auth_name(r);
    return mc__core_dir(r)->auth_name;
}

AP_DECLARE(int) ap_satisfies(request_rec *r)
{
    mc_stub_perturb();
    if (opt_satisfies)
        return opt_satisfies(r);
    return mc__core_dir(r)->satisfy;
}

AP_DECLARE(int) ap_some_auth_required(request_rec *r)
{
    const struct mc_core_dir *c;
    mc_stub_perturb();
    if (opt_some_auth)
        return opt_some_auth(r);
    c = mc__core_dir(r);
    if (!c->requires || c->requires->nelts == 0)
        return 0;
    for (int i = 0; i < c->requires->nelts; ++i) {
        const struct mc_require *rq =
            &APR_ARRAY_IDX(c->requires, i, struct mc_require);
        if (!(!strcasecmp(rq->name, "all") && !strcasecmp(rq->args, "granted")))
            return 1;
    }
    return 0;
}

AP_DECLARE(void) ap_note_auth_failure(request_rec *r)
{
    const char *type = ap_auth_type(r);
    mc_stub_perturb();
    if (type && ap_run_note_auth_failure(r, type) == DECLINED)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "AuthType %s is set but no loaded module handles it",
                      type);
}

AP_DECLARE(void) ap_note_basic_auth_failure(request_rec *r)
{
    ap_note_auth_failure(r);
}

AP_DECLARE(void) ap_note_digest_auth_failure(request_rec *r)
{
    ap_note_auth_failure(r);
}

static int note_basic_failure(request_rec *r, const char *type)
{
    const char *realm;
    if (real_auth_basic || strcasecmp(type, "Basic"))
        return DECLINED;
    realm = ap_auth_name(r);
    apr_table_setn(
        r->err_headers_out,
        (PROXYREQ_PROXY == r->proxyreq) ? "Proxy-Authenticate"
                                        : "WWW-Authenticate",
        apr_pstrcat(r->pool, "Basic realm=\"", realm ? realm : "", "\"", NULL));
    return OK;
}

AP_DECLARE(int) ap_get_basic_auth_pw(request_rec *r, const char **pw)
{
    const char *auth_line, *t;
    char *decoded, *colon;
    int len;
    mc_stub_perturb();
    t = ap_auth_type(r);
    if (!t || strcasecmp(t, "Basic"))
        return DECLINED;
    if (!ap_auth_name(r)) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "need AuthName: %s", r->uri);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    auth_line = apr_table_get(r->headers_in, PROXYREQ_PROXY == r->proxyreq
                                                 ? "Proxy-Authorization"
                                                 : "Authorization");
    if (!auth_line) {
        note_basic_failure(r, "Basic");
        return HTTP_UNAUTHORIZED;
    }
    if (strncasecmp(auth_line, "Basic", 5) != 0) {
        note_basic_failure(r, "Basic");
        return HTTP_UNAUTHORIZED;
    }
    auth_line += 5;
    while (*auth_line == ' ' || *auth_line == '\t')
        ++auth_line;
    decoded = apr_palloc(r->pool, (apr_size_t)apr_base64_decode_len(auth_line));
    len = apr_base64_decode(decoded, auth_line);
    decoded[len] = '\0';
    colon = strchr(decoded, ':');
    if (!colon) {
        note_basic_failure(r, "Basic");
        return HTTP_UNAUTHORIZED;
    }
    *colon = '\0';
    r->user = decoded;
    r->ap_auth_type = "Basic";
    *pw = colon + 1;
    return OK;
}

/* --- authentication (mod_auth_basic's role) --------------------------------- */

static int basic_check_providers(request_rec *r, const struct mc_core_dir *c,
                                 const char *user, const char *pw)
{
    authn_status st = AUTH_USER_NOT_FOUND;
    int n = c->basic_providers ? c->basic_providers->nelts : 1;
    for (int i = 0; i < n; ++i) {
        const char *name =
            c->basic_providers
                ? APR_ARRAY_IDX(c->basic_providers, i, const char *)
                : "file";
        const authn_provider *prov = ap_lookup_provider(
            AUTHN_PROVIDER_GROUP, name, AUTHN_PROVIDER_VERSION);
        if (!prov || !prov->check_password) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          "no authn provider '%s' is configured", name);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        apr_table_setn(r->notes, AUTHN_PROVIDER_NAME_NOTE, name);
        st = prov->check_password(r, user, pw);
        apr_table_unset(r->notes, AUTHN_PROVIDER_NAME_NOTE);
        if (st != AUTH_USER_NOT_FOUND)
            break;
    }
    switch (st) {
        case AUTH_GRANTED:
            return OK;
        case AUTH_GENERAL_ERROR:
            return HTTP_INTERNAL_SERVER_ERROR;
        default:
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          "user %s: authentication failure for \"%s\"", user,
                          r->uri);
            note_basic_failure(r, "Basic");
            return HTTP_UNAUTHORIZED;
    }
}

static int basic_authenticate(request_rec *r)
{
    const char *type = ap_auth_type(r);
    const char *pw = NULL;
    int rv;
    if (real_auth_basic || !type || strcasecmp(type, "Basic"))
        return DECLINED;
    rv = ap_get_basic_auth_pw(r, &pw);
    if (rv != OK)
        return rv;
    return basic_check_providers(r, mc__core_dir(r), r->user, pw);
}

/* --- authorization (mod_authz_core's role) ---------------------------------- */

static authz_status eval_builtin(request_rec *r, const struct mc_require *rq)
{
    if (!strcasecmp(rq->name, "all"))
        return !strcasecmp(rq->args, "granted") ? AUTHZ_GRANTED : AUTHZ_DENIED;
    if (!r->user)
        return AUTHZ_DENIED_NO_USER;
    if (!strcasecmp(rq->name, "valid-user"))
        return AUTHZ_GRANTED;
    for (const char *a = rq->args; *a;) {
        const char *w = ap_getword_conf(r->pool, &a);
        if (!strcmp(w, r->user))
            return AUTHZ_GRANTED;
    }
    return AUTHZ_DENIED;
}

static authz_status eval_one(request_rec *r, const struct mc_require *rq)
{
    authz_status st;
    if (rq->provider) {
        const authz_provider *p = rq->provider;
        apr_table_setn(r->notes, AUTHZ_PROVIDER_NAME_NOTE, rq->name);
        st = p->check_authorization(r, rq->args, rq->parsed);
        apr_table_unset(r->notes, AUTHZ_PROVIDER_NAME_NOTE);
    } else {
        st = eval_builtin(r, rq);
    }
    if (rq->negate) {
        if (st == AUTHZ_GRANTED)
            st = AUTHZ_DENIED;
        else if (st == AUTHZ_DENIED)
            st = AUTHZ_NEUTRAL;
    }
    return st;
}

/* RequireAny over the Require lines, as httpd merges bare Require lines. */
static authz_status eval_requires(request_rec *r)
{
    const struct mc_core_dir *c = mc__core_dir(r);
    authz_status result = AUTHZ_DENIED;
    int neutral_only = 1;
    for (int i = 0; i < c->requires->nelts; ++i) {
        authz_status st =
            eval_one(r, &APR_ARRAY_IDX(c->requires, i, struct mc_require));
        if (st == AUTHZ_GRANTED || st == AUTHZ_GENERAL_ERROR)
            return st;
        if (st == AUTHZ_DENIED_NO_USER)
            result = AUTHZ_DENIED_NO_USER;
        if (st != AUTHZ_NEUTRAL)
            neutral_only = 0;
    }
    return neutral_only ? AUTHZ_DENIED : result;
}

static int authorize_userless(request_rec *r)
{
    const struct mc_core_dir *c = mc__core_dir(r);
    authz_status st;
    if (opt_some_auth) /* mod_authz_core decides */
        return DECLINED;
    if (!c->requires || c->requires->nelts == 0)
        return ap_auth_type(r) ? DECLINED : OK;
    st = eval_requires(r);
    if (st == AUTHZ_GRANTED)
        return OK;
    if (st == AUTHZ_GENERAL_ERROR)
        return HTTP_INTERNAL_SERVER_ERROR;
    if (st == AUTHZ_DENIED_NO_USER || ap_auth_type(r))
        return DECLINED;
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  "access to %s refused by the configuration",
                  r->filename ? r->filename : r->uri);
    return HTTP_FORBIDDEN;
}

static int authorize_user(request_rec *r)
{
    const struct mc_core_dir *c = mc__core_dir(r);
    authz_status st;
    if (opt_some_auth)
        return DECLINED;
    if (!c->requires || c->requires->nelts == 0)
        return r->user ? OK : DECLINED;
    st = eval_requires(r);
    if (st == AUTHZ_GRANTED)
        return OK;
    if (st == AUTHZ_GENERAL_ERROR)
        return HTTP_INTERNAL_SERVER_ERROR;
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  "user %s: authorization failure for \"%s\"",
                  r->user ? r->user : "-", r->uri);
    if (ap_auth_type(r)) {
        ap_note_auth_failure(r);
        return HTTP_UNAUTHORIZED;
    }
    return HTTP_FORBIDDEN;
}

void mc__auth_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_check_access_ex(authorize_userless, NULL, NULL, APR_HOOK_LAST,
                            AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_check_authn(basic_authenticate, NULL, NULL, APR_HOOK_MIDDLE,
                        AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_check_authz(authorize_user, NULL, NULL, APR_HOOK_LAST,
                        AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_note_auth_failure(note_basic_failure, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_optional_fn_retrieve(retrieve_auth_fns, NULL, NULL,
                                 APR_HOOK_MIDDLE);
}
