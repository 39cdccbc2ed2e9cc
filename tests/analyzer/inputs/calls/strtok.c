/*
 * strtok keeps its position in a hidden static: two threads tokenising
 * Accept-Language headers at once steal each other's tokens.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int lang_fixups(request_rec *r)
{
    const char *al = apr_table_get(r->headers_in, "Accept-Language");
    char *copy, *tok;

    if (!al)
        return DECLINED;
    copy = apr_pstrdup(r->pool, al);
    for (tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) { /* expect: mt-unsafe-call(strtok) */
        if (strncmp(tok, "fr", 2) == 0) {
            apr_table_setn(r->notes, "lang", "fr");
            break;
        }
    }
    return DECLINED;
}

static void lang_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(lang_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lang_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    lang_register_hooks
};
