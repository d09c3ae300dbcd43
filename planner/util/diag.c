/* diag.c - diagnostics with source positions, printed compiler-style. */
#include "util.h"

#include <stdlib.h>
#include <string.h>

void tsk_diags_add(struct tsk_diags *d, enum tsk_sev sev,
                   const struct tsk_pos *at, const char *fmt, va_list ap)
{
    if (sev == TSK_SEV_ERROR) {
        d->nerr++;
        if (d->max_errors && d->nerr > d->max_errors) {
            d->dropped++;
            d->last_dropped = 1;
            return;
        }
    } else {
        d->nwarn++;
    }
    d->last_dropped = 0;
    struct tsk_diag *dg = TSK_ARRAY_PUSH(d->v);
    struct tsk_buf b = TSK_BUF_INIT;
    dg->sev = sev;
    if (at)
        dg->pos = *at;
    tsk_buf_vaddf(&b, fmt, ap);
    dg->summary = tsk_buf_detach(&b, NULL);
}

int tsk_diag_error(struct tsk_diags *d, const struct tsk_pos *at,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tsk_diags_add(d, TSK_SEV_ERROR, at, fmt, ap);
    va_end(ap);
    return TSK_ERROR;
}

void tsk_diag_warning(struct tsk_diags *d, const struct tsk_pos *at,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tsk_diags_add(d, TSK_SEV_WARNING, at, fmt, ap);
    va_end(ap);
}

/* The last diagnostic, unless it was dropped past max_errors. */
static struct tsk_diag *last(struct tsk_diags *d)
{
    if (d->last_dropped || d->v.n == 0)
        return NULL;
    return &d->v.v[d->v.n - 1];
}

void tsk_diag_detail(struct tsk_diags *d, const char *fmt, ...)
{
    struct tsk_diag *dg = last(d);
    struct tsk_buf b = TSK_BUF_INIT;
    va_list ap;
    if (!dg)
        return;
    if (dg->detail) {
        tsk_buf_adds(&b, dg->detail);
        tsk_buf_addch(&b, '\n');
        free(dg->detail);
    }
    va_start(ap, fmt);
    tsk_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    dg->detail = tsk_buf_detach(&b, NULL);
}

void tsk_diag_addr(struct tsk_diags *d, const char *addr)
{
    struct tsk_diag *dg = last(d);
    if (!dg)
        return;
    free(dg->addr);
    dg->addr = addr ? tsk_xstrdup(addr) : NULL;
}

static int cmp_pos(const void *pa, const void *pb)
{
    const struct tsk_diag *a = pa, *b = pb;
    const char *fa = a->pos.src ? a->pos.src->name : "";
    const char *fb = b->pos.src ? b->pos.src->name : "";
    int c = strcmp(fa, fb);
    if (c)
        return c;
    if (a->pos.line != b->pos.line)
        return a->pos.line < b->pos.line ? -1 : 1;
    if (a->pos.col != b->pos.col)
        return a->pos.col < b->pos.col ? -1 : 1;
    return 0;
}

void tsk_diags_sort(struct tsk_diags *d)
{
    /* insertion sort: stable, and diagnostics lists are short */
    for (size_t i = 1; i < d->v.n; i++) {
        struct tsk_diag t = d->v.v[i];
        size_t j = i;
        while (j > 0 && cmp_pos(&d->v.v[j - 1], &t) > 0) {
            d->v.v[j] = d->v.v[j - 1];
            j--;
        }
        d->v.v[j] = t;
    }
}

void tsk_diags_release(struct tsk_diags *d)
{
    for (size_t i = 0; i < d->v.n; i++) {
        free(d->v.v[i].addr);
        free(d->v.v[i].summary);
        free(d->v.v[i].detail);
    }
    TSK_ARRAY_FREE(d->v);
    d->nerr = d->nwarn = d->dropped = 0;
}

void tsk_diags_move(struct tsk_diags *dst, struct tsk_diags *src)
{
    for (size_t i = 0; i < src->v.n; i++) {
        const struct tsk_diag *s = &src->v.v[i];
        if (s->sev == TSK_SEV_ERROR)
            tsk_diag_error(dst, &s->pos, "%s", s->summary);
        else
            tsk_diag_warning(dst, &s->pos, "%s", s->summary);
        if (s->detail)
            tsk_diag_detail(dst, "%s", s->detail);
        if (s->addr)
            tsk_diag_addr(dst, s->addr);
    }
    tsk_diags_release(src);
    memset(src, 0, sizeof(*src));
}

/* Prints the source line of pos and a caret under its column. */
static void print_excerpt(const struct tsk_pos *pos, FILE *out)
{
    const char *text = pos->src->text;
    size_t len = pos->src->len, off = pos->off;
    if (off > len)
        return;
    size_t start = off, end = off;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    while (end < len && text[end] != '\n' && text[end] != '\r')
        end++;
    fprintf(out, "    %.*s\n    ", (int)(end - start), text + start);
    for (size_t i = start; i < off; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c & 0xC0) == 0x80)
            continue; /* UTF-8 continuation byte: same column */
        fputc(c == '\t' ? '\t' : ' ', out);
    }
    fputs("^\n", out);
}

void tsk_diag_print(const struct tsk_diag *dg, FILE *out, int color)
{
    const char *sev = dg->sev == TSK_SEV_ERROR ? "error" : "warning";
    const char *on = "", *off = "", *bold = "";
    if (color) {
        on = dg->sev == TSK_SEV_ERROR ? "\033[1;31m" : "\033[1;35m";
        off = "\033[0m";
        bold = "\033[1m";
    }
    if (dg->pos.src)
        fprintf(out, "%s%s:%u:%u:%s ", bold, dg->pos.src->name, dg->pos.line,
                dg->pos.col, off);
    else if (dg->addr)
        fprintf(out, "%s%s:%s ", bold, dg->addr, off);
    fprintf(out, "%s%s:%s %s\n", on, sev, off, dg->summary);
    if (dg->pos.src && dg->pos.line)
        print_excerpt(&dg->pos, out);
    if (dg->detail) {
        const char *p = dg->detail;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            fprintf(out, "    %.*s\n", (int)n, p);
            p += n + (nl != NULL);
        }
    }
}

void tsk_diags_print(const struct tsk_diags *d, FILE *out, int color)
{
    for (size_t i = 0; i < d->v.n; i++)
        tsk_diag_print(&d->v.v[i], out, color);
    if (d->dropped)
        fprintf(out, "tuskform: %d more error(s) not shown\n", d->dropped);
}

size_t tsk_edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    size_t *row = tsk_xmalloc((lb + 1) * sizeof(*row));
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t sub = diag + (a[i - 1] != b[j - 1]);
            size_t best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            diag = up;
        }
    }
    size_t r = row[lb];
    free(row);
    return r > cap ? cap + 1 : r;
}

const char *tsk_did_you_mean(const char *word, const char *const *cands,
                             size_t n)
{
    size_t cap = strlen(word) / 3 + 1, best = cap + 1;
    const char *pick = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t dist = tsk_edit_distance(word, cands[i], cap);
        if (dist < best) {
            best = dist;
            pick = cands[i];
        }
    }
    return pick;
}
