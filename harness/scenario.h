/*
 * scenario.h — scenario files (docs/scenario.md) as plain C structs, the
 * per-response checks and the cross-response relations.
 *
 * mc_scenario_load/parse turn a JSON scenario into a struct mc_scenario that
 * owns all of its memory (one arena plus the compiled regexes); free it with
 * mc_scenario_free. Errors come back as values with a message naming the
 * file and the offending field ("s.json: load[2].expect.status: expected a
 * number").
 *
 * Thread-safety: a parsed scenario is immutable and may be shared by any
 * number of threads; mc_check_response only reads it (regexec on a shared
 * regex_t is thread-safe). Buffers passed in (scratch, capture stores)
 * belong to the calling thread.
 */
#ifndef MC_SCENARIO_H
#define MC_SCENARIO_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "mc_arena.h"
#include "mc_buf.h"
#include "mc_common.h"

/* ---- templates: {token} {seq} {conn} ---- */

enum mc_tpl_kind { MC_TPL_LIT, MC_TPL_TOKEN, MC_TPL_SEQ, MC_TPL_CONN };

struct mc_tpl_part {
    enum mc_tpl_kind kind;
    const char *text; /* MC_TPL_LIT only */
    size_t len;
};

struct mc_tpl {
    const char *src; /* the template as written */
    struct mc_tpl_part *parts;
    size_t nparts;
    int constant; /* no {token}/{seq}/{conn}: src is the rendered value */
};

/* The values one request substitutes into its templates. */
struct mc_tpl_vals {
    const char *token; /* [a-z0-9]+ */
    size_t token_len;
    uint64_t seq;
    unsigned conn;
};

/* Appends the rendered template to out. */
void mc_tpl_render(const struct mc_tpl *t, const struct mc_tpl_vals *v,
                   struct mc_buf *out);

/* ---- expectations ---- */

enum mc_match_kind {
    MC_MATCH_EQUAL,    /* rendered template must equal */
    MC_MATCH_REGEX,    /* "re:" POSIX ERE must match (search) */
    MC_MATCH_CONTAINS, /* rendered template must occur */
    MC_MATCH_ABSENT    /* header must not be present (JSON null) */
};

/* A templated regex is also compiled once in a generic form, each template
 * replaced by a group ([a-z0-9]+ or [0-9]+); a match whose groups hold this
 * request's values is a match of the rendered pattern, and no match is no
 * match. Only an ambiguous match compiles the rendered pattern. */
struct mc_tpl_group {
    enum mc_tpl_kind kind;
    unsigned group;
};

struct mc_match {
    enum mc_match_kind kind;
    struct mc_tpl tpl; /* value, pattern (without "re:") or substring */
    regex_t *re;       /* compiled once when the pattern is constant */
    regex_t *generic;  /* templated regex: the generic form, or NULL */
    struct mc_tpl_group *groups;
    size_t ngroups; /* templates in the pattern */
    size_t nsub;    /* generic->re_nsub + 1 */
};

struct mc_header_tpl {
    const char *name;
    struct mc_tpl value;
};

struct mc_header_expect {
    const char *name; /* compared case-insensitively */
    struct mc_match match;
};

struct mc_capture {
    const char *name;
    const char *pattern;
    regex_t *re; /* group 1 is the captured value */
};

struct mc_request {
    const char *id;
    const char *section; /* "setup", "load" or "final" */
    unsigned pos;        /* position in its section */
    unsigned index;      /* position in scenario->all[] */
    const char *method;
    struct mc_tpl path;
    struct mc_header_tpl *headers;
    size_t nheaders;
    int has_body;
    struct mc_tpl body;
    unsigned weight;
    int expect_status; /* 0: not checked */
    struct mc_header_expect *expect_headers;
    size_t nexpect_headers;
    int has_expect_body;
    struct mc_match expect_body;
    int has_body_contains;
    struct mc_match body_contains;
    struct mc_capture *captures;
    size_t ncaptures;
    int needs_body; /* some check or capture reads the body */
};

/* ---- relations ---- */

enum mc_rel_kind {
    MC_REL_DISTINCT,
    MC_REL_EQUALS_COUNT,
    MC_REL_MAX_EQUALS_COUNT
};

struct mc_relation {
    enum mc_rel_kind kind;
    const struct mc_request *request;
    unsigned capture;            /* index into request->captures */
    const struct mc_request *of; /* equals-count only */
    long long offset;
};

