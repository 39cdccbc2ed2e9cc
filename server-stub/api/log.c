/* log.c — http_log.h: error logging (httpd's default ErrorLog format),
 * level filtering, data dumps, piped logs, and the error_log and
 * generate_log_id hooks.
 *
 * Contract: one log call formats one whole line in a stack buffer and
 * writes it with a single write to s->error_log (stderr when the server has
 * none or s is NULL), so concurrent lines never interleave on an unbuffered
 * file (how httpd opens error logs). A buffered apr_file_t is written under
 * buffered_log_lock instead. Levels follow httpd: per-module levels from
 * r->log, c->log or s->log; NOTICE always passes when there is a log file.
 * Process-wide state (ap_default_loglevel, the stderr log, the hook arrays)
 * is written only in the configuration phase. Every exported function calls
 * MC_API_ENTER() once on entry, except ap_open_stderr_log and
 * ap_replace_stderr_log (configuration phase only).
 *
 * Not supported: ErrorLogFormat (always the default format), syslog, and
 * restarting a piped logger that died. ap_log_mpm_common reads the host's
 * ap_have_so_reuseport and ap_num_listen_buckets.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apr_file_io.h"
#include "apr_hooks.h"
#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "ap_listen.h"
#include "ap_mpm.h"
#include "util_time.h"

#include "api_internal.h"

/* Level for messages without a server (s == NULL); LogLevel at startup.
 * Written by the configuration phase only. */
AP_DECLARE_DATA int ap_default_loglevel = DEFAULT_LOGLEVEL;

/* Where s == NULL messages go; set by ap_open_stderr_log in the
 * configuration phase, read afterwards. */
static apr_file_t *stderr_log;

/* Guards writes to a *buffered* apr_file_t (its buffer is shared state).
 * Unbuffered logs are written without it so that logging adds no
 * happens-before edges between module threads (that would hide races). */
static pthread_mutex_t buffered_log_lock = PTHREAD_MUTEX_INITIALIZER;

APR_HOOK_STRUCT(APR_HOOK_LINK(error_log) APR_HOOK_LINK(generate_log_id))

AP_IMPLEMENT_HOOK_VOID(error_log,
                       (const ap_errorlog_info *info, const char *errstr),
                       (info, errstr))

AP_IMPLEMENT_HOOK_RUN_FIRST(int, generate_log_id,
                            (const conn_rec *c, const request_rec *r,
                             const char **id),
                            (c, r, id), DECLINED)

AP_DECLARE(void) ap_open_stderr_log(apr_pool_t *p)
{
    apr_file_open_stderr(&stderr_log, p);
}

AP_DECLARE(apr_status_t) ap_replace_stderr_log(apr_pool_t *p, const char *fname)
{
    apr_file_t *f = NULL, *err = NULL;
    apr_status_t rv;

    rv = apr_file_open(&f, fname, APR_APPEND | APR_WRITE | APR_CREATE,
                       APR_OS_DEFAULT, p);
    if (rv != APR_SUCCESS)
        return rv;
    if ((rv = apr_file_open_stderr(&err, p)) == APR_SUCCESS)
        rv = apr_file_dup2(err, f, p);
    apr_file_close(f);
    return rv;
}

/* ---- levels ---------------------------------------------------------- */

static const char *const level_names[] = {
    "emerg",  "alert",  "crit",   "error",  "warn",   "notice",
    "info",   "debug",  "trace1", "trace2", "trace3", "trace4",
    "trace5", "trace6", "trace7", "trace8"};

AP_DECLARE(const char *) ap_parse_log_level(const char *str, int *val)
{
    int i;

    MC_API_ENTER();
    for (i = 0; i <= APLOG_LEVELMASK; ++i) {
        if (strcasecmp(str, level_names[i]) == 0) {
            *val = i;
            return NULL;
        }
    }
    return "LogLevel wants a level: emerg, alert, crit, error, warn, notice, "
           "info, debug or trace1 to trace8";
}

static int module_level(const struct ap_logconf *l, int index)
{
    if (index < 0 || l->module_levels == NULL || l->module_levels[index] < 0)
        return l->level;
    return l->module_levels[index];
}

