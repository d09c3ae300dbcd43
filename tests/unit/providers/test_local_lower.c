/* test_local_lower.c - lowering a serverless model (built by hand here, so
 * the test does not depend on the TSK front end) to local_* nodes: the
 * addresses, attribute values, references, sensitive paths, and that the
 * result passes the graph's schema checks and is deterministic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "planner/graph.h"
#include "planner/model.h"
#include "providers/local/local.h"
#include "providers/local/lower.h"

static struct tsk_src *src;

static int setup(void **state)
{
    (void)state;
    const char *text = "x = 1\n";
    src = tsk_src_new("main.tsk", text, strlen(text));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tsk_src_free(src);
    return 0;
}

static struct tsk_pos at(uint32_t line)
{
    struct tsk_pos p = {src, line, 1, 0};
    return p;
}

/* ---- a hand-built model -------------------------------------------------- */

struct fixture {
    struct tsk_model m;
    struct tsk_model_kv env[2];
    const struct tsk_model_event_source *web_ev[3], *worker_ev[2];
    struct tsk_model_function *targets[3];
    const char *aud[1];
    const char *s3ev[1];
};

static struct tsk_model_function *add_fn(struct tsk_model *m, const char *key,
                                         const char *name, uint32_t line)
{
    struct tsk_model_function *f = TSK_ARRAY_PUSH(m->functions);
    f->key = key;
    f->name = name;
    f->handler = "H::handle";
    f->runtime = "php:8.4";
    f->memory_size = 512;
    f->timeout = 30;
    f->reserved_concurrency = -1;
    f->pos = at(line);
    return f;
}

static void minimal(struct tsk_model *m)
{
    memset(m, 0, sizeof(*m));
    m->provider = TSK_MODEL_PROVIDER_LOCAL;
    m->service = "shop";
    add_fn(m, "api", "shop-api", 3);
}

/*
 * web: http (cors, authorizer), sqs "orders", schedule "nightly";
 *      pre-warming every 300 s, 2 pings; environment STAGE, SECRET
 *      (sensitive). worker: sqs "orders" (shared queue), dynamodb;
 *      provisioned concurrency 3 with auto scaling, keep_warm max 5.
 * inventory_update: a handler with retry 5 linear.
 * Rule order_created -> worker, inventory_update, worker (listed twice).
 * DLQ dlq-main. Alarms for errors and duration; budget monthly (web).
 */
