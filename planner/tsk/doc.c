/* doc.c - the document: arena, hash-indexed tables, lookups. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* ---- arena ---------------------------------------------------------- */

struct tsk_arena_chunk {
    struct tsk_arena_chunk *next;
    size_t size;
    /* data follows, 16-aligned */
};

#define CHUNK_HDR ((sizeof(struct tsk_arena_chunk) + 15) & ~(size_t)15)
#define ARENA_MAP_MIN ((size_t)1 << 20)
#define ARENA_MAP_MAX ((size_t)64 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

/* A chunk of at least size usable bytes. Large chunks are mapped on a
 * 2 MiB boundary and marked for transparent huge pages: touching fresh
 * memory one 4 KiB page at a time costs far more than parsing it (a fault
 * per page, and more under virtualisation), while a huge page is one fault
 * for 2 MiB. Untouched parts of a mapping cost nothing. */
static struct tsk_arena_chunk *chunk_new(size_t size)
{
    struct tsk_arena_chunk *c = NULL;
    if (size >= ARENA_MAP_MIN) {
        size_t len = (CHUNK_HDR + size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
        char *m = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m != MAP_FAILED) {
            uintptr_t a = ((uintptr_t)m + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
            size_t head = (size_t)(a - (uintptr_t)m);
            if (head)
                munmap(m, head);
            if (HUGE_PAGE - head)
                munmap((char *)a + len, HUGE_PAGE - head);
#ifdef MADV_HUGEPAGE
            madvise((void *)a, len, MADV_HUGEPAGE);
#endif
            c = (struct tsk_arena_chunk *)a;
            c->size = (len - CHUNK_HDR) | 1; /* mark: mapped (sizes are even) */
            return c;
        }
    }
    c = tsk_xmalloc(CHUNK_HDR + size);
    c->size = size;
    return c;
}

/* The size of the next chunk: 64 KiB, then doubling the total reserved
 * (whole huge pages from 1 MiB on), never less than n. */
static size_t chunk_size(const struct tsk_arena *a, size_t n)
{
    size_t want = a->total < (1u << 16)      ? (1u << 16)
                  : a->total < ARENA_MAP_MIN ? a->total
                  : a->total < ARENA_MAP_MAX ? a->total
                                             : ARENA_MAP_MAX;
    if (want >= ARENA_MAP_MIN && want < 4 * ARENA_MAP_MIN)
        want = 4 * ARENA_MAP_MIN;
    return want < n ? n : want;
}

/* Makes a new chunk of at least size bytes current. */
static void chunk_push(struct tsk_arena *a, size_t size)
{
    struct tsk_arena_chunk *c = chunk_new(size);
    size_t got = c->size & ~(size_t)1;
    a->total += got;
    c->next = a->head;
    a->head = c;
    a->cur = (char *)c + CHUNK_HDR;
    a->lim = a->cur + got;
}

void *tsk_arena_alloc(struct tsk_arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if ((size_t)(a->lim - a->cur) < n) {
        size_t want = chunk_size(a, n);
        if (n * 4 > want && a->head && a->lim - a->cur > 256) {
            /* a big block: keep the current chunk for small ones */
            struct tsk_arena_chunk *c = chunk_new(want);
            a->total += c->size & ~(size_t)1;
            c->next = a->head->next;
            a->head->next = c;
            return (char *)c + CHUNK_HDR;
        }
        chunk_push(a, want);
    }
    void *p = a->cur;
    a->cur += n;
    return p;
}

void tsk_arena_reserve(struct tsk_arena *a, size_t n)
{
    if ((size_t)(a->lim - a->cur) < n)
        chunk_push(a, n);
}

void *tsk_arena_zalloc(struct tsk_arena *a, size_t n)
{
    void *p = tsk_arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *tsk_arena_strndup(struct tsk_arena *a, const char *s, size_t n)
{
    char *p = tsk_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void tsk_arena_release(struct tsk_arena *a)
{
    struct tsk_arena_chunk *c = a->head;
    while (c) {
        struct tsk_arena_chunk *n = c->next;
        if (c->size & 1)
            munmap(c, CHUNK_HDR + (c->size & ~(size_t)1));
        else
            free(c);
        c = n;
    }
    memset(a, 0, sizeof(*a));
}

/* ---- document ------------------------------------------------------- */

struct tsk_doc *tsk_doc_new(void)
{
    struct tsk_doc *doc = tsk_xcalloc(1, sizeof(*doc));
    struct tsk_pos nopos = {0};
    doc->root = tsk_table_new(doc, &nopos);
    doc->globals = tsk_table_new(doc, &nopos);
    return doc;
}

void tsk_doc_free(struct tsk_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->srcs.n; i++) {
        struct tsk_src *src = doc->srcs.v[i];
        int mapped = 0;
        for (size_t j = 0; j < doc->maps.n; j++) {
            if (doc->maps.v[j].src == src) {
                if (doc->maps.v[j].addr)
                    munmap(doc->maps.v[j].addr, doc->maps.v[j].len);
                mapped = 1;
            }
        }
        if (mapped) {
            free(src->name);
            free(src);
        } else {
            tsk_src_free(src);
        }
    }
    TSK_ARRAY_FREE(doc->srcs);
    TSK_ARRAY_FREE(doc->maps);
    tsk_arena_release(&doc->arena);
    free(doc);
}

const struct tsk_table *tsk_doc_root(const struct tsk_doc *doc)
{
    return doc ? doc->root : NULL;
}

struct tsk_table *tsk_table_new(struct tsk_doc *doc, const struct tsk_pos *pos)
{
    struct tsk_table *t = tsk_arena_zalloc(&doc->arena, sizeof(*t));
    t->pos = *pos;
    return t;
}

struct tsk_array *tsk_array_new(struct tsk_doc *doc, size_t n)
{
    struct tsk_array *a = tsk_arena_alloc(&doc->arena, sizeof(*a));
    a->n = n;
    a->v = n ? tsk_arena_alloc(&doc->arena, n * sizeof(*a->v)) : NULL;
    return a;
}

/* A word-at-a-time multiplicative hash (keys are short). */
static inline uint64_t hash_key(const char *s, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ (len * 0xff51afd7ed558ccdull);
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
        h ^= h >> 32;
    }
    if (i < len) {
        uint64_t w = 0;
        memcpy(&w, s + i, len - i);
        h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    }
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 32);
}

