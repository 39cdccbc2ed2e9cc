/*
 * A provider registered with the generic ap_register_provider (here an
 * authn provider, as older modules do): its callbacks are request-time.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "ap_provider.h"
#include "mod_auth.h"

static char last_realm[64];

static authn_status legacy_check_password(request_rec *r, const char *user,
                                          const char *password)
{
    return strcmp(user, password) == 0 ? AUTH_GRANTED : AUTH_DENIED;
}

static authn_status legacy_get_realm_hash(request_rec *r, const char *user,
                                          const char *realm, char **rethash)
{
    apr_cpystrn(last_realm, realm, sizeof(last_realm)); /* expect: global-race(last_realm) */
    *rethash = apr_pstrcat(r->pool, user, ":", realm, NULL);
    return AUTH_USER_FOUND;
}

static const authn_provider legacy_provider = {
    legacy_check_password,
    legacy_get_realm_hash,
};

static void legacy_register_hooks(apr_pool_t *p)
{
    ap_register_provider(p, AUTHN_PROVIDER_GROUP, "legacy",
                         AUTHN_PROVIDER_VERSION, &legacy_provider);
}

module AP_MODULE_DECLARE_DATA legacy_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    legacy_register_hooks
};
