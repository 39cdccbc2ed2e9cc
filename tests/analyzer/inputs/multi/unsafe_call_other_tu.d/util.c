/*
 * A utility file shared by the module: format_day() uses localtime, and
 * startup_banner() uses ctime but is only called at post_config.
 */
#include "apr_strings.h"
#include <time.h>

const char *format_day(apr_pool_t *p, time_t t);
const char *startup_banner(apr_pool_t *p);

const char *format_day(apr_pool_t *p, time_t t)
{
    struct tm *tm = localtime(&t); /* expect: mt-unsafe-call(localtime) */
    return apr_psprintf(p, "%04d-%02d-%02d", tm->tm_year + 1900, tm->tm_mon + 1,
                        tm->tm_mday);
}

const char *startup_banner(apr_pool_t *p)
{
    time_t t = time(NULL);
    return apr_pstrcat(p, "started ", ctime(&t), NULL);
}
