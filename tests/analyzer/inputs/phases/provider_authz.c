/*
 * An authz provider ("Require weekday ..."): check_authorization runs at
 * request time (concurrent). parse_require_line runs when a Require line is
 * read: at config time for httpd.conf, but also while a request parses a
 * .htaccess file (Require is allowed under AllowOverride AuthConfig), so it
 * is concurrent too.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "mod_auth.h"
#include "apr_time.h"

static int parsed_lines;
static int denials;

static authz_status weekday_check_authorization(request_rec *r,
                                                const char *require_line,
                                                const void *parsed)
{
    apr_time_exp_t tm;

    apr_time_exp_lt(&tm, r->request_time);
    if (tm.tm_wday == 0 || tm.tm_wday == 6) {
        denials++; /* expect: global-race(denials) */
        return AUTHZ_DENIED;
    }
    return AUTHZ_GRANTED;
}

static const char *weekday_parse_require_line(cmd_parms *cmd,
                                              const char *require_line,
                                              const void **parsed)
{
    parsed_lines++; /* expect: global-race(parsed_lines) */
    *parsed = require_line;
    return NULL;
}

static const authz_provider weekday_authz_provider = {
    &weekday_check_authorization,
    &weekday_parse_require_line,
};

static void weekday_register_hooks(apr_pool_t *p)
{
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "weekday",
                              AUTHZ_PROVIDER_VERSION, &weekday_authz_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
}

module AP_MODULE_DECLARE_DATA weekday_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    weekday_register_hooks
};
