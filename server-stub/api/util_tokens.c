/* util_tokens.c — httpd.h HTTP token and list-item helpers (RFC 7230
 * field syntax, httpd 2.4 semantics).
 *
 * Contract: results are allocated from the caller's pool (one per thread);
 * no shared state, thread-safe given per-thread pools. Each exported function
 * calls MC_API_ENTER() once on entry.
 */
#include <string.h>

#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_tables.h"

#include "httpd.h"

#include "api_internal.h"

/* RFC 2616 separators, controls, NUL and non-ASCII bytes end a token
 * (httpd 2.4.71's T_HTTP_TOKEN_STOP). */
static int token_stop(unsigned char c)
{
    return c == 0 || c >= 0x80 || apr_iscntrl(c) ||
           strchr(" \t()<>@,;:\\\"/[]?={}", c);
}

AP_DECLARE(const char *) ap_scan_http_token(const char *ptr)
{
    MC_API_ENTER();
    while (!token_stop((unsigned char)*ptr))
        ++ptr;
    return ptr;
}

/* Field content: anything but NUL and ASCII controls other than HT. */
AP_DECLARE(const char *) ap_scan_http_field_content(const char *ptr)
{
    MC_API_ENTER();
    for (;; ++ptr) {
        unsigned char c = (unsigned char)*ptr;
        if (c == 0 || (c != '\t' && (c < 0x20 || c == 0x7f)))
            return ptr;
    }
}

/* VCHAR (0x21-0x7e) or obs-text (0x80-0xff). */
AP_DECLARE(const char *) ap_scan_vchar_obstext(const char *ptr)
{
    MC_API_ENTER();
    for (;; ++ptr) {
        unsigned char c = (unsigned char)*ptr;
        if (!((c >= 0x21 && c <= 0x7e) || c >= 0x80))
            return ptr;
    }
}

AP_DECLARE(char *)
ap_get_token(apr_pool_t *p, const char **accept_line, int accept_white)
{
    const char *ptr = *accept_line;
    const char *start;
    char *token;

    MC_API_ENTER();
    while (apr_isspace(*ptr))
        ++ptr;
    start = ptr;
    while (*ptr && (accept_white || !apr_isspace(*ptr)) && *ptr != ';' &&
           *ptr != ',') {
        if (*ptr++ == '"') { /* a quoted string may hold ; , and spaces */
            while (*ptr && *ptr != '"')
                ++ptr;
            if (*ptr)
                ++ptr;
        }
    }
    token = apr_pstrmemdup(p, start, ptr - start);
    while (apr_isspace(*ptr))
        ++ptr;
    *accept_line = ptr;
    return token;
}

/* Case-insensitive token search as httpd 2.4.71 does it: a token of line
 * matches when it equals tok or is a prefix of it (so line "gz" matches
 * tok "gzip"; "gzipx" does not). */
AP_DECLARE(int) ap_find_token(apr_pool_t *p, const char *line, const char *tok)
{
    const unsigned char *s = (const unsigned char *)line;

    MC_API_ENTER();
    if (!line || !tok)
        return 0;
    for (;;) {
        const unsigned char *start;
        while (*s && token_stop(*s))
            ++s;
        if (!*s)
            return 0;
        start = s;
        while (!token_stop(*s))
            ++s;
        if (strncasecmp((const char *)start, tok, (size_t)(s - start)) == 0)
            return 1;
    }
}

AP_DECLARE(int)
ap_find_last_token(apr_pool_t *p, const char *line, const char *tok)
{
    size_t llen, tlen;

    MC_API_ENTER();
    if (!line)
        return 0;
    llen = strlen(line);
    tlen = strlen(tok);
    if (tlen > llen)
        return 0;
    if (llen > tlen &&
        !(apr_isspace(line[llen - tlen - 1]) || line[llen - tlen - 1] == ','))
        return 0;
    return strncasecmp(line + llen - tlen, tok, tlen) == 0;
}

/* Quoting state while walking a list item: quoted-pair, quoted-string and
 * (nested) comments hide commas and keep case. */
