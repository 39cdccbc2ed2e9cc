/*
 * stub.h - internal interfaces of modcert-stub, the httpd-compatible host.
 *
 * modcert-stub loads unchanged httpd 2.4 module binaries and serves HTTP with
 * them, implementing httpd's public API (declared by the installed httpd
 * headers) on APR. This header is internal to server-stub/: the files here
 * (config, loader, hooks, request cycle, filters, MPM profiles) share the
 * process-wide state below; modules only ever see httpd's own headers.
 *
 * Memory: everything lives in APR pools with httpd's lifetimes (pconf for the
 * configuration, pchild per child process, ptrans per connection, r->pool per
 * request). Thread-safety: `mc__stub` is written only during the startup and
 * configuration phases (single-threaded, before any worker exists) and read
 * by every worker thread afterwards; per-connection and per-request state is
 * owned by exactly one thread at a time.
 */
#ifndef MC_STUB_H
#define MC_STUB_H

/* First: with offsetof defined, APR's ring macros use it instead of a
 * null-pointer member access (which UBSan rejects). */
#include <stddef.h>

#include "httpd.h"
#include "http_config.h"
#include "http_connection.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_mpm.h"

#include <apr_thread_proc.h>
#include <stdatomic.h>

#include "perturb.h"

/* The stub's own log lines are tagged as the core's, like httpd's. */
APLOG_USE_MODULE(core);

enum mc_profile { MC_PROFILE_WINNT, MC_PROFILE_WORKER, MC_PROFILE_PREFORK };

/* One listening address from `Listen`. */
struct mc_listener {
    const char *host;
    apr_port_t port;
    apr_socket_t *sock;
};

/* The core's per-directory config: httpd's core_dir_config first, so that
 * ap_get_core_module_config() users see httpd's layout, then what the
 * built-in authn/authz core keeps. */
struct mc_core_dir {
    core_dir_config core;
    const char *auth_type;
    const char *auth_name;
    apr_array_header_t *basic_providers; /* const char * names */
    apr_array_header_t *requires;        /* struct mc_require */
    int satisfy;                         /* SATISFY_* */
    int is_location;                     /* <Location*> section */
    int override_set;
};

struct mc_require {
    const char *name; /* provider name, e.g. valid-user, user, unix-group */
    const char *args;
    const void *parsed;
    const void *provider; /* authz_provider * or NULL for built-ins */
    int negate;
};

/* The core's per-server config: httpd's core_server_config first. */
struct mc_core_server {
    core_server_config core;
    apr_array_header_t *aliases; /* struct mc_alias (Alias) */
};

/* Process-wide state, written in the startup/config phases only. */
struct mc_stub {
    apr_pool_t *pglobal; /* process lifetime */
    apr_pool_t *pconf;   /* configuration lifetime */
    apr_pool_t *plog;
    apr_pool_t *ptemp;
    process_rec *process;
    server_rec *server;
    const char *conf_file;
    enum mc_profile profile;
    int threads_per_child;
    int processes;
    int max_workers;
    int cli_threads;   /* --threads, 0 = from config */
    int cli_processes; /* --processes, 0 = from config */
    apr_size_t thread_stack;
    apr_array_header_t *listeners; /* struct mc_listener */
    apr_interval_time_t timeout;
    apr_interval_time_t keepalive_timeout;
    int max_keepalive;
    int test_only;
    int loglevel_set;
    apr_array_header_t *version_components; /* const char * */
    const char *server_banner;
    int max_module_index;
    const char *env_path; /* the stub's PATH at start, for CGI variables */
    int argc;             /* the command line, for process_rec */
    const char *const *argv;
};

extern struct mc_stub mc__stub;

/* Set once when the process must stop (signal handler or MPM main thread),
 * read by every worker: an atomic. */
extern atomic_int mc__stub_stop_flag;
#define mc__stub_stopping \
    atomic_load_explicit(&mc__stub_stop_flag, memory_order_relaxed)

/* Called by the connection code around the wait for a keep-alive request,
 * so that a stopping process can close idle connections. */
void mc__mpm_idle(conn_rec *c, int idle);

/* --- log.c-free minimal logging for the stub's own messages ---------- */
void mc__log(const server_rec *s, int level, apr_status_t rv, const char *fmt,
             ...) __attribute__((format(printf, 4, 5)));

/* --- loader.c --------------------------------------------------------- */
const char *mc__load_module(apr_pool_t *p, const char *name, const char *path);
/* Lists undefined symbols of `path` that nothing provides, into `missing`
 * (const char *). Returns NULL or an error message. */
const char *mc__check_module_symbols(apr_pool_t *p, const char *path,
                                     apr_array_header_t *missing);
void mc__setup_core_modules(apr_pool_t *p);

/* --- config.c ---------------------------------------------------------- */
void mc__config_init(apr_pool_t *p);
/* Request-time config vector length: back to the maximum before a
 * configuration pass, fitted to the loaded modules after it (config.c). */
void mc__config_vectors_reset(void);
void mc__config_vectors_fit(void);

/* --- core.c ------------------------------------------------------------ */
int mc__core_default_handler(request_rec *r);
struct mc_core_dir *mc__core_dir(const request_rec *r);
struct mc_core_server *mc__core_server(const server_rec *s);
int mc__core_location_walk(request_rec *r);
int mc__core_directory_walk(request_rec *r);

/* --- filters.c ---------------------------------------------------------- */
void mc__filters_init(apr_pool_t *p);
extern ap_filter_rec_t *mc__core_output_frec;
extern ap_filter_rec_t *mc__core_input_frec;
extern ap_filter_rec_t *mc__http_header_frec;
extern ap_filter_rec_t *mc__http_in_frec;

/* --- http.c: connection and request protocol --------------------------- */
conn_rec *mc__create_conn(apr_pool_t *ptrans, apr_socket_t *sock, long id,
                          apr_bucket_alloc_t *ba, const char *pre,
                          apr_size_t prelen, void *sbh);
void mc__process_connection(conn_rec *c);

/* --- request.c ----------------------------------------------------------- */
void mc__process_request(request_rec *r);
/* Ends a top-level request as httpd does: an EOR bucket down the connection's
 * output filters, then a FLUSH unless the next request is already buffered.
 * The request (log_transaction, then its pool's cleanups) ends once its
 * response bytes are written; r must not be used afterwards. */
void mc__end_request(request_rec *r);

/* --- mpm.c --------------------------------------------------------------- */
int mc__mpm_run(void);
int mc__mpm_query(int code, int *result);

#endif
