/* fmt_diff.c - unified diffs of two texts, line by line (Myers' O(ND)
 * algorithm), for `tuskform fmt -diff` (fmt.h). */
#include "fmt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Past this many edits the diff gives up on being minimal and replaces the
 * whole differing middle (still a correct diff). */
#define MAX_EDITS 1000
#define CONTEXT 3

struct dline {
    const char *s;
    size_t len;
    int no_eol; /* last line without a final newline */
};

enum { OP_EQ, OP_DEL, OP_INS };
struct op {
    int kind;
    size_t a, b; /* line indexes in a and b */
};

static size_t split(const char *t, size_t n, struct dline **out)
{
    size_t cap = 16, m = 0;
    struct dline *v = tsk_xmalloc(cap * sizeof(*v));
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(t + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - t) : n;
        if (m == cap)
            v = tsk_xrealloc(v, (cap *= 2) * sizeof(*v));
        v[m].s = t + i;
        v[m].len = e - i;
        v[m].no_eol = !nl;
        m++;
        i = e + 1;
    }
    *out = v;
    return m;
}

static int eq(const struct dline *x, const struct dline *y)
{
    return x->len == y->len && x->no_eol == y->no_eol &&
           memcmp(x->s, y->s, x->len) == 0;
}

/* Myers on a[0..n) and b[0..m); appends ops (in order) from index a0/b0.
 * Returns 0, or -1 when more than MAX_EDITS edits would be needed. */
static int myers(const struct dline *a, size_t n, const struct dline *b,
                 size_t m, size_t a0, size_t b0, struct op **ops, size_t *nops)
{
    long max = (long)(n + m), dmax = max < MAX_EDITS ? max : MAX_EDITS;
    long off = dmax + 1;
    long *v = tsk_xcalloc((size_t)(2 * off + 1), sizeof(*v));
    /* trace[d][k + d]: v[k] before step d, for k in [-d, d] */
    int32_t **trace = tsk_xcalloc((size_t)dmax + 2, sizeof(*trace));
    long dfound = -1;
    for (long d = 0; d <= dmax && dfound < 0; d++) {
        trace[d] = tsk_xmalloc((size_t)(2 * d + 1) * sizeof(int32_t));
        for (long k = -d; k <= d; k++)
            trace[d][k + d] = (int32_t)v[off + k];
        for (long k = -d; k <= d; k += 2) {
            long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
                         ? v[off + k + 1]
                         : v[off + k - 1] + 1;
            long y = x - k;
            while (x < (long)n && y < (long)m && eq(&a[x], &b[y]))
                x++, y++;
            v[off + k] = x;
            if (x >= (long)n && y >= (long)m) {
                dfound = d;
                break;
            }
        }
    }
    int rc = -1;
    if (dfound >= 0) {
        /* walk back, collecting ops in reverse */
        size_t cap = n + m + 1, k2 = 0;
        struct op *rev = tsk_xmalloc(cap * sizeof(*rev));
        long x = (long)n, y = (long)m;
        for (long d = dfound; d >= 0; d--) {
            const int32_t *pv = trace[d] + d; /* pv[k] = v[k] */
            long k = x - y, pk, px, py;
            if (d == 0) {
                px = py = 0;
            } else {
                pk = (k == -d || (k != d && pv[k - 1] < pv[k + 1])) ? k + 1
                                                                    : k - 1;
                px = pv[pk];
                py = px - pk;
            }
            while (x > px && y > py) {
                x--, y--;
                rev[k2++] = (struct op){OP_EQ, a0 + (size_t)x, b0 + (size_t)y};
            }
            if (d > 0) {
                if (x == px)
                    rev[k2++] = (struct op){OP_INS, a0 + (size_t)x,
                                            b0 + (size_t)py};
                else
                    rev[k2++] = (struct op){OP_DEL, a0 + (size_t)px,
                                            b0 + (size_t)y};
            }
            x = px, y = py;
        }
        for (size_t i = k2; i-- > 0;)
            (*ops)[(*nops)++] = rev[i];
        free(rev);
        rc = 0;
    }
    for (long d = 0; d <= dmax + 1; d++)
        free(trace[d]);
    free(trace);
    free(v);
    return rc;
}

static void put_line(struct tsk_buf *out, char tag, const struct dline *l)
{
    tsk_buf_addch(out, tag);
    tsk_buf_add(out, l->s, l->len);
    tsk_buf_addch(out, '\n');
    if (l->no_eol)
        tsk_buf_adds(out, "\\ No newline at end of file\n");
}

static void hunks(struct tsk_buf *out, const struct op *ops, size_t nops,
                  const struct dline *a, const struct dline *b)
{
    size_t i = 0;
    while (i < nops) {
        while (i < nops && ops[i].kind == OP_EQ)
            i++;
        if (i == nops)
            break;
        /* the hunk spans from CONTEXT lines before this change to CONTEXT
         * lines after the last change closer than 2*CONTEXT lines */
        size_t start = i >= CONTEXT ? i - CONTEXT : 0, end = i;
        for (size_t j = i; j < nops; j++) {
            if (ops[j].kind != OP_EQ) {
                end = j + 1;
            } else if (j - end >= 2 * CONTEXT) {
                break;
            }
        }
        end = end + CONTEXT < nops ? end + CONTEXT : nops;
        size_t na = 0, nb = 0;
        for (size_t j = start; j < end; j++) {
            na += ops[j].kind != OP_INS;
            nb += ops[j].kind != OP_DEL;
        }
        size_t sa = ops[start].a + (na ? 1 : 0), sb = ops[start].b + (nb ? 1 : 0);
        tsk_buf_addf(out, "@@ -%zu,%zu +%zu,%zu @@\n", sa, na, sb, nb);
        for (size_t j = start; j < end; j++) {
            if (ops[j].kind == OP_EQ)
                put_line(out, ' ', &a[ops[j].a]);
            else if (ops[j].kind == OP_DEL)
                put_line(out, '-', &a[ops[j].a]);
            else
                put_line(out, '+', &b[ops[j].b]);
        }
        i = end;
    }
}

void tsk_fmt_diff(struct tsk_buf *out, const char *name, const char *ta,
                  size_t alen, const char *tb, size_t blen)
{
    if (alen == blen && memcmp(ta, tb, alen) == 0)
        return;
    struct dline *a, *b;
    size_t n = split(ta, alen, &a), m = split(tb, blen, &b);
    size_t pre = 0, suf = 0;
    while (pre < n && pre < m && eq(&a[pre], &b[pre]))
        pre++;
    while (suf < n - pre && suf < m - pre &&
           eq(&a[n - 1 - suf], &b[m - 1 - suf]))
        suf++;
    struct op *ops = tsk_xmalloc((n + m + 1) * sizeof(*ops));
    size_t nops = 0;
    for (size_t i = 0; i < pre; i++)
        ops[nops++] = (struct op){OP_EQ, i, i};
    if (myers(a + pre, n - pre - suf, b + pre, m - pre - suf, pre, pre, &ops,
              &nops) != 0) {
        for (size_t i = pre; i < n - suf; i++)
            ops[nops++] = (struct op){OP_DEL, i, pre};
        for (size_t i = pre; i < m - suf; i++)
            ops[nops++] = (struct op){OP_INS, n - suf, i};
    }
    for (size_t i = 0; i < suf; i++)
        ops[nops++] = (struct op){OP_EQ, n - suf + i, m - suf + i};
    tsk_buf_addf(out, "--- a/%s\n+++ b/%s\n", name, name);
    hunks(out, ops, nops, a, b);
    free(ops);
    free(a);
    free(b);
}
