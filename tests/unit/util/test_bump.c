/* test_bump.c - the bump allocator: alignment, chunk boundaries, blocks
 * larger than a chunk, giving back the last block, and release. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdalign.h>
#include <string.h>

#include "planner/util/util.h"

static void test_blocks_are_aligned_and_distinct(void **state)
{
    (void)state;
    struct tsk_bump b = {0};
    char *prev = NULL;
    size_t prev_n = 0;
    for (int i = 0; i < 5000; i++) {
        size_t align = (size_t)1 << (i % 5); /* 1 .. 16 */
        size_t n = (size_t)(i % 37);
        char *p = tsk_bump_alloc(&b, n, align);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % align, 0);
        memset(p, 0xab, n); /* ASan: the whole block is addressable */
        if (prev && prev_n) /* the block before is not handed out again */
            assert_ptr_not_equal(p, prev);
        prev = p;
        prev_n = n;
    }
    tsk_bump_free(&b);
    assert_null(b.chunks);
}

static void test_large_block_and_chunk_boundary(void **state)
{
    (void)state;
    struct tsk_bump b = {0};
    char *small = tsk_bump_alloc(&b, 10, 1);
    memcpy(small, "123456789", 10);
    char *big = tsk_bump_alloc(&b, 200 * 1024, 8); /* beyond a chunk */
    memset(big, 1, 200 * 1024);
    /* filling up to a chunk's end moves on to a new chunk */
    for (int i = 0; i < 100; i++)
        memset(tsk_bump_alloc(&b, 1000, 1), 2, 1000);
    assert_string_equal(small, "123456789");
    assert_int_equal(big[200 * 1024 - 1], 1);
    tsk_bump_free(&b);
}

static void test_giveback_reuses_the_last_block(void **state)
{
    (void)state;
    struct tsk_bump b = {0};
    char *a = tsk_bump_alloc(&b, 16, 1);
    tsk_bump_giveback(&b, 16);
    char *again = tsk_bump_alloc(&b, 16, 1);
    assert_ptr_equal(a, again);
    char *next = tsk_bump_alloc(&b, 4, 1);
    assert_ptr_equal(next, again + 16);
    tsk_bump_giveback(&b, 1000); /* more than handed out: ignored */
    assert_ptr_equal(tsk_bump_alloc(&b, 1, 1), next + 4);
    tsk_bump_free(&b);
    tsk_bump_free(&b); /* twice is harmless */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_are_aligned_and_distinct),
        cmocka_unit_test(test_large_block_and_chunk_boundary),
        cmocka_unit_test(test_giveback_reuses_the_last_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
