/*
 * render_md.c - the plan as markdown for a pull-request comment: a title
 * with the counts, the cost line, deletions and replacements called out,
 * a table of changes per function, drift and the full text plan in
 * collapsed sections. Kept under GitHub's comment limit.
 */
#include "planner/attrpath.h"
#include "planner/cost_report.h"
#include "planner/render.h"

#include <stdlib.h>

/* GitHub refuses comments over 65,536 characters; leave room. */
#define MD_LIMIT 60000
#define MAX_ATTRS 8
#define MAX_CALLOUTS 50
#define TABLE_LIMIT 30000

/*
 * Appends s as an inline code span that cannot break the table or the
 * span: a backtick becomes ' and a pipe is escaped.
 */
static void code(struct tsk_buf *b, const char *s)
{
    tsk_buf_addch(b, '`');
    for (; *s; s++) {
        if (*s == '|')
            tsk_buf_adds(b, "\\|");
        else
            tsk_buf_addch(b, *s == '`' ? '\'' : *s);
    }
    tsk_buf_addch(b, '`');
}

static const char *action_word(enum tsk_action a)
{
    switch (a) {
    case TSK_CREATE:
        return "+ create";
    case TSK_UPDATE:
        return "~ update";
    case TSK_DELETE:
        return "- destroy";
    case TSK_REPLACE_DC:
        return "-/+ replace";
    case TSK_REPLACE_CD:
        return "+/- replace";
    case TSK_READ:
        return "<= read";
    case TSK_NOOP:
        break;
    }
    return "no-op";
}

static int is_replace(enum tsk_action a)
{
    return a == TSK_REPLACE_DC || a == TSK_REPLACE_CD;
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Top-level attributes that change (unknown ones included), sorted. */
static void changed_attrs(const struct tsk_change *c, tsk_strvec *out)
{
    cJSON *tmp = NULL, *atmp = NULL;
    const cJSON *before = tsk_change_before(c, &tmp);
    const cJSON *after = tsk_change_after(c, &atmp);
    const cJSON *objs[3] = {before, after, c->after_unknown};
    for (int i = 0; i < 3; i++)
        for (const cJSON *k = objs[i] ? objs[i]->child : NULL; k; k = k->next) {
            const char *n = k->string;
            if (tsk_strs_has(out->v, out->n, n))
                continue;
            if (cJSON_GetObjectItemCaseSensitive(c->after_unknown, n) ||
                !tsk_value_eq(cJSON_GetObjectItemCaseSensitive(before, n),
                              cJSON_GetObjectItemCaseSensitive(after, n)))
                *TSK_ARRAY_PUSH(*out) = tsk_xstrdup(n);
        }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof(*out->v), cmpstr);
    cJSON_Delete(tmp);
    cJSON_Delete(atmp);
}

static void attrs_cell(struct tsk_buf *b, const struct tsk_change *c)
{
    if (c->action != TSK_UPDATE && !is_replace(c->action))
        return;
    tsk_strvec v = {0};
    changed_attrs(c, &v);
    for (size_t i = 0; i < v.n && i < MAX_ATTRS; i++) {
        tsk_buf_adds(b, i ? ", " : "");
        code(b, v.v[i]);
        if (tsk_strs_has(c->replace_paths.v, c->replace_paths.n, v.v[i]))
            tsk_buf_adds(b, " (forces replacement)");
    }
    if (v.n > MAX_ATTRS)
        tsk_buf_addf(b, " and %zu more", v.n - MAX_ATTRS);
    tsk_strvec_free(&v);
}

static void title(struct tsk_buf *b, const struct tsk_plan *p, size_t n)
{
    int add, change, destroy;
    tsk_plan_counts(p, &add, &change, &destroy);
    if (p->errored)
        tsk_buf_adds(b, "### :x: tuskform plan failed\n\n");
    else if (p->refresh_only)
        tsk_buf_addf(b,
                     "### tuskform refresh-only plan: %zu object%s "
                     "changed outside tuskform\n\n",
                     p->drift.n, p->drift.n == 1 ? "" : "s");
    else if (!n)
        tsk_buf_adds(b, "### tuskform plan: no changes\n\n");
    else
        tsk_buf_addf(b,
                     "### tuskform plan: %d to add, %d to change, %d to "
                     "destroy\n\n",
                     add, change, destroy);
}

