/*
 * A large struct local: the frame is the struct's size.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

struct report {
    char lines[1024][200];
    int n;
};

static int rep_handler(request_rec *r)
{
    struct report rep; /* expect: large-stack-frame(rep) */
    int i;

    if (!r->handler || strcmp(r->handler, "report") != 0)
        return DECLINED;
    rep.n = 3;
    for (i = 0; i < rep.n; i++)
        apr_snprintf(rep.lines[i], sizeof(rep.lines[i]), "line %d", i);
    ap_set_content_type(r, "text/plain");
    for (i = 0; i < rep.n; i++)
        ap_rprintf(r, "%s\n", rep.lines[i]);
    return OK;
}

static void rep_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(rep_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA rep_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    rep_register_hooks
};
