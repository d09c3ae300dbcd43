/* fuzz_state_load.c - feeds damaged files to the state loader.
 *
 * Each input is written to a scratch file and opened read-only, then
 * read-write, exercising every reader (snapshot, one resource, history,
 * journal, lock). Nothing may crash, and a file the read-write open
 * refuses must be left byte-for-byte as it was (abort otherwise). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state/state.h"

static char *dir, *path, *side[3];

static void clean(void);

static void remove_dir(void)
{
    clean();
    rmdir(dir);
}

static void setup_paths(void)
{
    char tmpl[] = "/tmp/fuzz-state-XXXXXX";
    if (!mkdtemp(tmpl))
        abort();
    dir = tsk_xstrdup(tmpl);
    atexit(remove_dir);
    path = tsk_xasprintf("%s/state.db", dir);
    side[0] = tsk_xasprintf("%s-wal", path);
    side[1] = tsk_xasprintf("%s-shm", path);
    side[2] = tsk_xasprintf("%s-journal", path);
}

static void clean(void)
{
    unlink(path);
    for (int i = 0; i < 3; i++)
        unlink(side[i]);
}

static void read_all(struct tsk_state *st)
{
    struct tsk_diags d = {0};
    struct tsk_state_snap *snap = NULL;
    struct tsk_state_hist_list h;
    struct tsk_state_intent_list j;
    struct tsk_state_lock_info li;
    struct tsk_state_rec r;
    if (tsk_state_load(&snap, st, &d) == 0) {
        for (size_t i = 0; i < snap->res.n && i < 8; i++) {
            const struct tsk_state_rec *x = &snap->res.v[i];
            if (tsk_state_snap_find(snap, x->address) == NULL)
                abort(); /* every loaded address can be found */
            cJSON_Delete(tsk_state_rec_attrs(x));
            cJSON_Delete(tsk_state_rec_sensitive(x));
            cJSON_Delete(tsk_state_rec_deps(x));
        }
        if (snap->res.n &&
            tsk_state_get(&r, st, snap->res.v[0].address, &d) == 0)
            tsk_state_rec_release(&r);
        tsk_state_snap_free(snap);
    }
    if (tsk_state_history_list(&h, st, 0, &d) == 0)
        tsk_state_hist_list_release(&h);
    if (tsk_state_journal_list(&j, st, &d) == 0)
        tsk_state_intent_list_release(&j);
    if (tsk_state_lock_read(&li, st, &d) == 0)
        tsk_state_lock_info_release(&li);
    tsk_state_check_plan(st, tsk_state_lineage(st), tsk_state_serial(st), &d);
    tsk_diags_release(&d);
}

static void write_some(struct tsk_state *st)
{
    struct tsk_diags d = {0};
    struct tsk_state_res r = {.address = "local_function.fuzz",
                              .type = "local_function",
                              .provider = "local"};
    struct tsk_state_hist h = {.operation = "fuzz"};
    tsk_state_put(st, &r, 0, &d);
    tsk_state_mv(st, "local_function.fuzz", "local_function.fuzz2", &d);
    tsk_state_history_add(st, &h, &d);
    tsk_diags_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tsk_state *st = NULL;
    struct tsk_diags d = {0};
    struct tsk_state_opts ro = {.readonly = 1};
    struct tsk_buf after = TSK_BUF_INIT;
    FILE *f;
    if (!path)
        setup_paths();
    clean();
    f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();

    if (tsk_state_open(&st, path, &ro, &d) == 0) {
        read_all(st);
        tsk_state_close(st);
    }
    tsk_diags_release(&d);

    if (tsk_state_open(&st, path, NULL, &d) == 0) {
        read_all(st);
        write_some(st);
        tsk_state_close(st);
    } else {
        /* Refused: the file must be exactly what was written. */
        if (d.nerr == 0 || tsk_read_file(path, &after) != 0 ||
            after.len != size || (size && memcmp(after.ptr, data, size)))
            abort();
    }
    tsk_buf_release(&after);
    tsk_diags_release(&d);
    clean();
    return 0;
}
