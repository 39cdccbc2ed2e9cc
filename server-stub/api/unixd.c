/* unixd.c — unixd.h mutex permission helpers and the ap_unixd_config data
 * symbol; mpm_common.h ap_uname2id / ap_gname2id.
 *
 * Contract: ap_unixd_config is process state the host fills in the
 * configuration phase (User/Group; the host's defaults are its own euid and
 * egid) and only reads afterwards. The *_mutex_perms functions hand a
 * SysV semaphore or flock lock file to that user when the process runs as
 * root, and do nothing otherwise. Each exported function calls
 * MC_API_ENTER() once on entry.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>
#include <unistd.h>

#include "apr_global_mutex.h"
#include "apr_portable.h"
#include "apr_proc_mutex.h"

#include "httpd.h"
#include "http_log.h"
#include "mpm_common.h"
#include "unixd.h"

#include "api_internal.h"

#undef APLOG_MODULE_INDEX
#define APLOG_MODULE_INDEX 0

/* Written by the configuration phase only (see contract). */
AP_DECLARE_DATA unixd_config_rec ap_unixd_config = {
    DEFAULT_USER, DEFAULT_GROUP, (uid_t)-1, (gid_t)-1, 0, NULL, NULL};

static apr_status_t sysvsem_perms(apr_proc_mutex_t *pmutex)
{
    apr_os_proc_mutex_t os;
    struct semid_ds ds;
    union {
        int val;
        struct semid_ds *buf;
        unsigned short *array;
    } arg;

    if (apr_os_proc_mutex_get(&os, pmutex) != APR_SUCCESS)
        return APR_EGENERAL;
    memset(&ds, 0, sizeof(ds));
    ds.sem_perm.uid = ap_unixd_config.user_id;
    ds.sem_perm.gid = ap_unixd_config.group_id;
    ds.sem_perm.mode = 0600;
    arg.buf = &ds;
    if (semctl(os.crossproc, 0, IPC_SET, arg) < 0)
        return errno;
    return APR_SUCCESS;
}

static apr_status_t proc_mutex_perms(apr_proc_mutex_t *pmutex)
{
    const char *lockfile;

    /* Only root can hand the lock over; with no User configured
     * (user_id -1) there is nobody to hand it to. */
    if (geteuid() != 0 || ap_unixd_config.user_id == (uid_t)-1)
        return APR_SUCCESS;
    switch (apr_proc_mutex_mech(pmutex)) {
        case APR_LOCK_SYSVSEM:
            return sysvsem_perms(pmutex);
        case APR_LOCK_FLOCK:
            lockfile = apr_proc_mutex_lockfile(pmutex);
            if (lockfile &&
                chown(lockfile, ap_unixd_config.user_id, (gid_t)-1) < 0)
                return errno;
            return APR_SUCCESS;
        default:
            return APR_SUCCESS; /* fcntl, pthread, posixsem: nothing to do */
    }
}

AP_DECLARE(apr_status_t) ap_unixd_set_proc_mutex_perms(apr_proc_mutex_t *pmutex)
{
    MC_API_ENTER();
    return proc_mutex_perms(pmutex);
}

AP_DECLARE(apr_status_t)
ap_unixd_set_global_mutex_perms(apr_global_mutex_t *gmutex)
{
    apr_os_global_mutex_t os;

    MC_API_ENTER();
    if (apr_os_global_mutex_get(&os, gmutex) != APR_SUCCESS)
        return APR_EGENERAL;
    return proc_mutex_perms(os.proc_mutex);
}

/* "#123" is a numeric id; otherwise look the name up. httpd exits on an
 * unknown name; the stub logs and returns -1 (only main() exits here). */
AP_DECLARE(uid_t) ap_uname2id(const char *name)
{
    struct passwd pw, *res = NULL;
    char buf[4096];

    MC_API_ENTER();
    if (name[0] == '#')
        return (uid_t)atol(name + 1);
    if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) != 0 || !res) {
        ap_log_error(APLOG_MARK, APLOG_ALERT, 0, NULL, "bad user name %s",
                     name);
        return (uid_t)-1;
    }
    return pw.pw_uid;
}

AP_DECLARE(gid_t) ap_gname2id(const char *name)
{
    struct group gr, *res = NULL;
    char buf[4096];

    MC_API_ENTER();
    if (name[0] == '#')
        return (gid_t)atol(name + 1);
    if (getgrnam_r(name, &gr, buf, sizeof(buf), &res) != 0 || !res) {
        ap_log_error(APLOG_MARK, APLOG_ALERT, 0, NULL, "bad group name %s",
                     name);
        return (gid_t)-1;
    }
    return gr.gr_gid;
}
