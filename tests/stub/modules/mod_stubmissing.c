/*
 * mod_stubmissing.c - a module that imports an httpd API function no host
 * provides: the host must refuse it, naming the missing function.
 */
#include "httpd.h"
#include "http_config.h"

/* Deliberately not part of httpd's API. */
AP_DECLARE(int) ap_modcert_no_such_api(request_rec *r);

static int missing_handler(request_rec *r)
{
    return ap_modcert_no_such_api(r);
}

static void register_hooks(apr_pool_t *p)
{
    ap_hook_handler(missing_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(stubmissing) = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, register_hooks};
