/*
 * mc_buf.h — a growable byte/string buffer. The buffer owns its memory
 * (malloc); mc_buf_free releases it, mc_buf_steal hands it to the caller.
 * Not thread-safe: one buffer, one thread.
 */
#ifndef MC_BUF_H
#define MC_BUF_H

#include "mc_common.h"

struct mc_buf {
    char *data; /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
};

#define MC_BUF_INIT \
    {               \
        NULL, 0, 0  \
    }

void mc_buf_reserve(struct mc_buf *b, size_t extra);
void mc_buf_append(struct mc_buf *b, const void *data, size_t n);
void mc_buf_puts(struct mc_buf *b, const char *s);
void mc_buf_putc(struct mc_buf *b, char c);
void mc_buf_printf(struct mc_buf *b, const char *fmt, ...) MC_PRINTF(2, 3);
void mc_buf_reset(struct mc_buf *b);
/* Returns the string (never NULL) and leaves b empty. Caller frees. */
char *mc_buf_steal(struct mc_buf *b);
void mc_buf_free(struct mc_buf *b);

#endif
