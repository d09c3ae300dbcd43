/* heap.c - a huge-page backed heap reservation (see heap.h). */
#include "planner/heap.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TSK_HEAP_OWN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) ||     \
    __has_feature(thread_sanitizer)
#define TSK_HEAP_OWN_ALLOCATOR 1
#endif
#endif

int tsk_heap_free_at_exit(size_t objects)
{
#ifdef TSK_HEAP_OWN_ALLOCATOR
    (void)objects;
    return 1;
#else
    const char *e = getenv("TSK_FREE_AT_EXIT");
    if (e && *e && strcmp(e, "0") != 0)
        return 1;
    return objects < TSK_HEAP_KEEP_OBJECTS;
#endif
}

#if defined(__GLIBC__) && defined(__linux__) &&                                \
    (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33) &&                                \
    !defined(TSK_HEAP_OWN_ALLOCATOR)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

void tsk_heap_prepare(size_t bytes)
{
    static int done;
    if (done || bytes < ((size_t)64 << 20) || bytes > (size_t)INT_MAX / 2)
        return;
    done = 1;
    /* Blocks up to 32 MiB come from the heap (not from mmap, which is
     * not huge-page backed); freeing never gives the reservation back. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
    /* A block larger than the whole heap so far cannot come from a free
     * chunk: the heap grows for it, by `bytes` more at once. */
    struct mallinfo2 mi = mallinfo2();
    if (mi.arena > ((size_t)16 << 20))
        return;
    mallopt(M_TOP_PAD, (int)bytes);
    void *volatile grow = malloc(mi.arena + 4096); /* not elided */
    free(grow);
    mallopt(M_TOP_PAD, 64 << 20); /* later growth: 64 MiB steps */
    mi = mallinfo2();
    uintptr_t end = (uintptr_t)sbrk(0);
    if (end == (uintptr_t)-1 || mi.arena == 0 || mi.arena > end)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t start = (end - mi.arena + page - 1) & ~(page - 1);
    if (start < end)
        (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
}

void tsk_heap_thread_hugepages(void)
{
    /* glibc's thread heaps are 64 MiB mappings aligned to their size, on
     * 4 KiB pages, whose faults cost more than the work they serve */
    const uintptr_t heap = (uintptr_t)64 << 20;
    void *p = malloc(1);
    uintptr_t start = (uintptr_t)p & ~(heap - 1);
    if (p && start)
        (void)madvise((void *)start, heap, MADV_HUGEPAGE);
    free(p);
}

#else

void tsk_heap_prepare(size_t bytes)
{
    (void)bytes;
}

void tsk_heap_thread_hugepages(void)
{
}

#endif
