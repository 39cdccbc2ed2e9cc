/*
 * Negative: an optional function of another module (mod_ssl's
 * ssl_var_lookup) is retrieved into a global in the optional_fn_retrieve
 * hook (config time) and called at request time.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "mod_ssl.h"

static APR_OPTIONAL_FN_TYPE(ssl_var_lookup) *var_lookup;
static int have_ssl;

static void ofr_retrieve(void)
{
    var_lookup = APR_RETRIEVE_OPTIONAL_FN(ssl_var_lookup);
    have_ssl = var_lookup != NULL;
}

static int ofr_fixups(request_rec *r)
{
    if (have_ssl) {
        char *cipher = var_lookup(r->pool, r->server, r->connection, r,
                                  (char *)"SSL_CIPHER");
        if (cipher)
            apr_table_setn(r->subprocess_env, "CIPHER", cipher);
    }
    return DECLINED;
}

static void ofr_register_hooks(apr_pool_t *p)
{
    ap_hook_optional_fn_retrieve(ofr_retrieve, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(ofr_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ofr_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    ofr_register_hooks
};
