/*
 * test_diff_text.c - prior objects kept as stored JSON text: the member
 * spans, lazy parsing, and the diff from text giving exactly the plan the
 * diff from parsed trees gives.
 */
#include "plan_fixtures.h"
#include "planner/util/jsonspan.h"
#include "planner/planfile.h"

#include <unistd.h>

/* One diff of the test_fn.api node (config cfg) and a trigger referring
 * to its arn, against priors given as text or as trees. */
struct side {
    struct tsk_graph g;
    fx_objs prior;
    struct tsk_plan plan;
    struct tsk_diags d;
};

static const char trig_prior[] = "{\"fn_arn\":\"arn:1\",\"batch\":1,"
                                 "\"uuid\":\"u-1\"}";

static void set_prior(struct tsk_object *o, const char *json, int text)
{
    cJSON_Delete(o->attrs);
    o->attrs = NULL;
    if (text) {
        o->text = tsk_xstrdup(json);
        return;
    }
    o->attrs = cJSON_Parse(json);
    if (!cJSON_IsObject(o->attrs)) { /* as the state loader did */
        cJSON_Delete(o->attrs);
        o->attrs = cJSON_CreateObject();
    }
}

static void side_run(struct side *s, const char *cfg, const char *prior,
                     int text, const struct tsk_diff_opts *o)
{
    s->g.prov = &test_prov;
    uint32_t n = fx_node(&s->g, "test_fn", "api", cfg);
    uint32_t t = fx_node(&s->g, "test_trigger", "t", "{\"batch\":1}");
    fx_ref(&s->g, t, "fn_arn", n, "arn");
    if (prior) {
        set_prior(fx_obj(&s->prior, "test_fn.api", "id-1", "{}", NULL), prior,
                  text);
        set_prior(fx_obj(&s->prior, "test_trigger.t", "id-2", "{}",
                         "test_fn.api", NULL),
                  trig_prior, text);
    }
    assert_int_equal(
        tsk_diff(&s->plan, &s->g, NULL, s->prior.v, s->prior.n, o, &s->d), 0);
}

static void side_free(struct side *s)
{
    tsk_plan_free(&s->plan);
    fx_graph_free(&s->g);
    fx_objs_free(&s->prior);
    tsk_diags_release(&s->d);
}

static char *print(const cJSON *v)
{
    return v ? cJSON_PrintUnformatted(v) : tsk_xstrdup("NULL");
}

static void assert_same_json(const cJSON *a, const cJSON *b)
{
    char *x = print(a), *y = print(b);
    assert_string_equal(x, y);
    free(x);
    free(y);
}

static void assert_same_strs(char *const *a, size_t na, char *const *b,
                             size_t nb)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++)
        assert_string_equal(a[i], b[i]);
}

/* The plan from text equals the plan from trees, byte for byte. */
static void assert_same_plan(const struct tsk_plan *t, const struct tsk_plan *p)
{
    assert_int_equal(t->changes.n, p->changes.n);
    for (size_t i = 0; i < t->changes.n; i++) {
        const struct tsk_change *a = &t->changes.v[i], *b = &p->changes.v[i];
        assert_string_equal(a->addr, b->addr);
        assert_int_equal(a->action, b->action);
        assert_int_equal(a->reason, b->reason);
        cJSON *ta = NULL, *tb = NULL;
        assert_same_json(tsk_change_before(a, &ta), tsk_change_before(b, &tb));
        cJSON_Delete(ta);
        cJSON_Delete(tb);
        assert_same_json(tsk_change_after(a, &ta), tsk_change_after(b, &tb));
        cJSON_Delete(ta);
        cJSON_Delete(tb);
        /* NULL reads as {} (a change kept as text) */
        cJSON *none = cJSON_CreateObject();
        assert_same_json(a->after_unknown ? a->after_unknown : none,
                         b->after_unknown ? b->after_unknown : none);
        cJSON_Delete(none);
        assert_same_strs(a->replace_paths.v, a->replace_paths.n,
                         b->replace_paths.v, b->replace_paths.n);
        assert_same_strs(a->sensitive.v, a->sensitive.n, b->sensitive.v,
                         b->sensitive.n);
        assert_same_strs(a->deps.v, a->deps.n, b->deps.v, b->deps.n);
    }
}

/* The changes of p as a saved plan writes them (the file's time and
 * checksum left out). The caller frees. */
