/*
 * A directory listing with opendir/readdir at request time (readdir is in
 * POSIX's list of non-thread-safe functions).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <dirent.h>

static int lsdir_handler(request_rec *r)
{
    DIR *d;
    struct dirent *e;

    if (!r->handler || strcmp(r->handler, "lsdir") != 0 || !r->filename)
        return DECLINED;
    d = opendir(r->filename);
    if (!d)
        return HTTP_NOT_FOUND;
    ap_set_content_type(r, "text/plain");
    while ((e = readdir(d)) != NULL) /* expect: mt-unsafe-call(readdir) */
        ap_rprintf(r, "%s\n", e->d_name);
    closedir(d);
    return OK;
}

static void lsdir_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(lsdir_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lsdir_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    lsdir_register_hooks
};
