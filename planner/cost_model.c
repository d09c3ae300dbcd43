/* cost_model.c - cost inputs from the model and from stored objects. */
#include "cost_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/model.h"

static double pings_per_month(const struct tsk_model_function *f)
{
    if (!f->pre_warming.on || f->pre_warming.interval <= 0)
        return 0.0;
    double conc = f->pre_warming.concurrency > 0 ? f->pre_warming.concurrency
                                                 : 1;
    if (f->keep_warm.on && f->keep_warm.min_instances > conc)
        conc = (double)f->keep_warm.min_instances;
    return TSK_COST_MONTH_SECONDS / (double)f->pre_warming.interval * conc;
}

static void usage_from(const struct tsk_model_function *f,
                       struct tsk_cost_input *in)
{
    in->ephemeral_mb = 512;
    if (f && f->expected.set) {
        in->usage_known = 1;
        in->monthly_invocations = (double)f->expected.monthly_invocations;
        in->avg_duration_ms = f->expected.avg_duration_ms;
    }
}

void tsk_cost_inputs_from_model(const struct tsk_model *m,
                                struct tsk_cost_input **in, size_t *n)
{
    *n = m->functions.n;
    *in = tsk_xcalloc(*n ? *n : 1, sizeof(**in));
    for (size_t i = 0; i < m->functions.n; i++) {
        const struct tsk_model_function *f = &m->functions.v[i];
        struct tsk_cost_input *c = &(*in)[i];
        c->function = f->key;
        c->arm64 = f->architecture == TSK_MODEL_ARCH_ARM64;
        c->memory_mb = (double)f->memory_size;
        usage_from(f, c);
        if (f->provisioned.on)
            c->pc_units = (double)f->provisioned.concurrency;
        c->pings_per_month = pings_per_month(f);
    }
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static double num_attr(const cJSON *attrs, const char *const *names)
{
    for (; *names; names++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, *names);
        if (cJSON_IsNumber(v))
            return v->valuedouble;
    }
    return 0.0;
}

/* Function inputs sorted by name, for binary search by a name prefix. */
struct fn_index {
    struct tsk_cost_input **v;
    size_t n;
};

static int cmp_input(const void *a, const void *b)
{
    return strcmp((*(struct tsk_cost_input *const *)a)->function,
                  (*(struct tsk_cost_input *const *)b)->function);
}

static void index_build(struct fn_index *x, struct tsk_cost_input *in,
                        size_t n)
{
    x->v = tsk_xmalloc((n + 1) * sizeof(*x->v));
    x->n = n;
    for (size_t i = 0; i < n; i++)
        x->v[i] = &in[i];
    qsort(x->v, n, sizeof(*x->v), cmp_input);
}

