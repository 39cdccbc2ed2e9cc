/*
 * A table hangs off the server config; a lookup helper returns an entry
 * reached from its parameter, and the hook writes through that entry at
 * request time. The write hits the shared table (the caller's argument).
 * The insert helper writes through its parameter directly (one site per
 * caller passing config).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

#include <stdlib.h>

module AP_MODULE_DECLARE_DATA lr_module;

struct lr_entry {
    const char *ip;
    long hits;
    struct lr_entry *next;
};

struct lr_table {
    struct lr_entry *head;
    long size;
};

struct lr_conf {
    struct lr_table *seen;
};

static void *lr_create_server(apr_pool_t *p, server_rec *s)
{
    struct lr_conf *conf = apr_pcalloc(p, sizeof *conf);
    conf->seen = apr_pcalloc(p, sizeof *conf->seen);
    return conf;
}

static struct lr_entry *lr_find(struct lr_table *t, const char *ip)
{
    struct lr_entry *e;
    for (e = t->head; e; e = e->next) {
        if (!strcmp(e->ip, ip))
            return e;
    }
    return NULL;
}

static void lr_add(struct lr_table *t, struct lr_entry *e)
{
    e->next = t->head;
    t->head = e; /* expect: config-mutation(seen) */
    t->size++;   /* expect: config-mutation(seen) */
}

/* called with the entry a lookup returned (a local in the caller): the
 * write reaches conf->seen too */
static void lr_touch(struct lr_entry *e)
{
    e->hits = 0; /* expect: config-mutation(seen) */
}

static int lr_post_read(request_rec *r)
{
    struct lr_conf *conf =
        ap_get_module_config(r->server->module_config, &lr_module);
    struct lr_entry *e = lr_find(conf->seen, r->useragent_ip);
    if (e) {
        e->hits++; /* expect: config-mutation(seen) */
        if (e->hits > 1000)
            lr_touch(e);
        return DECLINED;
    }
    e = calloc(1, sizeof *e);
    e->ip = strdup(r->useragent_ip);
    lr_add(conf->seen, e);
    return DECLINED;
}

static void lr_register_hooks(apr_pool_t *p)
{
    ap_hook_post_read_request(lr_post_read, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lr_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL,
    lr_create_server, NULL, NULL,
    lr_register_hooks
};