static void full(struct fixture *fx)
{
    struct tsk_model *m = &fx->m;
    static struct tsk_model_authorizer au;
    static struct tsk_model_event_source ev[5];
    minimal(m);
    m->functions.v[0].key = "web";
    m->functions.v[0].name = "shop-web";
    struct tsk_model_function *worker = add_fn(m, "worker", "shop-worker", 9);
    struct tsk_model_function *inv =
        add_fn(m, "inventory_update", "shop-inventory_update", 20);
    struct tsk_model_function *web = &m->functions.v[0];
    inv->is_handler = 1;
    inv->handler = "InventoryHandler::updateStock";
    inv->retry.set = 1;
    inv->retry.max_attempts = 5;
    inv->retry.backoff = TSK_MODEL_BACKOFF_LINEAR;

    fx->aud[0] = "shop-app";
    au = (struct tsk_model_authorizer){"jwt_main", "jwt",
                                       "https://id.example.com",
                                       {fx->aud, NULL, 1}, at(30)};
    fx->s3ev[0] = "s3:ObjectCreated:*";
    ev[0] = (struct tsk_model_event_source){.name = "http",
                                            .kind = TSK_MODEL_EV_HTTP,
                                            .pos = at(40)};
    ev[0].http.cors = 1;
    ev[0].http.authorizer_name = "jwt_main";
    ev[0].http.authorizer = &au;
    ev[1] = (struct tsk_model_event_source){.name = "sqs",
                                            .kind = TSK_MODEL_EV_SQS,
                                            .pos = at(41)};
    ev[1].sqs.queue = "orders";
    ev[1].sqs.batch_size = 10;
    ev[2] = (struct tsk_model_event_source){.name = "nightly",
                                            .kind = TSK_MODEL_EV_SCHEDULE,
                                            .pos = at(42)};
    ev[2].schedule.expression = "cron(0 2 * * ? *)";
    ev[3] = (struct tsk_model_event_source){.name = "dynamodb",
                                            .kind = TSK_MODEL_EV_DYNAMODB,
                                            .pos = at(43)};
    ev[3].stream.table = "users";
    ev[3].stream.batch_size = 100;
    ev[3].stream.starting_position = "LATEST";
    (void)fx->s3ev;
    fx->web_ev[0] = &ev[0];
    fx->web_ev[1] = &ev[1];
    fx->web_ev[2] = &ev[2];
    web->events = fx->web_ev;
    web->n_events = 3;
    fx->worker_ev[0] = &ev[1];
    fx->worker_ev[1] = &ev[3];
    worker->events = fx->worker_ev;
    worker->n_events = 2;

    fx->env[0] = (struct tsk_model_kv){"STAGE", "production", 0, at(4)};
    fx->env[1] = (struct tsk_model_kv){"SECRET", "hunter2", 1, at(5)};
    web->env = fx->env;
    web->n_env = 2;
    web->pre_warming.on = 1;
    web->pre_warming.interval = 300;
    web->pre_warming.concurrency = 2;
    worker->provisioned.on = 1;
    worker->provisioned.concurrency = 3;
    worker->provisioned.auto_scaling = 1;
    worker->keep_warm.on = 1;
    worker->keep_warm.max_instances = 5;

    m->events.enabled = 1;
    m->events.dead_letter_queue = "dlq-main";
    m->events.pos = at(50);
    struct tsk_model_rule *r = TSK_ARRAY_PUSH(m->events.rules);
    r->name = "order_created";
    r->source = "order-service";
    r->detail_type = "OrderCreated";
    fx->targets[0] = worker;
    fx->targets[1] = inv;
    fx->targets[2] = worker;
    r->targets = fx->targets;
    r->n_targets = 3;
    r->pos = at(51);

    m->monitoring.enabled = 1;
    m->monitoring.metrics_collection = 1;
    m->monitoring.metrics.error_rate = 1;
    m->monitoring.metrics.duration = 1;
    m->monitoring.cost_monitoring = 1;
    m->monitoring.cost.budget_alerts = 1;
    struct tsk_model_budget *b = TSK_ARRAY_PUSH(m->monitoring.budgets);
    b->name = "monthly";
    b->amount = 50;
    b->function = web;
    b->pos = at(60);
}

static void release(struct tsk_model *m)
{
    TSK_ARRAY_FREE(m->functions);
    TSK_ARRAY_FREE(m->events.rules);
    TSK_ARRAY_FREE(m->monitoring.budgets);
}

/* ---- helpers ------------------------------------------------------------ */

static const struct tsk_node *node(const struct tsk_graph *g,
                                   const char *addr)
{
    uint32_t i = tsk_graph_find(g, addr);
    if (i == UINT32_MAX)
        fail_msg("no node %s", addr);
    return &g->nodes.v[i];
}

/* The node's attributes equal the JSON text exactly. */
static void assert_attrs(const struct tsk_graph *g, const char *addr,
                         const char *json)
{
    cJSON *want = cJSON_Parse(json);
    assert_non_null(want);
    const struct tsk_node *n = node(g, addr);
    if (!cJSON_Compare(n->attrs, want, 1)) {
        char *got = cJSON_PrintUnformatted(n->attrs);
        print_error("%s: got %s\n", addr, got);
        free(got);
        fail();
    }
    cJSON_Delete(want);
}

static void assert_ref(const struct tsk_graph *g, const char *addr,
                       const char *attr, const char *target,
                       const char *target_attr)
{
    const struct tsk_node *n = node(g, addr);
    const struct tsk_ref *r =
        tsk_graph_ref_of(g, (uint32_t)(n - g->nodes.v), attr);
    if (!r)
        fail_msg("%s has no reference %s", addr, attr);
    assert_string_equal(g->nodes.v[r->target].addr, target);
    assert_string_equal(r->target_attr, target_attr);
}

