/* test_graph.c - the resource graph: addresses, references, schema checks,
 * deterministic order, cycle reports, DOT and JSON output. Graphs are
 * built by hand from local_* types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "planner/graph.h"
#include "providers/local/local.h"

static struct tsk_src *src;

static int setup(void **state)
{
    (void)state;
    const char *text = "a = 1\nb = 2\nc = 3\nd = 4\n";
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

/* A function node with every required attribute. */
static uint32_t add_fn(struct tsk_graph *g, const char *name, uint32_t line,
                       struct tsk_diags *d)
{
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "name", name);
    cJSON_AddStringToObject(a, "handler", "H::handle");
    cJSON_AddNumberToObject(a, "memory_size", 128);
    cJSON_AddNumberToObject(a, "timeout", 3);
    struct tsk_pos p = at(line);
    return tsk_graph_add(g, "local_function", name, a, &p, d);
}

static uint32_t add_queue(struct tsk_graph *g, const char *name,
                          struct tsk_diags *d)
{
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "name", name);
    return tsk_graph_add(g, "local_queue", name, a, NULL, d);
}

static uint32_t add_alias(struct tsk_graph *g, const char *name,
                          uint32_t line, struct tsk_diags *d)
{
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "name", "live");
    struct tsk_pos p = at(line);
    return tsk_graph_add(g, "local_alias", name, a, &p, d);
}

static void test_add_and_find(void **state)
{
    (void)state;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    tsk_graph_init(&g, &tsk_provider_local, "shop");
    assert_int_equal(add_fn(&g, "api", 1, &d), 0);
    assert_int_equal(add_fn(&g, "worker", 2, &d), 1);
    assert_int_equal(add_queue(&g, "orders", &d), 2);
    assert_int_equal(d.nerr, 0);
    assert_int_equal(tsk_graph_find(&g, "local_function.worker"), 1);
    assert_int_equal(tsk_graph_find(&g, "local_queue.orders"), 2);
    assert_int_equal(tsk_graph_find(&g, "local_queue.nope"), UINT32_MAX);
    assert_int_equal(tsk_graph_find(&g, "local_function"), UINT32_MAX);
    assert_string_equal(g.nodes.v[1].type, "local_function");
    assert_string_equal(g.nodes.v[1].name, "worker");
    assert_ptr_equal(g.nodes.v[1].prov, &tsk_provider_local);
    assert_string_equal(g.stack, "shop");

    /* a second node at the same address names the first one's position */
    assert_int_equal(add_fn(&g, "api", 3, &d), UINT32_MAX);
    assert_int_equal(d.nerr, 1);
    assert_non_null(strstr(d.v.v[0].summary, "local_function.api"));
    assert_int_equal(d.v.v[0].pos.line, 3);
    assert_non_null(strstr(d.v.v[0].detail, "main.tsk:1:1"));

    /* a type of another provider, and a bad name */
    assert_int_equal(tsk_graph_add(&g, "aws_lambda_function", "x",
                                   cJSON_CreateObject(), NULL, &d),
                     UINT32_MAX);
    assert_int_equal(tsk_graph_add(&g, "local_queue", "a.b",
                                   cJSON_CreateObject(), NULL, &d),
                     UINT32_MAX);
    assert_int_equal(tsk_graph_add(&g, "local_queue", "",
                                   cJSON_CreateObject(), NULL, &d),
                     UINT32_MAX);
    assert_int_equal(d.nerr, 4);
    assert_int_equal(g.nodes.n, 3);
    tsk_diags_release(&d);
    tsk_graph_free(&g);
}

static void test_many_nodes_index(void **state)
{
    (void)state;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    char name[32];
    tsk_graph_init(&g, &tsk_provider_local, "s");
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof(name), "q%d", i);
        assert_int_equal(add_queue(&g, name, &d), (uint32_t)i);
    }
    for (int i = 0; i < 5000; i += 7) {
        char addr[64];
        snprintf(addr, sizeof(addr), "local_queue.q%d", i);
        assert_int_equal(tsk_graph_find(&g, addr), (uint32_t)i);
    }
    assert_int_equal(d.nerr, 0);
    tsk_graph_free(&g);
}

