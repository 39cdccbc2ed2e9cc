/*
 * mc_file.h — whole-file I/O, atomic writes and content hashes.
 *
 * mc_file_read returns a malloc'ed NUL-terminated copy (caller frees).
 * mc_file_write_atomic writes to "<path>.tmp.<pid>" and renames it over path,
 * so a reader never sees a half-written report. Thread-safe.
 */
#ifndef MC_FILE_H
#define MC_FILE_H

#include "mc_common.h"

mc_status mc_file_read(const char *path, char **out,
                       size_t *len) MC_WARN_UNUSED;
mc_status mc_file_write_atomic(const char *path, const void *data,
                               size_t len) MC_WARN_UNUSED;
/* Lowercase hex SHA-256 of a file's bytes into hex[65]. */
mc_status mc_file_sha256(const char *path, char hex[65]) MC_WARN_UNUSED;
void mc_sha256_hex(const void *data, size_t len, char hex[65]);
/* mkdir -p; ok if it exists. */
mc_status mc_mkdirs(const char *path) MC_WARN_UNUSED;

#endif
