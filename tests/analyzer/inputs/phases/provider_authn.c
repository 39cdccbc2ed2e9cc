/*
 * An authn provider registered with ap_register_auth_provider: mod_auth_basic
 * calls check_password from request threads, concurrently.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "mod_auth.h"

static const char *last_user;
static unsigned long failures;

static authn_status demo_check_password(request_rec *r, const char *user,
                                        const char *password)
{
    last_user = user; /* expect: global-race(last_user) */
    if (strcmp(password, "secret") != 0) {
        failures++; /* expect: global-race(failures) */
        return AUTH_DENIED;
    }
    return AUTH_GRANTED;
}

static const authn_provider demo_authn_provider = {
    &demo_check_password,
    NULL,
};

static void demo_register_hooks(apr_pool_t *p)
{
    ap_register_auth_provider(p, AUTHN_PROVIDER_GROUP, "demo",
                              AUTHN_PROVIDER_VERSION, &demo_authn_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
}

module AP_MODULE_DECLARE_DATA demo_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    demo_register_hooks
};
