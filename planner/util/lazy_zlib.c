/*
 * lazy_zlib.c - the zlib functions tuskform uses, loaded on first use.
 *
 * Only packaging (providers/aws/zip.c) compresses, so zlib is dlopened by
 * the SONAME found at configure time (TSK_SONAME_ZLIB) on the first call,
 * through planner/util/lazy.h, instead of being loaded by every process.
 * The definitions have zlib.h's own prototypes (the inflate ones serve the
 * tests that read archives back) and are not exported from the executable.
 */
#include <pthread.h>
#include <zlib.h>

#include "planner/util/lazy.h"

#ifndef TSK_SONAME_ZLIB
#define TSK_SONAME_ZLIB "libz.so.1"
#endif

#define Z_SYMS(X)                                                              \
    X(crc32)                                                                   \
    X(deflate)                                                                 \
    X(deflateBound)                                                            \
    X(deflateEnd)                                                              \
    X(deflateInit2_)                                                           \
    X(inflate)                                                                 \
    X(inflateEnd)                                                              \
    X(inflateInit2_)

enum {
#define X(n) S_##n,
    Z_SYMS(X)
#undef X
        S_COUNT
};

static const char *const names[S_COUNT] = {
#define X(n) #n,
    Z_SYMS(X)
#undef X
};

static void *syms[S_COUNT];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    tsk_lazy_load(TSK_SONAME_ZLIB, names, syms, S_COUNT);
}

/* The resolved function n, with its own type. */
#define FN(n) (pthread_once(&once, load), (__typeof__(&n))syms[S_##n])

uLong crc32(uLong crc, const Bytef *buf, uInt len)
{
    return FN(crc32)(crc, buf, len);
}

int deflate(z_streamp strm, int flush)
{
    return FN(deflate)(strm, flush);
}

uLong deflateBound(z_streamp strm, uLong sourceLen)
{
    return FN(deflateBound)(strm, sourceLen);
}

int deflateEnd(z_streamp strm)
{
    return FN(deflateEnd)(strm);
}

int deflateInit2_(z_streamp strm, int level, int method, int windowBits,
                  int memLevel, int strategy, const char *version,
                  int stream_size)
{
    return FN(deflateInit2_)(strm, level, method, windowBits, memLevel,
                             strategy, version, stream_size);
}

int inflate(z_streamp strm, int flush)
{
    return FN(inflate)(strm, flush);
}

int inflateEnd(z_streamp strm)
{
    return FN(inflateEnd)(strm);
}

int inflateInit2_(z_streamp strm, int windowBits, const char *version,
                  int stream_size)
{
    return FN(inflateInit2_)(strm, windowBits, version, stream_size);
}
