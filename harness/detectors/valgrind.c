/*
 * valgrind.c — helgrind and drd XML output (--xml=yes) into findings,
 * parsed with expat; and valgrind's text log for fatal signals.
 *
 * In an <error>: <kind> (helgrind Race / LockOrder, drd ConflictingAccess),
 * the describing texts (<what>, <xwhat><text>, <auxwhat>,
 * <xauxwhat><text>), and each <stack> of <frame>s (ip, obj, fn, dir, file,
 * line). A stack takes its label from the last text before it: "... during
 * write of size 8 ... by thread #3", "This conflicts with a previous read
 * ... by thread #2", drd's other-segment stacks. The global comes from
 * 'global var "name"'. A <fatal_signal> becomes a crash finding.
 */
#include "detector.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies src into dst[n], cut to fit. */
static void copy_text(char *dst, size_t n, const char *src)
{
    size_t k = strlen(src);
    if (k >= n)
        k = n - 1;
    memcpy(dst, src, k);
    dst[k] = 0;
}

struct vg {
    const struct mc_det_ctx *ctx;
    const char *detector;
    json_t *findings;
    json_t *err; /* finding being built, or NULL */
    char kind[64];
    char label[512]; /* last describing text */
    json_t *frames;  /* stack being filled */
    int nstacks;
    int in_error, in_fatal, in_frame;
    char fr_fn[512], fr_dir[1024], fr_file[512], fr_obj[1024];
    long fr_line;
    char text[2048]; /* character data of the current leaf */
    size_t tlen;
    char signame[32];
    char tool[32]; /* <tool> of the document */
};

static int has_crash(json_t *findings)
{
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        if (!strcmp(json_string_value(json_object_get(f, "kind")), "crash"))
            return 1;
    }
    return 0;
}

static const char *access_of(const char *label)
{
    if (strstr(label, "write") || strstr(label, "store"))
        return "write";
    if (strstr(label, "read") || strstr(label, "load"))
        return "read";
    if (strstr(label, "lock") || strstr(label, "acquired"))
        return "lock";
    return "unknown";
}

static void thread_of(const char *label, char *out, size_t len)
{
    const char *t = strstr(label, "thread #");
    out[0] = 0;
    if (t)
        snprintf(out, len, "%d", atoi(t + 8));
    else if ((t = strstr(label, "thread ")) != NULL)
        snprintf(out, len, "%d", atoi(t + 7));
}

static void open_stack(struct vg *v)
{
    json_t *st = json_object();
    char th[32];
    thread_of(v->label, th, sizeof th);
    json_object_set_new(st, "thread", json_string(th));
    json_object_set_new(
        st, "access", json_string(v->in_fatal ? "crash" : access_of(v->label)));
    json_object_set_new(st, "hook", json_null());
    json_object_set_new(st, "previous",
                        json_boolean(v->nstacks > 0 && !v->in_fatal));
    json_object_set_new(st, "label", json_string(v->label));
    v->frames = json_array();
    json_object_set_new(st, "frames", v->frames);
    json_array_append_new(json_object_get(v->err, "stacks"), st);
    v->nstacks++;
}

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **attrs)
{
    struct vg *v = ud;
    (void)attrs;
    v->tlen = 0;
    v->text[0] = 0;
    if (!strcmp(name, "error") || !strcmp(name, "fatal_signal")) {
        v->in_error = 1;
        v->in_fatal = !strcmp(name, "fatal_signal");
        v->err = mc_det_finding(v->in_fatal ? "crash" : "race",
                                v->tool[0] ? v->tool : v->detector);
        v->kind[0] = v->label[0] = v->signame[0] = 0;
        v->nstacks = 0;
        v->frames = NULL;
    } else if (!v->err) {
        return;
    } else if (!strcmp(name, "stack")) {
        open_stack(v);
    } else if (!strcmp(name, "frame")) {
        v->in_frame = 1;
        v->fr_fn[0] = v->fr_dir[0] = v->fr_file[0] = v->fr_obj[0] = 0;
        v->fr_line = 0;
    } else if (!strncmp(name, "other_segment_", 14)) {
        snprintf(v->label, sizeof v->label, "other segment (%s)", name + 14);
    }
}

