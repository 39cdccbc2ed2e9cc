/*
 * crypt() uses one static result buffer (glibc: MT-Unsafe race:crypt);
 * crypt_r with a per-call struct crypt_data is the fix.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "mod_auth.h"
#include <crypt.h>

static authn_status cr_check_password(request_rec *r, const char *user,
                                      const char *password)
{
    const char *stored = "$1$salt$qJH7.N4xYta3aEG/dfqo/0";
    struct crypt_data *cd = apr_pcalloc(r->pool, sizeof(*cd));
    const char *h1 = crypt(password, stored); /* expect: mt-unsafe-call(crypt) */
    const char *h2 = crypt_r(password, stored, cd);

    return h1 && h2 && strcmp(h2, stored) == 0 ? AUTH_GRANTED : AUTH_DENIED;
}

static const authn_provider cr_provider = {&cr_check_password, NULL};

static void cr_register_hooks(apr_pool_t *p)
{
    ap_register_auth_provider(p, AUTHN_PROVIDER_GROUP, "crypt", AUTHN_PROVIDER_VERSION,
                              &cr_provider, AP_AUTH_INTERNAL_PER_CONF);
}

module AP_MODULE_DECLARE_DATA cr_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    cr_register_hooks
};
