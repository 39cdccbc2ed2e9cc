/*
 * audit.c — the binary lens: what a module's ELF shared object tells about
 * its thread safety without its source (libelf).
 *
 *  - imported (undefined) functions found in the MT-unsafe knowledge file
 *    -> binary-mt-unsafe-import (medium: the binary cannot show whether the
 *       call happens at request time or only at config time);
 *  - DT_NEEDED libraries found in the library knowledge file
 *    -> binary-library-caveat (severity from the file);
 *  - writable data the module defines (.data/.bss objects, not RELRO, not
 *    the module struct, not compiler runtime objects)
 *    -> binary-writable-global (info: a binary cannot show whether it is
 *       written at request time; a dynamic race on it confirms it);
 *  - whether it imports ap_mpm_query (a module may branch on threaded MPMs).
 */
#include "internal.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mc_file.h"

/* The knowledge files embedded at build time (generated report_kb.c). */
struct mc_report_kb_text {
    const char *name;
    const unsigned char *text;
};
extern const struct mc_report_kb_text mc_report_kb[];
extern const unsigned mc_report_nkb;

const char *mc__kb_text(const char *name)
{
    for (unsigned i = 0; i < mc_report_nkb; i++) {
        if (!strcmp(mc_report_kb[i].name, name))
            return (const char *)mc_report_kb[i].text;
    }
    return NULL;
}

/* Major module magic number of httpd 2.4, the first field of `module`. */
#define MC_MMN_MAJOR_24 20120211

struct elf_ctx {
    Elf *elf;
    size_t shstrndx;
    const char *path;
};

static json_t *new_finding(const char *check, const char *sev, const char *path,
                           const char *symbol)
{
    json_t *f = json_object();
    json_object_set_new(f, "check", json_string(check));
    json_object_set_new(f, "severity", json_string(sev));
    json_object_set_new(f, "lens", json_string("binary"));
    json_object_set_new(f, "file", json_string(path));
    json_object_set_new(f, "line", json_integer(0));
    json_object_set_new(f, "column", json_integer(0));
    json_object_set_new(f, "function", json_string(""));
    json_object_set_new(f, "symbol", json_string(symbol));
    json_object_set_new(f, "phase", json_string("unknown"));
    json_object_set_new(f, "path", json_array());
    json_object_set_new(f, "locks", json_array());
    return f;
}

static const char *section_name(struct elf_ctx *c, Elf_Scn *scn)
{
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh))
        return "";
    const char *n = elf_strptr(c->elf, c->shstrndx, sh.sh_name);
    return n ? n : "";
}

static Elf_Scn *find_section(struct elf_ctx *c, Elf64_Word type)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(c->elf, scn)) != NULL) {
        GElf_Shdr sh;
        if (gelf_getshdr(scn, &sh) && sh.sh_type == type)
            return scn;
    }
    return NULL;
}

/* Calls fn for every symbol of the symbol table section scn. */
typedef void (*sym_fn)(struct elf_ctx *c, const GElf_Sym *sym, const char *name,
                       void *arg);

static void for_each_symbol(struct elf_ctx *c, Elf_Scn *scn, sym_fn fn,
                            void *arg)
{
    GElf_Shdr sh;
    if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_entsize == 0)
        return;
    Elf_Data *data = elf_getdata(scn, NULL);
    size_t n = sh.sh_size / sh.sh_entsize;
    for (size_t i = 0; data && i < n; i++) {
        GElf_Sym sym;
        if (!gelf_getsym(data, (int)i, &sym))
            continue;
        const char *name = elf_strptr(c->elf, sh.sh_link, sym.st_name);
        if (name && *name)
            fn(c, &sym, name, arg);
    }
}

/* ---- imports ------------------------------------------------------------ */

struct import_ctx {
    json_t *mt_unsafe; /* knowledge: name -> [fix, why] */
    json_t *findings;
    int mpm_query;
    int nimports;
};

