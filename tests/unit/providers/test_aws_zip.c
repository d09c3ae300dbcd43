/*
 * test_aws_zip.c - the deterministic deployment zip: the same folder gives
 * the same bytes whatever the file times and creation order, a changed
 * file gives other bytes, entries are sorted with fixed 1980-01-01 times
 * and modes and inflate back to the files; CodeSha256 is base64(SHA-256).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>
#include <zlib.h>

#include "providers/aws/internal.h"

static void put(const char *dir, const char *rel, const char *text)
{
    char *p = tsk_xasprintf("%s/%s", dir, rel);
    /* make the folders on the way */
    for (char *s = p + strlen(dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        mkdir(p, 0755);
        *s = '/';
    }
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(p);
}

static void rmrf(const char *dir)
{
    char *cmd = tsk_xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static unsigned rd16(const unsigned char *p)
{
    return p[0] | (unsigned)p[1] << 8;
}

static unsigned long rd32(const unsigned char *p)
{
    return rd16(p) | (unsigned long)rd16(p + 2) << 16;
}

static void test_aws_zip__same_folder_same_bytes(void **state)
{
    (void)state;
    char a[] = "/tmp/tsk-zipa-XXXXXX", b[] = "/tmp/tsk-zipb-XXXXXX";
    assert_non_null(mkdtemp(a));
    assert_non_null(mkdtemp(b));
    /* same content, created in another order, other times */
    put(a, "src/b.php", "<?php // b\n");
    put(a, "a.php", "<?php echo 1;\n");
    put(a, "src/z/c.txt", "ccc\n");
    put(b, "src/z/c.txt", "ccc\n");
    put(b, "a.php", "<?php echo 1;\n");
    put(b, "src/b.php", "<?php // b\n");
    char *old = tsk_xasprintf("%s/a.php", b);
    struct utimbuf t = {1000000000, 1000000000};
    assert_int_equal(utime(old, &t), 0);
    free(old);
    struct tsk_buf za = TSK_BUF_INIT, zb = TSK_BUF_INIT;
    struct tsk_diags d = {0};
    assert_int_equal(tsk_aws_zip_source(a, &za, &d), 0);
    assert_int_equal(tsk_aws_zip_source(b, &zb, &d), 0);
    assert_int_equal(za.len, zb.len);
    assert_memory_equal(za.ptr, zb.ptr, za.len);
    char *ha = tsk_aws_code_sha256(za.ptr, za.len);
    char *hb = tsk_aws_code_sha256(zb.ptr, zb.len);
    assert_string_equal(ha, hb);
    /* one byte changed: another package */
    put(b, "src/b.php", "<?php // B\n");
    struct tsk_buf zc = TSK_BUF_INIT;
    assert_int_equal(tsk_aws_zip_source(b, &zc, &d), 0);
    char *hc = tsk_aws_code_sha256(zc.ptr, zc.len);
    assert_string_not_equal(ha, hc);
    free(ha);
    free(hb);
    free(hc);
    tsk_buf_release(&za);
    tsk_buf_release(&zb);
    tsk_buf_release(&zc);
    tsk_diags_release(&d);
    rmrf(a);
    rmrf(b);
}

/* Walks the local headers: sorted names, 1980 date, data inflates. */
static void test_aws_zip__entries(void **state)
{
    (void)state;
    char a[] = "/tmp/tsk-zipe-XXXXXX";
    assert_non_null(mkdtemp(a));
    char big[4096];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    put(a, "z.txt", big);
    put(a, "a/b.txt", "b");
    char *exe = tsk_xasprintf("%s/run.sh", a);
    put(a, "run.sh", "#!/bin/sh\n");
    assert_int_equal(chmod(exe, 0755), 0);
    free(exe);
    struct tsk_buf z = TSK_BUF_INIT;
    struct tsk_diags d = {0};
    assert_int_equal(tsk_aws_zip_source(a, &z, &d), 0);
    const unsigned char *p = (const unsigned char *)z.ptr;
    const char *want[] = {"a/b.txt", "run.sh", "z.txt"};
    const char *data[] = {"b", "#!/bin/sh\n", big};
    size_t off = 0;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rd32(p + off), 0x04034b50);
        assert_int_equal(rd16(p + off + 10), 0);      /* time */
        assert_int_equal(rd16(p + off + 12), 0x0021); /* 1980-01-01 */
        unsigned method = rd16(p + off + 8);
        unsigned long csize = rd32(p + off + 18), usize = rd32(p + off + 22);
        unsigned nlen = rd16(p + off + 26);
        assert_int_equal(nlen, strlen(want[i]));
        assert_memory_equal(p + off + 30, want[i], nlen);
        assert_int_equal(usize, strlen(data[i]));
        const unsigned char *cd = p + off + 30 + nlen;
        char *plain = tsk_xmalloc(usize + 1);
        if (method == 0) {
            memcpy(plain, cd, usize);
        } else {
            assert_int_equal(method, 8);
            z_stream s;
            memset(&s, 0, sizeof(s));
            assert_int_equal(inflateInit2(&s, -15), Z_OK);
            s.next_in = (Bytef *)cd;
            s.avail_in = (uInt)csize;
            s.next_out = (Bytef *)plain;
            s.avail_out = (uInt)usize;
            assert_int_equal(inflate(&s, Z_FINISH), Z_STREAM_END);
            inflateEnd(&s);
        }
        assert_memory_equal(plain, data[i], usize);
        assert_int_equal(rd32(p + off + 14),
                         crc32(0, (const Bytef *)data[i], (uInt)usize));
        free(plain);
        off += 30 + nlen + csize;
    }
    /* the central directory: run.sh is executable, the others 0644 */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rd32(p + off), 0x02014b50);
        unsigned long mode = rd32(p + off + 38) >> 16;
        assert_int_equal(mode, i == 1 ? 0100755 : 0100644);
        off += 46 + rd16(p + off + 28);
    }
    assert_int_equal(rd32(p + off), 0x06054b50);
    assert_int_equal(rd16(p + off + 10), 3);
    tsk_buf_release(&z);
    tsk_diags_release(&d);
    rmrf(a);
}

