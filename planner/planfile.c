/* planfile.c - saving and loading plans as checksummed JSON files. */
#include "planner/planfile.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "tuskform_plan"

static const char *const actions[] = {
    [TSK_NOOP] = "no-op",
    [TSK_CREATE] = "create",
    [TSK_READ] = "read",
    [TSK_UPDATE] = "update",
    [TSK_DELETE] = "delete",
    [TSK_REPLACE_DC] = "replace_delete_first",
    [TSK_REPLACE_CD] = "replace_create_first",
};
static const char *const reasons[] = {
    [TSK_REASON_NONE] = "none",
    [TSK_REASON_TAINTED] = "tainted",
    [TSK_REASON_REQUESTED] = "requested",
    [TSK_REASON_CANNOT_UPDATE] = "cannot_update",
    [TSK_REASON_NO_CONFIG] = "no_config",
    [TSK_REASON_DESTROY] = "destroy",
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void sha256_hex(const char *s, char out[65])
{
    unsigned char md[32];
    unsigned int n = 0;
    EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/*
 * The file's tree borrows the plan's strings (references, constant keys):
 * it lives only while the plan does, and large plans are not copied.
 */
static void add_str(cJSON *o, const char *k, const char *v)
{
    cJSON_AddItemToObjectCS(
        o, k, v ? cJSON_CreateStringReference(v) : cJSON_CreateNull());
}

static cJSON *strs(char *const *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateStringReference(v[i]));
    return a;
}

static cJSON *dup_or_null(const cJSON *v)
{
    return v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull();
}

/* A reference to the plan's own value: printed like a copy, never freed
 * through the file's tree, and saves copying large plans. */
static cJSON *ref_or_null(const cJSON *v)
{
    if (cJSON_IsObject(v))
        return cJSON_CreateObjectReference(v->child);
    if (cJSON_IsArray(v))
        return cJSON_CreateArrayReference(v->child);
    return dup_or_null(v);
}

static cJSON *change_out(const struct tsk_change *c)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "addr", c->addr);
    add_str(o, "type", c->type);
    add_str(o, "name", c->name);
    add_str(o, "provider", c->provider);
    add_str(o, "action", actions[c->action]);
    add_str(o, "reason", reasons[c->reason]);
    add_str(o, "id", c->id);
    /* A no-op's before equals its after: stored once, which halves the
     * file of a plan that changes little. */
    if (c->action != TSK_NOOP)
        cJSON_AddItemToObjectCS(o, "before", ref_or_null(c->before));
    cJSON_AddItemToObjectCS(o, "after", ref_or_null(c->after));
    cJSON_AddItemToObjectCS(o, "after_unknown", ref_or_null(c->after_unknown));
    cJSON_AddItemToObjectCS(o, "sensitive",
                            strs(c->sensitive.v, c->sensitive.n));
    cJSON_AddItemToObjectCS(o, "replace_paths",
                            strs(c->replace_paths.v, c->replace_paths.n));
    cJSON_AddItemToObjectCS(o, "deps", strs(c->deps.v, c->deps.n));
    cJSON_AddNumberToObject(o, "node",
                            c->node == UINT32_MAX ? -1 : (double)c->node);
    add_str(o, "function", c->function);
    return o;
}

static cJSON *drift_out(const struct tsk_drift *dr)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "addr", dr->addr);
    add_str(o, "type", dr->type);
    add_str(o, "provider", dr->provider);
    add_str(o, "id", dr->id);
    add_str(o, "kind", dr->kind == TSK_DRIFT_DELETED ? "deleted" : "changed");
    cJSON_AddItemToObjectCS(o, "state_attrs", ref_or_null(dr->state_attrs));
    cJSON_AddItemToObjectCS(o, "remote_attrs", ref_or_null(dr->remote_attrs));
    cJSON_AddItemToObjectCS(o, "paths", strs(dr->paths.v, dr->paths.n));
    cJSON_AddItemToObjectCS(o, "sensitive",
                            strs(dr->sensitive.v, dr->sensitive.n));
    return o;
}

