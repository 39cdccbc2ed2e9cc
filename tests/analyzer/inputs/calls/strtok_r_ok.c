/*
 * Negative: the reentrant forms: strtok_r with a caller-owned save pointer
 * and apr_strtok.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int lang2_fixups(request_rec *r)
{
    const char *al = apr_table_get(r->headers_in, "Accept-Language");
    const char *enc = apr_table_get(r->headers_in, "Accept-Encoding");
    char *copy, *tok, *save = NULL;

    if (al) {
        copy = apr_pstrdup(r->pool, al);
        for (tok = strtok_r(copy, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save))
            if (strncmp(tok, "de", 2) == 0)
                apr_table_setn(r->notes, "lang", "de");
    }
    if (enc) {
        char *last = NULL;
        copy = apr_pstrdup(r->pool, enc);
        for (tok = apr_strtok(copy, ", ", &last); tok;
             tok = apr_strtok(NULL, ", ", &last))
            if (strcmp(tok, "gzip") == 0)
                apr_table_setn(r->notes, "gzip", "1");
    }
    return DECLINED;
}

static void lang2_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(lang2_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lang2_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    lang2_register_hooks
};