/* ---- tests --------------------------------------------------------------- */

static void test_minimal(void **state)
{
    (void)state;
    struct tsk_model m;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    uint32_t *order = NULL;
    minimal(&m);
    tsk_graph_init(&g, &tsk_provider_local, "shop");
    assert_int_equal(tsk_local_lower(&m, &g, &d), 0);
    assert_int_equal(g.nodes.n, 1);
    assert_true(g.nodes.n <= tsk_local__count(&m));
    assert_attrs(&g, "local_function.api",
                 "{\"name\":\"shop-api\",\"handler\":\"H::handle\","
                 "\"runtime\":\"php:8.4\",\"memory_size\":512,"
                 "\"timeout\":30,\"architecture\":\"x86_64\"}");
    assert_string_equal(g.nodes.v[0].function, "api");
    assert_int_equal(g.nodes.v[0].pos.line, 3);
    assert_int_equal(tsk_graph_check(&g, &order, &d), 0);
    free(order);
    tsk_graph_free(&g);
    release(&m);
}

static void test_full_addresses(void **state)
{
    (void)state;
    struct fixture fx;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    uint32_t *order = NULL;
    full(&fx);
    tsk_graph_init(&g, &tsk_provider_local, "shop");
    assert_int_equal(tsk_local_lower(&fx.m, &g, &d), 0);
    const char *want[] = {
        "local_alarm.inventory_update_duration",
        "local_alarm.inventory_update_errors",
        "local_alarm.inventory_update_throttles",
        "local_alarm.web_duration",
        "local_alarm.web_errors",
        "local_alarm.web_throttles",
        "local_alarm.worker_duration",
        "local_alarm.worker_errors",
        "local_alarm.worker_throttles",
        "local_alias.worker",
        "local_api.shop",
        "local_budget.monthly",
        "local_event_rule.order_created",
        "local_event_target.order_created_inventory_update",
        "local_event_target.order_created_worker",
        "local_function.inventory_update",
        "local_function.web",
        "local_function.worker",
        "local_provisioned_concurrency.worker",
        "local_queue.dlq-main",
        "local_queue.orders",
        "local_schedule.web_nightly",
        "local_schedule.web_warmup",
        "local_trigger.web_http",
        "local_trigger.web_sqs",
        "local_trigger.worker_dynamodb",
        "local_trigger.worker_sqs",
    };
    size_t nwant = sizeof(want) / sizeof(want[0]);
    for (size_t i = 0; i < nwant; i++)
        node(&g, want[i]);
    assert_int_equal(g.nodes.n, nwant);
    assert_true(g.nodes.n <= tsk_local__count(&fx.m));
    /* the lowering satisfies every schema and has no cycle */
    assert_int_equal(tsk_graph_check(&g, &order, &d), 0);
    assert_int_equal(d.nerr, 0);
    /* functions come before what refers to them */
    size_t pos_fn = 0, pos_alias = 0, pos_pc = 0;
    for (size_t i = 0; i < nwant; i++) {
        const char *a = g.nodes.v[order[i]].addr;
        if (strcmp(a, "local_function.worker") == 0)
            pos_fn = i;
        if (strcmp(a, "local_alias.worker") == 0)
            pos_alias = i;
        if (strcmp(a, "local_provisioned_concurrency.worker") == 0)
            pos_pc = i;
    }
    assert_true(pos_fn < pos_alias && pos_alias < pos_pc);
    free(order);
    tsk_graph_free(&g);
    release(&fx.m);
}

