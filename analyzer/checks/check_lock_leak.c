/*
 * check_lock_leak.c — a lock still held on some path when a function
 * returns, while on other paths it is released. Reported at the return
 * statement that leaves the lock held (or the closing brace when control
 * falls off the end). A function that returns holding the lock on every
 * path is a lock wrapper, not a leak: its callers are checked instead.
 * Trylocks are not counted as acquisitions here. See
 * docs/checks/lock-leak.md.
 */
#include <stdio.h>

#include "checks.h"

void mc_check_lock_leak(struct mc_check_ctx *cx)
{
    struct mc_model *m = cx->m;
    for (size_t i = 0; i < m->leaks.n; i++) {
        const struct mc_leak *l = &m->leaks.v[i];
        struct mc_fn *f = &m->fns.v[l->fn];
        const char *lock = m->lock_names.v[l->lock];
        char msg[512];
        snprintf(msg, sizeof msg,
                 "'%s' (locked at line %u) is still held when '%s' returns "
                 "here; every later request blocks on it",
                 lock, l->acquire.line, f->name);
        struct mc_site_ref at = {l->fn, l->fn, 0, l->at,
                                 (uint64_t)1 << l->lock};
        mc_report(cx, "lock-leak", &at, lock, msg,
                  "release the lock on every path before returning (a single "
                  "exit with the unlock, or unlock before each early "
                  "return)");
    }
}
