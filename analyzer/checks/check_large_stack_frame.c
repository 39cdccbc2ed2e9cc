/*
 * check_large_stack_frame.c — a function reachable at a concurrent phase
 * whose locals need more than --stack-limit bytes (default 128 KiB). A
 * thread's stack is much smaller than a process's main stack — on Windows
 * (winnt MPM) httpd's ThreadStackSize is small — so a frame that is fine
 * with 8 MiB pthread stacks overflows there. Reported at the declaration
 * of the largest local. See docs/checks/large-stack-frame.md.
 */
#include <stdio.h>

#include "checks.h"

void mc_check_large_stack_frame(struct mc_check_ctx *cx)
{
    struct mc_model *m = cx->m;
    for (size_t i = 0; i < m->fns.n; i++) {
        struct mc_fn *f = &m->fns.v[i];
        if (!f->def || !(f->phases & MC_PH_CONCURRENT) ||
            f->def->frame_bytes <= cx->stack_limit)
            continue;
        char msg[512];
        snprintf(msg, sizeof msg,
                 "stack frame of '%s' needs about %llu KiB (local '%s' is "
                 "%llu KiB), over the %llu KiB limit for a small thread stack",
                 f->name, f->def->frame_bytes / 1024,
                 f->def->big_local ? f->def->big_local : "?",
                 f->def->big_local_bytes / 1024, cx->stack_limit / 1024);
        struct mc_site_ref at = {
            (int)i, (int)i, f->phases & MC_PH_CONCURRENT,
            f->def->big_local ? f->def->big_local_loc : f->def->loc, 0};
        mc_report(cx, "large-stack-frame", &at,
                  f->def->big_local ? f->def->big_local : f->name, msg,
                  "allocate large buffers from r->pool (apr_palloc) or the "
                  "heap instead of the stack");
    }
}