static inline int key_eq(const char *k, const char *s, size_t len)
{
    return tsk_key_len(k) == len && memcmp(k, s, len) == 0;
}

#define LINEAR_MAX 12

struct tsk_entry *tsk_table_findn(const struct tsk_table *t, const char *key,
                                  size_t len)
{
    if (!t->idx_) {
        for (size_t i = 0; i < t->n; i++)
            if ((len == 0 || t->e[i].key[0] == key[0]) &&
                key_eq(t->e[i].key, key, len))
                return &t->e[i];
        return NULL;
    }
    uint32_t tag = (uint32_t)hash_key(key, len);
    size_t mask = t->idx_cap_ - 1, h = tag & mask;
    for (;;) {
        uint64_t ix = t->idx_[h];
        if (!ix)
            return NULL;
        if ((uint32_t)ix == tag && key_eq(t->e[(ix >> 32) - 1].key, key, len))
            return &t->e[(ix >> 32) - 1];
        h = (h + 1) & mask;
    }
}

/* Records entry i, whose key hashes to tag (low 32 bits), in the index. */
static void index_insert(uint64_t *idx, size_t mask, size_t i, uint32_t tag)
{
    size_t h = tag & mask;
    while (idx[h])
        h = (h + 1) & mask;
    idx[h] = (uint64_t)(i + 1) << 32 | tag;
}

/* A new index of cap slots: from the old one (the tags are the hashes'
 * low bits, so no key is read again), or from the entries. */
