/*
** disclose.h -- statistical disclosure control of a result's counts
** (DESIGN.md, "Privacy"; README, "Personal data").
*/
#ifndef PARITY_DISCLOSE_H
#define PARITY_DISCLOSE_H

#include "result.h"

/* What protection withheld. */
typedef struct disclose_stats {
    size_t primary;   /* counts from 1 to min_cell - 1 */
    size_t secondary; /* counts withheld so that those cannot be worked out */
    size_t derived;   /* shares, intervals, gaps and statuses withheld with them */
    size_t zeros;     /* zeros of groups smaller than min_cell */
} disclose_stats;

/* Withholds r's counts (declared with result_set_counts) from 1 to
** min_cell - 1, then as many more as it takes that none of them is
** determined by the totals and the counts shown, then every derived cell
** of a row whose counts it is computed from are withheld or small.
** Withheld cells become null. Says so in r's metadata and notes. */
int disclose_result(parity_result *r, long min_cell, disclose_stats *st);

/* The two steps of disclose_result(), for a publication of several tables
** (report.c): the counts to withhold in r, hidden[row * ncount + c]
** (primary and, within r, secondary), and withholding them with what goes
** with them (a pattern that may have grown since: audit.c). */
int disclose_plan(const parity_result *r, long min_cell, bool *hidden, disclose_stats *st);
/* As disclose_plan(), the cells already true in hidden[] withheld from the
** start (a count another table withholds). */
int disclose_plan_given(const parity_result *r, long min_cell, bool *hidden, disclose_stats *st);
int disclose_apply(parity_result *r, long min_cell, const bool *hidden, disclose_stats *st);

/* Withholds the counts of a flows result (parity_flows()) from 1 to
** min_cell - 1, and what would give them away through the column totals or
** the identity each row keeps (the staff at the end are those at the start
** plus the movements: on every row when rows_closed, else on the total
** row), with the rates and tests computed from them; a group that never had
** min_cell people is not named. */
int disclose_flows(parity_result *r, long min_cell, bool rows_closed, disclose_stats *st);

/* The group rows unnamed[] marks (groups too small to name) named
** "(withheld)", every other cell of theirs withheld, and moved after the
** others. */
int disclose_unname(parity_result *r, const bool *unnamed);

/* Whether a count n is one that protection withholds. */
static inline bool disclose_small(int64_t n, long min_cell) { return n > 0 && n < min_cell; }

#endif /* PARITY_DISCLOSE_H */
