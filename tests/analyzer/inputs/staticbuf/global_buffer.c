/*
 * A file-scope buffer returned by an escaping helper used from a fixups
 * hook (through a pointer into the middle of the buffer).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static char escaped[512];

static const char *escape_quotes(const char *in)
{
    char *o = escaped;

    *o++ = '"';
    while (*in && o < escaped + sizeof(escaped) - 3) {
        if (*in == '"')
            *o++ = '\\';
        *o++ = *in++;
    }
    *o++ = '"';
    *o = 0;
    return escaped + 1; /* expect: static-buffer-return(escaped) */
}

static int esc_fixups(request_rec *r)
{
    apr_table_set(r->notes, "quoted-uri", escape_quotes(r->uri));
    return DECLINED;
}

static void esc_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(esc_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA esc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    esc_register_hooks
};
