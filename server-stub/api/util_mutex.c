/* util_mutex.c — util_mutex.h: mutex type registry, the Mutex directive and
 * creation of global/process mutexes with the configured mechanism and
 * lock-file directory.
 *
 * Contract: the registry (mutex_types) is process state created by
 * ap_mutex_init() on the configuration pool and written only in the
 * configuration phase (ap_mutex_register in pre_config, ap_set_mutex while
 * parsing); it is reset when that pool is cleared, so a second
 * configuration pass starts afresh. Mutexes are allocated from the pool the
 * caller passes. These functions run in the configuration phase (or
 * child_init), so they do not perturb the schedule (README.md).
 *
 * Precedence, as documented in util_mutex.h: a Mutex directive naming the
 * type, then "Mutex ... default", then the ap_mutex_register() defaults,
 * then APR_LOCK_DEFAULT in the runtime directory.
 */
#include <string.h>
#include <unistd.h>

#include "apr_global_mutex.h"
#include "apr_hash.h"
#include "apr_lib.h"
#include "apr_proc_mutex.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_main.h"
#include "unixd.h"
#include "util_mutex.h"

#include "api_internal.h"

#undef APLOG_MODULE_INDEX
#define APLOG_MODULE_INDEX 0

struct mutex_cfg {
    apr_int32_t options;
    int set;      /* configured by a Mutex directive */
    int none;     /* "none": no mutex at all */
    int omit_pid; /* lock file names without ".<pid>" */
    apr_lockmech_e mech;
    const char *dir; /* NULL: the runtime directory */
};

/* type (lowercase) -> struct mutex_cfg; configuration phase only. */
static apr_hash_t *mutex_types;

static apr_status_t forget_types(void *data)
{
    (void)data;
    mutex_types = NULL;
    return APR_SUCCESS;
}

static struct mutex_cfg *new_cfg(apr_pool_t *p, apr_int32_t options,
                                 apr_lockmech_e mech, const char *dir)
{
    struct mutex_cfg *cfg = apr_pcalloc(p, sizeof(*cfg));

    cfg->options = options;
    cfg->none = (options & AP_MUTEX_DEFAULT_NONE) != 0;
    cfg->mech = mech;
    cfg->dir = dir;
    return cfg;
}

static char *lowercase(apr_pool_t *p, const char *s)
{
    char *out = apr_pstrdup(p, s), *c;

    for (c = out; *c; ++c)
        *c = (char)apr_tolower(*c);
    return out;
}

AP_DECLARE_NONSTD(void) ap_mutex_init(apr_pool_t *p)
{
    if (mutex_types)
        return;
    mutex_types = apr_hash_make(p);
    apr_pool_cleanup_register(p, NULL, forget_types, apr_pool_cleanup_null);
    apr_hash_set(mutex_types, "default", APR_HASH_KEY_STRING,
                 new_cfg(p, AP_MUTEX_ALLOW_NONE, APR_LOCK_DEFAULT, NULL));
}

AP_DECLARE(apr_status_t)
ap_mutex_register(apr_pool_t *pconf, const char *type, const char *default_dir,
                  apr_lockmech_e default_mech, apr_int32_t options)
{
    if (options & ~(AP_MUTEX_ALLOW_NONE | AP_MUTEX_DEFAULT_NONE))
        return APR_EINVAL;
    ap_mutex_init(pconf);
    apr_hash_set(mutex_types, lowercase(pconf, type), APR_HASH_KEY_STRING,
                 new_cfg(pconf, options, default_mech,
                         default_dir ? apr_pstrdup(pconf, default_dir) : NULL));
    return APR_SUCCESS;
}

/* "mech[:dir]": APR_ENOLOCK for none/no, APR_ENOTIMPL for an unknown
 * mechanism, APR_BADARG when dir cannot be made absolute. */
