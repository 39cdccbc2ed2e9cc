/* scan-flags: -- -I/usr/include/libxml2 */
/*
 * libxml2's xmlCleanupParser frees global parser state other threads are
 * using; calling it per request (a common copy-paste from libxml2's
 * examples) crashes concurrent parses. xmlInitParser/xmlCleanupParser
 * belong in post_config / a pconf cleanup, where they are fine.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <libxml/parser.h>

static apr_status_t xml_pconf_cleanup(void *data)
{
    xmlCleanupParser();
    return APR_SUCCESS;
}

static int xml_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s)
{
    xmlInitParser();
    apr_pool_cleanup_register(pconf, NULL, xml_pconf_cleanup,
                              apr_pool_cleanup_null);
    return OK;
}

static int xml_handler(request_rec *r)
{
    xmlDocPtr doc;

    if (!r->handler || strcmp(r->handler, "xmlcheck") != 0 || !r->args)
        return DECLINED;
    doc = xmlReadMemory(r->args, (int)strlen(r->args), "args.xml", NULL, 0);
    if (doc)
        xmlFreeDoc(doc);
    xmlCleanupParser(); /* expect: mt-unsafe-call(xmlCleanupParser) */
    ap_set_content_type(r, "text/plain");
    ap_rputs(doc ? "well-formed\n" : "broken\n", r);
    return OK;
}

static void xml_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(xml_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(xml_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA xml_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    xml_register_hooks
};
