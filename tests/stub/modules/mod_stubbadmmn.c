/*
 * mod_stubbadmmn.c - a module record claiming an old module magic number
 * (httpd 2.0's 20020903): the host must refuse it by name.
 */
#include "httpd.h"
#include "http_config.h"

module AP_MODULE_DECLARE_DATA stubbadmmn_module = {
    20020903, 0,    -1,   __FILE__, NULL, NULL, MODULE_MAGIC_COOKIE, NULL, NULL,
    NULL,     NULL, NULL, NULL,     NULL, 0};
