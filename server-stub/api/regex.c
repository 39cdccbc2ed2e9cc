/* regex.c — ap_regex.h over PCRE2, plus httpd.h's ap_pregcomp, ap_pregfree,
 * ap_pregsub, ap_pregsub_ex and the ap_rxplus_* helpers.
 *
 * Contract: a compiled ap_regex_t is immutable and may be shared by threads
 * (PCRE2 code is read-only at match time); each ap_regexec call creates and
 * frees its own match data, so matching keeps no shared state. Pool-based
 * functions allocate from the caller's pool (one per thread). The default
 * compile flags are process state written only in the configuration phase
 * (RegexDefaultOptions) and read afterwards. Each exported function calls
 * MC_API_ENTER() once on entry, except ap_regcomp_set_default_cflags
 * (configuration phase only).
 */
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_tables.h"

#include "httpd.h"
#include "ap_regex.h"
#include "http_config.h"
#include "util_varbuf.h"

#include "api_internal.h"

/* Written by the configuration phase only (single-threaded). */
static int default_cflags = AP_REG_DEFAULT;

AP_DECLARE(int) ap_regcomp_get_default_cflags(void)
{
    MC_API_ENTER();
    return default_cflags;
}

AP_DECLARE(void) ap_regcomp_set_default_cflags(int cflags)
{
    default_cflags = cflags;
}

AP_DECLARE(int) ap_regcomp_default_cflag_by_name(const char *name)
{
    MC_API_ENTER();
    if (strcasecmp(name, "ICASE") == 0)
        return AP_REG_ICASE;
    if (strcasecmp(name, "DOTALL") == 0)
        return AP_REG_DOTALL;
    if (strcasecmp(name, "DOLLAR_ENDONLY") == 0)
        return AP_REG_DOLLAR_ENDONLY;
    return 0; /* EXTENDED and unknown names: no flag */
}

AP_DECLARE(const char *) ap_pcre_version_string(int which)
{
    static const char compiled[] =
        APR_STRINGIFY(PCRE2_MAJOR) "." APR_STRINGIFY(PCRE2_MINOR);
    /* pcre2_config() writes into a caller buffer; a per-thread copy keeps
     * the returned pointer valid without shared mutable state. */
    static _Thread_local char loaded[64];

    MC_API_ENTER();
    if (which == AP_REG_PCRE_COMPILED)
        return compiled;
    if (which != AP_REG_PCRE_LOADED)
        return NULL;
    if (pcre2_config(PCRE2_CONFIG_VERSION, loaded) < 0)
        return NULL;
    return loaded;
}

static apr_uint32_t pcre_options(int cflags)
{
    apr_uint32_t options = PCRE2_DUPNAMES;

    if (cflags & AP_REG_ICASE)
        options |= PCRE2_CASELESS;
    if (cflags & AP_REG_NEWLINE)
        options |= PCRE2_MULTILINE;
    if (cflags & AP_REG_DOTALL)
        options |= PCRE2_DOTALL;
    if (cflags & AP_REG_DOLLAR_ENDONLY)
        options |= PCRE2_DOLLAR_ENDONLY;
    return options;
}

static int regcomp(ap_regex_t *preg, const char *pattern, int cflags)
{
    int errcode = 0;
    PCRE2_SIZE erroffset = 0;
    uint32_t capcount = 0;

    if (!(cflags & AP_REG_NO_DEFAULT))
        cflags |= default_cflags;
    preg->re_pcre =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                      pcre_options(cflags), &errcode, &erroffset, NULL);
    preg->re_erroffset = erroffset;
    if (preg->re_pcre == NULL)
        return errcode == PCRE2_ERROR_NOMEMORY ? AP_REG_ESPACE : AP_REG_INVARG;
    pcre2_pattern_info(preg->re_pcre, PCRE2_INFO_CAPTURECOUNT, &capcount);
    preg->re_nsub = (int)capcount;
    return 0;
}

AP_DECLARE(int) ap_regcomp(ap_regex_t *preg, const char *pattern, int cflags)
{
    MC_API_ENTER();
    return regcomp(preg, pattern, cflags);
}

static void regfree_(ap_regex_t *preg)
{
    pcre2_code_free(preg->re_pcre);
    preg->re_pcre = NULL;
}

AP_DECLARE(void) ap_regfree(ap_regex_t *preg)
{
    MC_API_ENTER();
    regfree_(preg);
}

