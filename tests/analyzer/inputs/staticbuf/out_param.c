/*
 * The static buffer escapes through an out-parameter instead of the return
 * value: the same hazard (every caller gets the same memory). Today the
 * write into the buffer is reported as a race; the escape is a known FN.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static void client_label(const request_rec *r, const char **out)
{
    static char label[64];

    apr_snprintf(label, sizeof(label), "%s/%ld", r->useragent_ip, r->connection->id); /* expect: global-race(label) */
    *out = label; /* expect-fn: static-buffer-return: the buffer escapes through an out-parameter, not a return statement */
}

static int op_log(request_rec *r)
{
    const char *l;

    client_label(r, &l);
    apr_table_set(r->notes, "client", l);
    return DECLINED;
}

static void op_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(op_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA op_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    op_register_hooks
};
