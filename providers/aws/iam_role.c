/*
 * iam_role.c - aws_iam_role with its inline policies (IAM, query protocol,
 * XML responses): CreateRole + PutRolePolicy; read is GetRole,
 * ListRolePolicies and GetRolePolicy (documents come URL-encoded and are
 * compared in canonical JSON form); updates use UpdateAssumeRolePolicy,
 * Put/DeleteRolePolicy and Tag/UntagRole; delete removes the inline
 * policies and detaches managed ones first. Id: the role name.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#define REQ TSK_A_REQUIRED
#define OPT TSK_A_OPTIONAL
#define COMP TSK_A_COMPUTED
#define FNEW TSK_A_FORCE_NEW

static const struct tsk_attr_schema attrs[] = {
    {"name", TSK_T_STRING, REQ | FNEW, NULL, "role name"},
    {"assume_role_policy", TSK_T_STRING, REQ, NULL, "trust policy (JSON)"},
    {"inline_policy", TSK_T_LIST, OPT, NULL, "[{name, policy}]"},
    {"tags", TSK_T_MAP, OPT, NULL, "tags"},
    {"arn", TSK_T_STRING, COMP, NULL, "role ARN"},
    {"id", TSK_T_STRING, COMP, NULL, "role name"},
    {NULL, 0, 0, NULL, NULL},
};

/* One IAM call with form members; *body gets the XML (caller frees). */
static int iam(const struct tsk_rcall *c, const char *op, const char *form,
               unsigned quiet, char **body, struct tsk_diags *d)
{
    struct tsk_aws_resp r;
    struct tsk_aws_req req = {
        .service = "iam", .op = op, .form = form, .quiet = quiet};
    int rc = aws__call(c, &req, &r, 1, d);
    if (body)
        *body = rc == 0 ? tsk_xstrndup(r.body.ptr, r.body.len) : NULL;
    tsk_aws_resp_release(&r);
    return rc;
}

static void add_tags_form(struct tsk_buf *f, const cJSON *tags)
{
    int i = 1;
    for (const cJSON *e = tags ? tags->child : NULL; e; e = e->next, i++) {
        char k[48];
        snprintf(k, sizeof(k), "Tags.member.%d.Key", i);
        tsk_aws_form_add(f, k, e->string);
        snprintf(k, sizeof(k), "Tags.member.%d.Value", i);
        tsk_aws_form_add(f, k, e->valuestring);
    }
}

/* The members <member> of list <tag> in xml, as strings. */
static void xml_members(const char *xml, const char *tag, cJSON *names)
{
    const char *end = xml + strlen(xml), *ie, *in, *next;
    in = aws__xml_find(xml, end, tag, &ie, NULL);
    for (const char *p = in; p && p < ie;) {
        const char *me, *m = aws__xml_find(p, ie, "member", &me, &next);
        if (!m)
            break;
        char *frag = tsk_xasprintf("<v>%.*s</v>", (int)(me - m), m), *t = NULL;
        if (tsk_xml_text(frag, strlen(frag), "v", &t) == 0)
            cJSON_AddItemToArray(names, cJSON_CreateString(t));
        free(t);
        free(frag);
        p = next;
    }
}

static cJSON *xml_tags(const char *xml)
{
    const char *end = xml + strlen(xml), *ie, *next;
    const char *in = aws__xml_find(xml, end, "Tags", &ie, NULL);
    cJSON *t = aws__obj();
    for (const char *p = in; p && p < ie;) {
        const char *me, *m = aws__xml_find(p, ie, "member", &me, &next);
        if (!m)
            break;
        char *k = aws__xml_text(m, me, "Key"), *v = aws__xml_text(m, me, "Value");
        if (k)
            aws__str(t, k, v ? v : "");
        free(k);
        free(v);
        p = next;
    }
    return t;
}

