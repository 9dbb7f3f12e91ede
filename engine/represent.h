/*
** represent.h -- stock counts.
*/
#ifndef PARITY_REPRESENT_H
#define PARITY_REPRESENT_H

#include "group.h"

typedef struct sexcount {
    int64_t n[4]; /* indexed by sexcode */
} sexcount;

/* Stock counts per group and snapshot for snapshots [s0, s1): a new array
** of g->nkeys * (s1 - s0) cells, cell [key * (s1 - s0) + (s - s0)]. NULL
** when out of memory. */
sexcount *represent_stocks(const parity_table *t, const grouping *g, size_t s0, size_t s1);

#endif /* PARITY_REPRESENT_H */