struct list_state {
    int qpair, qstr, com;
};

static int list_hidden(const struct list_state *st)
{
    return st->qpair || st->qstr || st->com;
}

/* Advance the state over c (called when not inside a quoted-pair). */
static void list_step(struct list_state *st, unsigned char c)
{
    if (c == '\\')
        st->qpair = 1;
    else if (c == '"' && !st->com)
        st->qstr = !st->qstr;
    else if (c == '(' && !st->qstr)
        ++st->com;
    else if (c == ')' && st->com)
        --st->com;
}

static const unsigned char *skip_commas_space(const unsigned char *p)
{
    while (*p == ',' || apr_isspace(*p))
        ++p;
    return p;
}

/* Find the next non-empty list item: returns its start (NULL if none), sets
 * *len to its raw length and moves *field past it and following commas. */
static const char *size_list_item(const char **field, int *len)
{
    const unsigned char *ptr = skip_commas_space((const unsigned char *)*field);
    const unsigned char *token = ptr;
    struct list_state st = {0, 0, 0};

    for (; *ptr && (list_hidden(&st) || *ptr != ','); ++ptr) {
        if (st.qpair)
            st.qpair = 0;
        else
            list_step(&st, *ptr);
    }
    *len = (int)(ptr - token);
    if (*len == 0) {
        *field = (const char *)ptr;
        return NULL;
    }
    *field = (const char *)skip_commas_space(ptr);
    return (const char *)token;
}

AP_DECLARE(const char *) ap_size_list_item(const char **field, int *len)
{
    MC_API_ENTER();
    return size_list_item(field, len);
}

/* Canonical form of one list item: lowercase outside quotes/comments, runs
 * of SP/HT collapsed to one space, no space around '=', '/' or ';'. Writes
 * into out (which must hold the raw item) and returns the end pointer. */
static char *canon_item(const unsigned char *ptr, char *out)
{
    struct list_state st = {0, 0, 0};
    int addspace = 0; /* 1: a space is pending; -1: suppress spaces */

    for (; *ptr && (list_hidden(&st) || *ptr != ','); ++ptr) {
        unsigned char c = *ptr;
        if (st.qpair) {
            st.qpair = 0;
            *out++ = (char)c;
            continue;
        }
        if ((c == ' ' || c == '\t') && !st.qstr && !st.com) {
            if (!addspace)
                addspace = 1;
            continue;
        }
        if (c == '=' || c == '/' || c == ';') {
            if (!st.qstr && !st.com)
                addspace = -1;
            *out++ = (char)c;
            continue;
        }
        if (addspace == 1 && c != ')')
            *out++ = ' ';
        addspace = 0;
        list_step(&st, c);
        *out++ = (st.qstr || st.com || c == '"' || c == '(' || c == ')')
                     ? (char)c
                     : (char)apr_tolower(c);
    }
    *out = '\0';
    return out;
}

AP_DECLARE(char *) ap_get_list_item(apr_pool_t *p, const char **field)
{
    const char *start;
    char *token;
    int len = 0;

    MC_API_ENTER();
    start = size_list_item(field, &len);
    if (!start)
        return NULL;
    token = apr_palloc(p, (apr_size_t)len + 1);
    canon_item((const unsigned char *)start, token);
    return token;
}

enum etag_kind { ETAG_NONE, ETAG_WEAK, ETAG_STRONG };

/* Skip the "W/" of a weak ETag; 0 if s is not an ETag of that kind. */
static int etag_prefix(const char **s, enum etag_kind kind)
{
    if (kind == ETAG_STRONG)
        return **s == '"';
    if (kind == ETAG_WEAK) {
        if ((*s)[0] == 'W' && (*s)[1] == '/' && (*s)[2] == '"')
            *s += 2;
        return **s == '"';
    }
    return 1;
}

/* Is tok one of line's list items? Both sides are canonicalised (case is
 * ignored outside quoted strings and comments, kept inside them). */
