/*
 * test_model.c - what the model holds for valid configurations: defaults
 * and per-function overrides, handlers as functions, resolved references
 * ('-' and '_' alike), strategies applied unless a function switches them
 * off, budgets, debug levels, advice, and a 10,000-function stack.
 * Expected values are worked out by hand from architecture.md §3.
 */
#include "model_helpers.h"

#include <stdio.h>

static const char arch_text[] =
    "[serverless_architecture]\n"
    "provider = \"aws_lambda\"\n"
    "runtime = \"php:8.4\"\n"
    "region = \"eu-west-1\"\n"
    "memory_size = 512\n"
    "timeout = 30\n"
    "environment = { LOG = \"json\" }\n"
    "[serverless_architecture.functions]\n"
    "user_management = {\n"
    "    handler = \"UserHandler::handle\",\n"
    "    events = [\"http\", \"eventbridge\"],\n"
    "    memory_size = 1024,\n"
    "    environment = { STAGE = \"production\", LOG = \"text\", N = 3 }\n"
    "}\n"
    "plain = { handler = \"P::h\" }\n"
    "[serverless_architecture.events]\n"
    "http = { cors = true, authorizer = \"cognito\" }\n"
    "eventbridge = { schedule = \"rate(5 minutes)\" }\n"
    "nightly = { type = \"schedule\", schedule = \"cron(0 2 * * ? *)\" }\n"
    "[serverless_architecture.authorizers]\n"
    "cognito = { type = \"jwt\", issuer = \"https://id.example.com\", "
    "audience = [\"web\"] }\n";

static void test_defaults_and_overrides(void **state)
{
    struct built b;
    (void)state;
    build(&b, arch_text);
    assert_clean(&b);
    const struct tsk_model *m = b.m;
    assert_int_equal(m->provider, TSK_MODEL_PROVIDER_AWS);
    assert_string_equal(m->provider_name, "aws_lambda");
    assert_int_equal(m->provider_pos.line, 2);
    assert_int_equal(m->provider_pos.col, 12);
    assert_string_equal(m->region, "eu-west-1");
    assert_int_equal(m->functions.n, 2);

    const struct tsk_model_function *f =
        tsk_model_find_function(m, "user_management");
    assert_non_null(f);
    assert_string_equal(f->name, "user_management"); /* no service */
    assert_string_equal(f->handler, "UserHandler::handle");
    assert_string_equal(f->runtime, "php:8.4");
    assert_int_equal(f->memory_size, 1024); /* own */
    assert_int_equal(f->timeout, 30);       /* service default */
    assert_int_equal(f->pos.line, 9);
    assert_int_equal(f->pos.col, 1);
    /* service environment first, own values replace, numbers as text */
    assert_int_equal(f->n_env, 3);
    assert_string_equal(f->env[0].key, "LOG");
    assert_string_equal(f->env[0].value, "text");
    assert_string_equal(f->env[1].key, "STAGE");
    assert_string_equal(f->env[2].value, "3");
    assert_int_equal(f->n_events, 2);
    assert_int_equal(f->events[0]->kind, TSK_MODEL_EV_HTTP);
    assert_true(f->events[0]->http.cors);
    assert_non_null(f->events[0]->http.authorizer);
    assert_string_equal(f->events[0]->http.authorizer->issuer,
                        "https://id.example.com");
    /* an entry named eventbridge is a schedule */
    assert_int_equal(f->events[1]->kind, TSK_MODEL_EV_SCHEDULE);
    assert_string_equal(f->events[1]->schedule.expression, "rate(5 minutes)");

    const struct tsk_model_function *p = tsk_model_find_function(m, "plain");
    assert_int_equal(p->memory_size, 512);
    assert_int_equal(p->n_env, 1);
    assert_int_equal(p->n_events, 0);
    assert_int_equal(p->reserved_concurrency, -1);
    assert_null(p->source);
    assert_null(tsk_model_find_function(m, "nope"));
    assert_int_equal(m->event_sources.v[2].kind, TSK_MODEL_EV_SCHEDULE);
    done(&b);
}

