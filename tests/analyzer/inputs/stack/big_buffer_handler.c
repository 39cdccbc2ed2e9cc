/*
 * A 256 KiB page buffer on the handler's stack: fine with Linux's 8 MiB
 * thread stacks, a stack overflow with a small (Windows-like) one. Reported
 * at the declaration of the largest local (default limit 128 KiB).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int page_handler(request_rec *r)
{
    char page[256 * 1024]; /* expect: large-stack-frame(page) */
    apr_size_t n;

    if (!r->handler || strcmp(r->handler, "page") != 0)
        return DECLINED;
    n = (apr_size_t)apr_snprintf(page, sizeof(page), "<html><body>%s</body></html>",
                                 ap_escape_html(r->pool, r->uri));
    ap_set_content_type(r, "text/html");
    ap_rwrite(page, (int)n, r);
    return OK;
}

static void page_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(page_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA page_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    page_register_hooks
};
