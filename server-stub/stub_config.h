/*
 * stub_config.h - helpers shared by config.c and core.c (configuration
 * phase, plus the .htaccess reader used at request time on request pools).
 * Memory comes from the pool passed in. Not for modules.
 */
#ifndef MC_STUB_CONFIG_H
#define MC_STUB_CONFIG_H

#include "stub.h"

/* Define'd names (config phase only). */
extern apr_table_t *mc__defines;

apr_status_t mc__cfg_open(apr_pool_t *p, const char *path,
                          ap_configfile_t **ret);
char *mc__cfg_getword(apr_pool_t *p, const char **line);
char *mc__core_root_relative(apr_pool_t *p, const char *name);
apr_array_header_t *mc__list_dir(apr_pool_t *p, const char *dir,
                                 const char *pattern);
const char *mc__process_string(server_rec *s, const char *name,
                               const char *text, ap_directive_t **conftree,
                               apr_pool_t *p, apr_pool_t *ptemp);
const char *mc__process_tree(server_rec *s, ap_directive_t *conftree,
                             apr_pool_t *p, apr_pool_t *ptemp);

#endif