static void test_lambda_defaults(void **state)
{
    struct built b;
    (void)state;
    build(&b, "[serverless_architecture]\nprovider = \"local\"\n"
              "runtime = \"php:8.4\"\nservice = \"shop\"\n"
              "[serverless_architecture.functions]\napi = { handler = "
              "\"A::b\", architecture = \"arm64\" }\n");
    assert_clean(&b);
    const struct tsk_model_function *f = &b.m->functions.v[0];
    assert_int_equal(b.m->provider, TSK_MODEL_PROVIDER_LOCAL);
    assert_string_equal(f->name, "shop-api");
    assert_int_equal(f->memory_size, 128);
    assert_int_equal(f->timeout, 3);
    assert_int_equal(f->architecture, TSK_MODEL_ARCH_ARM64);
    assert_false(f->pre_warming.on);
    assert_false(f->keep_warm.on);
    assert_false(f->provisioned.on);
    assert_false(b.m->events.enabled);
    assert_false(b.m->monitoring.enabled);
    assert_int_equal(b.m->debug.log_level, TSK_MODEL_LOG_INFO);
    done(&b);
}

static const char events_text[] =
    "[serverless_architecture]\n"
    "provider = \"local\"\n"
    "runtime = \"php:8.4\"\n"
    "service = \"svc\"\n"
    "[serverless_architecture.functions]\n"
    "analytics = { handler = \"A::record\" }\n"
    "[event_driven_serverless]\n"
    "event_bus = \"orders\"\n"
    "dead_letter_queue = \"dlq\"\n"
    "[event_driven_serverless.events]\n"
    "user_registered = { source = \"users\", detail_type = \"Registered\", "
    "targets = [\"welcome-email\", \"analytics\", \"audit_log\"] }\n"
    "[event_driven_serverless.handlers]\n"
    "welcome_email = { function = \"Email::send\", memory_size = 256,\n"
    "  retry_policy = { max_attempts = 5, backoff = \"linear\" } }\n"
    "audit-log = { function = \"Audit::append\" }\n";

static void test_handlers_and_targets(void **state)
{
    struct built b;
    (void)state;
    build(&b, events_text);
    assert_clean(&b);
    const struct tsk_model *m = b.m;
    assert_true(m->events.enabled); /* default when the section exists */
    assert_string_equal(m->events.event_bus, "orders");
    assert_string_equal(m->events.dead_letter_queue, "dlq");
    assert_int_equal(m->functions.n, 3); /* 1 function + 2 handlers */
    const struct tsk_model_function *h = &m->functions.v[1];
    assert_string_equal(h->key, "welcome_email");
    assert_true(h->is_handler);
    assert_string_equal(h->name, "svc-welcome_email");
    assert_string_equal(h->handler, "Email::send");
    assert_string_equal(h->runtime, "php:8.4"); /* service default */
    assert_int_equal(h->memory_size, 256);
    assert_true(h->retry.set);
    assert_int_equal(h->retry.max_attempts, 5);
    assert_int_equal(h->retry.backoff, TSK_MODEL_BACKOFF_LINEAR);
    assert_false(m->functions.v[2].retry.set);

    assert_int_equal(m->events.rules.n, 1);
    const struct tsk_model_rule *r = &m->events.rules.v[0];
    assert_string_equal(r->source, "users");
    assert_string_equal(r->detail_type, "Registered");
    assert_int_equal(r->n_targets, 3);
    /* "welcome-email" -> handler welcome_email; "audit_log" -> audit-log */
    assert_ptr_equal(r->targets[0], &m->functions.v[1]);
    assert_ptr_equal(r->targets[1], &m->functions.v[0]);
    assert_ptr_equal(r->targets[2], &m->functions.v[2]);
    done(&b);
}

static void test_handler_before_function(void **state)
{
    struct built b;
    (void)state;
    /* a target that names both a handler and a function: the handler */
    build(&b, "[serverless_architecture]\nprovider = \"local\"\n"
              "runtime = \"x\"\n[serverless_architecture.functions]\n"
              "a-b = { handler = \"F::f\" }\n"
              "[event_driven_serverless.events]\n"
              "e = { source = \"s\", targets = [\"a-b\"] }\n"
              "[event_driven_serverless.handlers]\n"
              "a_b = { function = \"H::h\" }\n");
    assert_clean(&b);
    assert_ptr_equal(b.m->events.rules.v[0].targets[0], &b.m->functions.v[1]);
    done(&b);
}