static void test_full_values(void **state)
{
    (void)state;
    struct fixture fx;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    full(&fx);
    tsk_graph_init(&g, &tsk_provider_local, "shop");
    assert_int_equal(tsk_local_lower(&fx.m, &g, &d), 0);

    assert_attrs(&g, "local_function.web",
                 "{\"name\":\"shop-web\",\"handler\":\"H::handle\","
                 "\"runtime\":\"php:8.4\",\"memory_size\":512,"
                 "\"timeout\":30,\"environment\":{\"STAGE\":\"production\","
                 "\"SECRET\":\"hunter2\"},\"architecture\":\"x86_64\"}");
    uint32_t web = tsk_graph_find(&g, "local_function.web");
    assert_int_equal(g.nodes.v[web].sensitive.n, 1);
    assert_string_equal(g.nodes.v[web].sensitive.v[0], "environment.SECRET");
    /* keep_warm max_instances caps the worker */
    assert_attrs(&g, "local_function.worker",
                 "{\"name\":\"shop-worker\",\"handler\":\"H::handle\","
                 "\"runtime\":\"php:8.4\",\"memory_size\":512,"
                 "\"timeout\":30,\"architecture\":\"x86_64\","
                 "\"reserved_concurrency\":5}");
    assert_attrs(&g, "local_api.shop",
                 "{\"name\":\"shop\",\"protocol\":\"HTTP\",\"cors\":true}");
    assert_attrs(&g, "local_trigger.web_http",
                 "{\"kind\":\"http\",\"route_key\":\"ANY /web\","
                 "\"authorizer\":{\"name\":\"jwt_main\",\"type\":\"jwt\","
                 "\"issuer\":\"https://id.example.com\","
                 "\"audience\":[\"shop-app\"]}}");
    assert_ref(&g, "local_trigger.web_http", "function_arn",
               "local_function.web", "arn");
    assert_ref(&g, "local_trigger.web_http", "api_id", "local_api.shop", "id");
    assert_attrs(&g, "local_trigger.worker_sqs",
                 "{\"kind\":\"sqs\",\"batch_size\":10,"
                 "\"maximum_batching_window\":0}");
    assert_ref(&g, "local_trigger.worker_sqs", "queue_arn",
               "local_queue.orders", "arn");
    assert_ref(&g, "local_trigger.web_sqs", "queue_arn",
               "local_queue.orders", "arn");
    assert_attrs(&g, "local_queue.orders", "{\"name\":\"orders\"}");
    assert_attrs(&g, "local_trigger.worker_dynamodb",
                 "{\"kind\":\"dynamodb\",\"table\":\"users\","
                 "\"starting_position\":\"LATEST\",\"batch_size\":100,"
                 "\"maximum_batching_window\":0}");
    assert_attrs(&g, "local_schedule.web_nightly",
                 "{\"name\":\"shop-web-nightly\","
                 "\"schedule_expression\":\"cron(0 2 * * ? *)\"}");
    assert_attrs(&g, "local_schedule.web_warmup",
                 "{\"name\":\"shop-web-warmup\","
                 "\"schedule_expression\":\"rate(5 minutes)\","
                 "\"input\":{\"warmup\":true},\"concurrency\":2}");
    assert_ref(&g, "local_schedule.web_warmup", "function_arn",
               "local_function.web", "arn");
    assert_attrs(&g, "local_alias.worker", "{\"name\":\"live\"}");
    assert_attrs(&g, "local_provisioned_concurrency.worker",
                 "{\"concurrency\":3,\"auto_scaling\":true}");
    assert_ref(&g, "local_provisioned_concurrency.worker", "alias_arn",
               "local_alias.worker", "arn");
    assert_attrs(&g, "local_event_rule.order_created",
                 "{\"name\":\"shop-order_created\",\"event_bus\":"
                 "\"default\",\"source\":\"order-service\","
                 "\"detail_type\":\"OrderCreated\"}");
    assert_attrs(&g, "local_event_target.order_created_inventory_update",
                 "{\"max_attempts\":5,\"backoff\":\"linear\"}");
    assert_ref(&g, "local_event_target.order_created_inventory_update",
               "dead_letter_arn", "local_queue.dlq-main", "arn");
    assert_ref(&g, "local_event_target.order_created_inventory_update",
               "rule_arn", "local_event_rule.order_created", "arn");
    assert_attrs(&g, "local_event_target.order_created_worker", "{}");
    assert_attrs(&g, "local_queue.dlq-main", "{\"name\":\"dlq-main\"}");
    assert_attrs(&g, "local_alarm.web_errors",
                 "{\"name\":\"shop-web-errors\",\"metric\":\"Errors\","
                 "\"statistic\":\"Sum\",\"comparison\":"
                 "\"GreaterThanOrEqualToThreshold\",\"threshold\":1,"
                 "\"period\":300,\"evaluation_periods\":1}");
    assert_attrs(&g, "local_alarm.web_duration",
                 "{\"name\":\"shop-web-duration\",\"metric\":\"Duration\","
                 "\"statistic\":\"Maximum\",\"comparison\":"
                 "\"GreaterThanOrEqualToThreshold\",\"threshold\":24000,"
                 "\"period\":300,\"evaluation_periods\":1}");
    assert_attrs(&g, "local_budget.monthly",
                 "{\"name\":\"shop-monthly\",\"amount\":50,"
                 "\"time_unit\":\"MONTHLY\",\"notify_at\":[80,100]}");
    assert_ref(&g, "local_budget.monthly", "function_arn",
               "local_function.web", "arn");
    assert_string_equal(node(&g, "local_budget.monthly")->function, "web");
    assert_null(node(&g, "local_queue.orders")->function);
    assert_int_equal(node(&g, "local_trigger.web_sqs")->pos.line, 41);
    tsk_graph_free(&g);
    release(&fx.m);
}

