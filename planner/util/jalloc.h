/*
 * jalloc.h - the allocator cJSON runs on. A plan of 100,000 resources makes
 * millions of small cJSON blocks (64-byte items, keys, short strings);
 * malloc gives each a header and, once many are freed, merges them again
 * on the next large request. Here they come from size-classed slabs
 * (16-byte steps up to 256 bytes) carved from one reserved address range:
 * no header, an allocation is a pop or a bump, a free is one push, and
 * what is freed is reused for the same size at once. Larger blocks come
 * from malloc, and tsk_jfree gives them back to free.
 *
 * lazy_cjson.c installs these as cJSON's hooks (cJSON_InitHooks) when it
 * loads the library, unless tsk_jalloc_slabs() says no: then cJSON keeps
 * malloc. Sanitizer builds keep malloc by default so that leaks and misuse
 * of cJSON memory stay visible to them; TSK_JALLOC=slab or =malloc in the
 * environment chooses either way in any build.
 *
 * Ownership: memory from tsk_jalloc is freed with tsk_jfree (through
 * cJSON_free and cJSON_Delete), never with free(): text printed by cJSON
 * is released with cJSON_free. Slab memory is never returned to the system
 * before exit. Threads: every thread allocates from its own slabs and free
 * lists; a block may be freed by any thread (it joins that thread's list).
 */
#ifndef TSK_JALLOC_H
#define TSK_JALLOC_H

#include <stddef.h>

/** A block of n bytes (16-byte aligned), or NULL when memory runs out. */
void *tsk_jalloc(size_t n);
/** Frees a block from tsk_jalloc, or any block from malloc. NULL is
 * ignored. */
void tsk_jfree(void *p);

/**
 * Whether cJSON should run on the slabs: reserves their address range on
 * the first call (1), or 0 when the build or TSK_JALLOC says malloc or the
 * range cannot be reserved. Later calls give the same answer.
 */
int tsk_jalloc_slabs(void);

/** 1 when p is in a slab (from tsk_jalloc, not from malloc). */
int tsk_jalloc_owns(const void *p);

#endif
