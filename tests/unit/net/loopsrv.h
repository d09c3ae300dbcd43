/*
 * loopsrv.h - a tiny HTTP/1.1 server on 127.0.0.1 for the net tests, run in
 * a thread. It answers requests with a script of canned responses (the last
 * one repeats), can drop a connection instead of answering, keeps
 * connections alive, and records every request and connection it saw.
 */
#ifndef TSK_TEST_LOOPSRV_H
#define TSK_TEST_LOOPSRV_H

#include "planner/util/util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define LOOPSRV_DROP "<drop>"
#define LOOPSRV_MAXC 16

struct loopsrv {
    int lfd, port;
    pthread_t th;
    pthread_mutex_t mu;
    volatile int stop;
    TSK_ARRAY(char *) script;   /* raw responses or LOOPSRV_DROP */
    TSK_ARRAY(char *) requests; /* raw requests, headers and body */
    size_t next;
    int conns;
};

/* Queues a response: status, extra header lines ("A: b\r\n"...), body. */
static inline void loopsrv_push(struct loopsrv *s, int status,
                                const char *headers, const char *body)
{
    char *r = tsk_xasprintf("HTTP/1.1 %d X\r\nContent-Length: %zu\r\n%s\r\n%s",
                            status, strlen(body), headers ? headers : "", body);
    pthread_mutex_lock(&s->mu);
    *TSK_ARRAY_PUSH(s->script) = r;
    pthread_mutex_unlock(&s->mu);
}

static inline void loopsrv_push_drop(struct loopsrv *s)
{
    pthread_mutex_lock(&s->mu);
    *TSK_ARRAY_PUSH(s->script) = tsk_xstrdup(LOOPSRV_DROP);
    pthread_mutex_unlock(&s->mu);
}

static inline size_t loopsrv_nreq(struct loopsrv *s)
{
    size_t n;
    pthread_mutex_lock(&s->mu);
    n = s->requests.n;
    pthread_mutex_unlock(&s->mu);
    return n;
}

/* A complete request in buf: its length, or 0. */
static size_t loopsrv_complete(const struct tsk_buf *b)
{
    const char *end = strstr(b->ptr, "\r\n\r\n"), *cl;
    size_t hl, body = 0;
    if (!end)
        return 0;
    hl = (size_t)(end - b->ptr) + 4;
    cl = strcasestr(b->ptr, "\ncontent-length:");
    if (cl && cl < end)
        body = (size_t)strtoul(cl + 16, NULL, 10);
    return b->len >= hl + body ? hl + body : 0;
}

/* Answers one request; returns 0 to keep the connection, -1 to close. */
static int loopsrv_answer(struct loopsrv *s, int fd, struct tsk_buf *b,
                          size_t n)
{
    char *resp;
    int rc = 0;
    pthread_mutex_lock(&s->mu);
    *TSK_ARRAY_PUSH(s->requests) = tsk_xstrndup(b->ptr, n);
    if (s->script.n == 0)
        resp = tsk_xstrdup("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    else
        resp = tsk_xstrdup(
            s->script.v[s->next < s->script.n ? s->next : s->script.n - 1]);
    s->next++;
    pthread_mutex_unlock(&s->mu);
    memmove(b->ptr, b->ptr + n, b->len - n + 1);
    b->len -= n;
    if (strcmp(resp, LOOPSRV_DROP) == 0)
        rc = -1;
    else if (write(fd, resp, strlen(resp)) != (ssize_t)strlen(resp))
        rc = -1;
    free(resp);
    return rc;
}

static void *loopsrv_main(void *arg)
{
    struct loopsrv *s = arg;
    struct pollfd p[LOOPSRV_MAXC + 1];
    struct tsk_buf bufs[LOOPSRV_MAXC + 1];
    int nc = 0;
    p[0].fd = s->lfd;
    p[0].events = POLLIN;
    while (!s->stop) {
        if (poll(p, (nfds_t)nc + 1, 20) <= 0)
            continue;
        if ((p[0].revents & POLLIN) && nc < LOOPSRV_MAXC) {
            int fd = accept(s->lfd, NULL, NULL);
            if (fd >= 0) {
                nc++;
                p[nc].fd = fd;
                p[nc].events = POLLIN;
                p[nc].revents = 0;
                bufs[nc] = (struct tsk_buf)TSK_BUF_INIT;
                pthread_mutex_lock(&s->mu);
                s->conns++;
                pthread_mutex_unlock(&s->mu);
            }
        }
        for (int i = 1; i <= nc; i++) {
            char chunk[8192];
            ssize_t r;
            size_t n;
            int close_it = 0;
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            r = read(p[i].fd, chunk, sizeof(chunk));
            if (r <= 0)
                close_it = 1;
            else
                tsk_buf_add(&bufs[i], chunk, (size_t)r);
            while (!close_it && (n = loopsrv_complete(&bufs[i])) > 0)
                if (loopsrv_answer(s, p[i].fd, &bufs[i], n) < 0)
                    close_it = 1;
            if (close_it) {
                close(p[i].fd);
                tsk_buf_release(&bufs[i]);
                p[i] = p[nc];
                bufs[i] = bufs[nc];
                nc--;
                i--;
            }
        }
    }
    for (int i = 1; i <= nc; i++) {
        close(p[i].fd);
        tsk_buf_release(&bufs[i]);
    }
    return NULL;
}

static inline void loopsrv_start(struct loopsrv *s)
{
    struct sockaddr_in a = {0};
    socklen_t al = sizeof(a);
    int one = 1;
    memset(s, 0, sizeof(*s));
    pthread_mutex_init(&s->mu, NULL);
    s->lfd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s->lfd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(s->lfd, 16) != 0 ||
        getsockname(s->lfd, (struct sockaddr *)&a, &al) != 0)
        abort();
    s->port = ntohs(a.sin_port);
    pthread_create(&s->th, NULL, loopsrv_main, s);
}

static inline void loopsrv_stop(struct loopsrv *s)
{
    s->stop = 1;
    pthread_join(s->th, NULL);
    close(s->lfd);
    for (size_t i = 0; i < s->script.n; i++)
        free(s->script.v[i]);
    for (size_t i = 0; i < s->requests.n; i++)
        free(s->requests.v[i]);
    TSK_ARRAY_FREE(s->script);
    TSK_ARRAY_FREE(s->requests);
    pthread_mutex_destroy(&s->mu);
}

/* The value of header name in request i (copied), or NULL. */
static inline char *loopsrv_header(struct loopsrv *s, size_t i,
                                   const char *name)
{
    char *pat = tsk_xasprintf("\n%s:", name), *v = NULL;
    pthread_mutex_lock(&s->mu);
    if (i < s->requests.n) {
        const char *h = strcasestr(s->requests.v[i], pat);
        const char *end = strstr(s->requests.v[i], "\r\n\r\n");
        if (h && (!end || h < end)) {
            h += strlen(pat);
            while (*h == ' ')
                h++;
            v = tsk_xstrndup(h, strcspn(h, "\r\n"));
        }
    }
    pthread_mutex_unlock(&s->mu);
    free(pat);
    return v;
}

#endif
