/*
 * model.c - tsk_model_build: the entry point that checks the five section
 * families in order and builds the model; the model's arena and the name
 * index of its functions.
 */
#include "model_internal.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stdlib.h>

struct priv {
    struct tsk_bump mem;
    struct tsk_model__index names; /* function key -> index */
};

void *tsk_model__alloc(struct tsk_model *m, size_t n)
{
    struct priv *p = m->arena_;
    size_t al = alignof(max_align_t);
    n = (n + al - 1) / al * al;
    if (n == 0)
        n = al;
    void *r = tsk_bump_alloc(&p->mem, n, al);
    memset(r, 0, n);
    return r;
}

char *tsk_model__printf(struct tsk_model *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = tsk_model__alloc(m, (size_t)(n > 0 ? n : 0) + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

void tsk_model__strs(struct tsk_model *m, const struct tsk_value *v,
                     struct tsk_model_strs *out)
{
    out->n = 0;
    out->v = NULL;
    out->pos = NULL;
    if (!v || v->kind != TSK_V_ARRAY || v->u.arr->n == 0)
        return;
    size_t n = v->u.arr->n;
    out->v = tsk_model__alloc(m, n * sizeof(*out->v));
    out->pos = tsk_model__alloc(m, n * sizeof(*out->pos));
    for (size_t i = 0; i < n; i++) {
        const struct tsk_value *it = &v->u.arr->v[i];
        if (it->kind != TSK_V_STRING)
            continue;
        out->v[out->n] = it->u.str.s;
        out->pos[out->n++] = it->pos;
    }
}

void tsk_model_free(struct tsk_model *m)
{
    if (!m)
        return;
    struct priv *p = m->arena_;
    if (p) {
        tsk_bump_free(&p->mem);
        tsk_model__index_free(&p->names);
        free(p);
    }
    TSK_ARRAY_FREE(m->functions);
    TSK_ARRAY_FREE(m->event_sources);
    TSK_ARRAY_FREE(m->authorizers);
    TSK_ARRAY_FREE(m->events.rules);
    TSK_ARRAY_FREE(m->monitoring.budgets);
    TSK_ARRAY_FREE(m->advice);
    free(m);
}

struct tsk_model__index *tsk_model__names(struct tsk_model *m)
{
    return &((struct priv *)m->arena_)->names;
}

const struct tsk_model_function *
tsk_model_find_function(const struct tsk_model *m, const char *key)
{
    const struct priv *p = m->arena_;
    size_t i = tsk_model__index_get(&p->names, key);
    return i < m->functions.n ? &m->functions.v[i] : NULL;
}

void tsk_model__add_advice(struct tsk_model__ctx *c, const char *key,
                           const char *note, const struct tsk_pos *pos)
{
    struct tsk_model_advice *a = TSK_ARRAY_PUSH(c->m->advice);
    a->key = key;
    a->note = note;
    if (pos)
        a->pos = *pos;
}

/* The first position in the document, for errors about what is missing. */
static const struct tsk_pos *first_pos(const struct tsk_table *root)
{
    return root && root->n ? &root->e[0].key_pos : NULL;
}

static void stack(struct tsk_model__ctx *c)
{
    struct tsk_model *m = c->m;
    const struct tsk_value *const *sa = c->sa;
    m->service = tsk_model__str(sa[SA_SERVICE]);
    m->runtime = tsk_model__str(sa[SA_RUNTIME]);
    m->region = tsk_model__str(sa[SA_REGION]);
    m->defaults.memory_size = tsk_model__int(sa[SA_MEMORY], 128);
    m->defaults.timeout = tsk_model__int(sa[SA_TIMEOUT], 3);
    const char *arch = tsk_model__str(sa[SA_ARCH]);
    m->defaults.architecture = arch && strcmp(arch, "arm64") == 0
                                   ? TSK_MODEL_ARCH_ARM64
                                   : TSK_MODEL_ARCH_X86_64;
    if (c->sa_tab)
        m->pos = c->sa_tab->pos;
}

static const struct tsk_table *section(const struct tsk_value *v)
{
    return v && v->kind == TSK_V_TABLE ? v->u.tab : NULL;
}

int tsk_model_build(struct tsk_model **out, const struct tsk_doc *doc,
                    struct tsk_diags *d)
{
    return tsk_model_build_opts(out, doc, NULL, d);
}

int tsk_model_build_opts(struct tsk_model **out, const struct tsk_doc *doc,
                         const struct tsk_model_opts *opts, struct tsk_diags *d)
{
    struct tsk_model *m = tsk_xcalloc(1, sizeof(*m));
    m->srcfs = opts ? opts->srcfs : NULL;
    m->arena_ = tsk_xcalloc(1, sizeof(struct priv));
    m->defaults.memory_size = 128;
    m->defaults.timeout = 3;
    m->debug.log_level = TSK_MODEL_LOG_INFO;
    *out = m;
    int nerr0 = d->nerr;
    struct tsk_model__ctx c = {.m = m, .d = d};
    const struct tsk_table *root = tsk_doc_root(doc);
    const struct tsk_value *rv[ROOT__N], *edv[ED__N];
    struct tsk_model__where w = {.path = ""};

    tsk_model__check(root, &tsk_model__root, &w, rv, d);
    c.sa_tab = section(rv[ROOT_SA]);
    w.path = "serverless_architecture";
    tsk_model__check(c.sa_tab, &tsk_model__sa, &w, c.sa, d);
    if (!tsk_table_get(root, "serverless_architecture")) {
        tsk_diag_error(d, first_pos(root),
                       "the configuration has no "
                       "[serverless_architecture] section");
        tsk_diag_detail(d, "it names the provider, e.g. provider = \"local\"");
    }
    tsk_model__provider(&c);
    stack(&c);
    tsk_model__event_sources(&c);

    const struct tsk_table *ed = section(rv[ROOT_ED]);
    w.path = "event_driven_serverless";
    tsk_model__check(ed, &tsk_model__ed, &w, edv, d);
    m->events.enabled = ed ? tsk_model__bool(edv[ED_ENABLED], 1) : 0;
    m->events.event_bus = tsk_model__str(edv[ED_BUS]);
    m->events.dead_letter_queue = tsk_model__str(edv[ED_DLQ]);
    if (ed)
        m->events.pos = ed->pos;

    tsk_model__functions(&c, section(edv[ED_HANDLERS]));
    tsk_model__index_functions(&c);
    tsk_model__rules(&c, section(edv[ED_EVENTS]));
    if (!m->events.enabled) {
        /* checked above; nothing of a switched-off section is deployed */
        m->functions.n = c.n_plain;
        m->events.rules.n = 0;
    }
    tsk_model__cold_start(&c, section(rv[ROOT_CS]));
    tsk_model__monitoring(&c, section(rv[ROOT_MO]));
    tsk_model__debug(&c, section(rv[ROOT_DB]));
    free(c.fn_vals);
    return d->nerr > nerr0 ? TSK_ERROR : 0;
}
