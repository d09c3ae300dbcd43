/*
 * model_events.c - [serverless_architecture.authorizers] and
 * [serverless_architecture.events]: the kind of each event source (its
 * `type`, else its name), the keys of that kind, required keys and
 * schedule expressions.
 */
#include "model_internal.h"

#include <stdlib.h>
#include <strings.h>

static const char *const kind_names[] = {"http",     "s3",      "sqs",
                                         "dynamodb", "kinesis", "schedule"};
static const char *const kind_what[] = {
    "an http event source",   "an s3 event source",
    "an sqs event source",    "a dynamodb event source",
    "a kinesis event source", "a schedule event source"};

const char *tsk_model_event_kind_name(enum tsk_model_event_kind k)
{
    return (unsigned)k < 6 ? kind_names[k] : "?";
}

static int kind_of(const char *s, enum tsk_model_event_kind *k)
{
    if (!s)
        return 0;
    if (strcasecmp(s, "eventbridge") == 0) {
        *k = TSK_MODEL_EV_SCHEDULE;
        return 1;
    }
    for (int i = 0; i < 6; i++) {
        if (strcasecmp(s, kind_names[i]) == 0) {
            *k = (enum tsk_model_event_kind)i;
            return 1;
        }
    }
    return 0;
}

static void authorizer(struct tsk_model__ctx *c, const struct tsk_entry *e)
{
    struct tsk_model_authorizer *a = TSK_ARRAY_PUSH(c->m->authorizers);
    struct tsk_model__where w = {.path = "serverless_architecture.authorizers",
                                 .name = e->key};
    const struct tsk_value *v[AU__N];
    a->name = e->key;
    a->pos = e->key_pos;
    a->type = "jwt";
    const struct tsk_table *t = tsk_model__table(&e->val, &w, c->d);
    if (!t)
        return;
    tsk_model__check(t, &tsk_model__au, &w, v, c->d);
    if (v[AU_TYPE])
        a->type = "jwt";
    a->issuer = tsk_model__str(v[AU_ISSUER]);
    if (!tsk_table_get(t, "issuer"))
        tsk_diag_error(c->d, &e->key_pos, "authorizer \"%s\" has no issuer",
                       e->key);
    else if (a->issuer && strncmp(a->issuer, "https://", 8) != 0)
        tsk_diag_error(c->d, &v[AU_ISSUER]->pos,
                       "issuer must be an "
                       "https:// URL, not \"%s\"",
                       a->issuer);
    tsk_model__strs(c->m, v[AU_AUDIENCE], &a->audience);
    if (!tsk_table_get(t, "audience"))
        tsk_diag_error(c->d, &e->key_pos,
                       "authorizer \"%s\" has no "
                       "audience",
                       e->key);
    else if (v[AU_AUDIENCE] && a->audience.n == 0)
        tsk_diag_error(c->d, &v[AU_AUDIENCE]->pos,
                       "audience must name at "
                       "least one audience");
}

static int need(struct tsk_model__ctx *c, const struct tsk_entry *e,
                const struct tsk_table *t, const char *key,
                enum tsk_model_event_kind k)
{
    if (tsk_table_get(t, key))
        return 1;
    tsk_diag_error(c->d, &e->key_pos, "%s event source \"%s\" has no %s",
                   kind_names[k], e->key, key);
    return 0;
}

/* Number of a rate(N unit) expression, or -1. */
static int check_rate(const char *s, const char **why)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (end == s || n <= 0) {
        *why = "rate needs a positive whole number: rate(5 minutes)";
        return -1;
    }
    while (*end == ' ')
        end++;
    static const char *const units[] = {"minute", "hour", "day"};
    for (int i = 0; i < 3; i++) {
        size_t len = strlen(units[i]);
        if (strncmp(end, units[i], len) != 0)
            continue;
        int plural = end[len] == 's';
        if (strcmp(end + len + plural, ")") != 0)
            break;
        if ((n == 1) == plural) {
            *why = n == 1 ? "use the singular unit with 1: rate(1 minute)"
                          : "use a plural unit above 1: rate(5 minutes)";
            return -1;
        }
        return 0;
    }
    *why = "the unit is minute(s), hour(s) or day(s)";
    return -1;
}

static int check_cron(const char *s, const char **why)
{
    int fields = 0, in = 0;
    for (; *s && *s != ')'; s++) {
        if (*s == ' ') {
            in = 0;
        } else if (!in) {
            in = 1;
            fields++;
        }
    }
    if (*s != ')' || s[1] != '\0') {
        *why = "a cron expression ends with ')'";
        return -1;
    }
    if (fields != 6) {
        *why = "cron takes 6 fields: minutes hours day-of-month month "
               "day-of-week year, e.g. cron(0 2 * * ? *)";
        return -1;
    }
    return 0;
}

static void check_schedule(struct tsk_model__ctx *c, const struct tsk_value *v)
{
    const char *s = v->u.str.s, *why = NULL;
    if (strncmp(s, "rate(", 5) == 0)
        check_rate(s + 5, &why);
    else if (strncmp(s, "cron(", 5) == 0)
        check_cron(s + 5, &why);
    else
        why = "write rate(5 minutes) or cron(0 2 * * ? *)";
    if (why) {
        tsk_diag_error(c->d, &v->pos,
                       "schedule \"%s\" is not a valid "
                       "schedule expression",
                       s);
        tsk_diag_detail(c->d, "%s", why);
    }
}