static char *saved_changes(const struct tsk_plan *p)
{
    char path[] = "/tmp/tsk_diff_text_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct tsk_diags d = {0};
    assert_int_equal(tsk_planfile_save(p, path, &d), 0);
    tsk_diags_release(&d);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct tsk_buf b = TSK_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        tsk_buf_add(&b, chunk, n);
    fclose(f);
    unlink(path);
    const char *c = strstr(b.ptr, "\"changes\":");
    assert_non_null(c);
    char *out = tsk_xstrdup(c);
    tsk_buf_release(&b);
    return out;
}

/* Plans cfg against prior from text and from a tree, borrowing or not;
 * returns the action of test_fn.api. Both plans must also be saved as
 * the same bytes. */
static enum tsk_action check(const char *cfg, const char *prior)
{
    enum tsk_action act = TSK_NOOP;
    for (int borrow = 0; borrow < 2; borrow++) {
        struct tsk_diff_opts o = {.borrow_prior = borrow};
        struct side t = {0}, p = {0};
        side_run(&t, cfg, prior, 1, &o);
        side_run(&p, cfg, prior, 0, &o);
        assert_same_plan(&t.plan, &p.plan);
        char *ts = saved_changes(&t.plan), *ps = saved_changes(&p.plan);
        assert_string_equal(ts, ps);
        free(ts);
        free(ps);
        for (size_t i = 0; i < t.plan.changes.n; i++)
            if (strcmp(t.plan.changes.v[i].addr, "test_fn.api") == 0)
                act = t.plan.changes.v[i].action;
        side_free(&t);
        side_free(&p);
    }
    return act;
}

static void test_equal_and_different(void **state)
{
    (void)state;
    const char *cfg = "{\"name\":\"api\",\"memory\":128}";
    assert_int_equal(check(cfg, "{\"name\":\"api\",\"memory\":128,"
                                "\"arn\":\"arn:1\"}"),
                     TSK_NOOP);
    assert_int_equal(check(cfg, "{\"name\":\"api\",\"memory\":256,"
                                "\"arn\":\"arn:1\"}"),
                     TSK_UPDATE);
    assert_int_equal(check(cfg, "{\"name\":\"api\",\"memory\":\"128\","
                                "\"arn\":\"arn:1\"}"),
                     TSK_UPDATE);
    /* a force_new attribute: replaced, computed values unknown again */
    assert_int_equal(check(cfg, "{\"name\":\"old\",\"memory\":128,"
                                "\"arn\":\"arn:1\"}"),
                     TSK_REPLACE_DC);
    assert_int_equal(check(cfg, NULL), TSK_CREATE);
}

static void test_reordered_nested_keys(void **state)
{
    (void)state;
    assert_int_equal(
        check("{\"name\":\"api\",\"env\":{\"A\":\"1\",\"B\":{\"x\":[1,"
              "{\"p\":1,\"q\":2}]}}}",
              "{\"name\":\"api\",\"env\":{\"B\":{\"x\":[1,{\"q\":2,\"p\":1}]},"
              "\"A\":\"1\"},\"arn\":\"arn:1\"}"),
        TSK_NOOP);
    /* list order counts */
    assert_int_equal(check("{\"name\":\"api\",\"layers\":[\"a\",\"b\"]}",
                           "{\"name\":\"api\",\"layers\":[\"b\",\"a\"],"
                           "\"arn\":\"arn:1\"}"),
                     TSK_UPDATE);
    /* top-level order differs from the configuration's */
    assert_int_equal(check("{\"name\":\"api\",\"memory\":128}",
                           "{\"arn\":\"arn:1\",\"memory\":128,"
                           "\"name\":\"api\"}"),
                     TSK_NOOP);
}

static void test_numbers(void **state)
{
    (void)state;
    const char *cfg = "{\"name\":\"api\",\"memory\":1}";
    assert_int_equal(check(cfg, "{\"name\":\"api\",\"memory\":1.0,"
                                "\"arn\":\"a\"}"),
                     TSK_NOOP);
    assert_int_equal(check(cfg, "{\"name\":\"api\",\"memory\":1e0,"
                                "\"arn\":\"a\"}"),
                     TSK_NOOP);
    assert_int_equal(check(cfg, "{\"name\":\"api\",\"memory\":1.5,"
                                "\"arn\":\"a\"}"),
                     TSK_UPDATE);
    assert_int_equal(check("{\"name\":\"api\",\"memory\":0.1}",
                           "{\"name\":\"api\",\"memory\":0.1,\"arn\":\"a\"}"),
                     TSK_NOOP);
    assert_int_equal(check("{\"name\":\"api\",\"memory\":-0.0}",
                           "{\"name\":\"api\",\"memory\":0,\"arn\":\"a\"}"),
                     TSK_NOOP);
}

