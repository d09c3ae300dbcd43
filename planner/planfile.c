/* planfile.c - saving and loading plans as checksummed JSON files. */
#include "planner/planfile.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "planner/jsonw.h"

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
 * The body is streamed (planner/jsonw.h) in the exact bytes
 * cJSON_PrintUnformatted gives for the plan's tree, so a plan of a hundred
 * thousand resources is neither copied into a tree nor held as one string.
 */

static void str_field(struct tsk_jsonw *w, const char *sep_key, size_t n,
                      const char *v)
{
    tsk_jsonw_raw(w, sep_key, n);
    tsk_jsonw_str_or_null(w, v);
}
#define STR(w, k, v) str_field(w, k, sizeof(k) - 1, v)

static void strs_out(struct tsk_jsonw *w, char *const *v, size_t n)
{
    tsk_jsonw_lit(w, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            tsk_jsonw_lit(w, ",");
        tsk_jsonw_str(w, v[i]);
    }
    tsk_jsonw_lit(w, "]");
}

static void bool_out(struct tsk_jsonw *w, int b)
{
    if (b)
        tsk_jsonw_lit(w, "true");
    else
        tsk_jsonw_lit(w, "false");
}

static void change_out(struct tsk_jsonw *w, const struct tsk_change *c)
{
    STR(w, "{\"addr\":", c->addr);
    STR(w, ",\"type\":", c->type);
    STR(w, ",\"name\":", c->name);
    STR(w, ",\"provider\":", c->provider);
    STR(w, ",\"action\":", actions[c->action]);
    STR(w, ",\"reason\":", reasons[c->reason]);
    STR(w, ",\"id\":", c->id);
    /* A no-op's before equals its after: stored once, which halves the
     * file of a plan that changes little. */
    if (c->action != TSK_NOOP) {
        tsk_jsonw_lit(w, ",\"before\":");
        tsk_jsonw_value(w, c->before);
    }
    tsk_jsonw_lit(w, ",\"after\":");
    if (c->text && !c->after) /* exactly what the tree would write */
        tsk_jsonw_raw(w, c->text, strlen(c->text));
    else
        tsk_jsonw_value(w, c->after);
    tsk_jsonw_lit(w, ",\"after_unknown\":");
    if (c->after_unknown)
        tsk_jsonw_value(w, c->after_unknown);
    else
        tsk_jsonw_lit(w, "{}");
    tsk_jsonw_lit(w, ",\"sensitive\":");
    strs_out(w, c->sensitive.v, c->sensitive.n);
    tsk_jsonw_lit(w, ",\"replace_paths\":");
    strs_out(w, c->replace_paths.v, c->replace_paths.n);
    tsk_jsonw_lit(w, ",\"deps\":");
    strs_out(w, c->deps.v, c->deps.n);
    tsk_jsonw_lit(w, ",\"node\":");
    tsk_jsonw_num(w, c->node == UINT32_MAX ? -1 : (double)c->node);
    STR(w, ",\"function\":", c->function);
    tsk_jsonw_lit(w, "}");
}

static void drift_out(struct tsk_jsonw *w, const struct tsk_drift *dr)
{
    STR(w, "{\"addr\":", dr->addr);
    STR(w, ",\"type\":", dr->type);
    STR(w, ",\"provider\":", dr->provider);
    STR(w, ",\"id\":", dr->id);
    STR(w, ",\"kind\":", dr->kind == TSK_DRIFT_DELETED ? "deleted" : "changed");
    tsk_jsonw_lit(w, ",\"state_attrs\":");
    tsk_jsonw_value(w, dr->state_attrs);
    tsk_jsonw_lit(w, ",\"remote_attrs\":");
    tsk_jsonw_value(w, dr->remote_attrs);
    tsk_jsonw_lit(w, ",\"paths\":");
    strs_out(w, dr->paths.v, dr->paths.n);
    tsk_jsonw_lit(w, ",\"sensitive\":");
    strs_out(w, dr->sensitive.v, dr->sensitive.n);
    tsk_jsonw_lit(w, "}");
}

