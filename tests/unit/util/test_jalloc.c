/* test_jalloc.c - cJSON's slab allocator: blocks per size class, reuse of
 * freed blocks, large blocks from malloc, frees from other threads, and
 * cJSON itself running on it (installed by lazy_cjson.c when it loads the
 * library). The slabs are turned on here whatever the build: TSK_JALLOC=slab
 * before their first use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "planner/util/jalloc.h"

static int setup(void **state)
{
    (void)state;
    setenv("TSK_JALLOC", "slab", 1);
    return tsk_jalloc_slabs() ? 0 : -1;
}

static void test_classes_and_alignment(void **state)
{
    (void)state;
    enum { N = 2000 };
    static char *p[N];
    for (int i = 0; i < N; i++) {
        size_t n = (size_t)(i % 257); /* 0 .. 256: every class */
        p[i] = tsk_jalloc(n);
        assert_non_null(p[i]);
        assert_true(tsk_jalloc_owns(p[i]));
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        memset(p[i], i & 0xff, n);
    }
    /* blocks do not overlap: each still holds its own bytes */
    for (int i = 0; i < N; i++)
        for (size_t k = 0; k < (size_t)(i % 257); k++)
            assert_int_equal((unsigned char)p[i][k], i & 0xff);
    for (int i = 0; i < N; i++)
        tsk_jfree(p[i]);
}

static void test_freed_blocks_are_reused(void **state)
{
    (void)state;
    void *a = tsk_jalloc(64), *b = tsk_jalloc(64);
    tsk_jfree(a);
    assert_ptr_equal(tsk_jalloc(60), a); /* same class: 49 .. 64 bytes */
    tsk_jfree(b);
    void *c = tsk_jalloc(17); /* another class: not b */
    assert_ptr_not_equal(c, b);
    assert_ptr_equal(tsk_jalloc(64), b);
    tsk_jfree(a);
    tsk_jfree(b);
    tsk_jfree(c);
    tsk_jfree(NULL);
}

static void test_large_blocks_come_from_malloc(void **state)
{
    (void)state;
    char *p = tsk_jalloc(257);
    assert_non_null(p);
    assert_false(tsk_jalloc_owns(p));
    memset(p, 1, 257);
    tsk_jfree(p);         /* back to free */
    char *m = malloc(10); /* any malloc block may be given to tsk_jfree */
    assert_false(tsk_jalloc_owns(m));
    tsk_jfree(m);
}

static void *alloc_many(void *arg)
{
    void **out = arg;
    for (int i = 0; i < 1000; i++) {
        out[i] = tsk_jalloc(32);
        memset(out[i], 7, 32);
    }
    return NULL;
}

static void test_other_threads(void **state)
{
    (void)state;
    static void *blocks[4][1000];
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, alloc_many, blocks[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    /* every block distinct across threads */
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 1000; j++) {
            assert_true(tsk_jalloc_owns(blocks[i][j]));
            memset(blocks[i][j], i, 32);
        }
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 1000; j++)
            assert_int_equal(((unsigned char *)blocks[i][j])[31], i);
    /* freed here, by another thread than the one that allocated */
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 1000; j++)
            tsk_jfree(blocks[i][j]);
    void *again = tsk_jalloc(32);
    assert_ptr_equal(again, blocks[3][999]); /* this thread's list */
    tsk_jfree(again);
}

static void test_cjson_on_slabs(void **state)
{
    (void)state;
    /* the first cJSON call loads the library, which then allocates here */
    cJSON *o = cJSON_CreateObject();
    assert_true(tsk_jalloc_owns(o));
    cJSON_AddStringToObject(o, "name", "api");
    cJSON_AddNumberToObject(o, "memory", 128);
    char big[600];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    cJSON_AddStringToObject(o, "big", big);
    char *s = cJSON_PrintUnformatted(o);
    assert_non_null(s);
    assert_int_equal(
        strncmp(s, "{\"name\":\"api\",\"memory\":128,\"big\":\"x", 35), 0);
    cJSON *back = cJSON_Parse(s);
    assert_true(cJSON_Compare(o, back, 1));
    cJSON_free(s);
    cJSON_Delete(back);
    cJSON_Delete(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classes_and_alignment),
        cmocka_unit_test(test_freed_blocks_are_reused),
        cmocka_unit_test(test_large_blocks_come_from_malloc),
        cmocka_unit_test(test_other_threads),
        cmocka_unit_test(test_cjson_on_slabs),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