static char *doc_text(const char *xml, const char *tag)
{
    char *enc = aws__xml_text(xml, xml + strlen(xml), tag);
    if (!enc)
        return NULL;
    char *dec = aws__url_decode(enc), *canon = aws__json_canon(dec);
    free(enc);
    free(dec);
    return canon;
}

static int read_policies(const struct tsk_rcall *c, const char *name,
                         cJSON *out, struct tsk_diags *d)
{
    struct tsk_buf f = TSK_BUF_INIT;
    char *xml = NULL;
    cJSON *names = aws__arr();
    tsk_aws_form_add(&f, "RoleName", name);
    int rc = iam(c, "ListRolePolicies", f.ptr, 0, &xml, d);
    if (rc == 0)
        xml_members(xml, "PolicyNames", names);
    free(xml);
    cJSON *list = aws__arr();
    for (const cJSON *n = names->child; rc == 0 && n; n = n->next) {
        struct tsk_buf g = TSK_BUF_INIT;
        tsk_aws_form_add(&g, "RoleName", name);
        tsk_aws_form_add(&g, "PolicyName", n->valuestring);
        rc = iam(c, "GetRolePolicy", g.ptr, TSK_AWS_NOTFOUND, &xml, d);
        if (rc == 0) {
            char *doc = doc_text(xml, "PolicyDocument");
            cJSON *one = aws__obj();
            aws__str(one, "name", n->valuestring);
            aws__str(one, "policy", doc ? doc : "");
            cJSON_AddItemToArray(list, one);
            free(doc);
        } else if (rc == TSK_ENOTFOUND) {
            rc = 0; /* deleted between the list and the get */
        }
        free(xml);
        xml = NULL;
        tsk_buf_release(&g);
    }
    if (cJSON_GetArraySize(list) > 0)
        cJSON_AddItemToObject(out, "inline_policy", list);
    else
        cJSON_Delete(list);
    cJSON_Delete(names);
    tsk_buf_release(&f);
    return rc;
}