static void on_import(struct elf_ctx *c, const GElf_Sym *sym, const char *name,
                      void *arg)
{
    struct import_ctx *ic = arg;
    int type = GELF_ST_TYPE(sym->st_info);
    if (sym->st_shndx != SHN_UNDEF || (type != STT_FUNC && type != STT_NOTYPE))
        return;
    ic->nimports++;
    if (!strcmp(name, "ap_mpm_query"))
        ic->mpm_query = 1;
    json_t *k = json_object_get(ic->mt_unsafe, name);
    if (!k)
        return;
    json_t *f = new_finding("binary-mt-unsafe-import", "medium", c->path, name);
    const char *fix = json_string_value(json_array_get(k, 0));
    const char *src = json_string_value(json_array_get(k, 1));
    struct mc_buf m = MC_BUF_INIT;
    mc_buf_printf(&m,
                  "the module imports %s(), which is not thread-safe "
                  "(listed by %s); if it is called at request time, threads "
                  "race on its hidden state",
                  name, src ? src : "the MT-unsafe list");
    json_object_set_new(f, "message", json_string(m.data));
    mc_buf_free(&m);
    json_object_set_new(f, "fix", json_string(fix ? fix : ""));
    json_array_append_new(ic->findings, f);
}

/* ---- needed libraries ---------------------------------------------------- */

static json_t *needed_libraries(struct elf_ctx *c)
{
    json_t *out = json_array();
    Elf_Scn *scn = find_section(c, SHT_DYNAMIC);
    GElf_Shdr sh;
    if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_entsize == 0)
        return out;
    Elf_Data *data = elf_getdata(scn, NULL);
    size_t n = sh.sh_size / sh.sh_entsize;
    for (size_t i = 0; data && i < n; i++) {
        GElf_Dyn dyn;
        if (!gelf_getdyn(data, (int)i, &dyn) || dyn.d_tag != DT_NEEDED)
            continue;
        const char *lib = elf_strptr(c->elf, sh.sh_link, dyn.d_un.d_val);
        if (lib)
            json_array_append_new(out, json_string(lib));
    }
    return out;
}

static json_t *library_entry(json_t *libs, const char *soname,
                             const char **prefix)
{
    const char *key;
    json_t *v;
    size_t best = 0;
    json_t *found = NULL;
    json_object_foreach(libs, key, v)
    {
        size_t n = strlen(key);
        if (n > best && !strncmp(soname, key, n)) {
            best = n;
            found = v;
            *prefix = key;
        }
    }
    return found;
}

static void library_findings(struct elf_ctx *c, json_t *needed, json_t *libs,
                             json_t *findings)
{
    size_t i;
    json_t *v;
    json_array_foreach(needed, i, v)
    {
        const char *soname = json_string_value(v), *prefix = NULL;
        json_t *k = library_entry(libs, soname, &prefix);
        if (!k)
            continue;
        const char *verdict = json_string_value(json_array_get(k, 0));
        const char *sev = json_string_value(json_array_get(k, 1));
        const char *note = json_string_value(json_array_get(k, 2));
        if (mc__severity_rank(sev) < 0)
            sev = "low";
        json_t *f = new_finding("binary-library-caveat", sev, c->path, soname);
        struct mc_buf m = MC_BUF_INIT;
        mc_buf_printf(&m, "the module links %s (thread-safe: %s): %s", soname,
                      verdict ? verdict : "unknown", note ? note : "");
        json_object_set_new(f, "message", json_string(m.data));
        mc_buf_free(&m);
        json_object_set_new(f, "fix",
                            json_string("follow the library's thread-safety "
                                        "rules: initialise it before threads "
                                        "start, never share its handles "
                                        "between threads without a lock"));
        json_object_set_new(f, "library_thread_safe",
                            json_string(verdict ? verdict : "unknown"));
        json_array_append_new(findings, f);
    }
}

/* ---- writable globals ---------------------------------------------------- */

static int crt_object(const char *name)
{
    static const char *const names[] = {
        "__dso_handle", "__TMC_END__",  "_GLOBAL_OFFSET_TABLE_",
        "_DYNAMIC",     "__bss_start",  "_edata",
        "_end",         "__data_start", "data_start",
    };
    for (size_t i = 0; i < MC_ARRAY_LEN(names); i++) {
        if (!strcmp(name, names[i]))
            return 1;
    }
    /* crtstuff's static `completed` flag of __do_global_dtors_aux */
    return !strncmp(name, "completed.", 10);
}