static int cmp_addr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The order of independent nodes is the byte-wise order of their whole
 * addresses, across types and for names that differ only after their
 * first 8 bytes, end within them, or use '-' (which sorts before the '.'
 * that ends a type) and '_'. */
static void test_order_is_address_order(void **state)
{
    (void)state;
    static const char *const names[] = {
        "a",        "a-b",       "a_b",       "ab",        "abcdefgh",
        "abcdefg",  "abcdefghi", "abcdefgh-", "abcdefgh_", "abcdefghij0",
        "abcdefghij", "Z",       "z",         "0",         "fn_00001_http",
        "fn_00001", "fn_00001-x", "fn_00010",  "fn_0001",   "-",
    };
    static const char *const types[] = {"local_queue", "local_api",
                                        "local_alias", "local_alarm",
                                        "local_event_rule",
                                        "local_event_target"};
    const size_t nn = sizeof(names) / sizeof(names[0]);
    const size_t nt = sizeof(types) / sizeof(types[0]);
    struct tsk_graph g;
    struct tsk_diags d = {0};
    uint32_t *order = NULL;
    const char **want = calloc(nn * nt, sizeof(*want));
    size_t k = 0;
    tsk_graph_init(&g, &tsk_provider_local, "s");
    tsk_graph_reserve(&g, 7); /* less than needed: only a hint */
    /* scrambled: names backwards, types interleaved */
    for (size_t i = nn; i-- > 0;)
        for (size_t t = 0; t < nt; t++) {
            uint32_t n = tsk_graph_add(&g, types[(t + i) % nt], names[i],
                                       cJSON_CreateObject(), NULL, &d);
            assert_int_not_equal(n, UINT32_MAX);
            want[k++] = g.nodes.v[n].addr;
        }
    qsort(want, k, sizeof(*want), cmp_addr);
    tsk_graph_check(&g, &order, &d); /* schema errors do not matter here */
    tsk_diags_release(&d);
    memset(&d, 0, sizeof(d));
    /* DOT lists the nodes by address */
    struct tsk_buf out = TSK_BUF_INIT;
    tsk_graph_dot(&g, &out);
    const char *p = out.ptr;
    for (size_t i = 0; i < k; i++) {
        char line[128];
        snprintf(line, sizeof(line), "  \"%s\";\n", want[i]);
        const char *at = strstr(p, line);
        assert_non_null(at);
        p = at + strlen(line);
    }
    tsk_buf_release(&out);
    free(order);
    free(want);
    tsk_graph_free(&g);
}

/* Shared strings: types, reference names and function keys are the
 * graph's copies, equal in content to what was passed. */