AP_DECLARE(apr_status_t)
ap_parse_mutex(const char *arg, apr_pool_t *pool, apr_lockmech_e *mutexmech,
               const char **mutexfile)
{
    static const struct {
        const char *name;
        apr_lockmech_e mech;
    } mechs[] = {
        {"default", APR_LOCK_DEFAULT},     {"yes", APR_LOCK_DEFAULT},
        {"fcntl", APR_LOCK_FCNTL},         {"file", APR_LOCK_FCNTL},
        {"flock", APR_LOCK_FLOCK},         {"posixsem", APR_LOCK_POSIXSEM},
        {"sem", APR_LOCK_POSIXSEM},        {"sysvsem", APR_LOCK_SYSVSEM},
        {"pthread", APR_LOCK_PROC_PTHREAD}};
    char *meth = apr_pstrdup(pool, arg);
    char *file = strchr(meth, ':');
    size_t i;

    if (file) {
        *file++ = '\0';
        if (!*file)
            file = NULL;
    }
    if (!strcasecmp(meth, "none") || !strcasecmp(meth, "no"))
        return APR_ENOLOCK;
    *mutexfile = NULL;
    for (i = 0; i < sizeof(mechs) / sizeof(mechs[0]); ++i)
        if (!strcasecmp(meth, mechs[i].name))
            break;
    if (i == sizeof(mechs) / sizeof(mechs[0]))
        return APR_ENOTIMPL;
    *mutexmech = mechs[i].mech;
    if (*mutexmech == APR_LOCK_POSIXSEM) {
        *mutexfile = file ? apr_pstrdup(pool, file) : NULL; /* a name */
        return APR_SUCCESS;
    }
    if (file && (*mutexfile = ap_server_root_relative(pool, file)) == NULL)
        return APR_BADARG;
    return APR_SUCCESS;
}

/* Apply one Mutex directive to one type. */
static const char *set_type(cmd_parms *cmd, const char *type, int none,
                            int omit_pid, apr_lockmech_e mech, const char *dir)
{
    struct mutex_cfg *cfg =
        mutex_types ? apr_hash_get(mutex_types, lowercase(cmd->temp_pool, type),
                                   APR_HASH_KEY_STRING)
                    : NULL;

    if (!cfg)
        return apr_psprintf(cmd->pool, "Mutex type %s is not valid", type);
    cfg->set = 1;
    cfg->none = 0;
    cfg->omit_pid = omit_pid;
    if (none) {
        if (!(cfg->options & AP_MUTEX_ALLOW_NONE))
            return apr_psprintf(cmd->pool,
                                "mutex %s cannot be turned off (none)", type);
        cfg->none = 1;
        return NULL;
    }
    cfg->mech = mech;
    if (dir)
        cfg->dir = dir;
    return NULL;
}

/* Mutex mechanism[:dir] [type ...] [OmitPID] */
AP_DECLARE_NONSTD(const char *)
ap_set_mutex(cmd_parms *cmd, void *dummy, const char *arg)
{
    apr_lockmech_e mech = APR_LOCK_DEFAULT;
    const char *dir = NULL, *mechdir, *err;
    apr_array_header_t *types =
        apr_array_make(cmd->temp_pool, 4, sizeof(const char *));
    int none = 0, omit_pid = 0, i;
    apr_status_t rv;

    if ((err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) != NULL)
        return err;
    mechdir = ap_getword_conf(cmd->pool, &arg);
    if (!*mechdir)
        return "Mutex: name the mechanism (default, file:DIR, ...)";
    rv = ap_parse_mutex(mechdir, cmd->pool, &mech, &dir);
    if (rv == APR_ENOTIMPL)
        return apr_pstrcat(cmd->pool, "Invalid Mutex argument ", mechdir, NULL);
    if (rv == APR_BADARG || (dir && mech != APR_LOCK_POSIXSEM &&
                             !ap_is_directory(cmd->temp_pool, dir)))
        return apr_pstrcat(cmd->pool, "Mutex: no such directory in ", mechdir,
                           NULL);
    none = rv == APR_ENOLOCK;
    while (*arg) {
        const char *w = ap_getword_conf(cmd->pool, &arg);
        if (!strcasecmp(w, "omitpid"))
            omit_pid = 1;
        else
            APR_ARRAY_PUSH(types, const char *) = w;
    }
    if (types->nelts == 0)
        APR_ARRAY_PUSH(types, const char *) = "default";
    for (i = 0; i < types->nelts; ++i) {
        err = set_type(cmd, APR_ARRAY_IDX(types, i, const char *), none,
                       omit_pid, mech, dir);
        if (err)
            return err;
    }
    return NULL;
}