static int writable_data_section(struct elf_ctx *c, size_t idx)
{
    Elf_Scn *scn = elf_getscn(c->elf, idx);
    GElf_Shdr sh;
    if (!scn || !gelf_getshdr(scn, &sh))
        return 0;
    if (!(sh.sh_flags & SHF_WRITE) || !(sh.sh_flags & SHF_ALLOC) ||
        (sh.sh_flags & SHF_EXECINSTR) || (sh.sh_flags & SHF_TLS))
        return 0;
    if (sh.sh_type != SHT_PROGBITS && sh.sh_type != SHT_NOBITS)
        return 0;
    const char *n = section_name(c, scn);
    /* RELRO data is read-only once relocated; the rest is bookkeeping. */
    static const char *const skip[] = {".data.rel.ro", ".got",
                                       ".init_array",  ".fini_array",
                                       ".dynamic",     ".tm_clone_table"};
    for (size_t i = 0; i < MC_ARRAY_LEN(skip); i++) {
        if (!strncmp(n, skip[i], strlen(skip[i])))
            return 0;
    }
    return 1;
}

/* Reads the first int of a symbol's initial bytes, or -1. */
static long first_int(struct elf_ctx *c, const GElf_Sym *sym)
{
    Elf_Scn *scn = elf_getscn(c->elf, sym->st_shndx);
    GElf_Shdr sh;
    if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS)
        return -1;
    Elf_Data *d = elf_getdata(scn, NULL);
    GElf_Addr off = sym->st_value - sh.sh_addr;
    if (!d || !d->d_buf || off + 4 > d->d_size)
        return -1;
    int v;
    memcpy(&v, (const char *)d->d_buf + off, sizeof v);
    return v;
}

static int is_module_struct(struct elf_ctx *c, const GElf_Sym *sym,
                            const char *name)
{
    size_t n = strlen(name);
    if (n < 8 || strcmp(name + n - 7, "_module") != 0)
        return 0;
    if (GELF_ST_BIND(sym->st_info) != STB_GLOBAL)
        return 0;
    long v = first_int(c, sym);
    return v == -1 || v == MC_MMN_MAJOR_24;
}

struct global_ctx {
    json_t *findings;
    const char *module_symbol;
};

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
    }
    return 1;
}

/* Static locals: gcc names them "var.N", clang "function.var". Splits the
 * ELF name into the variable and (when known) its function. */
static char *split_static_local(const char *name, char **function)
{
    const char *dot = strrchr(name, '.');
    *function = NULL;
    if (!dot)
        return mc_xstrdup(name);
    if (all_digits(dot + 1)) {
        const char *first = strchr(name, '.');
        return mc_xstrndup(name, (size_t)(first - name));
    }
    *function = mc_xstrndup(name, (size_t)(dot - name));
    return mc_xstrdup(dot + 1);
}

static void writable_global_finding(struct elf_ctx *c, const GElf_Sym *sym,
                                    const char *name, json_t *findings)
{
    char *function = NULL;
    char *plain = split_static_local(name, &function);
    const char *dot = strchr(name, '.');
    json_t *f = new_finding("binary-writable-global", "info", c->path, plain);
    Elf_Scn *scn = elf_getscn(c->elf, sym->st_shndx);
    const char *sec = scn ? section_name(c, scn) : "";
    int local = GELF_ST_BIND(sym->st_info) == STB_LOCAL;
    struct mc_buf m = MC_BUF_INIT;
    mc_buf_printf(&m,
                  "the module owns writable %s data '%s' (%llu bytes in %s), "
                  "shared by every thread of a process; it must only be "
                  "written before threads start or under a lock",
                  dot ? "static local" : (local ? "static" : "global"), plain,
                  (unsigned long long)sym->st_size, sec);
    json_object_set_new(f, "message", json_string(m.data));
    mc_buf_free(&m);
    json_object_set_new(f, "fix",
                        json_string("make it const, per-request (r->pool, "
                                    "request_config), per-thread, atomic "
                                    "(apr_atomic_*), or guard it with an "
                                    "apr_thread_mutex created at child_init"));
    json_object_set_new(f, "elf_symbol", json_string(name));
    if (function)
        json_object_set_new(f, "function", json_string(function));
    free(function);
    json_object_set_new(f, "size", json_integer((json_int_t)sym->st_size));
    json_object_set_new(f, "section", json_string(sec));
    json_object_set_new(f, "binding", json_string(local ? "local" : "global"));
    json_array_append_new(findings, f);
    free(plain);
}

