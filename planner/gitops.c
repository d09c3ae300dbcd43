/*
 * gitops.c - the intent diff of two desired graphs, and the commit checks
 * of saved plans and applies. Rendering is in gitops_render.c.
 */
#include "planner/gitops.h"

#include <stdlib.h>
#include <string.h>

#include "planner/attrpath.h"
#include "planner/git.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_res(const void *a, const void *b)
{
    return strcmp(((const struct tsk_intent_res *)a)->addr,
                  ((const struct tsk_intent_res *)b)->addr);
}

/* Replaces every value at a sensitive path of node i with TSK_REDACTED. */
static void redact(cJSON *obj, const struct tsk_graph *g, uint32_t i,
                   const char *prefix)
{
    struct tsk_buf path = TSK_BUF_INIT;
    for (cJSON *c = obj ? obj->child : NULL, *next; c; c = next) {
        next = c->next;
        if (!c->string)
            continue;
        tsk_buf_reset(&path);
        if (prefix)
            tsk_buf_addf(&path, "%s.", prefix);
        tsk_buf_adds(&path, c->string);
        if (tsk_graph_is_sensitive(g, i, path.ptr))
            cJSON_ReplaceItemInObjectCaseSensitive(
                obj, c->string, cJSON_CreateString(TSK_REDACTED));
        else if (cJSON_IsObject(c) &&
                 !cJSON_GetObjectItemCaseSensitive(c, "$ref"))
            redact(c, g, i, path.ptr);
    }
    tsk_buf_release(&path);
}

/*
 * What node i asks for: its configured values, and each reference as
 * {"$ref": "type.name.attr"}, so that rewiring a trigger to another
 * function is a difference like any other.
 */
static cJSON *intent_values(const struct tsk_graph *g, uint32_t i)
{
    const struct tsk_node *n = &g->nodes.v[i];
    cJSON *o = n->attrs ? cJSON_Duplicate(n->attrs, 1) : cJSON_CreateObject();
    for (size_t k = 0; k < n->refs.n; k++) {
        const struct tsk_ref *r = &n->refs.v[k];
        const char *to =
            r->target < g->nodes.n ? g->nodes.v[r->target].addr : "(unknown)";
        char *s = tsk_xasprintf("%s.%s", to, r->target_attr);
        cJSON *ref = cJSON_CreateObject();
        cJSON_AddStringToObject(ref, "$ref", s);
        tsk_path_set_take(o, r->attr, ref);
        free(s);
    }
    return o;
}

static char *pos_str(const struct tsk_pos *p)
{
    if (!p->src)
        return NULL;
    return tsk_xasprintf("%s:%u:%u", p->src->name, p->line, p->col);
}

static struct tsk_intent_res *add_res(struct tsk_intent *in,
                                      const struct tsk_graph *g, uint32_t i,
                                      enum tsk_intent_kind kind)
{
    const struct tsk_node *n = &g->nodes.v[i];
    struct tsk_intent_res *r = TSK_ARRAY_PUSH(in->res);
    r->addr = tsk_xstrdup(n->addr);
    r->type = tsk_xstrdup(n->type);
    r->function = n->function ? tsk_xstrdup(n->function) : NULL;
    r->at = pos_str(&n->pos);
    r->kind = kind;
    return r;
}

/* "a.$ref" -> "a": a reference is one value, not an object. */
static void fold_refs(tsk_strvec *paths)
{
    size_t k = 0;
    for (size_t i = 0; i < paths->n; i++) {
        char *p = paths->v[i], *r = strstr(p, ".$ref");
        if (r && r[5] == '\0')
            *r = '\0';
        if (tsk_strs_has(paths->v, k, p)) {
            free(p);
            continue;
        }
        paths->v[k++] = p;
    }
    paths->n = k;
}

/* The value at path of one side, redacted where sensitive: an object
 * (a whole map added or removed) may hold sensitive entries. */
static cJSON *side(const cJSON *root, const char *path, int sensitive,
                   const struct tsk_graph *g, uint32_t i)
{
    const cJSON *v = tsk_path_get(root, path);
    if (!v)
        return NULL;
    if (sensitive)
        return cJSON_CreateString(TSK_REDACTED);
    cJSON *c = cJSON_Duplicate(v, 1);
    if (cJSON_IsObject(c))
        redact(c, g, i, path);
    return c;
}