static void plan_out(struct tsk_jsonw *w, const struct tsk_plan *p)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
    STR(w, "{\"tool_version\":", p->tool_version);
    STR(w, ",\"created\":", now);
    STR(w, ",\"lineage\":", p->lineage);
    tsk_jsonw_lit(w, ",\"serial\":");
    tsk_jsonw_num(w, (double)p->serial);
    STR(w, ",\"config_digest\":", p->config_digest);
    STR(w, ",\"provider\":", p->provider);
    STR(w, ",\"git\":{\"commit\":", p->git.commit);
    STR(w, ",\"branch\":", p->git.branch);
    tsk_jsonw_lit(w, ",\"dirty\":");
    bool_out(w, p->git.dirty);
    tsk_jsonw_lit(w, "},\"destroy\":");
    bool_out(w, p->destroy);
    tsk_jsonw_lit(w, ",\"refresh_only\":");
    bool_out(w, p->refresh_only);
    tsk_jsonw_lit(w, ",\"errored\":");
    bool_out(w, p->errored);
    tsk_jsonw_lit(w, ",\"changes\":[");
    for (size_t i = 0; i < p->changes.n; i++) {
        if (i)
            tsk_jsonw_lit(w, ",");
        change_out(w, &p->changes.v[i]);
    }
    tsk_jsonw_lit(w, "],\"drift\":[");
    for (size_t i = 0; i < p->drift.n; i++) {
        if (i)
            tsk_jsonw_lit(w, ",");
        drift_out(w, &p->drift.v[i]);
    }
    tsk_jsonw_lit(w, "],\"cost\":");
    tsk_jsonw_value(w, p->cost);
    tsk_jsonw_lit(w, "}");
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

/*
 * The body goes to the file and through the checksum as it is made, a
 * megabyte at a time. Each piece written is handed to the disk at once
 * (sync_file_range starts the writeback without waiting for it), so the
 * fsync that ends the save waits for little more than the last piece.
 */
struct body_sink {
    int fd;
    EVP_MD_CTX *md;
    off_t off; /* where the next piece goes */
};

static int body_write(void *ctx, const char *p, size_t n)
{
    struct body_sink *s = ctx;
    if (EVP_DigestUpdate(s->md, p, n) != 1 || write_all(s->fd, p, n) < 0)
        return -1;
#ifdef SYNC_FILE_RANGE_WRITE
    (void)sync_file_range(s->fd, s->off, (off_t)n, SYNC_FILE_RANGE_WRITE);
#endif
    s->off += (off_t)n;
    return 0;
}

/* The envelope's head: {"tuskform_plan":1,"sha256":"HEX","plan": */
static int head_of(char *out, size_t size, const char *sum)
{
    return snprintf(out, size,
                    "{\"%s\":%d,\"sha256\":\"%s\","
                    "\"plan\":",
                    MAGIC, TSK_PLANFILE_VERSION, sum);
}

/*
 * Writes the envelope: the head with a placeholder checksum of the same
 * length, the body streamed, the tail, then the head again in place with
 * the body's checksum.
 */
static int write_plan(int fd, const struct tsk_plan *p)
{
    char head[160], sum[65];
    unsigned char md[32];
    unsigned int mdn = 0;
    memset(sum, '0', 64);
    sum[64] = '\0';
    int hn = head_of(head, sizeof(head), sum);
    if (write_all(fd, head, (size_t)hn) < 0)
        return -1;
    struct body_sink s = {fd, EVP_MD_CTX_new(), (off_t)hn};
    if (!s.md || EVP_DigestInit_ex(s.md, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(s.md);
        errno = ENOMEM;
        return -1;
    }
    struct tsk_jsonw w;
    tsk_jsonw_init(&w, (size_t)1 << 20, body_write, &s);
    plan_out(&w, p);
    int rc = tsk_jsonw_finish(&w);
    if (rc == 0 && EVP_DigestFinal_ex(s.md, md, &mdn) != 1)
        rc = -1;
    EVP_MD_CTX_free(s.md);
    if (rc < 0 || write_all(fd, "}\n", 2) < 0)
        return -1;
    for (unsigned i = 0; i < 32; i++)
        snprintf(sum + 2 * i, 3, "%02x", md[i]);
    if (head_of(head, sizeof(head), sum) != hn ||
        pwrite(fd, head, (size_t)hn, 0) != (ssize_t)hn)
        return -1;
    return 0;
}

int tsk_planfile_save(const struct tsk_plan *p, const char *path,
                      struct tsk_diags *d)
{
    char *tmp = tsk_xasprintf("%s.tmp.%ld", path, (long)getpid());
    int rc = 0, fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || write_plan(fd, p) < 0 || fsync(fd) < 0) {
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
    cJSON_free(text);
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
