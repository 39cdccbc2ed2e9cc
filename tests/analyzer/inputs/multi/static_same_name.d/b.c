/*
 * The other file's static 'count' and 'bump': only used at config time
 * (post_config), so nothing here is reported.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int count;

int same_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                     server_rec *s);

static void bump(void)
{
    count++;
}

int same_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                     server_rec *s)
{
    bump();
    ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s, "count %d", count);
    return OK;
}
