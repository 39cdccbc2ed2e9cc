/*
 * A formatting helper that returns a static buffer, called from the
 * handler: two threads formatting at once overwrite each other's result.
 * Reported at the return; the write into the buffer is not reported again.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static const char *human_size(apr_off_t n)
{
    static char buf[32];

    if (n >= 1024 * 1024)
        apr_snprintf(buf, sizeof(buf), "%" APR_OFF_T_FMT " MiB", n >> 20);
    else
        apr_snprintf(buf, sizeof(buf), "%" APR_OFF_T_FMT " B", n);
    return buf; /* expect: static-buffer-return(buf) */
}

static int size_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "size") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%s\n", human_size(r->finfo.size));
    return OK;
}

static void size_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(size_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA size_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    size_register_hooks
};
