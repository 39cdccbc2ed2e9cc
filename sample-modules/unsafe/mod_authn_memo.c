/*
 * mod_authn_memo.c — an authn provider for a few configured users, with a
 * "last login" shortcut.
 *
 * Feature: `AuthBasicProvider memo` checks Basic credentials against
 * `AuthMemoUser NAME PASSWORD` lines of the section. A "memo-whoami"
 * handler answers the authenticated user:
 *
 *     user=alice
 *
 * Seeded defect (unsafe under threads): memo_check_password() remembers the
 * last successful login in two global buffers, `last_user` and
 * `last_digest` (a SHA-1 of the password), and grants a request at once when
 * both match. The two updates are not atomic together: while one thread
 * stores bob and bob's digest, another stores alice and alice's, which can
 * leave alice with bob's digest — and the next request for alice with bob's
 * password is granted. The globals are also compared while being rewritten. Client-observable: a login with a wrong password is let in
 * (200 instead of 401) or a right one refused. Fix: no shared cache, or
 * cache per-connection / under a mutex with the pair stored at once.
 *
 *     <Location /private>
 *         AuthType Basic
 *         AuthName "memo"
 *         AuthBasicProvider memo
 *         AuthMemoUser alice alicepw
 *         AuthMemoUser bob bobpw
 *         Require valid-user
 *         SetHandler memo-whoami
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"
#include "ap_provider.h"
#include "mod_auth.h"

#include "apr_sha1.h"
#include "apr_strings.h"
#include "apr_tables.h"

#define MEMO_MAX 64

module AP_MODULE_DECLARE_DATA authn_memo_module;

struct memo_dir_conf {
    apr_table_t *users; /* name -> password, from AuthMemoUser */
};

/* The last successful login (the password only as a SHA-1 digest, never
 * in clear), shared by every request. */
static char last_user[MEMO_MAX];
static char last_digest[MEMO_MAX];

static void *memo_create_dir(apr_pool_t *p, char *dir)
{
    struct memo_dir_conf *conf = apr_pcalloc(p, sizeof(*conf));

    conf->users = apr_table_make(p, 4);
    return conf;
}

static const char *memo_add_user(cmd_parms *cmd, void *dconf, const char *name,
                                 const char *password)
{
    struct memo_dir_conf *conf = dconf;

    apr_table_set(conf->users, name, password);
    return NULL;
}

static authn_status memo_check_password(request_rec *r, const char *user,
                                        const char *password)
{
    struct memo_dir_conf *conf =
        ap_get_module_config(r->per_dir_config, &authn_memo_module);
    const char *expected;
    char digest[MEMO_MAX];

    /* Shortcut: the same user logging in again with the same password. */
    if (strcmp(user, last_user) == 0) {
        apr_sha1_base64(password, (int)strlen(password), digest);
        if (strcmp(digest, last_digest) == 0) {
            return AUTH_GRANTED;
        }
    }
    expected = apr_table_get(conf->users, user);
    if (expected == NULL) {
        return AUTH_USER_NOT_FOUND;
    }
    if (strcmp(expected, password) != 0) {
        return AUTH_DENIED;
    }
    apr_cpystrn(last_user, user, sizeof(last_user));
    apr_sha1_base64(password, (int)strlen(password), digest);
    apr_cpystrn(last_digest, digest, sizeof(last_digest));
    return AUTH_GRANTED;
}

static int memo_whoami_handler(request_rec *r)
{
    if (strcmp(r->handler, "memo-whoami") != 0) {
        return DECLINED;
    }
    ap_set_content_type(r, "text/plain");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_rprintf(r, "user=%s\n", r->user ? ap_escape_html(r->pool, r->user) : "");
    return OK;
}

static const authn_provider memo_provider = {
    &memo_check_password, /* check_password (Basic) */
    NULL,                 /* get_realm_hash (Digest): not supported */
};

static const command_rec memo_cmds[] = {
    AP_INIT_TAKE2("AuthMemoUser", memo_add_user, NULL, ACCESS_CONF,
                  "a user name and password accepted by provider 'memo'"),
    {NULL}};

static void memo_register_hooks(apr_pool_t *p)
{
    ap_register_auth_provider(p, AUTHN_PROVIDER_GROUP, "memo",
                              AUTHN_PROVIDER_VERSION, &memo_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_handler(memo_whoami_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(authn_memo) = {
    STANDARD20_MODULE_STUFF,
    memo_create_dir,    /* create per-dir config */
    NULL,               /* merge per-dir config */
    NULL,               /* create per-server config */
    NULL,               /* merge per-server config */
    memo_cmds,          /* command table */
    memo_register_hooks /* register hooks */
};
