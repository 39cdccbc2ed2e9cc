/*
 * mod_tlsscratch.c — per-thread scratch space and per-thread statistics.
 *
 * Feature: GET /scratch?TEXT answers the text framed in << >>, formatted in
 * a per-thread scratch buffer, and how many requests the serving thread has
 * handled:
 *
 *     echo=<<TEXT>>
 *     thread_requests=<N>
 *
 * Why it is safe: the scratch buffer is `_Thread_local` (each thread has its
 * own copy) and the per-thread count lives behind an apr_threadkey created
 * at child_init, each thread allocating its own counter on first use
 * (malloc; freed by the key's destructor when the thread ends).
 *
 *     <Location /scratch>
 *         SetHandler tlsscratch
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_strings.h"
#include "apr_thread_proc.h"

#include <stdlib.h>

#define SCRATCH_MAX 256

/* One scratch buffer per thread. */
static _Thread_local char scratch[SCRATCH_MAX];
/* Created at child_init, before the worker threads start; read-only after. */
static apr_threadkey_t *served_key;

static void tlsscratch_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_status_t rv = apr_threadkey_private_create(&served_key, free, pchild);

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, "tlsscratch: no key");
    }
}

static unsigned long tlsscratch_count_request(void)
{
    void *data = NULL;
    unsigned long *served;

    apr_threadkey_private_get(&data, served_key);
    served = data;
    if (served == NULL) {
        served = calloc(1, sizeof(*served));
        if (served == NULL) {
            return 0;
        }
        apr_threadkey_private_set(served, served_key);
    }
    return ++*served;
}

/* Formats the echo in this thread's scratch buffer. */
static const char *tlsscratch_frame(const char *text)
{
    apr_snprintf(scratch, sizeof(scratch), "<<%s>>", text);
    return scratch;
}

static int tlsscratch_handler(request_rec *r)
{
    char *text;

    if (strcmp(r->handler, "tlsscratch") != 0) {
        return DECLINED;
    }
    text = apr_pstrdup(r->pool, r->args ? r->args : "");
    ap_unescape_url(text);
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "echo=%s\n", tlsscratch_frame(text)); /* text/plain */
    ap_rprintf(r, "thread_requests=%lu\n", tlsscratch_count_request());
    return OK;
}

static void tlsscratch_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(tlsscratch_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(tlsscratch_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(tlsscratch) = {
    STANDARD20_MODULE_STUFF,
    NULL,                     /* create per-dir config */
    NULL,                     /* merge per-dir config */
    NULL,                     /* create per-server config */
    NULL,                     /* merge per-server config */
    NULL,                     /* command table */
    tlsscratch_register_hooks /* register hooks */
};
