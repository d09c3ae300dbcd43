/* hdrs.c - the ordered, case-insensitive HTTP header list. */
#include "providers/net/net.h"

#include <stdlib.h>
#include <strings.h>

void tsk_http_hdrs_add(struct tsk_http_hdrs *h, const char *name,
                       const char *value)
{
    struct tsk_http_header *e = TSK_ARRAY_PUSH(*h);
    e->name = tsk_xstrdup(name);
    e->value = tsk_xstrdup(value ? value : "");
}

void tsk_http_hdrs_del(struct tsk_http_hdrs *h, const char *name)
{
    size_t j = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (strcasecmp(h->v[i].name, name) == 0) {
            free(h->v[i].name);
            free(h->v[i].value);
            continue;
        }
        h->v[j++] = h->v[i];
    }
    h->n = j;
}

void tsk_http_hdrs_set(struct tsk_http_hdrs *h, const char *name,
                       const char *value)
{
    tsk_http_hdrs_del(h, name);
    tsk_http_hdrs_add(h, name, value);
}

const char *tsk_http_hdrs_get(const struct tsk_http_hdrs *h, const char *name)
{
    for (size_t i = 0; h && i < h->n; i++)
        if (strcasecmp(h->v[i].name, name) == 0)
            return h->v[i].value;
    return NULL;
}

void tsk_http_hdrs_release(struct tsk_http_hdrs *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->v[i].name);
        free(h->v[i].value);
    }
    TSK_ARRAY_FREE(*h);
}
