/* config_slots.c — http_config.h generic directive handlers (the
 * ap_set_*_slot family, ap_set_deprecated) and ap_server_root_relative.
 *
 * Contract: slot setters store into the module's config struct at the
 * offset given by cmd->info; strings they store are the caller's argument or
 * copies in cmd->pool. They run while directives are parsed — the
 * configuration phase, or per request for .htaccess files, where the struct
 * is the request's own fresh per-directory config — so they do not perturb
 * the schedule (README.md). ap_server_root_relative reads ap_server_root
 * (set once at configuration time by the host) and allocates from p;
 * it is called at request time too, so it perturbs (so does
 * ap_runtime_dir_relative, which reads ap_runtime_dir, also the host's).
 */
#include <stdlib.h>
#include <string.h>

#include "apr_file_info.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_main.h"

#include "api_internal.h"

static void *slot(cmd_parms *cmd, void *struct_ptr)
{
    return (char *)struct_ptr + (apr_size_t)cmd->info;
}

/* The directive's name, for error messages. */
static const char *directive_name(const cmd_parms *cmd)
{
    if (cmd->directive && cmd->directive->directive)
        return cmd->directive->directive;
    return cmd->cmd ? cmd->cmd->name : "(unknown)";
}

AP_DECLARE_NONSTD(const char *)
ap_set_string_slot(cmd_parms *cmd, void *struct_ptr, const char *arg)
{
    *(const char **)slot(cmd, struct_ptr) = arg;
    return NULL;
}

AP_DECLARE_NONSTD(const char *)
ap_set_string_slot_lower(cmd_parms *cmd, void *struct_ptr, const char *arg)
{
    char *copy = apr_pstrdup(cmd->pool, arg);
    char *c;

    for (c = copy; *c; ++c)
        *c = (char)apr_tolower(*c);
    *(char **)slot(cmd, struct_ptr) = copy;
    return NULL;
}

AP_DECLARE_NONSTD(const char *)
ap_set_flag_slot(cmd_parms *cmd, void *struct_ptr, int arg)
{
    *(int *)slot(cmd, struct_ptr) = arg ? 1 : 0;
    return NULL;
}

AP_DECLARE_NONSTD(const char *)
ap_set_flag_slot_char(cmd_parms *cmd, void *struct_ptr, int arg)
{
    *(char *)slot(cmd, struct_ptr) = arg ? 1 : 0;
    return NULL;
}

/* Like httpd, the parsed value is stored even when the argument has
 * trailing garbage; the error message is what stops the configuration. */
AP_DECLARE_NONSTD(const char *)
ap_set_int_slot(cmd_parms *cmd, void *struct_ptr, const char *arg)
{
    char *end = NULL;

    *(int *)slot(cmd, struct_ptr) = (int)strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0')
        return apr_psprintf(cmd->pool, "%s wants a whole number",
                            directive_name(cmd));
    return NULL;
}

static char *merge_relative(apr_pool_t *p, const char *root, const char *fname)
{
    char *newpath = NULL;
    apr_status_t rv;

    rv = apr_filepath_merge(&newpath, root, fname, APR_FILEPATH_TRUENAME, p);
    if (newpath && (rv == APR_SUCCESS || APR_STATUS_IS_EPATHWILD(rv) ||
                    APR_STATUS_IS_ENOENT(rv) || APR_STATUS_IS_ENOTDIR(rv)))
        return newpath;
    return NULL;
}

char *mc__server_root_relative(apr_pool_t *p, const char *fname)
{
    return merge_relative(p, ap_server_root, fname);
}

AP_DECLARE_NONSTD(const char *)
ap_set_file_slot(cmd_parms *cmd, void *struct_ptr, const char *arg)
{
    char *path = mc__server_root_relative(cmd->pool, arg);

    if (!path)
        return apr_pstrcat(cmd->pool, "Invalid file path ", arg, NULL);
    *(const char **)slot(cmd, struct_ptr) = path;
    return NULL;
}

AP_DECLARE_NONSTD(const char *)
ap_set_deprecated(cmd_parms *cmd, void *struct_ptr, const char *arg)
{
    return cmd->cmd->errmsg;
}

/* fname made absolute against ServerRoot (absolute names are kept); NULL
 * if the merge fails for a reason other than a missing or wildcard path. */
AP_DECLARE(char *) ap_server_root_relative(apr_pool_t *p, const char *fname)
{
    MC_API_ENTER();
    return mc__server_root_relative(p, fname);
}

/* Like ap_server_root_relative, against DefaultRuntimeDir (ap_runtime_dir,
 * set by the host) when there is one. */
AP_DECLARE(char *) ap_runtime_dir_relative(apr_pool_t *p, const char *fname)
{
    MC_API_ENTER();
    if (ap_runtime_dir)
        return merge_relative(p, ap_runtime_dir, fname);
    return mc__server_root_relative(p, fname);
}
