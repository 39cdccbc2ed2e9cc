/*
 * gdb.c — gdb backtraces (`bt`, `thread apply all bt`) into stacks.
 *
 *   Thread 3 (Thread 0x7f.. (LWP 1234) "modcert-stub"):
 *   #0  0x00007f.. in __futex_abstimed_wait_common64 (...) at f.c:57
 *   #1  ledger_handler (r=0x...) at /src/mod_ledger.c:78
 *   #2  0x00007f.. in start_thread () from /lib/x86_64-linux-gnu/libc.so.6
 */
#include "detector.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *new_stack(const char *thread)
{
    json_t *st = json_object();
    json_object_set_new(st, "thread", json_string(thread));
    json_object_set_new(st, "access", json_string("stack"));
    json_object_set_new(st, "hook", json_null());
    json_object_set_new(st, "previous", json_false());
    json_object_set_new(st, "frames", json_array());
    return st;
}

/* "#N  [0xADDR in ]FUNC (ARGS) [at FILE:LINE | from LIB]" */
static json_t *gdb_frame(const char *s)
{
    char fn[512] = "", file[1024] = "", mod[1024] = "";
    const char *at, *from;
    long line = 0;
    size_t n;
    s = strchr(s, ' ');
    if (!s)
        return NULL;
    while (*s == ' ')
        ++s;
    if (!strncmp(s, "0x", 2)) {
        const char *in = strstr(s, " in ");
        if (!in)
            return NULL;
        s = in + 4;
    }
    n = strcspn(s, " (");
    if (n >= sizeof fn)
        n = sizeof fn - 1;
    memcpy(fn, s, n);
    fn[n] = 0;
    at = strstr(s, ") at ");
    from = strstr(s, ") from ");
    if (at) {
        const char *colon;
        at += 5;
        colon = strrchr(at, ':');
        if (colon && isdigit((unsigned char)colon[1])) {
            size_t k = (size_t)(colon - at) < sizeof file - 1
                           ? (size_t)(colon - at)
                           : sizeof file - 1;
            memcpy(file, at, k);
            file[k] = 0;
            line = strtol(colon + 1, NULL, 10);
        }
    } else if (from) {
        snprintf(mod, sizeof mod, "%s", from + 7);
        mod[strcspn(mod, "\r\n ")] = 0;
    }
    return mc_det_frame(fn[0] ? fn : NULL, file[0] ? file : NULL, line,
                        mod[0] ? mod : NULL);
}

/* gdb prints a function inlined into its caller as a frame of its own with
 * the caller's address; only the caller's line names the object. */
static void inherit_object(json_t *frames, json_t *fr, const char *addr,
                           const char *prev_addr)
{
    json_t *prev = json_array_get(frames, json_array_size(frames) - 1);
    json_t *mod = json_object_get(fr, "module");
    if (prev && addr[0] && !strcmp(addr, prev_addr) && json_is_string(mod) &&
        json_is_null(json_object_get(prev, "module")))
        json_object_set(prev, "module", mod);
}

static void frame_addr(const char *line, char *out, size_t len)
{
    const char *s = strchr(line, ' ');
    out[0] = 0;
    if (s && (s = strstr(s, "0x")) != NULL && s < line + 12)
        snprintf(out, len, "%.*s", (int)strcspn(s, " "), s);
}

json_t *mc_gdb_parse_stacks(const char *text)
{
    json_t *stacks = json_array(), *cur = NULL;
    char prev_addr[32] = "";
    const char *s = text;
    char line[4096];
    while (s && *s) {
        size_t n = strcspn(s, "\n");
        size_t k = n < sizeof line - 1 ? n : sizeof line - 1;
        memcpy(line, s, k);
        line[k] = 0;
        s += n + (s[n] == '\n');
        if (!strncmp(line, "Thread ", 7) && strchr(line, '(')) {
            char th[64] = "";
            sscanf(line + 7, "%63[0-9]", th);
            cur = new_stack(th);
            json_array_append_new(stacks, cur);
        } else if (line[0] == '#' && isdigit((unsigned char)line[1])) {
            json_t *fr = gdb_frame(line);
            char addr[32];
            if (!fr)
                continue;
            if (!cur) {
                cur = new_stack("1");
                json_array_append_new(stacks, cur);
            }
            frame_addr(line, addr, sizeof addr);
            inherit_object(json_object_get(cur, "frames"), fr, addr, prev_addr);
            snprintf(prev_addr, sizeof prev_addr, "%s", addr);
            json_array_append_new(json_object_get(cur, "frames"), fr);
        }
    }
    return stacks;
}