static void reindex(struct tsk_doc *doc, struct tsk_table *t, size_t cap)
{
    uint64_t *idx = tsk_arena_zalloc(&doc->arena, cap * sizeof(*idx));
    if (t->idx_) {
        for (size_t j = 0; j < t->idx_cap_; j++)
            if (t->idx_[j])
                index_insert(idx, cap - 1, (size_t)(t->idx_[j] >> 32) - 1,
                             (uint32_t)t->idx_[j]);
    } else {
        for (size_t i = 0; i < t->n; i++) {
            const char *k = t->e[i].key;
            index_insert(idx, cap - 1, i,
                         (uint32_t)hash_key(k, tsk_key_len(k)));
        }
    }
    t->idx_ = idx;
    t->idx_cap_ = cap;
}

#define INTERN_MAX 40

/* A copy of a key in the arena, its length in the 4 bytes before it (see
 * tsk_key_len). */
static const char *key_dup(struct tsk_doc *doc, const char *key, size_t len)
{
    char *p = tsk_arena_alloc(&doc->arena, 4 + len + 1);
    uint32_t n = (uint32_t)len;
    memcpy(p, &n, 4);
    memcpy(p + 4, key, len);
    p[4 + len] = '\0';
    return p + 4;
}

/* The document's copy of a short key (one per distinct key). */
static const char *intern(struct tsk_doc *doc, const char *key, size_t len,
                          uint64_t hash)
{
    if (len > INTERN_MAX || memchr(key, '\0', len))
        return key_dup(doc, key, len);
    if (doc->keys.n * 2 >= doc->keys.cap) {
        /* in the arena: the old index is left behind, no page faults */
        size_t cap = doc->keys.cap ? doc->keys.cap * 2 : 256;
        struct tsk_key_slot *v =
            tsk_arena_zalloc(&doc->arena, cap * sizeof(*v));
        for (size_t i = 0; i < doc->keys.cap; i++) {
            const struct tsk_key_slot *o = &doc->keys.v[i];
            if (!o->k)
                continue;
            size_t h = (size_t)o->h & (cap - 1);
            while (v[h].k)
                h = (h + 1) & (cap - 1);
            v[h] = *o;
        }
        doc->keys.v = v;
        doc->keys.cap = cap;
    }
    size_t mask = doc->keys.cap - 1, h = (size_t)hash & mask;
    for (;;) {
        const struct tsk_key_slot *o = &doc->keys.v[h];
        if (!o->k)
            break;
        if (o->h == hash && key_eq(o->k, key, len))
            return o->k;
        h = (h + 1) & mask;
    }
    const char *k = key_dup(doc, key, len);
    doc->keys.v[h].k = k;
    doc->keys.v[h].h = hash;
    doc->keys.n++;
    return k;
}

void tsk_table_reserve(struct tsk_doc *doc, struct tsk_table *t, size_t n)
{
    if (t->n == 0 && !t->scratch_ && n > t->cap_) {
        t->e = tsk_arena_alloc(&doc->arena, n * sizeof(*t->e));
        t->cap_ = n;
    }
}

struct tsk_entry *tsk_table_add(struct tsk_doc *doc, struct tsk_table *t,
                                const char *key, size_t len,
                                const struct tsk_pos *key_pos)
{
    if (t->n == t->cap_) {
        size_t cap = t->cap_ ? t->cap_ * 2 : 4;
        if (t->scratch_) { /* malloc'd by the parser (an inline table) */
            t->e = tsk_xrealloc(t->e, cap * sizeof(*t->e));
        } else {
            /* the old entries stay behind in the arena (at most as much
             * again as the final table), which is cheaper than the page
             * faults of growing a separate allocation */
            struct tsk_entry *e =
                tsk_arena_alloc(&doc->arena, cap * sizeof(*e));
            if (t->n)
                memcpy(e, t->e, t->n * sizeof(*e));
            t->e = e;
        }
        t->cap_ = cap;
    }
    uint64_t hash = hash_key(key, len);
    struct tsk_entry *e = &t->e[t->n++];
    e->key = intern(doc, key, len, hash);
    e->key_pos = *key_pos;
    memset(&e->val, 0, sizeof(e->val));
    if (t->idx_) {
        if (t->n * 2 > t->idx_cap_)
            reindex(doc, t, t->idx_cap_ * 2);
        index_insert(t->idx_, t->idx_cap_ - 1, t->n - 1, (uint32_t)hash);
    } else if (t->n > LINEAR_MAX) {
        reindex(doc, t, 32);
    }
    return e;
}

