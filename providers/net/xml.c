/*
 * xml.c - just enough XML for AWS query and REST-XML responses: the text of
 * the first element with a given name, entities decoded. Never reads past len.
 */
#include "providers/net/aws.h"

#include <stdlib.h>

static const char *find(const char *s, const char *end, const char *pat)
{
    size_t n = strlen(pat);
    for (; s + n <= end; s++)
        if (memcmp(s, pat, n) == 0)
            return s;
    return NULL;
}

static void decode(struct tsk_buf *b, const char *s, const char *end)
{
    static const char *const ent[][2] = {{"lt;", "<"},
                                         {"gt;", ">"},
                                         {"amp;", "&"},
                                         {"quot;", "\""},
                                         {"apos;", "'"}};
    while (s < end) {
        size_t i;
        if (*s != '&') {
            tsk_buf_addch(b, *s++);
            continue;
        }
        for (i = 0; i < 5; i++) {
            size_t n = strlen(ent[i][0]);
            if ((size_t)(end - s - 1) >= n && !memcmp(s + 1, ent[i][0], n)) {
                tsk_buf_adds(b, ent[i][1]);
                s += n + 1;
                break;
            }
        }
        if (i < 5)
            continue;
        if (s + 2 < end && s[1] == '#') {
            const char *p = s + 2;
            int hex = (*p == 'x' || *p == 'X');
            unsigned long cp = strtoul(p + hex, NULL, hex ? 16 : 10);
            const char *semi = memchr(p, ';', (size_t)(end - p));
            if (semi && cp > 0 && cp < 0x80) {
                tsk_buf_addch(b, (char)cp);
                s = semi + 1;
                continue;
            }
        }
        tsk_buf_addch(b, *s++);
    }
}

int tsk_xml_text(const char *xml, size_t len, const char *tag, char **out)
{
    const char *end = xml + len, *s = xml, *open, *close;
    size_t tl = strlen(tag);
    char *pat;
    *out = NULL;
    if (!xml || !tl)
        return TSK_ENOTFOUND;
    pat = tsk_xasprintf("<%s", tag);
    while ((open = find(s, end, pat))) {
        const char *p = open + 1 + tl;
        s = open + 1;
        if (p >= end || (*p != '>' && *p != ' ' && *p != '/' && *p != '\t' &&
                         *p != '\n' && *p != '\r'))
            continue;
        const char *gt = memchr(p, '>', (size_t)(end - p));
        if (!gt)
            break;
        free(pat);
        if (gt[-1] == '/') { /* <Tag/> */
            *out = tsk_xstrdup("");
            return 0;
        }
        pat = tsk_xasprintf("</%s>", tag);
        close = find(gt + 1, end, pat);
        free(pat);
        if (!close)
            return TSK_ENOTFOUND;
        struct tsk_buf b = TSK_BUF_INIT;
        decode(&b, gt + 1, close);
        *out = tsk_buf_detach(&b, NULL);
        return 0;
    }
    free(pat);
    return TSK_ENOTFOUND;
}
