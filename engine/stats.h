/*
** stats.h -- shares, intervals and the parity band.
*/
#ifndef PARITY_STATS_H
#define PARITY_STATS_H

#include "common.h"

typedef enum band_status { BAND_BELOW = 0, BAND_WITHIN, BAND_ABOVE } band_status;
extern const char *const stats_band_name[3];

/* Wilson score interval for k successes in n trials at the given two-sided
** confidence (0.95). n = 0 gives [0, 1]. */
void stats_wilson(double k, double n, double confidence, double *lo, double *hi);
band_status stats_band(double share, double target, double band);
/* ceil(target * total) - female when below the band, else 0: the women
** who would have to replace men for the group to reach the target share. */
int64_t stats_gap_women(int64_t female, int64_t total, double target,
                         double band);
/* Its mirror: female - floor(target * total) when above the band, else 0:
** the men who would have to replace women. */
int64_t stats_gap_men(int64_t female, int64_t total, double target, double band);

/* Two-proportion z-test (pooled); false when undefined. */
bool stats_ztest(double x1, double n1, double x2, double n2, double *z, double *p);
/* Fisher's exact test, two-sided, for x1 events of n1 against x2 of n2. */
double stats_fisher(unsigned x1, unsigned n1, unsigned x2, unsigned n2);

/* A least-squares line y = c0 + c1 x (GSL) and what its prediction
** interval needs. */
typedef struct stats_line {
    double c0, c1;   /* intercept, slope */
    double s2;       /* residual variance, RSS / (n - 2) */
    double xbar, sxx; /* mean of x, sum of (x - xbar)^2 */
    double t975;     /* Student t quantile, n - 2 degrees of freedom */
    size_t n;
} stats_line;

/* Fits n >= 3 points; false when there are fewer or x does not vary. */
bool stats_linfit(const double *x, const double *y, size_t n, stats_line *out);
/* The line at x, and its 95% prediction interval in *lo, *hi. */
double stats_linfit_predict(const stats_line *l, double x, double *lo, double *hi);
/* The standard error of the slope, sqrt(s2 / Sxx). */
double stats_linfit_slope_sd(const stats_line *l);

#endif /* PARITY_STATS_H */