/* The input whose function is exactly the first len bytes of name. */
static struct tsk_cost_input *index_find(const struct fn_index *x,
                                         const char *name, size_t len)
{
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *f = x->v[mid]->function;
        int c = strncmp(name, f, len);
        if (c == 0 && f[len] != '\0')
            c = -1; /* f is longer: name's prefix sorts before it */
        if (c == 0)
            return x->v[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* The input an object belongs to: its "function" attribute when it has
 * one, else the longest known function key that is the name part of its
 * address or a prefix of it ending before a '_' ("api_warmup" -> "api"). */
static struct tsk_cost_input *object_function(const struct tsk_object *o,
                                              const cJSON *attrs,
                                              const struct fn_index *x)
{
    const char *name = strchr(o->addr, '.');
    name = name ? name + 1 : o->addr;
    const cJSON *fn = cJSON_GetObjectItemCaseSensitive(attrs, "function");
    if (cJSON_IsString(fn))
        return index_find(x, fn->valuestring, strlen(fn->valuestring));
    for (size_t len = strlen(name); len > 0; len--) {
        if (name[len] != '\0' && name[len] != '_')
            continue;
        struct tsk_cost_input *in = index_find(x, name, len);
        if (in)
            return in;
    }
    return NULL;
}

/* Seconds between ticks of "rate(N unit)", or 0 for anything else. */
static double rate_seconds(const char *expr)
{
    double n;
    char unit[16];
    if (sscanf(expr, "rate(%lf %15[a-z])", &n, unit) != 2 || n <= 0)
        return 0.0;
    if (strncmp(unit, "second", 6) == 0)
        return n;
    if (strncmp(unit, "minute", 6) == 0)
        return n * 60;
    if (strncmp(unit, "hour", 4) == 0)
        return n * 3600;
    if (strncmp(unit, "day", 3) == 0)
        return n * 86400;
    return 0.0;
}

/* A warm-up schedule: its input says {"warmup": true} (an object, or JSON
 * text as AWS targets carry it). Returns its interval in seconds, else 0. */
static double warmup_interval(const cJSON *attrs)
{
    const cJSON *input = cJSON_GetObjectItemCaseSensitive(attrs, "input");
    const cJSON *expr =
        cJSON_GetObjectItemCaseSensitive(attrs, "schedule_expression");
    cJSON *parsed = NULL;
    int warm = 0;
    if (cJSON_IsString(input))
        input = parsed = cJSON_Parse(input->valuestring);
    if (cJSON_IsObject(input))
        warm = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(input, "warmup"));
    cJSON_Delete(parsed);
    if (!warm || !cJSON_IsString(expr))
        return 0.0;
    return rate_seconds(expr->valuestring);
}

static int pc_type(const char *type)
{
    return ends_with(type, "provisioned_concurrency") ||
           ends_with(type, "provisioned_concurrency_config");
}

/*
 * Whether an object can add to a function's cost: capacity, or a warm-up
 * schedule (a "schedule_expression" member). Stored text without those
 * bytes (nor an escape that could spell them) has no such member, and is
 * not parsed: most objects of a large stack are neither.
 */
static int may_cost(const struct tsk_object *o)
{
    if (pc_type(o->type) || o->attrs || !o->text)
        return 1;
    return strstr(o->text, "schedule_expression") || strchr(o->text, '\\');
}

void tsk_cost_inputs_from_objects(const struct tsk_object *objs, size_t n,
                                  const struct tsk_model *m,
                                  struct tsk_cost_input **in, size_t *nin)
{
    static const char *const mem[] = {"memory_size", NULL};
    static const char *const pc[] = {"concurrency",
                                     "provisioned_concurrent_executions",
                                     NULL};
    /* the members read below: only these are parsed from stored text */
    static const char *const fn_keys[] = {"memory_size", "architecture",
                                          NULL};
    static const char *const keys[] = {"function",
                                       "concurrency",
                                       "provisioned_concurrent_executions",
                                       "input",
                                       "schedule_expression",
                                       NULL};
    size_t k = 0;
    *in = tsk_xcalloc(n ? n : 1, sizeof(**in));
    for (size_t i = 0; i < n; i++) {
        const struct tsk_object *o = &objs[i];
        if (!ends_with(o->type, "_function") || !tsk_object_has_attrs(o))
            continue;
        const char *name = strchr(o->addr, '.');
        struct tsk_cost_input *c = &(*in)[k++];
        cJSON *attrs = tsk_object_pick(o, fn_keys);
        c->function = name ? name + 1 : o->addr;
        c->memory_mb = num_attr(attrs, mem);
        const cJSON *arch =
            cJSON_GetObjectItemCaseSensitive(attrs, "architecture");
        if (cJSON_IsArray(arch))
            arch = cJSON_GetArrayItem(arch, 0);
        c->arm64 = cJSON_IsString(arch) &&
                   strcmp(arch->valuestring, "arm64") == 0;
        cJSON_Delete(attrs);
        usage_from(m ? tsk_model_find_function(m, c->function) : NULL, c);
    }
    struct fn_index x;
    index_build(&x, *in, k);
    for (size_t i = 0; i < n; i++) {
        const struct tsk_object *o = &objs[i];
        if (!tsk_object_has_attrs(o) || !may_cost(o))
            continue;
        cJSON *attrs = tsk_object_pick(o, keys);
        struct tsk_cost_input *c = object_function(o, attrs, &x);
        if (c && pc_type(o->type))
            c->pc_units += num_attr(attrs, pc);
        double iv = c ? warmup_interval(attrs) : 0.0;
        if (iv > 0) {
            static const char *const conc[] = {"concurrency", NULL};
            double cc = num_attr(attrs, conc);
            c->pings_per_month += TSK_COST_MONTH_SECONDS / iv *
                                  (cc > 0 ? cc : 1);
        }
        cJSON_Delete(attrs);
    }
    free(x.v);
    *nin = k;
}