static void on_defined(struct elf_ctx *c, const GElf_Sym *sym, const char *name,
                       void *arg)
{
    struct global_ctx *gc = arg;
    int type = GELF_ST_TYPE(sym->st_info);
    if (type != STT_OBJECT || sym->st_shndx == SHN_UNDEF ||
        sym->st_shndx >= SHN_LORESERVE)
        return;
    if (is_module_struct(c, sym, name)) {
        gc->module_symbol = name;
        return;
    }
    if (crt_object(name) || !writable_data_section(c, sym->st_shndx))
        return;
    writable_global_finding(c, sym, name, gc->findings);
}

/* ---- driver -------------------------------------------------------------- */

static int finding_cmp(const void *a, const void *b)
{
    const json_t *fa = *(json_t *const *)a, *fb = *(json_t *const *)b;
    int r = strcmp(mc__str(fa, "check", ""), mc__str(fb, "check", ""));
    return r ? r : strcmp(mc__str(fa, "symbol", ""), mc__str(fb, "symbol", ""));
}

static json_t *sorted(json_t *arr)
{
    size_t n = json_array_size(arr);
    json_t **v = mc_xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(arr, i));
    qsort(v, n, sizeof *v, finding_cmp);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out, v[i]);
    free(v);
    json_decref(arr);
    return out;
}

/* A knowledge table from the file given, else the embedded copy. */
static mc_status knowledge(const char *file, const char *name, json_t **out,
                           json_t *meta, const char *key, struct mc_buf *err)
{
    if (file) {
        json_object_set_new(meta, key, json_string(file));
        return mc__tsv_load(file, out, err);
    }
    const char *text = mc__kb_text(name);
    if (!text) {
        mc__err(err,
                "no built-in %s; give the file with --mt-unsafe FILE / "
                "--libraries FILE",
                name);
        return MC_ERR_IO;
    }
    struct mc_buf b = MC_BUF_INIT;
    mc_buf_printf(&b, "built-in %s", name);
    json_object_set_new(meta, key, json_string(b.data));
    mc_buf_free(&b);
    *out = mc__tsv_parse(text);
    return MC_OK;
}

static mc_status load_knowledge(const struct mc_audit_options *opt, json_t **mt,
                                json_t **libs, json_t *meta, struct mc_buf *err)
{
    if (knowledge(opt ? opt->mt_unsafe_file : NULL, "mt-unsafe.txt", mt, meta,
                  "mt_unsafe", err) != MC_OK)
        return MC_ERR_IO;
    if (knowledge(opt ? opt->libraries_file : NULL, "libraries.txt", libs, meta,
                  "libraries", err) != MC_OK) {
        json_decref(*mt);
        return MC_ERR_IO;
    }
    return MC_OK;
}

static mc_status open_elf(const char *path, int *fd, Elf **elf,
                          struct mc_buf *err)
{
    if (elf_version(EV_CURRENT) == EV_NONE) {
        mc__err(err, "libelf initialisation failed: %s", elf_errmsg(-1));
        return MC_ERR_RUNTIME;
    }
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0) {
        mc__err(err, "cannot open module '%s'", path);
        return MC_ERR_IO;
    }
    *elf = elf_begin(*fd, ELF_C_READ, NULL);
    GElf_Ehdr eh;
    if (!*elf || elf_kind(*elf) != ELF_K_ELF || !gelf_getehdr(*elf, &eh) ||
        eh.e_type != ET_DYN) {
        mc__err(err, "'%s' is not an ELF shared object (a module .so)", path);
        if (*elf)
            elf_end(*elf);
        close(*fd);
        return MC_ERR_PARSE;
    }
    return MC_OK;
}

