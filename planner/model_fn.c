/*
 * model_fn.c - functions ([serverless_architecture.functions]) and handlers
 * ([event_driven_serverless.handlers], deployed as functions of their own):
 * the service defaults of [serverless_architecture], overridden key by key;
 * environment and tags merged; `sensitive` checked; `source` resolved
 * against the folder of the file that names it.
 */
#include "model_internal.h"

#include <stdlib.h>

#include "planner/srcfs.h"

static int present(const struct tsk_table *t, const char *key)
{
    return t && tsk_table_get(t, key) != NULL;
}

/* Text of an environment value: strings as they are, others as JSON. */
static const char *value_text(struct tsk_model *m, const struct tsk_value *v)
{
    if (v->kind == TSK_V_STRING)
        return v->u.str.s;
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_value_to_json(&b, v, 0);
    char *s = tsk_model__printf(m, "%s", b.ptr);
    tsk_buf_release(&b);
    return s;
}

/* Appends the pairs of table value v to kv, replacing equal keys. */
static void merge_kv(struct tsk_model *m, struct tsk_model_kv *kv, size_t *n,
                     const struct tsk_value *v)
{
    if (!v)
        return;
    const struct tsk_table *t = v->u.tab;
    for (size_t i = 0; i < t->n; i++) {
        const struct tsk_entry *e = &t->e[i];
        int bad = e->val.kind == TSK_V_TABLE || e->val.kind == TSK_V_ARRAY ||
                  e->val.kind == TSK_V_NULL; /* reported by the checker */
        size_t j = 0;
        while (j < *n && strcmp(kv[j].key, e->key) != 0)
            j++;
        if (j == *n)
            (*n)++;
        kv[j].key = e->key;
        kv[j].value = bad ? "" : value_text(m, &e->val);
        kv[j].pos = e->key_pos;
    }
}

static struct tsk_model_kv *merged(struct tsk_model *m,
                                   const struct tsk_value *a,
                                   const struct tsk_value *b, size_t *n)
{
    size_t cap = (a ? a->u.tab->n : 0) + (b ? b->u.tab->n : 0);
    *n = 0;
    if (cap == 0)
        return NULL;
    struct tsk_model_kv *kv = tsk_model__alloc(m, cap * sizeof(*kv));
    merge_kv(m, kv, n, a);
    merge_kv(m, kv, n, b);
    return kv;
}

/* Marks the environment keys named in list; own: report unknown names. */
static void mark_sensitive(struct tsk_model__ctx *c,
                           struct tsk_model_function *f,
                           const struct tsk_value *list, int own)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->u.arr->n; i++) {
        const struct tsk_value *it = &list->u.arr->v[i];
        size_t j = 0;
        if (it->kind != TSK_V_STRING)
            continue;
        while (j < f->n_env && strcmp(f->env[j].key, it->u.str.s) != 0)
            j++;
        if (j < f->n_env) {
            f->env[j].sensitive = 1;
            continue;
        }
        if (!own)
            continue; /* a service-wide name: redacted where it appears */
        tsk_diag_error(c->d, &it->pos,
                       "sensitive names \"%s\", which is "
                       "not in the environment of \"%s\"",
                       it->u.str.s, f->key);
        const char **cands = tsk_xmalloc((f->n_env + 1) * sizeof(*cands));
        for (j = 0; j < f->n_env; j++)
            cands[j] = f->env[j].key;
        const char *best = tsk_did_you_mean(it->u.str.s, cands, f->n_env);
        if (best)
            tsk_diag_detail(c->d, "did you mean \"%s\"?", best);
        free(cands);
    }
}

/*
 * source is resolved against the folder of the file that names it and
 * must be a folder or a .zip file in the tree that file was read from (the
 * work tree, or a commit's tree whose files are named "REF:path"). The
 * path is the same for both trees (srcfs.h).
 */
