/*
 * model_refs.c - references between model objects: function names in the
 * cloud and their clashes, function -> event sources, http -> authorizer,
 * event rule targets -> handlers then functions (`-` and `_` alike),
 * budget and pre-warming entries -> functions; each unresolved name is an
 * error that lists the defined names or offers a did-you-mean.
 */
#include "model_internal.h"

#include <stdlib.h>

/* ---- a string -> index hash ------------------------------------------- */

static uint64_t hash(const char *s, int fold)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (fold && ch == '-')
            ch = '_';
        h = (h ^ ch) * 1099511628211ull;
    }
    return h;
}

static int same(const char *a, const char *b, int fold)
{
    if (!fold)
        return strcmp(a, b) == 0;
    for (; *a && *b; a++, b++) {
        char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

static void index_grow(struct tsk_model__index *x)
{
    struct tsk_model__index old = *x;
    x->cap = old.cap ? old.cap * 2 : 64;
    x->keys = tsk_xcalloc(x->cap, sizeof(*x->keys));
    x->vals = tsk_xcalloc(x->cap, sizeof(*x->vals));
    x->n = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i])
            tsk_model__index_put(x, old.keys[i], old.vals[i]);
    free(old.keys);
    free(old.vals);
}

void tsk_model__index_put(struct tsk_model__index *x, const char *key,
                          size_t val)
{
    if ((x->n + 1) * 2 > x->cap)
        index_grow(x);
    size_t i = hash(key, x->fold) & (x->cap - 1);
    while (x->keys[i] && !same(x->keys[i], key, x->fold))
        i = (i + 1) & (x->cap - 1);
    if (x->keys[i])
        return; /* the first one stays */
    x->keys[i] = key;
    x->vals[i] = val;
    x->n++;
}

size_t tsk_model__index_get(const struct tsk_model__index *x, const char *key)
{
    if (!x->cap)
        return (size_t)-1;
    size_t i = hash(key, x->fold) & (x->cap - 1);
    while (x->keys[i]) {
        if (same(x->keys[i], key, x->fold))
            return x->vals[i];
        i = (i + 1) & (x->cap - 1);
    }
    return (size_t)-1;
}

void tsk_model__index_free(struct tsk_model__index *x)
{
    free(x->keys);
    free(x->vals);
    memset(x, 0, sizeof(*x));
}

/* ---- names ------------------------------------------------------------ */

static int valid_name(const char *s)
{
    for (; *s; s++) {
        char ch = *s;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
            return 0;
    }
    return 1;
}

void tsk_model__index_functions(struct tsk_model__ctx *c)
{
    struct tsk_model *m = c->m;
    struct tsk_model__index *names = tsk_model__names(m);
    if (m->service && !valid_name(m->service))
        tsk_diag_error(c->d, &c->sa[SA_SERVICE]->pos,
                       "service \"%s\" may "
                       "only contain letters, digits, '-' and '_'",
                       m->service);
    for (size_t i = 0; i < m->functions.n; i++) {
        struct tsk_model_function *f = &m->functions.v[i];
        const char *what = f->is_handler ? "handler" : "function";
        size_t prev = tsk_model__index_get(names, f->key);
        if (prev != (size_t)-1) {
            const struct tsk_model_function *p = &m->functions.v[prev];
            tsk_diag_error(c->d, &f->pos,
                           "%s \"%s\" has the same name as "
                           "%s \"%s\" (%s:%u:%u)",
                           what, f->key, p->is_handler ? "handler" : "function",
                           p->key, p->pos.src ? p->pos.src->name : "?",
                           p->pos.line, p->pos.col);
            tsk_diag_detail(c->d, "each handler is deployed as a function "
                                  "of its own: rename one of them");
            continue;
        }
        tsk_model__index_put(names, f->key, i);
        if (m->service)
            f->name = tsk_model__printf(m, "%s-%s", m->service, f->key);
        if (!valid_name(f->key))
            tsk_diag_error(c->d, &f->pos,
                           "%s name \"%s\" may only contain "
                           "letters, digits, '-' and '_'",
                           what, f->key);
        else if (strlen(f->name) > 64)
            tsk_diag_error(c->d, &f->pos,
                           "%s name \"%s\" is %zu characters "
                           "long; the limit is 64",
                           what, f->name, strlen(f->name));
    }
}

/* A comma-separated list of the keys of t, for "defined: ..." details. */
static void list_keys(struct tsk_buf *b, const struct tsk_table *t)
{
    for (size_t i = 0; t && i < t->n; i++)
        tsk_buf_addf(b, "%s%s", i ? ", " : "", t->e[i].key);
}

