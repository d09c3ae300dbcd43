/*
 * util.c - helpers shared by the AWS type drivers: JSON building and
 * reading, calls that name the resource in their diagnostics, tags (the
 * tuskform:* tags are added on write and hidden on read, so that `tags`
 * holds only what the configuration sets), and a small XML reader for the
 * query-protocol services (IAM).
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

cJSON *aws__obj(void)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        abort();
    return o;
}

cJSON *aws__arr(void)
{
    cJSON *o = cJSON_CreateArray();
    if (!o)
        abort();
    return o;
}

void aws__str(cJSON *o, const char *k, const char *v)
{
    if (v && !cJSON_AddStringToObject(o, k, v))
        abort();
}

void aws__num(cJSON *o, const char *k, double v)
{
    if (!cJSON_AddNumberToObject(o, k, v))
        abort();
}

void aws__bool(cJSON *o, const char *k, int v)
{
    if (!cJSON_AddBoolToObject(o, k, v))
        abort();
}

const char *aws__jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

double aws__jnum(const cJSON *o, const char *k, double def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (cJSON_IsNumber(v))
        return v->valuedouble;
    if (cJSON_IsString(v) && v->valuestring[0]) {
        char *end;
        double x = strtod(v->valuestring, &end);
        if (*end == '\0')
            return x;
    }
    return def;
}

int aws__jbool(const cJSON *o, const char *k, int def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v);
    if (cJSON_IsString(v))
        return strcmp(v->valuestring, "true") == 0;
    return def;
}

int aws__call(const struct tsk_rcall *c, const struct tsk_aws_req *req,
              struct tsk_aws_resp *out, int wait_inprogress,
              struct tsk_diags *d)
{
    int nerr = d->nerr;
    int rc = wait_inprogress ? tsk_aws_call_wait(c->pctx->aws, req, out, d)
                             : tsk_aws_call(c->pctx->aws, req, out, d);
    if (rc && d->nerr > nerr && c->addr)
        tsk_diag_addr(d, c->addr);
    return rc;
}

void aws__label(struct tsk_buf *b, const char *s)
{
    tsk_uri_encode(b, s, strlen(s), 0);
}

static int is_tsk_tag(const char *k)
{
    return strncmp(k, "tuskform:", 9) == 0;
}

cJSON *aws__tags_send(const struct tsk_rcall *c, const cJSON *planned,
                      const char *extra_key, const char *extra_val)
{
    cJSON *t = aws__obj();
    const cJSON *user = cJSON_GetObjectItemCaseSensitive(planned, "tags");
    for (const cJSON *e = user ? user->child : NULL; e; e = e->next)
        if (cJSON_IsString(e) && !is_tsk_tag(e->string))
            aws__str(t, e->string, e->valuestring);
    if (c->stack)
        aws__str(t, AWS_TAG_STACK, c->stack);
    if (c->addr)
        aws__str(t, AWS_TAG_ADDR, c->addr);
    if (extra_key && extra_val)
        aws__str(t, extra_key, extra_val);
    return t;
}

cJSON *aws__tags_user(const cJSON *remote)
{
    cJSON *t = NULL;
    for (const cJSON *e = remote ? remote->child : NULL; e; e = e->next) {
        if (!cJSON_IsString(e) || is_tsk_tag(e->string))
            continue;
        if (!t)
            t = aws__obj();
        aws__str(t, e->string, e->valuestring);
    }
    return t;
}

cJSON *aws__tags_gone(const cJSON *prior, const cJSON *planned)
{
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(prior, "tags");
    const cJSON *now = cJSON_GetObjectItemCaseSensitive(planned, "tags");
    cJSON *gone = aws__arr();
    for (const cJSON *e = old ? old->child : NULL; e; e = e->next)
        if (!cJSON_GetObjectItemCaseSensitive(now, e->string))
            cJSON_AddItemToArray(gone, cJSON_CreateString(e->string));
    return gone;
}

int aws__reread(const struct tsk_rcall *c, int rc,
                int (*read)(const struct tsk_rcall *c, const char *id,
                            const cJSON *prior, cJSON **out,
                            struct tsk_diags *d),
                const char *what, const char *id, const cJSON *p, cJSON **out,
                struct tsk_diags *d)
{
    if (rc == 0)
        rc = read(c, id, p, out, d);
    if (rc == 0 && !*out)
        rc = tsk_diag_error(d, NULL, "%s: %s %s no longer exists", c->addr,
                            what, id);
    return rc;
}

int aws__created(const struct tsk_rcall *c, int rc, cJSON **out,
                 const char *what, const char *name, struct tsk_diags *d)
{
    if (rc == 0 && !*out)
        rc = tsk_diag_error(d, NULL, "%s: %s %s vanished after its creation",
                            c->addr, what, name);
    return rc;
}

char *aws__json_canon(const char *s)
{
    cJSON *j = s ? cJSON_Parse(s) : NULL;
    if (!j)
        return tsk_xstrdup(s ? s : "");
    char *p = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (!p)
        abort();
    char *r = tsk_xstrdup(p);
    cJSON_free(p);
    return r;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *aws__url_decode(const char *s)
{
    size_t n = strlen(s), k = 0;
    char *r = tsk_xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
            (lo = hexval(s[i + 2])) >= 0) {
            r[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            r[k++] = s[i];
        }
    }
    r[k] = '\0';
    return r;
}

const char *aws__xml_find(const char *p, const char *end, const char *tag,
                          const char **inner_end, const char **next)
{
    size_t tl = strlen(tag);
    while (p && p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt || (size_t)(end - lt) < tl + 2)
            return NULL;
        if (strncmp(lt + 1, tag, tl) == 0 &&
            (lt[1 + tl] == '>' || lt[1 + tl] == ' ')) {
            const char *gt = memchr(lt, '>', (size_t)(end - lt));
            if (!gt)
                return NULL;
            if (gt[-1] == '/') { /* <tag/> */
                *inner_end = gt + 1;
                if (next)
                    *next = gt + 1;
                return gt + 1;
            }
            /* the matching close, counting nested tags of the same name */
            const char *q = gt + 1;
            int depth = 1;
            while (q < end) {
                const char *l2 = memchr(q, '<', (size_t)(end - q));
                if (!l2)
                    return NULL;
                if (l2[1] == '/' && strncmp(l2 + 2, tag, tl) == 0 &&
                    l2[2 + tl] == '>') {
                    if (--depth == 0) {
                        *inner_end = l2;
                        if (next)
                            *next = l2 + tl + 3;
                        return gt + 1;
                    }
                } else if (strncmp(l2 + 1, tag, tl) == 0 &&
                           (l2[1 + tl] == '>' || l2[1 + tl] == ' ')) {
                    depth++;
                }
                q = l2 + 1;
            }
            return NULL;
        }
        p = lt + 1;
    }
    return NULL;
}

char *aws__xml_text(const char *p, const char *end, const char *tag)
{
    const char *ie;
    const char *in = aws__xml_find(p, end, tag, &ie, NULL);
    char *out = NULL;
    if (!in)
        return NULL;
    /* reuse the transport's entity decoder on the element alone */
    char *frag = tsk_xasprintf("<%s>%.*s</%s>", tag, (int)(ie - in), in, tag);
    if (tsk_xml_text(frag, strlen(frag), tag, &out) != 0)
        out = NULL;
    free(frag);
    return out;
}

void aws__keep(cJSON *out, const cJSON *prior, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(prior, k);
    if (v && !cJSON_IsNull(v) &&
        !cJSON_GetObjectItemCaseSensitive(out, k))
        cJSON_AddItemToObject(out, k, cJSON_Duplicate(v, 1));
}

int aws__changed(const cJSON *prior, const cJSON *planned, const char *k)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(prior, k);
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(planned, k);
    if (cJSON_IsNull(a))
        a = NULL;
    if (cJSON_IsNull(b))
        b = NULL;
    if (!a || !b)
        return a != b;
    return !cJSON_Compare(a, b, 1);
}

const char *aws__region(const struct tsk_rcall *c)
{
    return tsk_aws_region(c->pctx->aws);
}
