/*
 * cost_int.h - private to planner/cost_*.c: runs, the compact form of the
 * long arrays of the cost object, and the advice the report adds.
 *
 * A run holds consecutive elements of a cost array (functions whose
 * estimate does not change, advice past what a plan shows) as one
 * cJSON_Raw element: their JSON text joined by commas, exactly the bytes
 * cJSON prints for them inside the array, so the array prints the same
 * while ten thousand elements cost one allocation instead of ten thousand
 * small trees. The run's valueint is how many elements it holds and its
 * valuedouble the length of the longest "function" among them
 * (cJSON_Duplicate keeps both). A run of functions holds only functions
 * whose estimate does not change.
 *
 * A cost object read back from a saved plan has no runs: the renderers
 * read both forms through tsk_cost__len() and struct tsk_cost__iter.
 *
 * Ownership: a run owns its text until tsk_cost__run_flush() hands it to
 * the array's new element; iterators own what they parse (and release it
 * in tsk_cost__iter_end()).
 */
#ifndef TSK_COST_INT_H
#define TSK_COST_INT_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "planner/cost.h"
#include "planner/jsonw.h"

struct tsk_model;

/* Plans show this much advice; the report keeps that much as objects. */
#define TSK_COST__ADVICE_SHOWN 20

struct tsk_cost__run {
    struct tsk_jsonw w; /* writes into text */
    struct tsk_buf text;
    int n;        /* elements written since the last flush */
    size_t width; /* longest function name among them */
};

void tsk_cost__run_init(struct tsk_cost__run *r);
/** Starts the next element (of function fn) and returns the writer its
 * JSON text goes to. */
struct tsk_jsonw *tsk_cost__run_next(struct tsk_cost__run *r, const char *fn);
/** Appends the elements written since the last flush (if any) to arr as
 * one run. */
void tsk_cost__run_flush(struct tsk_cost__run *r, cJSON *arr);
void tsk_cost__run_release(struct tsk_cost__run *r);

/** 1 when the array element e is a run. */
int tsk_cost__is_run(const cJSON *e);
/** How many elements arr holds, those in runs included. */
int tsk_cost__len(const cJSON *arr);

/* Walks an array's elements; with expand, the elements inside runs one by
 * one (parsed when reached), else each run as one element. */
struct tsk_cost__iter {
    const cJSON *outer, *inner;
    cJSON *parsed;
    int expand;
};
void tsk_cost__iter_init(struct tsk_cost__iter *it, const cJSON *arr,
                         int expand);
/** The next element, or NULL at the end; valid until the next call. */
const cJSON *tsk_cost__next(struct tsk_cost__iter *it);
void tsk_cost__iter_end(struct tsk_cost__iter *it);

/*
 * Functions sorted by name. Each entry carries the first 8 bytes of its
 * name as a number that orders as the names do when two differ, so most
 * steps of a sort or search compare numbers, without a cache miss on the
 * name itself; i is the input's index.
 */
struct tsk_cost__name {
    uint64_t key;
    const char *name;
    size_t i;
};
/** The key of s[0..len) (up to 8 bytes, or to a NUL; zero padded). */
uint64_t tsk_cost__key8(const char *s, size_t len);
/** Fills v[0..n) from in[0..n) and sorts it as qsort with strcmp would. */
void tsk_cost__sort_names(struct tsk_cost__name *v,
                          const struct tsk_cost_input *in, size_t n);
/** strcmp(name, e->name), given key = tsk_cost__key8(name, SIZE_MAX). */
int tsk_cost__name_cmp(uint64_t key, const char *name,
                       const struct tsk_cost__name *e);

/** Adds the "advice" array of the model's functions to cost. */
void tsk_cost__advice(cJSON *cost, const struct tsk_model *m,
                      const struct tsk_price_table *pt, const char *region);

#endif