static void suggest(struct tsk_diags *d, const char *word,
                    const struct tsk_table *t)
{
    if (!t || t->n == 0)
        return;
    const char **cands = tsk_xmalloc(t->n * sizeof(*cands));
    for (size_t i = 0; i < t->n; i++)
        cands[i] = t->e[i].key;
    const char *best = tsk_did_you_mean(word, cands, t->n);
    if (best)
        tsk_diag_detail(d, "did you mean \"%s\"?", best);
    free(cands);
}

void tsk_model__resolve_events(struct tsk_model__ctx *c,
                               struct tsk_model_function *f,
                               const struct tsk_value *events)
{
    if (!events || events->u.arr->n == 0)
        return;
    const struct tsk_array *a = events->u.arr;
    const struct tsk_table *t = c->events_tab;
    f->events = tsk_model__alloc(c->m, a->n * sizeof(*f->events));
    for (size_t i = 0; i < a->n; i++) {
        const struct tsk_value *it = &a->v[i];
        if (it->kind != TSK_V_STRING)
            continue;
        const struct tsk_entry *e = t ? tsk_table_find(t, it->u.str.s) : NULL;
        if (e) {
            const struct tsk_model_event_source *s =
                &c->m->event_sources.v[e - t->e];
            for (size_t j = 0; j < f->n_events; j++)
                if (f->events[j] == s)
                    tsk_diag_error(c->d, &it->pos,
                                   "event source \"%s\" is "
                                   "listed twice",
                                   s->name);
            f->events[f->n_events++] = s;
            continue;
        }
        struct tsk_buf b = TSK_BUF_INIT;
        tsk_diag_error(c->d, &it->pos,
                       "function \"%s\" names event source "
                       "\"%s\", which is not defined",
                       f->key, it->u.str.s);
        suggest(c->d, it->u.str.s, t);
        list_keys(&b, t);
        if (b.len)
            tsk_diag_detail(c->d,
                            "defined in [serverless_architecture."
                            "events]: %s",
                            b.ptr);
        else
            tsk_diag_detail(c->d, "[serverless_architecture.events] defines "
                                  "no event source");
        tsk_buf_release(&b);
    }
}

void tsk_model__resolve_authorizer(struct tsk_model__ctx *c,
                                   struct tsk_model_event_source *s,
                                   const struct tsk_value *name)
{
    const char *n = tsk_model__str(name);
    const struct tsk_value *au = c->sa[SA_AUTHORIZERS];
    const struct tsk_table *t = au ? au->u.tab : NULL;
    if (!n)
        return;
    s->http.authorizer_name = n;
    const struct tsk_entry *e = t ? tsk_table_find(t, n) : NULL;
    if (e) {
        s->http.authorizer = &c->m->authorizers.v[e - t->e];
        return;
    }
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_diag_error(c->d, &name->pos, "authorizer \"%s\" is not defined", n);
    suggest(c->d, n, t);
    list_keys(&b, t);
    if (b.len)
        tsk_diag_detail(c->d,
                        "defined in [serverless_architecture."
                        "authorizers]: %s",
                        b.ptr);
    else
        tsk_diag_detail(c->d,
                        "define it: [serverless_architecture."
                        "authorizers] %s = { type = \"jwt\", issuer = "
                        "\"https://...\", audience = [\"...\"] }",
                        n);
    tsk_buf_release(&b);
}

/* ---- functions by name (targets, budgets, pre-warming) ------------------ */

/* Index of name among functions [from, to) with '-' and '_' alike. */
static size_t find_folded(struct tsk_model__ctx *c, struct tsk_model__index *x,
                          size_t from, size_t to, const char *name)
{
    if (!x->cap) {
        x->fold = 1;
        for (size_t i = from; i < to; i++)
            tsk_model__index_put(x, c->m->functions.v[i].key, i);
    }
    return tsk_model__index_get(x, name);
}

static char *folded(const char *s)
{
    char *r = tsk_xstrdup(s);
    for (char *p = r; *p; p++)
        if (*p == '-')
            *p = '_';
    return r;
}