/* Switched-off sections make nothing. */
static void test_switches(void **state)
{
    (void)state;
    struct fixture fx;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    full(&fx);
    fx.m.events.enabled = 0;
    fx.m.monitoring.metrics_collection = 0;
    fx.m.monitoring.cost_monitoring = 0;
    tsk_graph_init(&g, &tsk_provider_local, "shop");
    assert_int_equal(tsk_local_lower(&fx.m, &g, &d), 0);
    for (size_t i = 0; i < g.nodes.n; i++) {
        const char *t = g.nodes.v[i].type;
        assert_string_not_equal(t, "local_alarm");
        assert_string_not_equal(t, "local_budget");
        assert_string_not_equal(t, "local_event_rule");
        assert_string_not_equal(t, "local_event_target");
    }
    assert_int_equal(tsk_graph_find(&g, "local_queue.dlq-main"), UINT32_MAX);
    tsk_graph_free(&g);
    release(&fx.m);
}

static void test_deterministic(void **state)
{
    (void)state;
    struct tsk_buf a = TSK_BUF_INIT, b = TSK_BUF_INIT;
    for (int round = 0; round < 2; round++) {
        struct fixture fx;
        struct tsk_graph g;
        struct tsk_diags d = {0};
        full(&fx);
        tsk_graph_init(&g, &tsk_provider_local, "shop");
        assert_int_equal(tsk_local_lower(&fx.m, &g, &d), 0);
        tsk_graph_dot(&g, round ? &b : &a);
        tsk_graph_json(&g, round ? &b : &a);
        tsk_graph_free(&g);
        release(&fx.m);
    }
    assert_string_equal(a.ptr, b.ptr);
    /* the sensitive environment value never reaches the output */
    assert_null(strstr(a.ptr, "hunter2"));
    tsk_buf_release(&a);
    tsk_buf_release(&b);
}