static int map_match_error(int rc)
{
    if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
        return AP_REG_INVARG;
    switch (rc) {
        case PCRE2_ERROR_NOMATCH:
            return AP_REG_NOMATCH;
        case PCRE2_ERROR_NULL:
        case PCRE2_ERROR_BADOPTION:
        case PCRE2_ERROR_BADMAGIC:
            return AP_REG_INVARG;
        case PCRE2_ERROR_NOMEMORY:
        case PCRE2_ERROR_MATCHLIMIT:
            return AP_REG_ESPACE;
        default:
            return AP_REG_ASSERT;
    }
}

/* Copy up to nmatch captures; unused slots (and unset groups) get -1. */
static void fill_pmatch(pcre2_match_data *md, int rc, apr_size_t nmatch,
                        ap_regmatch_t *pmatch)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    apr_size_t n =
        (rc == 0 || (apr_size_t)rc > nmatch) ? nmatch : (apr_size_t)rc;
    apr_size_t i;

    for (i = 0; i < n; ++i) {
        pmatch[i].rm_so = ov[2 * i] == PCRE2_UNSET ? -1 : (int)ov[2 * i];
        pmatch[i].rm_eo =
            ov[2 * i + 1] == PCRE2_UNSET ? -1 : (int)ov[2 * i + 1];
    }
    for (; i < nmatch; ++i)
        pmatch[i].rm_so = pmatch[i].rm_eo = -1;
}

static int regexec_len(const ap_regex_t *preg, const char *buff, apr_size_t len,
                       apr_size_t nmatch, ap_regmatch_t *pmatch, int eflags)
{
    uint32_t options = 0;
    pcre2_match_data *md;
    int rc;

    md = pcre2_match_data_create((uint32_t)preg->re_nsub + 1, NULL);
    if (!md)
        return AP_REG_ESPACE;
    if (eflags & AP_REG_NOTBOL)
        options |= PCRE2_NOTBOL;
    if (eflags & AP_REG_NOTEOL)
        options |= PCRE2_NOTEOL;
    rc =
        pcre2_match(preg->re_pcre, (PCRE2_SPTR)buff, len, 0, options, md, NULL);
    if (rc >= 0)
        fill_pmatch(md, rc, nmatch, pmatch);
    pcre2_match_data_free(md);
    return rc >= 0 ? 0 : map_match_error(rc);
}

AP_DECLARE(int)
ap_regexec(const ap_regex_t *preg, const char *string, apr_size_t nmatch,
           ap_regmatch_t *pmatch, int eflags)
{
    MC_API_ENTER();
    return regexec_len(preg, string, strlen(string), nmatch, pmatch, eflags);
}

AP_DECLARE(int)
ap_regexec_len(const ap_regex_t *preg, const char *buff, apr_size_t len,
               apr_size_t nmatch, ap_regmatch_t *pmatch, int eflags)
{
    MC_API_ENTER();
    return regexec_len(preg, buff, len, nmatch, pmatch, eflags);
}

static const char *const reg_messages[] = {
    "",                     /* 0 */
    "internal error",       /* AP_REG_ASSERT */
    "failed to get memory", /* AP_REG_ESPACE */
    "bad argument",         /* AP_REG_INVARG */
    "match failed"          /* AP_REG_NOMATCH */
};

/* Message for errcode, plus " at offset N" (N left-aligned in 6 columns)
 * when preg carries a compile error offset and the buffer is big enough.
 * Returns the size needed for the full message. */
AP_DECLARE(apr_size_t)
ap_regerror(int errcode, const ap_regex_t *preg, char *errbuf,
            apr_size_t errbuf_size)
{
    const char *msg;
    apr_size_t len, addlen;

    MC_API_ENTER();
    msg = (errcode < 0 ||
           errcode >= (int)(sizeof(reg_messages) / sizeof(reg_messages[0])))
              ? "unknown error code"
              : reg_messages[errcode];
    len = strlen(msg) + 1;
    addlen =
        (preg && (int)preg->re_erroffset != -1) ? strlen(" at offset ") + 6 : 0;
    if (errbuf_size > 0) {
        if (addlen > 0 && errbuf_size >= len + addlen)
            apr_snprintf(errbuf, errbuf_size, "%s at offset %-6d", msg,
                         (int)preg->re_erroffset);
        else
            apr_cpystrn(errbuf, msg, errbuf_size);
    }
    return len + addlen;
}

