/* Request-time side of the module: reads the config-time globals. */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

extern const char *ex_prefix;
extern int ex_enabled;
int ex_handler(request_rec *r);

int ex_handler(request_rec *r)
{
    if (!ex_enabled || strncmp(r->uri, ex_prefix, strlen(ex_prefix)) != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rputs(ex_prefix, r);
    return OK;
}
