/*
 * flow.c - the common run of apply, destroy, drift and import: config,
 * state and lock, provider, journal, prior objects, plan.
 */
#include "flow.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "planner/git.h"
#include "planner/heap.h"
#include "planner/gitops.h"
#include "planner/tsk/tsk.h"
#include "stateio.h"

/* Appends the strings of a JSON array to a TSK_ARRAY(char *). */
#define STRS_FROM_JSON(out, arr)                                               \
    do {                                                                       \
        const cJSON *e_;                                                       \
        cJSON_ArrayForEach(e_, arr)                                            \
        {                                                                      \
            if (cJSON_IsString(e_))                                            \
                *TSK_ARRAY_PUSH(out) = tsk_xstrdup(e_->valuestring);           \
        }                                                                      \
    } while (0)

static cJSON *strs_json(char *const *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

/* The state's records as the plan's prior objects. */
static int load_prior(struct tsk_flow *f)
{
    struct tsk_state_snap *s = NULL;
    if (!f->st)
        return 0;
    int rc = tsk_state_load(&s, f->st, &f->d);
    for (size_t i = 0; rc == 0 && i < s->res.n; i++) {
        const struct tsk_state_rec *r = &s->res.v[i];
        struct tsk_object *o = TSK_ARRAY_PUSH(f->prior);
        o->addr = tsk_xstrdup(r->address);
        o->type = tsk_xstrdup(r->type);
        o->provider = tsk_xstrdup(r->provider);
        o->id = r->remote_id ? tsk_xstrdup(r->remote_id) : NULL;
        o->attrs = tsk_state_rec_attrs(r);
        if (!o->attrs)
            o->attrs = cJSON_CreateObject();
        tsk_strpool_keys(&f->keys, o->attrs);
        cJSON *sens = tsk_state_rec_sensitive(r), *deps = tsk_state_rec_deps(r);
        STRS_FROM_JSON(o->sensitive, sens);
        STRS_FROM_JSON(o->deps, deps);
        cJSON_Delete(sens);
        cJSON_Delete(deps);
        o->tainted = r->tainted;
    }
    tsk_state_snap_free(s);
    return rc;
}

static int configure(struct tsk_flow *f)
{
    struct tsk_provider_cfg pc = {
        .workdir = f->workdir,
        .stack = f->cfg->stack,
        .region = f->cfg->model ? f->cfg->model->region : NULL,
    };
    f->prov = f->cfg->provider;
    if (!f->prov || !f->prov->configure)
        return tsk_diag_error(&f->d, NULL, "provider %s cannot make changes "
                                           "yet",
                              f->prov ? f->prov->name : "(none)");
    return f->prov->configure(&f->pctx, &pc, &f->d);
}

static int recover(struct tsk_flow *f)
{
    struct tsk_apply_opts ao;
    int n = 0;
    tsk_flow_apply_opts(f, &ao, NULL);
    int rc = tsk_apply_recover(&n, &ao, &f->d);
    if (n)
        printf("Settled %d operation(s) left pending by an interrupted "
               "apply.\n\n",
               n);
    return rc;
}

int tsk_flow_start(struct tsk_flow *f, const struct tsk_flow_opts *o)
{
    return tsk_flow_start_at(f, o, NULL);
}

int tsk_flow_start_at(struct tsk_flow *f, const struct tsk_flow_opts *o,
                      const char *git_ref)
{
    memset(f, 0, sizeof(*f));
    f->o = *o;
    f->git_ref = git_ref;
    char *cwd = getcwd(NULL, 0);
    f->workdir = cwd ? cwd : tsk_xstrdup(".");
    struct tsk_config_opts co = {.git_ref = git_ref};
    int rc = tsk_config_load(&f->cfg, ".", &co, &f->d);
    if (rc)
        return rc;
    rc = tsk_cmd_state_open(&f->st, o->operation != NULL, o->operation,
                            o->lock_timeout, &f->d);
    if (rc == TSK_ENOTFOUND && !o->operation)
        rc = 0; /* read-only and never applied: no prior objects */
    if (rc == 0)
        rc = configure(f);
    if (rc == 0 && f->st && o->operation && !o->no_recover)
        rc = recover(f);
    if (rc == 0)
        rc = load_prior(f);
    return rc;
}

/* Drops the objects a refresh found gone (their addr is NULL). */
static void compact_prior(struct tsk_flow *f)
{
    size_t k = 0;
    for (size_t i = 0; i < f->prior.n; i++)
        if (f->prior.v[i].addr)
            f->prior.v[k++] = f->prior.v[i];
    f->prior.n = k;
}

int tsk_flow_plan(struct tsk_flow *f, const struct tsk_diff_opts *dopts,
                  int refresh)
{
    struct tsk_plan *p = &f->plan;
    int rc = 0;
    if (refresh && f->prior.n) {
        struct tsk_refresh_opts ro = {f->prov, f->pctx, f->cfg->stack,
                                      f->o.parallelism};
        rc = tsk_refresh(p, f->prior.v, f->prior.n, &ro, &f->d);
        compact_prior(f);
    }
    /* f->prior lives until tsk_flow_end, after the plan's last use: the
     * changes borrow its attributes rather than copy them. */
    struct tsk_diff_opts o = {0};
    if (dopts)
        o = *dopts;
    o.borrow_prior = 1;
    o.take_attrs = f->o.drop_graph_attrs;
    if (rc == 0)
        rc = tsk_diff(p, &f->cfg->graph, f->cfg->order, f->prior.v, f->prior.n,
                      &o, &f->d);
    p->errored = rc != 0;
    p->destroy = dopts && dopts->destroy;
    p->refresh_only = dopts && dopts->refresh_only;
    if (f->st) {
        p->lineage = tsk_xstrdup(tsk_state_lineage(f->st));
        p->serial = tsk_state_serial(f->st);
    }
    p->config_digest = tsk_xstrdup(f->cfg->digest);
    p->tool_version = tsk_xstrdup(TSK_VERSION);
    p->provider = tsk_xstrdup(f->prov ? f->prov->name : "");
    if (tsk_gitops_commit_of(&p->git, f->workdir, f->git_ref, &f->d))
        rc = TSK_ERROR;
    if (rc == 0 && !p->refresh_only && tsk_flow_cost(f) < 0)
        rc = TSK_ERROR;
    return rc;
}

int tsk_flow_save_refresh(struct tsk_flow *f)
{
    int err = 0;
    for (size_t i = 0; f->st && i < f->plan.drift.n; i++) {
        const struct tsk_drift *dr = &f->plan.drift.v[i];
        if (dr->kind == TSK_DRIFT_DELETED) {
            struct tsk_diags scratch = {0};
            tsk_state_delete(f->st, dr->addr, 0, &scratch);
            tsk_diags_release(&scratch);
            continue;
        }
        if (!dr->remote_attrs)
            continue;
        for (size_t k = 0; k < f->prior.n; k++) {
            const struct tsk_object *o = &f->prior.v[k];
            if (strcmp(o->addr, dr->addr) != 0)
                continue;
            cJSON *sens = strs_json(o->sensitive.v, o->sensitive.n);
            cJSON *deps = strs_json(o->deps.v, o->deps.n);
            struct tsk_state_res res = {o->addr, o->type, o->provider, o->id,
                                        dr->remote_attrs, sens, deps,
                                        o->tainted};
            err |= tsk_state_put(f->st, &res, 0, &f->d);
            cJSON_Delete(sens);
            cJSON_Delete(deps);
            break;
        }
    }
    return err ? TSK_ERROR : 0;
}

void tsk_flow_apply_opts(const struct tsk_flow *f, struct tsk_apply_opts *ao,
                         volatile sig_atomic_t *interrupt)
{
    memset(ao, 0, sizeof(*ao));
    ao->g = f->cfg && f->cfg->lowered ? &f->cfg->graph : NULL;
    ao->prov = f->prov;
    ao->pctx = f->pctx;
    ao->stack = f->cfg ? f->cfg->stack : NULL;
    ao->st = f->st;
    ao->parallelism = f->o.parallelism;
    ao->progress = stdout;
    ao->color = f->o.color;
    const char *still = getenv("TUSKFORM_STILL_EVERY");
    ao->still_every = still ? atoi(still) : 0;
    ao->interrupt = interrupt;
}

void tsk_flow_history(struct tsk_flow *f, const char *operation,
                      const char *summary)
{
    struct tsk_state_hist h = {
        .operation = (char *)operation,
        .summary = (char *)summary,
        .git_commit = f->plan.git.commit,
        .git_branch = f->plan.git.branch,
        .git_dirty = f->plan.git.dirty,
    };
    if (f->st)
        tsk_state_history_add(f->st, &h, &f->d);
}

void tsk_flow_end(struct tsk_flow *f)
{
    tsk_diags_print(&f->d, stderr, f->o.color);
    tsk_diags_release(&f->d);
    if (f->prov && f->prov->close && f->pctx)
        f->prov->close(f->pctx);
    tsk_state_close(f->st);
    /* The command ends with the flow: a large plan is left to the exit
     * (planner/heap.h), sanitizer builds free it all. */
    size_t objects =
        f->prior.n + f->plan.changes.n + (f->cfg ? f->cfg->graph.nodes.n : 0);
    if (tsk_heap_free_at_exit(objects)) {
        for (size_t i = 0; i < f->prior.n; i++)
            tsk_object_release(&f->prior.v[i]);
        TSK_ARRAY_FREE(f->prior);
        tsk_plan_free(&f->plan);
        tsk_config_free(f->cfg);
        tsk_strpool_free(&f->keys);
    }
    free(f->workdir);
    memset(f, 0, sizeof(*f));
}

static volatile sig_atomic_t sigint_count, sigint_graceful;

static void on_sigint(int sig)
{
    static const char now[] = "\nInterrupted: no change was started.\n";
    static const char first[] =
        "\nInterrupt received: no new changes start; waiting for the calls "
        "in flight to finish and be saved...\n";
    static const char second[] =
        "\nTwo interrupts received: exiting at once. The state is "
        "consistent; run apply again to finish.\n";
    (void)sig;
    if (!sigint_graceful) {
        /* Planning: every state write so far was one transaction. */
        (void)!write(STDERR_FILENO, now, sizeof(now) - 1);
        _exit(130);
    }
    if (++sigint_count >= 2) {
        (void)!write(STDERR_FILENO, second, sizeof(second) - 1);
        _exit(130);
    }
    (void)!write(STDERR_FILENO, first, sizeof(first) - 1);
}

volatile sig_atomic_t *tsk_flow_sigint(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, NULL);
    return &sigint_count;
}

