/*
 * lazy.h - loading a shared library on first use instead of at process start.
 *
 * libcurl, libgit2 and libcrypto (with their ~40 dependencies) cost more
 * start-up time than most commands spend working, and most commands need
 * one of them at most. So tuskform is not linked against them: small shim
 * files (providers/net/lazy_curl.c, planner/lazy_git.c,
 * planner/util/lazy_crypto.c) define the functions the code calls, with the
 * libraries' own prototypes, and forward each call to the symbol this
 * module resolves with dlopen/dlsym by SONAME the first time one is called.
 * The SONAMEs are found at configure time (CMakeLists.txt), so a machine
 * with only the runtime packages works.
 *
 * Ownership: the library handles stay open for the life of the process;
 * the resolved pointers are written into the caller's array.
 */
#ifndef TSK_LAZY_H
#define TSK_LAZY_H

#include <stddef.h>

/**
 * Opens soname (dlopen, RTLD_NOW | RTLD_LOCAL) and stores the address of
 * each of the n symbols names[i] in out[i]. A library or symbol that cannot
 * be found ends the process: "tuskform: cannot load SONAME: REASON" on
 * stderr and exit code 1. Callers serialise the call (pthread_once).
 */
void tsk_lazy_load(const char *soname, const char *const *names, void **out,
                   size_t n);

/** As tsk_lazy_load, but returns 0, or -1 with the reason in why (a static
 * string or dlerror's) and out untouched beyond what was resolved. */
int tsk_lazy_try_load(const char *soname, const char *const *names, void **out,
                      size_t n, const char **why);

#endif
