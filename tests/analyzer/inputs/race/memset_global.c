/*
 * A global buffer cleared with memset and filled with memcpy by a request
 * hook: writes through a library call on the global's address.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static char last_host[128];

static int lasthost_post_read(request_rec *r)
{
    size_t n;

    if (!r->hostname)
        return DECLINED;
    n = strlen(r->hostname);
    if (n >= sizeof(last_host))
        n = sizeof(last_host) - 1;
    memset(last_host, 0, sizeof(last_host)); /* expect: global-race(last_host) */
    memcpy(last_host, r->hostname, n); /* expect: global-race(last_host) */
    return DECLINED;
}

static void lasthost_register_hooks(apr_pool_t *p)
{
    ap_hook_post_read_request(lasthost_post_read, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lasthost_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    lasthost_register_hooks
};
