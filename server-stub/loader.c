/*
 * loader.c - the module list and LoadModule.
 *
 * Before a module .so is opened, its undefined dynamic symbols are compared
 * with what this process provides (the stub's exported httpd API plus every
 * library already in the global scope, plus the module's own DT_NEEDED
 * libraries); a module needing an API the stub lacks is refused with the
 * list of missing names instead of failing inside dlopen() or crashing later.
 * Opened modules are checked for httpd's magic cookie and module magic number
 * (MMN), then added like httpd's ap_add_module(): index, list, commands and
 * register_hooks. All of this runs in the configuration phase (one thread).
 */
#include "stub.h"

#include "ap_mmn.h"
#include "apr_strings.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <unistd.h>

/* Module list: written in the configuration phase only. */
AP_DECLARE_DATA module *ap_top_module = NULL;
AP_DECLARE_DATA module **ap_loaded_modules = NULL;
AP_DECLARE_DATA module *ap_prelinked_modules[] = {&core_module, NULL};
AP_DECLARE_DATA module *ap_preloaded_modules[] = {&core_module, NULL};
AP_DECLARE_DATA ap_module_symbol_t ap_prelinked_module_symbols[] = {
    {"core_module", &core_module}, {NULL, NULL}};

static int total_modules;                                 /* config phase */
static const char *short_names[DYNAMIC_MODULE_LIMIT + 1]; /* config phase */

AP_DECLARE(void) ap_register_hooks(module *m, apr_pool_t *p)
{
    mc_stub_perturb();
    if (m->register_hooks) {
        apr_hook_debug_current = m->name;
        m->register_hooks(p);
    }
}

static const char *module_short_name(apr_pool_t *p, const char *sym)
{
    const char *us = strrchr(sym, '_');
    if (us && strcmp(us, "_module") == 0)
        return apr_pstrndup(p, sym, (apr_size_t)(us - sym));
    return apr_pstrdup(p, sym);
}

AP_DECLARE(const char *)
ap_add_module(module *m, apr_pool_t *p, const char *sym_name)
{
    mc_stub_perturb();
    if (m->version != MODULE_MAGIC_NUMBER_MAJOR)
        return apr_psprintf(p,
                            "module \"%s\" is not compatible with this "
                            "version of httpd (found MMN %d, need %d)",
                            m->name, m->version, MODULE_MAGIC_NUMBER_MAJOR);
    if (m->module_index == -1) {
        if (total_modules >= DYNAMIC_MODULE_LIMIT)
            return apr_psprintf(p, "module \"%s\": too many modules (%d)",
                                m->name, DYNAMIC_MODULE_LIMIT);
        m->module_index = total_modules++;
    }
    if (m->next == NULL && m != ap_top_module) {
        m->next = ap_top_module;
        ap_top_module = m;
    }
    if (strrchr(m->name, '/'))
        m->name = 1 + strrchr(m->name, '/');
    if (m->module_index < DYNAMIC_MODULE_LIMIT)
        short_names[m->module_index] =
            sym_name ? module_short_name(p, sym_name) : m->name;
    if (m->module_index >= mc__stub.max_module_index)
        mc__stub.max_module_index = m->module_index + 1;
    ap_register_hooks(m, p);
    return NULL;
}

AP_DECLARE(void) ap_remove_module(module *m)
{
    module **mp = &ap_top_module;
    mc_stub_perturb();
    while (*mp && *mp != m)
        mp = &(*mp)->next;
    if (*mp)
        *mp = m->next;
    m->next = NULL;
}

AP_DECLARE(const char *)
ap_add_loaded_module(module *mod, apr_pool_t *p, const char *short_name)
{
    const char *err = ap_add_module(mod, p, short_name);
    module **m;
    int n = 0;
    if (err)
        return err;
    for (m = ap_loaded_modules; m && *m; ++m)
        ++n;
    m = apr_pcalloc(p, sizeof(module *) * (apr_size_t)(n + 2));
    if (n)
        memcpy(m, ap_loaded_modules, sizeof(module *) * (apr_size_t)n);
    m[n] = mod;
    ap_loaded_modules = m;
    return NULL;
}