/* Fill names[capture] for every named group; returns the name count. */
AP_DECLARE(int)
ap_regname(const ap_regex_t *preg, apr_array_header_t *names,
           const char *prefix, int upper)
{
    uint32_t count = 0, entry = 0, i;
    PCRE2_SPTR table = NULL;

    MC_API_ENTER();
    pcre2_pattern_info(preg->re_pcre, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(preg->re_pcre, PCRE2_INFO_NAMEENTRYSIZE, &entry);
    pcre2_pattern_info(preg->re_pcre, PCRE2_INFO_NAMETABLE, &table);
    for (i = 0; i < count; ++i) {
        const char *e = (const char *)table + (apr_size_t)i * entry;
        int capture = ((unsigned char)e[0] << 8) | (unsigned char)e[1];
        char *name;
        while (names->nelts <= capture)
            *(const char **)apr_array_push(names) = NULL;
        if (!upper && !prefix) {
            APR_ARRAY_IDX(names, capture, const char *) = e + 2;
            continue;
        }
        name = apr_pstrcat(names->pool, prefix ? prefix : "", e + 2, NULL);
        if (upper)
            for (char *c = name; *c; ++c)
                *c = (char)apr_toupper(*c);
        APR_ARRAY_IDX(names, capture, const char *) = name;
    }
    return (int)count;
}

/* ---- pool-managed regexes (httpd.h) ---------------------------------- */

static apr_status_t regex_cleanup(void *preg)
{
    regfree_(preg);
    return APR_SUCCESS;
}

AP_DECLARE(ap_regex_t *)
ap_pregcomp(apr_pool_t *p, const char *pattern, int cflags)
{
    ap_regex_t *preg;
    int err;

    MC_API_ENTER();
    preg = apr_palloc(p, sizeof(*preg));
    err = regcomp(preg, pattern, cflags);
    if (err) {
        if (err == AP_REG_ESPACE)
            ap_abort_on_oom();
        return NULL;
    }
    apr_pool_cleanup_register(p, preg, regex_cleanup, apr_pool_cleanup_null);
    return preg;
}

AP_DECLARE(void) ap_pregfree(apr_pool_t *p, ap_regex_t *reg)
{
    MC_API_ENTER();
    regfree_(reg);
    apr_pool_cleanup_kill(p, reg, regex_cleanup);
}

/* ---- $N substitution -------------------------------------------------- */

/* Capture number at "$N", or -1 for an ordinary character. */
static int capture_ref(const char *src)
{
    return (src[0] == '$' && apr_isdigit(src[1])) ? src[1] - '0' : -1;
}

static apr_size_t capture_len(int no, apr_size_t nmatch,
                              const ap_regmatch_t *pmatch)
{
    if ((apr_size_t)no < nmatch && pmatch[no].rm_so >= 0 &&
        pmatch[no].rm_so < pmatch[no].rm_eo)
        return (apr_size_t)(pmatch[no].rm_eo - pmatch[no].rm_so);
    return 0;
}

/* Walks input once; with out == NULL only measures. "\x" yields x, "$N"
 * the N-th capture (empty if unset or N >= nmatch). */
static apr_size_t regsub_walk(char *out, const char *input, const char *source,
                              apr_size_t nmatch, const ap_regmatch_t *pmatch)
{
    apr_size_t len = 0;
    const char *src = input;

    while (*src) {
        int no = capture_ref(src);
        if (no >= 0) {
            apr_size_t n = capture_len(no, nmatch, pmatch);
            if (out && n)
                memcpy(out + len, source + pmatch[no].rm_so, n);
            len += n;
            src += 2;
            continue;
        }
        if (src[0] == '\\' && src[1])
            ++src;
        if (out)
            out[len] = *src;
        ++len;
        ++src;
    }
    return len;
}

static apr_status_t regsub(apr_pool_t *p, char **result, const char *input,
                           const char *source, apr_size_t nmatch,
                           ap_regmatch_t pmatch[], apr_size_t maxlen)
{
    apr_size_t len;

    *result = NULL;
    if (!source || nmatch > AP_MAX_REG_MATCH)
        return APR_EINVAL;
    len = nmatch ? regsub_walk(NULL, input, source, nmatch, pmatch)
                 : strlen(input);
    if (maxlen > 0 && len >= maxlen)
        return APR_ENOMEM;
    *result = apr_palloc(p, len + 1);
    if (nmatch)
        regsub_walk(*result, input, source, nmatch, pmatch);
    else
        memcpy(*result, input, len);
    (*result)[len] = '\0';
    return APR_SUCCESS;
}

AP_DECLARE(char *)
ap_pregsub(apr_pool_t *p, const char *input, const char *source,
           apr_size_t nmatch, ap_regmatch_t pmatch[])
{
    char *result;

    MC_API_ENTER();
    regsub(p, &result, input, source, nmatch, pmatch, HUGE_STRING_LEN * 8);
    return result;
}

AP_DECLARE(apr_status_t)
ap_pregsub_ex(apr_pool_t *p, char **result, const char *input,
              const char *source, apr_size_t nmatch, ap_regmatch_t pmatch[],
              apr_size_t maxlen)
{
    MC_API_ENTER();
    return regsub(p, result, input, source, nmatch, pmatch, maxlen);
}

/* ---- ap_rxplus: perl-style "s/rx/subs/flags", "m/rx/", "/rx/" -------- */

static apr_status_t rxplus_cleanup(void *rx)
{
    regfree_(rx);
    return APR_SUCCESS;
}

static apr_uint32_t rxplus_flags(const char *f)
{
    apr_uint32_t flags = 0;

    for (; *f; ++f) {
        switch (*f) {
            case 'i':
                flags |= AP_REG_ICASE;
                break;
            case 'm':
                flags |= AP_REG_NEWLINE;
                break;
            case 'n':
                flags |= AP_REG_NOMEM;
                break;
            case 'g':
                flags |= AP_REG_MULTI;
                break;
            case 's':
                flags |= AP_REG_DOTALL;
                break;
            case '^':
                flags |= AP_REG_NOTBOL;
                break;
            case '$':
                flags |= AP_REG_NOTEOL;
                break;
            default:
                break;
        }
    }
    return flags;
}

/* 1 + number of unescaped '(' : how many captures to keep. */
static apr_size_t rxplus_nmatch(const char *rx)
{
    apr_size_t n = 1;

    for (; *rx; ++rx) {
        if (*rx == '\\' && rx[1])
            ++rx;
        else if (*rx == '(')
            ++n;
    }
    return n;
}

static int rxplus_compile_rx(apr_pool_t *pool, ap_rxplus_t *ret, const char *rx,
                             int cflags)
{
    if (regcomp(&ret->rx, rx, cflags) != 0)
        return 0;
    apr_pool_cleanup_register(pool, &ret->rx, rxplus_cleanup,
                              apr_pool_cleanup_null);
    return 1;
}

AP_DECLARE(ap_rxplus_t *)
ap_rxplus_compile(apr_pool_t *pool, const char *pattern)
{
    ap_rxplus_t *ret;
    const char *str = pattern, *endp = NULL;
    const char *rxstr;
    char delim = 0;
    int subst = 0;

    MC_API_ENTER();
    ret = apr_pcalloc(pool, sizeof(*ret));
    if (!apr_isalnum(pattern[0])) {
        delim = *str++;
    } else if ((pattern[0] == 's' || pattern[0] == 'm') && pattern[1] &&
               !apr_isalnum(pattern[1])) {
        subst = pattern[0] == 's';
        delim = pattern[1];
        str += 2;
    }
    if (delim)
        endp = strchr(str, delim);
    if (!endp) /* no delimiters: the whole pattern is the regex */
        return rxplus_compile_rx(pool, ret, pattern, 0) ? ret : NULL;
    rxstr = apr_pstrmemdup(pool, str, endp - str);
    if (subst) {
        str = endp + 1;
        if (!*str || (endp = strchr(str, delim)) == NULL)
            return NULL; /* a substitution needs its replacement */
        ret->subs = apr_pstrmemdup(pool, str, endp - str);
    }
    ret->flags = rxplus_flags(endp + 1);
    if (!rxplus_compile_rx(pool, ret, rxstr, (int)ret->flags))
        return NULL;
    if (!(ret->flags & AP_REG_NOMEM)) {
        ret->nmatch = rxplus_nmatch(rxstr);
        ret->pmatch = apr_palloc(pool, ret->nmatch * sizeof(ap_regmatch_t));
    }
    return ret;
}

static int rxplus_exec(apr_pool_t *pool, ap_rxplus_t *rx, const char *pattern,
                       char **newpattern);

/* Replace the match in pattern by its substitution (recursing for /g). */
static int rxplus_substitute(apr_pool_t *pool, ap_rxplus_t *rx,
                             const char *pattern, char **newpattern)
{
    int ret = 1;
    char *rep, *rest_new = NULL;
    apr_size_t start, oldl;
    const char *rest;

    if (regsub(pool, &rep, rx->subs, pattern, rx->nmatch, rx->pmatch,
               HUGE_STRING_LEN * 8) != APR_SUCCESS)
        return 0;
    start = (apr_size_t)rx->pmatch[0].rm_so;
    oldl = (apr_size_t)(rx->pmatch[0].rm_eo - rx->pmatch[0].rm_so);
    rest = pattern + start + oldl;
    if ((rx->flags & AP_REG_MULTI) && *rest) {
        int more = rxplus_exec(pool, rx, rest, &rest_new);
        if (more > 0 && rest_new) {
            ret += more;
            rest = rest_new;
        }
    }
    *newpattern = apr_pstrcat(pool, apr_pstrmemdup(pool, pattern, start), rep,
                              rest, NULL);
    return ret;
}

static int rxplus_exec(apr_pool_t *pool, ap_rxplus_t *rx, const char *pattern,
                       char **newpattern)
{
    if (regexec_len(&rx->rx, pattern, strlen(pattern), rx->nmatch, rx->pmatch,
                    (int)rx->flags) != 0) {
        rx->match = NULL;
        return 0;
    }
    rx->match = pattern;
    if (!rx->subs)
        return 1;
    return rxplus_substitute(pool, rx, pattern, newpattern);
}

/* Returns the number of matches (0 none); with a substitution, *newpattern
 * receives the rewritten string. */
AP_DECLARE(int)
ap_rxplus_exec(apr_pool_t *pool, ap_rxplus_t *rx, const char *pattern,
               char **newpattern)
{
    MC_API_ENTER();
    return rxplus_exec(pool, rx, pattern, newpattern);
}

static void rxplus_match(ap_rxplus_t *rx, int n, int *len, const char **match)
{
    if (n >= 0 && (apr_size_t)n < ap_rxplus_nmatch(rx) &&
        rx->pmatch[n].rm_so >= 0) {
        *match = rx->match + rx->pmatch[n].rm_so;
        *len = rx->pmatch[n].rm_eo - rx->pmatch[n].rm_so;
    } else {
        *len = -1;
        *match = NULL;
    }
}

AP_DECLARE(void)
ap_rxplus_match(ap_rxplus_t *rx, int n, int *len, const char **match)
{
    MC_API_ENTER();
    rxplus_match(rx, n, len, match);
}

AP_DECLARE(char *) ap_rxplus_pmatch(apr_pool_t *pool, ap_rxplus_t *rx, int n)
{
    const char *match;
    int len;

    MC_API_ENTER();
    rxplus_match(rx, n, &len, &match);
    return match ? apr_pstrmemdup(pool, match, (apr_size_t)len) : NULL;
}

/* Like ap_pregsub, appending to vb (util_varbuf.h). */
AP_DECLARE(apr_status_t)
ap_varbuf_regsub(struct ap_varbuf *vb, const char *input, const char *source,
                 apr_size_t nmatch, ap_regmatch_t pmatch[], apr_size_t maxlen)
{
    apr_size_t len;

    MC_API_ENTER();
    if (!source || nmatch > AP_MAX_REG_MATCH)
        return APR_EINVAL;
    len = nmatch ? regsub_walk(NULL, input, source, nmatch, pmatch)
                 : strlen(input);
    if (maxlen > 0 && len >= maxlen)
        return APR_ENOMEM;
    if (vb->strlen == AP_VARBUF_UNKNOWN)
        vb->strlen = vb->avail ? strlen(vb->buf) : 0;
    mc__varbuf_grow(vb, vb->strlen + len);
    if (nmatch)
        regsub_walk(vb->buf + vb->strlen, input, source, nmatch, pmatch);
    else
        memcpy(vb->buf + vb->strlen, input, len);
    vb->strlen += len;
    vb->buf[vb->strlen] = '\0';
    return APR_SUCCESS;
}