static const struct ap_logconf *conn_server_logconf(const conn_rec *c,
                                                    const server_rec *s)
{
    if (c->log != NULL && c->log != &c->base_server->log)
        return c->log;
    return &s->log;
}

static const struct ap_logconf *request_logconf(const request_rec *r)
{
    if (r->log)
        return r->log;
    if (r->connection && r->connection->log)
        return r->connection->log;
    return &r->server->log;
}

/* The level configured for this message's context. */
static int configured_level(const server_rec *s, const conn_rec *c,
                            const request_rec *r, int module_index)
{
    if (r)
        return module_level(request_logconf(r), module_index);
    if (c)
        return module_level(conn_server_logconf(c, s), module_index);
    return module_level(&s->log, module_index);
}

/* ---- line formatting --------------------------------------------------- */

struct line {
    char buf[MAX_STRING_LEN];
    apr_size_t len;
};

static void put(struct line *l, const char *s)
{
    apr_size_t room = sizeof(l->buf) - 1 - l->len;
    apr_size_t n = strlen(s);

    if (n > room)
        n = room;
    memcpy(l->buf + l->len, s, n);
    l->len += n;
    l->buf[l->len] = '\0';
}

static void putf(struct line *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void putf(struct line *l, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = apr_vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        l->len += (apr_size_t)n;
    if (l->len > sizeof(l->buf) - 1)
        l->len = sizeof(l->buf) - 1;
}

static int mpm_is_threaded(void)
{
    int threaded = 0;

    return ap_mpm_query(AP_MPMQ_IS_THREADED, &threaded) == APR_SUCCESS &&
           threaded != AP_MPMQ_NOT_SUPPORTED;
}

/* "[Www Mmm dd hh:mm:ss.uuuuuu yyyy] [module:level] [pid N:tid T] " */
static void put_prefix(struct line *l, int module_index, int level)
{
    char when[64];
    int wlen = (int)sizeof(when);
    const char *mod = ap_find_module_short_name(module_index);

    ap_recent_ctime_ex(when, apr_time_now(), AP_CTIME_OPTION_USEC, &wlen);
    putf(l, "[%s] [%s:%s] [pid %" APR_PID_T_FMT, when, mod ? mod : "-",
         level_names[level], getpid());
    if (mpm_is_threaded())
        putf(l, ":tid %lu", (unsigned long)apr_os_thread_current());
    put(l, "] ");
}

/* "file(line): " at debug and above; the basename of absolute paths. */
static void put_file_line(struct line *l, const char *file, int line)
{
    const char *slash;

    if (!file)
        return;
    if (file[0] == '/' && (slash = strrchr(file, '/')) != NULL)
        file = slash + 1;
    putf(l, "%s(%d): ", file, line);
}

/* "(errno)description: " */
static void put_status(struct line *l, apr_status_t status)
{
    char msg[256];

    if (status < APR_OS_START_EAIERR)
        putf(l, "(%d)", status);
    else if (status < APR_OS_START_SYSERR)
        putf(l, "(EAI %d)", status - APR_OS_START_EAIERR);
    else if (status < 100000 + APR_OS_START_SYSERR)
        putf(l, "(OS %d)", status - APR_OS_START_SYSERR);
    else
        putf(l, "(os 0x%08x)", status - APR_OS_START_SYSERR);
    apr_strerror(status, msg, sizeof(msg));
    put(l, msg);
    put(l, ": ");
}

/* "[client ip:port] " ("remote" for a backend/outgoing connection). */
static void put_client(struct line *l, const conn_rec *c, const request_rec *r)
{
    const char *kind = c && c->outgoing ? "remote" : "client";

    if (r && r->useragent_ip)
        putf(l, "[%s %s:%d] ", kind, r->useragent_ip,
             r->useragent_addr ? (int)r->useragent_addr->port : 0);
    else if (c && c->client_ip)
        putf(l, "[%s %s:%d] ", kind, c->client_ip,
             c->client_addr ? (int)c->client_addr->port : 0);
}

static void put_escaped(struct line *l, const char *s)
{
    l->len += mc__escape_errorlog(l->buf + l->len, s, sizeof(l->buf) - l->len);
}

/* ---- writing ------------------------------------------------------------ */

static void write_all(apr_file_t *f, const char *buf, apr_size_t len)
{
    if (!f) {
        while (len > 0) {
            ssize_t n = write(STDERR_FILENO, buf, len);
            if (n <= 0)
                return;
            buf += n;
            len -= (apr_size_t)n;
        }
        return;
    }
    if (apr_file_buffer_size_get(f) == 0) {
        apr_file_write_full(f, buf, len, NULL);
        return;
    }
    pthread_mutex_lock(&buffered_log_lock);
    apr_file_write_full(f, buf, len, NULL);
    apr_file_flush(f);
    pthread_mutex_unlock(&buffered_log_lock);
}

struct log_ctx {
    const char *file;
    int line;
    int module_index;
    int level; /* with flags */
    apr_status_t status;
    const server_rec *s;
    const conn_rec *c;
    const request_rec *r;
    apr_pool_t *pool;
};

/* Should this message be logged, and where (*logf; NULL = stderr fd)? */
static int log_target(const struct log_ctx *x, apr_file_t **logf)
{
    int level = x->level & APLOG_LEVELMASK;

    if (x->s == NULL) {
        *logf = stderr_log;
        return level == APLOG_NOTICE || level <= ap_default_loglevel;
    }
    *logf = x->s->error_log ? x->s->error_log : stderr_log;
    if (level == APLOG_NOTICE && x->s->error_log)
        return 1;
    return level <= configured_level(x->s, x->c, x->r, x->module_index);
}

static void run_error_log_hook(const struct log_ctx *x, const char *msg)
{
    ap_errorlog_info info;

    memset(&info, 0, sizeof(info));
    info.s = x->s;
    info.c = x->c;
    info.r = x->r;
    info.rmain = x->r ? (x->r->main ? x->r->main : x->r) : NULL;
    info.pool = x->pool;
    info.file = x->file;
    info.line = x->line;
    info.module_index = x->module_index;
    info.level = x->level & APLOG_LEVELMASK;
    info.status = x->status;
    info.startup = (x->level & APLOG_STARTUP) == APLOG_STARTUP;
    ap_run_error_log(&info, msg);
}

static void log_core(const struct log_ctx *x, const char *fmt, va_list args)
    __attribute__((format(printf, 2, 0)));
static void log_core(const struct log_ctx *x, const char *fmt, va_list args)
{
    struct line l;
    char msg[MAX_STRING_LEN];
    apr_file_t *logf = NULL;
    int level = x->level & APLOG_LEVELMASK;
    apr_size_t msg_start;
    const char *referer;

    if (!log_target(x, &logf))
        return;
    l.len = 0;
    l.buf[0] = '\0';
    if (!(x->level & APLOG_STARTUP))
        put_prefix(&l, x->module_index, level);
    if (level >= APLOG_DEBUG)
        put_file_line(&l, x->file, x->line);
    if (x->status)
        put_status(&l, x->status);
    put_client(&l, x->c, x->r);
    apr_vsnprintf(msg, sizeof(msg), fmt, args);
    msg_start = l.len;
    put_escaped(&l, msg);
    run_error_log_hook(x, l.buf + msg_start);
    if (x->r && x->r->headers_in &&
        (referer = apr_table_get(x->r->headers_in, "Referer")) != NULL) {
        put(&l, ", referer: ");
        put_escaped(&l, referer);
    }
    l.buf[l.len++] = '\n';
    write_all(logf, l.buf, l.len);
}

static void log_glue(const struct log_ctx *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void log_glue(const struct log_ctx *x, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_core(x, fmt, ap);
    va_end(ap);
}

/* ---- the ap_log_*error_ entry points ------------------------------------ */

AP_DECLARE(void)
ap_log_error_(const char *file, int line, int module_index, int level,
              apr_status_t status, const server_rec *s, const char *fmt, ...)
{
    struct log_ctx x = {file, line, module_index, level, status,
                        s,    NULL, NULL,         NULL};
    va_list ap;

    MC_API_ENTER();
    va_start(ap, fmt);
    log_core(&x, fmt, ap);
    va_end(ap);
}

AP_DECLARE(void)
ap_log_perror_(const char *file, int line, int module_index, int level,
               apr_status_t status, apr_pool_t *p, const char *fmt, ...)
{
    struct log_ctx x = {file, line, module_index, level, status,
                        NULL, NULL, NULL,         p};
    va_list ap;

    MC_API_ENTER();
    va_start(ap, fmt);
    log_core(&x, fmt, ap);
    va_end(ap);
}

/* APLOG_TOCLIENT at warning or worse also keeps the (HTML-escaped) message
 * in r->notes "error-notes" for the error document, unless one is set. */
static void note_for_client(const request_rec *r, int level, const char *fmt,
                            va_list ap) __attribute__((format(printf, 3, 0)));
static void note_for_client(const request_rec *r, int level, const char *fmt,
                            va_list ap)
{
    if (!(level & APLOG_TOCLIENT) || (level & APLOG_LEVELMASK) > APLOG_WARNING)
        return;
    if (apr_table_get(r->notes, "error-notes") != NULL)
        return;
    apr_table_setn(
        r->notes, "error-notes",
        mc__escape_html(r->pool, apr_pvsprintf(r->pool, fmt, ap), 0));
}

AP_DECLARE(void)
ap_log_rerror_(const char *file, int line, int module_index, int level,
               apr_status_t status, const request_rec *r, const char *fmt, ...)
{
    struct log_ctx x = {file,          line,   module_index,
                        level,         status, r->server,
                        r->connection, r,      NULL};
    va_list ap;

    MC_API_ENTER();
    va_start(ap, fmt);
    log_core(&x, fmt, ap);
    va_end(ap);
    va_start(ap, fmt);
    note_for_client(r, level, fmt, ap);
    va_end(ap);
}

AP_DECLARE(void)
ap_log_cserror_(const char *file, int line, int module_index, int level,
                apr_status_t status, const conn_rec *c, const server_rec *s,
                const char *fmt, ...)
{
    struct log_ctx x = {file, line, module_index, level, status,
                        s,    c,    NULL,         NULL};
    va_list ap;

    MC_API_ENTER();
    va_start(ap, fmt);
    log_core(&x, fmt, ap);
    va_end(ap);
}

AP_DECLARE(void)
ap_log_cerror_(const char *file, int line, int module_index, int level,
               apr_status_t status, const conn_rec *c, const char *fmt, ...)
{
    struct log_ctx x = {file,           line, module_index, level, status,
                        c->base_server, c,    NULL,         NULL};
    va_list ap;

    MC_API_ENTER();
    va_start(ap, fmt);
    log_core(&x, fmt, ap);
    va_end(ap);
}

/* ---- data dumps -------------------------------------------------------- */

#define BYTES_PER_LINE 16

/* 16 characters (non-printables and '\\' as '.'), a space, then the bytes
 * in hex, padded to a fixed width. */
static apr_size_t dump_line(char *out, const unsigned char *data,
                            apr_size_t len, apr_size_t off)
{
    apr_size_t i, n = len - off < BYTES_PER_LINE ? len - off : BYTES_PER_LINE;

    memset(out, ' ', BYTES_PER_LINE * 3 + 1);
    out[BYTES_PER_LINE * 3 + 1] = '\0';
    for (i = 0; i < n; ++i) {
        unsigned char c = data[off + i];
        out[i] = (apr_isprint(c) && c != '\\') ? (char)c : '.';
        out[BYTES_PER_LINE + 1 + 2 * i] = MC__HEX_LOWER[c >> 4];
        out[BYTES_PER_LINE + 2 + 2 * i] = MC__HEX_LOWER[c & 0xf];
    }
    return off + n;
}

static void log_data(struct log_ctx *x, const char *label, const void *data,
                     apr_size_t len, unsigned int flags)
{
    char buf[BYTES_PER_LINE * 3 + 2];
    char prefix[20] = "";
    apr_size_t off = 0;

    if (len > 0xffff)
        len = 0xffff;
    x->status = APR_SUCCESS;
    if (label)
        log_glue(x, "%s (%" APR_SIZE_T_FMT " bytes)", label, len);
    while (off < len) {
        if (flags & AP_LOG_DATA_SHOW_OFFSET)
            apr_snprintf(prefix, sizeof(prefix), "%04x: ", (unsigned)off);
        off = dump_line(buf, data, len, off);
        log_glue(x, "%s%s", prefix, buf);
    }
}

AP_DECLARE(void)
ap_log_data_(const char *file, int line, int module_index, int level,
             const server_rec *s, const char *label, const void *data,
             apr_size_t len, unsigned int flags)
{
    struct log_ctx x = {file, line, module_index, level, 0,
                        s,    NULL, NULL,         NULL};

    MC_API_ENTER();
    log_data(&x, label, data, len, flags);
}

AP_DECLARE(void)
ap_log_rdata_(const char *file, int line, int module_index, int level,
              const request_rec *r, const char *label, const void *data,
              apr_size_t len, unsigned int flags)
{
    struct log_ctx x = {file,          line, module_index, level, 0, r->server,
                        r->connection, r,    NULL};

    MC_API_ENTER();
    log_data(&x, label, data, len, flags);
}

AP_DECLARE(void)
ap_log_cdata_(const char *file, int line, int module_index, int level,
              const conn_rec *c, const char *label, const void *data,
              apr_size_t len, unsigned int flags)
{
    struct log_ctx x = {file,           line, module_index, level, 0,
                        c->base_server, c,    NULL,         NULL};

    MC_API_ENTER();
    log_data(&x, label, data, len, flags);
}

AP_DECLARE(void)
ap_log_csdata_(const char *file, int line, int module_index, int level,
               const conn_rec *c, const server_rec *s, const char *label,
               const void *data, apr_size_t len, unsigned int flags)
{
    struct log_ctx x = {file, line, module_index, level, 0, s, c, NULL, NULL};

    MC_API_ENTER();
    log_data(&x, label, data, len, flags);
}

/* ---- misc --------------------------------------------------------------- */

AP_DECLARE(void) ap_log_assert(const char *szExp, const char *szFile, int nLine)
{
    char when[APR_CTIME_LEN];
    struct log_ctx x = {__FILE__,   __LINE__, APLOG_NO_MODULE,
                        APLOG_CRIT, 0,        NULL,
                        NULL,       NULL,     NULL};

    MC_API_ENTER();
    apr_ctime(when, apr_time_now());
    log_glue(&x, "[%s] file %s, line %d, assertion \"%s\" failed", when, szFile,
             nLine, szExp);
    abort();
}

AP_DECLARE(void) ap_log_command_line(apr_pool_t *p, server_rec *s)
{
    struct log_ctx x = {__FILE__,     __LINE__, APLOG_NO_MODULE,
                        APLOG_NOTICE, 0,        s,
                        NULL,         NULL,     NULL};
    const process_rec *proc = s->process;
    char *cmd = "";
    int i;

    MC_API_ENTER();
    for (i = 0; proc && i < proc->argc; ++i)
        cmd = apr_pstrcat(p, cmd, i ? " " : "", proc->argv[i], NULL);
    log_glue(&x, "Command line: '%s'", cmd);
}

/* Grab bag of MPM facts (listen.c data of the host), at debug level. */
AP_DECLARE(void) ap_log_mpm_common(server_rec *s)
{
    struct log_ctx x = {__FILE__,    __LINE__, APLOG_NO_MODULE,
                        APLOG_DEBUG, 0,        s,
                        NULL,        NULL,     NULL};

    MC_API_ENTER();
    log_glue(&x, "listening sockets shared with SO_REUSEPORT: %s (%d buckets)",
             ap_have_so_reuseport ? "yes" : "no", ap_num_listen_buckets);
}

/* ---- per-module level accessors (macros unless AP_DEBUG) ------------------ */

#undef ap_get_server_module_loglevel
#undef ap_get_conn_module_loglevel
#undef ap_get_conn_server_module_loglevel
#undef ap_get_request_module_loglevel

AP_DECLARE(int) ap_get_server_module_loglevel(const server_rec *s, int index)
{
    MC_API_ENTER();
    return module_level(&s->log, index);
}

AP_DECLARE(int) ap_get_conn_module_loglevel(const conn_rec *c, int index)
{
    MC_API_ENTER();
    return module_level(c->log ? c->log : &c->base_server->log, index);
}

AP_DECLARE(int)
ap_get_conn_server_module_loglevel(const conn_rec *c, const server_rec *s,
                                   int index)
{
    MC_API_ENTER();
    return module_level(conn_server_logconf(c, s), index);
}

AP_DECLARE(int) ap_get_request_module_loglevel(const request_rec *r, int index)
{
    MC_API_ENTER();
    return module_level(request_logconf(r), index);
}

/* ---- piped logs ------------------------------------------------------------ */

struct piped_log {
    apr_pool_t *p;
    apr_file_t *read_fd;  /* the logger's stdin (read end) */
    apr_file_t *write_fd; /* where the server writes log lines */
    apr_proc_t proc;
};

static apr_status_t piped_log_close_fds(void *data)
{
    piped_log *pl = data;

    if (pl->read_fd)
        apr_file_close(pl->read_fd);
    if (pl->write_fd)
        apr_file_close(pl->write_fd);
    pl->read_fd = pl->write_fd = NULL;
    return APR_SUCCESS;
}

static apr_status_t spawn_logger(piped_log *pl, const char *program,
                                 apr_cmdtype_e cmdtype)
{
    apr_procattr_t *attr;
    const char **argv = NULL;
    apr_status_t rv;

    if ((rv = apr_procattr_create(&attr, pl->p)) != APR_SUCCESS ||
        (rv = apr_procattr_cmdtype_set(attr, cmdtype)) != APR_SUCCESS ||
        (rv = apr_procattr_error_check_set(attr, 1)) != APR_SUCCESS ||
        (rv = apr_procattr_child_in_set(attr, pl->read_fd, pl->write_fd)) !=
            APR_SUCCESS)
        return rv;
    if (cmdtype == APR_SHELLCMD || cmdtype == APR_SHELLCMD_ENV) {
        argv = apr_pcalloc(pl->p, 2 * sizeof(*argv));
        argv[0] = program;
    } else if ((rv = apr_tokenize_to_argv(program, (char ***)&argv, pl->p)) !=
               APR_SUCCESS) {
        return rv;
    }
    rv = apr_proc_create(&pl->proc, argv[0], argv, NULL, attr, pl->p);
    if (rv == APR_SUCCESS)
        apr_pool_note_subprocess(pl->p, &pl->proc, APR_KILL_AFTER_TIMEOUT);
    return rv;
}

/* Spawns program with a pipe as its stdin; lines written to
 * ap_piped_log_write_fd() reach it. NULL (and an error logged) on failure. */
AP_DECLARE(piped_log *)
ap_open_piped_log_ex(apr_pool_t *p, const char *program, apr_cmdtype_e cmdtype)
{
    piped_log *pl = apr_pcalloc(p, sizeof(*pl));
    struct log_ctx x = {
        __FILE__, __LINE__, APLOG_NO_MODULE, APLOG_ERR, 0, NULL, NULL, NULL, p};
    apr_status_t rv;

    MC_API_ENTER();
    pl->p = p;
    rv =
        apr_file_pipe_create_ex(&pl->read_fd, &pl->write_fd, APR_FULL_BLOCK, p);
    if (rv == APR_SUCCESS) {
        /* APR pipes are inheritable: keep both ends out of every child
         * (the logger gets its own copy of the read end as stdin), or the
         * logger would hold its own write end and never see EOF. */
        apr_file_inherit_unset(pl->read_fd);
        apr_file_inherit_unset(pl->write_fd);
        apr_pool_cleanup_register(p, pl, piped_log_close_fds,
                                  apr_pool_cleanup_null);
        rv = spawn_logger(pl, program, cmdtype);
    }
    if (rv != APR_SUCCESS) {
        x.status = rv;
        log_glue(&x, "could not open piped log '%s'", program);
        return NULL;
    }
    return pl;
}

/* "|prog" style: a leading '|' is skipped, "$cmd" runs through the shell. */
AP_DECLARE(piped_log *) ap_open_piped_log(apr_pool_t *p, const char *program)
{
    apr_cmdtype_e cmdtype = APR_PROGRAM_ENV;

    if (*program == '|')
        ++program;
    if (*program == '$') {
        cmdtype = APR_SHELLCMD_ENV;
        ++program;
    }
    return ap_open_piped_log_ex(p, program, cmdtype);
}

AP_DECLARE(void) ap_close_piped_log(piped_log *pl)
{
    MC_API_ENTER();
    apr_pool_cleanup_run(pl->p, pl, piped_log_close_fds);
}

AP_DECLARE(apr_file_t *) ap_piped_log_read_fd(piped_log *pl)
{
    MC_API_ENTER();
    return pl->read_fd;
}

AP_DECLARE(apr_file_t *) ap_piped_log_write_fd(piped_log *pl)
{
    MC_API_ENTER();
    return pl->write_fd;
}

/* ---- pid files (startup/shutdown phase: no perturbation) ------------------ */

AP_DECLARE(apr_status_t)
ap_read_pid(apr_pool_t *p, const char *filename, pid_t *mypid)
{
    const char *fname = mc__server_root_relative(p, filename);
    apr_file_t *f = NULL;
    char buf[sizeof(long) * 3 + 2];
    apr_size_t n = 0;
    apr_status_t rv;
    char *end = NULL;

    if (!fname)
        return APR_EGENERAL;
    if ((rv = apr_file_open(&f, fname, APR_READ, APR_OS_DEFAULT, p)) !=
        APR_SUCCESS)
        return rv;
    rv = apr_file_read_full(f, buf, sizeof(buf) - 1, &n);
    apr_file_close(f);
    if (rv != APR_SUCCESS && rv != APR_EOF)
        return rv;
    if (n == sizeof(buf) - 1)
        return APR_EGENERAL; /* too long for a pid: corrupt file */
    buf[n] = '\0';
    *mypid = (pid_t)strtol(buf, &end, 10);
    if (end == buf)
        return APR_EGENERAL;
    return APR_SUCCESS;
}

/* Writes "<pid>\n" to fname (relative to ServerRoot). httpd exits when it
 * cannot; the stub logs the error and returns (only main() exits). */
AP_DECLARE(void) ap_log_pid(apr_pool_t *p, const char *filename)
{
    struct log_ctx x = {__FILE__,      __LINE__, APLOG_NO_MODULE,
                        APLOG_WARNING, 0,        NULL,
                        NULL,          NULL,     p};
    const char *fname = mc__server_root_relative(p, filename);
    apr_file_t *f = NULL;
    pid_t old = 0;
    apr_status_t rv;

    if (!fname) {
        x.level = APLOG_CRIT;
        log_glue(&x, "PidFile %s is not a usable path; no pid file written",
                 filename);
        return;
    }
    if (ap_read_pid(p, fname, &old) == APR_SUCCESS && old != getpid())
        log_glue(&x,
                 "pid file %s was left by an earlier run "
                 "that did not stop cleanly; replaced",
                 fname);
    rv = apr_file_open(&f, fname, APR_WRITE | APR_CREATE | APR_TRUNCATE,
                       APR_UREAD | APR_UWRITE | APR_GREAD | APR_WREAD, p);
    if (rv != APR_SUCCESS) {
        x.level = APLOG_ERR;
        x.status = rv;
        log_glue(&x, "could not write the pid to %s", fname);
        return;
    }
    apr_file_printf(f, "%" APR_PID_T_FMT "\n", getpid());
    apr_file_close(f);
}

AP_DECLARE(void) ap_remove_pid(apr_pool_t *p, const char *filename)
{
    struct log_ctx x = {__FILE__,   __LINE__, APLOG_NO_MODULE,
                        APLOG_INFO, 0,        NULL,
                        NULL,       NULL,     p};
    const char *fname = mc__server_root_relative(p, filename);
    apr_status_t rv;

    if (!fname)
        return;
    rv = apr_file_remove(fname, p);
    x.status = rv;
    if (rv != APR_SUCCESS) {
        x.level = APLOG_WARNING;
        log_glue(&x, "could not remove the pid file %s", fname);
        return;
    }
    log_glue(&x, "removed PID file %s (pid=%" APR_PID_T_FMT ")", fname,
             getpid());
}