AP_DECLARE(void) ap_remove_loaded_module(module *mod)
{
    module **m;
    ap_remove_module(mod);
    for (m = ap_loaded_modules; m && *m; ++m)
        if (*m == mod) {
            for (; *m; ++m)
                m[0] = m[1];
            break;
        }
}

AP_DECLARE(const char *) ap_find_module_name(module *m)
{
    mc_stub_perturb();
    if (m->module_index >= 0 && m->module_index < DYNAMIC_MODULE_LIMIT &&
        short_names[m->module_index])
        return short_names[m->module_index];
    return m->name;
}

AP_DECLARE(const char *) ap_find_module_short_name(int module_index)
{
    mc_stub_perturb();
    if (module_index < 0 || module_index >= DYNAMIC_MODULE_LIMIT)
        return NULL;
    return short_names[module_index];
}

AP_DECLARE(module *) ap_find_linked_module(const char *name)
{
    module *m;
    mc_stub_perturb();
    for (m = ap_top_module; m; m = m->next)
        if (strcmp(m->name, name) == 0)
            return m;
    return NULL;
}

void mc__setup_core_modules(apr_pool_t *p)
{
    core_module.module_index = -1;
    core_module.next = NULL;
    ap_top_module = NULL;
    ap_loaded_modules = NULL;
    total_modules = 0;
    ap_add_loaded_module(&core_module, p, "core_module");
}

/* --- symbol check ------------------------------------------------------- */

struct elf_info {
    apr_array_header_t *undef;  /* const char * */
    apr_array_header_t *needed; /* const char * */
};

static void collect_dynsym(Elf *e, Elf_Scn *scn, GElf_Shdr *sh,
                           struct elf_info *info, apr_pool_t *p)
{
    Elf_Data *d = elf_getdata(scn, NULL);
    size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;
    for (size_t i = 1; d && i < n; ++i) {
        GElf_Sym sym;
        const char *name;
        if (!gelf_getsym(d, (int)i, &sym))
            continue;
        if (sym.st_shndx != SHN_UNDEF || GELF_ST_BIND(sym.st_info) == STB_WEAK)
            continue;
        name = elf_strptr(e, sh->sh_link, sym.st_name);
        if (name && *name)
            APR_ARRAY_PUSH(info->undef, const char *) = apr_pstrdup(p, name);
    }
}

static void collect_needed(Elf *e, Elf_Scn *scn, GElf_Shdr *sh,
                           struct elf_info *info, apr_pool_t *p)
{
    Elf_Data *d = elf_getdata(scn, NULL);
    size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;
    for (size_t i = 0; d && i < n; ++i) {
        GElf_Dyn dyn;
        if (!gelf_getdyn(d, (int)i, &dyn))
            continue;
        if (dyn.d_tag == DT_NEEDED) {
            const char *name = elf_strptr(e, sh->sh_link, dyn.d_un.d_val);
            if (name)
                APR_ARRAY_PUSH(info->needed, const char *) =
                    apr_pstrdup(p, name);
        }
    }
}

static const char *read_elf(apr_pool_t *p, const char *path,
                            struct elf_info *info)
{
    int fd;
    Elf *e;
    Elf_Scn *scn = NULL;
    if (elf_version(EV_CURRENT) == EV_NONE)
        return "libelf initialisation failed";
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return apr_psprintf(p, "cannot open module file '%s'", path);
    e = elf_begin(fd, ELF_C_READ, NULL);
    if (!e || elf_kind(e) != ELF_K_ELF) {
        if (e)
            elf_end(e);
        close(fd);
        return apr_psprintf(p, "'%s' is not an ELF shared object", path);
    }
    while ((scn = elf_nextscn(e, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh))
            continue;
        if (sh.sh_type == SHT_DYNSYM)
            collect_dynsym(e, scn, &sh, info, p);
        else if (sh.sh_type == SHT_DYNAMIC)
            collect_needed(e, scn, &sh, info, p);
    }
    elf_end(e);
    close(fd);
    return NULL;
}