static void test_strings_are_copies(void **state)
{
    (void)state;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    char key[16], attr[16];
    tsk_graph_init(&g, &tsk_provider_local, "s");
    uint32_t f = add_fn(&g, "api", 1, &d);
    uint32_t a1 = add_alias(&g, "one", 2, &d);
    uint32_t a2 = add_alias(&g, "two", 3, &d);
    /* one buffer reused with other contents: each call reads it anew */
    strcpy(key, "api");
    strcpy(attr, "function_arn");
    tsk_graph_set_function(&g, a1, key);
    tsk_graph_ref(&g, a1, attr, f, "arn");
    strcpy(key, "other");
    strcpy(attr, "name");
    tsk_graph_set_function(&g, a2, key);
    tsk_graph_ref(&g, a2, attr, f, "arn");
    memset(key, 'x', sizeof(key) - 1);
    memset(attr, 'x', sizeof(attr) - 1);
    assert_string_equal(g.nodes.v[a1].function, "api");
    assert_string_equal(g.nodes.v[a2].function, "other");
    assert_string_equal(g.nodes.v[a1].refs.v[0].attr, "function_arn");
    assert_string_equal(g.nodes.v[a2].refs.v[0].attr, "name");
    assert_ptr_equal(g.nodes.v[a1].type, g.nodes.v[a2].type);
    tsk_graph_sensitive(&g, f, "environment.KEY");
    assert_true(tsk_graph_is_sensitive(&g, f, "environment.KEY"));
    assert_false(tsk_graph_is_sensitive(&g, a1, "environment.KEY"));
    /* a refused duplicate leaves the next address intact */
    assert_int_equal(add_alias(&g, "one", 4, &d), UINT32_MAX);
    uint32_t a3 = add_alias(&g, "three", 5, &d);
    assert_string_equal(g.nodes.v[a3].addr, "local_alias.three");
    assert_string_equal(g.nodes.v[a3].name, "three");
    assert_int_equal(tsk_graph_find(&g, "local_alias.three"), a3);
    assert_int_equal(tsk_graph_find(&g, "local_alias.one"), a1);
    tsk_diags_release(&d);
    tsk_graph_free(&g);
}

static void test_refs_make_deps(void **state)
{
    (void)state;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    tsk_graph_init(&g, &tsk_provider_local, "s");
    uint32_t f = add_fn(&g, "api", 1, &d);
    uint32_t a = add_alias(&g, "api", 2, &d);
    tsk_graph_ref(&g, a, "function_arn", f, "arn");
    tsk_graph_dep(&g, a, f); /* already implied: not doubled */
    assert_int_equal(g.nodes.v[a].deps.n, 1);
    assert_int_equal(g.nodes.v[a].deps.v[0], f);
    assert_int_equal(g.nodes.v[f].rdeps.n, 1);
    assert_int_equal(g.nodes.v[f].rdeps.v[0], a);
    const struct tsk_ref *r = tsk_graph_ref_of(&g, a, "function_arn");
    assert_non_null(r);
    assert_int_equal(r->target, f);
    assert_string_equal(r->target_attr, "arn");
    assert_null(tsk_graph_ref_of(&g, a, "name"));
    tsk_graph_set_function(&g, a, "api");
    assert_string_equal(g.nodes.v[a].function, "api");
    tsk_graph_free(&g);
}

/*
 * Dependencies (x -> y: x needs y), added in a scrambled order:
 *   local_alias.b -> local_function.b, local_alias.a -> local_function.a,
 *   local_function.a -> local_queue.z (order only)
 * Order: dependencies first, ties by address.
 */
