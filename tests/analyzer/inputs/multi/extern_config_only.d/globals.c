/*
 * Negative, three files: the globals are defined here, written only at
 * config time in config.c, read at request time in handler.c.
 */
#include "apr.h"

const char *ex_prefix;
int ex_enabled;