static void symbol_from(struct vg *v, const char *t)
{
    const char *g = strstr(t, "global var \"");
    char sym[256];
    if (!g && (g = strstr(t, "data symbol \"")) != NULL)
        g += 1; /* same length as "global var " plus one */
    if (g && sscanf(g + 12, "%255[^\"]", sym) == 1)
        json_object_set_new(v->err, "symbol", json_string(sym));
}

static void end_frame(struct vg *v)
{
    char file[1600];
    v->in_frame = 0;
    if (!v->frames)
        return;
    if (v->fr_file[0] && v->fr_dir[0])
        snprintf(file, sizeof file, "%s/%s", v->fr_dir, v->fr_file);
    else
        snprintf(file, sizeof file, "%s", v->fr_file);
    json_array_append_new(v->frames,
                          mc_det_frame(v->fr_fn[0] ? v->fr_fn : NULL,
                                       file[0] ? file : NULL, v->fr_line,
                                       v->fr_obj[0] ? v->fr_obj : NULL));
}

static void leaf(struct vg *v, const char *name, const char *t)
{
    if (v->in_frame) {
        if (!strcmp(name, "fn"))
            copy_text(v->fr_fn, sizeof v->fr_fn, t);
        else if (!strcmp(name, "dir"))
            copy_text(v->fr_dir, sizeof v->fr_dir, t);
        else if (!strcmp(name, "file"))
            copy_text(v->fr_file, sizeof v->fr_file, t);
        else if (!strcmp(name, "obj"))
            copy_text(v->fr_obj, sizeof v->fr_obj, t);
        else if (!strcmp(name, "line"))
            v->fr_line = atol(t);
        return;
    }
    if (!strcmp(name, "kind"))
        copy_text(v->kind, sizeof v->kind, t);
    else if (!strcmp(name, "signame"))
        copy_text(v->signame, sizeof v->signame, t);
    else if (!strcmp(name, "what") || !strcmp(name, "text") ||
             !strcmp(name, "auxwhat")) {
        if (!json_object_get(v->err, "message"))
            json_object_set_new(v->err, "message", json_string(t));
        copy_text(v->label, sizeof v->label, t);
        symbol_from(v, t);
    }
}

static void end_error(struct vg *v)
{
    json_t *f = v->err;
    int keep = 1;
    v->err = NULL;
    v->in_error = 0;
    if (v->in_fatal) {
        json_object_set_new(f, "signal", json_string(v->signame));
        keep = !has_crash(v->findings);
    } else if (!strcmp(v->kind, "LockOrder")) {
        json_object_set_new(f, "kind", json_string("deadlock"));
    } else if (strcmp(v->kind, "Race") && strcmp(v->kind, "ConflictingAccess"))
        keep = 0; /* API misuse reports etc.: not what the lens reports */
    v->in_fatal = 0;
    if (!keep) {
        json_decref(f);
        return;
    }
    mc_det_finish(f, v->ctx);
    json_array_append_new(v->findings, f);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct vg *v = ud;
    char t[sizeof v->text];
    snprintf(t, sizeof t, "%s", v->text);
    v->tlen = 0;
    v->text[0] = 0;
    if (!v->err) {
        if (!strcmp(name, "tool"))
            copy_text(v->tool, sizeof v->tool, t);
        return;
    }
    if (!strcmp(name, "frame"))
        end_frame(v);
    else if (!strcmp(name, "stack"))
        v->frames = NULL;
    else if (!strcmp(name, "error") || !strcmp(name, "fatal_signal"))
        end_error(v);
    else
        leaf(v, name, t);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    struct vg *v = ud;
    size_t n = (size_t)len;
    if (v->tlen + n >= sizeof v->text)
        n = sizeof v->text - 1 - v->tlen;
    memcpy(v->text + v->tlen, s, n);
    v->tlen += n;
    v->text[v->tlen] = 0;
}

