/*
** dict.h -- string interning: string <-> dense code 0..n-1.
**
** Open addressing over a power-of-two slot array; the strings live in a
** chunked arena owned by the dict, so interning allocates only when a chunk
** fills, never per lookup.
*/
#ifndef PARITY_DICT_H
#define PARITY_DICT_H

#include "common.h"

typedef struct dict_chunk dict_chunk;

typedef struct dictionary {
    char **str;        /* code -> NUL-terminated string (in the arena) */
    uint32_t n, cap;   /* codes in use / allocated */
    uint64_t *slot;    /* hash << 32 | (code + 1), or 0 for empty */
    uint32_t nslot;    /* power of two, or 0 */
    uint32_t nindexed; /* codes [0, nindexed) are in slot[]; codes added by
                       ** dict_add() after them are indexed on the next look-up */
    dict_chunk *arena;
} dictionary;

void dict_init(dictionary *d);
void dict_free(dictionary *d);
/* The code of s (interning it when new); -1 when out of memory. */
int64_t dict_intern(dictionary *d, const char *s, size_t len);
/* The code of s, or -1 when absent (or out of memory building the index). */
int64_t dict_find(const dictionary *d, const char *s, size_t len);
/* Makes room for n strings in all; -1 when out of memory. */
int dict_reserve(dictionary *d, uint32_t n);
/* Adds s, known to be absent (e.g. read from a UNIQUE column), without
** looking for it: its new code, or -1 when out of memory. The hash index
** takes it in on the next look-up, so a dictionary that is only read by
** code (staff ids reloaded from the store) never builds one. */
int64_t dict_add(dictionary *d, const char *s, size_t len);
/* Forgets the codes from n on (a failed load's strings); the codes below n
** keep their strings. */
void dict_truncate(dictionary *d, uint32_t n);
/* Interns every string of src into d, in src's code order, writing each
** one's code in d to map[its code in src]; -1 when out of memory. */
int dict_merge(dictionary *d, const dictionary *src, uint32_t *map);
/* As dict_intern(), trying the code `hint` first: one comparison instead of
** a hash and a probe when the caller guesses right, as a loader does for
** staff ids listed in the same order snapshot after snapshot. */
int64_t dict_intern_hint(dictionary *d, const char *s, size_t len, uint32_t hint);
/* Whether code holds s (len bytes, no NUL among them: the CSV reader
** rejects NUL bytes and the store reader stops at one). The first bytes are
** compared inline, the rest by strncmp(); when it finds the first len bytes
** equal, none of the stored string's is its NUL, so its byte len is still
** its own, and must be its end. */
static inline bool dict_same(const dictionary *d, uint32_t code, const char *s, size_t len) {
    const char *t = d->str[code];
    if (len == 0) return t[0] == '\0';
    return t[0] == s[0] && strncmp(t, s, len) == 0 && t[len] == '\0';
}
/* A caller's memo of hints for one dictionary: DICT_MEMO codes, direct-mapped
** by dict_memo_key() (the length and three bytes of the string), each the
** code last found for a string with that key. For a column of a few dozen
** values it guesses right nearly every time, so a look-up is one comparison
** instead of a hash and a probe. */
#define DICT_MEMO 256
static inline uint32_t dict_memo_key(const char *s, size_t len) {
    if (len == 0) return 0;
    uint32_t k = (uint32_t)(unsigned char)s[0] | (uint32_t)(unsigned char)s[len / 2] << 8 |
                 (uint32_t)(unsigned char)s[len - 1] << 16 | (uint32_t)len << 24;
    return (k * 0x9E3779B1u) >> 24;
}
static inline const char *dict_str(const dictionary *d, uint32_t code) {
    return d->str[code];
}
uint32_t dict_hash(const char *s, size_t len);

#endif /* PARITY_DICT_H */
