/*
 * A thread started at request time (apr_thread_create from the handler)
 * writes the global that the handler also reads.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"

static int jobs_done;

static void *APR_THREAD_FUNC job(apr_thread_t *t, void *data)
{
    jobs_done++; /* expect: global-race(jobs_done) */
    return NULL;
}

static int job_handler(request_rec *r)
{
    apr_thread_t *t;
    apr_status_t rv;

    if (!r->handler || strcmp(r->handler, "job") != 0)
        return DECLINED;
    if (apr_thread_create(&t, NULL, job, NULL, r->pool) == APR_SUCCESS)
        apr_thread_join(&rv, t);
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%d\n", jobs_done); /* expect: global-race(jobs_done) */
    return OK;
}

static void job_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(job_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA job_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    job_register_hooks
};
