/*
 * lazy_curl.c - the libcurl functions tuskform uses, loaded on first use.
 *
 * tuskform is not linked against libcurl: loading it and its dependencies
 * at process start cost every command ~17 ms, also the commands that never
 * make a request. These definitions have libcurl's own prototypes, so
 * http.c includes <curl/curl.h> and calls as usual; the first call dlopens
 * the library by the SONAME found at configure time (TSK_SONAME_CURL)
 * through planner/util/lazy.h, and a library that cannot be loaded ends the
 * process with "tuskform: cannot load libcurl.so.4: ...". The variadic
 * functions forward the one argument with the type libcurl reads for the
 * option (its type range in curl.h). The definitions are not exported from
 * the executable, so they never interpose on libcurl's internal calls.
 */
#define CURL_DISABLE_TYPECHECK 1 /* no macros over the functions defined */
#include <curl/curl.h>
#include <pthread.h>
#include <stdarg.h>

#include "planner/util/lazy.h"

#ifndef TSK_SONAME_CURL
#define TSK_SONAME_CURL "libcurl.so.4"
#endif

#define CURL_SYMS(X)                                                           \
    X(curl_global_init)                                                        \
    X(curl_easy_init)                                                          \
    X(curl_easy_cleanup)                                                       \
    X(curl_easy_reset)                                                         \
    X(curl_easy_perform)                                                       \
    X(curl_easy_setopt)                                                        \
    X(curl_easy_getinfo)                                                       \
    X(curl_easy_strerror)                                                      \
    X(curl_share_init)                                                         \
    X(curl_share_setopt)                                                       \
    X(curl_share_cleanup)                                                      \
    X(curl_slist_append)                                                       \
    X(curl_slist_free_all)                                                     \
    X(curl_version_info)

enum {
#define X(n) S_##n,
    CURL_SYMS(X)
#undef X
        S_COUNT
};

static const char *const names[S_COUNT] = {
#define X(n) #n,
    CURL_SYMS(X)
#undef X
};

static void *syms[S_COUNT];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    tsk_lazy_load(TSK_SONAME_CURL, names, syms, S_COUNT);
}

/* The resolved function n, with its own type. */
#define FN(n) (pthread_once(&once, load), (__typeof__(&n))syms[S_##n])

/* A function pointer passed through a variadic call (curl reads it back as
 * the callback type the option documents; all have one representation). */
typedef void (*any_fn)(void);

CURLcode curl_global_init(long flags)
{
    return FN(curl_global_init)(flags);
}

CURL *curl_easy_init(void)
{
    return FN(curl_easy_init)();
}

void curl_easy_cleanup(CURL *curl)
{
    FN(curl_easy_cleanup)(curl);
}

void curl_easy_reset(CURL *curl)
{
    FN(curl_easy_reset)(curl);
}

CURLcode curl_easy_perform(CURL *curl)
{
    return FN(curl_easy_perform)(curl);
}

CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
    va_list ap;
    CURLcode rc;
    __typeof__(&curl_easy_setopt) f = FN(curl_easy_setopt);
    va_start(ap, option);
    if (option < CURLOPTTYPE_OBJECTPOINT)
        rc = f(curl, option, va_arg(ap, long));
    else if (option < CURLOPTTYPE_FUNCTIONPOINT)
        rc = f(curl, option, va_arg(ap, void *));
    else if (option < CURLOPTTYPE_OFF_T)
        rc = f(curl, option, va_arg(ap, any_fn));
    else if (option < CURLOPTTYPE_BLOB)
        rc = f(curl, option, va_arg(ap, curl_off_t));
    else
        rc = f(curl, option, va_arg(ap, struct curl_blob *));
    va_end(ap);
    return rc;
}

CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
    va_list ap;
    va_start(ap, info);
    /* every kind of info is returned through a pointer */
    void *out = va_arg(ap, void *);
    va_end(ap);
    return FN(curl_easy_getinfo)(curl, info, out);
}

const char *curl_easy_strerror(CURLcode code)
{
    return FN(curl_easy_strerror)(code);
}

CURLSH *curl_share_init(void)
{
    return FN(curl_share_init)();
}

CURLSHcode curl_share_setopt(CURLSH *share, CURLSHoption option, ...)
{
    va_list ap;
    CURLSHcode rc;
    __typeof__(&curl_share_setopt) f = FN(curl_share_setopt);
    va_start(ap, option);
    switch (option) {
    case CURLSHOPT_SHARE:
    case CURLSHOPT_UNSHARE:
        rc = f(share, option, va_arg(ap, int)); /* a curl_lock_data */
        break;
    case CURLSHOPT_LOCKFUNC:
    case CURLSHOPT_UNLOCKFUNC:
        rc = f(share, option, va_arg(ap, any_fn));
        break;
    default:
        rc = f(share, option, va_arg(ap, void *));
        break;
    }
    va_end(ap);
    return rc;
}

CURLSHcode curl_share_cleanup(CURLSH *share)
{
    return FN(curl_share_cleanup)(share);
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *s)
{
    return FN(curl_slist_append)(list, s);
}

void curl_slist_free_all(struct curl_slist *list)
{
    FN(curl_slist_free_all)(list);
}

curl_version_info_data *curl_version_info(CURLversion age)
{
    return FN(curl_version_info)(age);
}