int tsk_flow_apply(struct tsk_flow *f, volatile sig_atomic_t *intr,
                   int destroy)
{
    struct tsk_apply_opts ao;
    struct tsk_apply_report rep;
    sigint_graceful = 1;
    if (*intr)
        return TSK_EXIT_INTERRUPTED;
    tsk_flow_save_refresh(f);
    tsk_flow_apply_opts(f, &ao, intr);
    printf("\n");
    int rc = tsk_apply(&rep, &f->plan, &ao, &f->d);
    tsk_apply_summary(&rep, destroy, stdout, f->o.color);
    char *line = tsk_apply_summary_line(&rep);
    if (rep.interrupted) {
        char *more = tsk_xasprintf("%s; interrupted, %zu not started", line,
                                   rep.not_started.n);
        free(line);
        line = more;
    } else if (rc) {
        char *more = tsk_xasprintf("%s; %zu failed, %zu skipped", line,
                                   rep.failed.n, rep.skipped.n);
        free(line);
        line = more;
    }
    tsk_flow_history(f, destroy ? "destroy" : "apply", line);
    free(line);
    int code = rep.interrupted ? TSK_EXIT_INTERRUPTED
               : rc            ? TSK_EXIT_ERROR
                               : TSK_EXIT_OK;
    tsk_apply_report_release(&rep);
    return code;
}
