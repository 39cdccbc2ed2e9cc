/*
 * mod_votes.c — a poll: vote for a colour, read the tally.
 *
 * Feature: GET /vote?for=NAME counts one vote for NAME (up to 32 names of
 * up to 31 characters) and answers "NAME=<its votes> total=<all votes>";
 * GET /vote alone answers "total=<all votes>".
 *
 * Why it is safe: the table and the total are only touched while holding
 * `votes_lock`, an apr_thread_mutex created at child_init (before the worker
 * threads start); the numbers printed are copied out under the lock. The
 * lock is released on every path.
 *
 *     <Location /vote>
 *         SetHandler votes
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_strings.h"
#include "apr_thread_mutex.h"

#define VOTES_NAMES 32
#define VOTES_NAME_MAX 32

struct votes_entry {
    char name[VOTES_NAME_MAX];
    unsigned long votes;
};

static apr_thread_mutex_t *votes_lock; /* guards votes_table, votes_total */
static struct votes_entry votes_table[VOTES_NAMES];
static unsigned long votes_total;

static void votes_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_status_t rv =
        apr_thread_mutex_create(&votes_lock, APR_THREAD_MUTEX_DEFAULT, pchild);

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, "votes: no mutex");
    }
}

/* Counts a vote; returns 0 when the table is full. */
static int votes_cast(const char *name, unsigned long *mine,
                      unsigned long *total)
{
    int i, found = 0;

    apr_thread_mutex_lock(votes_lock);
    for (i = 0; i < VOTES_NAMES && !found; i++) {
        if (votes_table[i].name[0] == '\0') {
            apr_cpystrn(votes_table[i].name, name, VOTES_NAME_MAX);
        }
        if (strcmp(votes_table[i].name, name) == 0) {
            *mine = ++votes_table[i].votes;
            *total = ++votes_total;
            found = 1;
        }
    }
    apr_thread_mutex_unlock(votes_lock);
    return found;
}

static unsigned long votes_read_total(void)
{
    unsigned long total;

    apr_thread_mutex_lock(votes_lock);
    total = votes_total;
    apr_thread_mutex_unlock(votes_lock);
    return total;
}

static int votes_handler(request_rec *r)
{
    unsigned long mine, total;
    const char *name;

    if (strcmp(r->handler, "votes") != 0) {
        return DECLINED;
    }
    ap_set_content_type(r, "text/plain");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    if (r->args == NULL || strncmp(r->args, "for=", 4) != 0) {
        ap_rprintf(r, "total=%lu\n", votes_read_total());
        return OK;
    }
    name = r->args + 4;
    if (*name == '\0' || strlen(name) >= VOTES_NAME_MAX) {
        return HTTP_BAD_REQUEST;
    }
    if (!votes_cast(name, &mine, &total)) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    ap_rprintf(r, "%s=%lu total=%lu\n", ap_escape_html(r->pool, name), mine,
               total);
    return OK;
}

static void votes_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(votes_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(votes_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(votes) = {
    STANDARD20_MODULE_STUFF,
    NULL,                /* create per-dir config */
    NULL,                /* merge per-dir config */
    NULL,                /* create per-server config */
    NULL,                /* merge per-server config */
    NULL,                /* command table */
    votes_register_hooks /* register hooks */
};
