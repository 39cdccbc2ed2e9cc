/*
 * A NULL-guarded lock protects only what sits between the guarded lock
 * and the guarded unlock: the entry returned under the lock is updated
 * after the unlock (a real race), and a guard testing a DIFFERENT pointer
 * than the one locked protects nothing on its NULL branch.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_thread_mutex.h"

module AP_MODULE_DECLARE_DATA na_module;

struct na_slot {
    unsigned long addr;
    long count;
};

static apr_thread_mutex_t *na_lock;
static apr_thread_mutex_t *na_other;
static struct na_slot na_slots[64];
static long na_total;

static void na_child_init(apr_pool_t *p, server_rec *s)
{
    apr_thread_mutex_create(&na_lock, APR_THREAD_MUTEX_DEFAULT, p);
}

static struct na_slot *na_slot_of(struct na_slot *slots, unsigned long addr)
{
    struct na_slot *slot = &slots[addr % 64];
    slot->addr = addr; /* under the caller's lock */
    return slot;
}

static int na_fixups(request_rec *r)
{
    unsigned long addr = (unsigned long)r->connection->id;
    if (na_lock)
        apr_thread_mutex_lock(na_lock);
    struct na_slot *slot = na_slot_of(na_slots, addr);
    if (na_lock)
        apr_thread_mutex_unlock(na_lock);
    slot->count++; /* expect: global-race(na_slots) */
    if (slot->count > 100) /* expect: global-race(na_slots) */
        return HTTP_TOO_MANY_REQUESTS;

    if (na_other)
        apr_thread_mutex_lock(na_lock);
    na_total++; /* expect: global-race(na_total) */
    if (na_other)
        apr_thread_mutex_unlock(na_lock);
    return DECLINED;
}

static void na_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(na_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(na_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA na_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    na_register_hooks
};
