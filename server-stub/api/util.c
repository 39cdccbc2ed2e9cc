/* util.c — httpd.h string and word helpers (httpd 2.4 semantics).
 *
 * Contract: every function here is pure with respect to shared state: it
 * reads its arguments and allocates results from the pool it is given (the
 * caller owns the pool, and pools are not thread-safe, so each thread must
 * pass its own). Thread-safe given per-thread pools. Each exported function
 * calls MC_API_ENTER() once on entry.
 */
#include <string.h>

#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_tables.h"

#include "httpd.h"

#include "api_internal.h"

/* httpd.h maps these to the C library in non-debug builds; httpd still
 * exports the functions, so modules built with AP_DEBUG can import them. */
#undef ap_strchr
#undef ap_strchr_c
#undef ap_strrchr
#undef ap_strrchr_c
#undef ap_strstr
#undef ap_strstr_c

/* ---- words ---------------------------------------------------------- */

static char *getword_stop(apr_pool_t *p, const char **line, char stop)
{
    const char *pos = *line;
    char *res;

    while (*pos && *pos != stop)
        ++pos;
    res = apr_pstrmemdup(p, *line, pos - *line);
    if (stop)
        while (*pos == stop)
            ++pos;
    *line = pos;
    return res;
}

AP_DECLARE(char *) ap_getword(apr_pool_t *p, const char **line, char stop)
{
    MC_API_ENTER();
    return getword_stop(p, line, stop);
}

AP_DECLARE(char *) ap_getword_nc(apr_pool_t *p, char **line, char stop)
{
    MC_API_ENTER();
    return getword_stop(p, (const char **)line, stop);
}

static char *getword_white(apr_pool_t *p, const char **line)
{
    const char *pos = *line;
    char *res;

    while (*pos && !apr_isspace(*pos))
        ++pos;
    res = apr_pstrmemdup(p, *line, pos - *line);
    while (apr_isspace(*pos))
        ++pos;
    *line = pos;
    return res;
}

AP_DECLARE(char *) ap_getword_white(apr_pool_t *p, const char **line)
{
    MC_API_ENTER();
    return getword_white(p, line);
}

AP_DECLARE(char *) ap_getword_white_nc(apr_pool_t *p, char **line)
{
    MC_API_ENTER();
    return getword_white(p, (const char **)line);
}

/* Like getword, but consecutive stop characters yield empty words. */
static char *getword_nulls(apr_pool_t *p, const char **line, char stop)
{
    const char *pos = strchr(*line, stop);
    char *res;

    if (!pos || !stop) {
        size_t len = strlen(*line);
        res = apr_pstrmemdup(p, *line, len);
        *line += len;
        return res;
    }
    res = apr_pstrmemdup(p, *line, pos - *line);
    *line = pos + 1;
    return res;
}

AP_DECLARE(char *) ap_getword_nulls(apr_pool_t *p, const char **line, char stop)
{
    MC_API_ENTER();
    return getword_nulls(p, line, stop);
}

AP_DECLARE(char *) ap_getword_nulls_nc(apr_pool_t *p, char **line, char stop)
{
    MC_API_ENTER();
    return getword_nulls(p, (const char **)line, stop);
}

/* Copy len bytes, turning "\\" into "\" and, inside quotes, "\<quote>" into
 * "<quote>". Other backslashes are kept. */
static char *conf_unescape(apr_pool_t *p, const char *s, size_t len, char quote)
{
    char *out = apr_palloc(p, len + 1);
    char *o = out;
    size_t i;

    for (i = 0; i < len; ++i) {
        if (s[i] == '\\' && i + 1 < len &&
            (s[i + 1] == '\\' || (quote && s[i + 1] == quote))) {
            ++i;
        }
        *o++ = s[i];
    }
    *o = '\0';
    return out;
}

static const char *skip_space(const char *s)
{
    while (apr_isspace(*s))
        ++s;
    return s;
}

/* End of a quoted word starting after the opening quote. */
static const char *quoted_end(const char *s, char quote)
{
    while (*s && *s != quote) {
        if (s[0] == '\\' && (s[1] == quote || s[1] == '\\'))
            s += 2;
        else
            ++s;
    }
    return s;
}

static const char *bare_end(const char *s)
{
    while (*s && !apr_isspace(*s))
        ++s;
    return s;
}

static char *getword_conf(apr_pool_t *p, const char **line)
{
    const char *str = skip_space(*line);
    const char *end;
    char *res;
    char quote = *str;

    if (!*str) {
        *line = str;
        return "";
    }
    if (quote == '"' || quote == '\'') {
        end = quoted_end(str + 1, quote);
        res = conf_unescape(p, str + 1, end - str - 1, quote);
        if (*end == quote)
            ++end;
    } else {
        end = bare_end(str);
        res = conf_unescape(p, str, end - str, 0);
    }
    *line = skip_space(end);
    return res;
}

