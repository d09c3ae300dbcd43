/*
 * flow.c - the common run of apply, destroy, drift and import: config,
 * state and lock, provider, journal, prior objects, plan.
 */
#include "flow.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* Appends the strings of the JSON array text (checked valid by the state)
 * to the TSK_ARRAY(char *) out. The stored lists are nearly always "[]" or
 * plain strings, cut out of the text here; anything else (escapes, other
 * values) goes through cJSON, with the same result. */
#define STRS_FROM_TEXT(out, text)                                              \
    do {                                                                       \
        size_t n_;                                                             \
        char **v_ = strs_of(text, &n_);                                        \
        (out).v = v_;                                                          \
        (out).n = (out).alloc = n_;                                            \
    } while (0)

#define JSON_WS " \t\r\n"

static void strs_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* The strings of a JSON array text as a new vector of new strings (NULL
 * when there are none), *n of them. */
static char **strs_of(const char *t, size_t *n)
{
    TSK_ARRAY(char *) v = {0};
    const char *p = t + strspn(t, JSON_WS);
    if (*p++ != '[')
        goto slow;
    p += strspn(p, JSON_WS);
    while (*p != ']') {
        const char *e = p + 1 + strcspn(p + 1, "\"\\");
        if (*p != '"' || *e != '"')
            goto slow;
        *TSK_ARRAY_PUSH(v) = tsk_xstrndup(p + 1, (size_t)(e - p - 1));
        p = e + 1 + strspn(e + 1, JSON_WS);
        if (*p == ',')
            p += 1 + strspn(p + 1, JSON_WS);
        else if (*p != ']')
            goto slow;
    }
    *n = v.n;
    return v.v;
slow:
    strs_free(v.v, v.n);
    memset(&v, 0, sizeof v);
    cJSON *arr = cJSON_Parse(t);
    STRS_FROM_JSON(v, arr);
    cJSON_Delete(arr);
    *n = v.n;
    return v.v;
}

