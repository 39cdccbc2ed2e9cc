/* util_path.c — httpd.h path and URL-shape helpers (httpd 2.4 semantics).
 *
 * Contract: in-place functions modify only the caller's buffer; the others
 * allocate results from the caller's pool (pools are per thread). No shared
 * state: thread-safe given per-thread pools. Each exported function calls
 * MC_API_ENTER() once on entry. Unix semantics: '/' is the only separator and
 * there are no drive letters or UNC paths.
 */
#include <string.h>

#include "apr_file_info.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "httpd.h"

#include "api_internal.h"

AP_DECLARE(char *)
ap_make_full_path(apr_pool_t *a, const char *dir, const char *f)
{
    size_t ld, lf;
    char *path, *next;

    MC_API_ENTER();
    ld = strlen(dir);
    lf = strlen(f);
    /* +3: separator, NUL, and one spare byte for a caller's trailing '/' */
    path = apr_palloc(a, ld + lf + 3);
    next = path;
    if (ld == 0) {
        *next++ = '/';
    } else {
        memcpy(next, dir, ld);
        next += ld;
        if (next[-1] != '/')
            *next++ = '/';
    }
    memcpy(next, f, lf + 1);
    return path;
}

/* Copy at most n leading directories of s into d; returns d's end. */
AP_DECLARE(char *) ap_make_dirstr_prefix(char *d, const char *s, int n)
{
    MC_API_ENTER();
    if (n < 1) {
        d[0] = '/';
        d[1] = '\0';
        return d + 1;
    }
    while (*s && !(*s == '/' && --n == 0))
        *d++ = *s++;
    *d++ = '/';
    *d = '\0';
    return d;
}

AP_DECLARE(char *) ap_make_dirstr_parent(apr_pool_t *p, const char *s)
{
    const char *slash;

    MC_API_ENTER();
    slash = strrchr(s, '/');
    if (!slash)
        return apr_pstrdup(p, "");
    return apr_pstrmemdup(p, s, slash - s + 1);
}

AP_DECLARE(int) ap_count_dirs(const char *path)
{
    int n = 0;

    MC_API_ENTER();
    for (; *path; ++path)
        n += (*path == '/');
    return n;
}

static void no2slash(char *name)
{
    char *d = name, *s = name;

    while (*s) {
        *d++ = *s;
        if (*s == '/')
            while (*s == '/')
                ++s;
        else
            ++s;
    }
    *d = '\0';
}

AP_DECLARE(void) ap_no2slash(char *name)
{
    MC_API_ENTER();
    no2slash(name);
}

AP_DECLARE(void) ap_no2slash_ex(char *name, int is_fs_path)
{
    (void)is_fs_path; /* only matters where "//" is significant (UNC) */
    MC_API_ENTER();
    no2slash(name);
}

static int normalize_path(char *path, unsigned int flags);

/* httpd 2.4.71: normalise as a relative-allowed path that may not climb
 * above its root; a path that would (like "/../x") becomes "". */
AP_DECLARE(void) ap_getparents(char *name)
{
    MC_API_ENTER();
    if (!normalize_path(name, AP_NORMALIZE_ALLOW_RELATIVE |
                                  AP_NORMALIZE_NOT_ABOVE_ROOT))
        name[0] = '\0';
}

