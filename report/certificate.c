/*
 * certificate.c — Ed25519 (libsodium) keys, certificates and their check.
 *
 * A certificate binds the report's canonical digest, the module's sha256
 * and the verdict; the signature covers the canonical JSON of the
 * certificate without its "signature" member (docs/certificate.md).
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "mc_file.h"

#define SK_HEADER "modcert ed25519 secret key v1"
#define PK_HEADER "modcert ed25519 public key v1"
#define B64 sodium_base64_VARIANT_ORIGINAL

static mc_status init_sodium(struct mc_buf *err)
{
    if (sodium_init() < 0) {
        mc__err(err, "libsodium could not be initialised");
        return MC_ERR_RUNTIME;
    }
    return MC_OK;
}

static void key_text(struct mc_buf *out, const char *header,
                     const unsigned char *key, size_t n)
{
    char b64[sodium_base64_ENCODED_LEN(crypto_sign_SECRETKEYBYTES, B64)];
    sodium_bin2base64(b64, sizeof b64, key, n, B64);
    mc_buf_printf(out, "%s\n%s\n", header, b64);
}

/* Atomic write with a given mode (the secret key must never be readable by
 * others, not even for a moment). */
static mc_status write_private(const char *path, const char *data, size_t len)
{
    struct mc_buf tmp = MC_BUF_INIT;
    mc_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    mc_status st = fd < 0 ? MC_ERR_IO : MC_OK;
    if (st == MC_OK) {
        int ok = fchmod(fd, 0600) == 0 &&
                 write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
        ok = close(fd) == 0 && ok;
        if (!ok || rename(tmp.data, path) != 0) {
            unlink(tmp.data);
            st = MC_ERR_IO;
        }
    }
    mc_buf_free(&tmp);
    return st;
}

mc_status mc_cert_keygen(const char *prefix, struct mc_buf *err)
{
    if (init_sodium(err) != MC_OK)
        return MC_ERR_RUNTIME;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES],
        sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    struct mc_buf s = MC_BUF_INIT, p = MC_BUF_INIT, pub = MC_BUF_INIT;
    key_text(&s, SK_HEADER, sk, sizeof sk);
    key_text(&p, PK_HEADER, pk, sizeof pk);
    mc_buf_printf(&pub, "%s.pub", prefix);
    mc_status st = write_private(prefix, s.data, s.len);
    if (st != MC_OK)
        mc__err(err, "cannot write secret key '%s': %s", prefix,
                strerror(errno));
    else if ((st = mc_file_write_atomic(pub.data, p.data, p.len)) != MC_OK)
        mc__err(err, "cannot write public key '%s'", pub.data);
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(s.data, s.len);
    mc_buf_free(&s);
    mc_buf_free(&p);
    mc_buf_free(&pub);
    return st;
}

/* Reads a key file: header line, then base64 of exactly n bytes. */
static mc_status read_key(const char *path, const char *header,
                          unsigned char *key, size_t n, struct mc_buf *err)
{
    char *text = NULL;
    if (mc_file_read(path, &text, NULL) != MC_OK) {
        mc__err(err, "cannot read key file '%s'", path);
        return MC_ERR_IO;
    }
    size_t hl = strlen(header), got = 0;
    mc_status st = MC_OK;
    if (strncmp(text, header, hl) != 0 || text[hl] != '\n') {
        mc__err(err,
                "'%s' is not a modcert key file (first line must be "
                "\"%s\")",
                path, header);
        st = MC_ERR_PARSE;
    } else if (sodium_base642bin(key, n, text + hl + 1, strlen(text + hl + 1),
                                 "\n\r ", &got, NULL, B64) != 0 ||
               got != n) {
        mc__err(err, "key file '%s': the key is not %zu bytes of base64", path,
                n);
        st = MC_ERR_PARSE;
    }
    sodium_memzero(text, strlen(text));
    free(text);
    return st;
}

static void key_id(const unsigned char *pk, char out[17])
{
    char hex[65];
    mc_sha256_hex(pk, crypto_sign_PUBLICKEYBYTES, hex);
    memcpy(out, hex, 16);
    out[16] = '\0';
}

