/*
 * A module thread has an even smaller stack budget in many MPMs: a
 * 512 KiB array in the thread's entry function.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"

static void *APR_THREAD_FUNC collector(apr_thread_t *thd, void *data)
{
    long samples[64 * 1024]; /* expect: large-stack-frame(samples) */
    int i;

    for (i = 0; i < 64 * 1024; i++)
        samples[i] = i;
    return samples[1] ? NULL : data;
}

static void col_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_t *t;
    apr_thread_create(&t, NULL, collector, NULL, pchild);
}

static void col_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(col_child_init, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA col_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    col_register_hooks
};
