/* jalloc.c - size-classed slabs for cJSON's small blocks (see jalloc.h). */
#include "planner/util/jalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TSK_JALLOC_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) ||     \
    __has_feature(thread_sanitizer)
#define TSK_JALLOC_SANITIZED 1
#endif
#endif

#define STEP 16       /* class k holds (k + 1) * 16 bytes */
#define CLASSES 16    /* up to 256 bytes */
#define SPAN_SHIFT 16 /* a span: 64 KiB of one class */
#define SPAN ((size_t)1 << SPAN_SHIFT)
#define RANGE ((size_t)4 << 30) /* the reserved addresses: 4 GiB */
#define SPANS (RANGE >> SPAN_SHIFT)

/* The reserved range, its next free span and each span's class. */
static uintptr_t base;
static atomic_size_t top;
static unsigned char span_class[SPANS];

struct jblock {
    struct jblock *next;
};

/* A thread's free lists and the spans it carves, per class. */
struct jthread {
    struct jblock *free[CLASSES];
    char *cur[CLASSES], *end[CLASSES];
};
static _Thread_local struct jthread tl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int slabs;

static int wanted(void)
{
    const char *e = getenv("TSK_JALLOC");
    if (e && strcmp(e, "slab") == 0)
        return 1;
    if (e && strcmp(e, "malloc") == 0)
        return 0;
#ifdef TSK_JALLOC_SANITIZED
    return 0;
#else
    return 1;
#endif
}

static void reserve(void)
{
    if (!wanted())
        return;
    /* Addresses only: pages are backed when first touched. */
    void *p = mmap(NULL, RANGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return;
#ifdef MADV_HUGEPAGE
    (void)madvise(p, RANGE, MADV_HUGEPAGE);
#endif
    base = (uintptr_t)p;
    slabs = 1;
}

int tsk_jalloc_slabs(void)
{
    pthread_once(&once, reserve);
    return slabs;
}

int tsk_jalloc_owns(const void *p)
{
    return base && (uintptr_t)p - base < RANGE;
}

/* A new span for class k, or NULL when the range is used up. */
static char *new_span(unsigned k)
{
    size_t at = atomic_fetch_add_explicit(&top, SPAN, memory_order_relaxed);
    if (!base || at >= RANGE)
        return NULL;
    span_class[at >> SPAN_SHIFT] = (unsigned char)k;
    return (char *)(base + at);
}

void *tsk_jalloc(size_t n)
{
    if (n == 0)
        n = 1;
    if (n > (size_t)STEP * CLASSES)
        return malloc(n);
    unsigned k = (unsigned)((n - 1) / STEP);
    struct jblock *b = tl.free[k];
    if (b) {
        tl.free[k] = b->next;
        return b;
    }
    size_t size = (size_t)(k + 1) * STEP;
    if ((size_t)(tl.end[k] - tl.cur[k]) < size) {
        char *s = new_span(k);
        if (!s)
            return malloc(n);
        tl.cur[k] = s;
        tl.end[k] = s + SPAN;
    }
    void *p = tl.cur[k];
    tl.cur[k] += size;
    return p;
}

void tsk_jfree(void *p)
{
    if (!p)
        return;
    uintptr_t off = (uintptr_t)p - base;
    if (!base || off >= RANGE) {
        free(p);
        return;
    }
    unsigned k = span_class[off >> SPAN_SHIFT];
    struct jblock *b = p;
    b->next = tl.free[k];
    tl.free[k] = b;
}
