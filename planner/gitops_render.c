/*
 * gitops_render.c - the intent diff for people (text), machines (JSON) and
 * pull requests (markdown, kept under GitHub's comment limit).
 */
#include "planner/attrpath.h"
#include "planner/gitops.h"
#include "planner/gitops_int.h"

#include <stdlib.h>

#define MD_MAX_ATTRS 8
#define MD_MAX_NAMES 20
#define MD_VALUE_MAX 60
#define TEXT_VALUE_MAX 200
#define MD_FOOTER_ROOM 400

static const char *const kind_sym[] = {"+", "-", "~"};
static const char *const kind_word[] = {"add", "remove", "change"};
static const char *const kind_color[] = {"\033[32m", "\033[31m", "\033[33m"};

/* Appends at most max bytes of s, cut on a UTF-8 boundary, "..." if cut. */
static void add_cut(struct tsk_buf *b, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max) {
        tsk_buf_add(b, s, n);
        return;
    }
    n = max > 3 ? max - 3 : 0;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    tsk_buf_add(b, s, n);
    tsk_buf_adds(b, "...");
}

/* A value as one line: a reference by its address, JSON otherwise. */
void tsk_gitops__value(struct tsk_buf *b, const cJSON *v, int sensitive,
                       size_t max)
{
    const cJSON *ref =
        cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, "$ref") : NULL;
    if (!v) {
        tsk_buf_adds(b, "(none)");
    } else if (sensitive) {
        tsk_buf_adds(b, TSK_REDACTED);
    } else if (cJSON_IsString(ref)) {
        add_cut(b, ref->valuestring, max);
    } else {
        char *s = cJSON_PrintUnformatted(v);
        add_cut(b, s ? s : "?", max);
        cJSON_free(s);
    }
}

static void add_rev(struct tsk_buf *b, const char *ref, const char *commit,
                    const char *quote)
{
    char s[13];
    tsk_buf_adds(b, quote);
    add_cut(b, ref ? ref : "?", 100);
    tsk_buf_addf(b, "%s (%s%s%s)", quote, quote, tsk_gitops_short(commit, s),
                 quote);
}

static void add_names(struct tsk_buf *b, const char *label,
                      const struct tsk_intent_names *n, const char *quote,
                      size_t max, int *first)
{
    if (!n->v.n)
        return;
    tsk_buf_addf(b, "%s%s ", *first ? "" : "; ", label);
    *first = 0;
    for (size_t i = 0; i < n->v.n && i < max; i++)
        tsk_buf_addf(b, "%s%s%s%s", i ? ", " : "", quote, n->v.v[i], quote);
    if (n->v.n > max)
        tsk_buf_addf(b, " and %zu more", n->v.n - max);
}

static void add_functions(struct tsk_buf *b, const struct tsk_intent *in,
                          const char *quote, size_t max)
{
    int first = 1;
    add_names(b, "added", &in->fn_added, quote, max, &first);
    add_names(b, "removed", &in->fn_removed, quote, max, &first);
    add_names(b, "changed", &in->fn_changed, quote, max, &first);
    if (first)
        tsk_buf_adds(b, "none changed");
}

static void add_counts(struct tsk_buf *b, const struct tsk_intent *in)
{
    tsk_buf_addf(b, "%d to add, %d to change, %d to remove", in->added,
                 in->changed, in->removed);
}