static void test_order_deterministic(void **state)
{
    (void)state;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    uint32_t *order = NULL;
    tsk_graph_init(&g, &tsk_provider_local, "s");
    uint32_t ab = add_alias(&g, "b", 1, &d);
    uint32_t fb = add_fn(&g, "b", 2, &d);
    uint32_t aa = add_alias(&g, "a", 3, &d);
    uint32_t fa = add_fn(&g, "a", 4, &d);
    uint32_t qz = add_queue(&g, "z", &d);
    tsk_graph_ref(&g, ab, "function_arn", fb, "arn");
    tsk_graph_ref(&g, aa, "function_arn", fa, "arn");
    tsk_graph_dep(&g, fa, qz);
    assert_int_equal(tsk_graph_check(&g, &order, &d), 0);
    assert_int_equal(d.nerr, 0);
    assert_non_null(order);
    const char *want[] = {"local_function.b", "local_alias.b",
                          "local_queue.z", "local_function.a",
                          "local_alias.a"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(g.nodes.v[order[i]].addr, want[i]);
    free(order);
    tsk_graph_free(&g);
}

static void test_cycle_named_once(void **state)
{
    (void)state;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    uint32_t *order = (uint32_t *)&d; /* must be reset to NULL */
    tsk_graph_init(&g, &tsk_provider_local, "s");
    uint32_t f1 = add_fn(&g, "one", 1, &d);
    uint32_t f2 = add_fn(&g, "two", 2, &d);
    uint32_t f3 = add_fn(&g, "three", 3, &d);
    uint32_t free_node = add_fn(&g, "free", 4, &d);
    tsk_graph_dep(&g, f1, f2);
    tsk_graph_dep(&g, f2, f3);
    tsk_graph_dep(&g, f3, f1);
    tsk_graph_dep(&g, free_node, f1); /* depends on the cycle, not in it */
    assert_int_equal(tsk_graph_check(&g, &order, &d), TSK_ERROR);
    assert_null(order);
    assert_int_equal(d.nerr, 1);
    const struct tsk_diag *dg = &d.v.v[0];
    assert_string_equal(dg->summary,
                        "dependency cycle between 3 resources: "
                        "local_function.one, local_function.three, "
                        "local_function.two");
    assert_string_equal(dg->addr, "local_function.one");
    assert_int_equal(dg->pos.line, 1);
    assert_string_equal(dg->detail,
                        "local_function.one (main.tsk:1:1) depends on "
                        "local_function.two\n"
                        "local_function.three (main.tsk:3:1) depends on "
                        "local_function.one\n"
                        "local_function.two (main.tsk:2:1) depends on "
                        "local_function.three");
    assert_null(strstr(dg->summary, "free"));
    tsk_diags_release(&d);
    tsk_graph_free(&g);
}

static void test_two_cycles_and_self_loop(void **state)
{
    (void)state;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    uint32_t *order = NULL;
    tsk_graph_init(&g, &tsk_provider_local, "s");
    uint32_t a = add_fn(&g, "a", 1, &d);
    uint32_t b = add_fn(&g, "b", 2, &d);
    uint32_t c = add_fn(&g, "c", 3, &d);
    uint32_t e = add_fn(&g, "e", 4, &d);
    uint32_t q = add_queue(&g, "q", &d); /* no position */
    tsk_graph_dep(&g, a, b);
    tsk_graph_dep(&g, b, a);
    tsk_graph_dep(&g, c, c);
    tsk_graph_dep(&g, e, q);
    tsk_graph_dep(&g, q, e);
    assert_int_equal(tsk_graph_check(&g, &order, &d), TSK_ERROR);
    assert_null(order);
    assert_int_equal(d.nerr, 3);
    int seen_ab = 0, seen_c = 0, seen_eq = 0;
    for (size_t i = 0; i < d.v.n; i++) {
        const char *s = d.v.v[i].summary;
        if (strcmp(s, "dependency cycle between 2 resources: "
                      "local_function.a, local_function.b") == 0)
            seen_ab++;
        if (strcmp(s, "dependency cycle between 1 resource: "
                      "local_function.c") == 0)
            seen_c++;
        if (strcmp(s, "dependency cycle between 2 resources: "
                      "local_function.e, local_queue.q") == 0) {
            seen_eq++;
            assert_non_null(strstr(d.v.v[i].detail,
                                   "local_queue.q (no source position) "
                                   "depends on local_function.e"));
        }
    }
    assert_int_equal(seen_ab, 1);
    assert_int_equal(seen_c, 1);
    assert_int_equal(seen_eq, 1);
    tsk_diags_release(&d);
    tsk_graph_free(&g);
}

/* A chain far deeper than any C stack would allow for recursion. */
static void test_long_chain(void **state)
{
    (void)state;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    uint32_t *order = NULL;
    char name[32];
    const uint32_t n = 50000;
    tsk_graph_init(&g, &tsk_provider_local, "s");
    for (uint32_t i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "q%06u", i);
        add_queue(&g, name, &d);
        if (i)
            tsk_graph_dep(&g, i - 1, i); /* q0 needs q1 needs q2 ... */
    }
    assert_int_equal(tsk_graph_check(&g, &order, &d), 0);
    assert_int_equal(order[0], n - 1);
    assert_int_equal(order[n - 1], 0);
    free(order);
    tsk_graph_dep(&g, n - 1, 0); /* close the loop */
    assert_int_equal(tsk_graph_check(&g, &order, &d), TSK_ERROR);
    assert_int_equal(d.nerr, 1);
    assert_non_null(strstr(d.v.v[0].summary, "50000 resources"));
    tsk_diags_release(&d);
    tsk_graph_free(&g);
}

