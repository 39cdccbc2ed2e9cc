/*
 * C11 <threads.h>: a thread started with thrd_create, an mtx_t guarding
 * one counter (fine), another counter left unguarded (a race), and a
 * call_once initialiser (fine).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <threads.h>

static mtx_t stats_mtx;
static once_flag init_once = ONCE_FLAG_INIT;
static long guarded_ticks; /* guarded by stats_mtx */
static long loose_ticks;
static int table_ready;

static void init_table(void)
{
    table_ready = 1;
}

static int ticker(void *arg)
{
    for (;;) {
        mtx_lock(&stats_mtx);
        guarded_ticks++;
        mtx_unlock(&stats_mtx);
        loose_ticks++; /* expect: global-race(loose_ticks) */
        thrd_sleep(&(struct timespec){.tv_sec = 1}, NULL);
    }
    return 0;
}

static void c11_child_init(apr_pool_t *pchild, server_rec *s)
{
    thrd_t t;

    mtx_init(&stats_mtx, mtx_plain);
    if (thrd_create(&t, ticker, NULL) == thrd_success)
        thrd_detach(t);
}

static int c11_handler(request_rec *r)
{
    long g, l;

    if (!r->handler || strcmp(r->handler, "ticks") != 0)
        return DECLINED;
    call_once(&init_once, init_table);
    mtx_lock(&stats_mtx);
    g = guarded_ticks;
    mtx_unlock(&stats_mtx);
    l = loose_ticks; /* expect: global-race(loose_ticks) */
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%ld %ld %d\n", g, l, table_ready);
    return OK;
}

static void c11_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(c11_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(c11_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA c11t_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    c11_register_hooks
};
