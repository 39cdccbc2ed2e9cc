/*
 * More MT-unsafe calls from the POSIX/glibc lists at request time:
 * inet_ntoa, strsignal, setlocale; and one in a request-pool cleanup.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <arpa/inet.h>
#include <locale.h>
#include <signal.h>
#include <string.h>

static apr_status_t report_signal(void *data)
{
    request_rec *r = data;
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "%s", strsignal(SIGPIPE)); /* expect: mt-unsafe-call(strsignal) */
    return APR_SUCCESS;
}

static int more_fixups(request_rec *r)
{
    struct in_addr a;

    a.s_addr = htonl(0x7f000001);
    apr_table_set(r->notes, "lo", inet_ntoa(a)); /* expect: mt-unsafe-call(inet_ntoa) */
    setlocale(LC_NUMERIC, "C"); /* expect: mt-unsafe-call(setlocale) */
    apr_pool_cleanup_register(r->pool, r, report_signal, apr_pool_cleanup_null);
    return DECLINED;
}

static void more_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(more_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA more_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    more_register_hooks
};
