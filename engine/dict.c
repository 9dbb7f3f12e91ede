/*
** dict.c -- string interning, the engine's one hash table.
**
** Every categorical value, grade spelling and staff id goes through here once
** per distinct string; after that the engine works on the dense codes. The
** table is open-addressed with linear probing over a power-of-two array of
** 64-bit slots, each the string's 32-bit hash beside its code + 1 (0 =
** empty), grown at 75% load. The hash in the slot lets a probe pass over
** other strings without touching them, and keeps a run of probes within a
** cache line or two: a look-up in a dictionary of a million staff ids costs
** about one cache miss for the slot and one for the string. Lengths are not
** kept (the strings are NUL-terminated and the hash covers the length), so
** an entry costs its string, a pointer and about 11 bytes of slots. Strings
** are copied into an arena of 64 KiB chunks owned by the dict, so a look-up
** never allocates and interning allocates only when a chunk fills.
*/
#include <stdlib.h>
#include <string.h>

#include "dict.h"

#define PD_CHUNK (64 * 1024)

struct dict_chunk {
    dict_chunk *next;
    size_t used, cap;
    char data[];
};

void dict_init(dictionary *d) { memset(d, 0, sizeof *d); }

void dict_free(dictionary *d) {
    dict_chunk *c = d->arena;
    while (c) {
        dict_chunk *next = c->next;
        free(c);
        c = next;
    }
    free(d->str);
    free(d->slot);
    memset(d, 0, sizeof *d);
}

/* Eight bytes at a time, each word mixed in by a multiply (the golden-ratio
** constant) and the whole finished as in MurmurHash3's fmix64: short keys,
** no need for anything stronger, and four times fewer steps than a byte-wise
** hash on the 8-20 byte ids and names of HR files. */
uint32_t dict_hash(const char *s, size_t len) {
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

static char *arena_copy(dictionary *d, const char *s, size_t len) {
    dict_chunk *c = d->arena;
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

/* The number of slots for n strings: a power of two at most 3/4 full. */
static uint32_t slots_for(uint32_t n) {
    uint32_t ns = 64;
    while ((uint64_t)n * 4 > (uint64_t)ns * 3) ns *= 2;
    return ns;
}

static void place(uint64_t *slot, uint32_t mask, uint32_t h, uint32_t code) {
    uint32_t i = h & mask;
    while (slot[i]) i = (i + 1) & mask;
    slot[i] = (uint64_t)h << 32 | (code + 1);
}

/* Moves the index to nslot slots; the hashes come from the old slots. */
static int rehash(dictionary *d, uint32_t nslot) {
    uint64_t *slot = calloc(nslot, sizeof *slot);
    if (!slot) return -1;
    for (uint32_t i = 0; i < d->nslot; i++)
        if (d->slot[i]) place(slot, nslot - 1, (uint32_t)(d->slot[i] >> 32), (uint32_t)d->slot[i] - 1);
    free(d->slot);
    d->slot = slot;
    d->nslot = nslot;
    return 0;
}

/* Takes the codes dict_add() left out of the index into it, and makes room
** for one more string. */
static int index_all(dictionary *d) {
    uint32_t ns = slots_for(d->n + 1);
    if (ns > d->nslot && rehash(d, ns) != 0) return -1;
    for (uint32_t c = d->nindexed; c < d->n; c++)
        place(d->slot, d->nslot - 1, dict_hash(d->str[c], strlen(d->str[c])), c);
    d->nindexed = d->n;
    return 0;
}

/* The slot holding s, or the empty slot where it would go. */
static uint32_t probe(const dictionary *d, const char *s, size_t len, uint32_t h) {
    uint32_t mask = d->nslot - 1, i = h & mask;
    for (;; i = (i + 1) & mask) {
        uint64_t e = d->slot[i];
        if (!e || ((uint32_t)(e >> 32) == h && dict_same(d, (uint32_t)e - 1, s, len))) return i;
    }
}

int64_t dict_find(const dictionary *d, const char *s, size_t len) {
    /* the index is a cache: building it leaves the strings and codes as
    ** they are, so a dictionary read through a const pointer may do it */
    if (d->nindexed < d->n && index_all((dictionary *)d) != 0) return -1;
    if (!d->nslot) return -1;
    uint64_t e = d->slot[probe(d, s, len, dict_hash(s, len))];
    return e ? (int64_t)((uint32_t)e - 1) : -1;
}

static int room(dictionary *d, uint32_t cap) {
    char **str = realloc(d->str, cap * sizeof *str);
    if (!str) return -1;
    d->str = str;
    d->cap = cap;
    return 0;
}

int dict_reserve(dictionary *d, uint32_t n) {
    if (n > UINT32_MAX / 4) return -1;
    return n > d->cap ? room(d, n) : 0;
}

/* Appends s as a new code, leaving the index alone. */
int64_t dict_add(dictionary *d, const char *s, size_t len) {
    if (d->n >= UINT32_MAX / 4) return -1;
    if (d->n == d->cap && room(d, d->cap ? d->cap * 2 : 32) != 0) return -1;
    char *copy = arena_copy(d, s, len);
    if (!copy) return -1;
    d->str[d->n] = copy;
    return d->n++;
}

int64_t dict_intern(dictionary *d, const char *s, size_t len) {
    return dict_intern_hint(d, s, len, UINT32_MAX);
}

int64_t dict_intern_hint(dictionary *d, const char *s, size_t len, uint32_t hint) {
    if (hint < d->n && dict_same(d, hint, s, len)) return hint;
    /* room for one more first, so that the empty slot found stays the place */
    if (d->nindexed < d->n || (uint64_t)(d->n + 1) * 4 > (uint64_t)d->nslot * 3)
        if (index_all(d) != 0) return -1;
    uint32_t h = dict_hash(s, len), i = probe(d, s, len, h);
    if (d->slot[i]) return (uint32_t)d->slot[i] - 1;
    int64_t code = dict_add(d, s, len);
    if (code < 0) return -1;
    d->slot[i] = (uint64_t)h << 32 | (uint32_t)(code + 1);
    d->nindexed = d->n;
    return code;
}

void dict_truncate(dictionary *d, uint32_t n) {
    if (n >= d->n) return;
    /* the strings stay in the arena until the dictionary is freed; the
    ** index is rebuilt from the codes that are left on the next look-up */
    d->n = n;
    if (d->slot) memset(d->slot, 0, (size_t)d->nslot * sizeof *d->slot);
    d->nindexed = 0;
}

int dict_merge(dictionary *d, const dictionary *src, uint32_t *map) {
    for (uint32_t code = 0; code < src->n; code++) {
        const char *s = src->str[code];
        int64_t k = dict_intern(d, s, strlen(s));
        if (k < 0) return -1;
        map[code] = (uint32_t)k;
    }
    return 0;
}
