/*
 * data.c - httpd's exported data symbols that have no better home in the
 * stub (scoreboard, listeners, configuration tree). Written in the startup
 * and configuration phases only.
 */
#include "stub.h"

#include "ap_listen.h"
#include "http_main.h"
#include "mod_core.h"
#include "scoreboard.h"
#include "util_cfgtree.h"

AP_DECLARE_DATA ap_listen_rec *ap_listeners = NULL;
AP_DECLARE_DATA int ap_num_listen_buckets = 1;
AP_DECLARE_DATA int ap_have_so_reuseport = 0;
AP_DECLARE_DATA scoreboard *ap_scoreboard_image = NULL;
AP_DECLARE_DATA const char *ap_scoreboard_fname = NULL;
AP_DECLARE_DATA int ap_extended_status = 0;
AP_DECLARE_DATA int ap_mod_status_reqtail = 0;
AP_DECLARE_DATA ap_directive_t *ap_conftree = NULL;
AP_DECLARE_DATA int ap_document_root_check = 1;
AP_DECLARE_DATA const char *ap_multipart_boundary = "modcertstubboundary";