/* Compares node bi of base with node hi of head; 1 when they differ. */
static int compare_node(struct tsk_intent *in, const struct tsk_graph *base,
                        uint32_t bi, const struct tsk_graph *head, uint32_t hi)
{
    cJSON *a = intent_values(base, bi), *b = intent_values(head, hi);
    tsk_strvec paths = {0};
    tsk_path_diff(a, b, NULL, &paths);
    fold_refs(&paths);
    if (paths.n) {
        struct tsk_intent_res *r = add_res(in, head, hi, TSK_INTENT_CHANGED);
        qsort(paths.v, paths.n, sizeof(*paths.v), cmp_str);
        for (size_t k = 0; k < paths.n; k++) {
            struct tsk_intent_attr *at = TSK_ARRAY_PUSH(r->attrs);
            at->path = tsk_xstrdup(paths.v[k]);
            at->sensitive = tsk_graph_is_sensitive(base, bi, at->path) ||
                            tsk_graph_is_sensitive(head, hi, at->path);
            at->before = side(a, at->path, at->sensitive, base, bi);
            at->after = side(b, at->path, at->sensitive, head, hi);
        }
    }
    int differ = paths.n > 0;
    tsk_strvec_free(&paths);
    cJSON_Delete(a);
    cJSON_Delete(b);
    return differ;
}

static void add_whole(struct tsk_intent *in, const struct tsk_graph *g,
                      uint32_t i, enum tsk_intent_kind kind)
{
    struct tsk_intent_res *r = add_res(in, g, i, kind);
    r->values = intent_values(g, i);
    redact(r->values, g, i, NULL);
}

/* The function keys of g's nodes, sorted and unique. */
static void functions_of(const struct tsk_graph *g, tsk_strvec *out)
{
    for (size_t i = 0; i < g->nodes.n; i++) {
        const char *f = g->nodes.v[i].function;
        if (f)
            TSK_STRS_ADD_UNIQUE(*out, f);
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof(*out->v), cmp_str);
}

static int has_sorted(const tsk_strvec *v, const char *s)
{
    return v->n && bsearch(&s, v->v, v->n, sizeof(*v->v), cmp_str) != NULL;
}

static void classify_functions(struct tsk_intent *in,
                               const struct tsk_graph *base,
                               const struct tsk_graph *head)
{
    tsk_strvec fb = {0}, fh = {0};
    functions_of(base, &fb);
    functions_of(head, &fh);
    for (size_t i = 0; i < fh.n; i++) {
        if (!has_sorted(&fb, fh.v[i])) {
            *TSK_ARRAY_PUSH(in->fn_added.v) = tsk_xstrdup(fh.v[i]);
            continue;
        }
        for (size_t k = 0; k < in->res.n; k++)
            if (in->res.v[k].function &&
                strcmp(in->res.v[k].function, fh.v[i]) == 0) {
                *TSK_ARRAY_PUSH(in->fn_changed.v) = tsk_xstrdup(fh.v[i]);
                break;
            }
    }
    for (size_t i = 0; i < fb.n; i++)
        if (!has_sorted(&fh, fb.v[i]))
            *TSK_ARRAY_PUSH(in->fn_removed.v) = tsk_xstrdup(fb.v[i]);
    tsk_strvec_free(&fb);
    tsk_strvec_free(&fh);
}

int tsk_intent_diff(struct tsk_intent *out, const struct tsk_graph *base,
                    const struct tsk_graph *head)
{
    memset(out, 0, sizeof(*out));
    for (uint32_t i = 0; i < head->nodes.n; i++) {
        uint32_t bi = tsk_graph_find(base, head->nodes.v[i].addr);
        if (bi == UINT32_MAX) {
            add_whole(out, head, i, TSK_INTENT_ADDED);
            out->added++;
        } else if (compare_node(out, base, bi, head, i)) {
            out->changed++;
        }
    }
    for (uint32_t i = 0; i < base->nodes.n; i++)
        if (tsk_graph_find(head, base->nodes.v[i].addr) == UINT32_MAX) {
            add_whole(out, base, i, TSK_INTENT_REMOVED);
            out->removed++;
        }
    if (out->res.n > 1)
        qsort(out->res.v, out->res.n, sizeof(*out->res.v), cmp_res);
    classify_functions(out, base, head);
    return out->res.n > 0;
}

static void names_release(struct tsk_intent_names *n)
{
    for (size_t i = 0; i < n->v.n; i++)
        free(n->v.v[i]);
    TSK_ARRAY_FREE(n->v);
}

