/* api_internal.h — private helpers shared by the server-stub/api sources.
 *
 * Contract: only server-stub/api/ includes this. MC_API_ENTER() is the
 * schedule perturbation point every per-request httpd API function calls on
 * entry (see README.md for the rule); mc_stub_perturb() is defined by the host
 * (server-stub/perturb.h) or by a test. The mc__ helpers are the bodies of
 * exported API functions without the perturbation point, so an API function
 * that uses another one still perturbs exactly once. Nothing here keeps state.
 */
#ifndef MC_STUB_API_INTERNAL_H
#define MC_STUB_API_INTERNAL_H

#include "apr.h"
#include "apr_pools.h"

#if defined(__has_include)
#if __has_include("../perturb.h")
#include "../perturb.h"
#endif
#endif

/* Same declaration as server-stub/perturb.h, for builds where it is absent. */
void mc_stub_perturb(void);

#define MC_API_ENTER() mc_stub_perturb()

/* Lowercase hex digit table shared by the escaping and hashing code. */
#define MC__HEX_LOWER "0123456789abcdef"

/* Value of one hex digit (caller checked apr_isxdigit). */
static inline int mc__hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c - 'A' + 10;
}

/* ap_escape_errorlog_item() (escape.c). */
apr_size_t mc__escape_errorlog(char *dest, const char *source,
                               apr_size_t buflen);

/* ap_server_root_relative() (config_slots.c). */
char *mc__server_root_relative(apr_pool_t *p, const char *fname);

/* Captures the local zone names for ap_ht_time; the host calls it once,
 * single-threaded, after tzset(). */
void mc__time_init(void);

/* ap_unescape_url() (escape.c). */
int mc__unescape_url(char *url);

/* ap_escape_html2() (escape.c). */
char *mc__escape_html(apr_pool_t *p, const char *s, int toasc);

struct ap_varbuf;
/* ap_varbuf_grow() and ap_varbuf_strmemcat() (varbuf.c). */
void mc__varbuf_grow(struct ap_varbuf *vb, apr_size_t new_size);
void mc__varbuf_append(struct ap_varbuf *vb, const char *str, apr_size_t len);

#endif
