/*
 * strerror may return a pointer into a static buffer (unknown errnos); use
 * apr_strerror or strerror_r. The apr_strerror call is fine.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

static int probe_handler(request_rec *r)
{
    char ebuf[128];
    int fd;

    if (!r->handler || strcmp(r->handler, "probe") != 0 || !r->filename)
        return DECLINED;
    fd = open(r->filename, O_RDONLY);
    if (fd < 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "open %s: %s", r->filename,
                      strerror(errno)); /* expect: mt-unsafe-call(strerror) */
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "(%s)",
                      apr_strerror(APR_FROM_OS_ERROR(errno), ebuf, sizeof(ebuf)));
        return HTTP_NOT_FOUND;
    }
    close(fd);
    return DECLINED;
}

static void probe_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(probe_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA probe_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    probe_register_hooks
};
