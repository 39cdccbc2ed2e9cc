/*
 * stub_conn.h - the stub's connection record. conn_rec is the first member,
 * so the conn_rec modules see is httpd's and the stub recovers its own state
 * with a cast. One connection belongs to one worker thread at a time.
 * Memory: everything in the connection's pool (ptrans).
 */
#ifndef MC_STUB_CONN_H
#define MC_STUB_CONN_H

#include "stub.h"

struct mc_conn {
    conn_rec c;
    apr_socket_t *sock;
    char *buf;
    apr_size_t cap;
    apr_size_t pos;
    apr_size_t len;
    apr_interval_time_t timeout;
    apr_time_t deadline;        /* header read deadline, 0 = none */
    apr_bucket_brigade *end_bb; /* carries each request's EOR (+ FLUSH) */
};

static inline struct mc_conn *mc__conn(conn_rec *c)
{
    return (struct mc_conn *)c;
}

/* Reads more bytes into the buffer (compacting it first). APR_EOF when the
 * peer closed, APR_TIMEUP on timeout or past the deadline. */
apr_status_t mc__conn_fill(struct mc_conn *mc, apr_interval_time_t timeout);

#endif
