/*
** stats.c -- shares, Wilson intervals, the parity band and the gap to parity
** (DESIGN.md, "Definitions"). Quantiles come from GSL.
*/
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "internal.h"

const char *const pband_name[3] = {"below", "within", "above"};

/* Wilson score interval: the centre is shrunk towards 1/2 and the width does
** not collapse at k = 0 or k = n, which is why it is the right interval for
** the small groups at the top of a grade pyramid. */
void ps_wilson(double k, double n, double confidence, double *lo, double *hi) {
    if (n <= 0) {
        *lo = 0;
        *hi = 1;
        return;
    }
    double z = gsl_cdf_ugaussian_Pinv(1 - (1 - confidence) / 2);
    double p = k / n, z2 = z * z;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denom;
    double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
    *lo = fmax(0, centre - half);
    *hi = fmin(1, centre + half);
    /* At k = 0 or k = n the exact bound is 0 or 1; rounding must not say
    ** otherwise. */
    if (k <= 0) *lo = 0;
    if (k >= n) *hi = 1;
}

/* The band is closed: a share exactly at target - band is within. A small
** tolerance keeps 47/100 (0.47 in floating point) within a 0.5 +/- 0.03
** band, as a person would read it. */
pband ps_band(double share, double target, double band) {
    const double eps = 1e-12;
    if (share < target - band - eps) return PBAND_BELOW;
    if (share > target + band + eps) return PBAND_ABOVE;
    return PBAND_WITHIN;
}

int64_t ps_gap_to_parity(int64_t female, int64_t total, double target, double band) {
    if (total <= 0) return 0;
    if (ps_band((double)female / (double)total, target, band) != PBAND_BELOW) return 0;
    /* ceil(target * total) with the same tolerance: 0.5 * 7 = 3.5 -> 4. */
    int64_t need = (int64_t)ceil(target * (double)total - 1e-9);
    return need > female ? need - female : 0;
}
