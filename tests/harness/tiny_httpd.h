/*
 * tiny_httpd.h — a small threaded HTTP/1.1 server for the load client's
 * integration tests: loopback only, a free port chosen by the kernel, one
 * thread per connection, canned answers by path (see tiny_httpd.c).
 *
 * tiny_start returns a server owning its threads and sockets; tiny_stop
 * closes every socket, joins every thread and frees it. The counters are
 * atomics, readable while the server runs.
 */
#ifndef TINY_HTTPD_H
#define TINY_HTTPD_H

#include <stdatomic.h>

struct tiny_httpd;

struct tiny_httpd *tiny_start(void);
void tiny_stop(struct tiny_httpd *t);
unsigned tiny_port(const struct tiny_httpd *t);
/* connections accepted so far */
long tiny_accepted(const struct tiny_httpd *t);
/* requests answered so far, by any path */
long tiny_requests(const struct tiny_httpd *t);

#endif
