/*
 * A function-scope static is one object shared by every thread: the
 * request-id generator hands out duplicate ids under load.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int reqid_post_read(request_rec *r)
{
    static unsigned long next_id;
    unsigned long id = next_id++; /* expect: global-race(next_id) */

    apr_table_setn(r->notes, "reqid", apr_psprintf(r->pool, "%lu", id));
    return DECLINED;
}

static void reqid_register_hooks(apr_pool_t *p)
{
    ap_hook_post_read_request(reqid_post_read, NULL, NULL, APR_HOOK_FIRST);
}

module AP_MODULE_DECLARE_DATA reqid_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    reqid_register_hooks
};
