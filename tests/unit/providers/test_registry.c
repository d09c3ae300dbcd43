/* test_registry.c - the provider table, lookups by name, alias and type,
 * and the shape of the local provider's schemas. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "providers/local/local.h"
#include "providers/provider.h"

static void test_find_by_name_and_alias(void **state)
{
    (void)state;
    const struct tsk_provider *p = tsk_provider_find("local");
    assert_ptr_equal(p, &tsk_provider_local);
    assert_true(p->supported);
    assert_non_null(p->lower);
    assert_non_null(p->configure);
    assert_non_null(p->close);

    /* aws: whatever its driver's state, both names find it */
    const struct tsk_provider *aws = tsk_provider_find("aws");
    assert_non_null(aws);
    assert_ptr_equal(tsk_provider_find("aws_lambda"), aws);
    assert_string_equal(aws->name, "aws");
    assert_string_not_equal(aws->name, "local");

    const char *unsupported[] = {"google_cloud_functions", "azure_functions",
                                 "vercel"};
    for (size_t i = 0; i < 3; i++) {
        const struct tsk_provider *u = tsk_provider_find(unsupported[i]);
        assert_non_null(u);
        assert_string_equal(u->name, unsupported[i]);
        assert_false(u->supported);
    }
    assert_null(tsk_provider_find("aws_lambd"));
    assert_null(tsk_provider_find("lambda"));
    assert_null(tsk_provider_find(""));
    assert_null(tsk_provider_find(NULL));
}

static void test_table_terminated_and_unique(void **state)
{
    (void)state;
    size_t n = 0;
    for (; tsk_providers[n]; n++)
        for (size_t j = 0; j < n; j++)
            assert_string_not_equal(tsk_providers[n]->name,
                                    tsk_providers[j]->name);
    assert_int_equal(n, 5);
}

static void test_types(void **state)
{
    (void)state;
    const char *names[] = {"local_function",
                           "local_trigger",
                           "local_schedule",
                           "local_queue",
                           "local_event_rule",
                           "local_event_target",
                           "local_alias",
                           "local_provisioned_concurrency",
                           "local_alarm",
                           "local_budget",
                           "local_api"};
    size_t n = 0;
    while (tsk_local_types[n])
        n++;
    assert_int_equal(n, 11);
    for (size_t i = 0; i < 11; i++) {
        const struct tsk_resource_type *t =
            tsk_provider_type(&tsk_provider_local, names[i]);
        assert_non_null(t);
        assert_string_equal(t->name, names[i]);
        assert_ptr_equal(tsk_provider_for_type(names[i]),
                         &tsk_provider_local);
        assert_ptr_equal(t->read, tsk_local_read);
        assert_ptr_equal(t->create, tsk_local_create);
        assert_ptr_equal(t->update, tsk_local_update);
        assert_ptr_equal(t->delete, tsk_local_delete);
        assert_ptr_equal(t->find, tsk_local_find);
        /* every type has the computed id */
        const struct tsk_attr_schema *id = tsk_schema_attr(t->schema, "id");
        assert_non_null(id);
        assert_true(id->flags & TSK_A_COMPUTED);
    }
    assert_null(tsk_provider_type(&tsk_provider_local, "local_bucket"));
    assert_null(tsk_provider_type(&tsk_provider_local, NULL));
    assert_null(tsk_provider_for_type("nonexistent_function"));
    assert_null(tsk_provider_for_type(NULL));
    assert_null(tsk_provider_type(tsk_provider_find("vercel"),
                                  "local_function"));
}

/* Every attribute is exactly one of required, optional or computed;
 * references name an existing local type; names are unique. */
static void test_schemas_well_formed(void **state)
{
    (void)state;
    for (size_t i = 0; tsk_local_types[i]; i++) {
        const struct tsk_schema *s = tsk_local_types[i]->schema;
        assert_non_null(s);
        for (const struct tsk_attr_schema *a = s->attrs; a->name; a++) {
            unsigned kind = a->flags & (TSK_A_REQUIRED | TSK_A_OPTIONAL |
                                        TSK_A_COMPUTED);
            assert_true(kind == TSK_A_REQUIRED || kind == TSK_A_OPTIONAL ||
                        kind == TSK_A_COMPUTED);
            assert_ptr_equal(tsk_schema_attr(s, a->name), a);
            assert_non_null(a->doc);
            if (a->ref_type)
                assert_non_null(
                    tsk_provider_type(&tsk_provider_local, a->ref_type));
        }
    }
}

static void test_schema_details(void **state)
{
    (void)state;
    const struct tsk_resource_type *fn =
        tsk_provider_type(&tsk_provider_local, "local_function");
    const struct tsk_attr_schema *a = tsk_schema_attr(fn->schema, "name");
    assert_true(a->flags & TSK_A_REQUIRED);
    assert_true(a->flags & TSK_A_FORCE_NEW);
    a = tsk_schema_attr(fn->schema, "source");
    assert_true(a->flags & TSK_A_OPTIONAL); /* optional for local */
    a = tsk_schema_attr(fn->schema, "arn");
    assert_true(a->flags & TSK_A_COMPUTED);
    a = tsk_schema_attr(fn->schema, "environment");
    assert_int_equal(a->type, TSK_T_MAP);
    assert_null(tsk_schema_attr(fn->schema, "nope"));
    assert_null(tsk_schema_attr(NULL, "name"));

    const struct tsk_resource_type *tr =
        tsk_provider_type(&tsk_provider_local, "local_trigger");
    a = tsk_schema_attr(tr->schema, "function_arn");
    assert_string_equal(a->ref_type, "local_function");
    assert_true(tr->schema->create_before_destroy);
    a = tsk_schema_attr(tr->schema, "queue_arn");
    assert_string_equal(a->ref_type, "local_queue");

    const struct tsk_resource_type *pc =
        tsk_provider_type(&tsk_provider_local, "local_provisioned_concurrency");
    a = tsk_schema_attr(pc->schema, "alias_arn");
    assert_string_equal(a->ref_type, "local_alias");
    assert_true(a->flags & TSK_A_FORCE_NEW);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_by_name_and_alias),
        cmocka_unit_test(test_table_terminated_and_unique),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_schemas_well_formed),
        cmocka_unit_test(test_schema_details),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
