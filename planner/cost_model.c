/* cost_model.c - cost inputs from the model and from stored objects. */
#include "cost_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/cost_int.h"
#include "planner/util/jsonspan.h"
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

/*
 * The top-level members of one object's attributes, read the way
 * tsk_object_pick() reads them (the first occurrence of a member; its
 * value parsed alone) but without building a tree per object: the member
 * spans go into an array reused from object to object. Objects whose text
 * cannot be split (or with escaped keys) are read from their tree.
 */
struct view {
    tsk_jspans sp;
    const cJSON *tree;
    struct {
        const char *name;
        cJSON *value;
    } parsed[8]; /* values parsed for the current object (by name) */
    int nparsed;
};

static void view_close(struct view *v)
{
    for (int i = 0; i < v->nparsed; i++)
        cJSON_Delete(v->parsed[i].value);
    v->nparsed = 0;
}

static void view_open(struct view *v, const struct tsk_object *o)
{
    view_close(v);
    v->sp.n = 0;
    v->tree = NULL;
    int plain = !o->attrs && o->text && tsk_jspan_split(o->text, &v->sp) == 0;
    for (size_t i = 0; plain && i < v->sp.n; i++)
        plain = !memchr(v->sp.v[i].key, '\\', v->sp.v[i].klen);
    if (!plain) {
        v->sp.n = 0;
        v->tree = tsk_object_attrs(o);
    }
}

/* The member name (one of the few names the callers read, each parsed
 * once) of the open object, or NULL; valid until the next view_open() (a
 * value that does not parse reads as null). */
static const cJSON *view_get(struct view *v, const char *name)
{
    if (v->tree)
        return cJSON_GetObjectItemCaseSensitive(v->tree, name);
    for (int i = 0; i < v->nparsed; i++)
        if (strcmp(v->parsed[i].name, name) == 0)
            return v->parsed[i].value;
    const struct tsk_jspan *s =
        tsk_jspan_find(v->sp.v, v->sp.n, name, strlen(name));
    if (!s || v->nparsed == (int)(sizeof(v->parsed) / sizeof(*v->parsed)))
        return NULL;
    cJSON *x = cJSON_ParseWithLength(s->val, s->vlen);
    if (!x)
        x = cJSON_CreateNull();
    v->parsed[v->nparsed].name = name;
    v->parsed[v->nparsed++].value = x;
    return x;
}

static void view_release(struct view *v)
{
    view_close(v);
    TSK_ARRAY_FREE(v->sp);
}

static double num_attr(struct view *v, const char *const *names)
{
    for (; *names; names++) {
        const cJSON *x = view_get(v, *names);
        if (cJSON_IsNumber(x))
            return x->valuedouble;
    }
    return 0.0;
}

/* Function inputs sorted by name, for binary search by a name prefix. */
struct fn_index {
    struct tsk_cost__name *v;
    struct tsk_cost_input *in;
    size_t n;
};

static void index_build(struct fn_index *x, struct tsk_cost_input *in,
                        size_t n)
{
    x->v = tsk_xmalloc((n + 1) * sizeof(*x->v));
    x->in = in;
    x->n = n;
    tsk_cost__sort_names(x->v, in, n);
}

