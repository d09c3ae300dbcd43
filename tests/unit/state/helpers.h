/*
 * helpers.h - shared by the state unit tests: a scratch directory per test,
 * a store opened in one (store_fx), whole-file reads for byte-for-byte
 * comparisons, and a resource builder.
 */
#ifndef TSK_TEST_STATE_HELPERS_H
#define TSK_TEST_STATE_HELPERS_H

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/state.h"

/* Removes a directory tree of plain files and directories. */
static inline void rm_tree(const char *path)
{
    DIR *dir = opendir(path);
    struct dirent *e;
    if (!dir) {
        unlink(path);
        return;
    }
    while ((e = readdir(dir))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *p = tsk_xasprintf("%s/%s", path, e->d_name);
        rm_tree(p);
        free(p);
    }
    closedir(dir);
    rmdir(path);
}

/* A fresh scratch directory; *path gets "<dir>/.tuskform/state.db". */
static inline char *scratch(char **path)
{
    char tmpl[] = "/tmp/tsk-state-XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir)
        abort();
    *path = tsk_state_default_path(dir);
    return tsk_xstrdup(dir);
}

/* A state store opened in a scratch directory, for one test (cmocka
 * setup and teardown; include cmocka.h first). */
struct store_fx {
    char *dir, *path;
    struct tsk_state *st;
    struct tsk_diags d;
};

static inline int store_fx_setup(void **state)
{
    struct store_fx *f = tsk_xcalloc(1, sizeof *f);
    f->dir = scratch(&f->path);
    assert_int_equal(tsk_state_open(&f->st, f->path, NULL, &f->d), 0);
    assert_int_equal(f->d.nerr, 0);
    *state = f;
    return 0;
}

static inline int store_fx_teardown(void **state)
{
    struct store_fx *f = *state;
    tsk_state_close(f->st);
    tsk_diags_release(&f->d);
    rm_tree(f->dir);
    free(f->dir);
    free(f->path);
    free(f);
    return 0;
}

/* The whole file, or NULL when it cannot be read. */
static inline char *slurp(const char *path, size_t *len)
{
    struct tsk_buf b = TSK_BUF_INIT;
    if (tsk_read_file(path, &b) != 0) {
        tsk_buf_release(&b);
        return NULL;
    }
    return tsk_buf_detach(&b, len);
}

static inline void spit(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
        abort();
}

/* The concatenated summaries and details of d, for substring checks. */
static inline char *diag_text(const struct tsk_diags *d)
{
    struct tsk_buf b = TSK_BUF_INIT;
    for (size_t i = 0; i < d->v.n; i++) {
        tsk_buf_addf(&b, "%s: %s\n",
                     d->v.v[i].sev == TSK_SEV_ERROR ? "error" : "warning",
                     d->v.v[i].summary);
        if (d->v.v[i].detail)
            tsk_buf_addf(&b, "  %s\n", d->v.v[i].detail);
    }
    return tsk_buf_detach(&b, NULL);
}

/* A resource whose fields the test owns (free with free_res): nattrs
 * attributes a0, a1, ... and the sensitive path a0. */
static inline struct tsk_state_res make_res(const char *addr, int nattrs)
{
    struct tsk_state_res r = {0};
    cJSON *attrs = cJSON_CreateObject(), *sens = cJSON_CreateArray();
    r.address = tsk_xstrdup(addr);
    r.type = tsk_xstrndup(addr, strcspn(addr, "."));
    r.provider = tsk_xstrdup("local");
    r.remote_id = tsk_xasprintf("id-%s", addr);
    for (int i = 0; i < nattrs; i++) {
        char k[16];
        snprintf(k, sizeof k, "a%d", i);
        if (i % 2)
            cJSON_AddNumberToObject(attrs, k, i * 10);
        else
            cJSON_AddStringToObject(attrs, k, "some-value-of-moderate-len");
    }
    cJSON_AddItemToArray(sens, cJSON_CreateString("a0"));
    r.attrs = attrs;
    r.sensitive = sens;
    r.deps = cJSON_CreateArray();
    return r;
}

static inline void free_res(struct tsk_state_res *r)
{
    free((char *)r->address);
    free((char *)r->type);
    free((char *)r->provider);
    free((char *)r->remote_id);
    cJSON_Delete((cJSON *)r->attrs);
    cJSON_Delete((cJSON *)r->sensitive);
    cJSON_Delete((cJSON *)r->deps);
    memset(r, 0, sizeof *r);
}

#endif