static void test_exact_name_first(void **state)
{
    struct built b;
    (void)state;
    /* two functions that differ only by '-' and '_': each by its own name */
    build(&b, "[serverless_architecture]\nprovider = \"local\"\n"
              "runtime = \"x\"\n[serverless_architecture.functions]\n"
              "a-b = { handler = \"F::f\" }\n"
              "a_b = { handler = \"G::g\" }\n"
              "[event_driven_serverless.events]\n"
              "e = { source = \"s\", targets = [\"a_b\", \"a-b\"] }\n");
    assert_clean(&b);
    assert_ptr_equal(b.m->events.rules.v[0].targets[0], &b.m->functions.v[1]);
    assert_ptr_equal(b.m->events.rules.v[0].targets[1], &b.m->functions.v[0]);
    done(&b);
}

static void test_event_driven_disabled(void **state)
{
    struct built b;
    (void)state;
    build(&b, "[serverless_architecture]\nprovider = \"local\"\n"
              "runtime = \"x\"\n"
              "[event_driven_serverless]\nenabled = false\n"
              "[event_driven_serverless.events]\n"
              "e = { source = \"s\", targets = [\"h\"] }\n"
              "[event_driven_serverless.handlers]\n"
              "h = { function = \"H::h\" }\n");
    assert_clean(&b);
    assert_false(b.m->events.enabled);
    assert_int_equal(b.m->functions.n, 0);
    assert_int_equal(b.m->events.rules.n, 0);
    assert_null(tsk_model_find_function(b.m, "h"));
    done(&b);
}

static const char cold_text[] =
    "[serverless_architecture]\n"
    "provider = \"local\"\n"
    "runtime = \"php:8.4\"\n"
    "[serverless_architecture.functions]\n"
    "a = { handler = \"A::h\" }\n"
    "b = { handler = \"B::h\", provisioned_concurrency = 0 }\n"
    "c = { handler = \"C::h\", provisioned_concurrency = 3 }\n"
    "[serverless_architecture.pre_warming]\n"
    "b = { enabled = false }\n"
    "[event_driven_serverless.handlers]\n"
    "h = { function = \"H::h\" }\n"
    "[cold_start_optimization]\n"
    "enabled = true\n"
    "pre_warming = true\n"
    "keep_warm = true\n"
    "provisioned_concurrency = true\n"
    "[cold_start_optimization.strategies]\n"
    "pre_warming = { enabled = true, interval = 600, concurrency = 2 }\n"
    "keep_warm = { enabled = true, min_instances = 1, max_instances = 5 }\n"
    "provisioned_concurrency = { enabled = true, concurrency = 4, "
    "auto_scaling = true }\n"
    "[cold_start_optimization.optimization]\n"
    "layer_caching = true\n"
    "code_optimization = false\n";

static void test_cold_start_propagation(void **state)
{
    struct built b;
    (void)state;
    build(&b, cold_text);
    assert_clean(&b);
    const struct tsk_model *m = b.m;
    const struct tsk_model_function *a = tsk_model_find_function(m, "a");
    const struct tsk_model_function *fb = tsk_model_find_function(m, "b");
    const struct tsk_model_function *c = tsk_model_find_function(m, "c");
    const struct tsk_model_function *h = tsk_model_find_function(m, "h");
    assert_true(a->pre_warming.on);
    assert_int_equal(a->pre_warming.interval, 600);
    assert_int_equal(a->pre_warming.concurrency, 2);
    assert_true(a->keep_warm.on);
    assert_int_equal(a->keep_warm.min_instances, 1);
    assert_int_equal(a->keep_warm.max_instances, 5);
    assert_true(a->provisioned.on);
    assert_int_equal(a->provisioned.concurrency, 4);
    assert_true(a->provisioned.auto_scaling);
    /* b switches pre-warming and provisioned concurrency off */
    assert_false(fb->pre_warming.on);
    assert_false(fb->provisioned.on);
    assert_true(fb->keep_warm.on);
    /* c sets its own provisioned concurrency */
    assert_true(c->provisioned.on);
    assert_int_equal(c->provisioned.concurrency, 3);
    /* handlers get the strategies too */
    assert_true(h->is_handler);
    assert_true(h->pre_warming.on);
    assert_true(h->provisioned.on);
    /* one optimization flag on: one advice entry, at the flag */
    assert_int_equal(m->cold_start.optimization_flags, 1);
    assert_int_equal(m->advice.n, 1);
    assert_string_equal(m->advice.v[0].key,
                        "cold_start_optimization.optimization.layer_caching");
    assert_int_equal(m->advice.v[0].pos.line, 22);
    done(&b);
}

