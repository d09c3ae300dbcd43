/*
 * fmt.c - `tuskform fmt [-check] [-diff] [PATH...]`: rewrites *.tsk files
 * in the canonical layout (planner/tsk/fmt.h).
 *
 * PATH is a folder (its *.tsk files, no subfolders, in name order) or a
 * file; the default is the current folder. Without options each file that
 * changes is rewritten in place (temp file + rename, mode kept) and its
 * name printed. -check and -diff never write: -check lists the files that
 * are not formatted and exits 1 if there is one; -diff prints a unified
 * diff. A file that cannot be formatted (lexical or bracket errors) is left
 * alone, its errors printed, and the exit code is 1.
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "planner/tsk/fmt.h"

static int check, diff;

static const struct tsk_opt opts[] = {
    {"check", TSK_OPT_BOOL, &check, NULL,
     "list the files that are not formatted and exit 1 if any; write nothing"},
    {"diff", TSK_OPT_BOOL, &diff, NULL,
     "print the changes as a unified diff; write nothing"},
    {NULL},
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with_tsk(const char *s)
{
    size_t n = strlen(s);
    return n > 4 && strcmp(s + n - 4, ".tsk") == 0;
}

/* Appends the *.tsk files of dir (sorted) to files; 0 or -1 (reported). */
static int list_dir(const char *dir, struct tsk_strlist *files)
{
    DIR *dh = opendir(dir);
    struct dirent *de;
    TSK_ARRAY(char *) names = {0};
    if (!dh) {
        fprintf(stderr, "tuskform fmt: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    while ((de = readdir(dh)) != NULL) {
        if (de->d_name[0] == '.' || !ends_with_tsk(de->d_name))
            continue;
        char *path = strcmp(dir, ".") == 0
                         ? tsk_xstrdup(de->d_name)
                         : tsk_xasprintf("%s%s%s", dir,
                                         dir[strlen(dir) - 1] == '/' ? "" : "/",
                                         de->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            *TSK_ARRAY_PUSH(names) = path;
        else
            free(path);
    }
    closedir(dh);
    if (names.n)
        qsort(names.v, names.n, sizeof(*names.v), cmp_str);
    for (size_t i = 0; i < names.n; i++)
        *TSK_ARRAY_PUSH(files->v) = names.v[i];
    TSK_ARRAY_FREE(names);
    return 0;
}

/* Replaces path's contents with text: a temp file beside it, then rename. */
static int write_atomic(const char *path, const char *text, size_t len)
{
    struct stat st;
    char *tmp = tsk_xasprintf("%s.fmt-XXXXXX", path);
    int fd = mkstemp(tmp), rc = -1;
    if (fd < 0)
        goto done;
    if (stat(path, &st) == 0)
        (void)fchmod(fd, st.st_mode & 07777);
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        off += (size_t)w;
    }
    if (off == len && fsync(fd) == 0 && close(fd) == 0) {
        fd = -1;
        rc = rename(tmp, path);
    }
    if (fd >= 0)
        close(fd);
    if (rc != 0)
        unlink(tmp);
done:
    if (rc != 0)
        fprintf(stderr, "tuskform fmt: cannot write %s: %s\n", path,
                strerror(errno));
    free(tmp);
    return rc;
}

/* Formats one file; returns 0 (formatted already or rewritten), 1 (not
 * formatted, with -check) or -1 (error, reported). */
static int fmt_one(const struct tsk_cli *cli, const char *path)
{
    struct tsk_buf in = TSK_BUF_INIT, out = TSK_BUF_INIT;
    struct tsk_diags d = {0};
    struct tsk_src *src = NULL;
    int rc = 0;
    if (tsk_read_file(path, &in) != 0) {
        fprintf(stderr, "tuskform fmt: cannot read %s: %s\n", path,
                strerror(errno));
        rc = -1;
        goto done;
    }
    src = tsk_fmt_src_new(path, in.ptr, in.len);
    if (tsk_fmt_src(&out, src, &d) != 0) {
        tsk_diags_print(&d, stderr, cli->color);
        fprintf(stderr, "tuskform fmt: %s not formatted: fix the errors "
                        "above first\n", path);
        rc = -1;
        goto done;
    }
    if (out.len == in.len && memcmp(out.ptr, in.ptr, in.len) == 0)
        goto done;
    if (diff) {
        struct tsk_buf dd = TSK_BUF_INIT;
        tsk_fmt_diff(&dd, path, in.ptr, in.len, out.ptr, out.len);
        fwrite(dd.ptr, 1, dd.len, stdout);
        tsk_buf_release(&dd);
    }
    if (check) {
        if (!diff)
            printf("%s\n", path);
        rc = 1;
    } else if (!diff) {
        rc = write_atomic(path, out.ptr, out.len);
        if (rc == 0)
            printf("%s\n", path);
    }
done:
    tsk_diags_release(&d);
    tsk_src_free(src);
    tsk_buf_release(&in);
    tsk_buf_release(&out);
    return rc;
}

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    extern const struct tsk_command tsk_cmd_fmt;
    struct tsk_strlist files = {0};
    int npos, failed = 0, unformatted = 0;
    check = diff = 0;
    if (tsk_opts_parse(&tsk_cmd_fmt, argc, argv, &npos))
        return TSK_EXIT_USAGE;
    if (npos == 0 && list_dir(".", &files) != 0)
        failed = 1;
    for (int i = 1; i <= npos; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "tuskform fmt: %s: %s\n", argv[i],
                    strerror(errno));
            failed = 1;
        } else if (S_ISDIR(st.st_mode)) {
            failed |= list_dir(argv[i], &files) != 0;
        } else {
            *TSK_ARRAY_PUSH(files.v) = tsk_xstrdup(argv[i]);
        }
    }
    for (size_t i = 0; i < files.v.n; i++) {
        int rc = fmt_one(cli, files.v.v[i]);
        failed |= rc < 0;
        unformatted |= rc > 0;
        free((char *)files.v.v[i]);
    }
    TSK_ARRAY_FREE(files.v);
    return failed || unformatted ? TSK_EXIT_ERROR : TSK_EXIT_OK;
}

const struct tsk_command tsk_cmd_fmt = {
    .name = "fmt",
    .run = run,
    .summary = "Rewrite TSK files in the canonical layout",
    .usage = "fmt [-check] [-diff] [DIR|FILE...]",
    .details = "Formats every *.tsk file of DIR (default: the current folder; "
               "no subfolders) or the FILEs given: 4-space indentation, "
               "`key = value`, one space around operators, one blank line "
               "before each section header, comments and line breaks kept. "
               "Files that change are rewritten in place and listed. -check "
               "lists the files that are not formatted and exits 1 if any; "
               "-diff prints the changes as a unified diff; neither writes. "
               "A file with lexical or bracket errors is left as it is and "
               "the exit code is 1.",
    .opts = opts,
};