static int role_read(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    struct tsk_buf f = TSK_BUF_INIT;
    char *xml = NULL;
    (void)prior;
    *out = NULL;
    if (!id || !*id) /* a create that failed before it had an id */
        return 0;
    tsk_aws_form_add(&f, "RoleName", id);
    int rc = iam(c, "GetRole", f.ptr, TSK_AWS_NOTFOUND, &xml, d);
    tsk_buf_release(&f);
    if (rc == TSK_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    const char *end = xml + strlen(xml);
    char *name = aws__xml_text(xml, end, "RoleName");
    char *arn = aws__xml_text(xml, end, "Arn");
    char *trust = doc_text(xml, "AssumeRolePolicyDocument");
    cJSON *o = aws__obj(), *tags = xml_tags(xml);
    aws__str(o, "name", name ? name : id);
    aws__str(o, "assume_role_policy", trust ? trust : "");
    cJSON *user = aws__tags_user(tags);
    rc = read_policies(c, name ? name : id, o, d);
    if (user)
        cJSON_AddItemToObject(o, "tags", user);
    aws__str(o, "arn", arn);
    aws__str(o, "id", name ? name : id);
    cJSON_Delete(tags);
    free(name);
    free(arn);
    free(trust);
    free(xml);
    if (rc)
        cJSON_Delete(o);
    else
        *out = o;
    return rc;
}

static int put_policies(const struct tsk_rcall *c, const char *name,
                        const cJSON *prior, const cJSON *p,
                        struct tsk_diags *d)
{
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(p, "inline_policy");
    const cJSON *had = cJSON_GetObjectItemCaseSensitive(prior, "inline_policy");
    int rc = 0;
    for (const cJSON *e = had ? had->child : NULL; rc == 0 && e; e = e->next) {
        const char *pn = aws__jstr(e, "name");
        int keep = 0;
        for (const cJSON *w = want ? want->child : NULL; w; w = w->next)
            keep |= pn && aws__jstr(w, "name") && !strcmp(pn, aws__jstr(w, "name"));
        if (keep || !pn)
            continue;
        struct tsk_buf f = TSK_BUF_INIT;
        tsk_aws_form_add(&f, "RoleName", name);
        tsk_aws_form_add(&f, "PolicyName", pn);
        rc = iam(c, "DeleteRolePolicy", f.ptr, TSK_AWS_NOTFOUND, NULL, d);
        if (rc == TSK_ENOTFOUND)
            rc = 0;
        tsk_buf_release(&f);
    }
    for (const cJSON *w = want ? want->child : NULL; rc == 0 && w; w = w->next) {
        int same = 0;
        for (const cJSON *e = had ? had->child : NULL; e; e = e->next)
            same |= cJSON_Compare(e, w, 1);
        if (same || !aws__jstr(w, "name") || !aws__jstr(w, "policy"))
            continue;
        struct tsk_buf f = TSK_BUF_INIT;
        tsk_aws_form_add(&f, "RoleName", name);
        tsk_aws_form_add(&f, "PolicyName", aws__jstr(w, "name"));
        tsk_aws_form_add(&f, "PolicyDocument", aws__jstr(w, "policy"));
        rc = iam(c, "PutRolePolicy", f.ptr, 0, NULL, d);
        tsk_buf_release(&f);
    }
    return rc;
}

static int role_create(const struct tsk_rcall *c, const cJSON *p,
                       char **out_id, cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "name");
    struct tsk_buf f = TSK_BUF_INIT;
    cJSON *tags = aws__tags_send(c, p, NULL, NULL);
    *out_id = NULL;
    *out = NULL;
    tsk_aws_form_add(&f, "RoleName", name);
    tsk_aws_form_add(&f, "AssumeRolePolicyDocument",
                     aws__jstr(p, "assume_role_policy"));
    add_tags_form(&f, tags);
    cJSON_Delete(tags);
    int rc = iam(c, "CreateRole", f.ptr, 0, NULL, d);
    tsk_buf_release(&f);
    if (rc == 0) /* from here on, a failure leaves a known object */
        *out_id = tsk_xstrdup(name);
    if (rc == 0)
        rc = put_policies(c, name, NULL, p, d);
    if (rc == 0)
        rc = role_read(c, name, p, out, d);
    rc = aws__created(c, rc, out, "role", name, d);
    return rc;
}

static int update_tags(const struct tsk_rcall *c, const char *name,
                       const cJSON *prior, const cJSON *p,
                       struct tsk_diags *d)
{
    struct tsk_buf f = TSK_BUF_INIT;
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(prior, "tags");
    const cJSON *now = cJSON_GetObjectItemCaseSensitive(p, "tags");
    int rc = 0, i = 1;
    tsk_aws_form_add(&f, "RoleName", name);
    for (const cJSON *e = old ? old->child : NULL; e; e = e->next)
        if (!cJSON_GetObjectItemCaseSensitive(now, e->string)) {
            char k[40];
            snprintf(k, sizeof(k), "TagKeys.member.%d", i++);
            tsk_aws_form_add(&f, k, e->string);
        }
    if (i > 1)
        rc = iam(c, "UntagRole", f.ptr, 0, NULL, d);
    tsk_buf_reset(&f);
    if (rc == 0) {
        cJSON *tags = aws__tags_send(c, p, NULL, NULL);
        tsk_aws_form_add(&f, "RoleName", name);
        add_tags_form(&f, tags);
        cJSON_Delete(tags);
        rc = iam(c, "TagRole", f.ptr, 0, NULL, d);
    }
    tsk_buf_release(&f);
    return rc;
}