/* The input whose function is exactly the first len bytes of name. */
static struct tsk_cost_input *index_find(const struct fn_index *x,
                                         const char *name, size_t len)
{
    size_t lo = 0, hi = x->n;
    uint64_t k = tsk_cost__key8(name, len);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct tsk_cost__name *e = &x->v[mid];
        int c;
        if (k != e->key) {
            c = k < e->key ? -1 : 1;
        } else {
            c = strncmp(name, e->name, len);
            if (c == 0 && e->name[len] != '\0')
                c = -1; /* longer: name's prefix sorts before it */
        }
        if (c == 0)
            return &x->in[e->i];
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
                                              struct view *v,
                                              const struct fn_index *x)
{
    const char *name = strchr(o->addr, '.');
    name = name ? name + 1 : o->addr;
    const cJSON *fn = view_get(v, "function");
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

/* The last expression read and its interval: a stack's warm-up schedules
 * mostly share one ("rate(5 minutes)"), and sscanf is slow. */
struct rate_cache {
    char *expr;
    double seconds;
};

static double rate_cached(struct rate_cache *rc, const char *expr)
{
    if (!rc->expr || strcmp(rc->expr, expr) != 0) {
        free(rc->expr);
        rc->expr = tsk_xstrdup(expr);
        rc->seconds = rate_seconds(expr);
    }
    return rc->seconds;
}

/* A warm-up schedule: its input says {"warmup": true} (an object, or JSON
 * text as AWS targets carry it). Returns its interval in seconds, else 0. */
static double warmup_interval(struct view *v, struct rate_cache *rc)
{
    const cJSON *input = view_get(v, "input");
    const cJSON *expr = view_get(v, "schedule_expression");
    cJSON *parsed = NULL;
    int warm = 0;
    if (cJSON_IsString(input))
        input = parsed = cJSON_Parse(input->valuestring);
    if (cJSON_IsObject(input))
        warm = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(input, "warmup"));
    cJSON_Delete(parsed);
    if (!warm || !cJSON_IsString(expr))
        return 0.0;
    return rate_cached(rc, expr->valuestring);
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

/* How the objects are read: functions first, then, in object order, those
 * that can add capacity or pings to a function. */
enum { OBJ_FUNCTION = 1, OBJ_MAY_COST = 2 };

static int classify(const struct tsk_object *o)
{
    if (!tsk_object_has_attrs(o))
        return 0;
    if (ends_with(o->type, "_function"))
        return OBJ_FUNCTION; /* OBJ_MAY_COST is told by its members */
    return may_cost(o) ? OBJ_MAY_COST : 0;
}

/* A function object's own figures: memory_size and architecture. Returns
 * OBJ_MAY_COST when it could be a warm-up schedule as well (a
 * "schedule_expression" member). */
static int function_input(struct tsk_cost_input *c,
                          const struct tsk_object *o, struct view *v,
                          const struct tsk_model *m)
{
    static const char *const mem[] = {"memory_size", NULL};
    const char *name = strchr(o->addr, '.');
    view_open(v, o);
    c->function = name ? name + 1 : o->addr;
    c->memory_mb = num_attr(v, mem);
    const cJSON *arch = view_get(v, "architecture");
    if (cJSON_IsArray(arch))
        arch = cJSON_GetArrayItem(arch, 0);
    c->arm64 = cJSON_IsString(arch) && strcmp(arch->valuestring, "arm64") == 0;
    usage_from(m ? tsk_model_find_function(m, c->function) : NULL, c);
    return view_get(v, "schedule_expression") ? OBJ_MAY_COST : 0;
}

/* What a capacity object or a warm-up schedule adds to its function. */
static void add_object(const struct tsk_object *o, struct view *v,
                       const struct fn_index *x, struct rate_cache *rc)
{
    static const char *const pc[] = {"concurrency",
                                     "provisioned_concurrent_executions",
                                     NULL};
    static const char *const conc[] = {"concurrency", NULL};
    int capacity = pc_type(o->type);
    view_open(v, o);
    double iv = warmup_interval(v, rc);
    if (!capacity && iv <= 0)
        return;
    struct tsk_cost_input *c = object_function(o, v, x);
    if (!c)
        return;
    if (capacity)
        c->pc_units += num_attr(v, pc);
    if (iv > 0) {
        double cc = num_attr(v, conc);
        c->pings_per_month += TSK_COST_MONTH_SECONDS / iv * (cc > 0 ? cc : 1);
    }
}

void tsk_cost_inputs_from_objects(const struct tsk_object *objs, size_t n,
                                  const struct tsk_model *m,
                                  struct tsk_cost_input **in, size_t *nin)
{
    struct view v = {0};
    struct rate_cache rc = {0};
    unsigned char *cls = tsk_xmalloc(n ? n : 1);
    size_t k = 0, nfn = 0;
    for (size_t i = 0; i < n; i++) {
        cls[i] = (unsigned char)classify(&objs[i]);
        nfn += cls[i] == OBJ_FUNCTION;
    }
    *in = tsk_xcalloc(nfn ? nfn : 1, sizeof(**in));
    for (size_t i = 0; i < n; i++)
        if (cls[i] == OBJ_FUNCTION)
            cls[i] |= function_input(&(*in)[k++], &objs[i], &v, m);
    struct fn_index x;
    index_build(&x, *in, k);
    for (size_t i = 0; i < n; i++)
        if (cls[i] & OBJ_MAY_COST)
            add_object(&objs[i], &v, &x, &rc);
    view_release(&v);
    free(rc.expr);
    free(x.v);
    free(cls);
    *nin = k;
}
