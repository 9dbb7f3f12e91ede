/*
** trend.h -- trend lines per group (DESIGN.md, "Projections", "Trend").
*/
#ifndef PARITY_TREND_H
#define PARITY_TREND_H

#include "projection.h"
#include "stats.h"

int trend_project(parity_table *t, const parity_project_options *o, parity_result **out);

/* The first year after y->at_year at which the line is within the band
** [target - band, target + band], or has stepped over it since the year
** before, judged on the line itself from its value at the last snapshot;
** 0 when it never is before PROJECTION_MAX_YEAR. */
int trend_parity_year(const stats_line *l, const projection_years *y, double target, double band);

#endif /* PARITY_TREND_H */