static json_t *unsigned_certificate(const json_t *report, const char *kid)
{
    const json_t *mod = json_object_get(report, "module");
    const json_t *v = json_object_get(report, "verdict");
    char digest[65], ts[21];
    mc_json_digest(report, digest);
    mc__timestamp(time(NULL), ts);
    json_t *rep = json_pack("{s:s, s:s, s:s}", "schema",
                            mc__str(report, "schema", ""), "digest", digest,
                            "generated", mc__str(report, "generated", ""));
    return json_pack(
        "{s:s, s:{s:s, s:s}, s:o, s:{s:b, s:s, s:O}, s:O, s:s, s:s, s:s}",
        "schema", MC_CERT_SCHEMA, "module", "name", mc__str(mod, "name", ""),
        "sha256", mc__str(mod, "sha256", ""), "report", rep, "verdict",
        "certified", mc__bool(v, "certified", 0), "status",
        mc__str(v, "status", ""), "reasons", json_object_get(v, "reasons"),
        "tool", json_object_get(report, "tool"), "issued", ts, "algorithm",
        "ed25519", "key_id", kid);
}

static void sign_into(json_t *cert, const unsigned char *sk)
{
    char *msg = mc_json_canonical(cert);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, strlen(msg),
                         sk);
    free(msg);
    char b64[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, B64)];
    sodium_bin2base64(b64, sizeof b64, sig, sizeof sig, B64);
    json_object_set_new(cert, "signature", json_string(b64));
}

mc_status mc_cert_sign(const json_t *report, const char *sk_path, json_t **cert,
                       struct mc_buf *err)
{
    if (init_sodium(err) != MC_OK || mc_report_check(report, err) != MC_OK)
        return MC_ERR_PARSE;
    const char *sha = mc__str(json_object_get(report, "module"), "sha256", "");
    if (strlen(sha) != 64) {
        mc__err(err, "the report has no module sha256 (it was made without "
                     "the module .so); nothing to certify");
        return MC_ERR_USAGE;
    }
    unsigned char sk[crypto_sign_SECRETKEYBYTES],
        pk[crypto_sign_PUBLICKEYBYTES];
    if (read_key(sk_path, SK_HEADER, sk, sizeof sk, err) != MC_OK)
        return MC_ERR_PARSE;
    crypto_sign_ed25519_sk_to_pk(pk, sk);
    char kid[17];
    key_id(pk, kid);
    json_t *c = unsigned_certificate(report, kid);
    sign_into(c, sk);
    sodium_memzero(sk, sizeof sk);
    *cert = c;
    return MC_OK;
}

mc_status mc_cert_write(const json_t *report, const char *sk_path,
                        const char *cert_path, struct mc_buf *err)
{
    json_t *cert = NULL;
    mc_status st = mc_cert_sign(report, sk_path, &cert, err);
    if (st != MC_OK)
        return st;
    char *s = json_dumps(cert, JSON_INDENT(2) | JSON_SORT_KEYS);
    struct mc_buf b = MC_BUF_INIT;
    mc_buf_printf(&b, "%s\n", s);
    free(s);
    json_decref(cert);
    st = mc_file_write_atomic(cert_path, b.data, b.len);
    if (st != MC_OK)
        mc__err(err, "cannot write certificate '%s'", cert_path);
    mc_buf_free(&b);
    return st;
}

/* ---- verification --------------------------------------------------------- */

static int has_str(const json_t *o, const char *k)
{
    return json_is_string(json_object_get(o, k));
}

static int well_formed(const json_t *c, struct mc_buf *why)
{
    const json_t *m = json_object_get(c, "module");
    const json_t *r = json_object_get(c, "report");
    const json_t *v = json_object_get(c, "verdict");
    if (!json_is_object(c) ||
        strcmp(mc__str(c, "schema", ""), MC_CERT_SCHEMA)) {
        mc__err(why, "not a modcert certificate (\"schema\" must be \"%s\")",
                MC_CERT_SCHEMA);
        return 0;
    }
    if (!has_str(m, "sha256") || !has_str(r, "digest") ||
        !json_is_boolean(json_object_get(v, "certified")) ||
        !has_str(c, "key_id") || !has_str(c, "signature") ||
        strcmp(mc__str(c, "algorithm", ""), "ed25519")) {
        mc__err(why, "a required field is missing or has the wrong type "
                     "(module.sha256, report.digest, verdict.certified, "
                     "algorithm, key_id, signature)");
        return 0;
    }
    return 1;
}