static void resolve_source(struct tsk_model__ctx *c,
                           struct tsk_model_function *f,
                           const struct tsk_value *v)
{
    const struct tsk_srcfs *fs = c->m->srcfs;
    char *file = tsk_srcfs_path_of(fs, v->pos.src ? v->pos.src->name : "");
    const char *slash = strrchr(file, '/');
    struct tsk_srcfs_stat st;
    f->source = v->u.str.s;
    f->source_pos = v->pos;
    if (f->source[0] == '/' || !slash)
        f->source_path = f->source;
    else
        f->source_path = tsk_model__printf(c->m, "%.*s/%s", (int)(slash - file),
                                           file, f->source);
    free(file);
    if (tsk_srcfs_stat(fs, f->source_path, &st) != 0) {
        char *shown = tsk_srcfs_display(fs, f->source_path);
        tsk_diag_error(c->d, &v->pos, "source \"%s\" does not exist",
                       f->source);
        if (strcmp(shown, f->source) != 0)
            tsk_diag_detail(c->d, "looked for %s (relative to the file)",
                            shown);
        free(shown);
        return;
    }
    size_t len = strlen(f->source_path);
    if (st.type == TSK_SRCFS_DIR)
        return;
    if (st.type == TSK_SRCFS_FILE && len > 4 &&
        strcmp(f->source_path + len - 4, ".zip") == 0)
        return;
    tsk_diag_error(c->d, &v->pos,
                   "source \"%s\" must be a folder or a .zip "
                   "file",
                   f->source);
}

static void expected(struct tsk_model__ctx *c, struct tsk_model_function *f,
                     const struct tsk_value *v, const char *path)
{
    const struct tsk_value *ev[EX__N];
    struct tsk_model__where w = {
        .path = path, .name = f->key, .sub = "expected"};
    f->expected.set = c->m->defaults.expected.set;
    f->expected.monthly_invocations =
        c->m->defaults.expected.monthly_invocations;
    f->expected.avg_duration_ms = c->m->defaults.expected.avg_duration_ms;
    if (!v)
        return;
    tsk_model__check(v->u.tab, &tsk_model__expected, &w, ev, c->d);
    f->expected.set = 1;
    f->expected.monthly_invocations =
        tsk_model__int(ev[EX_INVOCATIONS], f->expected.monthly_invocations);
    f->expected.avg_duration_ms =
        tsk_model__num(ev[EX_DURATION], f->expected.avg_duration_ms);
}

/* The keys every function and handler shares: defaults, then its own. */
static void common(struct tsk_model__ctx *c, struct tsk_model_function *f,
                   const struct tsk_table *t, const struct tsk_value **v,
                   const char *path)
{
    struct tsk_model *m = c->m;
    const struct tsk_value *const *sa = c->sa;
    f->runtime = v[FN_RUNTIME] ? tsk_model__str(v[FN_RUNTIME]) : m->runtime;
    if (!present(t, "runtime") && !present(c->sa_tab, "runtime")) {
        tsk_diag_error(c->d, &f->pos, "\"%s\" has no runtime", f->key);
        tsk_diag_detail(c->d, "set runtime here or in "
                              "[serverless_architecture], e.g. runtime = "
                              "\"php:8.4\"");
    }
    f->memory_size = tsk_model__int(v[FN_MEMORY], m->defaults.memory_size);
    f->timeout = tsk_model__int(v[FN_TIMEOUT], m->defaults.timeout);
    f->env = merged(m, sa[SA_ENV], v[FN_ENV], &f->n_env);
    mark_sensitive(c, f, sa[SA_SENSITIVE], 0);
    mark_sensitive(c, f, v[FN_SENSITIVE], 1);
    f->tags = merged(m, sa[SA_TAGS], v[FN_TAGS], &f->n_tags);
    const struct tsk_value *src = v[FN_SOURCE] ? v[FN_SOURCE] : sa[SA_SOURCE];
    if (src)
        resolve_source(c, f, src);
    const char *arch = tsk_model__str(v[FN_ARCH]);
    f->architecture = !arch                        ? m->defaults.architecture
                      : strcmp(arch, "arm64") == 0 ? TSK_MODEL_ARCH_ARM64
                                                   : TSK_MODEL_ARCH_X86_64;
    tsk_model__strs(m, v[FN_LAYERS] ? v[FN_LAYERS] : sa[SA_LAYERS], &f->layers);
    f->reserved_concurrency = tsk_model__int(v[FN_RESERVED], -1);
    f->role =
        v[FN_ROLE] ? tsk_model__str(v[FN_ROLE]) : tsk_model__str(sa[SA_ROLE]);
    expected(c, f, v[FN_EXPECTED], path);
}

static const struct tsk_value **add(struct tsk_model__ctx *c,
                                    struct tsk_model_function **f,
                                    const struct tsk_entry *e)
{
    struct tsk_model *m = c->m;
    *f = TSK_ARRAY_PUSH(m->functions);
    (*f)->key = e->key;
    (*f)->name = e->key;
    (*f)->pos = e->key_pos;
    (*f)->reserved_concurrency = -1;
    return c->fn_vals[m->functions.n - 1];
}