static void callouts(struct tsk_buf *b, const struct tsk_plan *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->changes.n; i++) {
        const struct tsk_change *c = &p->changes.v[i];
        if (c->action != TSK_DELETE && !is_replace(c->action))
            continue;
        if (!n++)
            tsk_buf_adds(b, "> [!CAUTION]\n> This plan destroys or replaces "
                            "resources:\n");
        if (n > MAX_CALLOUTS)
            continue;
        if (c->action == TSK_DELETE) {
            tsk_buf_adds(b, "> - ");
            code(b, c->addr);
            tsk_buf_adds(b, " will be **destroyed**");
            if (c->reason == TSK_REASON_NO_CONFIG)
                tsk_buf_adds(b, " (not in configuration)");
        } else {
            tsk_buf_adds(b, "> - ");
            code(b, c->addr);
            tsk_buf_adds(b, " will be **replaced**");
            if (c->reason == TSK_REASON_TAINTED)
                tsk_buf_adds(b, " (tainted)");
            else if (c->reason == TSK_REASON_REQUESTED)
                tsk_buf_adds(b, " (as requested)");
            for (size_t k = 0; k < c->replace_paths.n; k++) {
                tsk_buf_adds(b, k ? ", " : " (");
                code(b, c->replace_paths.v[k]);
            }
            if (c->replace_paths.n)
                tsk_buf_addf(b, " force%s replacement)",
                             c->replace_paths.n == 1 ? "s" : "");
        }
        tsk_buf_addch(b, '\n');
    }
    if (n > MAX_CALLOUTS)
        tsk_buf_addf(b, "> - and %zu more\n", n - MAX_CALLOUTS);
    if (n)
        tsk_buf_addch(b, '\n');
}

static int row_cmp(const void *a, const void *b)
{
    const struct tsk_change *x = *(const struct tsk_change *const *)a;
    const struct tsk_change *y = *(const struct tsk_change *const *)b;
    if (!x->function != !y->function)
        return x->function ? -1 : 1; /* resources of no function last */
    int c = x->function ? strcmp(x->function, y->function) : 0;
    return c ? c : (x < y ? -1 : x > y);
}

static void table(struct tsk_buf *b, const struct tsk_plan *p)
{
    const struct tsk_change **rows =
        tsk_xmalloc((p->changes.n + 1) * sizeof(*rows));
    size_t n = 0;
    for (size_t i = 0; i < p->changes.n; i++)
        if (p->changes.v[i].action != TSK_NOOP)
            rows[n++] = &p->changes.v[i];
    qsort(rows, n, sizeof(*rows), row_cmp);
    if (n)
        tsk_buf_adds(b, "| Function | Resource | Action | Changed "
                        "attributes |\n|---|---|---|---|\n");
    size_t start = b->len;
    for (size_t i = 0; i < n; i++) {
        const struct tsk_change *c = rows[i];
        if (b->len - start > TABLE_LIMIT) {
            tsk_buf_addf(b,
                         "\n_... and %zu more changes: see the full "
                         "plan._\n",
                         n - i);
            break;
        }
        if (c->function) {
            tsk_buf_adds(b, "| ");
            code(b, c->function);
            tsk_buf_addch(b, ' ');
        } else {
            tsk_buf_adds(b, "| (none) ");
        }
        tsk_buf_adds(b, "| ");
        code(b, c->addr);
        tsk_buf_addf(b, " | %s |", action_word(c->action));
        struct tsk_buf cell = TSK_BUF_INIT;
        attrs_cell(&cell, c);
        tsk_buf_addf(b, "%s%s |\n", cell.len ? " " : "", cell.ptr);
        tsk_buf_release(&cell);
    }
    if (n)
        tsk_buf_addch(b, '\n');
    free(rows);
}