mc_status mc_valgrind_parse(const char *path, const struct mc_det_ctx *ctx,
                            json_t *findings, char *err, size_t errlen)
{
    struct vg *v = mc_xcalloc(1, sizeof *v);
    FILE *f = fopen(path, "r");
    XML_Parser p;
    char buf[65536];
    size_t n;
    mc_status st = MC_OK;
    if (!f) {
        free(v);
        snprintf(err, errlen, "%s: cannot read the valgrind XML", path);
        return MC_ERR_IO;
    }
    v->ctx = ctx;
    v->findings = findings;
    v->detector = "valgrind";
    p = XML_ParserCreate(NULL);
    XML_SetUserData(p, v);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 || !feof(f)) {
        if (XML_Parse(p, buf, (int)n, 0) == XML_STATUS_ERROR)
            break;
        if (n == 0)
            break;
    }
    if (XML_Parse(p, "", 0, 1) == XML_STATUS_ERROR &&
        XML_GetErrorCode(p) != XML_ERROR_NO_ELEMENTS) {
        /* a run cut short leaves the document unterminated: keep what
         * was complete, and say so */
        snprintf(err, errlen, "%s: line %lu: %s (output cut short?)", path,
                 (unsigned long)XML_GetCurrentLineNumber(p),
                 XML_ErrorString(XML_GetErrorCode(p)));
        st = json_array_size(findings) ? MC_OK : MC_ERR_PARSE;
    }
    json_decref(v->err);
    XML_ParserFree(p);
    fclose(f);
    free(v);
    return st;
}

/* "   at 0x4849E41: memset (vg_replace_strmem.c:1386)" or
 * "   by 0x10A2B3: main (in /usr/bin/prog)" */
static json_t *log_frame(const char *s)
{
    char fn[512] = "", loc[1024] = "";
    const char *colon = strstr(s, ": ");
    long line = 0;
    if (!colon)
        return NULL;
    sscanf(colon + 2, "%511s (%1023[^)])", fn, loc);
    if (!strncmp(loc, "in ", 3))
        return mc_det_frame(fn, NULL, 0, loc + 3);
    char *c = strrchr(loc, ':');
    if (c) {
        *c = 0;
        line = atol(c + 1);
    }
    return mc_det_frame(fn, loc[0] ? loc : NULL, line, NULL);
}

void mc_valgrind_parse_log(const char *path, const struct mc_det_ctx *ctx,
                           const char *detector, json_t *findings)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    json_t *fin = NULL, *frames = NULL;
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        const char *s = strstr(line, "== "), *t;
        s = s ? s + 3 : line;
        if ((t = strstr(s, "Process terminating with default action of "
                           "signal")) != NULL &&
            !fin && !has_crash(findings)) {
            char sig[32] = "";
            const char *open = strchr(t, '(');
            json_t *st = json_object();
            if (open)
                sscanf(open + 1, "%31[A-Z0-9]", sig);
            fin = mc_det_finding("crash", detector);
            json_object_set_new(fin, "signal", json_string(sig));
            json_object_set_new(fin, "message", json_string(t));
            frames = json_array();
            json_object_set_new(st, "thread", json_string(""));
            json_object_set_new(st, "access", json_string("crash"));
            json_object_set_new(st, "previous", json_false());
            json_object_set_new(st, "frames", frames);
            json_array_append_new(json_object_get(fin, "stacks"), st);
        } else if (frames && (strstr(s, "  at 0x") || strstr(s, "  by 0x"))) {
            json_t *fr = log_frame(s);
            if (fr)
                json_array_append_new(frames, fr);
        } else if (frames && json_array_size(frames)) {
            frames = NULL; /* the stack ended */
        }
    }
    fclose(f);
    if (fin) {
        mc_det_finish(fin, ctx);
        json_array_append_new(findings, fin);
    }
}
