/* test_lexer.c - the tokenizer: kinds, positions (code-point columns),
 * comments and newlines as tokens, strings and numbers. */
#include "unit/lang/helpers.h"

struct lexed {
    struct tsk_src *src;
    struct tsk_diags d;
    struct tsk_token t[64];
    int n;
};

static void lex_all(struct lexed *l, const char *text, int flags)
{
    memset(l, 0, sizeof(*l));
    l->src = tsk_src_new("t.tsk", text, strlen(text));
    struct tsk_lexer lx;
    tsk_lexer_init(&lx, l->src, &l->d, flags);
    do
        tsk_lex_next(&lx, &l->t[l->n]);
    while (l->t[l->n++].kind != TSK_T_EOF && l->n < 64);
}

static void lex_free(struct lexed *l)
{
    tsk_diags_release(&l->d);
    tsk_src_free(l->src);
}

#define TOK(i, k, line_, col_, len_)                                           \
    do {                                                                       \
        assert_int_equal(l.t[i].kind, k);                                      \
        assert_int_equal(l.t[i].pos.line, line_);                              \
        assert_int_equal(l.t[i].pos.col, col_);                                \
        assert_int_equal(l.t[i].len, len_);                                    \
    } while (0)

static void test_basic_tokens(void **state)
{
    (void)state;
    struct lexed l;
    lex_all(&l, "a-1 = $g + @env(\"X\")\n", 0);
    TOK(0, TSK_T_IDENT, 1, 1, 3);
    TOK(1, TSK_T_ASSIGN, 1, 5, 1);
    TOK(2, TSK_T_GLOBAL, 1, 7, 2);
    TOK(3, TSK_T_PLUS, 1, 10, 1);
    TOK(4, TSK_T_FUNC, 1, 12, 4);
    TOK(5, TSK_T_LPAREN, 1, 16, 1);
    TOK(6, TSK_T_STRING, 1, 17, 3);
    TOK(7, TSK_T_RPAREN, 1, 20, 1);
    TOK(8, TSK_T_NEWLINE, 1, 21, 1);
    TOK(9, TSK_T_EOF, 2, 1, 0);
    assert_int_equal(l.d.nerr, 0);
    lex_free(&l);
}

static void test_operators(void **state)
{
    (void)state;
    struct lexed l;
    lex_all(&l, "== != <= >= < > && || ! ? : ; , . [ ] { } ( ) * / % -", 0);
    enum tsk_tok want[] = {
        TSK_T_EQ, TSK_T_NE, TSK_T_LE, TSK_T_GE, TSK_T_LT, TSK_T_GT,
        TSK_T_AND, TSK_T_OR, TSK_T_NOT, TSK_T_QUESTION, TSK_T_COLON,
        TSK_T_SEMI, TSK_T_COMMA, TSK_T_DOT, TSK_T_LBRACKET, TSK_T_RBRACKET,
        TSK_T_LBRACE, TSK_T_RBRACE, TSK_T_LPAREN, TSK_T_RPAREN, TSK_T_STAR,
        TSK_T_SLASH, TSK_T_PERCENT, TSK_T_MINUS, TSK_T_EOF};
    for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
        assert_int_equal(l.t[i].kind, want[i]);
    lex_free(&l);
}

static void test_comments_as_tokens(void **state)
{
    (void)state;
    struct lexed l;
    lex_all(&l, "a = 1 # one\n// two\r\n\nb", TSK_LEX_COMMENTS);
    TOK(0, TSK_T_IDENT, 1, 1, 1);
    TOK(3, TSK_T_COMMENT, 1, 7, 5);
    TOK(4, TSK_T_NEWLINE, 1, 12, 1);
    TOK(5, TSK_T_COMMENT, 2, 1, 6);
    TOK(6, TSK_T_NEWLINE, 2, 7, 2); /* \r\n is one newline token */
    TOK(7, TSK_T_NEWLINE, 3, 1, 1); /* blank line */
    TOK(8, TSK_T_IDENT, 4, 1, 1);
    lex_free(&l);
    /* without the flag comments are skipped */
    lex_all(&l, "a # x\nb", 0);
    TOK(1, TSK_T_NEWLINE, 1, 6, 1);
    TOK(2, TSK_T_IDENT, 2, 1, 1);
    lex_free(&l);
}

static void test_columns_count_code_points(void **state)
{
    (void)state;
    struct lexed l;
    lex_all(&l, "s = \"h\xc3\xa9llo \xe2\x82\xac\" x", 0);
    TOK(2, TSK_T_STRING, 1, 5, 12);
    TOK(3, TSK_T_IDENT, 1, 15, 1); /* 10 code points after the quote */
    lex_free(&l);
}