/* The settings that apply to type (see precedence above). */
static int effective_cfg(apr_pool_t *p, const char *type, struct mutex_cfg *out)
{
    struct mutex_cfg *cfg, *dflt;

    if (!mutex_types)
        return 0;
    cfg = apr_hash_get(mutex_types, lowercase(p, type), APR_HASH_KEY_STRING);
    if (!cfg)
        return 0;
    *out = *cfg;
    dflt = apr_hash_get(mutex_types, "default", APR_HASH_KEY_STRING);
    if (!cfg->set && dflt && dflt->set && dflt->none &&
        (cfg->options & AP_MUTEX_ALLOW_NONE)) {
        out->none = 1; /* "Mutex none" applies to types that allow it */
    } else if (!cfg->set && dflt && dflt->set && !cfg->none) {
        out->mech = dflt->mech;
        out->omit_pid = dflt->omit_pid;
        if (dflt->dir)
            out->dir = dflt->dir;
    }
    return 1;
}

static int needs_file(apr_lockmech_e mech)
{
    if (mech == APR_LOCK_FLOCK || mech == APR_LOCK_FCNTL)
        return 1;
#if APR_USE_FLOCK_SERIALIZE || APR_USE_FCNTL_SERIALIZE
    return mech == APR_LOCK_DEFAULT;
#else
    return 0;
#endif
}

/* <dir>/<type>[-<instance>][.<pid>], absolute; NULL when not file based. */
static const char *lock_file(apr_pool_t *p, const struct mutex_cfg *cfg,
                             const char *type, const char *instance_id)
{
    const char *dir = cfg->dir;
    const char *name;

    if (!needs_file(cfg->mech))
        return NULL;
    if (!dir)
        dir = ap_runtime_dir ? ap_runtime_dir : DEFAULT_REL_RUNTIMEDIR;
    name = apr_pstrcat(p, dir, "/", type, instance_id ? "-" : "",
                       instance_id ? instance_id : "", NULL);
    if (!cfg->omit_pid)
        name = apr_psprintf(p, "%s.%" APR_PID_T_FMT, name, getpid());
    return ap_server_root_relative(p, name);
}

static apr_status_t prepare(apr_pool_t *p, const char *type,
                            const char *instance_id, server_rec *s,
                            apr_int32_t options, struct mutex_cfg *cfg,
                            const char **fname)
{
    if (options) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     "the options given for mutex %s do not fit its "
                     "mechanism",
                     type);
        return APR_EINVAL;
    }
    if (!effective_cfg(p, type, cfg)) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     "Mutex type %s was not registered (ap_mutex_register "
                     "in pre_config)",
                     type);
        return APR_EINVAL;
    }
    *fname = cfg->none ? NULL : lock_file(p, cfg, type, instance_id);
    return APR_SUCCESS;
}

static void log_create_failure(apr_status_t rv, server_rec *s, const char *type,
                               const char *fname)
{
    ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                 "Couldn't create the %s mutex%s%s", type,
                 fname ? " with file " : "", fname ? fname : "");
}

AP_DECLARE(apr_status_t)
ap_global_mutex_create(apr_global_mutex_t **mutex, const char **name,
                       const char *type, const char *instance_id, server_rec *s,
                       apr_pool_t *pool, apr_int32_t options)
{
    struct mutex_cfg cfg;
    const char *fname = NULL;
    apr_status_t rv;

    *mutex = NULL;
    rv = prepare(pool, type, instance_id, s, options, &cfg, &fname);
    if (rv != APR_SUCCESS || cfg.none)
        return rv;
    if (name)
        *name = fname;
    rv = apr_global_mutex_create(mutex, fname, cfg.mech, pool);
    if (rv != APR_SUCCESS) {
        log_create_failure(rv, s, type, fname);
        return rv;
    }
    return ap_unixd_set_global_mutex_perms(*mutex);
}

AP_DECLARE(apr_status_t)
ap_proc_mutex_create(apr_proc_mutex_t **mutex, const char **name,
                     const char *type, const char *instance_id, server_rec *s,
                     apr_pool_t *pool, apr_int32_t options)
{
    struct mutex_cfg cfg;
    const char *fname = NULL;
    apr_status_t rv;

    *mutex = NULL;
    rv = prepare(pool, type, instance_id, s, options, &cfg, &fname);
    if (rv != APR_SUCCESS || cfg.none)
        return rv;
    if (name)
        *name = fname;
    rv = apr_proc_mutex_create(mutex, fname, cfg.mech, pool);
    if (rv != APR_SUCCESS) {
        log_create_failure(rv, s, type, fname);
        return rv;
    }
    return ap_unixd_set_proc_mutex_perms(*mutex);
}
