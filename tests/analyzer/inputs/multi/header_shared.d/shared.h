/* The module's private header: the shared stats object and its helpers. */
#ifndef HS_SHARED_H
#define HS_SHARED_H

#include "httpd.h"
#include "apr_thread_mutex.h"

struct hs_stats {
    long requests;
    long errors;
};

extern struct hs_stats hs_stats;
extern apr_thread_mutex_t *hs_lock;

void hs_count_request(void);
void hs_count_error(void);

#endif