static cJSON *plan_out(const struct tsk_plan *p)
{
    cJSON *o = cJSON_CreateObject();
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
    add_str(o, "tool_version", p->tool_version);
    add_str(o, "created", now);
    add_str(o, "lineage", p->lineage);
    cJSON_AddNumberToObject(o, "serial", (double)p->serial);
    add_str(o, "config_digest", p->config_digest);
    add_str(o, "provider", p->provider);
    cJSON *g = cJSON_AddObjectToObject(o, "git");
    add_str(g, "commit", p->git.commit);
    add_str(g, "branch", p->git.branch);
    cJSON_AddBoolToObject(g, "dirty", p->git.dirty);
    cJSON_AddBoolToObject(o, "destroy", p->destroy);
    cJSON_AddBoolToObject(o, "refresh_only", p->refresh_only);
    cJSON_AddBoolToObject(o, "errored", p->errored);
    cJSON *ch = cJSON_AddArrayToObject(o, "changes");
    for (size_t i = 0; i < p->changes.n; i++)
        cJSON_AddItemToArray(ch, change_out(&p->changes.v[i]));
    cJSON *dr = cJSON_AddArrayToObject(o, "drift");
    for (size_t i = 0; i < p->drift.n; i++)
        cJSON_AddItemToArray(dr, drift_out(&p->drift.v[i]));
    cJSON_AddItemToObjectCS(o, "cost", dup_or_null(p->cost));
    return o;
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int tsk_planfile_save(const struct tsk_plan *p, const char *path,
                      struct tsk_diags *d)
{
    cJSON *body = plan_out(p);
    char *text = cJSON_PrintUnformatted(body);
    char sum[65], head[160];
    cJSON_Delete(body);
    sha256_hex(text, sum);
    /* The envelope around the body, written in pieces: plans can be many
     * megabytes and need not be copied once more. */
    int hn = snprintf(head, sizeof(head),
                      "{\"%s\":%d,\"sha256\":\"%s\","
                      "\"plan\":",
                      MAGIC, TSK_PLANFILE_VERSION, sum);
    char *tmp = tsk_xasprintf("%s.tmp.%ld", path, (long)getpid());
    int rc = 0, fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || write_all(fd, head, (size_t)hn) < 0 ||
        write_all(fd, text, strlen(text)) < 0 || write_all(fd, "}\n", 2) < 0 ||
        fsync(fd) < 0) {
        rc = tsk_diag_error(d, NULL, "writing the plan file %s: %s", path,
                            strerror(errno));
        if (fd >= 0)
            close(fd);
        unlink(tmp);
    } else if (close(fd) < 0 || rename(tmp, path) < 0) {
        rc = tsk_diag_error(d, NULL, "writing the plan file %s: %s", path,
                            strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    free(text);
    return rc ? TSK_EIO : 0;
}

/* ---- loading ---- */

struct rd {
    const char *path;
    const char *what; /* the field being read, for the message */
    int bad;
};

static char *get_str(struct rd *r, const cJSON *o, const char *k, int need)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (cJSON_IsString(v))
        return tsk_xstrdup(v->valuestring);
    if ((!v || cJSON_IsNull(v)) && !need)
        return NULL;
    if (!r->bad)
        r->what = k;
    r->bad = 1;
    return NULL;
}

static int enum_of(struct rd *r, const cJSON *o, const char *k,
                   const char *const *names, size_t n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    for (size_t i = 0; cJSON_IsString(v) && i < n; i++)
        if (names[i] && strcmp(names[i], v->valuestring) == 0)
            return (int)i;
    if (!r->bad)
        r->what = k;
    r->bad = 1;
    return 0;
}

static cJSON *get_json(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return v && !cJSON_IsNull(v) ? cJSON_Duplicate(v, 1) : NULL;
}

#define GET_STRS(r, o, k, arr)                                                 \
    do {                                                                       \
        const cJSON *a_ = cJSON_GetObjectItemCaseSensitive(o, k);              \
        if (a_ && !cJSON_IsArray(a_)) {                                        \
            (r)->bad = 1;                                                      \
            (r)->what = k;                                                     \
        }                                                                      \
        for (const cJSON *e_ = a_ ? a_->child : NULL; e_; e_ = e_->next)       \
            if (cJSON_IsString(e_))                                            \
                *TSK_ARRAY_PUSH(arr) = tsk_xstrdup(e_->valuestring);           \
    } while (0)

static void change_in(struct rd *r, struct tsk_plan *p, const cJSON *o)
{
    struct tsk_change *c = TSK_ARRAY_PUSH(p->changes);
    c->addr = get_str(r, o, "addr", 1);
    c->type = get_str(r, o, "type", 1);
    c->name = get_str(r, o, "name", 1);
    c->provider = get_str(r, o, "provider", 1);
    c->action =
        (enum tsk_action)enum_of(r, o, "action", actions, NELEM(actions));
    c->reason =
        (enum tsk_reason)enum_of(r, o, "reason", reasons, NELEM(reasons));
    c->id = get_str(r, o, "id", 0);
    c->before = get_json(o, "before");
    c->after = get_json(o, "after");
    if (c->action == TSK_NOOP && !c->before && c->after)
        c->before = cJSON_Duplicate(c->after, 1);
    c->after_unknown = get_json(o, "after_unknown");
    if (!c->after_unknown)
        c->after_unknown = cJSON_CreateObject();
    GET_STRS(r, o, "sensitive", c->sensitive);
    GET_STRS(r, o, "replace_paths", c->replace_paths);
    GET_STRS(r, o, "deps", c->deps);
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "node");
    double nv = cJSON_IsNumber(n) ? n->valuedouble : -1;
    c->node = nv >= 0 && nv < (double)UINT32_MAX ? (uint32_t)nv : UINT32_MAX;
    char *fn = get_str(r, o, "function", 0);
    if (fn)
        c->function = *TSK_ARRAY_PUSH(p->owned) = fn;
    if (!r->bad && (c->action != TSK_CREATE) != (c->before != NULL))
        r->bad = 1, r->what = "before";
    if (!r->bad && (c->action == TSK_DELETE) != (c->after == NULL))
        r->bad = 1, r->what = "after";
}