static enum mc_cert_result check_signature(json_t *c, const unsigned char *pk,
                                           struct mc_buf *why)
{
    char kid[17];
    key_id(pk, kid);
    if (strcmp(kid, mc__str(c, "key_id", ""))) {
        mc__err(why,
                "wrong key: the certificate was signed by key %s, the "
                "public key given is %s",
                mc__str(c, "key_id", ""), kid);
        return MC_CERT_WRONG_KEY;
    }
    unsigned char sig[crypto_sign_BYTES];
    size_t got = 0;
    const char *b64 = mc__str(c, "signature", "");
    if (sodium_base642bin(sig, sizeof sig, b64, strlen(b64), NULL, &got, NULL,
                          B64) != 0 ||
        got != sizeof sig) {
        mc__err(why,
                "malformed certificate: the signature is not %d bytes "
                "of base64",
                crypto_sign_BYTES);
        return MC_CERT_MALFORMED;
    }
    json_t *body = json_deep_copy(c);
    json_object_del(body, "signature");
    char *msg = mc_json_canonical(body);
    json_decref(body);
    int bad = crypto_sign_verify_detached(sig, (const unsigned char *)msg,
                                          strlen(msg), pk);
    free(msg);
    if (bad) {
        mc__err(why, "tampered certificate: the signature does not match "
                     "its contents");
        return MC_CERT_BAD_SIGNATURE;
    }
    return MC_CERT_VALID;
}

static enum mc_cert_result check_report(const json_t *c, const char *path,
                                        struct mc_buf *why)
{
    json_error_t je;
    json_t *r = json_load_file(path, 0, &je);
    if (!r) {
        mc__err(why, "cannot read report '%s': %s", path, je.text);
        return MC_CERT_IO;
    }
    char digest[65];
    mc_json_digest(r, digest);
    json_decref(r);
    if (strcmp(digest, mc__str(json_object_get(c, "report"), "digest", ""))) {
        mc__err(why,
                "report mismatch: '%s' is not the report this "
                "certificate was signed over",
                path);
        return MC_CERT_REPORT_MISMATCH;
    }
    return MC_CERT_VALID;
}

static enum mc_cert_result check_module(const json_t *c, const char *so,
                                        struct mc_buf *why)
{
    char hex[65];
    if (mc_file_sha256(so, hex) != MC_OK) {
        mc__err(why, "cannot read module '%s'", so);
        return MC_CERT_IO;
    }
    const char *want = mc__str(json_object_get(c, "module"), "sha256", "");
    if (strcmp(hex, want)) {
        mc__err(why,
                "module mismatch: sha256 of '%s' is %s, the certificate "
                "is for %s (the .so was changed or is another module)",
                so, hex, want);
        return MC_CERT_MODULE_MISMATCH;
    }
    return MC_CERT_VALID;
}

static enum mc_cert_result verify_doc(json_t *c, const char *so,
                                      const unsigned char *pk,
                                      const char *report_path,
                                      struct mc_buf *why)
{
    if (!well_formed(c, why))
        return MC_CERT_MALFORMED;
    enum mc_cert_result r = check_signature(c, pk, why);
    if (r == MC_CERT_VALID)
        r = check_module(c, so, why);
    if (r == MC_CERT_VALID && report_path)
        r = check_report(c, report_path, why);
    if (r == MC_CERT_VALID &&
        !mc__bool(json_object_get(c, "verdict"), "certified", 0)) {
        mc__err(why, "failing verdict: module %s was not certified",
                mc__str(json_object_get(c, "module"), "name", "?"));
        r = MC_CERT_NOT_CERTIFIED;
    }
    return r;
}

enum mc_cert_result mc_cert_verify(const char *cert_path, const char *so_path,
                                   const char *pubkey_path,
                                   const char *report_path, struct mc_buf *why)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    if (init_sodium(why) != MC_OK)
        return MC_CERT_IO;
    mc_status st = read_key(pubkey_path, PK_HEADER, pk, sizeof pk, why);
    if (st != MC_OK)
        return st == MC_ERR_IO ? MC_CERT_IO : MC_CERT_MALFORMED;
    char *text = NULL;
    if (mc_file_read(cert_path, &text, NULL) != MC_OK) {
        mc__err(why, "cannot read certificate '%s'", cert_path);
        return MC_CERT_IO;
    }
    json_error_t je;
    json_t *c = json_loads(text, 0, &je);
    free(text);
    if (!c) {
        mc__err(why, "malformed certificate '%s': %s (line %d)", cert_path,
                je.text, je.line);
        return MC_CERT_MALFORMED;
    }
    enum mc_cert_result r = verify_doc(c, so_path, pk, report_path, why);
    json_decref(c);
    return r;
}
