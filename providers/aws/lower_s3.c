/*
 * lower_s3.c - s3 events on AWS: one aws_s3_bucket_notification per bucket
 * (the bucket is named by the configuration and must exist), its
 * lambda_function list merging every function that listens to the bucket
 * (entry Id FUNCTION-EVENT, the function by name, events as configured),
 * and per function the
 * aws_lambda_permission that lets S3 invoke it for that bucket, made
 * before the notification (S3 checks it).
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#include "planner/graph.h"

void aws__lower_s3(struct aws_lower *L)
{
    const struct tsk_model *m = L->m;
    for (size_t s = 0; s < m->event_sources.n; s++) {
        const struct tsk_model_event_source *b = &m->event_sources.v[s];
        if (b->kind != TSK_MODEL_EV_S3 || !b->s3.bucket)
            continue;
        /* one node per bucket: the first source naming it makes it */
        int seen = 0;
        for (size_t t = 0; t < s; t++)
            if (m->event_sources.v[t].kind == TSK_MODEL_EV_S3 &&
                m->event_sources.v[t].s3.bucket &&
                strcmp(m->event_sources.v[t].s3.bucket, b->s3.bucket) == 0)
                seen = 1;
        if (seen)
            continue;
        cJSON *a = aws__obj(), *list = aws__arr();
        aws__str(a, "bucket", b->s3.bucket);
        cJSON_AddItemToObject(a, "lambda_function", list);
        uint32_t n = aws__add(L, "aws_s3_bucket_notification", b->s3.bucket,
                              NULL, a, &b->pos, NULL);
        if (n == UINT32_MAX)
            continue;
        char *src = tsk_xasprintf("arn:aws:s3:::%s", b->s3.bucket);
        char *sid = tsk_xasprintf("s3-%s", b->s3.bucket);
        for (size_t i = 0; i < m->functions.n; i++) {
            const struct tsk_model_function *f = &m->functions.v[i];
            for (size_t j = 0; j < f->n_events && L->fn[i] != UINT32_MAX; j++) {
                const struct tsk_model_event_source *e = f->events[j];
                if (e->kind != TSK_MODEL_EV_S3 || !e->s3.bucket ||
                    strcmp(e->s3.bucket, b->s3.bucket) != 0)
                    continue;
                cJSON *en = aws__obj(), *ev = aws__arr();
                char *id = tsk_xasprintf("%s-%s", f->name, e->name);
                aws__str(en, "id", id);
                free(id);
                for (size_t x = 0; x < e->s3.events.n; x++)
                    cJSON_AddItemToArray(ev,
                                         cJSON_CreateString(e->s3.events.v[x]));
                if (!e->s3.events.n)
                    cJSON_AddItemToArray(
                        ev, cJSON_CreateString("s3:ObjectCreated:*"));
                cJSON_AddItemToObject(en, "events", ev);
                aws__str(en, "function_name", f->name);
                cJSON_AddItemToArray(list, en);
                tsk_graph_dep(L->g, n, L->fn[i]);
                uint32_t pm =
                    aws__permission(L, i, e->name, "s3.amazonaws.com", sid, src,
                                    UINT32_MAX, NULL, &e->pos);
                if (pm != UINT32_MAX)
                    tsk_graph_dep(L->g, n, pm);
            }
        }
        free(src);
        free(sid);
    }
}