static void test_cold_start_switches(void **state)
{
    struct built b;
    (void)state;
    /* strategy enabled, top-level flag off: off; a function can still
     * switch pre-warming on for itself */
    build(&b, "[serverless_architecture]\nprovider = \"local\"\n"
              "runtime = \"x\"\n[serverless_architecture.functions]\n"
              "a = { handler = \"A::h\" }\nb = { handler = \"B::h\" }\n"
              "[serverless_architecture.pre_warming]\n"
              "b = { enabled = true }\n"
              "[cold_start_optimization]\npre_warming = false\n"
              "[cold_start_optimization.strategies]\n"
              "pre_warming = { enabled = true, interval = 120 }\n"
              "keep_warm = { enabled = false, max_instances = 3 }\n");
    assert_clean(&b);
    const struct tsk_model_function *a = &b.m->functions.v[0];
    const struct tsk_model_function *fb = &b.m->functions.v[1];
    assert_false(a->pre_warming.on);
    assert_false(a->keep_warm.on);
    assert_true(fb->pre_warming.on);
    assert_int_equal(fb->pre_warming.interval, 120);
    assert_int_equal(fb->pre_warming.concurrency, 1);
    done(&b);
}

static void test_monitoring_budgets_debug(void **state)
{
    struct built b;
    (void)state;
    build(&b,
          "[serverless_architecture]\nprovider = \"local\"\n"
          "runtime = \"x\"\n"
          "expected = { monthly_invocations = 1000, avg_duration_ms = 50 }\n"
          "[serverless_architecture.functions]\n"
          "api = { handler = \"A::h\", expected = "
          "{ avg_duration_ms = 12.5 } }\n"
          "job = { handler = \"J::h\" }\n"
          "[serverless_monitoring]\nmetrics_collection = true\n"
          "distributed_tracing = true\ncost_monitoring = true\n"
          "[serverless_monitoring.metrics]\nduration = true\n"
          "[serverless_monitoring.tracing]\nsampling_rate = 0.25\n"
          "[serverless_monitoring.cost]\nbudget_alerts = true\n"
          "resource_rightsizing = true\n"
          "[serverless_monitoring.budgets]\napi = { amount = 20 }\n"
          "nightly = { amount = 7.5, function = \"job\" }\n"
          "[debug]\nlog_level = \"warning\"\ntrace_invocations = true\n");
    assert_clean(&b);
    const struct tsk_model *m = b.m;
    assert_true(m->monitoring.enabled);
    assert_true(m->monitoring.metrics.duration);
    assert_false(m->monitoring.metrics.error_rate);
    assert_string_equal(m->monitoring.tracing.provider, "xray");
    assert_true(m->monitoring.tracing.sampling_rate == 0.25);
    assert_true(m->monitoring.cost.budget_alerts);
    assert_int_equal(m->monitoring.budgets.n, 2);
    assert_ptr_equal(m->monitoring.budgets.v[0].function,
                     tsk_model_find_function(m, "api"));
    assert_ptr_equal(m->monitoring.budgets.v[1].function,
                     tsk_model_find_function(m, "job"));
    assert_true(m->monitoring.budgets.v[1].amount == 7.5);
    /* expected: the function's own field, the rest from the service */
    const struct tsk_model_function *api = &m->functions.v[0];
    assert_true(api->expected.set);
    assert_int_equal(api->expected.monthly_invocations, 1000);
    assert_true(api->expected.avg_duration_ms == 12.5);
    assert_true(m->functions.v[1].expected.avg_duration_ms == 50);
    assert_int_equal(m->advice.n, 1); /* resource_rightsizing */
    assert_int_equal(m->debug.log_level, TSK_MODEL_LOG_WARN);
    assert_true(m->debug.trace_invocations);
    assert_true(m->debug.console);
    done(&b);
}

