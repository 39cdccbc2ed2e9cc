/*
 * User database look-ups: getpwnam and gethostbyname return static
 * storage. The _r forms and getaddrinfo are fine.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <pwd.h>
#include <netdb.h>

static int owner_access(request_rec *r)
{
    struct passwd pwbuf, *pw = NULL;
    struct hostent *he;
    struct addrinfo *ai = NULL;
    char buf[1024];

    if (!r->user)
        return DECLINED;
    if (!getpwnam(r->user)) /* expect: mt-unsafe-call(getpwnam) */
        return HTTP_FORBIDDEN;
    if (getpwnam_r(r->user, &pwbuf, buf, sizeof(buf), &pw) != 0 || !pw)
        return HTTP_FORBIDDEN;
    he = gethostbyname(r->hostname ? r->hostname : "localhost"); /* expect: mt-unsafe-call(gethostbyname) */
    if (!he)
        return HTTP_FORBIDDEN;
    if (getaddrinfo("localhost", NULL, NULL, &ai) == 0)
        freeaddrinfo(ai);
    return DECLINED;
}

static void owner_register_hooks(apr_pool_t *p)
{
    ap_hook_access_checker(owner_access, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA owner_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    owner_register_hooks
};
