/*
 * Negative: errno is thread-local (a macro over __errno_location()), and
 * stdio's stderr/stdout are library globals the module only reads.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static int num_fixups(request_rec *r)
{
    long v;
    char *end;

    if (!r->args)
        return DECLINED;
    errno = 0;
    v = strtol(r->args, &end, 10);
    if (errno == ERANGE || *end) {
        fprintf(stderr, "bad number in %s\n", r->uri);
        return HTTP_BAD_REQUEST;
    }
    apr_table_setn(r->notes, "n", apr_ltoa(r->pool, v));
    return DECLINED;
}

static void num_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(num_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA num_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    num_register_hooks
};