static void test_log_levels(void **state)
{
    static const struct {
        const char *in;
        enum tsk_model_log_level out;
    } cases[] = {
        {"verbose", TSK_MODEL_LOG_DEBUG}, {"debug", TSK_MODEL_LOG_DEBUG},
        {"info", TSK_MODEL_LOG_INFO},     {"warn", TSK_MODEL_LOG_WARN},
        {"warning", TSK_MODEL_LOG_WARN},  {"error", TSK_MODEL_LOG_ERROR}};
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[256];
        struct built b;
        snprintf(text, sizeof(text),
                 "[serverless_architecture]\nprovider = "
                 "\"local\"\n[debug]\nlog_level = \"%s\"\n",
                 cases[i].in);
        build(&b, text);
        assert_clean(&b);
        assert_int_equal(b.m->debug.log_level, cases[i].out);
        done(&b);
    }
    assert_string_equal(tsk_model_log_level_name(TSK_MODEL_LOG_WARN), "WARN");
}

static void test_sensitive(void **state)
{
    struct built b;
    (void)state;
    build(&b, "[serverless_architecture]\nprovider = \"local\"\n"
              "runtime = \"x\"\nsensitive = [\"TOKEN\"]\n"
              "[serverless_architecture.functions]\n"
              "a = { handler = \"A::h\", environment = { TOKEN = \"t\", "
              "KEY = \"k\", PLAIN = \"p\" }, sensitive = [\"KEY\"] }\n");
    assert_clean(&b);
    const struct tsk_model_function *a = &b.m->functions.v[0];
    assert_true(a->env[0].sensitive);
    assert_true(a->env[1].sensitive);
    assert_false(a->env[2].sensitive);
    done(&b);
}

/* 10,000 functions: built, indexed, every name found (timings are for the
 * benchmark, not asserted here). */
static void test_many_functions(void **state)
{
    struct tsk_buf t = TSK_BUF_INIT;
    struct built b;
    (void)state;
    tsk_buf_adds(&t, "[serverless_architecture]\nprovider = \"local\"\n"
                     "runtime = \"php:8.4\"\nservice = \"big\"\n"
                     "[serverless_architecture.events]\n"
                     "q = { type = \"sqs\", queue = \"q\" }\n"
                     "[serverless_architecture.functions]\n");
    for (int i = 0; i < 10000; i++)
        tsk_buf_addf(&t, "f%d = { handler = \"H::h\", events = [\"q\"] }\n", i);
    tsk_buf_adds(&t, "[serverless_monitoring.budgets]\n"
                     "f9999 = { amount = 1 }\n");
    build(&b, t.ptr);
    assert_clean(&b);
    assert_int_equal(b.m->functions.n, 10000);
    for (int i = 0; i < 10000; i += 997) {
        char key[16];
        snprintf(key, sizeof(key), "f%d", i);
        const struct tsk_model_function *f = tsk_model_find_function(b.m, key);
        assert_non_null(f);
        assert_string_equal(f->key, key);
        assert_ptr_equal(f->events[0], &b.m->event_sources.v[0]);
    }
    assert_string_equal(b.m->functions.v[9999].name, "big-f9999");
    assert_ptr_equal(b.m->monitoring.budgets.v[0].function,
                     &b.m->functions.v[9999]);
    done(&b);
    tsk_buf_release(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_overrides),
        cmocka_unit_test(test_lambda_defaults),
        cmocka_unit_test(test_handlers_and_targets),
        cmocka_unit_test(test_handler_before_function),
        cmocka_unit_test(test_exact_name_first),
        cmocka_unit_test(test_event_driven_disabled),
        cmocka_unit_test(test_cold_start_propagation),
        cmocka_unit_test(test_cold_start_switches),
        cmocka_unit_test(test_monitoring_budgets_debug),
        cmocka_unit_test(test_log_levels),
        cmocka_unit_test(test_sensitive),
        cmocka_unit_test(test_many_functions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
