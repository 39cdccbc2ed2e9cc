/*
 * MT-unsafe calls hidden behind a macro and taken by address through a
 * function pointer.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <time.h>

#define STAMP(t) asctime(gmtime(t))

static int hid_fixups(request_rec *r)
{
    time_t t = (time_t)apr_time_sec(r->request_time);
    struct tm *(*conv)(const time_t *) = localtime;

    apr_table_set(r->notes, "stamp", STAMP(&t)); /* expect: mt-unsafe-call(asctime), mt-unsafe-call(gmtime) */
    if (conv(&t)->tm_hour == 0) /* expect-fn: mt-unsafe-call: call through a pointer to a library function (localtime's address taken on the line above) */
        apr_table_set(r->notes, "midnight", "1");
    return DECLINED;
}

static void hid_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(hid_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA hid_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    hid_register_hooks
};
