/*
 * model_cold.c - [cold_start_optimization]: each strategy that is switched
 * on applies to every function (handlers included) unless the function
 * switches it off; provisioned concurrency is checked against the cap on
 * instances; optimization flags become advice.
 */
#include "model_internal.h"

#include <strings.h>

static const struct tsk_table *sub(const struct tsk_value *v)
{
    return v && v->kind == TSK_V_TABLE ? v->u.tab : NULL;
}

/* A strategy is on when the section, its top-level flag (default: the
 * strategy's table is written) and its own `enabled` are all on. */
static int strategy_on(int section_on, const struct tsk_value *flag,
                       const struct tsk_table *t, const struct tsk_value *en)
{
    return section_on && tsk_model__bool(flag, t != NULL) &&
           tsk_model__bool(en, 1);
}

struct strategies {
    const struct tsk_value *sp[SP__N], *sk[SK__N], *sv[SV__N];
    int pw_on, kw_on, pc_on;
};

static void read_strategies(struct tsk_model__ctx *c,
                            const struct tsk_table *cs,
                            const struct tsk_value *const *v,
                            struct strategies *s)
{
    const struct tsk_value *st[ST__N];
    struct tsk_model__where w = {.path = "cold_start_optimization",
                                 .name = "strategies"};
    const struct tsk_table *stt = sub(v[CS_STRATEGIES]);
    tsk_model__check(stt, &tsk_model__st, &w, st, c->d);
    const struct tsk_table *sp = sub(st[ST_PRE_WARMING]);
    const struct tsk_table *sk = sub(st[ST_KEEP_WARM]);
    const struct tsk_table *sv = sub(st[ST_PROVISIONED]);
    w.path = "cold_start_optimization.strategies";
    w.name = "pre_warming";
    tsk_model__check(sp, &tsk_model__sp, &w, s->sp, c->d);
    w.name = "keep_warm";
    tsk_model__check(sk, &tsk_model__sk, &w, s->sk, c->d);
    w.name = "provisioned_concurrency";
    tsk_model__check(sv, &tsk_model__sv, &w, s->sv, c->d);
    int on = cs && tsk_model__bool(v[CS_ENABLED], 1);
    c->m->cold_start.enabled = on;
    s->pw_on = strategy_on(on, v[CS_PRE_WARMING], sp, s->sp[SP_ENABLED]);
    s->kw_on = strategy_on(on, v[CS_KEEP_WARM], sk, s->sk[SK_ENABLED]);
    s->pc_on = strategy_on(on, v[CS_PROVISIONED], sv, s->sv[SV_ENABLED]);
    if (s->sk[SK_MIN] && s->sk[SK_MAX] &&
        s->sk[SK_MIN]->u.i > s->sk[SK_MAX]->u.i)
        tsk_diag_error(c->d, &s->sk[SK_MIN]->pos,
                       "min_instances %lld is "
                       "above max_instances %lld",
                       (long long)s->sk[SK_MIN]->u.i,
                       (long long)s->sk[SK_MAX]->u.i);
}

/* [serverless_architecture.pre_warming] NAME = { enabled = BOOL } */
static void pre_warming_entries(struct tsk_model__ctx *c,
                                const struct strategies *s)
{
    const struct tsk_value *pw = c->sa[SA_PRE_WARMING], *v[PW__N];
    if (!pw)
        return;
    for (size_t i = 0; i < pw->u.tab->n; i++) {
        const struct tsk_entry *e = &pw->u.tab->e[i];
        struct tsk_model__where w = {
            .path = "serverless_architecture.pre_warming", .name = e->key};
        const struct tsk_table *t = tsk_model__table(&e->val, &w, c->d);
        tsk_model__check(t, &tsk_model__pw, &w, v, c->d);
        const struct tsk_model_function *cf = tsk_model__resolve_function(
            c, e->key, &e->key_pos, "[serverless_architecture.pre_warming]");
        if (!cf || !v[PW_ENABLED])
            continue;
        struct tsk_model_function *f =
            &c->m->functions.v[cf - c->m->functions.v];
        f->pre_warming.on = v[PW_ENABLED]->u.b;
        f->pre_warming.interval = tsk_model__int(s->sp[SP_INTERVAL], 300);
        f->pre_warming.concurrency = tsk_model__int(s->sp[SP_CONCURRENCY], 1);
    }
}