static int has_diag(const struct tsk_diags *d, const char *part,
                    const char *detail_part)
{
    for (size_t i = 0; i < d->v.n; i++)
        if (strstr(d->v.v[i].summary, part) &&
            (!detail_part ||
             (d->v.v[i].detail && strstr(d->v.v[i].detail, detail_part))))
            return 1;
    return 0;
}

static void test_schema_checks(void **state)
{
    (void)state;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    uint32_t *order = NULL;
    tsk_graph_init(&g, &tsk_provider_local, "s");
    uint32_t f = add_fn(&g, "f", 1, &d);
    cJSON *fa = g.nodes.v[f].attrs;
    cJSON_AddStringToObject(fa, "handlr", "x");      /* unknown */
    cJSON_AddStringToObject(fa, "arn", "x");         /* computed */
    cJSON_AddStringToObject(fa, "timeout_x", "x");   /* unknown */
    cJSON_ReplaceItemInObject(fa, "memory_size", cJSON_CreateString("1"));
    uint32_t q = add_queue(&g, "q", &d);
    /* an alias with no name, pointing at a queue instead of a function */
    uint32_t al = tsk_graph_add(&g, "local_alias", "f", cJSON_CreateObject(),
                                NULL, &d);
    tsk_graph_ref(&g, al, "function_arn", q, "arn");
    /* a reference to an attribute the target does not have */
    uint32_t pc = tsk_graph_add(&g, "local_provisioned_concurrency", "f",
                                cJSON_CreateObject(), NULL, &d);
    cJSON_AddNumberToObject(g.nodes.v[pc].attrs, "concurrency", 2);
    tsk_graph_ref(&g, pc, "alias_arn", al, "alias_arn");
    assert_int_equal(tsk_graph_check(&g, &order, &d), TSK_ERROR);
    assert_null(order);
    assert_true(has_diag(&d, "\"handlr\" is not in the schema",
                         "did you mean \"handler\"?"));
    assert_true(has_diag(&d, "\"arn\" is computed", NULL));
    assert_true(has_diag(&d, "\"memory_size\" has the wrong type",
                         "expected a number, got a string"));
    assert_true(has_diag(&d, "local_alias.f: attribute \"name\" is "
                             "required", NULL));
    assert_true(has_diag(&d, "\"function_arn\" refers to the wrong",
                         "must refer to a local_function, not to "
                         "local_queue.q"));
    assert_true(has_diag(&d, "\"alias_arn\" refers to an attribute",
                         "local_alias.f has no attribute \"alias_arn\""));
    assert_int_equal(d.nerr, 7);
    tsk_diags_release(&d);
    tsk_graph_free(&g);
}

static void test_dot(void **state)
{
    (void)state;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    struct tsk_buf out = TSK_BUF_INIT;
    tsk_graph_init(&g, &tsk_provider_local, "s");
    uint32_t a = add_alias(&g, "web", 1, &d);
    uint32_t f = add_fn(&g, "web", 2, &d);
    uint32_t q = add_queue(&g, "jobs", &d);
    tsk_graph_ref(&g, a, "function_arn", f, "arn");
    tsk_graph_dep(&g, f, q);
    tsk_graph_dot(&g, &out);
    assert_string_equal(out.ptr,
                        "digraph tuskform {\n"
                        "  rankdir = \"RL\";\n"
                        "  node [shape = \"box\"];\n"
                        "  \"local_alias.web\";\n"
                        "  \"local_function.web\";\n"
                        "  \"local_queue.jobs\";\n"
                        "  \"local_alias.web\" -> \"local_function.web\" "
                        "[label = \"function_arn\"];\n"
                        "  \"local_function.web\" -> \"local_queue.jobs\";\n"
                        "}\n");
    tsk_buf_release(&out);
    tsk_graph_free(&g);
}