static void test_names_and_collisions(void **state)
{
    (void)state;
    struct tsk_model m;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    static struct tsk_model_event_source ev[2];
    const struct tsk_model_event_source *e0[1] = {&ev[0]}, *e1[1] = {&ev[1]};
    minimal(&m);
    m.functions.v[0].key = "a_b";
    struct tsk_model_function *f2 = add_fn(&m, "a", "shop-a", 7);
    struct tsk_model_function *f3 = add_fn(&m, "my.fn", "shop-my.fn", 8);
    (void)f3;
    ev[0] = (struct tsk_model_event_source){.name = "c",
                                            .kind = TSK_MODEL_EV_S3,
                                            .pos = at(10)};
    ev[0].s3.bucket = "data";
    ev[1] = ev[0];
    ev[1].name = "b_c";
    ev[1].pos = at(11);
    m.functions.v[0].events = e0;
    m.functions.v[0].n_events = 1;
    f2->events = e1;
    f2->n_events = 1;
    tsk_graph_init(&g, &tsk_provider_local, "shop");
    assert_int_equal(tsk_local_lower(&m, &g, &d), TSK_ERROR);
    assert_int_equal(d.nerr, 1);
    assert_string_equal(d.v.v[0].summary,
                        "two resources have the address "
                        "local_trigger.a_b_c");
    assert_int_equal(d.v.v[0].pos.line, 11);
    node(&g, "local_function.my_fn");
    tsk_diags_release(&d);
    tsk_graph_free(&g);
    release(&m);
}

/* Keys longer than the lowering's name buffers: the addresses are whole,
 * and a queue two sources name is still made once. */
static void test_long_names(void **state)
{
    (void)state;
    struct tsk_model m;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    static struct tsk_model_event_source ev[2];
    const struct tsk_model_event_source *evs[2] = {&ev[0], &ev[1]};
    char key[301], queue[301], want[400];
    memset(key, 'k', 300);
    key[300] = '\0';
    key[150] = '.';
    memset(queue, 'q', 300);
    queue[300] = '\0';
    minimal(&m);
    m.functions.v[0].key = key;
    ev[0] = (struct tsk_model_event_source){.name = "first",
                                            .kind = TSK_MODEL_EV_SQS,
                                            .pos = at(10)};
    ev[0].sqs.queue = queue;
    ev[0].sqs.batch_size = 10;
    ev[1] = ev[0];
    ev[1].name = "second";
    m.functions.v[0].events = evs;
    m.functions.v[0].n_events = 2;
    tsk_graph_init(&g, &tsk_provider_local, "shop");
    assert_int_equal(tsk_local_lower(&m, &g, &d), 0);
    assert_int_equal(g.nodes.n, 4); /* function, queue, two triggers */
    assert_true(g.nodes.n <= tsk_local__count(&m));
    memcpy(key + 150, "_", 1);
    snprintf(want, sizeof(want), "local_function.%s", key);
    node(&g, want);
    snprintf(want, sizeof(want), "local_trigger.%s_second", key);
    node(&g, want);
    snprintf(want, sizeof(want), "local_queue.%s", queue);
    node(&g, want);
    char buf[8];
    char *addr = tsk_local__addr(buf, sizeof(buf), "local_queue", "a.b", "c");
    assert_string_equal(addr, "local_queue.a_b_c");
    if (addr != buf)
        free(addr);
    addr = tsk_local__addr(buf, sizeof(buf), "t", "a", NULL);
    assert_ptr_equal(addr, buf);
    assert_string_equal(addr, "t.a");
    tsk_graph_free(&g);
    release(&m);
}

static void test_queue_arn_is_not_made(void **state)
{
    (void)state;
    struct tsk_model m;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    uint32_t *order = NULL;
    static struct tsk_model_event_source ev;
    const struct tsk_model_event_source *e[1] = {&ev};
    minimal(&m);
    ev = (struct tsk_model_event_source){.name = "sqs",
                                         .kind = TSK_MODEL_EV_SQS};
    ev.sqs.queue = "arn:aws:sqs:us-east-1:123456789012:ext";
    ev.sqs.batch_size = 5;
    m.functions.v[0].events = e;
    m.functions.v[0].n_events = 1;
    tsk_graph_init(&g, &tsk_provider_local, "shop");
    assert_int_equal(tsk_local_lower(&m, &g, &d), 0);
    assert_int_equal(g.nodes.n, 2);
    assert_attrs(&g, "local_trigger.api_sqs",
                 "{\"kind\":\"sqs\",\"queue_arn\":"
                 "\"arn:aws:sqs:us-east-1:123456789012:ext\","
                 "\"batch_size\":5,\"maximum_batching_window\":0}");
    assert_int_equal(tsk_graph_check(&g, &order, &d), 0);
    free(order);
    tsk_graph_free(&g);
    release(&m);
}

