/*
 * rpc.c - helpers of the AWS provider's part II drivers (event routing,
 * HTTP APIs, notifications, scaling, alarms, budgets, sampling rules): one
 * JSON-protocol or rest-json call returning the parsed body, list-shaped
 * tags, and names that fit a service's length limit.
 *
 * Ownership: *json results belong to the caller; arguments are borrowed.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

int aws__rpc(const struct tsk_rcall *c, const char *service, const char *op,
             const cJSON *body, unsigned quiet, cJSON **json,
             struct tsk_diags *d)
{
    return aws__rest(c, service, op, NULL, NULL, body, quiet, json, d);
}

int aws__rest(const struct tsk_rcall *c, const char *service, const char *op,
              const char *method, const char *path, const cJSON *body,
              unsigned quiet, cJSON **json, struct tsk_diags *d)
{
    struct tsk_aws_resp r;
    struct tsk_aws_req req = {.service = service,
                              .op = op,
                              .method = method,
                              .path = path,
                              .json = body,
                              .quiet = quiet};
    int rc = aws__call(c, &req, &r, 1, d);
    if (json) {
        *json = rc == 0 ? r.json : NULL;
        if (rc == 0)
            r.json = NULL;
        if (rc == 0 && !*json)
            *json = aws__obj();
    }
    tsk_aws_resp_release(&r);
    return rc;
}

cJSON *aws__tag_list(const cJSON *map, const char *kname, const char *vname)
{
    cJSON *l = aws__arr();
    for (const cJSON *e = map ? map->child : NULL; e; e = e->next) {
        if (!cJSON_IsString(e))
            continue;
        cJSON *t = aws__obj();
        aws__str(t, kname, e->string);
        aws__str(t, vname, e->valuestring);
        cJSON_AddItemToArray(l, t);
    }
    return l;
}

cJSON *aws__tag_map(const cJSON *list, const char *kname, const char *vname)
{
    cJSON *m = aws__obj();
    for (const cJSON *e = list ? list->child : NULL; e; e = e->next) {
        const char *k = aws__jstr(e, kname), *v = aws__jstr(e, vname);
        if (k && v) {
            cJSON_DeleteItemFromObjectCaseSensitive(m, k);
            aws__str(m, k, v);
        }
    }
    cJSON *user = aws__tags_user(m);
    cJSON_Delete(m);
    return user;
}

int aws__tags_rpc(const struct tsk_rcall *c, const struct aws_tagging *t,
                  const char *id, const cJSON *prior, const cJSON *planned,
                  struct tsk_diags *d)
{
    if (!aws__changed(prior, planned, "tags"))
        return 0;
    cJSON *gone = aws__tags_gone(prior, planned);
    int rc = 0;
    if (cJSON_GetArraySize(gone) > 0) {
        cJSON *b = aws__obj();
        aws__str(b, t->id_key, id);
        cJSON_AddItemToObject(b, t->keys_key, gone);
        gone = NULL;
        rc = aws__rpc(c, t->service, t->untag_op, b, 0, NULL, d);
        cJSON_Delete(b);
    }
    cJSON_Delete(gone);
    if (rc == 0) {
        cJSON *b = aws__obj(), *tags = aws__tags_send(c, planned, NULL, NULL);
        aws__str(b, t->id_key, id);
        if (t->as_list) {
            cJSON_AddItemToObject(b, t->tags_key,
                                  aws__tag_list(tags, "Key", "Value"));
            cJSON_Delete(tags);
        } else {
            cJSON_AddItemToObject(b, t->tags_key, tags);
        }
        rc = aws__rpc(c, t->service, t->tag_op, b, 0, NULL, d);
        cJSON_Delete(b);
    }
    return rc;
}

char *aws__fit(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return tsk_xstrdup(s);
    /* keep it unique: a short hash of the whole name replaces the tail */
    unsigned long h = 5381;
    for (const char *p = s; *p; p++)
        h = h * 33 + (unsigned char)*p;
    return tsk_xasprintf("%.*s-%08lx", (int)(max - 9), s, h & 0xffffffffUL);
}

void aws__put(cJSON *o, const char *k, cJSON *v)
{
    cJSON_DeleteItemFromObjectCaseSensitive(o, k);
    if (v)
        cJSON_AddItemToObject(o, k, v);
}