static int find_list_item(apr_pool_t *p, const char *line, const char *tok,
                          enum etag_kind kind)
{
    char *want;
    const char *field = line;

    if (!line || !tok || !etag_prefix(&tok, kind))
        return 0;
    want = apr_palloc(p, strlen(tok) + 1);
    canon_item((const unsigned char *)tok, want);
    for (;;) {
        const char *item;
        char *have;
        int len = 0;

        field = (const char *)skip_commas_space((const unsigned char *)field);
        if (!*field || !etag_prefix(&field, kind))
            return 0;
        item = size_list_item(&field, &len);
        if (!item)
            return 0;
        have = apr_palloc(p, (apr_size_t)len + 1);
        canon_item((const unsigned char *)item, have);
        if (strcmp(have, want) == 0)
            return 1;
    }
}

AP_DECLARE(int)
ap_find_list_item(apr_pool_t *p, const char *line, const char *tok)
{
    MC_API_ENTER();
    return find_list_item(p, line, tok, ETAG_NONE);
}

AP_DECLARE(int)
ap_find_etag_weak(apr_pool_t *p, const char *line, const char *tok)
{
    MC_API_ENTER();
    return find_list_item(p, line, tok, ETAG_WEAK);
}

AP_DECLARE(int)
ap_find_etag_strong(apr_pool_t *p, const char *line, const char *tok)
{
    MC_API_ENTER();
    return find_list_item(p, line, tok, ETAG_STRONG);
}

/* Is the last transfer-coding of a Transfer-Encoding value "chunked"?
 * (Parameters after ';' are ignored; comparison is case-insensitive.) */
AP_DECLARE(int) ap_is_chunked(apr_pool_t *p, const char *line)
{
    const char *field = line, *item, *last = NULL;
    int len = 0, last_len = 0;

    MC_API_ENTER();
    if (!line)
        return 0;
    while ((item = size_list_item(&field, &len)) != NULL) {
        last = item;
        last_len = len;
    }
    if (!last)
        return 0;
    for (len = 0; len < last_len && last[len] != ';' &&
                  !apr_isspace((unsigned char)last[len]);
         ++len)
        ;
    return len == 7 && strncasecmp(last, "chunked", 7) == 0;
}

/* 1#token lists (RFC 7230): tokens separated by ',' with optional SP/HT
 * around them; empty elements are allowed and skipped. Any other separator
 * is an error, or (skip_invalid) drops the rest of that element. Tokens are
 * appended to *tokens (created on p when NULL and a token is found).
 * Returns NULL or an error message. */
AP_DECLARE(const char *)
ap_parse_token_list_strict(apr_pool_t *p, const char *str_in,
                           apr_array_header_t **tokens, int skip_invalid)
{
    const char *cur, *start;
    int leading = 1, trailing = 0;

    MC_API_ENTER();
    if (!str_in)
        return NULL;
    for (start = cur = str_in;; ++cur) {
        unsigned char c = (unsigned char)*cur;
        if (!token_stop(c)) {
            if (trailing)
                return "Encountered illegal whitespace in token";
            leading = 0;
        } else if (c == ' ' || c == '\t') {
            if (leading)
                start = cur + 1;
            else
                ++trailing;
        } else if (c == ',' || c == '\0') {
            if (!leading) {
                if (*tokens == NULL)
                    *tokens = apr_array_make(p, 4, sizeof(char *));
                APR_ARRAY_PUSH(*tokens, char *) = apr_pstrmemdup(
                    (*tokens)->pool, start, (cur - start) - trailing);
            }
            if (c == '\0')
                return NULL;
            start = cur + 1;
            leading = 1;
            trailing = 0;
        } else if (skip_invalid) {
            const char *comma = strchr(cur, ',');
            cur = (comma ? comma : cur + strlen(cur)) - 1;
            start = cur + 1; /* the element is dropped */
            leading = 1;
            trailing = 0;
        } else {
            return apr_psprintf(p, "Encountered illegal separator '\\x%.2x'",
                                (unsigned int)c);
        }
    }
}