static void test_escapes_and_white_space(void **state)
{
    (void)state;
    /* the same string written with other escapes, and spaces around */
    const char *cfg = "{\"name\":\"a\\\"b/\\u00e9\\n\",\"memory\":128}";
    assert_int_equal(check(cfg, " { \"name\" : \"a\\\"b\\/\\u00E9\\n\" ,\n"
                                "\"memory\" :\t128 , \"arn\":\"x\" } "),
                     TSK_NOOP);
    assert_int_equal(check(cfg, "{\"name\":\"a\\\"b/\u00e9\\n\","
                                "\"memory\":128,\"arn\":\"x\"}"),
                     TSK_NOOP);
    assert_int_equal(check(cfg, "{\"name\":\"a\\\"b/\u00e9\\t\","
                                "\"memory\":128,\"arn\":\"x\"}"),
                     TSK_REPLACE_DC);
    /* escaped and dotted keys: compared from the tree */
    assert_int_equal(check("{\"name\":\"api\",\"memory\":1}",
                           "{\"n\\u0061me\":\"api\",\"memory\":1,"
                           "\"arn\":\"x\"}"),
                     TSK_NOOP);
    assert_int_equal(check("{\"name\":\"api\",\"memory\":1}",
                           "{\"name\":\"api\",\"memory\":1,\"a.b\":2}"),
                     TSK_NOOP);
}

static void test_null_and_missing(void **state)
{
    (void)state;
    /* null in the prior and unset in the configuration: no change */
    assert_int_equal(check("{\"name\":\"api\"}",
                           "{\"name\":\"api\",\"memory\":null,\"arn\":\"x\"}"),
                     TSK_NOOP);
    /* null configured, unset in the prior */
    assert_int_equal(check("{\"name\":\"api\",\"memory\":null}",
                           "{\"name\":\"api\",\"arn\":\"x\"}"),
                     TSK_NOOP);
    /* set in the prior only (not computed): removed */
    assert_int_equal(check("{\"name\":\"api\"}",
                           "{\"name\":\"api\",\"tags\":{\"a\":\"1\"},"
                           "\"arn\":\"x\"}"),
                     TSK_UPDATE);
    /* configured, missing in the prior */
    assert_int_equal(check("{\"name\":\"api\",\"memory\":1}",
                           "{\"name\":\"api\",\"arn\":\"x\"}"),
                     TSK_UPDATE);
    /* duplicate keys: the first counts, as in cJSON */
    assert_int_equal(check("{\"name\":\"api\",\"memory\":1}",
                           "{\"name\":\"api\",\"memory\":1,\"memory\":2,"
                           "\"arn\":\"x\"}"),
                     TSK_NOOP);
    /* not an object at all: planned as against {} */
    assert_int_equal(check("{\"name\":\"api\"}", "[1,2]"), TSK_REPLACE_DC);
    assert_int_equal(check("{\"name\":\"api\"}", "{\"name\":"), TSK_REPLACE_DC);
}

static void test_computed_carry(void **state)
{
    (void)state;
    const char *cfg = "{\"name\":\"api\",\"memory\":1}";
    /* computed and unknown-to-schema values are carried into after */
    assert_int_equal(check(cfg, "{\"name\":\"api\",\"memory\":1,"
                                "\"arn\":\"arn:9\",\"extra\":[1,{\"a\":"
                                "null}],\"more\":{}}"),
                     TSK_NOOP);
    struct side s = {0};
    struct tsk_diff_opts o = {.borrow_prior = 1};
    side_run(&s, cfg,
             "{\"arn\":\"arn:1\",\"name\":\"api\",\"extra\":1.50,"
             "\"memory\":1}",
             1, &o);
    const struct tsk_change *c = fx_change(&s.plan, "test_fn.api");
    assert_int_equal(c->action, TSK_NOOP);
    /* the members are in another order than the after's: a tree */
    assert_null(c->text);
    fx_assert_json(c->after, "{\"name\":\"api\",\"memory\":1,\"arn\":"
                             "\"arn:1\",\"extra\":1.5}");
    /* the trigger reads the carried arn: unchanged */
    assert_int_equal(fx_change(&s.plan, "test_trigger.t")->action, TSK_NOOP);
    side_free(&s);
}