static void apply(struct tsk_model__ctx *c, struct tsk_model_function *f,
                  const struct strategies *s, int conflict_reported)
{
    const struct tsk_value *own =
        c->fn_vals[f - c->m->functions.v][FN_PROVISIONED];
    const struct tsk_value *res =
        c->fn_vals[f - c->m->functions.v][FN_RESERVED];
    f->pre_warming.on = s->pw_on;
    f->pre_warming.interval = tsk_model__int(s->sp[SP_INTERVAL], 300);
    f->pre_warming.concurrency = tsk_model__int(s->sp[SP_CONCURRENCY], 1);
    f->keep_warm.on = s->kw_on;
    f->keep_warm.min_instances = tsk_model__int(s->sk[SK_MIN], 1);
    f->keep_warm.max_instances = tsk_model__int(s->sk[SK_MAX], 0);
    f->provisioned.on = s->pc_on;
    f->provisioned.concurrency = tsk_model__int(s->sv[SV_CONCURRENCY], 1);
    f->provisioned.auto_scaling = tsk_model__bool(s->sv[SV_AUTO_SCALING], 0);
    if (own) {
        f->provisioned.on = own->u.i > 0;
        f->provisioned.concurrency = own->u.i > 0 ? own->u.i : 0;
    }
    int64_t cap = f->reserved_concurrency >= 0 ? f->reserved_concurrency
                  : f->keep_warm.on && f->keep_warm.max_instances > 0
                      ? f->keep_warm.max_instances
                      : -1;
    if (!f->provisioned.on || cap < 0 || f->provisioned.concurrency <= cap)
        return;
    if (!own && !res && conflict_reported)
        return; /* the strategies conflict: reported once */
    const struct tsk_value *at = own ? own : res;
    tsk_diag_error(c->d, at ? &at->pos : &f->pos,
                   "provisioned concurrency "
                   "%lld of \"%s\" is above its %s of %lld",
                   (long long)f->provisioned.concurrency, f->key,
                   f->reserved_concurrency >= 0 ? "reserved_concurrency"
                                                : "keep_warm.max_instances",
                   (long long)cap);
}

static const char *const op_paths[OP__N] = {
    [OP_CODE] = "cold_start_optimization.optimization.code_optimization",
    [OP_DEPS] = "cold_start_optimization.optimization.dependency_minimization",
    [OP_LAYERS] = "cold_start_optimization.optimization.layer_caching",
    [OP_INIT] =
        "cold_start_optimization.optimization.initialization_optimization",
};

void tsk_model__cold_start(struct tsk_model__ctx *c, const struct tsk_table *cs)
{
    const struct tsk_value *v[CS__N], *op[OP__N];
    struct tsk_model__where w = {.path = "cold_start_optimization"};
    struct strategies s;
    tsk_model__check(cs, &tsk_model__cs, &w, v, c->d);
    read_strategies(c, cs, v, &s);
    w.name = "optimization";
    tsk_model__check(sub(v[CS_OPTIMIZATION]), &tsk_model__op, &w, op, c->d);
    for (int i = 0; i < OP__N; i++) {
        if (!tsk_model__bool(op[i], 0) || !c->m->cold_start.enabled)
            continue;
        c->m->cold_start.optimization_flags++;
        tsk_model__add_advice(c, op_paths[i], tsk_model__op.keys[i].meaning,
                              &op[i]->pos);
    }
    /* the strategies themselves conflict: one error, not one per function */
    int conflict = s.pc_on && s.kw_on && s.sk[SK_MAX] &&
                   tsk_model__int(s.sv[SV_CONCURRENCY], 1) > s.sk[SK_MAX]->u.i;
    if (conflict) {
        const struct tsk_value *pc = s.sv[SV_CONCURRENCY];
        tsk_diag_error(c->d, pc ? &pc->pos : &s.sk[SK_MAX]->pos,
                       "provisioned concurrency %lld is above keep_warm "
                       "max_instances %lld",
                       (long long)tsk_model__int(pc, 1),
                       (long long)s.sk[SK_MAX]->u.i);
        tsk_diag_detail(c->d,
                        "max_instances caps each function's "
                        "concurrency (reserved concurrency), and provisioned "
                        "instances count against it");
    }
    for (size_t i = 0; i < c->m->functions.n; i++)
        apply(c, &c->m->functions.v[i], &s, conflict);
    pre_warming_entries(c, &s);
}