static void drift_in(struct rd *r, struct tsk_plan *p, const cJSON *o)
{
    static const char *const kinds[] = {"changed", "deleted"};
    struct tsk_drift *dr = TSK_ARRAY_PUSH(p->drift);
    dr->addr = get_str(r, o, "addr", 1);
    dr->type = get_str(r, o, "type", 1);
    dr->provider = get_str(r, o, "provider", 1);
    dr->id = get_str(r, o, "id", 0);
    dr->kind = (enum tsk_drift_kind)enum_of(r, o, "kind", kinds, 2);
    dr->state_attrs = get_json(o, "state_attrs");
    dr->remote_attrs = get_json(o, "remote_attrs");
    GET_STRS(r, o, "paths", dr->paths);
    GET_STRS(r, o, "sensitive", dr->sensitive);
}

static int flag(const cJSON *o, const char *k)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static void plan_in(struct rd *r, struct tsk_plan *p, const cJSON *o)
{
    p->tool_version = get_str(r, o, "tool_version", 1);
    p->lineage = get_str(r, o, "lineage", 0);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "serial");
    int serial_ok = cJSON_IsNumber(s) && s->valuedouble >= 0 &&
                    s->valuedouble < 9007199254740992.0; /* 2^53 */
    if (!serial_ok && !r->bad)
        r->bad = 1, r->what = "serial";
    p->serial = serial_ok ? (int64_t)s->valuedouble : 0;
    p->config_digest = get_str(r, o, "config_digest", 0);
    p->provider = get_str(r, o, "provider", 0);
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(o, "git");
    p->git.commit = get_str(r, g, "commit", 0);
    p->git.branch = get_str(r, g, "branch", 0);
    p->git.dirty = flag(g, "dirty");
    p->destroy = flag(o, "destroy");
    p->refresh_only = flag(o, "refresh_only");
    p->errored = flag(o, "errored");
    const cJSON *ch = cJSON_GetObjectItemCaseSensitive(o, "changes");
    const cJSON *dr = cJSON_GetObjectItemCaseSensitive(o, "drift");
    if ((!cJSON_IsArray(ch) || (dr && !cJSON_IsArray(dr))) && !r->bad)
        r->bad = 1, r->what = "changes";
    for (const cJSON *c = cJSON_IsArray(ch) ? ch->child : NULL; c && !r->bad;
         c = c->next)
        change_in(r, p, c);
    for (const cJSON *c = cJSON_IsArray(dr) ? dr->child : NULL; c && !r->bad;
         c = c->next)
        drift_in(r, p, c);
    p->cost = get_json(o, "cost");
}