static int role_update(const struct tsk_rcall *c, const char *id,
                       const cJSON *prior, const cJSON *p, cJSON **out,
                       struct tsk_diags *d)
{
    int rc = 0;
    *out = NULL;
    if (aws__changed(prior, p, "assume_role_policy")) {
        struct tsk_buf f = TSK_BUF_INIT;
        tsk_aws_form_add(&f, "RoleName", id);
        tsk_aws_form_add(&f, "PolicyDocument",
                         aws__jstr(p, "assume_role_policy"));
        rc = iam(c, "UpdateAssumeRolePolicy", f.ptr, 0, NULL, d);
        tsk_buf_release(&f);
    }
    if (rc == 0 && aws__changed(prior, p, "inline_policy"))
        rc = put_policies(c, id, prior, p, d);
    if (rc == 0 && aws__changed(prior, p, "tags"))
        rc = update_tags(c, id, prior, p, d);
    return aws__reread(c, rc, role_read, "role", id, p, out, d);
}

/* Inline policies and attached managed policies block DeleteRole. */
static int detach_all(const struct tsk_rcall *c, const char *id,
                      struct tsk_diags *d)
{
    struct tsk_buf f = TSK_BUF_INIT;
    char *xml = NULL;
    cJSON *names = aws__arr();
    tsk_aws_form_add(&f, "RoleName", id);
    int rc = iam(c, "ListRolePolicies", f.ptr, TSK_AWS_NOTFOUND, &xml, d);
    if (rc == 0)
        xml_members(xml, "PolicyNames", names);
    free(xml);
    for (const cJSON *n = names->child; rc == 0 && n; n = n->next) {
        struct tsk_buf g = TSK_BUF_INIT;
        tsk_aws_form_add(&g, "RoleName", id);
        tsk_aws_form_add(&g, "PolicyName", n->valuestring);
        rc = iam(c, "DeleteRolePolicy", g.ptr, TSK_AWS_NOTFOUND, NULL, d);
        if (rc == TSK_ENOTFOUND)
            rc = 0;
        tsk_buf_release(&g);
    }
    if (rc == 0 &&
        (rc = iam(c, "ListAttachedRolePolicies", f.ptr, TSK_AWS_NOTFOUND, &xml,
                  d)) == 0) {
        const char *end = xml + strlen(xml), *p = xml, *me, *next;
        const char *m;
        while (rc == 0 && (m = aws__xml_find(p, end, "member", &me, &next))) {
            char *arn = aws__xml_text(m, me, "PolicyArn");
            if (arn) {
                struct tsk_buf g = TSK_BUF_INIT;
                tsk_aws_form_add(&g, "RoleName", id);
                tsk_aws_form_add(&g, "PolicyArn", arn);
                rc = iam(c, "DetachRolePolicy", g.ptr, TSK_AWS_NOTFOUND, NULL,
                         d);
                if (rc == TSK_ENOTFOUND)
                    rc = 0;
                tsk_buf_release(&g);
                free(arn);
            }
            p = next;
        }
        free(xml);
    }
    cJSON_Delete(names);
    tsk_buf_release(&f);
    return rc;
}

static int role_delete(const struct tsk_rcall *c, const char *id,
                       const cJSON *prior, struct tsk_diags *d)
{
    struct tsk_buf f = TSK_BUF_INIT;
    (void)prior;
    int rc = detach_all(c, id, d);
    if (rc == TSK_ENOTFOUND)
        return 0;
    if (rc == 0) {
        tsk_aws_form_add(&f, "RoleName", id);
        rc = iam(c, "DeleteRole", f.ptr, TSK_AWS_NOTFOUND, NULL, d);
        tsk_buf_release(&f);
    }
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int role_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                     cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "name");
    *out_id = NULL;
    *out = NULL;
    if (!name)
        return 0;
    int rc = role_read(c, name, p, out, d);
    if (rc == 0 && *out)
        *out_id = tsk_xstrdup(name);
    return rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_iam_role = {
    .name = "aws_iam_role",
    .schema = &schema,
    .read = role_read,
    .create = role_create,
    .update = role_update,
    .delete = role_delete,
    .find = role_find,
    .import = NULL,
};