void tsk_intent_release(struct tsk_intent *in)
{
    for (size_t i = 0; i < in->res.n; i++) {
        struct tsk_intent_res *r = &in->res.v[i];
        for (size_t k = 0; k < r->attrs.n; k++) {
            free(r->attrs.v[k].path);
            cJSON_Delete(r->attrs.v[k].before);
            cJSON_Delete(r->attrs.v[k].after);
        }
        TSK_ARRAY_FREE(r->attrs);
        cJSON_Delete(r->values);
        free(r->addr);
        free(r->type);
        free(r->function);
        free(r->at);
    }
    TSK_ARRAY_FREE(in->res);
    names_release(&in->fn_added);
    names_release(&in->fn_removed);
    names_release(&in->fn_changed);
    free(in->base);
    free(in->head);
    free(in->base_commit);
    free(in->head_commit);
    memset(in, 0, sizeof(*in));
}

const char *tsk_gitops_short(const char *commit, char buf[13])
{
    if (!commit || !*commit)
        return "(none)";
    snprintf(buf, 13, "%.12s", commit);
    return buf;
}

/* "commit 0123456789ab (branch main)" or "no git commit". */
static char *describe(const struct tsk_git_info *g)
{
    char s[13];
    if (!g || !g->commit)
        return tsk_xstrdup("no git commit (made outside a repository)");
    if (g->branch)
        return tsk_xasprintf("commit %s (branch %s%s)",
                             tsk_gitops_short(g->commit, s), g->branch,
                             g->dirty ? ", dirty work tree" : "");
    return tsk_xasprintf("commit %s%s", tsk_gitops_short(g->commit, s),
                         g->dirty ? " (dirty work tree)" : "");
}

int tsk_gitops_check_commit(const struct tsk_git_info *planned,
                            const struct tsk_git_info *now, int allow_other,
                            struct tsk_diags *d)
{
    const char *pc = planned ? planned->commit : NULL;
    const char *nc = now ? now->commit : NULL;
    if ((!pc && !nc) || (pc && nc && strcmp(pc, nc) == 0))
        return 0;
    char *was = describe(planned), *is = describe(now);
    if (allow_other) {
        tsk_diag_warning(d, NULL,
                         "Saved plan was made for %s, but %s is "
                         "checked out: applying it anyway "
                         "(-allow-other-commit)",
                         was, is);
    } else {
        tsk_diag_error(d, NULL,
                       "Saved plan was made for %s, but %s is "
                       "checked out",
                       was, is);
        tsk_diag_detail(d, "Check out the commit the plan was made for, make "
                           "a new plan, or pass -allow-other-commit.");
    }
    free(was);
    free(is);
    return allow_other ? 0 : TSK_ECONFLICT;
}

int tsk_gitops_check_clean(const struct tsk_git_info *now, int require_clean,
                           struct tsk_diags *d)
{
    char s[13];
    if (!now || !now->commit) {
        if (!require_clean)
            return 0;
        tsk_diag_error(d, NULL,
                       "-require-clean: the configuration is not in "
                       "a git repository with a commit");
        return TSK_ECONFLICT;
    }
    if (!now->dirty)
        return 0;
    if (require_clean) {
        tsk_diag_error(d, NULL,
                       "-require-clean: the work tree has "
                       "uncommitted changes (at commit %s)",
                       tsk_gitops_short(now->commit, s));
        tsk_diag_detail(d, "Commit or stash them first, or apply without "
                           "-require-clean.");
        return TSK_ECONFLICT;
    }
    tsk_diag_warning(d, NULL,
                     "The work tree has uncommitted changes: this "
                     "apply is recorded against commit %s, which "
                     "does not hold the configuration applied",
                     tsk_gitops_short(now->commit, s));
    return 0;
}

int tsk_gitops_commit_of(struct tsk_git_info *out, const char *dir,
                         const char *git_ref, struct tsk_diags *d)
{
    if (git_ref)
        return tsk_git_ref_info(out, dir, git_ref, d) ? TSK_ERROR : 0;
    if (tsk_git_info(out, dir) != 0)
        memset(out, 0, sizeof(*out)); /* not in a repository: no commit */
    return 0;
}

int tsk_gitops_apply_checks(const char *dir, const struct tsk_git_info *planned,
                            int require_clean, int allow_other_commit,
                            struct tsk_diags *d)
{
    struct tsk_git_info now;
    tsk_gitops_commit_of(&now, dir, NULL, d);
    int rc = tsk_gitops_check_clean(&now, require_clean, d);
    if (planned &&
        tsk_gitops_check_commit(planned, &now, allow_other_commit, d) != 0)
        rc = TSK_ECONFLICT;
    tsk_git_info_release(&now);
    return rc;
}