static void test_aws_zip__errors_and_zip_files(void **state)
{
    (void)state;
    char a[] = "/tmp/tsk-zipx-XXXXXX";
    assert_non_null(mkdtemp(a));
    struct tsk_buf z = TSK_BUF_INIT;
    struct tsk_diags d = {0};
    /* an empty folder and a missing path are errors, not crashes */
    assert_int_not_equal(tsk_aws_zip_source(a, &z, &d), 0);
    assert_non_null(strstr(d.v.v[d.v.n - 1].summary, "no files"));
    char *missing = tsk_xasprintf("%s/nope", a);
    assert_int_not_equal(tsk_aws_zip_source(missing, &z, &d), 0);
    /* a file that is not a .zip is refused; a .zip is taken as it is */
    put(a, "code.txt", "x");
    char *txt = tsk_xasprintf("%s/code.txt", a);
    assert_int_equal(tsk_aws_zip_source(txt, &z, &d), TSK_EINVAL);
    put(a, "code.zip", "PK-not-really");
    char *zp = tsk_xasprintf("%s/code.zip", a);
    assert_int_equal(tsk_aws_zip_source(zp, &z, &d), 0);
    assert_int_equal(z.len, strlen("PK-not-really"));
    assert_int_equal(tsk_aws_zip_source(NULL, &z, &d), TSK_EIO);
    free(missing);
    free(txt);
    free(zp);
    tsk_buf_release(&z);
    tsk_diags_release(&d);
    rmrf(a);
}

static void test_aws_zip__code_sha256(void **state)
{
    (void)state;
    char *h = tsk_aws_code_sha256("", 0);
    assert_string_equal(h, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    free(h);
    char *b = aws__base64("foobar", 6);
    assert_string_equal(b, "Zm9vYmFy");
    free(b);
    b = aws__base64("fooba", 5);
    assert_string_equal(b, "Zm9vYmE=");
    free(b);
    b = aws__base64("f", 1);
    assert_string_equal(b, "Zg==");
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aws_zip__same_folder_same_bytes),
        cmocka_unit_test(test_aws_zip__entries),
        cmocka_unit_test(test_aws_zip__errors_and_zip_files),
        cmocka_unit_test(test_aws_zip__code_sha256),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
