/*
 * check_list.h — the registry of checks (X-macro). Ids are stable: the
 * manifest, suppressions and reports use them (docs/manifest.md). Each
 * check lives in check_<id>.c and reports through mc_report() only.
 *
 * MC_CHECK(ident, "id", "severity", "summary")
 */
MC_CHECK(global_race, "global-race", "error",
         "unsynchronized access to shared global or static state at "
         "request time")
MC_CHECK(mt_unsafe_call, "mt-unsafe-call", "error",
         "call of an MT-unsafe library function at request time")
MC_CHECK(config_mutation, "config-mutation", "error",
         "write to server or per-directory config at request time")
MC_CHECK(shared_pool_alloc, "shared-pool-alloc", "error",
         "allocation from a shared pool at request time")
MC_CHECK(static_buffer_return, "static-buffer-return", "error",
         "function returning a pointer into a static buffer, used at "
         "request time")
MC_CHECK(lock_leak, "lock-leak", "error", "a lock not released on some path")
MC_CHECK(lock_order, "lock-order", "warning",
         "two locks taken in inconsistent orders")
MC_CHECK(large_stack_frame, "large-stack-frame", "warning",
         "request-time function whose stack frame is too large for a small "
         "thread stack")
