/*
 * Known-unsafe third-party library calls at request time: OpenSSL's
 * ERR_error_string (static buffer when passed NULL), sqlite3_config (global
 * configuration, only before any connection), ldap_set_option with a NULL
 * handle (process-global options). The _n / per-handle forms are fine.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <openssl/err.h>
#include <sqlite3.h>
#include <ldap.h>

static int tp_fixups(request_rec *r)
{
    char ebuf[256];
    unsigned long e = ERR_peek_last_error();
    int version = LDAP_VERSION3;

    apr_table_set(r->notes, "ssl-error", ERR_error_string(e, NULL)); /* expect: mt-unsafe-call(ERR_error_string) */
    ERR_error_string_n(e, ebuf, sizeof(ebuf));
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD); /* expect: mt-unsafe-call(sqlite3_config) */
    ldap_set_option(NULL, LDAP_OPT_PROTOCOL_VERSION, &version); /* expect: mt-unsafe-call(ldap_set_option) */
    return DECLINED;
}

static void tp_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(tp_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA tp_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    tp_register_hooks
};