static void test_rate(void **state)
{
    (void)state;
    const struct {
        int64_t s;
        const char *want;
    } cases[] = {{300, "rate(5 minutes)"}, {60, "rate(1 minute)"},
                 {3600, "rate(1 hour)"},   {7200, "rate(2 hours)"},
                 {86400, "rate(1 day)"},   {90, "rate(90 seconds)"},
                 {1, "rate(1 second)"},    {0, "rate(1 second)"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *r = tsk_local__rate(cases[i].s);
        assert_string_equal(r, cases[i].want);
        free(r);
    }
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/*
 * A folder hashes "a.txt\0" "3\0" "hi\n" "sub/b.txt\0" "3\0" "yo\n" (the
 * hidden file is skipped); a file hashes its bytes. Both sums worked out
 * with sha256sum from the definition in lower_source.c.
 */
static void test_source_hash(void **state)
{
    (void)state;
    char root[] = "/tmp/tsk-lower-src.XXXXXX", path[256], sum[65];
    struct tsk_model m;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    assert_non_null(mkdtemp(root));
    snprintf(path, sizeof(path), "%s/a.txt", root);
    write_file(path, "hi\n");
    snprintf(path, sizeof(path), "%s/.hidden", root);
    write_file(path, "ignored");
    snprintf(path, sizeof(path), "%s/sub", root);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/sub/b.txt", root);
    write_file(path, "yo\n");
    assert_int_equal(tsk_local__source_hash(root, sum), 0);
    assert_string_equal(sum, "5b0aee239fdf3718f5131a970ee9ccc3"
                             "07f6c163ec77d65bde7f2772d64ed825");
    snprintf(path, sizeof(path), "%s/a.txt", root);
    assert_int_equal(tsk_local__source_hash(path, sum), 0);
    assert_string_equal(sum, "98ea6e4f216f2fb4b69fff9b3a44842c"
                             "38686ca685f3f55dc48c5d3fb1107be4");

    /* lowering: source as written plus the hash; a missing one errs */
    minimal(&m);
    m.functions.v[0].source = "src";
    m.functions.v[0].source_path = root;
    m.functions.v[0].source_pos = at(1);
    tsk_graph_init(&g, &tsk_provider_local, "shop");
    assert_int_equal(tsk_local_lower(&m, &g, &d), 0);
    const struct tsk_node *n = node(&g, "local_function.api");
    assert_string_equal(
        cJSON_GetObjectItem(n->attrs, "source")->valuestring, "src");
    assert_string_equal(
        cJSON_GetObjectItem(n->attrs, "source_code_hash")->valuestring,
        "5b0aee239fdf3718f5131a970ee9ccc307f6c163ec77d65bde7f2772d64ed825");
    tsk_graph_free(&g);
    m.functions.v[0].source_path = "/nonexistent/tsk-code";
    tsk_graph_init(&g, &tsk_provider_local, "shop");
    assert_int_equal(tsk_local_lower(&m, &g, &d), TSK_ERROR);
    assert_int_equal(d.nerr, 1);
    assert_non_null(strstr(d.v.v[0].summary, "cannot read the code of "
                                              "\"api\""));
    tsk_diags_release(&d);
    tsk_graph_free(&g);
    release(&m);

    snprintf(path, sizeof(path), "%s/sub/b.txt", root);
    unlink(path);
    snprintf(path, sizeof(path), "%s/sub", root);
    rmdir(path);
    snprintf(path, sizeof(path), "%s/a.txt", root);
    unlink(path);
    snprintf(path, sizeof(path), "%s/.hidden", root);
    unlink(path);
    rmdir(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal),
        cmocka_unit_test(test_full_addresses),
        cmocka_unit_test(test_full_values),
        cmocka_unit_test(test_switches),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_names_and_collisions),
        cmocka_unit_test(test_long_names),
        cmocka_unit_test(test_queue_arn_is_not_made),
        cmocka_unit_test(test_rate),
        cmocka_unit_test(test_source_hash),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
