/*
 * Negative: lazy one-time initialisation at request time with
 * pthread_once and apr_thread_once: the init routine runs exactly once,
 * and every caller returns only after it finished (happens-before), so its
 * writes do not race with the later reads.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"
#include <pthread.h>

static pthread_once_t table_once = PTHREAD_ONCE_INIT;
static int table[256];
static apr_thread_once_t *names_once;
static const char *names[4];

static void init_table(void)
{
    int i;
    for (i = 0; i < 256; i++)
        table[i] = i * 31 % 256;
}

static void init_names(void)
{
    names[0] = "zero";
    names[1] = "one";
    names[2] = "two";
    names[3] = "three";
}

static void once_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_once_init(&names_once, pchild);
}

static int once_fixups(request_rec *r)
{
    pthread_once(&table_once, init_table);
    apr_thread_once(names_once, init_names);
    apr_table_setn(r->notes, "hash",
                   apr_itoa(r->pool, table[(unsigned char)r->uri[0]]));
    apr_table_setn(r->notes, "name", names[r->uri[0] & 3]);
    return DECLINED;
}

static void once_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(once_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(once_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA once_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    once_register_hooks
};
