/* test_planfile.c - saved plans: round trip, damage, staleness checks. */
#include "plan_fixtures.h"
#include "planner/planfile.h"

#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/tsk_planfile_XXXXXX";
static char path[256];

static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/p.plan", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    rmdir(dir);
    return 0;
}

static struct tsk_plan sample(void)
{
    struct tsk_plan p = {0};
    p.tool_version = tsk_xstrdup("1.2.3");
    p.lineage = tsk_xstrdup("6f1c0c1e-0000-4000-8000-000000000001");
    p.serial = 42;
    p.config_digest = tsk_xstrdup("abc123");
    p.provider = tsk_xstrdup("local");
    p.git.commit = tsk_xstrdup("0123456789abcdef0123456789abcdef01234567");
    p.git.branch = tsk_xstrdup("main");
    p.git.dirty = 1;
    p.destroy = 0;
    struct tsk_change *c =
        fx_add_change(&p, "test_fn.api", TSK_REPLACE_CD, "{\"name\":\"a\"}",
                      "{\"name\":\"b\",\"env\":{\"K\":\"v\"}}",
                      "{\"arn\":true}", "env.K");
    c->reason = TSK_REASON_CANNOT_UPDATE;
    c->id = tsk_xstrdup("id-1");
    c->node = 3;
    c->function = *TSK_ARRAY_PUSH(p.owned) = tsk_xstrdup("api");
    *TSK_ARRAY_PUSH(c->replace_paths) = tsk_xstrdup("name");
    *TSK_ARRAY_PUSH(c->deps) = tsk_xstrdup("test_fn.base");
    fx_add_change(&p, "test_fn.old", TSK_DELETE, "{\"name\":\"o\"}", NULL,
                  NULL, NULL)
        ->reason = TSK_REASON_NO_CONFIG;
    fx_add_change(&p, "test_fn.same", TSK_NOOP, "{\"name\":\"s\"}",
                  "{\"name\":\"s\"}", NULL, NULL);
    fx_add_drift(&p, "test_fn.api", "{\"m\":1}", "{\"m\":2}");
    fx_add_drift(&p, "test_fn.gone", "{\"m\":1}", NULL);
    p.cost = fx_json("{\"total\":1.5}");
    return p;
}

static void test_round_trip(void **state)
{
    (void)state;
    struct tsk_plan p = sample(), q;
    struct tsk_diags d = {0};
    assert_int_equal(tsk_planfile_save(&p, path, &d), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(tsk_planfile_load(&q, path, &d), 0);
    assert_int_equal(d.nerr, 0);
    assert_string_equal(q.tool_version, "1.2.3");
    assert_string_equal(q.lineage, p.lineage);
    assert_int_equal(q.serial, 42);
    assert_string_equal(q.config_digest, "abc123");
    assert_string_equal(q.provider, "local");
    assert_string_equal(q.git.commit, p.git.commit);
    assert_string_equal(q.git.branch, "main");
    assert_int_equal(q.git.dirty, 1);
    assert_int_equal(q.changes.n, 3);
    const struct tsk_change *c = &q.changes.v[0];
    assert_string_equal(c->addr, "test_fn.api");
    assert_string_equal(c->type, "test_fn");
    assert_string_equal(c->name, "api");
    assert_int_equal(c->action, TSK_REPLACE_CD);
    assert_int_equal(c->reason, TSK_REASON_CANNOT_UPDATE);
    assert_string_equal(c->id, "id-1");
    assert_int_equal(c->node, 3);
    assert_string_equal(c->function, "api");
    fx_assert_json(c->after, "{\"name\":\"b\",\"env\":{\"K\":\"v\"}}");
    fx_assert_json(c->after_unknown, "{\"arn\":true}");
    assert_string_equal(c->sensitive.v[0], "env.K");
    assert_string_equal(c->replace_paths.v[0], "name");
    assert_string_equal(c->deps.v[0], "test_fn.base");
    c = &q.changes.v[1];
    assert_int_equal(c->action, TSK_DELETE);
    assert_int_equal(c->reason, TSK_REASON_NO_CONFIG);
    assert_null(c->after);
    assert_int_equal(c->node, UINT32_MAX);
    c = &q.changes.v[2];
    assert_int_equal(c->action, TSK_NOOP);
    fx_assert_json(c->before, "{\"name\":\"s\"}");
    fx_assert_json(c->after, "{\"name\":\"s\"}");
    assert_int_equal(q.drift.n, 2);
    assert_int_equal(q.drift.v[1].kind, TSK_DRIFT_DELETED);
    assert_null(q.drift.v[1].remote_attrs);
    assert_string_equal(q.drift.v[0].paths.v[0], "m");
    fx_assert_json(q.cost, "{\"total\":1.5}");
    tsk_plan_free(&q);
    tsk_plan_free(&p);
}

static void write_text(const char *s)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(s, f);
    fclose(f);
}

static void expect_load_error(const char *needle)
{
    struct tsk_plan q;
    struct tsk_diags d = {0};
    assert_true(tsk_planfile_load(&q, path, &d) < 0);
    assert_int_equal(d.nerr, 1);
    if (!strstr(d.v.v[0].summary, needle))
        fail_msg("\"%s\" does not say \"%s\"", d.v.v[0].summary, needle);
    assert_int_equal(q.changes.n, 0);
    tsk_diags_release(&d);
}