static void test_numbers(void **state)
{
    (void)state;
    struct lexed l;
    lex_all(&l, "42 007 1.5 2e3 1E-2 9223372036854775807 8000-9000", 0);
    assert_int_equal(l.t[0].kind, TSK_T_INT);
    assert_int_equal(l.t[0].v.i, 42);
    assert_int_equal(l.t[1].v.i, 7);
    assert_int_equal(l.t[2].kind, TSK_T_DOUBLE);
    assert_true(l.t[2].v.d == 1.5);
    assert_int_equal(l.t[3].kind, TSK_T_DOUBLE);
    assert_true(l.t[3].v.d == 2000.0);
    assert_true(l.t[4].v.d == 0.01);
    assert_int_equal(l.t[5].kind, TSK_T_INT);
    assert_true(l.t[5].v.i == INT64_MAX);
    assert_int_equal(l.t[6].kind, TSK_T_RANGE);
    assert_int_equal(l.t[6].v.r.lo, 8000);
    assert_int_equal(l.t[6].v.r.hi, 9000);
    assert_int_equal(l.d.nerr, 0);
    lex_free(&l);
}

static void test_bad_numbers(void **state)
{
    (void)state;
    struct lexed l;
    lex_all(&l, "x 99999999999999999999 12ab 2024-01-01 1e999", 0);
    assert_int_equal(l.t[1].kind, TSK_T_ERROR);
    assert_int_equal(l.t[2].kind, TSK_T_ERROR);
    assert_int_equal(l.t[3].kind, TSK_T_ERROR);
    assert_int_equal(l.t[3].len, 10);
    assert_int_equal(l.t[4].kind, TSK_T_ERROR);
    assert_int_equal(l.d.nerr, 4);
    assert_int_equal(l.d.v.v[0].pos.col, 3);
    assert_int_equal(l.d.v.v[1].pos.col, 24);
    assert_int_equal(l.d.v.v[2].pos.col, 29);
    assert_int_equal(l.d.v.v[3].pos.col, 40);
    lex_free(&l);
}

static void test_string_values(void **state)
{
    (void)state;
    struct lexed l;
    lex_all(&l, "'a\\tb' \"\\u00e9\\u{1F600}\\0\" \"\"\"\nraw \\n \"\"\"", 0);
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_lex_string_value(l.src, &l.t[0], &b);
    assert_string_equal(b.ptr, "a\tb");
    assert_true(l.t[0].flags & TSK_TF_SQUOTE);
    tsk_buf_reset(&b);
    tsk_lex_string_value(l.src, &l.t[1], &b);
    assert_int_equal(b.len, 2 + 4 + 1);
    assert_memory_equal(b.ptr, "\xc3\xa9\xf0\x9f\x98\x80\0", 7);
    tsk_buf_reset(&b);
    assert_int_equal(l.t[2].kind, TSK_T_TSTRING);
    tsk_lex_string_value(l.src, &l.t[2], &b);
    assert_string_equal(b.ptr, "raw \\n ");
    assert_int_equal(l.t[3].kind, TSK_T_EOF);
    assert_int_equal(l.t[3].pos.line, 2);
    tsk_buf_release(&b);
    lex_free(&l);
}

static void test_string_errors(void **state)
{
    (void)state;
    struct lexed l;
    lex_all(&l, "a = \"x\\qy\\u{D800}\" 'open\nb", 0);
    assert_int_equal(l.t[2].kind, TSK_T_ERROR);
    assert_int_equal(l.d.nerr, 3);
    assert_int_equal(l.d.v.v[0].pos.col, 7);  /* the backslash of \q */
    assert_int_equal(l.d.v.v[1].pos.col, 10); /* the backslash of \u{D800} */
    assert_int_equal(l.d.v.v[2].pos.col, 20); /* the opening quote */
    assert_int_equal(l.t[4].kind, TSK_T_NEWLINE);
    lex_free(&l);
}

static void test_tok_names(void **state)
{
    (void)state;
    assert_string_equal(tsk_tok_name(TSK_T_NEWLINE), "end of line");
    assert_string_equal(tsk_tok_name(TSK_T_ASSIGN), "'='");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_tokens),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_comments_as_tokens),
        cmocka_unit_test(test_columns_count_code_points),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_bad_numbers),
        cmocka_unit_test(test_string_values),
        cmocka_unit_test(test_string_errors),
        cmocka_unit_test(test_tok_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