const char *mc_rel_kind_name(enum mc_rel_kind k);

struct mc_scenario {
    const char *name;
    const char *description;
    const char *file; /* as given to mc_scenario_load, for messages */
    struct mc_request *setup, *load, *final;
    size_t nsetup, nload, nfinal;
    struct mc_request **all; /* setup, load, final in order */
    size_t nall;
    struct mc_relation *relations;
    size_t nrelations;
    uint64_t total_weight; /* sum of load weights */
    /* ownership */
    struct mc_arena arena;
    regex_t **regexes;
    size_t nregexes, capregexes;
};

/* Parse the scenario file at path. On error returns MC_ERR_IO/MC_ERR_PARSE
 * and writes "path: field: problem" into err. */
mc_status mc_scenario_load(const char *path, struct mc_scenario **out,
                           char *err, size_t errlen) MC_WARN_UNUSED;
/* Same from text; name is used in messages in place of the file. */
mc_status mc_scenario_parse(const char *text, const char *name,
                            struct mc_scenario **out, char *err,
                            size_t errlen) MC_WARN_UNUSED;
/* The built-in scenario: GET path_prefix with a unique query token
 * ("?t={token}", or "&t={token}" if path_prefix has a query), expecting
 * status 200. path_prefix NULL means "/". */
struct mc_scenario *mc_scenario_default(const char *path_prefix);
void mc_scenario_free(struct mc_scenario *s);
const struct mc_request *mc_scenario_find(const struct mc_scenario *s,
                                          const char *id);

/* ---- checking one response ---- */

struct mc_header_view {
    const char *name, *value;
    size_t name_len, value_len;
};

struct mc_response_view {
    int status;
    const struct mc_header_view *headers;
    size_t nheaders;
    const char *body; /* NUL-terminated (a NUL inside ends regex matching) */
    size_t body_len;
};

struct mc_span {
    size_t off, len;
};

#define MC_CHECK_TEXT 256

/* The first failed check of a response. */
struct mc_check_fail {
    char check[64];               /* "status", "header Content-Type", ... */
    char expected[MC_CHECK_TEXT]; /* truncated and escaped */
    char got[MC_CHECK_TEXT];
};

/* Runs every expectation and capture of req against resp. Returns 1 when all
 * pass (caps[i] then holds capture i as a span of resp->body; caps needs
 * req->ncaptures entries), 0 with *fail filled otherwise. scratch is a
 * per-thread buffer reused for rendering. */
int mc_check_response(const struct mc_request *req,
                      const struct mc_tpl_vals *vals,
                      const struct mc_response_view *resp,
                      struct mc_buf *scratch, struct mc_span *caps,
                      struct mc_check_fail *fail);

/* Copies s (n bytes) into out (outlen) with C-style escapes, truncating
 * with "..." so that out is always NUL-terminated. */
void mc_escape_text(const char *s, size_t n, char *out, size_t outlen);

/* ---- captured values and relation evaluation ---- */

struct mc_capture_value {
    uint64_t seq;
    unsigned conn;
    const char *value;
};

struct mc_capture_list {
    struct mc_capture_value *v;
    size_t n, cap;
};

/* Values captured and successes counted during a run, indexed by request
 * index (scenario->all). One store per thread; merge at the end. */
struct mc_capture_store {
    const struct mc_scenario *scn;
    struct mc_arena arena;          /* captured strings */
    uint64_t *successes;            /* [nall]: responses whose status held */
    struct mc_capture_list **lists; /* [nall][ncaptures] */
};

void mc_capture_store_init(struct mc_capture_store *cs,
                           const struct mc_scenario *scn);
void mc_capture_store_add(struct mc_capture_store *cs,
                          const struct mc_request *req, unsigned cap,
                          uint64_t seq, unsigned conn, const char *v, size_t n);
/* Moves every value of src into dst (src stays valid but empty). */
void mc_capture_store_merge(struct mc_capture_store *dst,
                            struct mc_capture_store *src);
void mc_capture_store_free(struct mc_capture_store *cs);

struct mc_relation_result {
    const struct mc_relation *rel;
    int ok;
    char expected[MC_CHECK_TEXT];
    char got[MC_CHECK_TEXT];
};

/* Evaluates every relation of cs->scn; out needs scn->nrelations entries.
 * Returns the number of relations that failed. */
size_t mc_relations_eval(const struct mc_capture_store *cs,
                         struct mc_relation_result *out);

#endif