static void test_damaged_files(void **state)
{
    (void)state;
    struct tsk_plan p = sample();
    struct tsk_diags d = {0};
    assert_int_equal(tsk_planfile_save(&p, path, &d), 0);
    tsk_plan_free(&p);
    struct tsk_buf b = TSK_BUF_INIT;
    assert_int_equal(tsk_read_file(path, &b), 0);

    /* one value edited: the checksum catches it */
    char *edited = tsk_xstrdup(b.ptr);
    char *at = strstr(edited, "\"serial\":42");
    assert_non_null(at);
    at[10] = '3';
    write_text(edited);
    expect_load_error("damaged: its checksum");
    free(edited);

    /* truncated */
    b.ptr[b.len / 2] = '\0';
    write_text(b.ptr);
    expect_load_error("damaged: it is not valid JSON");
    tsk_buf_release(&b);

    write_text("");
    expect_load_error("not valid JSON");
    write_text("{\"format_version\":\"1.2\"}");
    expect_load_error("is not a tuskform plan file");
    write_text("{\"tuskform_plan\":99,\"sha256\":\"x\",\"plan\":{}}");
    expect_load_error("plan format 99");
    /* a well-formed envelope around a wrong body */
    write_text("{\"tuskform_plan\":1,\"sha256\":\"44136fa355b3678a1146ad16f7e8"
               "649e94fb4fc21fe77e8310c060f61caaff8a\",\"plan\":{}}");
    expect_load_error("malformed: field \"tool_version\"");
    /* well-formed envelopes around bodies of the wrong shape */
    static const char *const bodies[] = {
        "{\"tool_version\":\"1\",\"serial\":1e300,\"changes\":[]}",
        "{\"tool_version\":\"1\",\"serial\":-1,\"changes\":[]}",
        "{\"tool_version\":\"1\",\"serial\":1,\"changes\":[1,2]}",
        "{\"tool_version\":\"1\",\"serial\":1,\"changes\":{}}",
        "{\"tool_version\":\"1\",\"serial\":1,\"changes\":[{\"addr\":"
        "\"a.b\",\"type\":\"a\",\"name\":\"b\",\"provider\":\"p\","
        "\"action\":\"explode\",\"reason\":\"none\"}]}",
        "{\"tool_version\":\"1\",\"serial\":1,\"changes\":[{\"addr\":"
        "\"a.b\",\"type\":\"a\",\"name\":\"b\",\"provider\":\"p\","
        "\"action\":\"delete\",\"reason\":\"none\",\"after\":{}}]}",
        "{\"tool_version\":\"1\",\"serial\":1,\"changes\":[],"
        "\"drift\":[{\"addr\":7}]}",
    };
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        cJSON *body = fx_json(bodies[i]);
        char *text = cJSON_PrintUnformatted(body), hex[65];
        unsigned char md[32];
        unsigned int n = 0;
        EVP_Digest(text, strlen(text), md, &n, EVP_sha256(), NULL);
        for (unsigned k = 0; k < 32; k++)
            snprintf(hex + 2 * k, 3, "%02x", md[k]);
        char *file = tsk_xasprintf("{\"tuskform_plan\":1,\"sha256\":\"%s\","
                                   "\"plan\":%s}",
                                   hex, text);
        write_text(file);
        expect_load_error("is malformed");
        free(file);
        free(text);
        cJSON_Delete(body);
    }
    unlink(path);
    expect_load_error("cannot read the plan file");
}

static void test_check_lists_every_mismatch(void **state)
{
    (void)state;
    struct tsk_plan p = sample();
    struct tsk_diags d = {0};
    struct tsk_planfile_now ok = {p.lineage, 42, "abc123", "1.2.3"};
    assert_int_equal(tsk_planfile_check(&p, &ok, &d), 0);
    assert_int_equal(d.nerr, 0);
    struct tsk_planfile_now bad = {"other-lineage", 43, "def456", "1.2.4"};
    assert_int_equal(tsk_planfile_check(&p, &bad, &d), TSK_ECONFLICT);
    assert_int_equal(d.nerr, 4);
    assert_non_null(strstr(d.v.v[0].summary, "does not match the given "
                                             "state"));
    assert_non_null(strstr(d.v.v[1].summary, "Saved plan is stale"));
    assert_non_null(strstr(d.v.v[1].summary, "serial 42"));
    assert_non_null(strstr(d.v.v[1].summary, "serial 43"));
    assert_non_null(strstr(d.v.v[2].summary, "configuration"));
    assert_non_null(strstr(d.v.v[3].summary, "1.2.3"));
    tsk_diags_release(&d);
    /* only the serial moved */
    struct tsk_planfile_now stale = {p.lineage, 44, "abc123", "1.2.3"};
    assert_int_equal(tsk_planfile_check(&p, &stale, &d), TSK_ECONFLICT);
    assert_int_equal(d.nerr, 1);
    tsk_diags_release(&d);
    tsk_plan_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_damaged_files),
        cmocka_unit_test(test_check_lists_every_mismatch),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
