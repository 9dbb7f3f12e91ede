/*
** dict.c -- string interning, the engine's one hash table.
**
** Every categorical value, grade spelling and staff id goes through here once
** per distinct string; after that the engine works on the dense codes. The
** table is open-addressed with linear probing over a power-of-two array of
** slots that hold code + 1 (0 = empty), and is grown at 50% load. Strings are
** copied into an arena of 64 KiB chunks owned by the dict, so a lookup never
** allocates and interning allocates only when a chunk fills.
*/
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PD_CHUNK (64 * 1024)

struct pd_arena_chunk {
    pd_arena_chunk *next;
    size_t used, cap;
    char data[];
};

void pd_init(pdict *d) { memset(d, 0, sizeof *d); }

void pd_free(pdict *d) {
    pd_arena_chunk *c = d->arena;
    while (c) {
        pd_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    free(d->str);
    free(d->len);
    free(d->hash);
    free(d->slot);
    memset(d, 0, sizeof *d);
}

/* Eight bytes at a time, each word mixed in by a multiply (the golden-ratio
** constant) and the whole finished as in MurmurHash3's fmix64: short keys,
** no need for anything stronger, and four times fewer steps than a byte-wise
** hash on the 8-20 byte ids and names of HR files. */
uint32_t pd_hash(const char *s, size_t len) {
    const uint64_t k = 0x9E3779B97F4A7C15u;
    uint64_t h = (uint64_t)len * k, w;
    for (; len >= 8; s += 8, len -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    if (len) {
        w = 0;
        memcpy(&w, s, len);
        h = (h ^ w) * k;
    }
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDu;
    h ^= h >> 33;
    return (uint32_t)h;
}

static char *arena_copy(pdict *d, const char *s, size_t len) {
    pd_arena_chunk *c = d->arena;
    if (!c || c->cap - c->used < len + 1) {
        size_t cap = len + 1 > PD_CHUNK ? len + 1 : PD_CHUNK;
        c = malloc(sizeof *c + cap);
        if (!c) return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = d->arena;
        d->arena = c;
    }
    char *p = c->data + c->used;
    memcpy(p, s, len);
    p[len] = '\0';
    c->used += len + 1;
    return p;
}

static int rehash(pdict *d, uint32_t nslot) {
    uint32_t *slot = calloc(nslot, sizeof *slot);
    if (!slot) return -1;
    for (uint32_t code = 0; code < d->n; code++) {
        uint32_t i = d->hash[code] & (nslot - 1);
        while (slot[i]) i = (i + 1) & (nslot - 1);
        slot[i] = code + 1;
    }
    free(d->slot);
    d->slot = slot;
    d->nslot = nslot;
    return 0;
}

int64_t pd_find(const pdict *d, const char *s, size_t len) {
    if (!d->nslot) return -1;
    uint32_t h = pd_hash(s, len);
    uint32_t i = h & (d->nslot - 1);
    while (d->slot[i]) {
        uint32_t code = d->slot[i] - 1;
        if (d->hash[code] == h && d->len[code] == len &&
            memcmp(d->str[code], s, len) == 0)
            return code;
        i = (i + 1) & (d->nslot - 1);
    }
    return -1;
}

static int room(pdict *d, uint32_t cap) {
    char **str = realloc(d->str, cap * sizeof *str);
    if (!str) return -1;
    d->str = str;
    uint32_t *l = realloc(d->len, cap * sizeof *l);
    if (!l) return -1;
    d->len = l;
    uint32_t *h = realloc(d->hash, cap * sizeof *h);
    if (!h) return -1;
    d->hash = h;
    d->cap = cap;
    return 0;
}

int pd_reserve(pdict *d, uint32_t n) {
    if (n > UINT32_MAX / 4) return -1;
    uint32_t nslot = d->nslot ? d->nslot : 64;
    while ((uint64_t)n * 2 > nslot) nslot *= 2;
    if (nslot > d->nslot && rehash(d, nslot) != 0) return -1;
    return n > d->cap ? room(d, n) : 0;
}

int64_t pd_find_hint(const pdict *d, const char *s, size_t len, uint32_t hint) {
    if (hint < d->n && d->len[hint] == len && memcmp(d->str[hint], s, len) == 0) return hint;
    return pd_find(d, s, len);
}

int64_t pd_intern(pdict *d, const char *s, size_t len) {
    return pd_intern_hint(d, s, len, UINT32_MAX);
}

int64_t pd_intern_hint(pdict *d, const char *s, size_t len, uint32_t hint) {
    int64_t found = pd_find_hint(d, s, len, hint);
    return found >= 0 ? found : pd_add(d, s, len);
}

int pd_merge(pdict *d, const pdict *src, uint32_t *map) {
    for (uint32_t code = 0; code < src->n; code++) {
        int64_t k = pd_intern(d, src->str[code], src->len[code]);
        if (k < 0) return -1;
        map[code] = (uint32_t)k;
    }
    return 0;
}

int64_t pd_add(pdict *d, const char *s, size_t len) {
    if (d->n == UINT32_MAX - 1) return -1;
    if ((uint64_t)(d->n + 1) * 2 > d->nslot) {
        if (rehash(d, d->nslot ? d->nslot * 2 : 64) != 0) return -1;
    }
    if (d->n == d->cap && room(d, d->cap ? d->cap * 2 : 32) != 0) return -1;
    char *copy = arena_copy(d, s, len);
    if (!copy) return -1;
    uint32_t code = d->n++;
    d->str[code] = copy;
    d->len[code] = (uint32_t)len;
    d->hash[code] = pd_hash(s, len);
    uint32_t i = d->hash[code] & (d->nslot - 1);
    while (d->slot[i]) i = (i + 1) & (d->nslot - 1);
    d->slot[i] = code + 1;
    return code;
}
