/* test_lazy.c - loading libraries on first use: the loader's success and
 * failure paths, and the libcrypto shim forwarding real digests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "planner/util/lazy.h"
#include "planner/util/util.h"

static void test_resolves_symbols(void **state)
{
    (void)state;
    const char *const names[] = {"strlen", "memcmp"};
    void *out[2] = {NULL, NULL};
    const char *why = NULL;
    assert_int_equal(tsk_lazy_try_load("libc.so.6", names, out, 2, &why), 0);
    assert_non_null(out[0]);
    assert_non_null(out[1]);
    size_t (*len)(const char *) = (size_t(*)(const char *))out[0];
    assert_int_equal(len("four"), 4);
}

static void test_missing_library_and_symbol(void **state)
{
    (void)state;
    const char *const names[] = {"strlen", "no_such_symbol_tsk"};
    void *out[2] = {NULL, NULL};
    const char *why = NULL;
    assert_int_equal(
        tsk_lazy_try_load("libtsk-missing.so.9", names, out, 2, &why), -1);
    assert_non_null(why);
    assert_non_null(strstr(why, "libtsk-missing.so.9"));
    why = NULL;
    assert_int_equal(tsk_lazy_try_load("libc.so.6", names, out, 2, &why), -1);
    assert_non_null(why);
    assert_non_null(strstr(why, "no_such_symbol_tsk"));
}

/* tsk_lazy_load ends the process: exit code 1 and a one-line message. */
static void test_fatal_load_exits_1(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        const char *const names[] = {"x"};
        void *out[1];
        tsk_lazy_load("libtsk-missing.so.9", names, out, 1);
        _exit(99); /* not reached */
    }
    close(fds[1]);
    char msg[512] = {0};
    size_t got = 0;
    ssize_t r;
    while (got < sizeof(msg) - 1 &&
           (r = read(fds[0], msg + got, sizeof(msg) - 1 - got)) > 0)
        got += (size_t)r;
    close(fds[0]);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 1);
    assert_non_null(strstr(msg, "tuskform: cannot load libtsk-missing.so.9: "));
}

/* The shim forwards to the real libcrypto: known SHA-256 digests. */
static void test_crypto_shim_digests(void **state)
{
    (void)state;
    static const unsigned char abc[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
        0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
        0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    SHA256((const unsigned char *)"abc", 3, md);
    assert_memory_equal(md, abc, 32);
    memset(md, 0, sizeof(md));
    assert_int_equal(EVP_Digest("abc", 3, md, &n, EVP_sha256(), NULL), 1);
    assert_int_equal(n, 32);
    assert_memory_equal(md, abc, 32);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    assert_non_null(c);
    assert_int_equal(EVP_DigestInit_ex(c, EVP_sha256(), NULL), 1);
    assert_int_equal(EVP_DigestUpdate(c, "a", 1), 1);
    assert_int_equal(EVP_DigestUpdate(c, "bc", 2), 1);
    memset(md, 0, sizeof(md));
    assert_int_equal(EVP_DigestFinal_ex(c, md, &n), 1);
    EVP_MD_CTX_free(c);
    assert_memory_equal(md, abc, 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolves_symbols),
        cmocka_unit_test(test_missing_library_and_symbol),
        cmocka_unit_test(test_fatal_load_exits_1),
        cmocka_unit_test(test_crypto_shim_digests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
