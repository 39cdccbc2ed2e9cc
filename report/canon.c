/*
 * canon.c — canonical JSON for digests and signatures.
 *
 * Canonical form (docs/certificate.md): object keys sorted by byte value,
 * no insignificant whitespace (',' and ':' separators only), UTF-8 text with
 * jansson's escaping (\" \\ \b \f \n \r \t, other control characters as
 * \u00XX, '/' not escaped), integers in decimal, reals with 17 significant
 * digits. dump(parse(canonical)) == canonical, so a report re-indented by a
 * tool keeps its digest.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "mc_file.h"

char *mc_json_canonical(const json_t *doc)
{
    char *s = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY |
                                  JSON_REAL_PRECISION(17));
    return s ? s : mc_xstrdup("null");
}

void mc_json_digest(const json_t *doc, char hex[65])
{
    char *s = mc_json_canonical(doc);
    mc_sha256_hex(s, strlen(s), hex);
    free(s);
}