static void test_noop_stays_unparsed(void **state)
{
    (void)state;
    const char *prior = "{\"name\":\"api\",\"memory\":1,\"arn\":\"arn:1\"}";
    struct side s = {0};
    struct tsk_diff_opts o = {.borrow_prior = 1};
    side_run(&s, "{\"name\":\"api\",\"memory\":1}", prior, 1, &o);
    const struct tsk_change *c = fx_change(&s.plan, "test_fn.api");
    assert_int_equal(c->action, TSK_NOOP);
    /* nothing parsed the prior: before and after are its text */
    assert_null(s.prior.v[0].attrs);
    assert_null(s.prior.v[1].attrs);
    assert_ptr_equal(c->text, s.prior.v[0].text);
    assert_null(c->before);
    assert_null(c->after);
    assert_null(c->after_unknown);
    /* borrowing: the strings are the graph's and the prior's */
    assert_true(c->borrowed);
    assert_ptr_equal(c->addr, s.g.nodes.v[0].addr);
    assert_ptr_equal(c->id, s.prior.v[0].id);
    const struct tsk_change *t = fx_change(&s.plan, "test_trigger.t");
    assert_int_equal(t->deps.n, 1);
    assert_ptr_equal(t->deps.v[0], s.g.nodes.v[0].addr);
    cJSON *tmp = NULL;
    fx_assert_json(tsk_change_before(c, &tmp), prior);
    assert_non_null(tmp);
    cJSON_Delete(tmp);
    side_free(&s);

    /* an update parses its prior: before is the tree */
    struct side u = {0};
    side_run(&u, "{\"name\":\"api\",\"memory\":2}", prior, 1, &o);
    c = fx_change(&u.plan, "test_fn.api");
    assert_int_equal(c->action, TSK_UPDATE);
    assert_non_null(u.prior.v[0].attrs);
    tmp = NULL;
    assert_ptr_equal(tsk_change_before(c, &tmp), c->before);
    assert_null(tmp);
    fx_assert_json(c->before, prior);
    side_free(&u);
}

/* Whether test_fn.api's no-op keeps its prior's text (borrowing). */
static int kept_as_text(const char *cfg, const char *prior)
{
    struct side s = {0};
    struct tsk_diff_opts o = {.borrow_prior = 1};
    side_run(&s, cfg, prior, 1, &o);
    const struct tsk_change *c = fx_change(&s.plan, "test_fn.api");
    assert_int_equal(c->action, TSK_NOOP);
    int kept = c->text != NULL;
    if (kept) {
        assert_ptr_equal(c->text, s.prior.v[0].text);
        assert_null(c->after);
    } else {
        assert_non_null(c->after);
    }
    side_free(&s);
    assert_int_equal(check(cfg, prior), TSK_NOOP); /* and the same plan */
    return kept;
}

static void test_noop_kept_as_text(void **state)
{
    (void)state;
    const char *cfg = "{\"name\":\"api\",\"memory\":1}";
    assert_true(kept_as_text(cfg, "{\"name\":\"api\",\"memory\":1,"
                                  "\"arn\":\"arn:1\"}"));
    assert_true(kept_as_text(cfg, "{\"name\":\"api\",\"memory\":1,"
                                  "\"arn\":-12,\"v\":true,\"w\":null,"
                                  "\"x\":\"a/\u00e9\"}"));
    /* white space, members in another order, a duplicate */
    assert_false(kept_as_text(cfg, "{\"name\":\"api\", \"memory\":1,"
                                   "\"arn\":\"arn:1\"}"));
    assert_false(kept_as_text(cfg, "{\"memory\":1,\"name\":\"api\","
                                   "\"arn\":\"arn:1\"}"));
    assert_false(kept_as_text(cfg, "{\"name\":\"api\",\"memory\":1,"
                                   "\"arn\":\"a\",\"arn\":\"b\"}"));
    /* equal only once parsed, or a carried value written otherwise */
    assert_false(kept_as_text(cfg, "{\"name\":\"api\",\"memory\":1.0,"
                                   "\"arn\":\"arn:1\"}"));
    assert_false(kept_as_text(cfg, "{\"name\":\"api\",\"memory\":1,"
                                   "\"arn\":\"a\\/b\"}"));
    assert_false(kept_as_text(cfg, "{\"name\":\"api\",\"memory\":1,"
                                   "\"arn\":1.50}"));
    assert_false(kept_as_text(cfg, "{\"name\":\"api\",\"memory\":1,"
                                   "\"arn\":{}}"));
    /* a null member that the after leaves out */
    assert_false(kept_as_text(cfg, "{\"name\":\"api\",\"memory\":1,"
                                   "\"tags\":null}"));
}

