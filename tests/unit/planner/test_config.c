/* test_config.c - the shared pipeline (tsk_config_load): folder -> model ->
 * provider -> graph -> order, the stack name and the configuration digest,
 * on configurations written to a temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "planner/config.h"
#include "providers/provider.h"

static char dir[256];

static void put(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void rm(const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    unlink(path);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/tsk-config-test.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    const char *names[] = {"a.tsk", "b.tsk", "notes.txt", "main.tsk"};
    for (size_t i = 0; i < 4; i++)
        rm(names[i]);
    rmdir(dir);
    return 0;
}

/* sha256 of "a.tsk\0" "6\0" "x = 1\n" "b.tsk\0" "6\0" "y = 2\n", worked
 * out from the digest's definition in config.h with sha256sum. */
static void test_digest(void **state)
{
    (void)state;
    struct tsk_diags d = {0};
    char sum[65], again[65];
    put("b.tsk", "y = 2\n");
    put("a.tsk", "x = 1\n");
    put("notes.txt", "not configuration");
    assert_int_equal(tsk_config_digest(dir, sum, &d), 0);
    assert_string_equal(sum, "2b9e57aeda664547997841c8a8ab9f00"
                             "1038176cceda27d154b8c1a25bc40194");
    /* files other than *.tsk do not count */
    put("notes.txt", "changed");
    assert_int_equal(tsk_config_digest(dir, again, &d), 0);
    assert_string_equal(sum, again);
    /* a changed byte changes it */
    put("b.tsk", "y = 3\n");
    assert_int_equal(tsk_config_digest(dir, again, &d), 0);
    assert_string_not_equal(sum, again);
    rm("a.tsk");
    rm("b.tsk");
    rm("notes.txt");
    assert_int_equal(d.nerr, 0);
    assert_int_equal(tsk_config_digest("/nonexistent/tsk-folder", sum, &d),
                     TSK_ERROR);
    assert_int_equal(d.nerr, 1);
    tsk_diags_release(&d);
}

/* A file larger than the blocks it is read in: the digest is still the
 * sha256 of name, length and contents. */
static void test_digest_large_file(void **state)
{
    (void)state;
    struct tsk_diags d = {0};
    char sum[65], want[65];
    size_t n = 100000;
    char *text = malloc(n + 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        text[i] = (char)('a' + i % 26);
    text[n - 1] = '\n';
    text[n] = '\0';
    put("main.tsk", text);
    /* "main.tsk\0" "100000\0" contents */
    size_t len = 9 + 7 + n;
    unsigned char *all = malloc(len), md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    assert_non_null(all);
    memcpy(all, "main.tsk\0" "100000\0", 16);
    memcpy(all + 16, text, n);
    assert_int_equal(EVP_Digest(all, len, md, &mdlen, EVP_sha256(), NULL), 1);
    for (unsigned i = 0; i < mdlen && i < 32; i++)
        snprintf(want + 2 * i, 3, "%02x", md[i]);
    assert_int_equal(tsk_config_digest(dir, sum, &d), 0);
    assert_string_equal(sum, want);
    rm("main.tsk");
    free(all);
    free(text);
    tsk_diags_release(&d);
}

static const char *stack_tsk =
    "[serverless_architecture]\n"
    "provider = \"local\"\n"
    "runtime = \"php:8.4\"\n"
    "\n"
    "[serverless_architecture.functions]\n"
    "api = { handler = \"Api::handle\", events = [\"jobs\"] }\n"
    "\n"
    "[serverless_architecture.events]\n"
    "jobs = { type = \"sqs\", queue = \"jobs\" }\n";

static void test_load_local(void **state)
{
    (void)state;
    struct tsk_diags d = {0};
    struct tsk_config *c = NULL;
    put("main.tsk", stack_tsk);
    assert_int_equal(tsk_config_load(&c, dir, NULL, &d), 0);
    assert_int_equal(d.nerr, 0);
    assert_ptr_equal(c->provider, tsk_provider_find("local"));
    /* no service: the stack is the folder's name */
    assert_string_equal(c->stack, strrchr(dir, '/') + 1);
    assert_string_equal(c->graph.stack, c->stack);
    assert_int_equal(c->graph.nodes.n, 3);
    assert_non_null(c->order);
    /* dependencies first, ties by address */
    const char *want[] = {"local_function.api", "local_queue.jobs",
                          "local_trigger.api_jobs"};
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(c->graph.nodes.v[c->order[i]].addr, want[i]);
    assert_int_equal(strlen(c->digest), 64);
    char sum[65];
    assert_int_equal(tsk_config_digest(dir, sum, &d), 0);
    assert_string_equal(sum, c->digest);
    tsk_config_free(c);
    rm("main.tsk");
}

static void test_load_service_and_model_only(void **state)
{
    (void)state;
    struct tsk_diags d = {0};
    struct tsk_config *c = NULL;
    struct tsk_config_opts o = {.model_only = 1};
    put("main.tsk", "[serverless_architecture]\n"
                    "provider = \"local\"\n"
                    "service = \"shop\"\n"
                    "runtime = \"php:8.4\"\n"
                    "[serverless_architecture.functions]\n"
                    "api = { handler = \"Api::handle\" }\n");
    assert_int_equal(tsk_config_load(&c, dir, &o, &d), 0);
    assert_string_equal(c->stack, "shop");
    assert_non_null(c->model);
    assert_null(c->order);
    assert_int_equal(c->lowered, 0);
    tsk_config_free(c);
    assert_int_equal(tsk_config_load(&c, dir, NULL, &d), 0);
    assert_string_equal(c->graph.nodes.v[0].addr, "local_function.api");
    tsk_config_free(c);
    rm("main.tsk");
}

/* Every stage reports into d and *out is always set. */
static void test_errors(void **state)
{
    (void)state;
    struct tsk_diags d = {0};
    struct tsk_config *c = NULL;
    assert_int_equal(tsk_config_load(&c, "/nonexistent/tsk-folder", NULL, &d),
                     TSK_ERROR);
    assert_non_null(c);
    assert_true(d.nerr >= 1);
    tsk_config_free(c);
    tsk_diags_release(&d);

    put("main.tsk", "[serverless_architecture]\nprovider = \"local\"\n"
                    "runtime = \"php:8.4\"\n"
                    "[serverless_architecture.functions]\n"
                    "api = { handler = \"Api::handle\", events = [\"nope\"] }\n");
    assert_int_equal(tsk_config_load(&c, dir, NULL, &d), TSK_ERROR);
    assert_non_null(c);
    assert_true(d.nerr >= 1);
    assert_int_equal(c->lowered, 0); /* stopped at the model */
    assert_null(c->order);
    tsk_config_free(c);
    tsk_diags_release(&d);
    rm("main.tsk");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digest),
        cmocka_unit_test(test_digest_large_file),
        cmocka_unit_test(test_load_local),
        cmocka_unit_test(test_load_service_and_model_only),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