void tsk_intent_text(struct tsk_buf *out, const struct tsk_intent *in,
                     int color)
{
    if (!in->res.n) {
        tsk_buf_adds(out, "No changes in intent between ");
        add_rev(out, in->base, in->base_commit, "");
        tsk_buf_adds(out, " and ");
        add_rev(out, in->head, in->head_commit, "");
        tsk_buf_adds(out, ".\n");
        return;
    }
    tsk_buf_adds(out, "Changes in intent from ");
    add_rev(out, in->base, in->base_commit, "");
    tsk_buf_adds(out, " to ");
    add_rev(out, in->head, in->head_commit, "");
    tsk_buf_adds(out, ":\n\nFunctions: ");
    add_functions(out, in, "", SIZE_MAX);
    tsk_buf_adds(out, "\n\n");
    for (size_t i = 0; i < in->res.n; i++) {
        const struct tsk_intent_res *r = &in->res.v[i];
        tsk_buf_addf(out, "  %s%s%s %s", color ? kind_color[r->kind] : "",
                     kind_sym[r->kind], color ? "\033[0m" : "", r->addr);
        if (r->function || r->at)
            tsk_buf_addf(out, "  (%s%s%s%s)", r->function ? "function " : "",
                         r->function ? r->function : "",
                         r->function && r->at ? ", " : "", r->at ? r->at : "");
        tsk_buf_addch(out, '\n');
        for (size_t k = 0; k < r->attrs.n; k++) {
            const struct tsk_intent_attr *a = &r->attrs.v[k];
            tsk_buf_addf(out, "      %s: ", a->path);
            tsk_gitops__value(out, a->before, a->sensitive, TEXT_VALUE_MAX);
            tsk_buf_adds(out, " -> ");
            tsk_gitops__value(out, a->after, a->sensitive, TEXT_VALUE_MAX);
            tsk_buf_addch(out, '\n');
        }
    }
    tsk_buf_adds(out, "\nIntent: ");
    add_counts(out, in);
    tsk_buf_adds(out, ".\n");
}

static cJSON *names_json(const struct tsk_intent_names *n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n->v.n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(n->v.v[i]));
    return a;
}

static cJSON *rev_json(const char *ref, const char *commit)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "ref",
                          ref ? cJSON_CreateString(ref) : cJSON_CreateNull());
    cJSON_AddItemToObject(
        o, "commit", commit ? cJSON_CreateString(commit) : cJSON_CreateNull());
    return o;
}

static cJSON *opt_dup(const cJSON *v)
{
    return v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull();
}

static cJSON *res_json(const struct tsk_intent_res *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "address", r->addr);
    cJSON_AddStringToObject(o, "type", r->type);
    cJSON_AddItemToObject(o, "function",
                          r->function ? cJSON_CreateString(r->function)
                                      : cJSON_CreateNull());
    cJSON_AddStringToObject(o, "change", kind_word[r->kind]);
    cJSON_AddItemToObject(
        o, "at", r->at ? cJSON_CreateString(r->at) : cJSON_CreateNull());
    if (r->kind != TSK_INTENT_CHANGED) {
        cJSON_AddItemToObject(o, "values", opt_dup(r->values));
        return o;
    }
    cJSON *attrs = cJSON_AddArrayToObject(o, "attributes");
    for (size_t k = 0; k < r->attrs.n; k++) {
        const struct tsk_intent_attr *a = &r->attrs.v[k];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "path", a->path);
        cJSON_AddItemToObject(e, "before", opt_dup(a->before));
        cJSON_AddItemToObject(e, "after", opt_dup(a->after));
        cJSON_AddBoolToObject(e, "sensitive", a->sensitive);
        cJSON_AddItemToArray(attrs, e);
    }
    return o;
}

void tsk_intent_json(struct tsk_buf *out, const struct tsk_intent *in)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "format_version", "1.0");
    cJSON_AddItemToObject(doc, "base", rev_json(in->base, in->base_commit));
    cJSON_AddItemToObject(doc, "head", rev_json(in->head, in->head_commit));
    cJSON_AddBoolToObject(doc, "differ", in->res.n > 0);
    cJSON *sum = cJSON_AddObjectToObject(doc, "summary");
    cJSON_AddNumberToObject(sum, "add", in->added);
    cJSON_AddNumberToObject(sum, "change", in->changed);
    cJSON_AddNumberToObject(sum, "remove", in->removed);
    cJSON *fn = cJSON_AddObjectToObject(doc, "functions");
    cJSON_AddItemToObject(fn, "added", names_json(&in->fn_added));
    cJSON_AddItemToObject(fn, "removed", names_json(&in->fn_removed));
    cJSON_AddItemToObject(fn, "changed", names_json(&in->fn_changed));
    cJSON *res = cJSON_AddArrayToObject(doc, "resources");
    for (size_t i = 0; i < in->res.n; i++)
        cJSON_AddItemToArray(res, res_json(&in->res.v[i]));
    char *s = cJSON_PrintUnformatted(doc);
    tsk_buf_adds(out, s ? s : "{}");
    tsk_buf_addch(out, '\n');
    cJSON_free(s);
    cJSON_Delete(doc);
}

