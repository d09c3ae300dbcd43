/*
 * stateio.c - opening and locking the state of the current folder, the
 * "yes" confirmation, and value printing for `state show` and `output`.
 */
#include "stateio.h"

#include "flow.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "planner/attrpath.h"

int tsk_cmd_state_open(struct tsk_state **out, int write,
                       const char *operation, double lock_timeout,
                       struct tsk_diags *d)
{
    struct tsk_state_opts so = TSK_STATE_OPTS_INIT;
    char *path = tsk_state_default_path(NULL);
    so.readonly = !write;
    *out = NULL;
    int rc = tsk_state_open(out, path, &so, d);
    free(path);
    if (rc || !write || !operation)
        return rc;
    struct tsk_state_lock_opts lo = {operation,
                                     (int64_t)(lock_timeout * 1000.0)};
    rc = tsk_state_lock(*out, &lo, d);
    if (rc) {
        tsk_state_close(*out);
        *out = NULL;
    }
    return rc;
}

int tsk_cmd_confirm(const char *question, const char *skip_flag)
{
    if (!isatty(STDIN_FILENO)) {
        fprintf(stderr,
                "tuskform: %s\nNo terminal to answer on: refusing. Pass %s "
                "to proceed without a question.\n",
                question, skip_flag);
        return 0;
    }
    printf("%s\n  Only 'yes' will be accepted to approve.\n\n  Enter a "
           "value: ",
           question);
    fflush(stdout);
    char line[64];
    if (!fgets(line, sizeof(line), stdin))
        return 0;
    line[strcspn(line, "\r\n")] = 0;
    printf("\n");
    return strcmp(line, "yes") == 0;
}

static void pad(FILE *out, int n)
{
    for (int i = 0; i < n; i++)
        fputc(' ', out);
}

static void print_string(FILE *out, const char *s)
{
    if (strcmp(s, TSK_REDACTED) == 0) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(out, "\\%c", *s);
        else if (*s == '\n')
            fputs("\\n", out);
        else if ((unsigned char)*s < 0x20)
            fprintf(out, "\\u%04x", (unsigned char)*s);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

static int plain_key(const char *k)
{
    if (!*k || (k[0] >= '0' && k[0] <= '9'))
        return 0;
    for (; *k; k++)
        if (!(*k == '_' || *k == '-' || *k == '.' || (*k >= 'a' && *k <= 'z') ||
              (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9')))
            return 0;
    return 1;
}

void tsk_cmd_print_attrs(FILE *out, const cJSON *attrs, int indent)
{
    int width = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, attrs)
    {
        int w = (int)strlen(e->string) + (plain_key(e->string) ? 0 : 2);
        width = w > width ? w : width;
    }
    cJSON_ArrayForEach(e, attrs)
    {
        pad(out, indent);
        int w = (int)strlen(e->string);
        if (plain_key(e->string)) {
            fputs(e->string, out);
        } else {
            print_string(out, e->string);
            w += 2;
        }
        pad(out, width - w);
        fputs(" = ", out);
        tsk_cmd_print_value(out, e, indent);
        fputc('\n', out);
    }
}

void tsk_cmd_print_value(FILE *out, const cJSON *v, int indent)
{
    const cJSON *e;
    if (cJSON_IsString(v)) {
        print_string(out, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        if (v->valuedouble == (double)(long long)v->valuedouble)
            fprintf(out, "%lld", (long long)v->valuedouble);
        else
            fprintf(out, "%.17g", v->valuedouble);
    } else if (cJSON_IsBool(v)) {
        fputs(cJSON_IsTrue(v) ? "true" : "false", out);
    } else if (cJSON_IsArray(v)) {
        if (!v->child) {
            fputs("[]", out);
            return;
        }
        fputs("[\n", out);
        cJSON_ArrayForEach(e, v)
        {
            pad(out, indent + 4);
            tsk_cmd_print_value(out, e, indent + 4);
            fputs(",\n", out);
        }
        pad(out, indent);
        fputc(']', out);
    } else if (cJSON_IsObject(v)) {
        if (!v->child) {
            fputs("{}", out);
            return;
        }
        fputs("{\n", out);
        tsk_cmd_print_attrs(out, v, indent + 4);
        pad(out, indent);
        fputc('}', out);
    } else {
        fputs("null", out);
    }
}

const char **tsk_cmd_strs(const cJSON *arr, size_t *n)
{
    size_t cnt = 0;
    const char **v = tsk_xcalloc((size_t)cJSON_GetArraySize(arr) + 1,
                                 sizeof(char *));
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        if (cJSON_IsString(e))
            v[cnt++] = e->valuestring;
    }
    *n = cnt;
    return v;
}

/* Puts ob (taken) into the prior objects, sorted by address: it replaces
 * the record of its address, or is inserted in order. */
static void put_prior(struct tsk_flow *f, struct tsk_object *ob)
{
    size_t lo = 0, hi = f->prior.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(f->prior.v[mid].addr, ob->addr);
        if (c == 0) {
            tsk_object_release(&f->prior.v[mid]);
            f->prior.v[mid] = *ob;
            memset(ob, 0, sizeof(*ob));
            return;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    TSK_ARRAY_PUSH(f->prior);
    memmove(&f->prior.v[lo + 1], &f->prior.v[lo],
            (f->prior.n - 1 - lo) * sizeof(f->prior.v[0]));
    f->prior.v[lo] = *ob;
    memset(ob, 0, sizeof(*ob));
}

int tsk_cmd_pending_prior(struct tsk_flow *f)
{
    if (!f->st)
        return 0;
    struct tsk_apply_opts ao;
    struct tsk_apply_found found;
    tsk_flow_apply_opts(f, &ao, NULL);
    int rc = tsk_apply_pending_found(&found, &ao, &f->d);
    if (rc)
        return rc;
    if (found.npending) {
        tsk_diag_warning(&f->d, NULL,
                         "an interrupted apply left %zu operation(s) pending; "
                         "the next apply settles them",
                         found.npending);
        if (found.v.n)
            tsk_diag_detail(&f->d,
                            "%zu object(s) that it created but did not record "
                            "are counted as present here (nothing is written)."
                            " The next apply adopts them into state.",
                            found.v.n);
    }
    for (size_t i = 0; i < found.v.n; i++)
        put_prior(f, &found.v.v[i]);
    tsk_apply_found_release(&found);
    return 0;
}
