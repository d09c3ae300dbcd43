/* test_lazy_data.c - the SQLite, cJSON and zlib shims (planner/util/
 * lazy_sqlite.c, lazy_cjson.c, lazy_zlib.c) forward to the real libraries:
 * results, the variadic sqlite3_db_config's arguments, and memory the
 * libraries return being theirs to free. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <string.h>
#include <zlib.h>

static void test_sqlite_round_trip(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(":memory:", &db,
                                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                     NULL),
                     SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "CREATE TABLE t(k TEXT, v INTEGER)", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?1, ?2)", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_bind_text(st, 1, "key", -1, SQLITE_TRANSIENT),
                     SQLITE_OK);
    assert_int_equal(sqlite3_bind_int64(st, 2, 5000000000ll), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
    assert_int_equal(sqlite3_changes(db), 1);
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT k, v FROM t", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "key");
    assert_int_equal(sqlite3_column_bytes(st, 0), 3);
    assert_true(sqlite3_column_int64(st, 1) == 5000000000ll);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    assert_int_equal(
        sqlite3_exec(db, "SELECT * FROM missing", NULL, NULL, NULL),
        SQLITE_ERROR);
    assert_non_null(strstr(sqlite3_errmsg(db), "missing"));
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    assert_non_null(sqlite3_libversion());
}

/* sqlite3_db_config forwards each option's own arguments. */
static void test_sqlite_db_config(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    int on = -1;
    assert_int_equal(sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on),
                     SQLITE_OK);
    assert_int_equal(on, 1);
    assert_int_equal(sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 0, &on),
                     SQLITE_OK);
    assert_int_equal(on, 0);
    assert_int_equal(sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &on),
                     SQLITE_OK);
    assert_int_equal(on, 0); /* a negative value only queries */
    assert_int_equal(
        sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL),
        SQLITE_OK);
    static const char name[] = "tskmain";
    assert_int_equal(sqlite3_db_config(db, SQLITE_DBCONFIG_MAINDBNAME, name),
                     SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "CREATE TABLE tskmain.t(x)", NULL, NULL, NULL),
        SQLITE_OK);
    int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_LOOKASIDE, NULL, 64, 16);
    assert_true(rc == SQLITE_OK || rc == SQLITE_BUSY);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void test_cjson_round_trip(void **state)
{
    (void)state;
    cJSON *j = cJSON_Parse("{\"a\":[1,true,null],\"b\":\"x\"}");
    assert_non_null(j);
    assert_true(cJSON_IsObject(j));
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, "a");
    assert_true(cJSON_IsArray(a));
    assert_int_equal(cJSON_GetArraySize(a), 3);
    assert_true(cJSON_IsTrue(cJSON_GetArrayItem(a, 1)));
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j, "b")), "x");
    cJSON_AddNumberToObject(j, "n", 2.5);
    char *s = cJSON_PrintUnformatted(j);
    assert_string_equal(s, "{\"a\":[1,true,null],\"b\":\"x\",\"n\":2.5}");
    cJSON_free(s);
    cJSON *d = cJSON_Duplicate(j, 1);
    assert_true(cJSON_Compare(j, d, 1));
    cJSON_Delete(d);
    cJSON_Delete(j);
    assert_null(cJSON_Parse("{bad"));
}

static void test_zlib_round_trip(void **state)
{
    (void)state;
    assert_true(crc32(0, (const Bytef *)"123456789", 9) == 0xCBF43926ul);
    static const char text[] = "tuskform tuskform tuskform tuskform";
    unsigned char comp[128], back[128];
    z_stream z;
    memset(&z, 0, sizeof(z));
    assert_int_equal(
        deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    assert_true(deflateBound(&z, sizeof(text)) <= sizeof(comp));
    z.next_in = (Bytef *)text;
    z.avail_in = sizeof(text);
    z.next_out = comp;
    z.avail_out = sizeof(comp);
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t clen = sizeof(comp) - z.avail_out;
    assert_int_equal(deflateEnd(&z), Z_OK);
    assert_true(clen < sizeof(text));
    memset(&z, 0, sizeof(z));
    assert_int_equal(inflateInit2(&z, -15), Z_OK);
    z.next_in = comp;
    z.avail_in = (uInt)clen;
    z.next_out = back;
    z.avail_out = sizeof(back);
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    assert_int_equal(sizeof(back) - z.avail_out, sizeof(text));
    assert_memory_equal(back, text, sizeof(text));
    inflateEnd(&z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_round_trip),
        cmocka_unit_test(test_sqlite_db_config),
        cmocka_unit_test(test_cjson_round_trip),
        cmocka_unit_test(test_zlib_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
