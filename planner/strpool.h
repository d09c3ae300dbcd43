/*
 * strpool.h - a pool of interned strings: one copy of each distinct
 * string, looked up by hash. Used to share the attribute names of the
 * many cJSON trees read from state (a hundred thousand objects repeat the
 * same few dozen names): tsk_strpool_keys() points every member name of a
 * tree at its pooled copy, marked cJSON_StringIsConst so that the tree
 * (and cJSON_Duplicate copies of it) never frees it.
 *
 * Ownership: the pool owns its strings; tsk_strpool_free() releases them,
 * so it must outlive every tree whose keys it holds, copies included.
 */
#ifndef TSK_STRPOOL_H
#define TSK_STRPOOL_H

#include <cjson/cJSON.h>
#include <stddef.h>

struct tsk_strpool {
    char **slots; /* open addressing; NULL = empty */
    size_t cap, n;
};

/** The pooled copy of s (added when new; s is borrowed). */
const char *tsk_strpool_get(struct tsk_strpool *p, const char *s);
/**
 * Replaces the member names of every object in tree (nested ones
 * included) by pooled constants, freeing the names it owned.
 */
void tsk_strpool_keys(struct tsk_strpool *p, cJSON *tree);
void tsk_strpool_free(struct tsk_strpool *p);

#endif