const struct tsk_entry *tsk_table_find(const struct tsk_table *t,
                                       const char *key)
{
    if (!t || !key)
        return NULL;
    return tsk_table_findn(t, key, strlen(key));
}

const struct tsk_value *tsk_table_get(const struct tsk_table *t,
                                      const char *key)
{
    const struct tsk_entry *e = tsk_table_find(t, key);
    return e ? &e->val : NULL;
}

const struct tsk_value *tsk_doc_lookup(const struct tsk_doc *doc,
                                       const char *path)
{
    if (!doc || !path || !*path)
        return NULL;
    const struct tsk_value *v = NULL;
    const struct tsk_table *t = doc->root;
    const char *s = path;
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        if (t) {
            const struct tsk_entry *e = tsk_table_findn(t, s, len);
            if (!e)
                return NULL;
            v = &e->val;
        } else if (v && v->kind == TSK_V_ARRAY) {
            size_t ix = 0;
            if (len == 0 || len > 18)
                return NULL;
            for (size_t i = 0; i < len; i++) {
                if (s[i] < '0' || s[i] > '9')
                    return NULL;
                ix = ix * 10 + (size_t)(s[i] - '0');
            }
            if (ix >= v->u.arr->n)
                return NULL;
            v = &v->u.arr->v[ix];
        } else {
            return NULL;
        }
        if (!dot)
            return v;
        t = v->kind == TSK_V_TABLE ? v->u.tab : NULL;
        s = dot + 1;
    }
}

const char *tsk_vkind_name(enum tsk_vkind k)
{
    switch (k) {
    case TSK_V_NULL:
        return "null";
    case TSK_V_BOOL:
        return "boolean";
    case TSK_V_INT:
        return "integer";
    case TSK_V_DOUBLE:
        return "double";
    case TSK_V_STRING:
        return "string";
    case TSK_V_ARRAY:
        return "array";
    case TSK_V_TABLE:
        return "table";
    }
    return "invalid value";
}

struct tsk_value tsk_str_value(struct tsk_doc *doc, const char *s, size_t len,
                               const struct tsk_pos *pos)
{
    struct tsk_value v = {0};
    v.kind = TSK_V_STRING;
    v.pos = *pos;
    v.u.str.s = tsk_arena_strndup(&doc->arena, s, len);
    v.u.str.len = len;
    return v;
}

struct tsk_value tsk_value_copy(struct tsk_doc *doc, const struct tsk_value *v)
{
    struct tsk_value r = *v;
    if (v->kind == TSK_V_TABLE) {
        const struct tsk_table *t = v->u.tab;
        struct tsk_table *c = tsk_table_new(doc, &t->pos);
        for (size_t i = 0; i < t->n; i++) {
            const struct tsk_entry *e = &t->e[i];
            struct tsk_entry *ne =
                tsk_table_add(doc, c, e->key, tsk_key_len(e->key), &e->key_pos);
            ne->val = tsk_value_copy(doc, &e->val);
        }
        c->is_inline = 1;
        r.u.tab = c;
    } else if (v->kind == TSK_V_ARRAY) {
        struct tsk_array *a = tsk_array_new(doc, v->u.arr->n);
        for (size_t i = 0; i < a->n; i++)
            a->v[i] = tsk_value_copy(doc, &v->u.arr->v[i]);
        r.u.arr = a;
    }
    return r;
}