static void test_json_redacts(void **state)
{
    (void)state;
    struct tsk_graph g;
    struct tsk_diags d = {0};
    struct tsk_buf out = TSK_BUF_INIT;
    tsk_graph_init(&g, &tsk_provider_local, "shop");
    uint32_t f = add_fn(&g, "web", 2, &d);
    cJSON *env = cJSON_AddObjectToObject(g.nodes.v[f].attrs, "environment");
    cJSON_AddStringToObject(env, "STAGE", "prod");
    cJSON_AddStringToObject(env, "API_KEY", "hunter2");
    tsk_graph_sensitive(&g, f, "environment.API_KEY");
    tsk_graph_set_function(&g, f, "web");
    uint32_t a = add_alias(&g, "web", 1, &d);
    tsk_graph_ref(&g, a, "function_arn", f, "arn");
    assert_true(tsk_graph_is_sensitive(&g, f, "environment.API_KEY"));
    assert_false(tsk_graph_is_sensitive(&g, f, "environment.STAGE"));
    assert_false(tsk_graph_is_sensitive(&g, f, "environment"));
    tsk_graph_json(&g, &out);
    assert_null(strstr(out.ptr, "hunter2"));
    cJSON *root = cJSON_Parse(out.ptr);
    assert_non_null(root);
    assert_string_equal(
        cJSON_GetObjectItem(root, "provider")->valuestring, "local");
    assert_string_equal(cJSON_GetObjectItem(root, "stack")->valuestring,
                        "shop");
    cJSON *res = cJSON_GetObjectItem(root, "resources");
    assert_int_equal(cJSON_GetArraySize(res), 2);
    cJSON *r0 = cJSON_GetArrayItem(res, 0), *r1 = cJSON_GetArrayItem(res, 1);
    assert_string_equal(cJSON_GetObjectItem(r0, "address")->valuestring,
                        "local_alias.web");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r0, "function")));
    cJSON *ref = cJSON_GetArrayItem(cJSON_GetObjectItem(r0, "references"), 0);
    assert_string_equal(cJSON_GetObjectItem(ref, "attribute")->valuestring,
                        "function_arn");
    assert_string_equal(cJSON_GetObjectItem(ref, "resource")->valuestring,
                        "local_function.web");
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItem(r0, "depends_on"), 0)
            ->valuestring,
        "local_function.web");
    cJSON *v1 = cJSON_GetObjectItem(r1, "values");
    cJSON *e1 = cJSON_GetObjectItem(v1, "environment");
    assert_string_equal(cJSON_GetObjectItem(e1, "STAGE")->valuestring,
                        "prod");
    assert_string_equal(cJSON_GetObjectItem(e1, "API_KEY")->valuestring,
                        "(sensitive value)");
    assert_string_equal(cJSON_GetObjectItem(r1, "function")->valuestring,
                        "web");
    cJSON_Delete(root);
    tsk_buf_release(&out);
    tsk_graph_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_and_find),
        cmocka_unit_test(test_many_nodes_index),
        cmocka_unit_test(test_refs_make_deps),
        cmocka_unit_test(test_order_is_address_order),
        cmocka_unit_test(test_strings_are_copies),
        cmocka_unit_test(test_order_deterministic),
        cmocka_unit_test(test_cycle_named_once),
        cmocka_unit_test(test_two_cycles_and_self_loop),
        cmocka_unit_test(test_long_chain),
        cmocka_unit_test(test_schema_checks),
        cmocka_unit_test(test_dot),
        cmocka_unit_test(test_json_redacts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
