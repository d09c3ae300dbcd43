/*
 * crud.c - the generic read/create/update/delete/find callbacks shared by
 * every local_* type, driven by the type's schema: computed attributes
 * (id, arn, url, ...) are assigned on create and kept on update, and
 * reference attributes (ref_type) must name an existing object of that
 * type, checked inside the write transaction.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* The type of the call's address and its schema; an error otherwise. */
const struct tsk_resource_type *tsk_local__call_type(const struct tsk_rcall *c,
                                                     struct tsk_diags *d)
{
    char type[128];
    const struct tsk_resource_type *rt = NULL;
    if (tsk_local__addr_type(type, sizeof(type), c->addr) == 0)
        rt = tsk_local__type(c->pctx, type);
    if (!rt) {
        tsk_diag_error(d, NULL, "%s: not a resource of the local provider",
                       c->addr ? c->addr : "(no address)");
        tsk_diag_addr(d, c->addr);
    }
    return rt;
}

/* "local_function" -> "function" */
static const char *short_type(const char *type)
{
    return strncmp(type, "local_", 6) == 0 ? type + 6 : type;
}

/* Ids are a random 24-bit prefix chosen once per process and a 24-bit
 * counter: unique within a run, apart from other runs' by the prefix, and
 * increasing, so that a large apply appends to the end of the id index
 * instead of touching a random page of it per object. */
static _Atomic uint32_t id_prefix, id_next;

static void seed_ids(void)
{
    unsigned char r[3];
    uint32_t x;
    if (getrandom(r, sizeof(r), 0) == (ssize_t)sizeof(r)) {
        x = (uint32_t)r[0] << 16 | (uint32_t)r[1] << 8 | r[2];
    } else {
        /* No entropy source: a clock mix is unique enough for a local
         * file (a collision fails the insert, it does not corrupt). */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        x = (uint32_t)ts.tv_nsec ^ ((uint32_t)ts.tv_sec << 8);
    }
    id_prefix = x & 0xffffff;
}

static char *new_id(const char *type)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, seed_ids);
    uint32_t n = id_next++;
    /* 2^24 ids per prefix: after that, the next prefix up. */
    uint32_t prefix = (id_prefix + (n >> 24)) & 0xffffff;
    return tsk_xasprintf("%s-%06x%06x", short_type(type), (unsigned)prefix,
                         (unsigned)(n & 0xffffff));
}

