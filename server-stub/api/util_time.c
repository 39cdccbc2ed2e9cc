/* util_time.c — util_time.h and ap_ht_time (httpd 2.4 formats).
 *
 * Contract: httpd caches recently exploded times in a lock-free ring; the
 * stub does not cache at all — every call explodes the time with APR's
 * reentrant functions — so there is no shared state and no race by
 * construction. Output goes to the caller's buffer or pool. Thread-safe.
 * Each exported function calls MC_API_ENTER() once on entry.
 */
#include <string.h>
#include <time.h>

#include "apr_strings.h"
#include "apr_time.h"

#include "httpd.h"
#include "util_time.h"

#include "api_internal.h"

AP_DECLARE(apr_status_t)
ap_explode_recent_localtime(apr_time_exp_t *tm, apr_time_t t)
{
    MC_API_ENTER();
    return apr_time_exp_lt(tm, t);
}

AP_DECLARE(apr_status_t) ap_explode_recent_gmt(apr_time_exp_t *tm, apr_time_t t)
{
    MC_API_ENTER();
    return apr_time_exp_gmt(tm, t);
}

/* Append n decimal digits of v, zero-padded. */
static char *put_digits(char *d, long v, int n)
{
    int i;

    for (i = n - 1; i >= 0; --i) {
        d[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return d + n;
}

static int ctime_length(int option)
{
    int len = (option & AP_CTIME_OPTION_COMPACT) ? 19 : 24;

    if (option & AP_CTIME_OPTION_USEC)
        len += 7;
    else if (option & AP_CTIME_OPTION_MSEC)
        len += 4;
    if (option & AP_CTIME_OPTION_GMTOFF)
        len += 6;
    return len + 1; /* NUL */
}

/* ".uuuuuu" or ".mmm" per option. */
static char *put_subsec(char *d, const apr_time_exp_t *xt, int option)
{
    if (option & AP_CTIME_OPTION_USEC) {
        *d++ = '.';
        d = put_digits(d, xt->tm_usec, 6);
    } else if (option & AP_CTIME_OPTION_MSEC) {
        *d++ = '.';
        d = put_digits(d, xt->tm_usec / 1000, 3);
    }
    return d;
}

static char *put_hms(char *d, const apr_time_exp_t *xt)
{
    d = put_digits(d, xt->tm_hour, 2);
    *d++ = ':';
    d = put_digits(d, xt->tm_min, 2);
    *d++ = ':';
    return put_digits(d, xt->tm_sec, 2);
}

/* " +hhmm" / " -hhmm" */
static char *put_gmtoff(char *d, const apr_time_exp_t *xt)
{
    long off = xt->tm_gmtoff;

    *d++ = ' ';
    *d++ = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    d = put_digits(d, off / 3600, 2);
    return put_digits(d, (off % 3600) / 60, 2);
}

/* "Www Mmm dd hh:mm:ss[.frac] yyyy" or compact "yyyy-mm-dd hh:mm:ss[.frac]",
 * local time, optional " +hhmm". */
static void format_ctime(char *d, const apr_time_exp_t *xt, int option)
{
    if (option & AP_CTIME_OPTION_COMPACT) {
        d = put_digits(d, xt->tm_year + 1900, 4);
        *d++ = '-';
        d = put_digits(d, xt->tm_mon + 1, 2);
        *d++ = '-';
        d = put_digits(d, xt->tm_mday, 2);
        *d++ = ' ';
        d = put_subsec(put_hms(d, xt), xt, option);
    } else {
        memcpy(d, apr_day_snames[xt->tm_wday], 3);
        d[3] = ' ';
        memcpy(d + 4, apr_month_snames[xt->tm_mon], 3);
        d[7] = ' ';
        d = put_digits(d + 8, xt->tm_mday, 2);
        *d++ = ' ';
        d = put_subsec(put_hms(d, xt), xt, option);
        *d++ = ' ';
        d = put_digits(d, xt->tm_year + 1900, 4);
    }
    if (option & AP_CTIME_OPTION_GMTOFF)
        d = put_gmtoff(d, xt);
    *d = '\0';
}

static apr_status_t recent_ctime(char *date_str, apr_time_t t, int option,
                                 int *len)
{
    apr_time_exp_t xt;
    int needed = ctime_length(option);

    if (len) {
        if (*len < needed) {
            *len = needed; /* tells the caller how much to provide */
            return APR_ENOMEM;
        }
        *len = needed;
    }
    apr_time_exp_lt(&xt, t);
    format_ctime(date_str, &xt, option);
    return APR_SUCCESS;
}

AP_DECLARE(apr_status_t)
ap_recent_ctime_ex(char *date_str, apr_time_t t, int option, int *len)
{
    MC_API_ENTER();
    return recent_ctime(date_str, t, option, len);
}

AP_DECLARE(apr_status_t) ap_recent_ctime(char *date_str, apr_time_t t)
{
    MC_API_ENTER();
    return recent_ctime(date_str, t, AP_CTIME_OPTION_NONE, NULL);
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" into APR_RFC822_DATE_LEN bytes. */
AP_DECLARE(apr_status_t) ap_recent_rfc822_date(char *date_str, apr_time_t t)
{
    MC_API_ENTER();
    return apr_rfc822_date(date_str, t);
}

/* Copy fmt with %Z and %z replaced by zone and offset (%% kept), so that
 * strftime never needs the time zone itself: glibc's strftime calls
 * tzset() for %Z when struct tm has no tm_zone (APR's conversion leaves it
 * NULL), and tzset() rewrites libc state under a lock TSan cannot see,
 * which would show up as a race in every module that formats %Z. */
static const char *zone_format(char *tf, size_t size, const char *fmt,
                               const char *zone, const char *offset)
{
    size_t o = 0, zl = strlen(zone), ol = strlen(offset);

    for (; *fmt && o + 3 + (zl > ol ? zl : ol) < size; ++fmt) {
        if (fmt[0] == '%' && (fmt[1] == 'Z' || fmt[1] == 'z')) {
            memcpy(tf + o, fmt[1] == 'Z' ? zone : offset,
                   fmt[1] == 'Z' ? zl : ol);
            o += fmt[1] == 'Z' ? zl : ol;
            ++fmt;
        } else if (fmt[0] == '%' && fmt[1] == '%') {
            tf[o++] = '%';
            tf[o++] = '%';
            ++fmt;
        } else {
            tf[o++] = *fmt;
        }
    }
    tf[o] = '\0';
    return tf;
}

/* The local zone's standard and daylight-saving abbreviations, copied
 * from tzname[] by mc__time_init(), which the host calls once at start-up
 * right after its tzset() (server-stub/main.c, before any thread exists),
 * and only read afterwards: reading glibc's lazily allocated zone strings
 * from request threads is what TSan would report. */
static char zone_std[16], zone_dst[16];

void mc__time_init(void)
{
    apr_cpystrn(zone_std, tzname[0] ? tzname[0] : "", sizeof(zone_std));
    apr_cpystrn(zone_dst, tzname[1] ? tzname[1] : "", sizeof(zone_dst));
}

/* Local zone abbreviation and "+hhmm" offset of xt. */
static const char *local_zone(const apr_time_exp_t *xt, char *offset, size_t n)
{
    long off = xt->tm_gmtoff < 0 ? -(long)xt->tm_gmtoff : xt->tm_gmtoff;

    apr_snprintf(offset, n, "%c%02ld%02ld", xt->tm_gmtoff < 0 ? '-' : '+',
                 off / 3600, (off % 3600) / 60);
    return xt->tm_isdst > 0 ? zone_dst : zone_std;
}

AP_DECLARE(char *)
ap_ht_time(apr_pool_t *p, apr_time_t t, const char *fmt, int gmt)
{
    char ts[MAX_STRING_LEN];
    char tf[MAX_STRING_LEN];
    apr_size_t retcode = 0;
    apr_time_exp_t xt;

    MC_API_ENTER();
    if (gmt) {
        apr_time_exp_gmt(&xt, t);
        fmt = zone_format(tf, sizeof(tf), fmt, "GMT", "+0000");
    } else {
        char offset[16];
        const char *zone;
        apr_time_exp_lt(&xt, t);
        zone = local_zone(&xt, offset, sizeof(offset));
        fmt = zone_format(tf, sizeof(tf), fmt, zone, offset);
    }
    if (apr_strftime(ts, &retcode, sizeof(ts), fmt, &xt) != APR_SUCCESS)
        retcode = 0;
    ts[retcode < sizeof(ts) ? retcode : sizeof(ts) - 1] = '\0';
    return apr_pstrdup(p, ts);
}
