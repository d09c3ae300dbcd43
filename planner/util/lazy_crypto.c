/*
 * lazy_crypto.c - the libcrypto (OpenSSL) functions tuskform uses, loaded on
 * first use.
 *
 * tuskform is not linked against libcrypto: loading it (and what it pulls
 * in) at start-up cost every command time, also those that never hash.
 * These definitions have OpenSSL's own prototypes, so callers include
 * <openssl/...> and call as usual; the first call dlopens the library by
 * the SONAME found at configure time (TSK_SONAME_CRYPTO) through lazy.h,
 * and a library that cannot be loaded ends the process with a clear error.
 * The definitions are not exported from the executable (nothing links
 * against them dynamically), so they never interpose on the library's own
 * internal calls.
 */
#include "lazy.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <pthread.h>

#ifndef TSK_SONAME_CRYPTO
#define TSK_SONAME_CRYPTO "libcrypto.so.3"
#endif

#define CRYPTO_SYMS(X)                                                         \
    X(EVP_Digest)                                                              \
    X(EVP_DigestInit_ex)                                                       \
    X(EVP_DigestUpdate)                                                        \
    X(EVP_DigestFinal_ex)                                                      \
    X(EVP_MD_CTX_new)                                                          \
    X(EVP_MD_CTX_free)                                                         \
    X(EVP_md5)                                                                 \
    X(EVP_sha256)                                                              \
    X(HMAC)                                                                    \
    X(SHA256)                                                                  \
    X(OPENSSL_cleanse)                                                         \
    X(OpenSSL_version)

enum {
#define X(n) S_##n,
    CRYPTO_SYMS(X)
#undef X
        S_COUNT
};

static const char *const names[S_COUNT] = {
#define X(n) #n,
    CRYPTO_SYMS(X)
#undef X
};

static void *syms[S_COUNT];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    tsk_lazy_load(TSK_SONAME_CRYPTO, names, syms, S_COUNT);
}

/* The resolved function n, with its own type. */
#define FN(n) (pthread_once(&once, load), (__typeof__(&n))syms[S_##n])

int EVP_Digest(const void *data, size_t count, unsigned char *md,
               unsigned int *size, const EVP_MD *type, ENGINE *impl)
{
    return FN(EVP_Digest)(data, count, md, size, type, impl);
}

int EVP_DigestInit_ex(EVP_MD_CTX *ctx, const EVP_MD *type, ENGINE *impl)
{
    return FN(EVP_DigestInit_ex)(ctx, type, impl);
}

int EVP_DigestUpdate(EVP_MD_CTX *ctx, const void *d, size_t cnt)
{
    return FN(EVP_DigestUpdate)(ctx, d, cnt);
}

int EVP_DigestFinal_ex(EVP_MD_CTX *ctx, unsigned char *md, unsigned int *s)
{
    return FN(EVP_DigestFinal_ex)(ctx, md, s);
}

EVP_MD_CTX *EVP_MD_CTX_new(void)
{
    return FN(EVP_MD_CTX_new)();
}

void EVP_MD_CTX_free(EVP_MD_CTX *ctx)
{
    FN(EVP_MD_CTX_free)(ctx);
}

const EVP_MD *EVP_md5(void)
{
    return FN(EVP_md5)();
}

const EVP_MD *EVP_sha256(void)
{
    return FN(EVP_sha256)();
}

unsigned char *HMAC(const EVP_MD *evp_md, const void *key, int key_len,
                    const unsigned char *data, size_t data_len,
                    unsigned char *md, unsigned int *md_len)
{
    return FN(HMAC)(evp_md, key, key_len, data, data_len, md, md_len);
}

unsigned char *SHA256(const unsigned char *d, size_t n, unsigned char *md)
{
    return FN(SHA256)(d, n, md);
}

void OPENSSL_cleanse(void *ptr, size_t len)
{
    FN(OPENSSL_cleanse)(ptr, len);
}

const char *OpenSSL_version(int type)
{
    return FN(OpenSSL_version)(type);
}
