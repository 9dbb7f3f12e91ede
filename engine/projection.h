/*
** projection.h -- what the two projection methods share (trend.c, project_flow.c) and
** targets.c uses: the years projected and the dates they stand for, when a
** share has reached the band, the projection and parity columns of a result.
*/
#ifndef PARITY_PROJECTION_H
#define PARITY_PROJECTION_H

#include "result.h"
#include "table.h"

#define PROJECTION_MAX_YEAR 2200

typedef struct projection_years {
    size_t s_at;            /* the last snapshot used */
    int at_year, month, day; /* its date */
    int first, last;        /* the years projected: at_year + 1 .. horizon */
} projection_years;

/* Resolves o->at and o->horizon. */
int projection_setup(parity_table *t, const parity_project_options *o, projection_years *y);
/* The date year `year` is projected at, and that date as a decimal year. */
int32_t projection_date(const projection_years *y, int year);
double projection_x(const projection_years *y, int year);
/* Has a share that started at `start`, outside the band, reached it: at or
** past the band's near edge? (A fast line may step over the band.) */
bool projection_reached(double share, double start, double target, double band);
/* The columns projection.YEAR.female_share and .pi95 (and .simulated_mean
** when mc_mean), people seeing at most six of the years and the horizon's
** interval when there are intervals. */
int projection_add_columns(parity_result *r, const projection_years *y, bool intervals, bool mc_mean);
/* Writes a projected share (and its interval) clamped to [0, 1]. */
void projection_put(parity_result *r, size_t row, size_t col, double share, double lo, double hi,
            bool has_interval);

/* The parity columns of a projection: parity_year (a year, or null),
** parity_status ("reached", "projected", "not_reached"; null when there is
** no projection), parity_year_extrapolated and reason (a note), at offsets
** 0, 1, 2 and PROJECTION_C_REASON from the first. */
#define PROJECTION_C_REASON 3
int projection_add_parity_columns(parity_result *r);
/* Fills them: year -1 for "reached", 0 for not reached, else the year
** (extrapolated: beyond the span of the data behind it, marked "*"). */
void projection_put_parity(parity_result *r, size_t row, size_t col, int year, bool extrapolated);

/* Under the configuration's min_cell: withholds every number of a group
** row (rows 0..nk-1, keys[] their group keys in g) whose women or others at
** snapshot s_at are from 1 to min_cell - 1, and its name when the group is
** smaller than min_cell; withholds the "staff" headcounts (representation
** publishes them, protected). Says so in r's metadata and notes. */
struct grouping;
int projection_protect(const parity_table *t, const struct grouping *g, size_t s_at,
                       const uint64_t *keys, size_t nk, parity_result *r);

#endif /* PARITY_PROJECTION_H */