static void fill(struct tsk_model__ctx *c, struct tsk_model_event_source *s,
                 const struct tsk_entry *e, const struct tsk_table *t,
                 const struct tsk_value *const *v)
{
    struct tsk_model *m = c->m;
    switch (s->kind) {
    case TSK_MODEL_EV_HTTP:
        s->http.cors = tsk_model__bool(v[EV_CORS], 0);
        tsk_model__resolve_authorizer(c, s, v[EV_AUTHORIZER]);
        break;
    case TSK_MODEL_EV_S3:
        need(c, e, t, "bucket", s->kind);
        s->s3.bucket = tsk_model__str(v[EV_BUCKET]);
        tsk_model__strs(m, v[EV_S3_EVENTS], &s->s3.events);
        for (size_t i = 0; i < s->s3.events.n; i++)
            if (strncmp(s->s3.events.v[i], "s3:", 3) != 0)
                tsk_diag_error(c->d, &s->s3.events.pos[i],
                               "S3 event type "
                               "\"%s\" must start with \"s3:\" (e.g. "
                               "s3:ObjectCreated:*)",
                               s->s3.events.v[i]);
        break;
    case TSK_MODEL_EV_SQS:
        need(c, e, t, "queue", s->kind);
        s->sqs.queue = tsk_model__str(v[EV_QUEUE]);
        s->sqs.batch_size = (int)tsk_model__int(v[EV_BATCH], 10);
        s->sqs.batching_window = (int)tsk_model__int(v[EV_WINDOW], 0);
        if (s->sqs.batch_size > 10 && s->sqs.batching_window < 1)
            tsk_diag_error(c->d, &v[EV_BATCH]->pos,
                           "an sqs batch_size "
                           "above 10 needs maximum_batching_window = 1..300 "
                           "(seconds)");
        break;
    case TSK_MODEL_EV_DYNAMODB:
    case TSK_MODEL_EV_KINESIS:
        s->stream.stream = tsk_model__str(v[EV_STREAM]);
        s->stream.table = tsk_model__str(v[EV_TABLE]);
        if (s->kind == TSK_MODEL_EV_KINESIS)
            need(c, e, t, "stream", s->kind);
        else if (!tsk_table_get(t, "stream") && !tsk_table_get(t, "table"))
            tsk_diag_error(c->d, &e->key_pos,
                           "dynamodb event source \"%s\" "
                           "needs stream (an ARN or a table name) or table",
                           e->key);
        else if (v[EV_STREAM] && v[EV_TABLE])
            tsk_diag_error(c->d, &v[EV_TABLE]->pos,
                           "give stream or table, "
                           "not both");
        s->stream.batch_size = (int)tsk_model__int(v[EV_BATCH], 100);
        s->stream.batching_window = (int)tsk_model__int(v[EV_WINDOW], 0);
        s->stream.starting_position =
            v[EV_START] && strcasecmp(v[EV_START]->u.str.s, "TRIM_HORIZON") == 0
                ? "TRIM_HORIZON"
                : "LATEST";
        break;
    case TSK_MODEL_EV_SCHEDULE:
        need(c, e, t, "schedule", s->kind);
        s->schedule.expression = tsk_model__str(v[EV_SCHEDULE]);
        if (v[EV_SCHEDULE])
            check_schedule(c, v[EV_SCHEDULE]);
        break;
    }
}

static void event_source(struct tsk_model__ctx *c, const struct tsk_entry *e)
{
    struct tsk_model_event_source *s = TSK_ARRAY_PUSH(c->m->event_sources);
    struct tsk_model__where w = {.path = "serverless_architecture.events",
                                 .name = e->key};
    const struct tsk_value *v[EV__N];
    s->name = e->key;
    s->pos = e->key_pos;
    const struct tsk_table *t = tsk_model__table(&e->val, &w, c->d);
    if (!t)
        return;
    const struct tsk_value *type = tsk_table_get(t, "type");
    enum tsk_model_event_kind k = TSK_MODEL_EV_HTTP;
    int known = type ? kind_of(tsk_model__str(type), &k) : kind_of(e->key, &k);
    if (known) {
        w.ctx = 1u << k;
        w.ctx_what = kind_what[k];
    }
    tsk_model__check(t, &tsk_model__ev, &w, v, c->d);
    if (!known) {
        if (!type) {
            tsk_diag_error(c->d, &e->key_pos,
                           "event source \"%s\" has no "
                           "type, and its name is not a kind",
                           e->key);
            tsk_diag_detail(c->d, "add type = \"http\", \"s3\", \"sqs\", "
                                  "\"dynamodb\", \"kinesis\" or \"schedule\"");
        }
        return;
    }
    s->kind = k;
    fill(c, s, e, t, v);
}

void tsk_model__event_sources(struct tsk_model__ctx *c)
{
    const struct tsk_value *au = c->sa[SA_AUTHORIZERS];
    const struct tsk_value *ev = c->sa[SA_EVENTS];
    if (au)
        for (size_t i = 0; i < au->u.tab->n; i++)
            authorizer(c, &au->u.tab->e[i]);
    if (!ev)
        return;
    c->events_tab = ev->u.tab;
    /* one source per entry, so an entry's index is its source's index */
    for (size_t i = 0; i < ev->u.tab->n; i++)
        event_source(c, &ev->u.tab->e[i]);
}
