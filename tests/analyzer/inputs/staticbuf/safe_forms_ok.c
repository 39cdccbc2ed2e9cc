/*
 * Negative: per-thread (_Thread_local) result buffer, a caller-supplied
 * buffer, and a pool-allocated result.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static const char *tls_fmt(int status)
{
    static _Thread_local char buf[16];
    apr_snprintf(buf, sizeof(buf), "%03d", status);
    return buf;
}

static const char *caller_fmt(char *buf, apr_size_t len, int status)
{
    apr_snprintf(buf, len, "%03d", status);
    return buf;
}

static const char *pool_fmt(apr_pool_t *p, int status)
{
    return apr_psprintf(p, "%03d", status);
}

static int fmt_log(request_rec *r)
{
    char local[16];

    apr_table_set(r->notes, "s1", tls_fmt(r->status));
    apr_table_set(r->notes, "s2", caller_fmt(local, sizeof(local), r->status));
    apr_table_setn(r->notes, "s3", pool_fmt(r->pool, r->status));
    return DECLINED;
}

static void fmt_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(fmt_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA fmt_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    fmt_register_hooks
};
