/* cost_run.c - runs: array elements kept as their JSON text; functions
 * sorted by name (cost_int.h). */
#include "cost_int.h"

#include <stdlib.h>
#include <string.h>

static int run_sink(void *ctx, const char *p, size_t n)
{
    tsk_buf_add(ctx, p, n);
    return 0;
}

void tsk_cost__run_init(struct tsk_cost__run *r)
{
    memset(r, 0, sizeof(*r));
    r->text = (struct tsk_buf)TSK_BUF_INIT;
    tsk_jsonw_init(&r->w, 4096, run_sink, &r->text);
}

struct tsk_jsonw *tsk_cost__run_next(struct tsk_cost__run *r, const char *fn)
{
    size_t len = strlen(fn);
    if (r->n++)
        tsk_jsonw_lit(&r->w, ",");
    if (len > r->width)
        r->width = len;
    return &r->w;
}

void tsk_cost__run_flush(struct tsk_cost__run *r, cJSON *arr)
{
    if (r->n == 0)
        return;
    tsk_jsonw_flush(&r->w);
    /* the text becomes the element's in place of cJSON_CreateRaw's copy:
     * cJSON's free takes malloc's blocks too (planner/util/jalloc.h) */
    cJSON *e = cJSON_CreateRaw("");
    if (e) {
        cJSON_free(e->valuestring); /* cJSON's own block */
        /* no slack kept: what the doubling left over is the heap's again */
        e->valuestring = tsk_xrealloc(r->text.ptr, r->text.len + 1);
        e->valueint = r->n;
        e->valuedouble = (double)r->width;
        r->text = (struct tsk_buf)TSK_BUF_INIT;
        cJSON_AddItemToArray(arr, e);
    }
    tsk_buf_reset(&r->text);
    r->n = 0;
    r->width = 0;
}

void tsk_cost__run_release(struct tsk_cost__run *r)
{
    tsk_jsonw_finish(&r->w);
    tsk_buf_release(&r->text);
}

int tsk_cost__is_run(const cJSON *e)
{
    return e && (e->type & 0xFF) == cJSON_Raw;
}

int tsk_cost__len(const cJSON *arr)
{
    int n = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next)
        n += tsk_cost__is_run(e) ? e->valueint : 1;
    return n;
}

/* The elements of a run as an array of their own, or NULL. */
static cJSON *run_parse(const cJSON *run)
{
    if (!run->valuestring)
        return NULL;
    size_t n = strlen(run->valuestring);
    char *s = tsk_xmalloc(n + 3);
    s[0] = '[';
    memcpy(s + 1, run->valuestring, n);
    memcpy(s + 1 + n, "]", 2);
    cJSON *a = cJSON_ParseWithLength(s, n + 2);
    free(s);
    return a;
}

void tsk_cost__iter_init(struct tsk_cost__iter *it, const cJSON *arr,
                         int expand)
{
    it->outer = arr ? arr->child : NULL;
    it->inner = NULL;
    it->parsed = NULL;
    it->expand = expand;
}

const cJSON *tsk_cost__next(struct tsk_cost__iter *it)
{
    for (;;) {
        if (it->inner) {
            const cJSON *e = it->inner;
            it->inner = e->next;
            return e;
        }
        cJSON_Delete(it->parsed);
        it->parsed = NULL;
        const cJSON *e = it->outer;
        if (!e)
            return NULL;
        it->outer = e->next;
        if (!it->expand || !tsk_cost__is_run(e))
            return e;
        it->parsed = run_parse(e);
        it->inner = it->parsed ? it->parsed->child : NULL;
    }
}

void tsk_cost__iter_end(struct tsk_cost__iter *it)
{
    cJSON_Delete(it->parsed);
    it->parsed = NULL;
    it->inner = it->outer = NULL;
}

uint64_t tsk_cost__key8(const char *s, size_t len)
{
    uint64_t k = 0;
    size_t i = 0;
    for (; i < 8 && i < len && s[i]; i++)
        k = k << 8 | (unsigned char)s[i];
    return i ? k << (8 * (8 - i)) : 0;
}

int tsk_cost__name_cmp(uint64_t key, const char *name,
                       const struct tsk_cost__name *e)
{
    if (key != e->key)
        return key < e->key ? -1 : 1;
    return strcmp(name, e->name);
}

static int cmp_name(const void *a, const void *b)
{
    const struct tsk_cost__name *x = a;
    return tsk_cost__name_cmp(x->key, x->name, b);
}

void tsk_cost__sort_names(struct tsk_cost__name *v,
                          const struct tsk_cost_input *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        v[i].key = tsk_cost__key8(in[i].function, SIZE_MAX);
        v[i].name = in[i].function;
        v[i].i = i;
    }
    qsort(v, n, sizeof(*v), cmp_name);
}
