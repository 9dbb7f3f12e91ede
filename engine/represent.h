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

/* The measure columns of a representation (female, male, other, unknown,
** total, female_share, ci95, gap_to_parity, gap_to_parity_men, status),
** a row's values from its counts from column `first` on, and their
** declaration for protection (disclose.h). */
int represent_add_measure_columns(parity_result *r);
void represent_put_measures(parity_result *r, size_t row, size_t first, const sexcount *c,
                            const parity_config *cfg);
int represent_declare_counts(parity_result *r, size_t first);
/* female_share, ci95, gap_to_parity, gap_to_parity_men and status at
** columns col..col+4 from f women of total (nothing when total is 0). */
void represent_put_shares(parity_result *r, size_t row, size_t col, int64_t f, int64_t total,
                          const parity_config *cfg);
/* Whether grade code g is a top grade of the glass ceiling index: 1, 0, or
** -1 when the scale defines none. */
int represent_is_top_grade(const parity_table *t, uint32_t g);

#endif /* PARITY_REPRESENT_H */