AP_DECLARE(char *) ap_getword_conf(apr_pool_t *p, const char **line)
{
    MC_API_ENTER();
    return getword_conf(p, line);
}

AP_DECLARE(char *) ap_getword_conf_nc(apr_pool_t *p, char **line)
{
    MC_API_ENTER();
    return getword_conf(p, (const char **)line);
}

/* End of a {...} word starting after the opening brace (nesting counts). */
static const char *brace_end(const char *s)
{
    int depth = 1;

    while (*s) {
        if (*s == '}' && --depth == 0)
            break;
        if (*s == '{')
            ++depth;
        if (s[0] == '\\' && s[1] == '\\')
            ++s;
        ++s;
    }
    return s;
}

static char *getword_conf2(apr_pool_t *p, const char **line)
{
    const char *str = skip_space(*line);
    const char *end;
    char *res;

    if (*str == '"' || *str == '\'' || !*str)
        return getword_conf(p, line);
    if (*str == '{') {
        end = brace_end(str + 1);
        res = conf_unescape(p, str + 1, end - str - 1, 0);
        if (*end == '}')
            ++end;
    } else {
        end = bare_end(str);
        res = conf_unescape(p, str, end - str, 0);
    }
    *line = skip_space(end);
    return res;
}

AP_DECLARE(char *) ap_getword_conf2(apr_pool_t *p, const char **line)
{
    MC_API_ENTER();
    return getword_conf2(p, line);
}

AP_DECLARE(char *) ap_getword_conf2_nc(apr_pool_t *p, char **line)
{
    MC_API_ENTER();
    return getword_conf2(p, (const char **)line);
}

/* ---- wildcard matching ---------------------------------------------- */

/* Returns 0 match, 1 mismatch, -1 "abort" (str ran out), as httpd does. */
static int wild_match(const char *str, const char *pat, int icase)
{
    size_t x = 0, y = 0;

    for (; pat[y]; ++y, ++x) {
        if (!str[x] && pat[y] != '*')
            return -1;
        if (pat[y] == '*') {
            while (pat[++y] == '*')
                ;
            if (!pat[y])
                return 0;
            while (str[x]) {
                int ret = wild_match(&str[x++], &pat[y], icase);
                if (ret != 1)
                    return ret;
            }
            return -1;
        }
        if (pat[y] == '?')
            continue;
        if (icase ? apr_tolower(str[x]) != apr_tolower(pat[y])
                  : str[x] != pat[y])
            return 1;
    }
    return str[x] != '\0';
}

AP_DECLARE(int) ap_strcmp_match(const char *str, const char *expected)
{
    MC_API_ENTER();
    return wild_match(str, expected, 0);
}

AP_DECLARE(int) ap_strcasecmp_match(const char *str, const char *expected)
{
    MC_API_ENTER();
    return wild_match(str, expected, 1);
}

AP_DECLARE(int) ap_is_matchexp(const char *str)
{
    MC_API_ENTER();
    return strpbrk(str, "*?") != NULL;
}

/* ---- searching and case --------------------------------------------- */

AP_DECLARE(char *) ap_strcasestr(const char *s1, const char *s2)
{
    MC_API_ENTER();
    for (;; ++s1) {
        size_t i = 0;
        while (s2[i] && apr_tolower(s1[i]) == apr_tolower(s2[i]))
            ++i;
        if (!s2[i])
            return (char *)s1;
        if (!*s1)
            return NULL;
    }
}

AP_DECLARE(const char *)
ap_stripprefix(const char *bigstring, const char *prefix)
{
    size_t n = strlen(prefix);

    MC_API_ENTER();
    if (n == 0 || strncmp(bigstring, prefix, n) != 0)
        return bigstring;
    return bigstring + n;
}

AP_DECLARE(int) ap_ind(const char *str, char c)
{
    const char *p;

    MC_API_ENTER();
    p = strchr(str, c);
    return p ? (int)(p - str) : -1;
}

AP_DECLARE(int) ap_rind(const char *str, char c)
{
    const char *p;

    MC_API_ENTER();
    p = strrchr(str, c);
    return p ? (int)(p - str) : -1;
}

static void lower_in_place(char *s)
{
    for (; *s; ++s)
        *s = (char)apr_tolower(*s);
}

AP_DECLARE(void) ap_str_tolower(char *s)
{
    MC_API_ENTER();
    lower_in_place(s);
}

AP_DECLARE(void) ap_str_toupper(char *s)
{
    MC_API_ENTER();
    for (; *s; ++s)
        *s = (char)apr_toupper(*s);
}

/* Lowercase the type/subtype only: parameter values are case-sensitive. */
AP_DECLARE(void) ap_content_type_tolower(char *s)
{
    MC_API_ENTER();
    for (; *s && *s != ';'; ++s)
        *s = (char)apr_tolower(*s);
}

