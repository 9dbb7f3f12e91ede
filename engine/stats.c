/*
** stats.c -- shares, Wilson intervals, the parity band and the gap to parity
** (DESIGN.md, "Definitions"). Quantiles come from GSL.
*/
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_statistics_double.h>

#include "stats.h"

const char *const stats_band_name[3] = {"below", "within", "above"};

/* Wilson score interval: the centre is shrunk towards 1/2 and the width does
** not collapse at k = 0 or k = n, which is why it is the right interval for
** the small groups at the top of a grade pyramid. */
void stats_wilson(double k, double n, double confidence, double *lo, double *hi) {
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
band_status stats_band(double share, double target, double band) {
    const double eps = 1e-12;
    if (share < target - band - eps) return BAND_BELOW;
    if (share > target + band + eps) return BAND_ABOVE;
    return BAND_WITHIN;
}

int64_t stats_gap_men(int64_t female, int64_t total, double target, double band) {
    if (total <= 0) return 0;
    if (stats_band((double)female / (double)total, target, band) != BAND_ABOVE) return 0;
    /* women above floor(target * total) replaced by men: 0.5 * 7 = 3.5 -> 3 */
    int64_t keep = (int64_t)floor(target * (double)total + 1e-9);
    return female > keep ? female - keep : 0;
}

int64_t stats_gap_women(int64_t female, int64_t total, double target, double band) {
    if (total <= 0) return 0;
    if (stats_band((double)female / (double)total, target, band) != BAND_BELOW) return 0;
    /* ceil(target * total) with the same tolerance: 0.5 * 7 = 3.5 -> 4. */
    int64_t need = (int64_t)ceil(target * (double)total - 1e-9);
    return need > female ? need - female : 0;
}

/* Two-proportion z-test with the pooled standard error; two-sided p from
** GSL's normal tail. Returns false (z and p left alone) when undefined: an
** empty group, or no events or only events in both. */
bool stats_ztest(double x1, double n1, double x2, double n2, double *z, double *p) {
    if (n1 <= 0 || n2 <= 0) return false;
    double pool = (x1 + x2) / (n1 + n2);
    double se = sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2));
    if (!(se > 0)) return false;
    *z = (x1 / n1 - x2 / n2) / se;
    *p = 2 * gsl_cdf_ugaussian_Q(fabs(*z));
    if (*p > 1) *p = 1;
    return true;
}

/* Fisher's exact test, two-sided: the sum of the probabilities of every
** table with the same margins that is no more likely than the one observed
** (the convention of R's fisher.test), the hypergeometric law from GSL. A
** relative tolerance keeps tables of equal probability together despite
** rounding.
**
** The law is evaluated once, at its mode, by GSL; the other terms follow by
** the ratio p(i+1)/p(i) = (n1-i)(k-i) / ((i+1)(n2-k+i+1)), walking out from
** the mode in both directions until the terms no longer change the sum. A
** grade of thousands of staff then costs a few hundred multiplications, not
** thousands of log-gamma evaluations. */
double stats_fisher(unsigned x1, unsigned n1, unsigned x2, unsigned n2) {
    unsigned k = x1 + x2;
    unsigned lo = k > n2 ? k - n2 : 0, hi = k < n1 ? k : n1;
    if (x1 < lo || x1 > hi) return 1;
    double n = (double)n1 + n2;
    unsigned mode = (unsigned)(((double)k + 1) * ((double)n1 + 1) / (n + 2));
    if (mode < lo) mode = lo;
    if (mode > hi) mode = hi;
    double pmode = gsl_ran_hypergeometric_pdf(mode, n1, n2, k);
    double observed = gsl_ran_hypergeometric_pdf(x1, n1, n2, k);
    double limit = observed * (1 + 1e-7), p = pmode <= limit ? pmode : 0;
    /* upwards from the mode */
    double q = pmode;
    for (unsigned i = mode; i < hi; i++) {
        q *= ((double)n1 - i) * ((double)k - i) / (((double)i + 1) * ((double)n2 - k + i + 1));
        if (q <= limit) p += q;
        if (q < 1e-17 * p && q < 1e-300 + 1e-17 * pmode) break;
    }
    /* downwards */
    q = pmode;
    for (unsigned i = mode; i > lo; i--) {
        q *= (double)i * ((double)n2 - k + i) / (((double)n1 - i + 1) * ((double)k - i + 1));
        if (q <= limit) p += q;
        if (q < 1e-17 * p && q < 1e-300 + 1e-17 * pmode) break;
    }
    return p > 1 ? 1 : p;
}

/* Ordinary least squares y = c0 + c1 x by GSL, with what the prediction
** interval needs: the residual variance s2 = RSS / (n - 2), the mean of x
** and Sxx = sum (x - xbar)^2. Needs n >= 3 points and two distinct x. */
bool stats_linfit(const double *x, const double *y, size_t n, stats_line *out) {
    if (n < 3) return false;
    double cov00, cov01, cov11, rss;
    if (gsl_fit_linear(x, 1, y, 1, n, &out->c0, &out->c1, &cov00, &cov01, &cov11, &rss))
        return false;
    if (!isfinite(out->c1)) return false;
    out->n = n;
    out->s2 = rss / (double)(n - 2);
    out->xbar = gsl_stats_mean(x, 1, n);
    out->sxx = gsl_stats_tss_m(x, 1, n, out->xbar);
    if (!(out->sxx > 0)) return false;
    out->t975 = gsl_cdf_tdist_Pinv(0.975, (double)(n - 2));
    return true;
}

double stats_linfit_slope_sd(const stats_line *l) { return sqrt(l->s2 / l->sxx); }

/* The line at x and its 95% prediction interval for a new observation:
** yhat +- t(0.975, n-2) sqrt(s2 (1 + 1/n + (x - xbar)^2 / Sxx)). */
double stats_linfit_predict(const stats_line *l, double x, double *lo, double *hi) {
    double yhat = l->c0 + l->c1 * x, dx = x - l->xbar;
    double half = l->t975 * sqrt(l->s2 * (1 + 1.0 / (double)l->n + dx * dx / l->sxx));
    *lo = yhat - half;
    *hi = yhat + half;
    return yhat;
}
