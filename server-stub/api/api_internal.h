/* api_internal.h — private helpers shared by server-stub/api/*.c.
 *
 * Contract: only server-stub/api/ includes this. MC_API_ENTER() is the
 * schedule perturbation point every per-request httpd API function calls on
 * entry (see README.md for the rule); mc_stub_perturb() is defined by the host
 * (server-stub/perturb.h) or by a test. Nothing here allocates or keeps state.
 */
#ifndef MC_STUB_API_INTERNAL_H
#define MC_STUB_API_INTERNAL_H

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

#endif
