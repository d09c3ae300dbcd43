/*
 * apply_fx.h - shared by the apply unit tests: a scratch folder with a
 * state file and a local cloud, a graph of local_* nodes, plans built by
 * hand from it (so the tests depend on plan.h only, not on the diff), and
 * an apply that captures its progress lines.
 */
#ifndef TSK_TEST_APPLY_FX_H
#define TSK_TEST_APPLY_FX_H

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "planner/apply.h"
#include "providers/local/local.h"

struct afx {
    char dir[64];
    char *state_path, *cloud_path;
    struct tsk_state *st;
    struct tsk_pctx *pctx;
    struct tsk_graph g;
    struct tsk_diags d;
    char *out; /* progress of the last apply */
    volatile sig_atomic_t intr;
};

static inline void afx_open_cloud(struct afx *f)
{
    struct tsk_provider_cfg cfg = {f->dir, "shop", NULL};
    tsk_local_close(f->pctx);
    f->pctx = NULL;
    setenv("TUSKFORM_LOCAL_CLOUD", f->cloud_path, 1);
    if (tsk_local_configure(&f->pctx, &cfg, &f->d) != 0)
        abort();
}

static inline struct afx *afx_new(void)
{
    struct afx *f = tsk_xcalloc(1, sizeof(*f));
    strcpy(f->dir, "/tmp/tsk-apply-XXXXXX");
    if (!mkdtemp(f->dir))
        abort();
    f->state_path = tsk_state_default_path(f->dir);
    f->cloud_path = tsk_xasprintf("%s/cloud.db", f->dir);
    unsetenv("TUSKFORM_LOCAL_FAIL");
    unsetenv("TUSKFORM_LOCAL_LATENCY_MS");
    if (tsk_state_open(&f->st, f->state_path, NULL, &f->d) != 0)
        abort();
    afx_open_cloud(f);
    tsk_graph_init(&f->g, &tsk_provider_local, "shop");
    return f;
}

static inline void afx_free(struct afx *f)
{
    tsk_local_close(f->pctx);
    tsk_state_close(f->st);
    tsk_graph_free(&f->g);
    tsk_diags_release(&f->d);
    char *cmd = tsk_xasprintf("rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        abort();
    free(cmd);
    free(f->state_path);
    free(f->cloud_path);
    free(f->out);
    free(f);
    unsetenv("TUSKFORM_LOCAL_FAIL");
    unsetenv("TUSKFORM_LOCAL_LATENCY_MS");
}

static inline uint32_t afx_fn(struct afx *f, const char *name, int memory)
{
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "name", name);
    cJSON_AddStringToObject(a, "handler", "index.handle");
    cJSON_AddNumberToObject(a, "memory_size", memory);
    cJSON_AddNumberToObject(a, "timeout", 30);
    return tsk_graph_add(&f->g, "local_function", name, a, NULL, &f->d);
}

static inline uint32_t afx_trigger(struct afx *f, const char *name,
                                   uint32_t fn)
{
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "kind", "sqs");
    cJSON_AddNumberToObject(a, "batch_size", 10);
    uint32_t n = tsk_graph_add(&f->g, "local_trigger", name, a, NULL, &f->d);
    tsk_graph_ref(&f->g, n, "function_arn", fn, "arn");
    return n;
}

/* Appends a change for node n (or for addr when n is UINT32_MAX). */
static inline struct tsk_change *afx_change(struct afx *f, struct tsk_plan *p,
                                            uint32_t n, const char *addr,
                                            enum tsk_action a)
{
    struct tsk_change *ch = TSK_ARRAY_PUSH(p->changes);
    const struct tsk_node *nd = n == UINT32_MAX ? NULL : &f->g.nodes.v[n];
    const char *ad = nd ? nd->addr : addr;
    const char *dot = strchr(ad, '.');
    ch->addr = tsk_xstrdup(ad);
    ch->type = tsk_xstrndup(ad, (size_t)(dot - ad));
    ch->name = tsk_xstrdup(dot + 1);
    ch->provider = tsk_xstrdup("local");
    ch->action = a;
    ch->node = nd ? n : UINT32_MAX;
    ch->after_unknown = cJSON_CreateObject();
    if (nd && a != TSK_DELETE) {
        ch->after = cJSON_Duplicate(nd->attrs, 1);
        for (size_t i = 0; i < nd->refs.n; i++)
            cJSON_AddTrueToObject(ch->after_unknown, nd->refs.v[i].attr);
    }
    for (size_t i = 0; nd && i < nd->deps.n; i++)
        *TSK_ARRAY_PUSH(ch->deps) =
            tsk_xstrdup(f->g.nodes.v[nd->deps.v[i]].addr);
    return ch;
}