/* A reference to a no-op kept as text reads the value from the text. */
static void test_reference_to_text(void **state)
{
    (void)state;
    static const char *const arns[] = {"arn:1", "arn:2"};
    for (int i = 0; i < 2; i++) {
        char prior[128];
        snprintf(prior, sizeof(prior),
                 "{\"name\":\"api\",\"memory\":1,\"arn\":\"%s\"}", arns[i]);
        struct side s = {0};
        struct tsk_diff_opts o = {.borrow_prior = 1};
        side_run(&s, "{\"name\":\"api\",\"memory\":1}", prior, 1, &o);
        assert_non_null(fx_change(&s.plan, "test_fn.api")->text);
        const struct tsk_change *t = fx_change(&s.plan, "test_trigger.t");
        /* the trigger's prior says arn:1 (fn_arn forces a replacement) */
        assert_int_equal(t->action, i == 0 ? TSK_NOOP : TSK_REPLACE_DC);
        cJSON *tmp = NULL;
        const cJSON *after = tsk_change_after(t, &tmp);
        assert_string_equal(
            cJSON_GetStringValue(cJSON_GetObjectItem(after, "fn_arn")),
            arns[i]);
        cJSON_Delete(tmp);
        side_free(&s);
        assert_int_equal(check("{\"name\":\"api\",\"memory\":1}", prior),
                         TSK_NOOP);
    }
}

