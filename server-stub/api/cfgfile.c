/* cfgfile.c — http_config.h configuration-file readers (ap_configfile_t)
 * and util_varbuf.h's ap_varbuf_cfg_getline.
 *
 * Contract: an ap_configfile_t belongs to the thread reading it; the struct
 * and its name are allocated from the caller's pool. These run in the
 * configuration phase (and .htaccess parsing), so they do not perturb the
 * schedule (see README.md). Lines are returned with leading and trailing
 * whitespace removed and "\\<newline>" continuations joined.
 */
#include <string.h>

#include "apr_file_io.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "util_varbuf.h"

#include "api_internal.h"

/* Messages from here are the core's, as in httpd (module index 0). */
#undef APLOG_MODULE_INDEX
#define APLOG_MODULE_INDEX 0

static apr_status_t file_getch(char *ch, void *param)
{
    return apr_file_getc(ch, param);
}

static apr_status_t file_getstr(void *buf, apr_size_t bufsiz, void *param)
{
    return apr_file_gets(buf, (int)bufsiz, param);
}

static apr_status_t file_close(void *param)
{
    return apr_file_close(param);
}

/* Only regular files (and /dev/null) may be read as configuration. */
static apr_status_t check_regular(apr_file_t *file, const char *name)
{
    apr_finfo_t finfo;
    apr_status_t rv = apr_file_info_get(&finfo, APR_FINFO_TYPE, file);

    if (rv != APR_SUCCESS)
        return rv;
    if (finfo.filetype != APR_REG && strcmp(name, "/dev/null") != 0) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, NULL,
                     "%s is not a regular file: the stub will not read it",
                     name);
        return APR_EBADF;
    }
    return APR_SUCCESS;
}

AP_DECLARE(apr_status_t)
ap_pcfg_openfile(ap_configfile_t **ret_cfg, apr_pool_t *p, const char *name)
{
    apr_file_t *file = NULL;
    ap_configfile_t *cfg;
    apr_status_t rv;

    if (name == NULL) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, NULL,
                     "ap_pcfg_openfile: no file name given");
        return APR_EBADF;
    }
    rv = apr_file_open(&file, name, APR_READ | APR_BUFFERED, APR_OS_DEFAULT, p);
    if (rv != APR_SUCCESS)
        return rv;
    if ((rv = check_regular(file, name)) != APR_SUCCESS) {
        apr_file_close(file);
        return rv;
    }
    cfg = apr_palloc(p, sizeof(*cfg));
    cfg->param = file;
    cfg->name = apr_pstrdup(p, name);
    cfg->getch = file_getch;
    cfg->getstr = file_getstr;
    cfg->close = file_close;
    cfg->line_number = 0;
    *ret_cfg = cfg;
    return APR_SUCCESS;
}

AP_DECLARE(ap_configfile_t *)
ap_pcfg_open_custom(apr_pool_t *p, const char *descr, void *param,
                    apr_status_t (*getc_func)(char *ch, void *param),
                    apr_status_t (*gets_func)(void *buf, apr_size_t bufsize,
                                              void *param),
                    apr_status_t (*close_func)(void *param))
{
    ap_configfile_t *cfg = apr_palloc(p, sizeof(*cfg));

    cfg->param = param;
    cfg->name = descr;
    cfg->getch = getc_func;
    cfg->getstr = gets_func;
    cfg->close = close_func;
    cfg->line_number = 0;
    return cfg;
}

AP_DECLARE(int) ap_cfg_closefile(ap_configfile_t *cfp)
{
    return cfp->close ? cfp->close(cfp->param) : 0;
}

AP_DECLARE(apr_status_t) ap_cfg_getc(char *ch, ap_configfile_t *cfp)
{
    apr_status_t rc = cfp->getch(ch, cfp->param);

    if (rc == APR_SUCCESS && *ch == LF)
        ++cfp->line_number;
    return rc;
}

AP_DECLARE(const char *)
ap_pcfg_strerror(apr_pool_t *p, ap_configfile_t *cfp, apr_status_t rc)
{
    if (rc == APR_SUCCESS)
        return NULL;
    if (rc == APR_ENOSPC)
        return apr_psprintf(p, "Error reading %s at line %u: Line too long",
                            cfp->name, cfp->line_number);
    return apr_psprintf(p, "Error reading %s at line %u: %pm", cfp->name,
                        cfp->line_number, &rc);
}

