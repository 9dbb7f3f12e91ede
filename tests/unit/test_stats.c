/* stats.c: Wilson intervals, the band, the gap to parity -- by hand. */
#include <criterion/criterion.h>
#include <math.h>

#include "markov.h"
#include "projection.h"
#include "represent.h"
#include "stats.h"
#include "trend.h"

#define Z 1.959963984540054 /* 97.5% normal quantile */

Test(stats, wilson_by_hand) {
    double lo, hi;
    /* k = 0: [0, z^2 / (n + z^2)] */
    stats_wilson(0, 5, 0.95, &lo, &hi);
    cr_assert_float_eq(lo, 0, 1e-15);
    cr_assert_float_eq(hi, Z * Z / (5 + Z * Z), 1e-12); /* 0.43448 */
    /* k = n: [n / (n + z^2), 1] */
    stats_wilson(1, 1, 0.95, &lo, &hi);
    cr_assert_float_eq(lo, 1 / (1 + Z * Z), 1e-12); /* 0.20655 */
    cr_assert_float_eq(hi, 1, 1e-15);
    /* 1 of 2: symmetric about 1/2, half-width z*sqrt(1/8 + z^2/16)/(1 + z^2/2) */
    stats_wilson(1, 2, 0.95, &lo, &hi);
    double half = Z * sqrt(0.125 + Z * Z / 16) / (1 + Z * Z / 2);
    cr_assert_float_eq(lo, 0.5 - half, 1e-12);
    cr_assert_float_eq(hi, 0.5 + half, 1e-12);
    cr_assert_float_eq(lo, 0.0945312, 1e-7);
    /* 40 of 100: the textbook example, [0.3094, 0.4980] */
    stats_wilson(40, 100, 0.95, &lo, &hi);
    cr_assert_float_eq(lo, 0.3094, 1e-4);
    cr_assert_float_eq(hi, 0.4980, 1e-4);
    stats_wilson(0, 0, 0.95, &lo, &hi);
    cr_assert(lo == 0 && hi == 1);
}

Test(stats, band_edges_are_within) {
    cr_assert_eq(stats_band(0.47, 0.5, 0.03), BAND_WITHIN);
    cr_assert_eq(stats_band(47.0 / 100, 0.5, 0.03), BAND_WITHIN);
    cr_assert_eq(stats_band(0.53, 0.5, 0.03), BAND_WITHIN);
    cr_assert_eq(stats_band(0.4699, 0.5, 0.03), BAND_BELOW);
    cr_assert_eq(stats_band(0.5301, 0.5, 0.03), BAND_ABOVE);
}

Test(stats, gap_to_parity) {
    cr_assert_eq(stats_gap_women(1, 3, 0.5, 0.03), 1);   /* ceil(1.5) - 1 */
    cr_assert_eq(stats_gap_women(3, 7, 0.5, 0.03), 1);   /* ceil(3.5) - 3 */
    cr_assert_eq(stats_gap_women(40, 100, 0.5, 0.03), 10);
    cr_assert_eq(stats_gap_women(47, 100, 0.5, 0.03), 0); /* within the band */
    cr_assert_eq(stats_gap_women(0, 5, 0.5, 0.03), 3);
    cr_assert_eq(stats_gap_women(0, 0, 0.5, 0.03), 0);
    cr_assert_eq(stats_gap_women(60, 100, 0.5, 0.03), 0); /* above: no gap */
}