static const char *str_attr(const cJSON *attrs, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The value of a computed attribute that the create did not receive. */
static cJSON *computed_value(const struct tsk_attr_schema *a,
                             const struct tsk_local_obj *o,
                             const struct tsk_pctx *p)
{
    const char *who = o->name ? o->name : o->id;
    if (strcmp(a->name, "id") == 0)
        return cJSON_CreateString(o->id);
    if (strcmp(a->name, "arn") == 0)
        return cJSON_CreateString(o->arn);
    if (strcmp(a->name, "url") == 0 || strcmp(a->name, "endpoint") == 0) {
        char *u = tsk_xasprintf("http://%s.%s.%s.local-cloud/%s",
                                short_type(o->type), p->region, p->stack, who);
        cJSON *v = cJSON_CreateString(u);
        free(u);
        return v;
    }
    if (strcmp(a->name, "function_version") == 0 ||
        strcmp(a->name, "version") == 0)
        return a->type == TSK_T_NUMBER ? cJSON_CreateNumber(1)
                                       : cJSON_CreateString("1");
    switch (a->type) {
    case TSK_T_NUMBER:
        return cJSON_CreateNumber(0);
    case TSK_T_BOOL:
        return cJSON_CreateFalse();
    case TSK_T_LIST:
        return cJSON_CreateArray();
    case TSK_T_MAP:
    case TSK_T_OBJECT:
        return cJSON_CreateObject();
    default: {
        char *s = tsk_xasprintf("%s/%s", o->id, a->name);
        cJSON *v = cJSON_CreateString(s);
        free(s);
        return v;
    }
    }
}

/* Sets every computed attribute missing from o->attrs: from keep (the
 * stored object on update) when it has it, else a fresh value. */
static void fill_computed(struct tsk_local_obj *o,
                          const struct tsk_resource_type *rt,
                          const cJSON *keep, const struct tsk_pctx *p)
{
    for (const struct tsk_attr_schema *a = rt->schema->attrs; a->name; a++) {
        if (!(a->flags & TSK_A_COMPUTED))
            continue;
        const cJSON *cur = cJSON_GetObjectItemCaseSensitive(o->attrs, a->name);
        if (cur && !cJSON_IsNull(cur))
            continue;
        const cJSON *k = keep ? cJSON_GetObjectItemCaseSensitive(keep, a->name)
                              : NULL;
        cJSON *v = k && !cJSON_IsNull(k) && strcmp(a->name, "arn") != 0
                       ? cJSON_Duplicate(k, 1)
                       : computed_value(a, o, p);
        if (cur)
            cJSON_ReplaceItemInObjectCaseSensitive(o->attrs, a->name, v);
        else
            cJSON_AddItemToObject(o->attrs, a->name, v);
    }
}

static cJSON *make_tags(const struct tsk_rcall *c, const cJSON *attrs)
{
    cJSON *tags = cJSON_CreateObject();
    const cJSON *user = cJSON_GetObjectItemCaseSensitive(attrs, "tags");
    const cJSON *t;
    cJSON_ArrayForEach(t, user)
    {
        if (cJSON_IsString(t) && t->string)
            cJSON_AddStringToObject(tags, t->string, t->valuestring);
    }
    cJSON_DeleteItemFromObjectCaseSensitive(tags, "tuskform:stack");
    cJSON_DeleteItemFromObjectCaseSensitive(tags, "tuskform:address");
    cJSON_AddStringToObject(tags, "tuskform:stack", c->pctx->stack);
    cJSON_AddStringToObject(tags, "tuskform:address", c->addr);
    return tags;
}

/* Required attributes must be set; reported all at once. */
static int check_required(const struct tsk_rcall *c,
                          const struct tsk_resource_type *rt,
                          const cJSON *planned, struct tsk_diags *d)
{
    int rc = 0;
    if (!cJSON_IsObject(planned)) {
        tsk_diag_error(d, NULL, "%s: the planned attributes are not an object",
                       c->addr);
        tsk_diag_addr(d, c->addr);
        return TSK_EINVAL;
    }
    for (const struct tsk_attr_schema *a = rt->schema->attrs; a->name; a++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(planned, a->name);
        if ((a->flags & TSK_A_REQUIRED) && (!v || cJSON_IsNull(v))) {
            tsk_diag_error(d, NULL, "%s: required attribute \"%s\" is not set",
                           c->addr, a->name);
            tsk_diag_addr(d, c->addr);
            rc = TSK_EINVAL;
        }
    }
    return rc;
}

/* Runs inside the write transaction: every reference names an object. */
static int check_one_ref(sqlite3 *db, const struct tsk_local_wcall *wc,
                         const struct tsk_attr_schema *a, const cJSON *v,
                         struct tsk_diags *d)
{
    const char *addr = wc->c->addr;
    if (!cJSON_IsString(v) || !*v->valuestring) {
        tsk_diag_error(d, NULL,
                       "%s: attribute \"%s\" must name a %s (its arn or id)",
                       addr, a->name, a->ref_type);
        tsk_diag_addr(d, addr);
        return TSK_EINVAL;
    }
    char *id = tsk_local__obj_lookup(db, a->ref_type, v->valuestring);
    if (id) {
        free(id);
        return 0;
    }
    tsk_diag_error(d, NULL, "%s: %s \"%s\" does not exist", addr,
                   a->ref_type, v->valuestring);
    tsk_diag_detail(d, "Attribute \"%s\" must name an existing %s.", a->name,
                    a->ref_type);
    tsk_diag_addr(d, addr);
    return TSK_ENOTFOUND;
}

static int check_refs(sqlite3 *db, void *arg, struct tsk_diags *d)
{
    const struct tsk_local_wcall *wc = arg;
    int err = 0;
    for (const struct tsk_attr_schema *a = wc->rt->schema->attrs; a->name;
         a++) {
        const cJSON *v =
            a->ref_type ? cJSON_GetObjectItemCaseSensitive(wc->o.attrs, a->name)
                        : NULL;
        if (!v || cJSON_IsNull(v))
            continue;
        if (cJSON_IsArray(v)) {
            const cJSON *e;
            cJSON_ArrayForEach(e, v)
            {
                int r = check_one_ref(db, wc, a, e, d);
                err = err ? err : r;
            }
        } else {
            int r = check_one_ref(db, wc, a, v, d);
            err = err ? err : r;
        }
    }
    return err;
}

static char *make_arn(const struct tsk_pctx *p, const char *type,
                      const char *name, const char *id)
{
    return tsk_xasprintf("arn:local:%s:%s:%s", p->region, short_type(type),
                         name ? name : id);
}

/* create: the object to insert. */
static int prep_create(struct tsk_local_wcall *wc, const cJSON *planned,
                       struct tsk_diags *d)
{
    const struct tsk_resource_type *rt = wc->rt;
    struct tsk_local_obj *o = &wc->o;
    o->type = tsk_xstrdup(rt->name);
    o->id = new_id(rt->name);
    const char *name = str_attr(planned, "name");
    o->name = name ? tsk_xstrdup(name) : NULL;
    o->arn = make_arn(wc->c->pctx, rt->name, o->name, o->id);
    o->attrs = cJSON_Duplicate(planned, 1);
    fill_computed(o, rt, NULL, wc->c->pctx);
    o->tags = make_tags(wc->c, o->attrs);
    wc->w = (struct tsk_local_write){'i', o, check_refs, wc};
    (void)d;
    return 0;
}

/* update: the stored object with the planned attributes. */
static int prep_update(struct tsk_local_wcall *wc, const char *id,
                       const cJSON *planned, struct tsk_diags *d)
{
    const struct tsk_resource_type *rt = wc->rt;
    const struct tsk_rcall *c = wc->c;
    sqlite3 *db;
    int rc = tsk_local__db_get(c->pctx, &db, d);
    if (rc)
        return rc;
    struct tsk_local_obj cur;
    rc = tsk_local__obj_get(&cur, db, rt->name, id, d);
    tsk_local__db_put(c->pctx, db);
    if (rc == TSK_ENOTFOUND) {
        tsk_diag_error(d, NULL, "%s: %s %s does not exist (deleted outside "
                       "tuskform?)", c->addr, rt->name, id);
        tsk_diag_detail(d, "Run `tuskform apply` again: the refresh will plan "
                           "to create it.");
    }
    if (rc) {
        tsk_diag_addr(d, c->addr);
        return rc;
    }
    struct tsk_local_obj *o = &wc->o;
    o->id = tsk_xstrdup(id);
    o->type = tsk_xstrdup(rt->name);
    const char *name = str_attr(planned, "name");
    o->name = name ? tsk_xstrdup(name) : NULL;
    /* The ARN follows the name; everything else computed is kept. */
    o->arn = make_arn(c->pctx, rt->name, o->name, o->id);
    o->attrs = cJSON_Duplicate(planned, 1);
    fill_computed(o, rt, cur.attrs, c->pctx);
    o->tags = make_tags(c, o->attrs);
    tsk_local__obj_release(&cur);
    wc->w = (struct tsk_local_write){'u', o, check_refs, wc};
    return 0;
}

int tsk_local__prep(struct tsk_local_wcall *wc, const struct tsk_pcall *pc,
                    struct tsk_diags *d)
{
    memset(wc, 0, sizeof(*wc));
    wc->c = &pc->c;
    wc->op = pc->op;
    wc->rt = tsk_local__call_type(&pc->c, d);
    if (!wc->rt)
        return TSK_EINVAL;
    static const char *const names[] = {"create", "update", "delete"};
    const char *name = pc->op == 'c'   ? names[0]
                       : pc->op == 'u' ? names[1]
                                       : names[2];
    int rc = tsk_local__knobs(pc->c.pctx, name, pc->c.addr,
                              pc->op == 'c' ? &wc->lost : NULL, d);
    if (rc)
        return rc;
    switch (pc->op) {
    case 'c':
        if ((rc = check_required(&pc->c, wc->rt, pc->planned, d)))
            return rc;
        return prep_create(wc, pc->planned, d);
    case 'u':
        if ((rc = check_required(&pc->c, wc->rt, pc->planned, d)))
            return rc;
        return prep_update(wc, pc->id, pc->planned, d);
    default:
        if (!pc->id) {
            wc->w.op = 0; /* nothing to delete */
            return 0;
        }
        wc->o.id = tsk_xstrdup(pc->id);
        wc->o.type = tsk_xstrdup(wc->rt->name);
        wc->w = (struct tsk_local_write){'d', &wc->o, NULL, NULL};
        return 0;
    }
}

int tsk_local__finish(struct tsk_local_wcall *wc, int rc, char **out_id,
                      cJSON **out, struct tsk_diags *d)
{
    const char *addr = wc->c->addr;
    if (!rc && wc->lost) {
        rc = tsk_diag_error(d, NULL,
                            "create %s: the response was lost (injected by "
                            "TUSKFORM_LOCAL_FAIL)",
                            addr);
        tsk_diag_addr(d, addr);
    }
    if (rc && wc->op == 'u')
        tsk_diag_addr(d, addr);
    if (!rc && wc->op == 'c') {
        *out_id = wc->o.id;
        wc->o.id = NULL;
    }
    if (!rc && wc->op != 'd') {
        *out = wc->o.attrs;
        wc->o.attrs = NULL;
    }
    tsk_local__obj_release(&wc->o);
    return rc;
}

/* One write call made alone: prepare, write, finish. */
static int write_call(const struct tsk_pcall *pc, char **out_id, cJSON **out,
                      struct tsk_diags *d)
{
    struct tsk_local_wcall wc;
    int rc = tsk_local__prep(&wc, pc, d);
    if (!rc && wc.w.op) {
        tsk_local__writer(pc->c.pctx, 1);
        rc = tsk_local__write(pc->c.pctx, &wc.w, d);
        tsk_local__writer(pc->c.pctx, -1);
    }
    if (rc) {
        if (wc.op == 'u' && wc.o.id)
            tsk_diag_addr(d, pc->c.addr);
        tsk_local__obj_release(&wc.o);
        return rc;
    }
    return tsk_local__finish(&wc, rc, out_id, out, d);
}

int tsk_local_create(const struct tsk_rcall *c, const cJSON *planned,
                     char **out_id, cJSON **out, struct tsk_diags *d)
{
    *out_id = NULL;
    *out = NULL;
    struct tsk_pcall pc = {.op = 'c', .c = *c, .planned = planned};
    return write_call(&pc, out_id, out, d);
}

int tsk_local_read(const struct tsk_rcall *c, const char *id,
                   const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    (void)prior;
    *out = NULL;
    const struct tsk_resource_type *rt = tsk_local__call_type(c, d);
    if (!rt)
        return TSK_EINVAL;
    int rc = tsk_local__knobs(c->pctx, "read", c->addr, NULL, d);
    sqlite3 *db;
    if (rc || (rc = tsk_local__db_get(c->pctx, &db, d)))
        return rc;
    rc = id ? tsk_local__obj_attrs(out, db, rt->name, id, d) : TSK_ENOTFOUND;
    tsk_local__db_put(c->pctx, db);
    if (rc == TSK_ENOTFOUND)
        return 0;
    if (rc)
        tsk_diag_addr(d, c->addr);
    return rc;
}

int tsk_local_update(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, const cJSON *planned, cJSON **out,
                     struct tsk_diags *d)
{
    *out = NULL;
    struct tsk_pcall pc = {
        .op = 'u', .c = *c, .id = id, .prior = prior, .planned = planned};
    return write_call(&pc, NULL, out, d);
}

int tsk_local_delete(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, struct tsk_diags *d)
{
    struct tsk_pcall pc = {.op = 'd', .c = *c, .id = id, .prior = prior};
    return write_call(&pc, NULL, NULL, d);
}

int tsk_local_find(const struct tsk_rcall *c, const cJSON *planned,
                   char **out_id, cJSON **out, struct tsk_diags *d)
{
    (void)planned;
    *out_id = NULL;
    *out = NULL;
    const struct tsk_resource_type *rt = tsk_local__call_type(c, d);
    if (!rt)
        return TSK_EINVAL;
    int rc = tsk_local__knobs(c->pctx, "find", c->addr, NULL, d);
    sqlite3 *db;
    if (rc || (rc = tsk_local__db_get(c->pctx, &db, d)))
        return rc;
    struct tsk_local_obj o;
    rc = tsk_local__obj_find(&o, db, rt->name, c->pctx->stack, c->addr, d);
    tsk_local__db_put(c->pctx, db);
    if (rc == TSK_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    *out_id = o.id;
    *out = o.attrs;
    o.id = NULL;
    o.attrs = NULL;
    tsk_local__obj_release(&o);
    return 0;
}