/* Did-you-mean among every function and handler, '-' and '_' alike. */
static void suggest_function(struct tsk_model__ctx *c, const char *name)
{
    size_t n = c->m->functions.n;
    if (n == 0)
        return;
    char **cands = tsk_xmalloc(n * sizeof(*cands));
    for (size_t i = 0; i < n; i++)
        cands[i] = folded(c->m->functions.v[i].key);
    char *word = folded(name);
    const char *best = tsk_did_you_mean(word, (const char *const *)cands, n);
    /* names are long and alike (order_processing, data_processing): only
     * a near miss is a useful hint */
    size_t cap = strlen(word) / 5 + 1;
    if (best && tsk_edit_distance(word, best, cap) > cap)
        best = NULL;
    for (size_t i = 0; best && i < n; i++) {
        if (cands[i] == best) {
            tsk_diag_detail(c->d, "did you mean \"%s\"?",
                            c->m->functions.v[i].key);
            break;
        }
    }
    for (size_t i = 0; i < n; i++)
        free(cands[i]);
    free(cands);
    free(word);
}

const struct tsk_model_function *
tsk_model__resolve_function(struct tsk_model__ctx *c, const char *name,
                            const struct tsk_pos *at, const char *what)
{
    const struct tsk_model_function *f = tsk_model_find_function(c->m, name);
    if (f)
        return f;
    tsk_diag_error(c->d, at,
                   "%s names function \"%s\", which is not "
                   "defined",
                   what, name);
    suggest_function(c, name);
    return NULL;
}

struct targets {
    struct tsk_model__index handlers, functions;
};

static struct tsk_model_function *target(struct tsk_model__ctx *c,
                                         struct targets *x,
                                         const struct tsk_value *it,
                                         const char *rule)
{
    struct tsk_model *m = c->m;
    const char *name = it->u.str.s;
    /* handlers first, then functions; an exact name before a folded one */
    size_t exact = tsk_model__index_get(tsk_model__names(m), name);
    size_t i = exact;
    if (i == (size_t)-1 || i < c->n_plain)
        i = find_folded(c, &x->handlers, c->n_plain, m->functions.n, name);
    if (i == (size_t)-1)
        i = exact != (size_t)-1
                ? exact
                : find_folded(c, &x->functions, 0, c->n_plain, name);
    if (i != (size_t)-1)
        return &m->functions.v[i];
    tsk_diag_error(c->d, &it->pos,
                   "event \"%s\" targets \"%s\", which is "
                   "neither a handler nor a function",
                   rule, name);
    suggest_function(c, name);
    tsk_diag_detail(c->d,
                    "define it in [event_driven_serverless.handlers], "
                    "e.g. %s = { function = \"Handler::method\" }",
                    name);
    return NULL;
}

static void rule(struct tsk_model__ctx *c, struct targets *x,
                 const struct tsk_entry *e)
{
    static const char path[] = "event_driven_serverless.events";
    struct tsk_model_rule *r = TSK_ARRAY_PUSH(c->m->events.rules);
    struct tsk_model__where w = {.path = path, .name = e->key};
    const struct tsk_value *v[RU__N];
    r->name = e->key;
    r->pos = e->key_pos;
    const struct tsk_table *t = tsk_model__table(&e->val, &w, c->d);
    if (!t)
        return;
    tsk_model__check(t, &tsk_model__rule, &w, v, c->d);
    r->source = tsk_model__str(v[RU_SOURCE]);
    r->detail_type = tsk_model__str(v[RU_DETAIL_TYPE]);
    if (!tsk_table_get(t, "source") && !tsk_table_get(t, "detail_type"))
        tsk_diag_error(c->d, &e->key_pos,
                       "event \"%s\" matches nothing: "
                       "give source, detail_type or both",
                       e->key);
    if (!v[RU_TARGETS]) {
        if (!tsk_table_get(t, "targets"))
            tsk_diag_error(c->d, &e->key_pos, "event \"%s\" has no targets",
                           e->key);
        return;
    }
    const struct tsk_array *a = v[RU_TARGETS]->u.arr;
    r->targets = tsk_model__alloc(c->m, (a->n + 1) * sizeof(*r->targets));
    for (size_t i = 0; i < a->n; i++) {
        if (a->v[i].kind != TSK_V_STRING)
            continue;
        struct tsk_model_function *f = target(c, x, &a->v[i], e->key);
        if (f)
            r->targets[r->n_targets++] = f;
    }
}

void tsk_model__rules(struct tsk_model__ctx *c, const struct tsk_table *rules)
{
    struct targets x = {{0}, {0}};
    if (!rules)
        return;
    for (size_t i = 0; i < rules->n; i++)
        rule(c, &x, &rules->e[i]);
    tsk_model__index_free(&x.handlers);
    tsk_model__index_free(&x.functions);
}