AP_DECLARE(char *) ap_field_noparam(apr_pool_t *p, const char *intype)
{
    const char *semi;

    MC_API_ENTER();
    if (intype == NULL)
        return NULL;
    semi = strchr(intype, ';');
    if (!semi)
        return apr_pstrdup(p, intype);
    while (semi > intype && apr_isspace(semi[-1]))
        --semi;
    return apr_pstrmemdup(p, intype, semi - intype);
}

/* ASCII-only case folding, independent of the locale. */
static int ascii_fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int cstr_casecmpn(const char *s1, const char *s2, apr_size_t n)
{
    const unsigned char *a = (const unsigned char *)s1;
    const unsigned char *b = (const unsigned char *)s2;

    for (; n; --n, ++a, ++b) {
        int d = ascii_fold(*a) - ascii_fold(*b);
        if (d || !*a)
            return d;
    }
    return 0;
}

AP_DECLARE(int) ap_cstr_casecmp(const char *s1, const char *s2)
{
    MC_API_ENTER();
    return cstr_casecmpn(s1, s2, (apr_size_t)-1);
}

AP_DECLARE(int) ap_cstr_casecmpn(const char *s1, const char *s2, apr_size_t n)
{
    MC_API_ENTER();
    return cstr_casecmpn(s1, s2, n);
}

static int array_str_index(const apr_array_header_t *array, const char *s,
                           int start)
{
    int i;

    if (start < 0)
        return -1;
    for (i = start; i < array->nelts; ++i)
        if (strcmp(APR_ARRAY_IDX(array, i, const char *), s) == 0)
            return i;
    return -1;
}

AP_DECLARE(int)
ap_array_str_index(const apr_array_header_t *array, const char *s, int start)
{
    MC_API_ENTER();
    return array_str_index(array, s, start);
}

AP_DECLARE(int)
ap_array_str_contains(const apr_array_header_t *array, const char *s)
{
    MC_API_ENTER();
    return array_str_index(array, s, 0) >= 0;
}

AP_DECLARE(char *) ap_strchr(char *s, int c)
{
    MC_API_ENTER();
    return strchr(s, c);
}

AP_DECLARE(const char *) ap_strchr_c(const char *s, int c)
{
    MC_API_ENTER();
    return strchr(s, c);
}

AP_DECLARE(char *) ap_strrchr(char *s, int c)
{
    MC_API_ENTER();
    return strrchr(s, c);
}

AP_DECLARE(const char *) ap_strrchr_c(const char *s, int c)
{
    MC_API_ENTER();
    return strrchr(s, c);
}

AP_DECLARE(char *) ap_strstr(char *s, const char *c)
{
    MC_API_ENTER();
    return strstr(s, c);
}

AP_DECLARE(const char *) ap_strstr_c(const char *s, const char *c)
{
    MC_API_ENTER();
    return strstr(s, c);
}

/* ---- small transforms ------------------------------------------------ */

static void str2_alnum(const char *src, char *dest)
{
    for (; *src; ++src, ++dest) {
        if (!apr_isprint(*src))
            *dest = 'x';
        else if (!apr_isalnum(*src))
            *dest = '_';
        else
            *dest = *src;
    }
    *dest = '\0';
}

AP_DECLARE(apr_status_t) ap_str2_alnum(const char *src, char *dest)
{
    MC_API_ENTER();
    str2_alnum(src, dest);
    return APR_SUCCESS;
}

AP_DECLARE(apr_status_t)
ap_pstr2_alnum(apr_pool_t *p, const char *src, const char **dest)
{
    char *out;

    MC_API_ENTER();
    out = apr_palloc(p, strlen(src) + 1);
    str2_alnum(src, out);
    *dest = out;
    return APR_SUCCESS;
}

AP_DECLARE(void) ap_bin2hex(const void *src, apr_size_t srclen, char *dest)
{
    const unsigned char *in = src;
    apr_size_t i;

    MC_API_ENTER();
    for (i = 0; i < srclen; ++i) {
        *dest++ = MC__HEX_LOWER[in[i] >> 4];
        *dest++ = MC__HEX_LOWER[in[i] & 0xf];
    }
    *dest = '\0';
}

/* Insert a backslash before every '"' not already escaped; a backslash
 * escapes the next byte unless it is the last byte. */
AP_DECLARE(char *) ap_escape_quotes(apr_pool_t *p, const char *instring)
{
    size_t n = 0;
    const char *s;
    char *out, *o;

    MC_API_ENTER();
    for (s = instring; *s; ++s, ++n) {
        if (*s == '\\' && s[1]) {
            ++s;
            ++n;
        } else if (*s == '"') {
            ++n;
        }
    }
    o = out = apr_palloc(p, n + 1);
    for (s = instring; *s; ++s) {
        if (*s == '\\' && s[1]) {
            *o++ = *s++;
        } else if (*s == '"') {
            *o++ = '\\';
        }
        *o++ = *s;
    }
    *o = '\0';
    return out;
}
