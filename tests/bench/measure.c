/*
 * measure.c - times a command: runs it R times (fork + exec, stdout to
 * /dev/null, stderr kept), and prints one line
 *
 *   runs=R min_ms=... median_ms=... max_rss_kb=... status=S
 *
 * where the times are wall-clock milliseconds, max_rss_kb is the largest
 * peak resident set size of any run (wait4 rusage ru_maxrss, in KiB on
 * Linux) and status is the first non-zero exit status (0 when every run
 * succeeded). Built by tests/bench/run.sh with the system cc.
 *
 * Usage: measure R COMMAND [ARG...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Runs argv once; stores wall ms and peak RSS (KiB); returns the exit
 * status (128+signal when killed), or -1 when it could not run. */
static int run_once(char **argv, double *ms, long *rss_kb)
{
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            close(fd);
        }
        execvp(argv[0], argv);
        fprintf(stderr, "measure: cannot run %s: %s\n", argv[0],
                strerror(errno));
        _exit(127);
    }
    int st;
    struct rusage ru;
    pid_t w;
    while ((w = wait4(pid, &st, 0, &ru)) < 0 && errno == EINTR)
        ;
    if (w < 0)
        return -1;
    *ms = now_ms() - t0;
    *rss_kb = ru.ru_maxrss;
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return WEXITSTATUS(st);
}

int main(int argc, char **argv)
{
    if (argc < 3 || atoi(argv[1]) < 1) {
        fprintf(stderr, "usage: measure RUNS COMMAND [ARG...]\n");
        return 64;
    }
    int runs = atoi(argv[1]), status = 0;
    double *ms = calloc((size_t)runs, sizeof(*ms));
    long max_rss = 0;
    if (!ms)
        return 1;
    for (int i = 0; i < runs; i++) {
        long rss = 0;
        int rc = run_once(argv + 2, &ms[i], &rss);
        if (rc < 0) {
            fprintf(stderr, "measure: %s\n", strerror(errno));
            return 1;
        }
        if (rc != 0 && status == 0)
            status = rc;
        if (rss > max_rss)
            max_rss = rss;
    }
    qsort(ms, (size_t)runs, sizeof(*ms), cmp_double);
    double median = runs % 2 ? ms[runs / 2]
                             : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
    printf("runs=%d min_ms=%.2f median_ms=%.2f max_rss_kb=%ld status=%d\n",
           runs, ms[0], median, max_rss, status);
    free(ms);
    return 0;
}