static cJSON *strs_json(char *const *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

/* What add_prior fills: f->prior, until *stop is set (when not NULL). */
struct prior_fill {
    struct tsk_flow *f;
    atomic_int *stop;
};

/* A state record as a prior object (tsk_state_scan callback): the strings
 * are copied once, straight from the state's columns. */
static int add_prior(void *arg, const struct tsk_state_rec *r, size_t attrs_len)
{
    struct prior_fill *pf = arg;
    struct tsk_flow *f = pf->f;
    if (pf->stop && atomic_load_explicit(pf->stop, memory_order_relaxed))
        return TSK_ERROR;
    if (pf->stop && f->prior.n % 4096 == 0)
        tsk_heap_thread_hugepages(); /* the read ahead's heap grows */
    struct tsk_object *o = TSK_ARRAY_PUSH(f->prior);
    /* the text is parsed on first use (tsk_object_attrs): a plan that
     * finds no change compares the text and never builds most trees */
    tsk_object_pack(o, r->address, r->type, r->provider, r->remote_id,
                    r->attrs_json ? r->attrs_json : "{}",
                    r->attrs_json ? attrs_len : 2);
    STRS_FROM_TEXT(o->sensitive, r->sensitive_json);
    STRS_FROM_TEXT(o->deps, r->deps_json);
    o->tainted = r->tainted;
    return 0;
}

struct addr_ix {
    const char *addr;
    size_t i;
};

static int cmp_addr_ix(const void *a, const void *b)
{
    return strcmp(((const struct addr_ix *)a)->addr,
                  ((const struct addr_ix *)b)->addr);
}

/* Puts f->prior in address order (the state's stored order is not). */
static void sort_prior(struct tsk_flow *f)
{
    size_t n = f->prior.n;
    int sorted = 1;
    for (size_t i = 1; sorted && i < n; i++)
        sorted = strcmp(f->prior.v[i - 1].addr, f->prior.v[i].addr) < 0;
    if (sorted)
        return;
    struct addr_ix *ix = tsk_xmalloc(n * sizeof *ix);
    for (size_t i = 0; i < n; i++)
        ix[i] = (struct addr_ix){f->prior.v[i].addr, i};
    qsort(ix, n, sizeof *ix, cmp_addr_ix);
    /* no second array of objects: this may run on the read-ahead
     * thread, whose heap the main thread does not reuse */
    size_t *from = tsk_xmalloc(n * sizeof *from);
    for (size_t k = 0; k < n; k++)
        from[k] = ix[k].i;
    free(ix);
    tsk_permute(f->prior.v, n, sizeof(*f->prior.v), from);
    free(from);
}

static void release_prior(struct tsk_flow *f)
{
    for (size_t i = 0; i < f->prior.n; i++)
        tsk_object_release(&f->prior.v[i]);
    TSK_ARRAY_FREE(f->prior);
}

/* The state's records as the plan's prior objects, in address order;
 * *serial gets the serial they were read at. None when a record is
 * damaged (the error names it) or *stop was set (stop may be NULL). */
static int load_prior(struct tsk_flow *f, int64_t *serial, atomic_int *stop)
{
    struct prior_fill pf = {f, stop};
    if (!f->st)
        return 0;
    /* one array of the right size, not a doubling one copied as it grows */
    TSK_ARRAY_GROW(f->prior, f->prior.n + tsk_state_rows_hint(f->st));
    int rc = tsk_state_scan(f->st, add_prior, &pf, serial, &f->d);
    if (rc)
        release_prior(f);
    else
        sort_prior(f);
    return rc;
}

/*
 * The prior objects read ahead: while the configuration loads, a second
 * thread reads the state's resources through a reader of its own (no lock,
 * no writes, nothing reported). What anyone can observe keeps its order:
 * the main thread still opens, locks and settles the state after the
 * configuration loaded, as before, and only then, where load_prior would
 * read, takes the objects read ahead, if the state is still the one they
 * were read from (lineage) at the same serial, which every write of a
 * resource increments (a recovery that changed anything included). Else,
 * or when the reader failed, they are dropped and load_prior reads (and
 * reports) as before.
 */
struct ahead {
    pthread_t thread;
    int running;
    atomic_int stop;   /* set: the configuration failed, stop reading */
    struct tsk_flow f; /* the reader's st, the prior objects and d */
    char *path;
    char lineage[64];
    int64_t serial;
    int rc;
};

static void *ahead_run(void *arg)
{
    struct ahead *a = arg;
    tsk_heap_thread_hugepages();
    a->rc = tsk_state_open_reader(&a->f.st, a->path, &a->f.d);
    if (a->rc == 0) {
        snprintf(a->lineage, sizeof a->lineage, "%s",
                 tsk_state_lineage(a->f.st));
        a->rc = load_prior(&a->f, &a->serial, &a->stop);
    }
    tsk_state_close(a->f.st);
    a->f.st = NULL;
    return NULL;
}

/* Starts reading ahead when there is a state file to read. */
static void ahead_start(struct ahead *a)
{
    struct stat sb;
    memset(a, 0, sizeof(*a));
    atomic_init(&a->stop, 0);
    a->path = tsk_state_default_path(NULL);
    if (stat(a->path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0)
        return;
    /* As tsk_config_load does, but before a second thread exists
     * (planner/heap.h). */
    tsk_heap_prepare((size_t)768 << 20);
    a->running = pthread_create(&a->thread, NULL, ahead_run, a) == 0;
}

/* Whether the objects read ahead are what load_prior would read in f. */
static int ahead_valid(struct ahead *a, struct tsk_flow *f)
{
    return f && f->st && a->rc == 0 && a->f.d.v.n == 0 && a->f.d.nerr == 0 &&
           f->prior.n == 0 && a->serial >= 0 &&
           strcmp(a->lineage, tsk_state_lineage(f->st)) == 0 &&
           a->serial == tsk_state_serial(f->st);
}

/*
 * Ends the read ahead: waits for the thread (told to stop when f is NULL)
 * and, when they are valid for f, moves the objects into f->prior and
 * returns 1. Everything else it read or reported is dropped.
 */
static int ahead_end(struct ahead *a, struct tsk_flow *f)
{
    int taken = 0;
    if (a->running) {
        if (!f)
            atomic_store(&a->stop, 1);
        pthread_join(a->thread, NULL);
        a->running = 0;
        if (ahead_valid(a, f)) {
            f->prior = a->f.prior;
            memset(&a->f.prior, 0, sizeof(a->f.prior));
            taken = 1;
        }
    }
    if (tsk_heap_free_at_exit(a->f.prior.n))
        release_prior(&a->f);
    tsk_diags_release(&a->f.d);
    free(a->path);
    a->path = NULL;
    return taken;
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
    struct ahead ahead;
    ahead_start(&ahead);
    int rc = tsk_config_load(&f->cfg, ".", &co, &f->d);
    if (rc) {
        ahead_end(&ahead, NULL);
        return rc;
    }
    rc = tsk_cmd_state_open(&f->st, o->operation != NULL, o->operation,
                            o->lock_timeout, &f->d);
    if (rc == TSK_ENOTFOUND && !o->operation)
        rc = 0; /* read-only and never applied: no prior objects */
    if (rc == 0)
        rc = configure(f);
    if (rc == 0 && f->st && o->operation && !o->no_recover)
        rc = recover(f);
    if (rc) {
        ahead_end(&ahead, NULL);
        return rc;
    }
    return ahead_end(&ahead, f) ? 0 : load_prior(f, NULL, NULL);
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
