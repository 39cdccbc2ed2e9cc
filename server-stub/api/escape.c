/* escape.c — httpd.h URL/HTML/shell/log escaping and %-decoding
 * (httpd 2.4 semantics, Unix character classes).
 *
 * Contract: the unescape functions work in place on the caller's buffer; the
 * escape functions write into a caller buffer (the *_buffer forms, sized
 * 3*strlen+1) or allocate from the caller's pool (one pool per thread). No
 * shared state: thread-safe. Each exported function calls MC_API_ENTER()
 * once on entry.
 */
#include <string.h>

#include "apr_lib.h"
#include "apr_strings.h"

#include "httpd.h"

#include "api_internal.h"

/* ---- character classes ------------------------------------------------ */

/* RFC 1808 path segment: escape all but alnum and these. */
static int esc_path_segment(unsigned char c)
{
    return !apr_isalnum(c) && !strchr("$-_.+!*'(),:@&=~", c);
}

/* OS path to URL: like a segment, but '/' and ';' stay (httpd 2.4.71). */
static int esc_os_path(unsigned char c)
{
    return !apr_isalnum(c) && !strchr("$-_.+!*'(),:;@&=/~", c);
}

/* application/x-www-form-urlencoded: ' ' becomes '+', handled apart. */
static int esc_urlencoded(unsigned char c)
{
    return !apr_isalnum(c) && !strchr(".-*_ ", c);
}

static int esc_shell(unsigned char c)
{
    return c && strchr("&;`'\"|*?~<>^()[]{}$\\\n", c);
}

/* Log items: controls, non-printables (8-bit), '"' and '\\'. */
static int esc_logitem(unsigned char c)
{
    return c && (!apr_isprint(c) || c == '"' || c == '\\' || apr_iscntrl(c));
}

static unsigned char *put_hex(unsigned char *d, unsigned char prefix,
                              unsigned char c)
{
    *d++ = prefix;
    *d++ = (unsigned char)MC__HEX_LOWER[c >> 4];
    *d++ = (unsigned char)MC__HEX_LOWER[c & 0xf];
    return d;
}

/* ---- %-decoding ----------------------------------------------------- */

#define UNESC_KEEP_UNRESERVED AP_UNESCAPE_URL_KEEP_UNRESERVED
#define UNESC_FORBID_SLASHES AP_UNESCAPE_URL_FORBID_SLASHES
#define UNESC_KEEP_SLASHES AP_UNESCAPE_URL_KEEP_SLASHES