/* Read one line with getstr into buf+offset; joins continuations. */
static apr_status_t getline_str(char *buf, apr_size_t bufsize,
                                apr_size_t offset, ap_configfile_t *cfp)
{
    char *cbuf = buf + offset;
    apr_size_t cbufsize = bufsize - offset;

    for (;;) {
        apr_status_t rc;
        char *cp;

        ++cfp->line_number;
        rc = cfp->getstr(cbuf, cbufsize, cfp->param);
        if (rc == APR_EOF && cbuf != buf + offset) {
            *cbuf = '\0'; /* EOF after a continuation: keep what we have */
            return APR_SUCCESS;
        }
        if (rc != APR_SUCCESS)
            return rc;
        cp = cbuf + strlen(cbuf);
        if (cp > buf && cp[-1] == LF) {
            --cp;
            if (cp > buf && cp[-1] == CR)
                --cp;
            if (cp > buf && cp[-1] == '\\') {
                --cp; /* continuation: next read overwrites "\\\n" */
                cbufsize -= (apr_size_t)(cp - cbuf);
                cbuf = cp;
                continue;
            }
        } else if ((apr_size_t)(cp - buf) >= bufsize - 1) {
            return APR_ENOSPC;
        }
        return APR_SUCCESS;
    }
}

/* Read one line character by character (custom readers without getstr). */
static apr_status_t getline_chars(char *buf, apr_size_t bufsize,
                                  apr_size_t offset, ap_configfile_t *cfp)
{
    apr_size_t i = offset;

    if (bufsize < 2)
        return APR_EINVAL;
    buf[offset] = '\0';
    for (;;) {
        char c;
        apr_status_t rc = cfp->getch(&c, cfp->param);
        if (rc == APR_EOF && i > offset)
            break;
        if (rc != APR_SUCCESS)
            return rc;
        if (c == LF) {
            ++cfp->line_number;
            if (i > 0 && buf[i - 1] == '\\') {
                --i;
                continue;
            }
            break;
        }
        buf[i++] = c;
        if (i >= bufsize - 1)
            return APR_ENOSPC;
    }
    buf[i] = '\0';
    return APR_SUCCESS;
}

static apr_status_t getline_core(char *buf, apr_size_t bufsize,
                                 apr_size_t offset, ap_configfile_t *cfp)
{
    if (cfp->getstr)
        return getline_str(buf, bufsize, offset, cfp);
    return getline_chars(buf, bufsize, offset, cfp);
}

/* Strip leading and trailing whitespace in place; returns the length. */
static apr_size_t trim_line(char *buf)
{
    char *start = buf, *end;

    while (apr_isspace(*start))
        ++start;
    end = start + strlen(start);
    while (end > start && apr_isspace(end[-1]))
        --end;
    *end = '\0';
    if (start != buf)
        memmove(buf, start, (apr_size_t)(end - start) + 1);
    return (apr_size_t)(end - start);
}

AP_DECLARE(apr_status_t)
ap_cfg_getline(char *buf, apr_size_t bufsize, ap_configfile_t *cfp)
{
    apr_status_t rc = getline_core(buf, bufsize, 0, cfp);

    if (rc == APR_SUCCESS)
        trim_line(buf);
    return rc;
}

static apr_size_t min_size(apr_size_t a, apr_size_t b)
{
    return a < b ? a : b;
}

/* Like ap_cfg_getline, growing vb (up to max_len) for long lines. */
AP_DECLARE(apr_status_t)
ap_varbuf_cfg_getline(struct ap_varbuf *vb, ap_configfile_t *cfp,
                      apr_size_t max_len)
{
    apr_status_t rc;

    if (vb->avail < 3)
        mc__varbuf_grow(
            vb, min_size(max_len, 3 > 2 * vb->avail ? 3 : 2 * vb->avail));
    vb->strlen = 0;
    vb->buf[0] = '\0';
    for (;;) {
        rc = getline_core(vb->buf, vb->avail, vb->strlen, cfp);
        if (rc == APR_ENOSPC || rc == APR_SUCCESS)
            vb->strlen += strlen(vb->buf + vb->strlen);
        if (rc != APR_ENOSPC)
            break;
        if (vb->avail >= max_len)
            return APR_ENOSPC;
        mc__varbuf_grow(vb, min_size(2 * vb->avail, max_len));
        --cfp->line_number; /* the same line continues */
    }
    if (vb->strlen > max_len)
        return APR_ENOSPC;
    if (rc == APR_SUCCESS)
        vb->strlen = trim_line(vb->buf);
    return rc;
}
