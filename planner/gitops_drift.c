/*
 * gitops_drift.c - the drift report of `tuskform drift` for machines (JSON:
 * per resource, each drifted attribute path with its state and cloud
 * values, deleted objects, a summary) and for issues and chat (markdown).
 */
#include "planner/attrpath.h"
#include "planner/gitops.h"
#include "planner/gitops_int.h"

#include <stdlib.h>

#define MD_MAX_PATHS 8

static int is_sensitive(const struct tsk_drift *dr, const char *path)
{
    return tsk_path_covered((const char *const *)dr->sensitive.v,
                            dr->sensitive.n, path);
}

static cJSON *value_json(const cJSON *root, const char *path, int redact)
{
    const cJSON *v = tsk_path_get(root, path);
    if (!v)
        return cJSON_CreateNull();
    return redact ? cJSON_CreateString(TSK_REDACTED) : cJSON_Duplicate(v, 1);
}

static void count(const struct tsk_plan *p, size_t *changed, size_t *deleted)
{
    *changed = *deleted = 0;
    for (size_t i = 0; i < p->drift.n; i++) {
        if (p->drift.v[i].kind == TSK_DRIFT_DELETED)
            (*deleted)++;
        else
            (*changed)++;
    }
}

static cJSON *drift_res_json(const struct tsk_drift *dr, int show_sensitive)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "address", dr->addr);
    cJSON_AddStringToObject(o, "type", dr->type ? dr->type : "");
    cJSON_AddItemToObject(
        o, "id", dr->id ? cJSON_CreateString(dr->id) : cJSON_CreateNull());
    int deleted = dr->kind == TSK_DRIFT_DELETED;
    cJSON_AddStringToObject(o, "status", deleted ? "deleted" : "changed");
    if (deleted)
        return o;
    cJSON *attrs = cJSON_AddArrayToObject(o, "attributes");
    for (size_t k = 0; k < dr->paths.n; k++) {
        const char *path = dr->paths.v[k];
        int sens = is_sensitive(dr, path);
        cJSON *a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "path", path);
        cJSON_AddItemToObject(
            a, "state",
            value_json(dr->state_attrs, path, sens && !show_sensitive));
        cJSON_AddItemToObject(
            a, "remote",
            value_json(dr->remote_attrs, path, sens && !show_sensitive));
        cJSON_AddBoolToObject(a, "sensitive", sens);
        cJSON_AddItemToArray(attrs, a);
    }
    return o;
}

cJSON *tsk_gitops_drift_json(const struct tsk_plan *p, size_t remaining,
                             int show_sensitive)
{
    size_t changed, deleted;
    count(p, &changed, &deleted);
    cJSON *o = cJSON_CreateObject();
    cJSON *sum = cJSON_AddObjectToObject(o, "summary");
    cJSON_AddNumberToObject(sum, "managed", (double)(remaining + deleted));
    cJSON_AddNumberToObject(sum, "in_sync", (double)(remaining - changed));
    cJSON_AddNumberToObject(sum, "drifted", (double)(changed + deleted));
    cJSON_AddNumberToObject(sum, "changed", (double)changed);
    cJSON_AddNumberToObject(sum, "deleted", (double)deleted);
    cJSON *res = cJSON_AddArrayToObject(o, "resources");
    for (size_t i = 0; i < p->drift.n; i++)
        cJSON_AddItemToArray(res,
                             drift_res_json(&p->drift.v[i], show_sensitive));
    return o;
}

static void md_attr_row(struct tsk_buf *out, const struct tsk_drift *dr,
                        const char *path, int show_sensitive)
{
    int sens = is_sensitive(dr, path) && !show_sensitive;
    tsk_buf_adds(out, "| ");
    tsk_gitops__md_code(out, dr->addr);
    tsk_buf_adds(out, " | changed | ");
    tsk_gitops__md_code(out, path);
    tsk_buf_adds(out, " | ");
    tsk_gitops__md_value(out, tsk_path_get(dr->state_attrs, path), sens);
    tsk_buf_adds(out, " | ");
    tsk_gitops__md_value(out, tsk_path_get(dr->remote_attrs, path), sens);
    tsk_buf_adds(out, " |\n");
}

void tsk_gitops_drift_md(struct tsk_buf *out, const struct tsk_plan *p,
                         size_t remaining, int show_sensitive)
{
    size_t changed, deleted;
    count(p, &changed, &deleted);
    size_t managed = remaining + deleted;
    if (!p->drift.n) {
        tsk_buf_addf(out,
                     "### tuskform drift: no drift\n\nThe %zu managed "
                     "object%s match%s the state.\n",
                     managed, managed == 1 ? "" : "s",
                     managed == 1 ? "es" : "");
        return;
    }
    tsk_buf_addf(out,
                 "### :warning: tuskform drift: %zu of %zu managed "
                 "object%s changed outside tuskform\n\n%zu changed, "
                 "%zu deleted.\n\n| Resource | Drift | Attribute | In "
                 "state | In the cloud |\n|---|---|---|---|---|\n",
                 changed + deleted, managed, managed == 1 ? "" : "s", changed,
                 deleted);
    for (size_t i = 0; i < p->drift.n; i++) {
        const struct tsk_drift *dr = &p->drift.v[i];
        if (dr->kind == TSK_DRIFT_DELETED) {
            tsk_buf_adds(out, "| ");
            tsk_gitops__md_code(out, dr->addr);
            tsk_buf_adds(out, " | **deleted** | | | _(none)_ |\n");
            continue;
        }
        for (size_t k = 0; k < dr->paths.n && k < MD_MAX_PATHS; k++)
            md_attr_row(out, dr, dr->paths.v[k], show_sensitive);
        if (dr->paths.n > MD_MAX_PATHS) {
            tsk_buf_adds(out, "| ");
            tsk_gitops__md_code(out, dr->addr);
            tsk_buf_addf(out, " | changed | and %zu more | | |\n",
                         dr->paths.n - MD_MAX_PATHS);
        }
    }
    tsk_buf_adds(out, "\n`tuskform plan` shows how apply would put these "
                      "objects back as configured; `tuskform drift -json` "
                      "gives the whole report.\n");
}