static int provided_by_needed(apr_array_header_t *handles, const char *sym)
{
    for (int i = 0; i < handles->nelts; ++i)
        if (dlsym(APR_ARRAY_IDX(handles, i, void *), sym))
            return 1;
    return 0;
}

const char *mc__check_module_symbols(apr_pool_t *p, const char *path,
                                     apr_array_header_t *missing)
{
    struct elf_info info;
    apr_array_header_t *handles = apr_array_make(p, 4, sizeof(void *));
    const char *err;
    info.undef = apr_array_make(p, 64, sizeof(const char *));
    info.needed = apr_array_make(p, 8, sizeof(const char *));
    err = read_elf(p, path, &info);
    if (err)
        return err;
    for (int i = 0; i < info.needed->nelts; ++i) {
        void *h = dlopen(APR_ARRAY_IDX(info.needed, i, const char *),
                         RTLD_LAZY | RTLD_LOCAL);
        if (h)
            APR_ARRAY_PUSH(handles, void *) = h;
    }
    for (int i = 0; i < info.undef->nelts; ++i) {
        const char *sym = APR_ARRAY_IDX(info.undef, i, const char *);
        if (dlsym(RTLD_DEFAULT, sym) || provided_by_needed(handles, sym))
            continue;
        APR_ARRAY_PUSH(missing, const char *) = sym;
    }
    for (int i = 0; i < handles->nelts; ++i)
        dlclose(APR_ARRAY_IDX(handles, i, void *));
    return NULL;
}

static const char *missing_list(apr_pool_t *p, apr_array_header_t *missing)
{
    return apr_array_pstrcat(p, missing, ' ');
}

struct loaded {
    module *m;
    void *handle;
};

/* pconf cleanup: unloads a module like httpd's mod_so does at restart. */
static apr_status_t unload_module(void *data)
{
    struct loaded *l = data;
    l->m->module_index = -1;
    l->m->next = NULL;
    dlclose(l->handle);
    return APR_SUCCESS;
}

/* Opens `path`, checks the module record `name` and adds it. */
const char *mc__load_module(apr_pool_t *p, const char *name, const char *path)
{
    apr_array_header_t *missing = apr_array_make(p, 8, sizeof(const char *));
    const char *err = mc__check_module_symbols(p, path, missing);
    void *h;
    module *m;
    if (err)
        return err;
    if (missing->nelts > 0)
        return apr_psprintf(p,
                            "module %s (%s) needs API this host does not "
                            "provide: %s",
                            name, path, missing_list(p, missing));
    h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    if (!h)
        return apr_psprintf(p, "cannot load %s: %s", path, dlerror());
    m = dlsym(h, name);
    if (!m) {
        dlclose(h);
        return apr_psprintf(p,
                            "can't locate API module structure `%s' in "
                            "file %s",
                            name, path);
    }
    if (m->magic != MODULE_MAGIC_COOKIE) {
        dlclose(h);
        return apr_psprintf(p,
                            "module %s in %s is garbled - expected signature "
                            "%08lx but saw %08lx",
                            name, path, (unsigned long)MODULE_MAGIC_COOKIE,
                            m->magic);
    }
    if (m->version != MODULE_MAGIC_NUMBER_MAJOR ||
        m->minor_version > MODULE_MAGIC_NUMBER_MINOR) {
        int major = m->version, minor = m->minor_version;
        dlclose(h);
        return apr_psprintf(p,
                            "module %s in %s has the wrong module magic "
                            "number %d:%d (this host: %d:%d)",
                            name, path, major, minor, MODULE_MAGIC_NUMBER_MAJOR,
                            MODULE_MAGIC_NUMBER_MINOR);
    }
    if (m->module_index != -1 || ap_find_linked_module(m->name))
        return apr_psprintf(
            p, "module %s: loaded before, this LoadModule is ignored", name);
    m->dynamic_load_handle = h;
    err = ap_add_loaded_module(m, p, name);
    if (!err) {
        struct loaded *l = apr_palloc(p, sizeof(*l));
        l->m = m;
        l->handle = h;
        apr_pool_cleanup_register(p, l, unload_module, apr_pool_cleanup_null);
    }
    return err;
}
