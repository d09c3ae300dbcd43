/* cost_prices.c - the price table: parsing, lookup by region/arch/component. */
#include "cost.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char tsk_prices_embedded[];

struct price_row {
    char *provider, *region, *arch, *component, *unit, *date;
    double price, tier_limit; /* tier_limit < 0: none (last tier) */
};

struct tsk_price_table {
    TSK_ARRAY(struct price_row) rows;
    char *date; /* newest date */
};

static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++) {
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    }
    return n;
}

static int parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || v < 0)
        return -1;
    *out = v;
    return 0;
}

static int parse_row(struct tsk_price_table *pt, char *line, const char *name,
                     unsigned lineno, struct tsk_diags *d)
{
    char *f[9];
    if (split_tabs(line, f, 9) != 9)
        return tsk_diag_error(d, NULL, "%s:%u: a price row needs 9 "
                              "tab-separated columns", name, lineno);
    struct price_row r = {0};
    if (parse_number(f[5], &r.price) < 0)
        return tsk_diag_error(d, NULL, "%s:%u: price \"%s\" is not a "
                              "non-negative number", name, lineno, f[5]);
    r.tier_limit = -1;
    if (strcmp(f[6], "-") != 0 && parse_number(f[6], &r.tier_limit) < 0)
        return tsk_diag_error(d, NULL, "%s:%u: tier limit \"%s\" is not a "
                              "number or -", name, lineno, f[6]);
    r.provider = tsk_xstrdup(f[0]);
    r.region = tsk_xstrdup(f[1]);
    r.arch = tsk_xstrdup(f[2]);
    r.component = tsk_xstrdup(f[3]);
    r.unit = tsk_xstrdup(f[4]);
    r.date = tsk_xstrdup(f[7]);
    *TSK_ARRAY_PUSH(pt->rows) = r;
    if (!pt->date || strcmp(r.date, pt->date) > 0)
        pt->date = r.date;
    return 0;
}

int tsk_prices_parse(struct tsk_price_table **out, const char *name,
                     const char *text, struct tsk_diags *d)
{
    struct tsk_price_table *pt = tsk_xcalloc(1, sizeof(*pt));
    char *copy = tsk_xstrdup(text), *save = NULL;
    unsigned lineno = 0;
    int rc = 0;
    *out = NULL;
    for (char *p = copy; p; p = save) {
        save = strchr(p, '\n');
        if (save)
            *save++ = '\0';
        lineno++;
        size_t len = strlen(p);
        if (len && p[len - 1] == '\r')
            p[len - 1] = '\0';
        if (p[0] == '#' || p[0] == '\0')
            continue;
        if (parse_row(pt, p, name, lineno, d) < 0)
            rc = TSK_ERROR;
    }
    free(copy);
    if (rc == 0 && pt->rows.n == 0)
        rc = tsk_diag_error(d, NULL, "%s: the price table has no rows", name);
    if (rc) {
        tsk_prices_free(pt);
        return rc;
    }
    *out = pt;
    return 0;
}

int tsk_prices_load(struct tsk_price_table **out, struct tsk_diags *d)
{
    const char *path = getenv("TUSKFORM_PRICES");
    if (!path || !*path)
        return tsk_prices_parse(out, "prices.tsv (built in)",
                                (const char *)tsk_prices_embedded, d);
    struct tsk_buf b = TSK_BUF_INIT;
    if (tsk_read_file(path, &b) < 0) {
        *out = NULL;
        tsk_buf_release(&b);
        return tsk_diag_error(d, NULL, "TUSKFORM_PRICES=%s: %s", path,
                              strerror(errno));
    }
    int rc = tsk_prices_parse(out, path, b.ptr, d);
    tsk_buf_release(&b);
    return rc;
}

void tsk_prices_free(struct tsk_price_table *pt)
{
    if (!pt)
        return;
    for (size_t i = 0; i < pt->rows.n; i++) {
        struct price_row *r = &pt->rows.v[i];
        free(r->provider);
        free(r->region);
        free(r->arch);
        free(r->component);
        free(r->unit);
        free(r->date);
    }
    TSK_ARRAY_FREE(pt->rows);
    free(pt);
}

const char *tsk_prices_date(const struct tsk_price_table *pt)
{
    return pt->date ? pt->date : "unknown";
}

int tsk_prices__has_region(const struct tsk_price_table *pt,
                           const char *region)
{
    for (size_t i = 0; i < pt->rows.n; i++)
        if (strcmp(pt->rows.v[i].region, region) == 0)
            return 1;
    return 0;
}

/*
 * The rows of one component in table order (tiers in ascending order).
 * Returns how many were stored in rows (at most max).
 */
size_t tsk_prices__rows(const struct tsk_price_table *pt, const char *region,
                        int arm64, const char *component, double *prices,
                        double *limits, size_t max)
{
    const char *arch = arm64 ? "arm64" : "x86_64";
    size_t n = 0;
    for (size_t i = 0; i < pt->rows.n && n < max; i++) {
        const struct price_row *r = &pt->rows.v[i];
        if (strcmp(r->provider, "aws_lambda") != 0 ||
            strcmp(r->region, region) != 0 ||
            strcmp(r->component, component) != 0)
            continue;
        if (strcmp(r->arch, arch) != 0 && strcmp(r->arch, "any") != 0)
            continue;
        prices[n] = r->price;
        limits[n] = r->tier_limit;
        n++;
    }
    return n;
}

double tsk_prices_unit(const struct tsk_price_table *pt, const char *region,
                       int arm64, const char *component)
{
    double p[1], l[1];
    if (!region || !tsk_prices__has_region(pt, region))
        region = "us-east-1";
    return tsk_prices__rows(pt, region, arm64, component, p, l, 1) ? p[0]
                                                                   : 0.0;
}
