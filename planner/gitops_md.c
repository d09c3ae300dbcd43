/*
 * gitops_md.c - the last pass over a markdown comment: the commit it was
 * made for, and GitHub's size limit as a hard guarantee, whatever the
 * renderer produced.
 */
#include "planner/gitops.h"

#include <stdlib.h>

/* Room kept for the closing fence, </details> tags and the note. */
#define MD_NOTE_ROOM 600

/* Inserts text into out at offset at. */
static void buf_insert(struct tsk_buf *out, size_t at, const char *text)
{
    size_t n = strlen(text);
    tsk_buf_grow(out, n);
    memmove(out->ptr + at + n, out->ptr + at, out->len - at + 1);
    memcpy(out->ptr + at, text, n);
    out->len += n;
}

static void stamp_commit(struct tsk_buf *out, size_t begin,
                         const struct tsk_git_info *git)
{
    char s[13];
    if (!git || !git->commit)
        return;
    struct tsk_buf line = TSK_BUF_INIT;
    tsk_buf_addf(&line, "Made for commit `%s`",
                 tsk_gitops_short(git->commit, s));
    if (git->branch)
        tsk_buf_addf(&line, " on branch `%s`", git->branch);
    tsk_buf_adds(&line, git->dirty ? ". :warning: The work tree had "
                                     "uncommitted changes: this is not "
                                     "exactly that commit.\n\n"
                                   : ".\n\n");
    /* after the title ("### ...\n\n"), else at the top */
    const char *title_end = strstr(out->ptr + begin, "\n\n");
    size_t at = begin;
    if (out->ptr[begin] == '#' && title_end)
        at = (size_t)(title_end - out->ptr) + 2;
    buf_insert(out, at, line.ptr);
    tsk_buf_release(&line);
}

/* Whether the line at p starts with s. */
static int starts(const char *p, const char *s)
{
    return strncmp(p, s, strlen(s)) == 0;
}

void tsk_gitops_md_finish(struct tsk_buf *out, size_t begin,
                          const struct tsk_git_info *git, size_t limit,
                          const char *hint)
{
    if (!limit)
        limit = TSK_MD_LIMIT;
    if (begin > out->len)
        begin = out->len;
    stamp_commit(out, begin, git);
    if (out->len - begin <= limit)
        return;
    size_t room = limit > 2 * MD_NOTE_ROOM ? limit - MD_NOTE_ROOM : limit / 2;
    size_t cut = begin + room;
    while (cut > begin && out->ptr[cut - 1] != '\n')
        cut--;
    int fence = 0, details = 0;
    for (size_t i = begin; i < cut;) {
        const char *l = out->ptr + i;
        const char *s = l + strspn(l, " ");
        if (starts(s, "```"))
            fence = !fence;
        else if (!fence && starts(s, "<details"))
            details++;
        else if (!fence && starts(s, "</details>") && details > 0)
            details--;
        const char *nl = memchr(l, '\n', cut - i);
        i = nl ? (size_t)(nl - out->ptr) + 1 : cut;
    }
    size_t lines = 0, bytes = out->len - cut;
    for (size_t i = cut; i < out->len; i++)
        lines += out->ptr[i] == '\n';
    if (out->len > cut && out->ptr[out->len - 1] != '\n')
        lines++;
    out->len = cut;
    out->ptr[cut] = '\0';
    if (fence)
        tsk_buf_adds(out, "```\n");
    for (; details > 0; details--)
        tsk_buf_adds(out, "\n</details>\n");
    tsk_buf_addf(out,
                 "\n_This comment reached the size limit of %zu "
                 "characters: the last %zu lines (%zu characters) were "
                 "left out.",
                 limit, lines, bytes);
    if (hint)
        tsk_buf_addf(out, " For everything, %.300s.", hint);
    tsk_buf_adds(out, "_\n");
}