static int is_unreserved(unsigned char c)
{
    return apr_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Decode %XX in place. A malformed escape is copied as is and yields
 * HTTP_BAD_REQUEST; a decoded NUL or forbidden '/' is decoded but yields
 * HTTP_NOT_FOUND (bad escape wins); kept escapes stay encoded. */
static int unescape(char *url, unsigned int flags)
{
    int badesc = 0, badpath = 0;
    char *x, *y;

    if (url == NULL || (y = strchr(url, '%')) == NULL)
        return OK;
    for (x = y; *y; ++x, ++y) {
        unsigned char c;
        if (*y != '%') {
            *x = *y;
            continue;
        }
        if (!apr_isxdigit(y[1]) || !apr_isxdigit(y[2])) {
            badesc = 1;
            *x = '%';
            continue;
        }
        c = (unsigned char)(mc__hexval(y[1]) * 16 + mc__hexval(y[2]));
        if (c == '\0' || (c == '/' && (flags & UNESC_FORBID_SLASHES))) {
            badpath = 1;
        } else if ((c == '/' && (flags & UNESC_KEEP_SLASHES)) ||
                   ((flags & UNESC_KEEP_UNRESERVED) && is_unreserved(c))) {
            x[0] = y[0];
            x[1] = y[1];
            x[2] = y[2];
            x += 2;
            y += 2;
            continue;
        }
        *x = (char)c;
        y += 2;
    }
    *x = '\0';
    if (badesc)
        return HTTP_BAD_REQUEST;
    return badpath ? HTTP_NOT_FOUND : OK;
}

int mc__unescape_url(char *url)
{
    return unescape(url, UNESC_FORBID_SLASHES);
}

AP_DECLARE(int) ap_unescape_url(char *url)
{
    MC_API_ENTER();
    return mc__unescape_url(url);
}

AP_DECLARE(int) ap_unescape_url_keep2f(char *url, int decode_slashes)
{
    MC_API_ENTER();
    return unescape(url, decode_slashes ? 0 : UNESC_KEEP_SLASHES);
}

AP_DECLARE(int) ap_unescape_url_ex(char *url, unsigned int flags)
{
    MC_API_ENTER();
    return unescape(url, flags);
}

AP_DECLARE(int) ap_unescape_all(char *url)
{
    MC_API_ENTER();
    return unescape(url, 0);
}

AP_DECLARE(int) ap_unescape_urlencoded(char *query)
{
    char *s;

    MC_API_ENTER();
    for (s = query; s && *s; ++s)
        if (*s == '+')
            *s = ' ';
    return unescape(query, 0);
}

/* ---- %-encoding ----------------------------------------------------- */

static char *escape_class(char *copy, const char *src,
                          int (*esc)(unsigned char))
{
    const unsigned char *s = (const unsigned char *)src;
    unsigned char *d = (unsigned char *)copy;

    for (; *s; ++s) {
        if (esc(*s))
            d = put_hex(d, '%', *s);
        else
            *d++ = *s;
    }
    *d = '\0';
    return copy;
}

AP_DECLARE(char *) ap_escape_path_segment_buffer(char *c, const char *s)
{
    MC_API_ENTER();
    return escape_class(c, s, esc_path_segment);
}

AP_DECLARE(char *) ap_escape_path_segment(apr_pool_t *p, const char *s)
{
    MC_API_ENTER();
    return escape_class(apr_palloc(p, 3 * strlen(s) + 1), s, esc_path_segment);
}

/* A ':' before the first '/' would read as a scheme: prefix "./" unless
 * the path is partial (will be appended after a '/'). */
AP_DECLARE(char *)
ap_os_escape_path(apr_pool_t *p, const char *path, int partial)
{
    char *copy, *d;

    MC_API_ENTER();
    copy = d = apr_palloc(p, 3 * strlen(path) + 3);
    if (!partial) {
        const char *colon = strchr(path, ':');
        const char *slash = strchr(path, '/');
        if (colon && (!slash || colon < slash)) {
            *d++ = '.';
            *d++ = '/';
        }
    }
    escape_class(d, path, esc_os_path);
    return copy;
}

static char *escape_urlencoded(char *copy, const char *src)
{
    const unsigned char *s = (const unsigned char *)src;
    unsigned char *d = (unsigned char *)copy;

    for (; *s; ++s) {
        if (esc_urlencoded(*s))
            d = put_hex(d, '%', *s);
        else
            *d++ = (*s == ' ') ? '+' : *s;
    }
    *d = '\0';
    return copy;
}

AP_DECLARE(char *) ap_escape_urlencoded_buffer(char *c, const char *s)
{
    MC_API_ENTER();
    return escape_urlencoded(c, s);
}

AP_DECLARE(char *) ap_escape_urlencoded(apr_pool_t *p, const char *s)
{
    MC_API_ENTER();
    return escape_urlencoded(apr_palloc(p, 3 * strlen(s) + 1), s);
}

/* ---- HTML, shell ---------------------------------------------------- */

static const char *html_entity(unsigned char c)
{
    switch (c) {
        case '<':
            return "&lt;";
        case '>':
            return "&gt;";
        case '&':
            return "&amp;";
        case '"':
            return "&quot;";
        default:
            return NULL;
    }
}

/* With toasc, bytes >= 0x80 become "&#NNN;". */
char *mc__escape_html(apr_pool_t *p, const char *s, int toasc)
{
    const unsigned char *in = (const unsigned char *)s;
    size_t n = 0;
    char *out, *o;

    for (; *in; ++in) {
        const char *e = html_entity(*in);
        n += e ? strlen(e) : (toasc && *in >= 0x80) ? 6 : 1;
    }
    o = out = apr_palloc(p, n + 1);
    for (in = (const unsigned char *)s; *in; ++in) {
        const char *e = html_entity(*in);
        if (e)
            o = stpcpy(o, e);
        else if (toasc && *in >= 0x80)
            o += apr_snprintf(o, 7, "&#%3.3d;", *in);
        else
            *o++ = (char)*in;
    }
    *o = '\0';
    return out;
}

AP_DECLARE(char *) ap_escape_html2(apr_pool_t *p, const char *s, int toasc)
{
    MC_API_ENTER();
    return mc__escape_html(p, s, toasc);
}

AP_DECLARE(char *) ap_escape_shell_cmd(apr_pool_t *p, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    char *cmd, *d;

    MC_API_ENTER();
    cmd = d = apr_palloc(p, 2 * strlen(str) + 1);
    for (; *s; ++s) {
        if (esc_shell(*s))
            *d++ = '\\';
        *d++ = (char)*s;
    }
    *d = '\0';
    return cmd;
}

/* ---- log items ------------------------------------------------------ */

/* The C escape letter for c, or 0 when c is written as \xHH. */
static char c_escape_letter(unsigned char c)
{
    switch (c) {
        case '\b':
            return 'b';
        case '\n':
            return 'n';
        case '\r':
            return 'r';
        case '\t':
            return 't';
        case '\v':
            return 'v';
        case '\\':
        case '"':
            return (char)c;
        default:
            return 0;
    }
}

AP_DECLARE(char *) ap_escape_logitem(apr_pool_t *p, const char *str)
{
    const unsigned char *s;
    size_t n = 0;
    unsigned char *d;
    char *ret;

    MC_API_ENTER();
    if (!str)
        return NULL;
    for (s = (const unsigned char *)str; *s; ++s)
        n += esc_logitem(*s) ? 4 : 1;
    ret = apr_palloc(p, n + 1);
    d = (unsigned char *)ret;
    for (s = (const unsigned char *)str; *s; ++s) {
        char letter = c_escape_letter(*s);
        if (!esc_logitem(*s)) {
            *d++ = *s;
        } else if (letter) {
            *d++ = '\\';
            *d++ = (unsigned char)letter;
        } else {
            *d++ = '\\';
            d = put_hex(d, 'x', *s);
        }
    }
    *d = '\0';
    return ret;
}

/* Error-log variant: '"' is not escaped; output is truncated to buflen-1
 * bytes without ever splitting an escape sequence. Returns the length. */
apr_size_t mc__escape_errorlog(char *dest, const char *source,
                               apr_size_t buflen)
{
    const unsigned char *s = (const unsigned char *)source;
    char *d = dest, *end;

    if (!source || !buflen)
        return 0;
    end = dest + buflen - 1;
    for (; *s && d < end; ++s) {
        char letter = c_escape_letter(*s);
        if (!esc_logitem(*s) || *s == '"') {
            *d++ = (char)*s;
        } else if (letter) {
            if (end - d < 2)
                break;
            *d++ = '\\';
            *d++ = letter;
        } else {
            if (end - d < 4)
                break;
            *d++ = '\\';
            d = (char *)put_hex((unsigned char *)d, 'x', *s);
        }
    }
    *d = '\0';
    return (apr_size_t)(d - dest);
}

AP_DECLARE(apr_size_t)
ap_escape_errorlog_item(char *dest, const char *source, apr_size_t buflen)
{
    MC_API_ENTER();
    return mc__escape_errorlog(dest, source, buflen);
}