static int is_unreserved(int c)
{
    return apr_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static int slash_or_nul(char c)
{
    return c == '/' || c == '\0';
}

/* Length of a ".." segment at s ("..", ".%2e" with decoding), else 0. */
static size_t dotdot_len(const char *s, int decode)
{
    if (s[0] != '.')
        return 0;
    if (s[1] == '.' && slash_or_nul(s[2]))
        return 2;
    if (decode && s[1] == '%' && s[2] == '2' && (s[3] == 'e' || s[3] == 'E') &&
        slash_or_nul(s[4]))
        return 4;
    return 0;
}

/* Decode %XX of an unreserved char in place at path[*l]; 0 on bad escape. */
static int decode_unreserved_at(char *path, size_t *l)
{
    char c;

    if (!apr_isxdigit(path[*l + 1]) || !apr_isxdigit(path[*l + 2]))
        return 0;
    c = (char)(mc__hexval(path[*l + 1]) * 16 + mc__hexval(path[*l + 2]));
    if (is_unreserved((unsigned char)c)) {
        *l += 2;
        path[*l] = c;
    }
    return 1;
}

static int normalize_path(char *path, unsigned int flags)
{
    int ok = 1;
    int decode = (flags & AP_NORMALIZE_DECODE_UNRESERVED) != 0;
    int merge = (flags & AP_NORMALIZE_MERGE_SLASHES) != 0;
    size_t l = 1, w = 1, n;

    if (path[0] != '/') {
        if (path[0] == '*' && path[1] == '\0')
            return 1; /* "OPTIONS *" */
        if (!(flags & AP_NORMALIZE_ALLOW_RELATIVE) || path[0] == '\0')
            return 0;
        l = w = 0;
    }
    while (path[l]) {
        if (decode && path[l] == '%' && !decode_unreserved_at(path, &l))
            ok = 0;
        if (w == 0 || path[w - 1] == '/') {
            if (merge && path[l] == '/') {
                while (path[l] == '/')
                    ++l;
                continue;
            }
            if (path[l] == '.' && slash_or_nul(path[l + 1])) {
                l += path[l + 1] ? 2 : 1;
                continue;
            }
            if ((n = dotdot_len(path + l, decode)) != 0) {
                if (w > 1) {
                    do {
                        --w;
                    } while (w && path[w - 1] != '/');
                } else if (flags & AP_NORMALIZE_NOT_ABOVE_ROOT) {
                    ok = 0;
                }
                l += n + (path[l + n] ? 1 : 0);
                continue;
            }
        }
        path[w++] = path[l++];
    }
    path[w] = '\0';
    return ok;
}

AP_DECLARE(int) ap_normalize_path(char *path, unsigned int flags)
{
    MC_API_ENTER();
    return normalize_path(path, flags);
}

AP_DECLARE(int) ap_os_is_path_absolute(apr_pool_t *p, const char *dir)
{
    const char *root = NULL;
    const char *rest = dir;

    MC_API_ENTER();
    if (apr_filepath_root(&root, &rest, 0, p) != APR_SUCCESS)
        return 0;
    return strncmp(root, dir, strlen(root)) == 0;
}

static int stat_is_dir(apr_pool_t *p, const char *path, apr_int32_t wanted)
{
    apr_finfo_t finfo;

    if (apr_stat(&finfo, path, wanted, p) != APR_SUCCESS)
        return 0;
    return finfo.filetype == APR_DIR;
}

AP_DECLARE(int) ap_is_directory(apr_pool_t *p, const char *name)
{
    MC_API_ENTER();
    return stat_is_dir(p, name, APR_FINFO_TYPE);
}

AP_DECLARE(int) ap_is_rdirectory(apr_pool_t *p, const char *name)
{
    MC_API_ENTER();
    return stat_is_dir(p, name, APR_FINFO_TYPE | APR_FINFO_LINK);
}

/* absoluteURI: a non-empty scheme of alnum, '+', '-', '.' then ':'. */
AP_DECLARE(int) ap_is_url(const char *u)
{
    size_t x;

    MC_API_ENTER();
    for (x = 0; u[x] != ':'; ++x) {
        if (!u[x] ||
            !(apr_isalnum(u[x]) || u[x] == '+' || u[x] == '-' || u[x] == '.'))
            return 0;
    }
    return x > 0;
}

/* On Unix there are no reserved device names or UNC paths to refuse, so
 * this is apr_filepath_merge (httpd adds its allow-list on Windows only). */
AP_DECLARE(apr_status_t)
ap_filepath_merge(char **newpath, const char *rootpath, const char *addpath,
                  apr_int32_t flags, apr_pool_t *p)
{
    MC_API_ENTER();
    return apr_filepath_merge(newpath, rootpath, addpath, flags, p);
}

/* Every path is safe to stat on Unix (httpd refuses UNC paths on Windows). */
AP_DECLARE(apr_status_t) ap_stat_check(const char *path, apr_pool_t *pool)
{
    MC_API_ENTER();
    return APR_SUCCESS;
}
