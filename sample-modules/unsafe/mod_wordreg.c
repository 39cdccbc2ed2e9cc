/*
 * mod_wordreg.c — a word registry.
 *
 * Feature: GET /words?add=WORD registers a word (once) and answers
 *
 *     added=WORD          (or known=WORD when it was registered before)
 *     total=N
 *
 * and GET /words (no query) answers the number of distinct words, total=N.
 *
 * Seeded defect (unsafe under threads): the registry is a global apr_hash_t,
 * `words`, created at post_config and then read and written by every request
 * with no lock. apr_hash_set() links entries into buckets, bumps the count
 * and grows the bucket array; two threads doing that at once lose entries or
 * corrupt the table (the entries are also allocated from the hash's pool,
 * pconf). Client-observable: the final total is below the number of distinct
 * words added, or the process crashes (dropped connection). Fix: guard the
 * table with an apr_thread_mutex created at child_init (safe/mod_votes.c).
 *
 *     <Location /words>
 *         SetHandler wordreg
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_hash.h"
#include "apr_strings.h"

#include <stdlib.h>
#include <string.h>

/* Created at post_config; every request reads and writes the table. */
static apr_hash_t *words;

static int wordreg_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp, server_rec *s)
{
    words = apr_hash_make(pconf);
    return OK;
}

/* Registers a word: 1 if new, 0 if known, -1 when out of memory. */
static int wordreg_add(const char *word)
{
    char *key;

    if (apr_hash_get(words, word, APR_HASH_KEY_STRING) != NULL) {
        return 0;
    }
    key = strdup(word); /* lives as long as the registry */
    if (key == NULL) {
        return -1;
    }
    apr_hash_set(words, key, APR_HASH_KEY_STRING, key);
    return 1;
}

static int wordreg_handler(request_rec *r)
{
    char *word;
    int added;

    if (strcmp(r->handler, "wordreg") != 0) {
        return DECLINED;
    }
    ap_set_content_type(r, "text/plain");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    if (r->args != NULL && strncmp(r->args, "add=", 4) == 0) {
        word = apr_pstrdup(r->pool, r->args + 4);
        ap_unescape_url(word);
        added = *word == '\0' ? -1 : wordreg_add(word);
        if (added < 0) {
            return HTTP_BAD_REQUEST;
        }
        ap_rprintf(r, "%s=%s\n", added ? "added" : "known",
                   ap_escape_html(r->pool, word));
    }
    ap_rprintf(r, "total=%u\n", apr_hash_count(words));
    return OK;
}

static void wordreg_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(wordreg_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(wordreg_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(wordreg) = {
    STANDARD20_MODULE_STUFF,
    NULL,                  /* create per-dir config */
    NULL,                  /* merge per-dir config */
    NULL,                  /* create per-server config */
    NULL,                  /* merge per-server config */
    NULL,                  /* command table */
    wordreg_register_hooks /* register hooks */
};