static int check_envelope(const cJSON *doc, const char *path,
                          struct tsk_diags *d)
{
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(doc, MAGIC);
    const cJSON *sum = cJSON_GetObjectItemCaseSensitive(doc, "sha256");
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(doc, "plan");
    if (!cJSON_IsNumber(ver) || !cJSON_IsObject(body)) {
        tsk_diag_error(d, NULL, "%s is not a tuskform plan file", path);
        tsk_diag_detail(d, "Make one with: tuskform plan -out=%s", path);
        return TSK_EINVAL;
    }
    if (ver->valuedouble > TSK_PLANFILE_VERSION) {
        tsk_diag_error(d, NULL,
                       "%s was saved in plan format %d; this "
                       "tuskform reads format %d and older",
                       path, ver->valueint, TSK_PLANFILE_VERSION);
        return TSK_EINVAL;
    }
    char *text = cJSON_PrintUnformatted(body), hex[65];
    sha256_hex(text, hex);
    free(text);
    if (!cJSON_IsString(sum) || strcmp(sum->valuestring, hex) != 0) {
        tsk_diag_error(d, NULL,
                       "the plan file %s is damaged: its checksum "
                       "does not match its contents",
                       path);
        tsk_diag_detail(d, "Run tuskform plan -out=%s again.", path);
        return TSK_EINVAL;
    }
    return 0;
}

int tsk_planfile_load(struct tsk_plan *out, const char *path,
                      struct tsk_diags *d)
{
    struct tsk_buf b = TSK_BUF_INIT;
    memset(out, 0, sizeof(*out));
    if (tsk_read_file(path, &b) < 0) {
        int e = errno;
        tsk_buf_release(&b);
        tsk_diag_error(d, NULL, "cannot read the plan file %s: %s", path,
                       strerror(e));
        return e == ENOENT ? TSK_ENOTFOUND : TSK_EIO;
    }
    cJSON *doc = cJSON_ParseWithLength(b.ptr, b.len);
    tsk_buf_release(&b);
    if (!doc) {
        tsk_diag_error(d, NULL,
                       "the plan file %s is damaged: it is not "
                       "valid JSON (truncated or edited?)",
                       path);
        return TSK_EINVAL;
    }
    int rc = check_envelope(doc, path, d);
    if (!rc) {
        struct rd r = {path, NULL, 0};
        plan_in(&r, out, cJSON_GetObjectItemCaseSensitive(doc, "plan"));
        if (r.bad) {
            tsk_diag_error(d, NULL,
                           "the plan file %s is malformed: field "
                           "\"%s\" is missing or has the wrong "
                           "type",
                           path, r.what ? r.what : "?");
            tsk_plan_free(out);
            rc = TSK_EINVAL;
        }
    }
    cJSON_Delete(doc);
    return rc;
}

int tsk_planfile_check(const struct tsk_plan *p,
                       const struct tsk_planfile_now *now, struct tsk_diags *d)
{
    int bad = 0;
    if (p->lineage && now->lineage && strcmp(p->lineage, now->lineage)) {
        bad = tsk_diag_error(d, NULL,
                             "Saved plan does not match the given "
                             "state: it was made for state lineage "
                             "%s, the state's lineage is %s",
                             p->lineage, now->lineage);
    }
    if (p->serial != now->serial) {
        bad = tsk_diag_error(d, NULL,
                             "Saved plan is stale: it was made at "
                             "state serial %lld, the state is now at "
                             "serial %lld (changed by another "
                             "operation since)",
                             (long long)p->serial, (long long)now->serial);
    }
    if (!p->config_digest || !now->config_digest ||
        strcmp(p->config_digest, now->config_digest) != 0) {
        bad = tsk_diag_error(d, NULL,
                             "Saved plan does not match the "
                             "configuration: the *.tsk files changed "
                             "since the plan was made");
        tsk_diag_detail(d, "digest in the plan %.12s, now %.12s",
                        p->config_digest ? p->config_digest : "(none)",
                        now->config_digest ? now->config_digest : "(none)");
    }
    if (!p->tool_version || !now->tool_version ||
        strcmp(p->tool_version, now->tool_version) != 0) {
        bad = tsk_diag_error(d, NULL,
                             "Saved plan was made by tuskform %s; "
                             "this is tuskform %s",
                             p->tool_version ? p->tool_version : "(unknown)",
                             now->tool_version ? now->tool_version : "?");
    }
    if (bad)
        tsk_diag_detail(d, "Make a new plan with: tuskform plan -out=FILE");
    return bad ? TSK_ECONFLICT : 0;
}