/* A plan creating every node, in graph order (dependencies added first). */
static inline void afx_plan_create(struct afx *f, struct tsk_plan *p)
{
    memset(p, 0, sizeof(*p));
    for (uint32_t i = 0; i < f->g.nodes.n; i++)
        afx_change(f, p, i, NULL, TSK_CREATE);
}

/* Fills a change's prior side from what state records for it. */
static inline void afx_prior(struct afx *f, struct tsk_change *ch)
{
    struct tsk_state_rec rec;
    struct tsk_diags d = {0};
    if (tsk_state_get(&rec, f->st, ch->addr, &d) != 0)
        abort();
    ch->id = rec.remote_id ? tsk_xstrdup(rec.remote_id) : NULL;
    ch->before = tsk_state_rec_attrs(&rec);
    tsk_state_rec_release(&rec);
    tsk_diags_release(&d);
}

static inline int afx_apply(struct afx *f, const struct tsk_plan *p, int par,
                            struct tsk_apply_report *rep)
{
    size_t len = 0;
    free(f->out);
    f->out = NULL;
    FILE *mem = open_memstream(&f->out, &len);
    struct tsk_apply_opts o = {
        .g = &f->g,
        .prov = &tsk_provider_local,
        .pctx = f->pctx,
        .stack = "shop",
        .st = f->st,
        .parallelism = par,
        .progress = mem,
        .still_every = 1,
        .interrupt = &f->intr,
    };
    int rc = tsk_apply(rep, p, &o, &f->d);
    fclose(mem);
    return rc;
}

static inline int afx_recover(struct afx *f, int *n)
{
    size_t len = 0;
    free(f->out);
    f->out = NULL;
    FILE *mem = open_memstream(&f->out, &len);
    struct tsk_apply_opts o = {
        .g = &f->g,
        .prov = &tsk_provider_local,
        .pctx = f->pctx,
        .stack = "shop",
        .st = f->st,
        .progress = mem,
    };
    int rc = tsk_apply_recover(n, &o, &f->d);
    fclose(mem);
    return rc;
}

/* The attributes state records for addr (caller deletes), or NULL. */
static inline cJSON *afx_state_attrs(struct afx *f, const char *addr,
                                     int *tainted, char **id)
{
    struct tsk_state_rec rec;
    struct tsk_diags d = {0};
    cJSON *a = NULL;
    if (tsk_state_get(&rec, f->st, addr, &d) == 0) {
        a = tsk_state_rec_attrs(&rec);
        if (tainted)
            *tainted = rec.tainted;
        if (id)
            *id = rec.remote_id ? tsk_xstrdup(rec.remote_id) : NULL;
        tsk_state_rec_release(&rec);
    }
    tsk_diags_release(&d);
    return a;
}

static inline size_t afx_state_count(struct afx *f)
{
    struct tsk_state_snap *s = NULL;
    struct tsk_diags d = {0};
    if (tsk_state_load(&s, f->st, &d) != 0)
        abort();
    size_t n = s->res.n;
    tsk_state_snap_free(s);
    tsk_diags_release(&d);
    return n;
}

static inline size_t afx_journal_count(struct afx *f)
{
    struct tsk_state_intent_list l = {0};
    struct tsk_diags d = {0};
    if (tsk_state_journal_list(&l, f->st, &d) != 0)
        abort();
    size_t n = l.v.n;
    tsk_state_intent_list_release(&l);
    tsk_diags_release(&d);
    return n;
}

/* Objects in the local cloud matching an SQL condition (or all). */
static inline int afx_cloud_count(struct afx *f, const char *where)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int n = -1;
    char *sql = tsk_xasprintf("SELECT count(*) FROM objects%s%s",
                              where ? " WHERE " : "", where ? where : "");
    if (sqlite3_open(f->cloud_path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(sql);
    return n;
}

/* Position of needle in the progress output, or -1. */
static inline long afx_at(const struct afx *f, const char *needle)
{
    const char *p = f->out ? strstr(f->out, needle) : NULL;
    return p ? (long)(p - f->out) : -1;
}

static inline const char *afx_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

#endif
