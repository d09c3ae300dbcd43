/*
 * event_bus.c - aws_cloudwatch_event_bus (EventBridge, JSON 1.1): a custom
 * bus (never `default`, which exists in every account). CreateEventBus
 * with tags, DescribeEventBus plus ListTagsForResource on read,
 * Tag/UntagResource on update, DeleteEventBus. Id: the bus name.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

static const struct tsk_attr_schema attrs[] = {
    {"name", TSK_T_STRING, TSK_A_REQUIRED | TSK_A_FORCE_NEW, NULL, "bus name"},
    {"tags", TSK_T_MAP, TSK_A_OPTIONAL, NULL, "tags"},
    {"arn", TSK_T_STRING, TSK_A_COMPUTED, NULL, "bus ARN"},
    {"id", TSK_T_STRING, TSK_A_COMPUTED, NULL, "bus name"},
    {NULL, 0, 0, NULL, NULL},
};

int aws__ev_tags_read(const struct tsk_rcall *c, const char *arn, cJSON *out,
                      struct tsk_diags *d)
{
    cJSON *b = aws__obj(), *r = NULL;
    aws__str(b, "ResourceARN", arn);
    int rc = aws__rpc(c, "events", "ListTagsForResource", b, 0, &r, d);
    cJSON_Delete(b);
    if (rc == 0) {
        cJSON *t = aws__tag_map(cJSON_GetObjectItemCaseSensitive(r, "Tags"),
                                "Key", "Value");
        if (t)
            cJSON_AddItemToObject(out, "tags", t);
    }
    cJSON_Delete(r);
    return rc;
}

int aws__ev_tags_update(const struct tsk_rcall *c, const char *arn,
                        const cJSON *prior, const cJSON *p, struct tsk_diags *d)
{
    static const struct aws_tagging ev = {.service = "events",
                                          .untag_op = "UntagResource",
                                          .tag_op = "TagResource",
                                          .id_key = "ResourceARN",
                                          .keys_key = "TagKeys",
                                          .tags_key = "Tags",
                                          .as_list = 1};
    return aws__tags_rpc(c, &ev, arn, prior, p, d);
}

static int bus_read(const struct tsk_rcall *c, const char *id,
                    const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    cJSON *b = aws__obj(), *r = NULL;
    (void)prior;
    *out = NULL;
    if (!id || !*id)
        return 0;
    aws__str(b, "Name", id);
    int rc =
        aws__rpc(c, "events", "DescribeEventBus", b, TSK_AWS_NOTFOUND, &r, d);
    cJSON_Delete(b);
    if (rc) {
        cJSON_Delete(r);
        return rc == TSK_ENOTFOUND ? 0 : rc;
    }
    cJSON *o = aws__obj();
    const char *arn = aws__jstr(r, "Arn");
    aws__str(o, "name", aws__jstr(r, "Name"));
    if (arn)
        rc = aws__ev_tags_read(c, arn, o, d);
    aws__str(o, "arn", arn);
    aws__str(o, "id", id);
    cJSON_Delete(r);
    if (rc) {
        cJSON_Delete(o);
        return rc;
    }
    *out = o;
    return 0;
}

static int bus_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                      cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "name");
    cJSON *b = aws__obj(), *t = aws__tags_send(c, p, NULL, NULL);
    *out_id = NULL;
    *out = NULL;
    if (!name || strcmp(name, "default") == 0) {
        cJSON_Delete(b);
        cJSON_Delete(t);
        return tsk_diag_error(d, NULL,
                              "%s: the default event bus exists in "
                              "every account and is not created",
                              c->addr);
    }
    aws__str(b, "Name", name);
    cJSON_AddItemToObject(b, "Tags", aws__tag_list(t, "Key", "Value"));
    cJSON_Delete(t);
    int rc = aws__rpc(c, "events", "CreateEventBus", b, 0, NULL, d);
    cJSON_Delete(b);
    if (rc == 0)
        rc = bus_read(c, name, p, out, d);
    rc = aws__created(c, rc, out, "event bus", name, d);
    if (rc == 0)
        *out_id = tsk_xstrdup(name);
    return rc;
}

static int bus_update(const struct tsk_rcall *c, const char *id,
                      const cJSON *prior, const cJSON *p, cJSON **out,
                      struct tsk_diags *d)
{
    *out = NULL;
    const char *arn = aws__jstr(prior, "arn");
    int rc = arn ? aws__ev_tags_update(c, arn, prior, p, d) : 0;
    return aws__reread(c, rc, bus_read, "event bus", id, p, out, d);
}

static int bus_delete(const struct tsk_rcall *c, const char *id,
                      const cJSON *prior, struct tsk_diags *d)
{
    cJSON *b = aws__obj();
    (void)prior;
    if (!id || !*id || strcmp(id, "default") == 0) {
        cJSON_Delete(b);
        return 0;
    }
    aws__str(b, "Name", id);
    int rc =
        aws__rpc(c, "events", "DeleteEventBus", b, TSK_AWS_NOTFOUND, NULL, d);
    cJSON_Delete(b);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int bus_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                    cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "name");
    *out_id = NULL;
    *out = NULL;
    int rc = name ? bus_read(c, name, p, out, d) : 0;
    if (rc == 0 && *out)
        *out_id = tsk_xstrdup(name);
    return rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_event_bus = {
    .name = "aws_cloudwatch_event_bus",
    .schema = &schema,
    .read = bus_read,
    .create = bus_create,
    .update = bus_update,
    .delete = bus_delete,
    .find = bus_find,
    .import = NULL,
};
