/*
 * Negative: the same listing with apr_dir_open / apr_dir_read.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_file_info.h"

static int lsdir2_handler(request_rec *r)
{
    apr_dir_t *d;
    apr_finfo_t fi;

    if (!r->handler || strcmp(r->handler, "lsdir2") != 0 || !r->filename)
        return DECLINED;
    if (apr_dir_open(&d, r->filename, r->pool) != APR_SUCCESS)
        return HTTP_NOT_FOUND;
    ap_set_content_type(r, "text/plain");
    while (apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS)
        ap_rprintf(r, "%s\n", fi.name);
    apr_dir_close(d);
    return OK;
}

static void lsdir2_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(lsdir2_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lsdir2_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    lsdir2_register_hooks
};
