/* lazy.c - dlopen/dlsym of a library on first use (see lazy.h). */
#include "lazy.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int tsk_lazy_try_load(const char *soname, const char *const *names, void **out,
                      size_t n, const char **why)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        *why = e ? e : "dlopen failed";
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        dlerror();
        out[i] = dlsym(h, names[i]);
        if (!out[i]) {
            const char *e = dlerror();
            *why = e ? e : "a symbol is missing";
            return -1;
        }
    }
    return 0;
}

void tsk_lazy_load(const char *soname, const char *const *names, void **out,
                   size_t n)
{
    const char *why = NULL;
    if (tsk_lazy_try_load(soname, names, out, n, &why) == 0)
        return;
    fflush(stdout);
    fprintf(stderr, "tuskform: cannot load %s: %s\n", soname, why);
    exit(1);
}