static void function(struct tsk_model__ctx *c, const struct tsk_entry *e)
{
    static const char path[] = "serverless_architecture.functions";
    struct tsk_model_function *f;
    const struct tsk_value **v = add(c, &f, e);
    struct tsk_model__where w = {.path = path,
                                 .name = e->key,
                                 .ctx = TSK_MCTX_FUNCTION,
                                 .ctx_what = "a function"};
    const struct tsk_table *t = tsk_model__table(&e->val, &w, c->d);
    tsk_model__check(t, &tsk_model__fn, &w, v, c->d);
    if (!t)
        return;
    f->handler = tsk_model__str(v[FN_HANDLER]);
    if (!present(t, "handler"))
        tsk_diag_error(c->d, &e->key_pos, "function \"%s\" has no handler",
                       e->key);
    common(c, f, t, v, path);
    tsk_model__resolve_events(c, f, v[FN_EVENTS]);
}

static void handler(struct tsk_model__ctx *c, const struct tsk_entry *e)
{
    static const char path[] = "event_driven_serverless.handlers";
    struct tsk_model_function *f;
    const struct tsk_value **v = add(c, &f, e);
    const struct tsk_value *rv[RP__N];
    struct tsk_model__where w = {.path = path,
                                 .name = e->key,
                                 .ctx = TSK_MCTX_HANDLER,
                                 .ctx_what = "a handler"};
    f->is_handler = 1;
    const struct tsk_table *t = tsk_model__table(&e->val, &w, c->d);
    tsk_model__check(t, &tsk_model__fn, &w, v, c->d);
    if (!t)
        return;
    f->handler = tsk_model__str(v[FN_FUNCTION]);
    if (!present(t, "function"))
        tsk_diag_error(c->d, &e->key_pos,
                       "handler \"%s\" has no function "
                       "(its entry point, e.g. \"EmailHandler::send\")",
                       e->key);
    common(c, f, t, v, path);
    if (!v[FN_RETRY])
        return;
    w.sub = "retry_policy";
    w.ctx = 0;
    tsk_model__check(v[FN_RETRY]->u.tab, &tsk_model__retry, &w, rv, c->d);
    f->retry.set = 1;
    f->retry.max_attempts = tsk_model__int(rv[RP_MAX_ATTEMPTS], 3);
    const char *b = tsk_model__str(rv[RP_BACKOFF]);
    f->retry.backoff = !b ? TSK_MODEL_BACKOFF_EXPONENTIAL
                       : strcmp(b, "linear") == 0 ? TSK_MODEL_BACKOFF_LINEAR
                       : strcmp(b, "fixed") == 0
                           ? TSK_MODEL_BACKOFF_FIXED
                           : TSK_MODEL_BACKOFF_EXPONENTIAL;
}

static void service_expected(struct tsk_model__ctx *c)
{
    const struct tsk_value *v = c->sa[SA_EXPECTED], *ev[EX__N];
    struct tsk_model__where w = {.path = "serverless_architecture",
                                 .sub = "expected"};
    if (!v)
        return;
    tsk_model__check(v->u.tab, &tsk_model__expected, &w, ev, c->d);
    c->m->defaults.expected.set = 1;
    c->m->defaults.expected.monthly_invocations =
        tsk_model__int(ev[EX_INVOCATIONS], 0);
    c->m->defaults.expected.avg_duration_ms =
        tsk_model__num(ev[EX_DURATION], 0);
}

void tsk_model__functions(struct tsk_model__ctx *c,
                          const struct tsk_table *handlers)
{
    const struct tsk_value *fv = c->sa[SA_FUNCTIONS];
    const struct tsk_table *fns = fv ? fv->u.tab : NULL;
    size_t total = (fns ? fns->n : 0) + (handlers ? handlers->n : 0);
    service_expected(c);
    c->functions_tab = fns;
    c->handlers_tab = handlers;
    if (total == 0)
        return;
    /* sized once: pointers into the array stay valid from here on */
    TSK_ARRAY_GROW(c->m->functions, total);
    c->fn_vals = tsk_xcalloc(total, sizeof(*c->fn_vals));
    for (size_t i = 0; fns && i < fns->n; i++)
        function(c, &fns->e[i]);
    c->n_plain = c->m->functions.n;
    for (size_t i = 0; handlers && i < handlers->n; i++)
        handler(c, &handlers->e[i]);
}