/* Text inside a table cell's code span: no pipes, backticks or newlines. */
void tsk_gitops__md_code(struct tsk_buf *b, const char *s)
{
    tsk_buf_addch(b, '`');
    for (; *s; s++) {
        if (*s == '|')
            tsk_buf_adds(b, "\\|");
        else if (*s == '`')
            tsk_buf_addch(b, '\'');
        else if (*s == '\n' || *s == '\r')
            tsk_buf_addch(b, ' ');
        else
            tsk_buf_addch(b, *s);
    }
    tsk_buf_addch(b, '`');
}

void tsk_gitops__md_value(struct tsk_buf *b, const cJSON *v, int sensitive)
{
    struct tsk_buf t = TSK_BUF_INIT;
    tsk_gitops__value(&t, v, sensitive, MD_VALUE_MAX);
    if (!v || sensitive)
        tsk_buf_addf(b, "_%s_", t.ptr);
    else
        tsk_gitops__md_code(b, t.ptr);
    tsk_buf_release(&t);
}

static void md_row(struct tsk_buf *b, const struct tsk_intent_res *r)
{
    tsk_buf_adds(b, "| ");
    tsk_gitops__md_code(b, r->addr);
    tsk_buf_adds(b, " | ");
    if (r->function)
        tsk_gitops__md_code(b, r->function);
    tsk_buf_addf(b, " | %s %s |", kind_sym[r->kind], kind_word[r->kind]);
    for (size_t k = 0; k < r->attrs.n && k < MD_MAX_ATTRS; k++) {
        const struct tsk_intent_attr *a = &r->attrs.v[k];
        tsk_buf_adds(b, k ? "<br>" : " ");
        tsk_gitops__md_code(b, a->path);
        tsk_buf_adds(b, ": ");
        tsk_gitops__md_value(b, a->before, a->sensitive);
        tsk_buf_adds(b, " → ");
        tsk_gitops__md_value(b, a->after, a->sensitive);
    }
    if (r->attrs.n > MD_MAX_ATTRS)
        tsk_buf_addf(b, "<br>and %zu more", r->attrs.n - MD_MAX_ATTRS);
    tsk_buf_adds(b, " |\n");
}

void tsk_intent_md(struct tsk_buf *out, const struct tsk_intent *in)
{
    size_t begin = out->len;
    if (!in->res.n) {
        tsk_buf_adds(out, "### tuskform diff: no changes in intent\n\n");
    } else {
        tsk_buf_adds(out, "### tuskform diff: ");
        add_counts(out, in);
        tsk_buf_adds(out, "\n\n");
    }
    tsk_buf_adds(out, "Desired state of ");
    add_rev(out, in->head, in->head_commit, "`");
    tsk_buf_adds(out, " compared with ");
    add_rev(out, in->base, in->base_commit, "`");
    tsk_buf_adds(out, " (configuration only: no state or credentials "
                      "used).\n\n");
    if (!in->res.n)
        return;
    tsk_buf_adds(out, "**Functions:** ");
    add_functions(out, in, "`", MD_MAX_NAMES);
    tsk_buf_adds(out, "\n\n| Resource | Function | Change | Attributes "
                      "|\n|---|---|---|---|\n");
    struct tsk_buf row = TSK_BUF_INIT;
    size_t i = 0;
    for (; i < in->res.n; i++) {
        tsk_buf_reset(&row);
        md_row(&row, &in->res.v[i]);
        if (out->len - begin + row.len + MD_FOOTER_ROOM > TSK_MD_LIMIT)
            break;
        tsk_buf_add(out, row.ptr, row.len);
    }
    tsk_buf_release(&row);
    if (i < in->res.n) {
        int n[3] = {0, 0, 0};
        for (size_t k = i; k < in->res.n; k++)
            n[in->res.v[k].kind]++;
        tsk_buf_addf(out,
                     "\n_Comment size limit reached: %zu more "
                     "resource%s left out (%d to add, %d to change, %d "
                     "to remove). Run `tuskform diff %s %s` for the "
                     "whole list._\n",
                     in->res.n - i, in->res.n - i == 1 ? "" : "s",
                     n[TSK_INTENT_ADDED], n[TSK_INTENT_CHANGED],
                     n[TSK_INTENT_REMOVED], in->base ? in->base : "BASE",
                     in->head ? in->head : "HEAD");
    }
}
