/*
 * Negative: a statically initialised pthread mutex.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <pthread.h>

static pthread_mutex_t seq_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long seq; /* guarded by seq_lock */

static int pmx_post_read(request_rec *r)
{
    unsigned long mine;

    pthread_mutex_lock(&seq_lock);
    mine = ++seq;
    pthread_mutex_unlock(&seq_lock);
    apr_table_setn(r->notes, "seq", apr_psprintf(r->pool, "%lu", mine));
    return DECLINED;
}

static void pmx_register_hooks(apr_pool_t *p)
{
    ap_hook_post_read_request(pmx_post_read, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA pmx_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    pmx_register_hooks
};