static void audit_elf(struct elf_ctx *c, json_t *mt, json_t *libs, json_t *doc)
{
    json_t *findings = json_array();
    struct import_ctx ic = {mt, findings, 0, 0};
    Elf_Scn *dynsym = find_section(c, SHT_DYNSYM);
    Elf_Scn *symtab = find_section(c, SHT_SYMTAB);
    for_each_symbol(c, dynsym, on_import, &ic);
    json_t *needed = needed_libraries(c);
    library_findings(c, needed, libs, findings);
    struct global_ctx gc = {findings, NULL};
    for_each_symbol(c, symtab ? symtab : dynsym, on_defined, &gc);

    json_t *facts = json_object();
    json_object_set_new(facts, "imports_ap_mpm_query",
                        json_boolean(ic.mpm_query));
    json_object_set_new(facts, "imported_functions", json_integer(ic.nimports));
    json_object_set_new(facts, "needed", needed);
    json_object_set_new(facts, "symbol_table",
                        json_string(symtab ? ".symtab" : ".dynsym"));
    json_object_set_new(facts, "module_symbol",
                        gc.module_symbol ? json_string(gc.module_symbol)
                                         : json_null());
    json_object_set_new(doc, "facts", facts);
    json_object_set_new(doc, "findings", sorted(findings));
}

mc_status mc_audit_module(const char *so_path,
                          const struct mc_audit_options *opt, json_t **out,
                          struct mc_buf *err)
{
    json_t *doc = json_object(), *meta = json_object(), *mt, *libs;
    json_object_set_new(doc, "schema", json_string(MC_AUDIT_SCHEMA));
    if (load_knowledge(opt, &mt, &libs, meta, err) != MC_OK) {
        json_decref(doc);
        json_decref(meta);
        return MC_ERR_IO;
    }
    int fd;
    Elf *elf;
    mc_status st = open_elf(so_path, &fd, &elf, err);
    if (st == MC_OK) {
        struct elf_ctx c = {elf, 0, so_path};
        elf_getshdrstrndx(elf, &c.shstrndx);
        audit_elf(&c, mt, libs, doc);
        elf_end(elf);
        close(fd);
    }
    json_decref(mt);
    json_decref(libs);
    char hex[65];
    if (st == MC_OK && mc_file_sha256(so_path, hex) != MC_OK)
        st = MC_ERR_IO;
    if (st != MC_OK) {
        json_decref(doc);
        json_decref(meta);
        return st;
    }
    json_t *mod = json_object();
    json_object_set_new(mod, "path", json_string(so_path));
    json_object_set_new(mod, "name", json_string(mc__basename(so_path)));
    json_object_set_new(mod, "sha256", json_string(hex));
    json_object_set_new(doc, "module", mod);
    json_object_set_new(doc, "knowledge", meta);
    json_object_set_new(doc, "complete", json_true());
    *out = doc;
    return MC_OK;
}

void mc_audit_render_text(const json_t *audit, struct mc_buf *out)
{
    const json_t *facts = json_object_get(audit, "facts");
    const char *path = mc__str(json_object_get(audit, "module"), "path", "?");
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(audit, "findings"), i, f)
    {
        mc_buf_printf(out, "%s: %s: %s [%s]\n", path,
                      mc__str(f, "severity", "?"), mc__str(f, "message", ""),
                      mc__str(f, "check", "?"));
        const char *fix = mc__str(f, "fix", "");
        if (*fix && strcmp(mc__str(f, "check", ""), "binary-library-caveat"))
            mc_buf_printf(out, "%s: note: fix: %s\n", path, fix);
    }
    mc_buf_printf(out, "%s: note: module struct %s; %s ap_mpm_query%s\n", path,
                  mc__str(facts, "module_symbol", "not found"),
                  mc__bool(facts, "imports_ap_mpm_query", 0)
                      ? "imports"
                      : "does not import",
                  mc__bool(facts, "imports_ap_mpm_query", 0)
                      ? " (it may take a different path under threaded MPMs)"
                      : "");
    mc_buf_printf(out, "%s: %zu finding(s)\n", path,
                  json_array_size(json_object_get(audit, "findings")));
}
