/*
 * heap.h - preparing the process heap for a large configuration. Planning
 * a hundred thousand resources allocates millions of small objects; on
 * 4 KiB pages every 4 KiB of new heap is one page fault (and one TLB entry
 * on every later walk), which costs more than the planning itself on
 * virtual machines. tsk_heap_prepare() reserves address space for the heap
 * at once and asks the kernel to back it with transparent huge pages
 * (honoured in the kernel's "madvise" and "always" THP modes), so the
 * heap grows by 2 MiB per fault. Memory is only used where it is touched:
 * the peak resident size stays what the program allocates (rounded to
 * 2 MiB pages).
 *
 * Only with glibc's allocator; a no-op under the sanitizers (which bring
 * their own) and elsewhere. Failures are ignored: the heap then grows as
 * before.
 */
#ifndef TSK_HEAP_H
#define TSK_HEAP_H

#include <stddef.h>

/**
 * Reserves `bytes` of heap address space backed by huge pages where the
 * kernel allows. Call once, early and before other threads start; later
 * calls do nothing.
 */
void tsk_heap_prepare(size_t bytes);

/**
 * Asks for huge pages in the calling thread's own glibc heap (a mapping of
 * 64 MiB aligned to its size); for a thread that allocates a lot. Call it
 * again as that heap grows. A guess about glibc's layout, harmless when
 * wrong; nothing under sanitizers or other C libraries.
 */
void tsk_heap_thread_hugepages(void);

/**
 * Whether a process about to exit should still free a structure of about
 * `objects` objects. Freeing a hundred thousand plan entries one by one
 * only to hand the memory back to the kernel costs a tenth of a plan, so
 * large structures are left to the exit: returns 0 for them (at least
 * TSK_HEAP_KEEP_OBJECTS), except under the sanitizers (whose leak check
 * must stay clean) or when the environment sets TSK_FREE_AT_EXIT to a
 * value other than "0". Small structures are always freed, so the usual
 * tests run the release paths either way.
 */
int tsk_heap_free_at_exit(size_t objects);

#define TSK_HEAP_KEEP_OBJECTS 20000

#endif