void tsk_render_md_drift(struct tsk_buf *out, const struct tsk_plan *p,
                         const struct tsk_render_opts *o)
{
    (void)o;
    if (!p->drift.n)
        return;
    tsk_buf_addf(out,
                 "<details><summary>Drift: %zu object%s changed outside "
                 "tuskform</summary>\n\n| Resource | Drift | "
                 "Attributes |\n|---|---|---|\n",
                 p->drift.n, p->drift.n == 1 ? "" : "s");
    for (size_t i = 0; i < p->drift.n; i++) {
        const struct tsk_drift *dr = &p->drift.v[i];
        tsk_buf_adds(out, "| ");
        code(out, dr->addr);
        tsk_buf_addf(out, " | %s |",
                     dr->kind == TSK_DRIFT_DELETED ? "deleted" : "changed");
        for (size_t k = 0; k < dr->paths.n && k < MAX_ATTRS; k++) {
            tsk_buf_adds(out, k ? ", " : " ");
            code(out, dr->paths.v[k]);
        }
        if (dr->paths.n > MAX_ATTRS)
            tsk_buf_addf(out, " and %zu more", dr->paths.n - MAX_ATTRS);
        tsk_buf_adds(out, " |\n");
    }
    tsk_buf_adds(out, "\n</details>\n\n");
}

/* The text plan with each line's first action symbol moved to column 0
 * ('~' as '!') so that a ```diff block colours it. */
static void diff_block(struct tsk_buf *b, const char *text, size_t limit)
{
    tsk_buf_adds(b, "```diff\n");
    size_t start = b->len;
    for (const char *l = text; *l;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        if (b->len - start > limit) {
            tsk_buf_adds(b, "... (truncated: run `tuskform show PLANFILE` "
                            "for the whole plan)\n");
            break;
        }
        size_t ind = 0;
        while (ind < len && l[ind] == ' ')
            ind++;
        if (ind > 0 && ind < len && strchr("+-~", l[ind])) {
            tsk_buf_addch(b, l[ind] == '~' ? '!' : l[ind]);
            tsk_buf_add(b, l, ind);
            tsk_buf_add(b, l + ind + 1, len - ind - 1);
        } else {
            tsk_buf_add(b, l, len);
        }
        tsk_buf_addch(b, '\n');
        l += len + (nl ? 1 : 0);
    }
    tsk_buf_adds(b, "```\n");
}

void tsk_render_md(struct tsk_buf *out, const struct tsk_plan *p,
                   const struct tsk_render_opts *o)
{
    size_t n = 0;
    for (size_t i = 0; i < p->changes.n; i++)
        n += p->changes.v[i].action != TSK_NOOP;
    size_t begin = out->len;
    title(out, p, n);
    if (p->cost) {
        tsk_cost_render_md_line(out, p->cost);
        tsk_buf_addch(out, '\n');
    }
    if (!p->errored && !p->refresh_only && !n)
        tsk_buf_adds(out, "Your infrastructure matches the configuration.\n\n");
    callouts(out, p);
    table(out, p);
    if (p->cost && tsk_cost_changed_count(p->cost) > 0) {
        tsk_buf_adds(out, "<details><summary>Cost breakdown</summary>\n\n");
        tsk_cost_render_md_table(out, p->cost, 50);
        tsk_buf_adds(out, "\n</details>\n\n");
    }
    tsk_render_md_drift(out, p, o);
    if (!n && !p->drift.n)
        return;
    struct tsk_render_opts plain = {0, o ? o->show_sensitive : 0};
    struct tsk_buf text = TSK_BUF_INIT;
    tsk_render_text(&text, p, &plain);
    size_t used = out->len - begin;
    tsk_buf_adds(out, "<details><summary>Full plan</summary>\n\n");
    diff_block(out, text.ptr, used < MD_LIMIT ? MD_LIMIT - used : 0);
    tsk_buf_adds(out, "\n</details>\n");
    tsk_buf_release(&text);
}