static void test_span_layout(void **state)
{
    (void)state;
    tsk_jspans sp = {0};
    static const struct {
        const char *text;
        int compact;
    } cases[] = {
        {"{}", 1},
        {"{ }", 0},
        {"{\"a\":1}", 1},
        {"{\"a\":1,\"b\":{\"c\": 2}}", 1}, /* inside a value: the value's */
        {"{\"a\" :1}", 0},
        {"{\"a\":1 }", 0},
        {" {\"a\":1}", 0},
        {"{\"a\":1}\n", 0},
        {"{\"a\":1,\n\"b\":2}", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sp.n = 0;
        assert_int_equal(tsk_jspan_split(cases[i].text, &sp), 0);
        assert_int_equal(tsk_jspan_compact(cases[i].text, sp.v, sp.n),
                         cases[i].compact);
    }
    TSK_ARRAY_FREE(sp);
    static const struct {
        const char *v;
        int canonical;
    } vals[] = {
        {"true", 1},
        {"false", 1},
        {"null", 1},
        {"\"\"", 1},
        {"\"a b\"", 1},
        {"\"\\n\"", 0},
        {"0", 1},
        {"-0", 0},
        {"007", 0},
        {"-12", 1},
        {"1.5", 0},
        {"1e3", 0},
        {"999999999999999", 1},
        {"1000000000000000", 0},
        {"[]", 0},
        {"{}", 0},
    };
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
        assert_int_equal(tsk_jspan_canonical(vals[i].v, strlen(vals[i].v)),
                         vals[i].canonical);
}

static void test_object_accessors(void **state)
{
    (void)state;
    struct tsk_object o = {0};
    assert_false(tsk_object_has_attrs(&o));
    o.text = tsk_xstrdup("{\"memory_size\":512,\"input\":\"{}\","
                         "\"memory_size\":1,\"x\":[1]}");
    assert_true(tsk_object_has_attrs(&o));
    static const char *const names[] = {"memory_size", "x", "zz", NULL};
    cJSON *p = tsk_object_pick(&o, names);
    fx_assert_json(p, "{\"memory_size\":512,\"x\":[1]}");
    cJSON_Delete(p);
    assert_null(o.attrs); /* picking does not parse the whole object */
    cJSON *a = tsk_object_attrs(&o);
    assert_ptr_equal(tsk_object_attrs(&o), a); /* parsed once */
    assert_non_null(o.text);
    p = tsk_object_pick(&o, names);
    fx_assert_json(p, "{\"memory_size\":512,\"x\":[1]}");
    cJSON_Delete(p);
    tsk_object_set_attrs(&o, cJSON_Parse("{\"a\":1}"));
    assert_null(o.text);
    fx_assert_json(tsk_object_attrs(&o), "{\"a\":1}");
    tsk_object_release(&o);

    /* an escaped key: picked from the parsed tree */
    o.text = tsk_xstrdup("{\"memory\\u005fsize\":2,\"x\":[1]}");
    p = tsk_object_pick(&o, names);
    fx_assert_json(p, "{\"memory_size\":2,\"x\":[1]}");
    cJSON_Delete(p);
    tsk_object_release(&o);

    /* text that is not an object reads as {} */
    o.text = tsk_xstrdup("[1]");
    fx_assert_json(tsk_object_attrs(&o), "{}");
    assert_null(o.text);
    tsk_object_release(&o);
}

static void test_spans(void **state)
{
    (void)state;
    tsk_jspans sp = {0};
    const char *t = " {\"a\" : [1, {\"b\":\"}\"}] ,\"c\\\"\":-1.5e+3,"
                    "\"d\":null, \"e\":\"x\\u0041\"}\n";
    assert_int_equal(tsk_jspan_split(t, &sp), 0);
    assert_int_equal(sp.n, 4);
    assert_int_equal(sp.v[0].klen, 1);
    assert_memory_equal(sp.v[0].val, "[1, {\"b\":\"}\"}]", sp.v[0].vlen);
    assert_int_equal(sp.v[1].klen, 3);
    assert_memory_equal(sp.v[1].val, "-1.5e+3", sp.v[1].vlen);
    assert_memory_equal(sp.v[2].val, "null", sp.v[2].vlen);
    assert_non_null(tsk_jspan_find(sp.v, sp.n, "e", 1));
    assert_null(tsk_jspan_find(sp.v, sp.n, "f", 1));
    sp.n = 0;
    assert_int_equal(tsk_jspan_split("{}", &sp), 0);
    assert_int_equal(sp.n, 0);
    static const char *const bad[] = {
        "",
        "[]",
        "{",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\":1,}",
        "{\"a\":01x}",
        "{\"a\":tru}",
        "{a:1}",
        "{\"a\":1} x",
        "{\"a\":\"\\q\"}",
        "{\"a\":[1,]}",
        "{\"a\":\"\x01\"}",
        "{\"a\":1.}",
        "{\"a\":-}",
        "{\"a\":[}",
        /* surrogates as cJSON reads them (found by fuzz_planner_jsonspan) */
        "{\"a\":\"\\udabe\"}",        /* high, alone */
        "{\"a\":\"\\udabex\"}",       /* high, then no escape */
        "{\"a\":\"\\ud83d\\u0041\"}", /* high, then not a low one */
        "{\"a\":\"\\ude00\"}",        /* low, alone */
        "{\"a\":\"\\u12\"}",          /* too few digits */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        sp.n = 0;
        assert_int_equal(tsk_jspan_split(bad[i], &sp), -1);
    }
    sp.n = 0; /* a pair is one character */
    assert_int_equal(tsk_jspan_split("{\"a\":\"\\ud83d\\ude00\"}", &sp), 0);
    assert_int_equal(sp.n, 1);
    assert_int_equal(sp.v[0].vlen, 14);
    assert_int_equal(tsk_jspan_skip("\"ab\"x"), 4);
    assert_int_equal(tsk_jspan_skip("{\"a\""), 0);
    /* nesting as deep as cJSON allows, and no deeper */
    struct tsk_buf b = TSK_BUF_INIT;
    for (int i = 0; i < 2000; i++)
        tsk_buf_addch(&b, '[');
    assert_int_equal(tsk_jspan_skip(b.ptr), 0);
    tsk_buf_release(&b);
    TSK_ARRAY_FREE(sp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_and_different),
        cmocka_unit_test(test_reordered_nested_keys),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_escapes_and_white_space),
        cmocka_unit_test(test_null_and_missing),
        cmocka_unit_test(test_computed_carry),
        cmocka_unit_test(test_noop_stays_unparsed),
        cmocka_unit_test(test_noop_kept_as_text),
        cmocka_unit_test(test_reference_to_text),
        cmocka_unit_test(test_span_layout),
        cmocka_unit_test(test_object_accessors),
        cmocka_unit_test(test_spans),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
